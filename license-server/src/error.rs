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
