//! Webhooks to a real HTTP receiver on loopback: signed, delivered at least once under a
//! stable id, retried with back-off, never to a refused address, never redirected; an
//! event written before its endpoint was removed is still delivered.

mod common;

use std::collections::BTreeSet;

use common::*;
use license_issue::*;
use license_notify::*;

fn audience() -> Audience {
    Audience {
        endpoints: vec!["erp".into()],
        admins: Vec::new(),
    }
}

/// The closure that makes a batch's outbox rows.
type Events = Box<dyn FnMut(&Batch<'_>) -> Result<Vec<OutboxRow>, Error> + Send>;

/// A SQLite ledger with its outbox store, and an issuer writing webhook events.
fn setup(dir: &tempfile::TempDir) -> (Issuer<WithOutbox<SqliteLedger, Events>>, SqliteOutbox) {
    let ledger = SqliteLedger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let store = SqliteOutbox::open(&ledger).unwrap();
    let a = audience();
    let events: Events = Box::new(move |b: &Batch<'_>| batch_events(b, &a, now_secs()));
    (issuer(WithOutbox::new(ledger, events)), store)
}

fn next_attempt(ledger: &SqliteLedger, event_id: &str) -> (i64, i64, Option<i64>, Option<i64>) {
    ledger
        .connection()
        .query_row(
            "SELECT attempts, next_attempt, delivered, failed FROM ledger_outbox WHERE event_id = ?1",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
}

#[test]
fn events_are_signed_and_delivered_with_their_stable_id() {
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir);
    let rx = Receiver::start(Answer::Ok);
    let today = d(2026, 11, 22);
    let id = is
        .place(Some("o-1"), &subscription("ACME Corp"), today)
        .unwrap()
        .license_id();
    is.place(
        None,
        &Order::Upgrade {
            license_id: id,
            change: Change {
                named_users: Some(20),
                ..Change::default()
            },
        },
        today,
    )
    .unwrap();
    is.revoke(id, Some("storno"), today).unwrap();
    let mut w = Worker::new(store, "w1", retry(), WebhookSender::new(webhooks(&rx.url)), None);
    let r = w.run_once(now_ms()).unwrap();
    assert_eq!((r.claimed, r.delivered), (3, 3));
    let got = rx.hooks();
    assert!(got.iter().all(|g| g.verifies(SECRET)), "{got:?}");
    let types: Vec<String> = got
        .iter()
        .map(|g| {
            serde_json::from_str::<serde_json::Value>(&g.body).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(types, ["license.created", "license.changed", "license.revoked"]);
    for g in &got {
        let body: serde_json::Value = serde_json::from_str(&g.body).unwrap();
        assert_eq!(body["id"], g.id.as_str(), "the header's id is the body's");
        assert_eq!(body["data"]["license_id"], id);
    }
    // Nothing is due any more; delivered rows stay delivered.
    assert_eq!(w.run_once(now_ms()).unwrap().claimed, 0);
    assert_eq!(w.store().pending().unwrap(), 0);
}

#[test]
fn an_event_written_before_its_endpoint_was_removed_is_still_delivered() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = SqliteLedger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let store = SqliteOutbox::open(&ledger).unwrap();
    let rx = Receiver::start(Answer::Ok);
    let secret = "whsec-registered";
    let id = store.add_endpoint("vendor", &rx.url, secret, now_secs()).unwrap();
    let name = format!("wh-{id}");
    let a = Audience {
        endpoints: vec![name],
        admins: Vec::new(),
    };
    let events: Events = Box::new(move |b: &Batch<'_>| batch_events(b, &a, now_secs()));
    let mut is = issuer(WithOutbox::new(ledger, events));
    is.place(Some("o-1"), &subscription("ACME Corp"), d(2026, 11, 22))
        .unwrap();
    // Removed before the worker's turn: no longer listed, but its event still goes out.
    assert!(store.remove_endpoint(None, id, now_secs()).unwrap());
    assert!(store.endpoints(None).unwrap().is_empty());
    let config = WebhookConfig {
        endpoints: Default::default(),
        ..webhooks(&rx.url)
    };
    let mut w = Worker::new(store, "w1", retry(), WebhookSender::new(config), None);
    w.load_endpoints(&Default::default()).unwrap();
    let r = w.run_once(now_ms()).unwrap();
    assert_eq!((r.claimed, r.delivered, r.given_up), (1, 1, 0), "{r:?}");
    let got = rx.hooks();
    assert_eq!(got.len(), 1);
    assert!(got[0].verifies(secret), "{got:?}");
}

#[test]
fn a_failing_receiver_gets_the_same_event_again_with_exponential_back_off() {
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir);
    let ledger = is.ledger().inner().clone();
    let rx = Receiver::start(Answer::FailFirst(4));
    is.place(None, &subscription("Retry GmbH"), d(2026, 11, 22))
        .unwrap();
    let mut w = Worker::new(store, "w1", retry(), WebhookSender::new(webhooks(&rx.url)), None);
    let start = now_ms();
    let mut t = start;
    let mut delays = Vec::new();
    for _ in 0..5 {
        let r = w.run_once(t).unwrap();
        assert_eq!(r.claimed, 1, "due at {t}");
        let id = rx.hooks().last().unwrap().id.clone();
        let (_, next, delivered, _) = next_attempt(&ledger, &id);
        if delivered.is_some() {
            break;
        }
        // Not due before its back-off.
        assert_eq!(w.run_once(t + 1000).unwrap().claimed, 0);
        delays.push(next - t / 1000);
        t = next * 1000;
    }
    assert_eq!(delays, [10, 20, 40, 80], "doubled from 10 s, capped at 80 s");
    let counts = rx.counts();
    assert_eq!(counts.len(), 1, "one event");
    assert_eq!(
        counts.values().next(),
        Some(&5),
        "four failures and the delivery, one id"
    );
    assert!(rx.hooks().iter().all(|g| g.verifies(SECRET)));
}

#[test]
fn an_event_is_given_up_after_its_attempts_and_can_be_requeued() {
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir);
    let ledger = is.ledger().inner().clone();
    let rx = Receiver::start(Answer::FailFirst(u32::MAX));
    is.place(None, &subscription("Never AG"), d(2026, 11, 22))
        .unwrap();
    let policy = RetryPolicy {
        max_attempts: 3,
        ..retry()
    };
    let mut w = Worker::new(store, "w1", policy, WebhookSender::new(webhooks(&rx.url)), None);
    let mut t = now_ms();
    let mut given_up = 0;
    for _ in 0..3 {
        let r = w.run_once(t).unwrap();
        given_up += r.given_up;
        t += 200_000;
    }
    assert_eq!(given_up, 1);
    assert_eq!(rx.hooks().len(), 3);
    let id = rx.hooks()[0].id.clone();
    let (attempts, _, delivered, failed) = next_attempt(&ledger, &id);
    assert_eq!((attempts, delivered.is_none(), failed.is_some()), (3, true, true));
    assert_eq!(
        w.run_once(t).unwrap().claimed,
        0,
        "a given-up event is not tried again"
    );
    assert!(w.store().requeue(&id, t / 1000).unwrap());
    assert_eq!(w.run_once(t).unwrap().claimed, 1, "re-queued");
}

/// At least once: a worker that sent an event and died before marking it leaves it
/// claimed; nobody else takes it during the lease, and after the lease another worker
/// sends it again under the same id.
#[test]
fn an_event_sent_by_a_worker_that_died_before_marking_it_is_sent_again_under_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir);
    let rx = Receiver::start(Answer::Ok);
    is.place(None, &subscription("Crash Between"), d(2026, 11, 22))
        .unwrap();
    let t = now_secs();
    // Worker A: claims, sends, dies (no mark).
    let claimed = store.claim("a", t, retry().lease_secs, 10).unwrap();
    assert_eq!(claimed.len(), 1);
    let e = Event::from_row(&claimed[0].event_id, &claimed[0].kind, &claimed[0].payload).unwrap();
    let Delivery::Webhook { endpoint, body, .. } = &e.delivery else {
        panic!()
    };
    WebhookSender::new(webhooks(&rx.url))
        .send(endpoint, &e.event_id, body, t)
        .unwrap();
    // Worker B: nothing to take while A's lease runs; after it, the same event again.
    let mut b = Worker::new(store, "b", retry(), WebhookSender::new(webhooks(&rx.url)), None);
    assert_eq!(b.run_once((t + 1) * 1000).unwrap().claimed, 0);
    let r = b.run_once((t + retry().lease_secs) * 1000).unwrap();
    assert_eq!(r.delivered, 1);
    let counts = rx.counts();
    assert_eq!(counts.get(&e.event_id), Some(&2), "{counts:?}");
    assert_eq!(counts.len(), 1);
    // A's mark, had it come late, changes nothing.
    b.store().delivered(claimed[0].id, t + 1).unwrap();
    assert_eq!(b.store().pending().unwrap(), 0);
    assert_eq!(b.run_once((t + 10_000) * 1000).unwrap().claimed, 0);
}

