//! SQLite: one connection behind a lock (one instance), WAL, `user_version`-free
//! migrations recorded in `svc_schema_version` like PostgreSQL's.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};

use super::{Db, Row, Tx, Val};
use crate::error::StoreError;

/// The embedded migrations, in order.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_accounts.sql"),
    include_str!("../../migrations/sqlite/0002_user_language.sql"),
    include_str!("../../migrations/sqlite/0003_reseller_keys.sql"),
    include_str!("../../migrations/sqlite/0004_audit_action.sql"),
];

/// The SQLite database.
pub struct SqliteDb {
    conn: Mutex<Connection>,
}

fn err(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            StoreError::Duplicate(e.to_string())
        }
        _ => StoreError::Backend(e.to_string()),
    }
}

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Val::Null => ToSqlOutput::Owned(SqlValue::Null),
            Val::Int(i) => ToSqlOutput::Owned(SqlValue::Integer(*i)),
            Val::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Val::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

/// `$n` placeholders as SQLite's `?n`.
fn dialect(sql: &str) -> String {
    sql.replace('$', "?")
}

struct SqliteTx<'a>(&'a rusqlite::Transaction<'a>);

impl Tx for SqliteTx<'_> {
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError> {
        let n = self
            .0
            .execute(&dialect(sql), rusqlite::params_from_iter(params.iter()))
            .map_err(err)?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.0.prepare_cached(&dialect(sql)).map_err(err)?;
        let columns = stmt.column_count();
        let rows = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |row| {
                (0..columns)
                    .map(|i| {
                        Ok(match row.get_ref(i)? {
                            ValueRef::Null => Val::Null,
                            ValueRef::Integer(v) => Val::Int(v),
                            ValueRef::Real(v) => Val::Int(v as i64),
                            ValueRef::Text(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
                            ValueRef::Blob(b) => Val::Blob(b.to_vec()),
                        })
                    })
                    .collect::<rusqlite::Result<Row>>()
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<Vec<Row>>>().map_err(err)
    }
}

impl SqliteDb {
    /// Open (creating) the database file and apply the migrations.
    pub fn open(path: &Path) -> Result<SqliteDb, StoreError> {
        let conn = Connection::open(path).map_err(err)?;
        Self::init(conn)
    }

    /// A database in memory (tests).
    pub fn memory() -> Result<SqliteDb, StoreError> {
        Self::init(Connection::open_in_memory().map_err(err)?)
    }

    fn init(conn: Connection) -> Result<SqliteDb, StoreError> {
        // The searches' unicode_lower (PostgreSQL's comes from migration 0005): SQLite's own
        // lower() folds ASCII only. Rust's to_lowercase, as the search text is lowered.
        conn.create_scalar_function(
            "unicode_lower",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|t| t.to_lowercase())),
        )
        .map_err(err)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;
             CREATE TABLE IF NOT EXISTS svc_schema_version (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL);",
        )
        .map_err(err)?;
        let db = SqliteDb {
            conn: Mutex::new(conn),
        };
        db.tx(&mut |tx| {
            let done = tx.query("SELECT COALESCE(MAX(version), 0) FROM svc_schema_version", &[])?;
            let done = done.first().and_then(|r| r.first()).map_or(0, Val::int);
            for (i, sql) in MIGRATIONS.iter().enumerate() {
                let version = i as i64 + 1;
                if version > done {
                    for stmt in sql.split(';').filter(|s| !s.trim().is_empty()) {
                        tx.exec(stmt, &[])?;
                    }
                    tx.exec(
                        "INSERT INTO svc_schema_version (version, applied_ms) VALUES ($1, $2)",
                        &[Val::Int(version), Val::Int(crate::clock::now_ms())],
                    )?;
                }
            }
            Ok(())
        })?;
        Ok(db)
    }
}

impl Db for SqliteDb {
    fn tx(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let t = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        f(&mut SqliteTx(&t))?;
        t.commit().map_err(err)
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }
}
