//! "Active on a day" from the ledgers' per-license terms (`ledger_license_terms`): on
//! random generated ledgers, written through the bulk load and through single appends, the
//! licenses a ledger selects for a day, with the library's rule applied
//! (`active_on(license_terms_active_on(day))`), give exactly the report computed from every
//! record (`active_subscriptions` of all histories), and so do the counts of several days
//! from one read (`active_counts(license_terms_active_between(first, last))`); and the
//! migration that adds the table
//! backfills it for a ledger recorded before it.

mod common;

#[path = "scale/generate.rs"]
mod generate;

use std::time::Duration;

use common::{Schema, database_url};
use generate::{SPAN_DAYS, TODAY, catalogs, generate};
use license_core::Date;
use license_issue::*;
use proptest::prelude::*;

/// `count` generated licenses' records (seed `seed`), in order.
fn generated(count: u32, seed: u64) -> Vec<Record> {
    let mut all = Vec::new();
    let made = generate(count, seed, Duration::from_secs(120), |records| {
        all.extend(records);
        Ok(())
    })
    .unwrap();
    assert!(made.complete);
    all
}

/// Write `records` into `ledger`: the licenses with an even id through `load`, the others
/// one record at a time through `Ledger::append` (each its own transaction).
fn write<L: Ledger>(ledger: &mut L, records: &[Record], load: impl Fn(&L, &[Record]) -> u64) {
    let (bulk, single): (Vec<Record>, Vec<Record>) = records
        .iter()
        .cloned()
        .partition(|r| r.license.license_id % 2 == 0);
    assert_eq!(load(ledger, &bulk), bulk.len() as u64);
    for r in &single {
        ledger.append(r).unwrap();
    }
}

/// The report from the ledger's selected terms equals the report of every record on each
/// of `days`; the selection is a superset of the active licenses and holds only licenses
/// whose subscription span holds the day.
fn narrowed_equals_full(ledger: &impl Ledger, days: &[Date]) -> usize {
    let all = LicenseHistory::all(&ledger.records().unwrap());
    let cat = catalogs();
    let mut seen = 0;
    for &day in days {
        let picked = ledger.license_terms_active_on(day).unwrap();
        assert!(picked.iter().all(|t| t.may_be_active_on(day)), "{day}");
        assert!(
            picked.windows(2).all(|w| w[0].license_id < w[1].license_id),
            "{day}"
        );
        let expected = active_subscriptions(&all, &cat, day);
        assert_eq!(active_on(&picked, &cat, day), expected, "{day}");
        // The memory ledger's default (every record folded) selects the same licenses.
        let mut mem = MemoryLedger::new();
        for r in ledger.records().unwrap() {
            mem.append(&r).unwrap();
        }
        assert_eq!(mem.license_terms_active_on(day).unwrap(), picked, "{day}");
        seen += expected.len();
    }
    // One read for every day (the charts' way): the counts per day are the reports' sizes.
    if let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) {
        let between = ledger.license_terms_active_between(first, last).unwrap();
        assert!(between.iter().all(|t| t.may_be_active_between(first, last)));
        assert!(between.windows(2).all(|w| w[0].license_id < w[1].license_id));
        let counts = active_counts(&between, days);
        for (&day, &count) in days.iter().zip(&counts) {
            assert_eq!(count, active_subscriptions(&all, &cat, day).len(), "{day}");
        }
        let mut mem = MemoryLedger::new();
        for r in ledger.records().unwrap() {
            mem.append(&r).unwrap();
        }
        assert_eq!(mem.license_terms_active_between(first, last).unwrap(), between);
    }
    seen
}

fn day_strategy() -> impl Strategy<Value = Date> {
    (0..SPAN_DAYS as i64 + 500).prop_map(|back| TODAY.saturating_add_days(400 - back))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn sqlite_narrowed_active_on_equals_the_full_scan(
        seed in any::<u64>(),
        count in 20u32..70,
        days in proptest::collection::vec(day_strategy(), 4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = SqliteLedger::open(&dir.path().join("ledger.sqlite")).unwrap();
        let records = generated(count, seed);
        write(&mut ledger, &records, |l, r| l.load(r).unwrap());
        narrowed_equals_full(&ledger, &days);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    #[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
    fn postgres_narrowed_active_on_equals_the_full_scan(
        seed in any::<u64>(),
        count in 20u32..70,
        days in proptest::collection::vec(day_strategy(), 4),
    ) {
        let schema = Schema::create(&database_url());
        let mut ledger = schema.ledger(1);
        let records = generated(count, seed);
        write(&mut ledger, &records, |l, r| l.load(r).unwrap());
        narrowed_equals_full(&ledger, &days);
    }
}

/// Days spread over the generated ledger's five years and the year after it.
fn spread_days() -> Vec<Date> {
    (0..SPAN_DAYS as i64 + 365)
        .step_by(37)
        .map(|back| TODAY.saturating_add_days(365 - back))
        .collect()
}

#[test]
fn sqlite_migration_backfills_the_terms_of_a_ledger_recorded_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let ledger = SqliteLedger::open(&path).unwrap();
    ledger.load(&generated(300, 77)).unwrap();
    let terms = |l: &SqliteLedger| -> Vec<(i64, String, String, String)> {
        let c = l.connection();
        let mut stmt = c
            .prepare(
                "SELECT license_id, sub_from, sub_until, terms FROM ledger_license_terms ORDER BY license_id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = terms(&ledger);
    // A row for each license with a subscription term (40 % of the mix), none for the others.
    assert!((60..200).contains(&before.len()), "{}", before.len());
    // The ledger as it was before the migration: no table, migration 2 not applied.
    ledger
        .connection()
        .execute_batch("DROP TABLE ledger_license_terms; DELETE FROM ledger_migrations WHERE version = 2")
        .unwrap();
    drop(ledger);
    let ledger = SqliteLedger::open(&path).unwrap();
    assert_eq!(terms(&ledger), before);
    assert!(narrowed_equals_full(&ledger, &spread_days()) > 100);
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn postgres_migration_backfills_the_terms_of_a_ledger_recorded_before_it() {
    let schema = Schema::create(&database_url());
    let ledger = schema.ledger(1);
    ledger.load(&generated(300, 78)).unwrap();
    let sql = "SELECT license_id, sub_from::text, sub_until::text, terms FROM ledger_license_terms ORDER BY license_id";
    let terms = || -> Vec<(i64, String, String, String)> {
        schema
            .client()
            .query(sql, &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect()
    };
    let before = terms();
    // A row for each license with a subscription term (40 % of the mix), none for the others.
    assert!((60..200).contains(&before.len()), "{}", before.len());
    schema
        .client()
        .batch_execute("DROP TABLE ledger_license_terms; DELETE FROM ledger_migrations WHERE version = 4")
        .unwrap();
    drop(ledger);
    let ledger = schema.ledger(1);
    assert_eq!(terms(), before);
    assert!(narrowed_equals_full(&ledger, &spread_days()) > 100);
}
