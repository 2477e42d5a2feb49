//! The generated ledger of the scale bench (`tests/scale/generate.rs`), small: its records
//! load through the ledgers' bulk path (`PgLedger::load`, `SqliteLedger::load`) and read
//! back unchanged, and the reports read with indexed SQL equal the reports computed from
//! every record.

mod common;

#[path = "scale/generate.rs"]
mod generate;

use std::time::Duration;

use common::{Schema, database_url};
use generate::{TODAY, catalogs, generate};
use license_core::Kind;
use license_issue::*;

const LICENSES: u32 = 2_000;

/// Generate into `ledger` with `load`; returns the records generated, in order.
fn fill(load: impl Fn(&[Record]) -> u64) -> Vec<Record> {
    let mut all = Vec::new();
    let made = generate(LICENSES, 21, Duration::from_secs(600), |records| {
        assert_eq!(load(&records), records.len() as u64);
        all.extend(records);
        Ok(())
    })
    .unwrap();
    assert!(made.complete);
    assert_eq!(made.licenses, LICENSES);
    assert_eq!(made.records, all.len() as u64);
    // The rules refuse few of the operations drawn.
    assert!(made.refused * 20 < made.records, "{made:?}");
    all
}

/// The mix has every kind, renewals, upgrades, reductions, cancellations, revocations,
/// maintenance packs and resellers.
fn check_mix(records: &[Record]) {
    for kind in Kind::ALL {
        assert!(records.iter().any(|r| r.license.kind == kind), "{kind:?}");
    }
    for op in [
        Operation::Issue,
        Operation::Upgrade,
        Operation::Reduce,
        Operation::Renew,
        Operation::Cancel,
        Operation::Revoke,
        Operation::Maintenance,
    ] {
        assert!(records.iter().any(|r| r.operation == op), "{op:?}");
    }
    assert!(records.iter().any(|r| r.reseller.is_some()));
    assert!(records.iter().any(|r| r.product == "demo-erp-hosted"));
    let first = records.iter().map(|r| r.recorded).min().unwrap();
    assert!(TODAY.days_since(first) > 4 * 365, "{first}");
}

/// Every report of `ledger` read with its indexed queries equals the report of all records.
fn reports_match(ledger: &impl Ledger, generated: &[Record], totals: impl Fn(Month) -> Vec<KindTotals>) {
    let all = ledger.records().unwrap();
    assert_eq!(all.len(), generated.len());
    // Read back: the same records, each license's in order.
    let by_license = |rs: &[Record]| {
        let mut v: Vec<(u32, Record)> = rs.iter().map(|r| (r.license.license_id, r.clone())).collect();
        v.sort_by_key(|(id, _)| *id);
        v
    };
    assert_eq!(by_license(&all), by_license(generated));
    let histories = LicenseHistory::all(&all);
    let cat = catalogs();
    let mut active_seen = 0;
    let mut issued_seen = 0;
    for back in (0..60).step_by(7) {
        let month = Month::of(TODAY.saturating_add_days(-30 * back));
        let (from, to) = month.bounds().unwrap();
        let indexed = issued_in_month(&ledger.records_recorded(from, to).unwrap(), &cat, month).unwrap();
        let expected = issued_in_month(&all, &cat, month).unwrap();
        assert_eq!(indexed, expected, "{month}");
        assert_eq!(totals(month), expected.totals, "{month}");
        issued_seen += expected.codes.len();
        let day = from.saturating_add_days(11);
        let picked = LicenseHistory::all(&ledger.records_active_on(day).unwrap());
        let expected = active_subscriptions(&histories, &cat, day);
        assert_eq!(active_subscriptions(&picked, &cat, day), expected, "{day}");
        let terms = ledger.license_terms_active_on(day).unwrap();
        assert_eq!(active_on(&terms, &cat, day), expected, "{day}");
        active_seen += expected.len();
        let picked = LicenseHistory::all(&ledger.records_in_term(from, to).unwrap());
        let expected = pro_rata(&histories, &cat, month, None).unwrap();
        assert_eq!(pro_rata(&picked, &cat, month, None).unwrap(), expected, "{month}");
        for reseller in ["Contoso", "Wingtip"] {
            let expected = pro_rata(&histories, &cat, month, Some(reseller)).unwrap();
            assert_eq!(
                pro_rata(&picked, &cat, month, Some(reseller)).unwrap(),
                expected,
                "{month}"
            );
        }
    }
    assert!(
        issued_seen > 200 && active_seen > 200,
        "{issued_seen} {active_seen}"
    );
}

#[test]
fn a_generated_ledger_loads_into_sqlite_and_its_indexed_reports_equal_the_full_ones() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = SqliteLedger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let generated = fill(|r| ledger.load(r).unwrap());
    check_mix(&generated);
    reports_match(&ledger, &generated, |m| ledger.issued_totals(m).unwrap());
    // Loading a license already there loads nothing.
    let before = ledger.records().unwrap().len();
    let again = ledger.load(&generated[..3]);
    assert!(
        matches!(again, Err(Error::Ledger(LedgerError::Conflict { .. }))),
        "{again:?}"
    );
    assert_eq!(ledger.records().unwrap().len(), before);
    // New licenses continue above the loaded ones.
    let last = generated.iter().map(|r| r.license.license_id).max().unwrap();
    assert_eq!(ledger.new_license_id(1001).unwrap(), last + 1);
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn a_generated_ledger_loads_into_postgres_and_its_indexed_reports_equal_the_full_ones() {
    let schema = Schema::create(&database_url());
    let ledger = schema.ledger(2);
    let generated = fill(|r| ledger.load(r).unwrap());
    reports_match(&ledger, &generated, |m| ledger.issued_totals(m).unwrap());
    let before = ledger.records().unwrap().len();
    let again = ledger.load(&generated[..3]);
    assert!(
        matches!(again, Err(Error::Ledger(LedgerError::Conflict { .. }))),
        "{again:?}"
    );
    assert_eq!(ledger.records().unwrap().len(), before);
    let last = generated.iter().map(|r| r.license.license_id).max().unwrap();
    assert_eq!(ledger.new_license_id(1001).unwrap(), last + 1);
}

/// A text field with the characters `COPY`'s text format escapes loads unchanged.
#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn the_bulk_load_keeps_tabs_newlines_and_backslashes() {
    let schema = Schema::create(&database_url());
    let ledger = schema.ledger(1);
    let mut records = Vec::new();
    generate(1, 5, Duration::from_secs(60), |r| {
        records = r;
        Ok(())
    })
    .unwrap();
    records[0].licensee = "Tab\there\nnew\\line\r\u{e9}".into();
    records[0].note = Some("back\\slash \\N".into());
    ledger.load(&records).unwrap();
    let id = records[0].license.license_id;
    assert_eq!(ledger.records_of(id).unwrap(), records);
}
