//! Errors of the ledger: a damaged or torn file, its database, a concurrent writer: the `Ledger` part of [`crate::Error`].

use std::fmt;
use std::path::PathBuf;

use crate::error::class::ErrorClass;

/// Why the ledger: a damaged or torn file, its database, a concurrent writer could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// A complete ledger record that is damaged: not a crash, the file was altered.
    #[error("the ledger {} is corrupt at line {line} ({reason}): restore it from a backup; nothing was changed", .path.display())]
    LedgerCorrupt {
        /// The ledger file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The last ledger record is incomplete (a crash while writing it).
    #[error("{0}: repair the ledger to set it aside, then re-issue that operation")]
    LedgerTorn(TornRecord),
    /// A ledger record (or other JSON the library writes) that cannot be encoded.
    #[error("cannot encode a ledger record ({0}): report this as a bug; nothing was recorded")]
    LedgerEncode(#[source] serde_json::Error),
    /// The ledger's database (or other storage behind a [`crate::Ledger`]) failed.
    #[error(
        "the ledger's database failed ({0}): check that it is reachable and retry; an order that failed was not recorded"
    )]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Another writer recorded for this license between reading it and writing: the
    /// operation was not recorded (the issuer retries it on a fresh read).
    #[error("license {license_id} was changed by another order at the same time: retry the order")]
    Conflict {
        /// The license (for a new license: the id it would have had).
        license_id: u32,
    },
    /// An idempotency key used again for a different order.
    #[error("the order key '{key}' was already used for a different order: use a new key for a new order")]
    OrderKeyReused {
        /// The key.
        key: String,
    },
    /// A product has used every revocation-list sequence number (2^64 - 1 lists).
    #[error(
        "the revocation-list sequence numbers of this product are exhausted: sign lists for a new product id"
    )]
    SequenceExhausted,
    /// This ledger cannot commit outbox rows with its records (the file ledger: a second
    /// file is not written in the same step as a ledger line, so a crash between the two
    /// would lose or invent an event).
    #[error(
        "the {ledger} ledger keeps no outbox: use the SQLite or PostgreSQL ledger for e-mail and webhook events; nothing was recorded"
    )]
    OutboxUnsupported {
        /// The kind of ledger (`file`; `this` for a ledger that does not say).
        ledger: &'static str,
    },
}

impl LedgerError {
    /// A stable name for the kind of error: the variant's name in snake case.
    pub fn kind_name(&self) -> &'static str {
        match self {
            LedgerError::LedgerCorrupt { .. } => "ledger_corrupt",
            LedgerError::LedgerTorn(_) => "ledger_torn",
            LedgerError::LedgerEncode(_) => "ledger_encode",
            LedgerError::Backend(_) => "backend",
            LedgerError::Conflict { .. } => "conflict",
            LedgerError::OrderKeyReused { .. } => "order_key_reused",
            LedgerError::SequenceExhausted => "sequence_exhausted",
            LedgerError::OutboxUnsupported { .. } => "outbox_unsupported",
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            LedgerError::LedgerCorrupt { .. }
            | LedgerError::LedgerTorn(_)
            | LedgerError::LedgerEncode(_)
            | LedgerError::Backend(_) => ErrorClass::Data,
            LedgerError::Conflict { .. } => ErrorClass::Retry,
            LedgerError::OrderKeyReused { .. }
            | LedgerError::SequenceExhausted
            | LedgerError::OutboxUnsupported { .. } => ErrorClass::Usage,
        }
    }
}

/// The incomplete last line of a ledger after a crash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TornRecord {
    /// The ledger file.
    pub path: PathBuf,
    /// The torn line's 1-based number.
    pub line: usize,
    /// Byte offset at which it starts (the length of the intact part).
    pub offset: u64,
    /// Its length in bytes.
    pub bytes: usize,
    /// The start of what was lost (printable characters only).
    pub preview: String,
    /// How many complete records precede it (all of them loaded).
    pub complete_records: usize,
}

impl fmt::Display for TornRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the ledger {} ends with an incomplete record at line {} ({} bytes; lost: {}), probably from a crash while writing; the {} complete records before it are intact",
            self.path.display(),
            self.line,
            self.bytes,
            self.preview,
            self.complete_records
        )
    }
}
