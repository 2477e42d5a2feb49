//! The ledger tests every SQL ledger passes (PostgreSQL in `tests/postgres.rs`, SQLite in
//! `tests/sqlite.rs`): one body per test, generic over the ledger; `open(n)` opens another
//! "instance" (its own connections, `n` of them where the ledger pools) on the same store.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Barrier};

use license_core::{Date, Kind};
use license_issue::*;

use super::db;

/// What the suite asks of a ledger beyond the trait: the figures its database counts.
pub trait SuiteLedger: Ledger + Clone + Send + 'static {
    /// `PgLedger::issued_totals` / `SqliteLedger::issued_totals`.
    fn issued_totals(&self, month: Month) -> Vec<KindTotals>;
    /// `(records, distinct order keys, distinct (license, revision))`, counted by SQL.
    fn sql_counts(&self) -> (i64, i64, i64);
    /// The outbox rows `(event_id, kind, payload)` in the order written, read by SQL.
    fn outbox_rows(&self) -> Vec<(String, String, String)>;
}

pub fn d(y: u16, m: u8, day: u8) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

pub fn catalogs() -> Catalogs {
    let mut c = Catalogs::new();
    c.insert(Catalog::demo().unwrap());
    c
}

pub fn issuer<L: Ledger>(ledger: L) -> Issuer<L> {
    Issuer::new(catalogs(), VendorKey::from_seed(&[9; 32]), ledger)
}

pub fn new_license(licensee: &str) -> Order {
    let mut o = NewLicense::new("demo-erp", Kind::Subscription, Customer::new(licensee));
    o.line = Some("expert".into());
    o.named_users = Some(25);
    o.bind = BindTo::database(db(&format!("DB-{licensee}")));
    Order::Issue(o)
}

pub fn rehost(license_id: u32, database: String) -> Order {
    Order::Rehost {
        license_id,
        bind: BindTo::database(database),
        unbind: Unbind::default(),
    }
}

pub const LICENSES: u32 = 6;
pub const THREADS: usize = 8;
pub const ORDERS: usize = 100;

