//! The ledger: every code the vendor (or a reseller) signed, as append-only records, and
//! the history of each license read back from them.
//!
//! - `store`: the `Ledger` trait, its records and operations, and the in-memory ledger;
//! - `file`: the file ledger (checksummed JSON lines, a lock, torn-line recovery);
//! - `postgres`: the PostgreSQL ledger for several issuing instances;
//! - `sqlite`: the SQLite ledger (feature `sqlite`) for one backend instance;
//! - `outbox`: a ledger that writes outbox rows with every batch (`WithOutbox`);
//! - `history`: a license's revisions, its code in force and its scheduled changes;
//! - `terms`: a license's terms in brief (what "active on a day" reads), kept per license
//!   by the SQL ledgers.
//!
//! May use: `error`, `catalog` (for report totals) and `license-core`.

pub(crate) mod error;
pub(crate) mod file;
pub(crate) mod history;
pub(crate) mod outbox;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
pub(crate) mod record;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;
pub(crate) mod store;
pub(crate) mod terms;
