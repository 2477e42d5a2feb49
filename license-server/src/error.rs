//! The server's errors.

use std::path::PathBuf;

/// What went wrong in the server, each saying what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The license code was refused.
    #[error("the license code was refused: {0}")]
    License(#[from] license_verify::Error),
    /// The code is genuine but grants no seats now.
    #[error("the license is {status}: it grants no seats now; enter a valid license code")]
    LicenseNotUsable {
        /// The status in words.
        status: String,
    },
    /// The code names a different seat server key than this server's.
    #[error(
        "the license code is bound to another seat server (its key digest does not match this server's key {key}); send this key to the vendor, who issues a code naming it with `licensectl rehost LICENSE-ID --seat-server {key}`"
    )]
    OtherServer {
        /// This server's public key (64 hex digits; not a secret).
        key: String,
    },
    /// The code names no seat server, and unbound codes are not allowed.
    #[error(
        "the license code names no seat server, so clients cannot check they talk to a licensed server; send this server's key {key} to the vendor, who issues a code naming it with `licensectl issue|upgrade|rehost ... --seat-server {key}`; or start with --allow-unbound-license (clients must then pin this key)"
    )]
    UnboundLicense {
        /// This server's public key (64 hex digits; not a secret).
        key: String,
    },
    /// The code names no concurrent seat count (not limited): a seat server cannot serve it.
    #[error(
        "the license code ({status}) sets no concurrent seat count, so it does not say how many seats to serve; ask the vendor for a code with concurrent seats (`licensectl issue|upgrade ... --seats N`)"
    )]
    NoSeatCount {
        /// The status in words.
        status: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The server key file is unusable.
    #[error("server key {path}: {reason}")]
    Key {
        /// The key file.
        path: PathBuf,
        /// What is wrong and what to do.
        reason: String,
    },
    /// The database failed.
    #[error("database: {0}; check the database is reachable and writable, then restart the server")]
    Store(String),
    /// An earlier write failed; the server refuses changes until restarted.
    #[error("an earlier database write failed ({0}); restart the server so it reloads its state")]
    StoreFailed(String),
    /// A configuration value is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// No randomness available.
    #[error("the operating system's random source failed: {0}")]
    Random(String),
}

impl Error {
    /// Whether this is a license file that could not be read or verified (missing, half
    /// written, not a code, a broken signature, an unreadable state file or revocation
    /// list), as opposed to a verified code that grants no seats here (expired, revoked,
    /// superseded, naming another server). At a re-check the first keeps the last verified
    /// license in force; only the second changes the limit.
    pub fn keeps_last_license(&self) -> bool {
        use license_verify::Error as V;
        match self {
            Error::Io { .. } | Error::NoSeatCount { .. } => true,
            Error::License(e) => matches!(
                e,
                V::Io { .. }
                    | V::NotText { .. }
                    | V::Code(_)
                    | V::StateUnreadable { .. }
                    | V::StateUnwritable { .. }
                    | V::StateCorrupt { .. }
                    | V::RevocationListRollback { .. }
                    | V::RevocationListConflict { .. }
                    | V::RevocationListExpired { .. }
            ),
            _ => false,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(e.to_string())
    }
}

#[cfg(feature = "postgres")]
impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Self {
        Error::Store(e.to_string())
    }
}
