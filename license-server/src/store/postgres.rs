//! The PostgreSQL store, shared by several server instances. Every change is one
//! transaction: lock the pool row (`SELECT ... FOR UPDATE`), load the leases, apply the
//! book's rules, write the changes, commit. The lock serializes changes across instances,
//! so the limit holds whichever instance a client talks to. Each change reads every live
//! lease: fine for hundreds of seats, not a design for 20,000 heartbeats per second (use
//! the SQLite store of one instance for that).

use std::str::FromStr;

use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::UsageSeries;
use crate::book::{
    AUDIT_MAX_ROWS, AuditEvent, AuditKind, Change, LeaseBook, LeaseId, LeaseRecord, MINUTE_MS, Op, Policy,
    Reply, Snapshot,
};
use crate::error::Error;

/// The embedded migrations, numbered.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_init.sql"),
    include_str!("../../migrations/postgres/0002_audit_aggregate.sql"),
];
/// Any fixed number: the advisory lock migrating instances take.
const MIGRATION_LOCK: i64 = 0x6c69_6365_6e73_6531;

pub(super) struct PgStore {
    pool: Pool,
    policy: Policy,
}

fn pool_error(e: impl std::fmt::Display) -> Error {
    Error::Store(e.to_string())
}

impl PgStore {
    pub async fn connect(url: &str, policy: Policy) -> Result<PgStore, Error> {
        let config =
            tokio_postgres::Config::from_str(url).map_err(|e| Error::Config(format!("database URL: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager).max_size(8).build().map_err(pool_error)?;
        let store = PgStore { pool, policy };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), Error> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS license_server_migrations (version INTEGER PRIMARY KEY)",
        )
        .await?;
        let done: i32 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM license_server_migrations",
                &[],
            )
            .await?
            .get(0);
        let done = usize::try_from(done).unwrap_or(0);
        if done > MIGRATIONS.len() {
            return Err(Error::Store(format!(
                "the database has schema version {done}, newer than this server knows; run the newer server"
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            tx.batch_execute(sql).await?;
            let v = i32::try_from(i + 1).unwrap_or(i32::MAX);
            tx.execute(
                "INSERT INTO license_server_migrations (version) VALUES ($1)",
                &[&v],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn leases(client: &impl GenericClient) -> Result<Vec<LeaseRecord>, Error> {
        let rows = client
            .query(
                "SELECT holder, user_name, machine, lease_id, granted_ms, expires_ms, ttl_ms, borrowed FROM leases",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let id: Vec<u8> = r.get(3);
                LeaseRecord {
                    holder: r.get(0),
                    user: r.get(1),
                    machine: r.get(2),
                    lease_id: LeaseId(id.try_into().unwrap_or([0; 16])),
                    granted_ms: r.get(4),
                    expires_ms: r.get(5),
                    ttl_ms: r.get(6),
                    borrowed: r.get(7),
                }
            })
            .collect())
    }

    pub async fn apply(
        &self,
        limit: Option<u32>,
        op: Op,
        now_ms: i64,
        fresh: LeaseId,
    ) -> Result<Reply, Error> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await?;
        let peak: i64 = tx
            .query_one("SELECT peak FROM pool WHERE id = 1 FOR UPDATE", &[])
            .await?
            .get(0);
        let leases = Self::leases(&tx).await?;
        let mut book = LeaseBook::new(
            limit,
            self.policy,
            leases,
            u32::try_from(peak).unwrap_or(u32::MAX),
        );
        let (reply, changes) = book.apply(op, now_ms, || fresh);
        for change in &changes {
            write(&tx, change).await?;
        }
        tx.commit().await?;
        Ok(reply)
    }

    pub async fn write(&self, changes: Vec<Change>) -> Result<(), Error> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await?;
        for change in &changes {
            write(&tx, change).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn snapshot(&self, limit: Option<u32>, now_ms: i64) -> Result<Snapshot, Error> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let peak: i64 = client
            .query_one("SELECT peak FROM pool WHERE id = 1", &[])
            .await?
            .get(0);
        let leases = Self::leases(&client).await?;
        let book = LeaseBook::new(
            limit,
            self.policy,
            leases,
            u32::try_from(peak).unwrap_or(u32::MAX),
        );
        Ok(book.snapshot(now_ms))
    }

    pub async fn audit(&self, max: u32) -> Result<Vec<AuditEvent>, Error> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let rows = client
            .query(
                "SELECT at_ms, kind, holder, user_name, machine, detail, count FROM audit ORDER BY id DESC LIMIT $1",
                &[&i64::from(max)],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| AuditEvent {
                at_ms: r.get(0),
                kind: r.get(1),
                holder: r.get(2),
                user: r.get(3),
                machine: r.get(4),
                detail: r.get(5),
                count: u64::try_from(r.get::<_, i64>(6)).unwrap_or(1),
            })
            .collect())
    }

    pub async fn usage(&self, since_ms: i64) -> Result<(u32, UsageSeries), Error> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let before = client
            .query_opt(
                "SELECT in_use FROM usage WHERE minute_ms < $1 ORDER BY minute_ms DESC LIMIT 1",
                &[&since_ms],
            )
            .await?
            .map_or(0, |r| r.get::<_, i64>(0));
        let rows = client
            .query(
                "SELECT minute_ms, in_use FROM usage WHERE minute_ms >= $1 ORDER BY minute_ms",
                &[&since_ms],
            )
            .await?;
        let to_u32 = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        Ok((
            to_u32(before),
            rows.iter().map(|r| (r.get(0), to_u32(r.get(1)))).collect(),
        ))
    }
}

