//! Attack test (docs/SERVER.md, "What a LAN attacker and a web page can do", finding 5): a
//! flood of refusals does not grow the audit log without bound. 20,000 refused acquisitions
//! from 20 holders over 5 minutes leave one counted entry per holder, reason and minute: the
//! log stays under 1 MB and its counts sum to 20,000. On SQLite, and on PostgreSQL when
//! LICENSE_TEST_PG is set (`has_pg`, from build.rs).

use std::sync::Arc;

use license_server::book::{AuditEvent, GrantProof, Op, Policy, Reply};
use license_server::store::Seats;

const REFUSALS: usize = 20_000;
const HOLDERS: usize = 20;
const START_MS: i64 = 1_800_000_000_000;

fn acquire(holder: &str) -> Op {
    Op::Acquire {
        holder: holder.into(),
        user: "mallory".into(),
        machine: "attacker.lan".into(),
        ttl_ms: Some(3_600_000),
        proof: GrantProof::Unproven,
    }
}

/// Fill the one seat, then refuse `REFUSALS` acquisitions spread over 5 minutes, 500 at a
/// time (so they commit in groups, as under load).
async fn flood(seats: Arc<Seats>) -> Vec<AuditEvent> {
    let r = seats.apply(acquire("ws-0"), START_MS).await.unwrap();
    assert!(matches!(r, Reply::Lease { .. }), "{r:?}");
    for chunk in (0..REFUSALS).collect::<Vec<_>>().chunks(500) {
        let mut tasks = tokio::task::JoinSet::new();
        for &i in chunk {
            let seats = seats.clone();
            let at = START_MS + (i as i64) * 15;
            tasks.spawn(async move { seats.apply(acquire(&format!("h-{}", i % HOLDERS)), at).await });
        }
        while let Some(r) = tasks.join_next().await {
            assert!(matches!(r.unwrap().unwrap(), Reply::Refused(_)));
        }
    }
    seats.audit(license_server::http::MAX_AUDIT_PAGE).await.unwrap()
}

fn check(audit: &[AuditEvent]) {
    let refusals: Vec<&AuditEvent> = audit.iter().filter(|e| e.kind == "refuse").collect();
    let total: u64 = refusals.iter().map(|e| e.count).sum();
    assert_eq!(total, REFUSALS as u64, "the counts sum to every refusal");
    // 20 holders over 5 minutes (6 minute boundaries at most), one reason.
    assert!(refusals.len() <= HOLDERS * 6, "{} entries", refusals.len());
    assert!(
        refusals
            .iter()
            .all(|e| e.count >= 1 && e.detail.contains("licensed seats"))
    );
    let bytes: usize = audit
        .iter()
        .map(|e| e.kind.len() + e.holder.len() + e.user.len() + e.machine.len() + e.detail.len() + 32)
        .sum();
    assert!(bytes < 1_000_000, "{bytes} bytes of audit entries");
}

#[test]
fn twenty_thousand_refusals_on_sqlite_stay_under_a_megabyte_and_are_all_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seats.sqlite3");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let audit = rt.block_on(async {
        let seats = Arc::new(Seats::open_sqlite(&path, Some(1), Policy::default()).unwrap());
        flood(seats).await
    });
    check(&audit);
    // The database file itself, after a checkpoint, is under 1 MB too.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    let size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    assert!(pages * size < 1_000_000, "{} bytes", pages * size);
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn twenty_thousand_refusals_on_postgres_stay_under_a_megabyte_and_are_all_counted() {
    let url = std::env::var("LICENSE_TEST_PG").expect("LICENSE_TEST_PG");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let schema = format!("t_{}_{nanos}_audit", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .await
            .unwrap();
        let sep = if url.contains('?') { '&' } else { '?' };
        let scoped = format!("{url}{sep}options=-csearch_path%3D{schema}");
        let seats = Arc::new(
            Seats::open_postgres(&scoped, Some(1), Policy::default())
                .await
                .unwrap(),
        );
        let audit = flood(seats).await;
        // Counting a refusal updates its row; PostgreSQL keeps the old row versions until
        // (auto)vacuum reclaims them, at a time of its choosing. What the log keeps is
        // measured after that: VACUUM FULL rewrites the table with its live rows only.
        client
            .batch_execute(&format!("VACUUM FULL {schema}.audit"))
            .await
            .unwrap();
        let size: i64 = client
            .query_one(&format!("SELECT pg_total_relation_size('{schema}.audit')"), &[])
            .await
            .unwrap()
            .get(0);
        client
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .await
            .unwrap();
        check(&audit);
        assert!(size < 1_000_000, "{size} bytes");
    });
}
