//! The SQL the store runs, on SQLite (one instance, embedded) or PostgreSQL (several
//! instances sharing one database): one copy of every query, written with `$1, $2, ...`
//! placeholders (SQLite reads them as `?1, ?2, ...`), over values of four kinds.
//!
//! Both backends apply their embedded migrations (`migrations/<backend>/NNNN_*.sql`) in
//! order, recording each in `svc_schema_version`; PostgreSQL under an advisory lock, so two
//! instances starting at once apply each migration once.

pub mod postgres;
pub mod sqlite;

use crate::error::StoreError;

/// A value bound to a placeholder or read from a column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    /// SQL NULL (read only: the store binds no NULL).
    Null,
    /// A 64-bit integer (`BIGINT`).
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes (`BYTEA` / `BLOB`).
    Blob(Vec<u8>),
}

impl Val {
    /// The integer, or 0 for NULL or another kind.
    pub fn int(&self) -> i64 {
        match self {
            Val::Int(i) => *i,
            _ => 0,
        }
    }

    /// The text, or "" for NULL or another kind.
    pub fn text(&self) -> &str {
        match self {
            Val::Text(t) => t,
            _ => "",
        }
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_owned())
    }
}

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(v)
    }
}

impl From<&[u8]> for Val {
    fn from(v: &[u8]) -> Val {
        Val::Blob(v.to_vec())
    }
}

impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::Int(i64::from(v))
    }
}

/// One row.
pub type Row = Vec<Val>;

/// Statements inside one transaction.
pub trait Tx {
    /// Run a statement; the number of rows it changed.
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64, StoreError>;
    /// Run a query; its rows.
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError>;
}

/// A database: transactions, committed when the closure returns `Ok`.
pub trait Db: Send + Sync {
    /// Run `f` in one transaction (rolled back when it fails).
    fn tx(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), StoreError>) -> Result<(), StoreError>;
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
}