async fn write(tx: &tokio_postgres::Transaction<'_>, change: &Change) -> Result<(), Error> {
    match change {
        Change::Put(l) => {
            tx.execute(
                "INSERT INTO leases (holder, user_name, machine, lease_id, granted_ms, expires_ms, ttl_ms, borrowed)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (holder) DO UPDATE SET user_name = EXCLUDED.user_name, machine = EXCLUDED.machine,
                   lease_id = EXCLUDED.lease_id, granted_ms = EXCLUDED.granted_ms, expires_ms = EXCLUDED.expires_ms,
                   ttl_ms = EXCLUDED.ttl_ms, borrowed = EXCLUDED.borrowed",
                &[
                    &l.holder,
                    &l.user,
                    &l.machine,
                    &&l.lease_id.0[..],
                    &l.granted_ms,
                    &l.expires_ms,
                    &l.ttl_ms,
                    &l.borrowed,
                ],
            )
            .await?;
        }
        Change::Touch { holder, expires_ms } => {
            tx.execute(
                "UPDATE leases SET expires_ms = $2 WHERE holder = $1",
                &[holder, expires_ms],
            )
            .await?;
        }
        Change::Delete { holder } => {
            tx.execute("DELETE FROM leases WHERE holder = $1", &[holder])
                .await?;
        }
        Change::Audit(e) if e.kind == AuditKind::Refuse.as_str() => {
            // One row per holder, reason and minute, counted.
            let minute = e.at_ms - e.at_ms.rem_euclid(MINUTE_MS);
            tx.execute(
                "INSERT INTO audit (at_ms, kind, holder, user_name, machine, detail, minute_ms, count)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
                 ON CONFLICT (kind, holder, detail, minute_ms) DO UPDATE SET count = audit.count + 1, at_ms = EXCLUDED.at_ms",
                &[&e.at_ms, &e.kind, &e.holder, &e.user, &e.machine, &e.detail, &minute],
            )
            .await?;
        }
        Change::Audit(e) => {
            tx.execute(
                "INSERT INTO audit (at_ms, kind, holder, user_name, machine, detail) VALUES ($1, $2, $3, $4, $5, $6)",
                &[&e.at_ms, &e.kind, &e.holder, &e.user, &e.machine, &e.detail],
            )
            .await?;
        }
        Change::Peak(p) => {
            tx.execute(
                "UPDATE pool SET peak = GREATEST(peak, $1) WHERE id = 1",
                &[&i64::from(*p)],
            )
            .await?;
        }
        Change::Sample { minute_ms, in_use } => {
            tx.execute(
                "INSERT INTO usage (minute_ms, in_use) VALUES ($1, $2)
                 ON CONFLICT (minute_ms) DO UPDATE SET in_use = GREATEST(usage.in_use, EXCLUDED.in_use)",
                &[minute_ms, &i64::from(*in_use)],
            )
            .await?;
        }
        Change::Prune {
            audit_before_ms,
            usage_before_ms,
        } => {
            tx.execute("DELETE FROM audit WHERE at_ms < $1", &[audit_before_ms])
                .await?;
            tx.execute(
                "DELETE FROM audit WHERE id <= (SELECT max(id) FROM audit) - $1",
                &[&AUDIT_MAX_ROWS],
            )
            .await?;
            tx.execute(
                "DELETE FROM usage WHERE minute_ms < (SELECT max(minute_ms) FROM usage WHERE minute_ms < $1)",
                &[usage_before_ms],
            )
            .await?;
        }
    }
    Ok(())
}