/// Two backend instances (two ledgers, each with its own connections) place 8 x 100 orders
/// at once on overlapping licenses; every tenth order is a retry of an earlier one.
pub fn two_instances_issue_concurrently_without_duplicate_or_lost_revisions<L: SuiteLedger>(
    open: impl Fn(u32) -> L,
) {
    let today = d(2026, 11, 22);
    let instances = [open(4), open(4)];
    let mut setup = issuer(instances[0].clone());
    let mut ids = Vec::new();
    for n in 0..LICENSES {
        let out = setup
            .place(Some(&format!("setup-{n}")), &new_license(&format!("L{n}")), today)
            .unwrap();
        ids.push(out.license_id());
    }
    let ids = Arc::new(ids);
    let barrier = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let ledger = instances[t % 2].clone();
            let (ids, barrier) = (Arc::clone(&ids), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let mut is = issuer(ledger);
                let mut outcomes: Vec<(String, Outcome)> = Vec::new();
                barrier.wait();
                for i in 0..ORDERS {
                    if i % 10 == 9 {
                        // A retry of this thread's order of 5 orders ago: the first result.
                        let (key, first) = outcomes[i - 5].clone();
                        let order = if i % 20 == 19 {
                            new_license(&format!("T{t}-{}", i - 5))
                        } else {
                            rehost(first.license_id(), db(&format!("DB-{t}-{}", i - 5)))
                        };
                        let again = is.place(Some(&key), &order, today).unwrap();
                        assert_eq!(again, first, "a retried order returns its first result");
                        outcomes.push((format!("{key}/retry"), again));
                        continue;
                    }
                    let key = format!("t{t}-o{i}");
                    let order = if i % 20 == 14 {
                        // A new license now and then: ids are allocated concurrently too.
                        new_license(&format!("T{t}-{i}"))
                    } else {
                        rehost(ids[(t + i) % ids.len()], db(&format!("DB-{t}-{i}")))
                    };
                    let out = is.place(Some(&key), &order, today).unwrap();
                    outcomes.push((key, out));
                }
                outcomes
            })
        })
        .collect();
    let outcomes: Vec<(String, Outcome)> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let placed: Vec<&(String, Outcome)> = outcomes.iter().filter(|(k, _)| !k.ends_with("/retry")).collect();
    assert_eq!(placed.len(), THREADS * (ORDERS - ORDERS / 10));

    // Every revision of every license unique and gapless, every order recorded once.
    let records = instances[1].records().unwrap();
    assert_eq!(
        records.len(),
        LICENSES as usize + placed.len(),
        "one record per order, retries add none"
    );
    let mut revisions: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for r in &records {
        revisions
            .entry(r.license.license_id)
            .or_default()
            .push(r.license.revision);
    }
    for (id, mut revs) in revisions.clone() {
        revs.sort_unstable();
        assert_eq!(revs, (1..=revs.len() as u32).collect::<Vec<_>>(), "license {id}");
    }
    let keys: BTreeSet<&str> = records
        .iter()
        .filter_map(|r| r.order.as_ref().map(|o| o.key.as_str()))
        .collect();
    assert_eq!(
        keys.len(),
        records.len(),
        "each order's records carry their own key"
    );
    // Each code returned is the one in the ledger.
    let codes: BTreeSet<&str> = records.iter().filter_map(|r| r.code.as_deref()).collect();
    for (_, out) in &placed {
        let code = match out {
            Outcome::Issued(i) => &i.code,
            Outcome::Reissued(r) => &r.now.code,
            other => panic!("{other:?}"),
        };
        assert!(codes.contains(code.as_str()));
    }
    let new_ids: BTreeSet<u32> = placed
        .iter()
        .filter_map(|(_, o)| match o {
            Outcome::Issued(i) => Some(i.license.license_id),
            _ => None,
        })
        .collect();
    assert_eq!(new_ids.len(), THREADS * 5, "every new license has its own id");
    // The database says the same: one first record per order key, revisions unique.
    let (all, orders, revs) = instances[0].sql_counts();
    assert_eq!(
        (all, orders, revs),
        (records.len() as i64, records.len() as i64, records.len() as i64)
    );
    // Two thirds of the rehosts raced another instance or thread and were retried:
    // nothing above can pass by accident of a serial run.
    assert!(revisions.values().any(|r| r.len() > 50), "{revisions:?}");
}

/// Records round-trip, reports come from SQL, revocation numbers and erasure.
pub fn the_ledger_round_trips_records_and_answers_reports_with_sql<L: SuiteLedger>(open: impl Fn(u32) -> L) {
    let today = d(2026, 11, 22);
    let mut is = issuer(open(2));
    let a = is
        .place(None, &new_license("ACME Corp"), today)
        .unwrap()
        .license_id();
    is.place(
        None,
        &Order::Upgrade {
            license_id: a,
            change: Change {
                named_users: Some(30),
                ..Change::default()
            },
        },
        today,
    )
    .unwrap();
    let mut trial = NewLicense::new("demo-erp", Kind::Trial, Customer::new("株式会社エーシーエム"));
    trial.bind = BindTo::database("DB-2S3SS-G6YH8-DSBEC-9R3QK");
    is.issue(&trial, d(2026, 12, 1)).unwrap();
    is.cancel(a, d(2026, 12, 2)).unwrap();

    // Opening again (another instance) applies no migration twice and sees everything.
    let again = open(1);
    let records = again.records().unwrap();
    assert_eq!(records.len(), 4);
    assert_eq!(records, is.ledger().records().unwrap());
    assert_eq!(again.records_of(a).unwrap().len(), 3);
    assert_eq!(again.last_license_id().unwrap(), Some(a + 1));

    // The issued report of November from SQL, and the kind totals counted by SQL.
    let nov = Month::parse("2026-11").unwrap();
    let (from, to) = nov.bounds().unwrap();
    let month_records = again.records_recorded(from, to).unwrap();
    assert_eq!(month_records.len(), 2);
    let report = issued_in_month(&month_records, &catalogs(), nov).unwrap();
    assert_eq!(again.issued_totals(nov), report.totals);
    let dec = Month::parse("2026-12").unwrap();
    let totals = again.issued_totals(dec);
    let trial_row = totals.iter().find(|t| t.kind == "demo/trial").unwrap();
    assert_eq!((trial_row.new_licenses, trial_row.codes), (1, 1));

    // Revocation-list numbers per product, never reused, at least the floor asked for.
    let mut l = again.clone();
    assert_eq!(l.claim_revocation_sequence("demo-erp", 0).unwrap(), 1);
    assert_eq!(l.claim_revocation_sequence("demo-erp", 0).unwrap(), 2);
    assert_eq!(l.claim_revocation_sequence("demo-erp", 10).unwrap(), 10);
    assert_eq!(l.claim_revocation_sequence("other", 0).unwrap(), 1);
    let list = is
        .publish_revocation_list("demo-erp", d(2026, 12, 3), 30, 0)
        .unwrap();
    assert_eq!(list.sequence, 11);

    // Erasure keeps the numbers.
    assert_eq!(l.erase_licensee("acme  corp", "erased-1").unwrap(), 3);
    let after = l.records_of(a).unwrap();
    assert!(after.iter().all(|r| r.licensee == "erased-1" && r.erased));
    assert_eq!(after.len(), 3);
}

