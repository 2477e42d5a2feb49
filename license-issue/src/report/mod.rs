//! Reports and plain words: the lists the vendor reads (issued in a month, active on a
//! day, pro rata, notices, renewals due), their CSV, and a license's scope described.
//!
//! - `lists`: the reports, each a list of rows of one `ReportRow` type;
//! - `month`: a calendar month, `YYYY-MM`;
//! - `csv`: CSV writing with every cell neutralized against formula injection;
//! - `describe`: a license's scope, binding and status in plain words.
//!
//! May use: `error`, `catalog`, `ledger` and `license-core`.

pub(crate) mod csv;
pub(crate) mod describe;
pub(crate) mod error;
pub(crate) mod lists;
pub(crate) mod month;
