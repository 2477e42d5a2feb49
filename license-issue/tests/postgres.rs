//! The PostgreSQL ledger against a real PostgreSQL (`LICENSE_TEST_PG`), each test in a
//! schema of its own. The test bodies are shared with the SQLite ledger
//! (`tests/common/suite.rs`).

mod common;

use common::suite::{self, SuiteLedger};
use common::{Schema, database_url};
use license_issue::LedgerError;
use license_issue::*;

impl SuiteLedger for PgLedger {
    fn issued_totals(&self, month: Month) -> Vec<KindTotals> {
        PgLedger::issued_totals(self, month).unwrap()
    }

    fn sql_counts(&self) -> (i64, i64, i64) {
        let row = self
            .connection()
            .unwrap()
            .query_one(
                "SELECT count(*), count(DISTINCT order_key), count(DISTINCT (license_id, revision)) FROM ledger_records",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    }

    fn outbox_rows(&self) -> Vec<(String, String, String)> {
        self.connection()
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
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn two_instances_issue_concurrently_without_duplicate_or_lost_revisions() {
    let schema = Schema::create(&database_url());
    suite::two_instances_issue_concurrently_without_duplicate_or_lost_revisions(|n| schema.ledger(n));
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn the_ledger_round_trips_records_and_answers_reports_with_sql() {
    let schema = Schema::create(&database_url());
    suite::the_ledger_round_trips_records_and_answers_reports_with_sql(|n| schema.ledger(n));
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn concurrent_redeemers_of_one_ticket_get_one_license() {
    let schema = Schema::create(&database_url());
    suite::concurrent_redeemers_of_one_ticket_get_one_license(|n| schema.ledger(n));
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn outbox_rows_commit_with_their_records() {
    let schema = Schema::create(&database_url());
    suite::outbox_rows_commit_with_their_records(|n| schema.ledger(n));
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn active_on_a_day_from_the_index_is_the_report_of_all_records() {
    let schema = Schema::create(&database_url());
    suite::active_on_a_day_from_the_index_is_the_report_of_all_records(|n| schema.ledger(n));
}

/// A ledger made before the outbox (migrations 1 and 2 only, with records) gets the
/// outbox and the term columns filled from its records when opened.
#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn migration_3_fills_the_terms_of_existing_records() {
    let schema = Schema::create(&database_url());
    let mut old = schema.client();
    old.batch_execute("CREATE TABLE ledger_migrations (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())")
        .unwrap();
    for (v, sql) in &MIGRATIONS[..2] {
        old.batch_execute(sql).unwrap();
        old.execute("INSERT INTO ledger_migrations (version) VALUES ($1)", &[v])
            .unwrap();
    }
    // Records written as version 2 wrote them (no term columns), from a memory issuer.
    let mut mem = suite::issuer(MemoryLedger::new());
    mem.place(None, &suite::new_license("Old Corp"), suite::d(2026, 3, 1))
        .unwrap();
    for (i, r) in mem.ledger().records().unwrap().iter().enumerate() {
        old.execute(
            "INSERT INTO ledger_records (license_id, seq, recorded, operation, product, licensee, kind, revision, has_code, batch_index, record)
             VALUES ($1, $2, $3::text::date, $4, $5, $6, $7, 1, true, 0, $8)",
            &[
                &i64::from(r.license.license_id),
                &(i as i32),
                &r.recorded.to_string(),
                &r.operation.name(),
                &r.product,
                &r.licensee,
                &r.license.kind.name(),
                &serde_json::to_string(r).unwrap(),
            ],
        )
        .unwrap();
    }
    let ledger = schema.ledger(1);
    let active = ledger.records_active_on(suite::d(2026, 6, 1)).unwrap();
    assert_eq!(active, mem.ledger().records().unwrap());
    assert!(ledger.records_active_on(suite::d(2026, 2, 1)).unwrap().is_empty());
}

#[test]
fn a_database_that_is_gone_is_a_backend_error() {
    // Nothing listens on port 9 of the loopback.
    let config: license_issue::postgres::Config = "postgres://license:license@127.0.0.1:9/license_test"
        .parse()
        .unwrap();
    match PgLedger::open_with_timeout(config, 1, std::time::Duration::from_millis(300)) {
        Err(e @ Error::Ledger(LedgerError::Backend(_))) => {
            assert_eq!(e.class(), ErrorClass::Data);
            assert!(e.to_string().contains("the ledger's database failed"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

/// PostgreSQL's plan for "active on a day" and "issued in a month" uses their indexes
/// (sequential scans off, so the small test table does not hide a missing index).
#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn the_report_queries_use_their_indexes() {
    let schema = Schema::create(&database_url());
    let ledger = schema.ledger(1);
    let mut c = ledger.connection().unwrap();
    c.batch_execute("SET enable_seqscan = off").unwrap();
    let plan = |c: &mut license_issue::postgres::Client, sql: &str| -> String {
        c.query(&format!("EXPLAIN {sql}"), &[])
            .unwrap()
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let active = plan(
        &mut c,
        "SELECT license_id FROM ledger_records WHERE has_code AND kind = 'subscription'
           AND valid_from <= '2026-01-01' AND expires > '2026-01-01'",
    );
    assert!(active.contains("ledger_records_term"), "{active}");
    // records_in_term (pro rata): the terms overlapping a month.
    let month = plan(
        &mut c,
        "SELECT license_id FROM ledger_records WHERE has_code AND kind = 'subscription'
           AND valid_from < '2026-02-01' AND expires > '2026-01-01'",
    );
    assert!(month.contains("ledger_records_term"), "{month}");
    let issued = plan(
        &mut c,
        "SELECT kind, count(*) FROM ledger_records WHERE has_code AND recorded >= '2026-01-01'
           AND recorded < '2026-02-01' GROUP BY kind",
    );
    assert!(issued.contains("ledger_records_issued"), "{issued}");
    // license_terms_active_on: the licenses whose subscription span holds the day.
    let terms = plan(
        &mut c,
        "SELECT terms FROM ledger_license_terms
          WHERE sub_until > '2026-01-01'::text::date AND sub_from <= '2026-01-01'::text::date",
    );
    assert!(terms.contains("ledger_license_terms_span"), "{terms}");
}