/// Eight redeemers on two backend instances redeem the same five tickets at once, half
/// of them for one installation and half for another: each ticket gives exactly one
/// license; every redeemer of the winning installation gets that code, every other is
/// refused naming it.
pub fn concurrent_redeemers_of_one_ticket_get_one_license<L: SuiteLedger>(open: impl Fn(u32) -> L) {
    let today = d(2026, 11, 22);
    let dir = tempfile::tempdir().unwrap();
    let instances = [open(4), open(4)];
    let mut pool = TicketPool::open(&dir.path().join("tickets.jsonl")).unwrap();
    let mut scope = NewLicense::new("demo-erp", Kind::Subscription, Customer::default());
    scope.named_users = Some(10);
    let tickets = pool
        .create(&issuer(instances[0].clone()), "Contoso", &scope, 5, today)
        .unwrap();
    let ids: Vec<TicketId> = tickets.iter().map(|t| t.id).collect();
    let pool = Arc::new(pool);
    let barrier = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let ledger = instances[t % 2].clone();
            let (pool, barrier, ids) = (Arc::clone(&pool), Arc::clone(&barrier), ids.clone());
            std::thread::spawn(move || {
                let mut is = issuer(ledger);
                barrier.wait();
                ids.iter()
                    .map(|id| {
                        let db = db(&format!("DB-{}", t % 2));
                        let out = is.redeem(
                            &pool,
                            id,
                            Customer::new("ACME"),
                            BindTo::database(db.clone()),
                            today,
                        );
                        (*id, db, out)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let records = instances[1].records().unwrap();
    assert_eq!(records.len(), ids.len(), "one license per ticket");
    for id in &ids {
        let record = records
            .iter()
            .find(|r| r.ticket.as_deref() == Some(id.to_string().as_str()))
            .expect("the ticket's record");
        let winner = record.database.clone().unwrap();
        for (_, db, out) in results.iter().filter(|(t, _, _)| t == id) {
            match out {
                Ok(r) => {
                    assert_eq!(db, &winner);
                    assert_eq!(Some(&r.issued.code), record.code.as_ref());
                }
                Err(Error::Ticket(TicketError::Redeemed { license_id, .. })) => {
                    assert_ne!(db, &winner);
                    assert_eq!(*license_id, record.license.license_id);
                }
                Err(e) => panic!("{e:?}"),
            }
        }
    }
}

/// A batch's outbox rows are committed with its records; a conflicting batch commits
/// neither; the issuer through [`WithOutbox`] writes one row per record of each operation.
pub fn outbox_rows_commit_with_their_records<L: SuiteLedger>(open: impl Fn(u32) -> L) {
    let today = d(2026, 11, 22);
    let events = |batch: &Batch<'_>| -> Result<Vec<OutboxRow>, Error> {
        Ok(batch
            .records
            .iter()
            .map(|r| OutboxRow {
                event_id: format!(
                    "ev-{}-{}-{}",
                    r.license.license_id,
                    r.license.revision,
                    r.operation.name()
                ),
                kind: "webhook".into(),
                payload: format!("{{\"license\":{}}}", r.license.license_id),
            })
            .collect())
    };
    let mut is = issuer(WithOutbox::new(open(2), events));
    let a = is
        .place(None, &new_license("ACME Corp"), today)
        .unwrap()
        .license_id();
    is.revoke(a, Some("storno"), today).unwrap();
    let ledger = open(1);
    let rows = ledger.outbox_rows();
    assert_eq!(
        rows,
        vec![
            (
                format!("ev-{a}-1-issue"),
                "webhook".to_owned(),
                format!("{{\"license\":{a}}}")
            ),
            (
                format!("ev-{a}-1-revoke"),
                "webhook".to_owned(),
                format!("{{\"license\":{a}}}")
            ),
        ]
    );
    // A stale batch (position 0 is taken) with an outbox row: neither is written.
    let mut raw = open(1);
    let first = raw.records_of(a).unwrap().remove(0);
    let stale = Batch {
        license_id: a,
        expected: 0,
        records: std::slice::from_ref(&first),
    };
    let row = OutboxRow {
        event_id: "ev-stale".into(),
        kind: "email".into(),
        payload: "{}".into(),
    };
    assert!(matches!(
        raw.append_batch_with_outbox(&stale, std::slice::from_ref(&row)),
        Err(Error::Ledger(LedgerError::Conflict { .. }))
    ));
    assert_eq!(ledger.outbox_rows().len(), 2);
    assert_eq!(ledger.records().unwrap().len(), 2);
}

/// The records a SQL ledger selects for "active on a day" give the same report as all
/// records, on each day around the terms of a few licenses.
pub fn active_on_a_day_from_the_index_is_the_report_of_all_records<L: SuiteLedger>(open: impl Fn(u32) -> L) {
    let mut is = issuer(open(2));
    let start = d(2026, 1, 15);
    let mut ids = Vec::new();
    for n in 0..5u16 {
        let day = start.saturating_add_days(i64::from(n) * 40);
        ids.push(
            is.place(None, &new_license(&format!("Active {n}")), day)
                .unwrap()
                .license_id(),
        );
    }
    let mut full = NewLicense::new("demo-erp", Kind::Full, Customer::new("Perpetual"));
    full.named_users = Some(5);
    full.bind = BindTo::database(db("DB-perpetual"));
    is.issue(&full, start).unwrap();
    is.revoke(ids[1], Some("storno"), d(2026, 4, 1)).unwrap();
    is.renew_early(ids[0], d(2026, 12, 1)).unwrap();
    let ledger = open(1);
    let all = LicenseHistory::all(&ledger.records().unwrap());
    let mut seen = 0;
    for offset in (0..900).step_by(29) {
        let day = d(2025, 12, 20).saturating_add_days(offset);
        let picked = LicenseHistory::all(&ledger.records_active_on(day).unwrap());
        let expected = active_subscriptions(&all, &catalogs(), day);
        assert_eq!(active_subscriptions(&picked, &catalogs(), day), expected, "{day}");
        seen += expected.len();
        // The index picks no more licenses than those that may be active.
        assert!(picked.len() <= ids.len(), "{day}: {}", picked.len());
        // The per-license terms, kept with every append, give the same report.
        let terms = ledger.license_terms_active_on(day).unwrap();
        assert_eq!(active_on(&terms, &catalogs(), day), expected, "{day}");
        assert!(terms.len() <= ids.len(), "{day}: {}", terms.len());
    }
    assert!(seen > 20, "the days checked cover active subscriptions: {seen}");
    // An erasure rewrites the terms in its transaction: the report shows the pseudonym.
    let mut ledger = open(1);
    assert_eq!(
        ledger.erase_licensee("Active 4", "erased-0123456789ab").unwrap(),
        1
    );
    let day = d(2026, 8, 1);
    let rows = active_on(&ledger.license_terms_active_on(day).unwrap(), &catalogs(), day);
    let all = LicenseHistory::all(&ledger.records().unwrap());
    assert_eq!(rows, active_subscriptions(&all, &catalogs(), day));
    assert!(
        rows.iter().any(|r| r.licensee == "erased-0123456789ab"),
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| r.licensee != "Active 4"));
}