#[test]
fn redirects_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir);
    let target = Receiver::start(Answer::Ok);
    let redirector = Receiver::start(Answer::Redirect(target.url.clone()));
    is.place(None, &subscription("Redirect Ltd"), d(2026, 11, 22))
        .unwrap();
    let mut w = Worker::new(
        store,
        "w1",
        retry(),
        WebhookSender::new(webhooks(&redirector.url)),
        None,
    );
    let r = w.run_once(now_ms()).unwrap();
    assert_eq!(
        (r.delivered, r.retried),
        (0, 1),
        "a 302 is a failure, retried later"
    );
    assert_eq!(redirector.hooks().len(), 1);
    assert!(target.hooks().is_empty(), "the redirect's target got nothing");
}

#[test]
fn a_receiver_that_never_answers_times_out_and_is_retried() {
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir);
    let rx = Receiver::start(Answer::Hang);
    is.place(None, &subscription("Slow KG"), d(2026, 11, 22)).unwrap();
    let mut config = webhooks(&rx.url);
    config.timeout = std::time::Duration::from_millis(700);
    let mut w = Worker::new(store, "w1", retry(), WebhookSender::new(config), None);
    let started = std::time::Instant::now();
    let r = w.run_once(now_ms()).unwrap();
    assert_eq!((r.delivered, r.retried), (0, 1));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(rx.hooks().len(), 1, "the request arrived; its answer never did");
}

