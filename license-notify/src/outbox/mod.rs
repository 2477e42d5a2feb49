//! The outbox as the delivery worker sees it: claim due rows, mark them delivered,
//! reschedule or give up; and the job-run table that makes a job run once per period.
//!
//! - `store`: the `OutboxStore` trait, a claimed row, the retry policy;
//! - `postgres`: on the PostgreSQL ledger's pool (`FOR UPDATE SKIP LOCKED`);
//! - `sqlite`: on the SQLite ledger's connection (one instance).
//!
//! May use: `error`, `event`.

pub(crate) mod postgres;
pub(crate) mod sqlite;
pub(crate) mod store;
