//! The jobs: renewal codes, renewal notices and the resellers' monthly reports, each run
//! once per period across instances and catching up after downtime.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Barrier};

use common::*;
use license_core::Kind;
use license_issue::*;
use license_notify::*;

type Events = Box<dyn FnMut(&Batch<'_>) -> Result<Vec<OutboxRow>, Error> + Send>;

fn audience() -> Audience {
    Audience {
        endpoints: vec!["erp".into()],
        admins: vec![Recipient {
            address: "admin@acme.example".into(),
            language: Language::De,
        }],
    }
}

fn events() -> Events {
    let a = audience();
    Box::new(move |b: &Batch<'_>| batch_events(b, &a, now_secs()))
}

/// The outbox rows as events.
fn outbox_events(rows: Vec<(String, String, String)>) -> Vec<Event> {
    rows.iter()
        .map(|(i, k, p)| Event::from_row(i, k, p).unwrap())
        .collect()
}

fn pg_rows(ledger: &PgLedger) -> Vec<(String, String, String)> {
    ledger
        .connection()
        .unwrap()
        .query(
            "SELECT event_id, kind, payload FROM ledger_outbox ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

fn sqlite_rows(ledger: &SqliteLedger) -> Vec<(String, String, String)> {
    let c = ledger.connection();
    let mut stmt = c
        .prepare("SELECT event_id, kind, payload FROM ledger_outbox ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn count(events: &[Event], kind: EventKind) -> usize {
    events
        .iter()
        .filter(|e| match &e.delivery {
            Delivery::Webhook { kind: k, .. } | Delivery::Email { kind: k, .. } => *k == kind,
        })
        .count()
}

/// "A renewal job run twice on two instances sends one renewal code": two instances
/// (each its own pool, issuer and outbox store on one PostgreSQL) run the renewal job for
/// the same day at the same moment; then again after the first's lease (as after a
/// crash), and on the next day. Each license gets one renewal code, one renewal e-mail
/// and one webhook, delivered once.
#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn a_renewal_job_run_on_two_instances_at_once_sends_one_renewal_code() {
    let schema = Schema::create();
    let mut setup = issuer(WithOutbox::new(schema.ledger(2), events()));
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(
            setup
                .place(None, &subscription(&format!("Renew {n}")), d(2025, 12, 1))
                .unwrap()
                .license_id(),
        );
    }
    let today = d(2026, 11, 3);
    assert_eq!(
        setup.renewals_due(today).unwrap(),
        ids,
        "due at the latest 28 days before expiry"
    );
    let barrier = Arc::new(Barrier::new(2));
    let now = now_secs();
    let runs: Vec<_> = ["instance-a", "instance-b"]
        .into_iter()
        .map(|name| {
            let (ledger, barrier) = (schema.ledger(2), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let store = PgOutbox::open(&ledger).unwrap();
                let mut is = issuer(WithOutbox::new(ledger, events()));
                barrier.wait();
                run_renewals(&mut is, &store, name, today, now).unwrap()
            })
        })
        .collect();
    let reports: Vec<JobReport> = runs.into_iter().map(|t| t.join().unwrap()).collect();
    assert_eq!(reports.iter().filter(|r| r.ran).count(), 1, "{reports:?}");
    let ran = reports.iter().find(|r| r.ran).unwrap();
    assert_eq!(ran.done, ids);
    assert!(ran.failed.is_empty(), "{ran:?}");

    // Again on both: after the lease (a crashed run is taken over; this one finished, so
    // nothing), and on the next days (nothing due any more).
    for (name, day, at) in [
        ("instance-b", today, now + JOB_LEASE_SECS + 1),
        ("instance-a", d(2026, 11, 4), now),
        ("instance-b", d(2026, 11, 5), now),
    ] {
        let ledger = schema.ledger(1);
        let store = PgOutbox::open(&ledger).unwrap();
        let mut is = issuer(WithOutbox::new(ledger, events()));
        let r = run_renewals(&mut is, &store, name, day, at).unwrap();
        assert!(r.done.is_empty(), "{day}: {r:?}");
    }
    let ledger = schema.ledger(2);
    let renewals: Vec<Record> = ledger
        .records()
        .unwrap()
        .into_iter()
        .filter(|r| r.operation == Operation::Renew)
        .collect();
    assert_eq!(renewals.len(), 3, "one renewal code per license");
    for (r, id) in renewals.iter().zip(&ids) {
        assert_eq!(r.license.license_id, *id);
        assert_eq!(r.order.as_ref().unwrap().key, format!("renewal:{id}:2026-12-01"));
        assert_eq!(r.license.valid_from, d(2026, 12, 1));
    }
    let events = outbox_events(pg_rows(&ledger));
    assert_eq!(
        count(&events, EventKind::RenewalCode),
        3,
        "one renewal e-mail per license"
    );
    assert_eq!(count(&events, EventKind::LicenseRenewed), 3);
    // Delivered once each.
    let rx = Receiver::start(Answer::Ok);
    let store = PgOutbox::open(&ledger).unwrap();
    let mut w = Worker::new(store, "w", retry(), WebhookSender::new(webhooks(&rx.url)), None);
    w.run_until_idle(10).unwrap();
    let renewed: Vec<Hook> = rx
        .hooks()
        .into_iter()
        .filter(|g| g.body.contains("\"license.renewed\""))
        .collect();
    assert_eq!(renewed.len(), 3);
    let mut per_license = BTreeMap::new();
    for g in &renewed {
        *per_license
            .entry(data(&g.body)["license_id"].as_u64().unwrap())
            .or_insert(0) += 1;
    }
    assert!(per_license.values().all(|&n| n == 1), "{per_license:?}");
}

/// Notices one calendar month before the term (or maintenance) ends: a job that was down
/// on the notice day catches up later; running it again queues nothing twice.
#[test]
fn renewal_notices_catch_up_and_are_queued_once() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = SqliteLedger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let store = SqliteOutbox::open(&ledger).unwrap();
    let mut is = issuer(ledger.clone());
    let id = is
        .place(None, &subscription("Notice GmbH"), d(2025, 12, 1))
        .unwrap()
        .license_id();
    let catalog = MessageCatalog::builtin().unwrap();
    let recipients = |_: u32| audience().admins;
    let now = now_secs();
    // Before the notice day: nothing.
    let r = run_notices(&is, &store, &catalog, &recipients, "a", d(2026, 10, 1), now).unwrap();
    assert!(r.ran && r.done.is_empty());
    // The service was down from the notice day on; the first run afterwards sends it.
    let r = run_notices(&is, &store, &catalog, &recipients, "a", d(2026, 11, 10), now).unwrap();
    assert_eq!((r.done.clone(), r.queued), (vec![id], 1));
    // The same day on another instance: not run again; the next day: run, queued once.
    let r = run_notices(&is, &store, &catalog, &recipients, "b", d(2026, 11, 10), now).unwrap();
    assert!(!r.ran);
    let r = run_notices(&is, &store, &catalog, &recipients, "b", d(2026, 11, 11), now).unwrap();
    assert_eq!((r.done.clone(), r.queued), (vec![id], 0));
    let events = outbox_events(sqlite_rows(&ledger));
    assert_eq!(events.len(), 1);
    let Delivery::Email { to, kind, args } = &events[0].delivery else {
        panic!()
    };
    assert_eq!((to.language, *kind), (Language::De, EventKind::RenewalNotice));
    assert_eq!(args["what"], "Die Abonnementlaufzeit");
    assert_eq!(args["last_day"], "2026-11-30");
    let mail = catalog.render(Language::De, "renewal-notice", args).unwrap();
    assert!(
        mail.body
            .starts_with("Guten Tag,\n\nDie Abonnementlaufzeit der Lizenz"),
        "{}",
        mail.body
    );
}

/// The resellers' monthly reports: months missed while the service was down are each
/// reported once; a reseller without codes in a month gets none.
#[test]
fn reseller_reports_catch_up_month_by_month_once() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = SqliteLedger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let store = SqliteOutbox::open(&ledger).unwrap();
    let mut is = issuer(ledger.clone());
    let order = |n: &str| {
        let mut c = Customer::new(n);
        c.reseller = Some("Contoso".into());
        let mut o = NewLicense::new("demo-erp", Kind::Subscription, c);
        o.named_users = Some(5);
        o.bind = BindTo::database(db(n));
        Order::Issue(o)
    };
    is.place(None, &order("Nov A"), d(2026, 11, 3)).unwrap();
    is.place(None, &order("Nov B"), d(2026, 11, 20)).unwrap();
    is.place(None, &order("Jan A"), d(2027, 1, 15)).unwrap();
    is.place(None, &subscription("Direct"), d(2026, 11, 5)).unwrap();
    let endpoints = vec!["erp".to_owned()];
    let recipients = |r: &str| {
        vec![Recipient {
            address: format!("{}@reseller.example", r.to_lowercase()),
            language: Language::En,
        }]
    };
    let first = Month::parse("2026-11").unwrap();
    let now = now_secs();
    let r = run_reseller_reports(
        &is,
        &store,
        &endpoints,
        &recipients,
        "a",
        first,
        d(2027, 2, 10),
        now,
    )
    .unwrap();
    assert_eq!(r.periods, ["2026-11", "2026-12", "2027-01"]);
    assert_eq!(
        r.queued, 4,
        "a webhook and an e-mail for November and for January"
    );
    let r = run_reseller_reports(
        &is,
        &store,
        &endpoints,
        &recipients,
        "b",
        first,
        d(2027, 2, 11),
        now,
    )
    .unwrap();
    assert!(r.periods.is_empty() && r.queued == 0, "{r:?}");
    let events = outbox_events(sqlite_rows(&ledger));
    let webhooks: Vec<serde_json::Value> = events
        .iter()
        .filter_map(|e| match &e.delivery {
            Delivery::Webhook { body, .. } => Some(data(body)),
            Delivery::Email { .. } => None,
        })
        .collect();
    assert_eq!(webhooks[0]["month"], "2026-11");
    assert_eq!(
        (
            webhooks[0]["codes"].as_u64(),
            webhooks[0]["new_licenses"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(webhooks[1]["month"], "2027-01");
    assert_eq!(webhooks[1]["codes"].as_u64(), Some(1));
    let mails: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e.delivery, Delivery::Email { .. }))
        .collect();
    let Delivery::Email { to, args, .. } = &mails[0].delivery else {
        panic!()
    };
    assert_eq!(to.address, "contoso@reseller.example");
    let mail = MessageCatalog::builtin()
        .unwrap()
        .render(Language::En, "reseller-monthly-report", args)
        .unwrap();
    assert_eq!(mail.subject, "Monthly license report 2026-11 for Contoso");
}