/// Server-side request forgery: targets on loopback (unless allowed), private,
/// link-local and special addresses are refused before any connection, literal or by
/// name, and the worker gives such an event up at once.
#[test]
fn targets_on_refused_ranges_are_refused_without_a_connection() {
    let rx = Receiver::start(Answer::Ok);
    let strict = TargetPolicy::default();
    for (url, range) in [
        (rx.url.as_str(), "loopback"),
        ("http://localhost:9/hook", "loopback"),
        ("http://[::1]:9/hook", "loopback"),
        ("http://[::ffff:127.0.0.1]:9/hook", "loopback"),
        ("http://10.0.0.1:9/hook", "private"),
        ("http://192.168.1.20/hook", "private"),
        ("http://172.20.0.1/hook", "private"),
        ("http://100.64.1.1/hook", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[fe80::1]/hook", "link-local"),
        ("http://0.0.0.0:9/hook", "special"),
        ("http://224.0.0.1/hook", "special"),
        ("http://[::]:9/hook", "special"),
    ] {
        match check_target(url, &strict) {
            Err(NotifyError::TargetRefused { range: r, .. }) => assert_eq!(r, range, "{url}"),
            other => panic!("{url}: {other:?}"),
        }
        let mut config = webhooks(url);
        config.policy = strict;
        let sender = WebhookSender::new(config);
        assert!(
            matches!(
                sender.send("erp", "evt_x", "{}", now_secs()),
                Err(NotifyError::TargetRefused { .. })
            ),
            "{url}"
        );
    }
    assert!(rx.hooks().is_empty(), "nothing reached the loopback receiver");
    // Allowing loopback does not allow private ranges.
    let lo = TargetPolicy {
        allow_loopback: true,
        allow_private: false,
    };
    assert!(check_target(&rx.url, &lo).is_ok());
    assert!(check_target("http://10.0.0.1:9/", &lo).is_err());
    // Through the worker: given up at once with the reason, not retried.
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir);
    is.place(None, &subscription("Forgery Inc"), d(2026, 11, 22))
        .unwrap();
    let mut config = webhooks(&rx.url);
    config.policy = strict;
    let mut w = Worker::new(store, "w1", retry(), WebhookSender::new(config), None);
    let r = w.run_once(now_ms()).unwrap();
    assert_eq!((r.delivered, r.retried, r.given_up), (0, 0, 1));
    assert!(rx.hooks().is_empty());
}

/// Two workers (two instances) on one PostgreSQL outbox claim concurrently: every event
/// is sent once, none twice at the same time.
#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn two_workers_on_postgresql_send_each_event_once() {
    let schema = Schema::create();
    let rx = Receiver::start(Answer::Ok);
    let ledger = schema.ledger(4);
    let store = PgOutbox::open(&ledger).unwrap();
    let rows: Vec<OutboxRow> = (0..120)
        .map(|i| {
            Event::webhook(
                stable_id(&["bulk", &i.to_string()]),
                "erp",
                EventKind::LicenseChanged,
                1,
                serde_json::json!({"i": i}),
            )
            .to_row()
            .unwrap()
        })
        .collect();
    assert_eq!(store.enqueue(&rows).unwrap(), 120);
    assert_eq!(
        store.enqueue(&rows[..10]).unwrap(),
        0,
        "an event id is queued once"
    );
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let threads: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|name| {
            let (ledger, url, barrier) = (schema.ledger(2), rx.url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let store = PgOutbox::open(&ledger).unwrap();
                let mut w = Worker::new(store, name, retry(), WebhookSender::new(webhooks(&url)), None);
                barrier.wait();
                let mut delivered = 0;
                loop {
                    let r = w.run_once(now_ms()).unwrap();
                    delivered += r.delivered;
                    if r.claimed == 0 {
                        return delivered;
                    }
                }
            })
        })
        .collect();
    let per_worker: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(per_worker.iter().sum::<usize>(), 120);
    let counts = rx.counts();
    assert_eq!(counts.len(), 120);
    assert!(counts.values().all(|&n| n == 1), "no event sent twice");
    let ids: BTreeSet<String> = rows.iter().map(|r| r.event_id.clone()).collect();
    assert_eq!(counts.keys().cloned().collect::<BTreeSet<_>>(), ids);
    assert_eq!(store.pending().unwrap(), 0);
}
