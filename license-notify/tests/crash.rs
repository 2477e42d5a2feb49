//! The crash test at the library level: a process issuing a burst of licenses through a
//! ledger that writes a webhook event with each record is killed (SIGKILL) in the middle
//! of it. After the restart every committed record has exactly one outbox event, there
//! is none for an uncommitted one, and the worker delivers each event exactly once to the
//! receiver, by id. On SQLite always, on PostgreSQL with `LICENSE_TEST_PG`.
//!
//! The writing process is this test binary again, running the ignored test
//! `crash_child` with the store named in the environment.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use license_issue::*;
use license_notify::*;

const CHILD_ENV: &str = "NOTIFY_CRASH_STORE";

fn audience() -> Audience {
    Audience {
        endpoints: vec!["erp".into()],
        admins: Vec::new(),
    }
}

/// Issue licenses until killed, printing each license id once its order committed.
fn burst<L: Ledger>(ledger: L) {
    let a = audience();
    let mut is = issuer(WithOutbox::new(ledger, move |b: &Batch<'_>| {
        batch_events(b, &a, 1)
    }));
    for n in 0..100_000 {
        let id = is
            .place(
                Some(&format!("burst-{n}")),
                &subscription(&format!("Burst {n}")),
                d(2026, 11, 22),
            )
            .unwrap()
            .license_id();
        println!("committed {id}");
    }
}

#[test]
#[ignore = "the child process of the crash tests (run by them, with NOTIFY_CRASH_STORE)"]
fn crash_child() {
    let store = std::env::var(CHILD_ENV).expect("run by the crash tests");
    if let Some(path) = store.strip_prefix("sqlite:") {
        burst(SqliteLedger::open(std::path::Path::new(path)).unwrap());
    } else if let Some(schema) = store.strip_prefix("pg:") {
        let s = Schema::named(schema);
        let ledger = s.ledger(2);
        s.keep();
        burst(ledger);
    }
}

/// Run the child on `store`, kill it once it reported `after` commits; the ids reported.
fn run_and_kill(store: &str, after: usize) -> BTreeSet<u32> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, store)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut committed = BTreeSet::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while committed.len() < after {
        let line = lines.next().expect("the child ended early").unwrap();
        if let Some(id) = line.strip_prefix("committed ") {
            committed.insert(id.parse().unwrap());
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    committed
}

/// The checks after the restart, on any ledger and its outbox store.
fn check<L: Ledger, S: OutboxStore>(
    ledger: &L,
    store: S,
    committed: &BTreeSet<u32>,
    rows: Vec<(String, String, String)>,
) {
    let records = ledger.records().unwrap();
    let ids: BTreeSet<u32> = records.iter().map(|r| r.license.license_id).collect();
    assert!(
        committed.is_subset(&ids),
        "every order reported as committed is in the ledger"
    );
    // Exactly one event per record, none for anything else.
    let mut per_record: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    for (event_id, kind, payload) in &rows {
        let e = Event::from_row(event_id, kind, payload).unwrap();
        let Delivery::Webhook { body, .. } = e.delivery else {
            panic!("{e:?}")
        };
        let data = data(&body);
        let key = (
            data["license_id"].as_u64().unwrap() as u32,
            data["revision"].as_u64().unwrap() as u32,
        );
        *per_record.entry(key).or_insert(0) += 1;
    }
    let recorded: BTreeSet<(u32, u32)> = records
        .iter()
        .map(|r| (r.license.license_id, r.license.revision))
        .collect();
    assert_eq!(
        per_record.keys().copied().collect::<BTreeSet<_>>(),
        recorded,
        "events and records are the same set"
    );
    assert!(per_record.values().all(|&n| n == 1), "one event per record");
    assert_eq!(rows.len(), records.len());
    // The worker delivers each exactly once, by id.
    let rx = Receiver::start(Answer::Ok);
    let mut w = Worker::new(
        store,
        "after-crash",
        retry(),
        WebhookSender::new(webhooks(&rx.url)),
        None,
    );
    let r = w.run_until_idle(100).unwrap();
    assert_eq!(r.delivered, rows.len());
    let counts = rx.counts();
    assert_eq!(
        counts.keys().cloned().collect::<BTreeSet<_>>(),
        rows.iter().map(|r| r.0.clone()).collect()
    );
    assert!(counts.values().all(|&n| n == 1));
    assert!(rx.hooks().iter().all(|g| g.verifies(SECRET)));
}

#[test]
fn sqlite_a_killed_burst_leaves_one_event_per_committed_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    // Create the schema first, so the child starts writing at once.
    drop(SqliteLedger::open(&path).unwrap());
    let committed = run_and_kill(&format!("sqlite:{}", path.display()), 40);
    let ledger = SqliteLedger::open(&path).unwrap();
    let rows: Vec<(String, String, String)> = {
        let c = ledger.connection();
        let mut stmt = c
            .prepare("SELECT event_id, kind, payload FROM ledger_outbox ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert!(rows.len() >= 40);
    let store = SqliteOutbox::open(&ledger).unwrap();
    check(&ledger, store, &committed, rows);
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn postgresql_a_killed_burst_leaves_one_event_per_committed_record() {
    let schema = Schema::create();
    drop(schema.ledger(1));
    let committed = run_and_kill(&format!("pg:{}", schema.name), 40);
    let ledger = schema.ledger(2);
    let rows: Vec<(String, String, String)> = ledger
        .connection()
        .unwrap()
        .query(
            "SELECT event_id, kind, payload FROM ledger_outbox ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert!(rows.len() >= 40);
    let store = PgOutbox::open(&ledger).unwrap();
    check(&ledger, store, &committed, rows);
}
