//! PostgreSQL: a pool of the sync client (the same crates as license-issue's `PgLedger`),
//! for several instances sharing one database.

use std::time::Duration;

use r2d2_postgres::PostgresConnectionManager;
use r2d2_postgres::postgres::error::SqlState;
use r2d2_postgres::postgres::types::{ToSql, Type};
use r2d2_postgres::postgres::{self, NoTls};

use super::{Db, Row, Tx, Val};
use crate::error::StoreError;

/// The embedded migrations, in order.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_accounts.sql"),
    include_str!("../../migrations/postgres/0002_user_language.sql"),
    include_str!("../../migrations/postgres/0003_reseller_keys.sql"),
    include_str!("../../migrations/postgres/0004_audit_action.sql"),
    include_str!("../../migrations/postgres/0005_unicode_lower.sql"),
];

/// An arbitrary key for the advisory lock the migrations run under.
const MIGRATION_LOCK: i64 = 0x6c6b_7376_6331;

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

/// The PostgreSQL database.
pub struct PgDb {
    pool: Pool,
}

fn err(e: postgres::Error) -> StoreError {
    match e.code() {
        Some(c) if *c == SqlState::UNIQUE_VIOLATION => StoreError::Duplicate(e.to_string()),
        Some(c)
            if *c == SqlState::CHARACTER_NOT_IN_REPERTOIRE || *c == SqlState::UNTRANSLATABLE_CHARACTER =>
        {
            StoreError::BadText(e.to_string())
        }
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED => {
            StoreError::Conflict(e.to_string())
        }
        _ => StoreError::Backend(e.to_string()),
    }
}

fn params(vals: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    vals.iter()
        .map(|v| -> &(dyn ToSql + Sync) {
            match v {
                Val::Null => &Option::<i64>::None,
                Val::Int(i) => i,
                Val::Text(t) => t,
                Val::Blob(b) => b,
            }
        })
        .collect()
}

fn column(row: &postgres::Row, i: usize) -> Result<Val, postgres::Error> {
    let ty = row.columns()[i].type_().clone();
    Ok(if ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)?.map_or(Val::Null, Val::Int)
    } else if ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(i)?
            .map_or(Val::Null, |v| Val::Int(v.into()))
    } else if ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(i)?
            .map_or(Val::Null, |v| Val::Int(v.into()))
    } else if ty == Type::BYTEA {
        row.try_get::<_, Option<Vec<u8>>>(i)?.map_or(Val::Null, Val::Blob)
    } else {
        row.try_get::<_, Option<String>>(i)?.map_or(Val::Null, Val::Text)
    })
}

struct PgTx<'a, 'b>(&'a mut postgres::Transaction<'b>);

impl Tx for PgTx<'_, '_> {
    fn exec(&mut self, sql: &str, p: &[Val]) -> Result<u64, StoreError> {
        self.0.execute(sql, &params(p)).map_err(err)
    }

    fn query(&mut self, sql: &str, p: &[Val]) -> Result<Vec<Row>, StoreError> {
        let rows = self.0.query(sql, &params(p)).map_err(err)?;
        rows.iter()
            .map(|r| (0..r.len()).map(|i| column(r, i)).collect::<Result<Row, _>>())
            .collect::<Result<Vec<Row>, _>>()
            .map_err(err)
    }
}

impl PgDb {
    /// Connect with `config` (a pool of `connections`) and apply the migrations.
    pub fn open(config: postgres::Config, connections: u32) -> Result<PgDb, StoreError> {
        let pool = r2d2::Pool::builder()
            .max_size(connections.max(1))
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(10))
            .build(PostgresConnectionManager::new(config, NoTls))
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let db = PgDb { pool };
        db.migrate()?;
        Ok(db)
    }

    /// Connect with a URL (`postgres://user:password@host:port/database`).
    pub fn connect(url: &str, connections: u32) -> Result<PgDb, StoreError> {
        let config: postgres::Config = url.parse().map_err(err)?;
        PgDb::open(config, connections)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let mut c = self.pool.get().map_err(|e| StoreError::Backend(e.to_string()))?;
        let mut t = c.transaction().map_err(err)?;
        t.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(err)?;
        t.batch_execute(
            "CREATE TABLE IF NOT EXISTS svc_schema_version (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)",
        )
        .map_err(err)?;
        let done: i64 = t
            .query_one("SELECT COALESCE(MAX(version), 0) FROM svc_schema_version", &[])
            .map_err(err)?
            .get(0);
        for (i, sql) in MIGRATIONS.iter().enumerate() {
            let version = i as i64 + 1;
            if version > done {
                t.batch_execute(sql).map_err(err)?;
                t.execute(
                    "INSERT INTO svc_schema_version (version, applied_ms) VALUES ($1, $2)",
                    &[&version, &crate::clock::now_ms()],
                )
                .map_err(err)?;
            }
        }
        t.commit().map_err(err)
    }
}

impl Db for PgDb {
    fn tx(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let mut c = self.pool.get().map_err(|e| StoreError::Backend(e.to_string()))?;
        let mut t = c.transaction().map_err(err)?;
        f(&mut PgTx(&mut t))?;
        t.commit().map_err(err)
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }
}
