//! The SQLite ledger: the same test bodies as the PostgreSQL ledger
//! (`tests/common/suite.rs`), each test on a file of its own; a second "instance" is a
//! second connection to the same file.

mod common;

use common::suite::{self, SuiteLedger};
use license_issue::*;

impl SuiteLedger for SqliteLedger {
    fn issued_totals(&self, month: Month) -> Vec<KindTotals> {
        SqliteLedger::issued_totals(self, month).unwrap()
    }

    fn sql_counts(&self) -> (i64, i64, i64) {
        self.connection()
            .query_row(
                "SELECT count(*), count(DISTINCT order_key),
                        (SELECT count(*) FROM (SELECT DISTINCT license_id, revision FROM ledger_records))
                   FROM ledger_records",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    }

    fn outbox_rows(&self) -> Vec<(String, String, String)> {
        let c = self.connection();
        let mut stmt = c
            .prepare("SELECT event_id, kind, payload FROM ledger_outbox ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

/// A fresh file; `open(n)` is a new connection to it (`n` is for pooled ledgers).
fn file() -> (tempfile::TempDir, impl Fn(u32) -> SqliteLedger) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    (dir, move |_| SqliteLedger::open(&path).unwrap())
}

#[test]
fn two_instances_issue_concurrently_without_duplicate_or_lost_revisions() {
    let (_dir, open) = file();
    suite::two_instances_issue_concurrently_without_duplicate_or_lost_revisions(open);
}

#[test]
fn the_ledger_round_trips_records_and_answers_reports_with_sql() {
    let (_dir, open) = file();
    suite::the_ledger_round_trips_records_and_answers_reports_with_sql(open);
}

#[test]
fn concurrent_redeemers_of_one_ticket_get_one_license() {
    let (_dir, open) = file();
    suite::concurrent_redeemers_of_one_ticket_get_one_license(open);
}

#[test]
fn outbox_rows_commit_with_their_records() {
    let (_dir, open) = file();
    suite::outbox_rows_commit_with_their_records(open);
}

#[test]
fn active_on_a_day_from_the_index_is_the_report_of_all_records() {
    let (_dir, open) = file();
    suite::active_on_a_day_from_the_index_is_the_report_of_all_records(open);
}

/// The memory ledger's default `records_active_on` answers the same.
#[test]
fn active_on_a_day_from_the_default_method_is_the_report_of_all_records() {
    let (_dir, open) = file();
    let ledger = open(1);
    suite::active_on_a_day_from_the_index_is_the_report_of_all_records(|_| ledger.clone());
    let all = ledger.records().unwrap();
    let mut mem = MemoryLedger::new();
    for r in &all {
        mem.append(r).unwrap();
    }
    for offset in (0..900).step_by(31) {
        let day = suite::d(2025, 12, 20).saturating_add_days(offset);
        let a = LicenseHistory::all(&mem.records_active_on(day).unwrap());
        let b = LicenseHistory::all(&ledger.records_active_on(day).unwrap());
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{day}"
        );
    }
}

/// The query plan of "active on a day" and "issued in a month" uses the indexes.
#[test]
fn the_report_queries_use_their_indexes() {
    let (_dir, open) = file();
    let l = open(1);
    let c = l.connection();
    let plan = |sql: &str| -> String {
        let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .join("; ")
    };
    let active = plan(
        "SELECT license_id FROM ledger_records WHERE has_code AND kind = 'subscription'
           AND valid_from <= '2026-01-01' AND expires > '2026-01-01'",
    );
    assert!(active.contains("ledger_records_term"), "{active}");
    let month = plan(
        "SELECT license_id FROM ledger_records WHERE has_code AND kind = 'subscription'
           AND valid_from < '2026-02-01' AND expires > '2026-01-01'",
    );
    assert!(month.contains("ledger_records_term"), "{month}");
    let issued = plan(
        "SELECT kind, count(*) FROM ledger_records WHERE has_code AND recorded >= '2026-01-01'
           AND recorded < '2026-02-01' GROUP BY kind",
    );
    assert!(
        issued.contains("ledger_records_issued") || issued.contains("ledger_records_recorded"),
        "{issued}"
    );
}
