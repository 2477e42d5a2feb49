//! The one public error type of `license-issue`, composed of the errors of each concern
//! (`keys`, `catalog`, `issuer`, `ledger`, `report`, `channel`, ticket pools), with the
//! few variants several concerns share (the random number generator, a file, `license-core`).
//! Every variant says what the user should do.
//!
//! May use: every concern's `error` module and `error::class`; nothing imports this module
//! but to name `Error`.

pub(crate) mod class;

use std::path::PathBuf;

use license_core::ErrorKind;

use crate::catalog::error::CatalogError;
use crate::channel::error::ChannelError;
use crate::channel::tickets::error::TicketError;
use crate::channel::tickets::id::TicketIdError;
use crate::error::class::ErrorClass;
use crate::issuer::error::OrderError;
use crate::keys::error::KeyError;
use crate::ledger::error::LedgerError;
use crate::report::error::ReportError;

/// Why an issuing operation, a key, a catalog or the ledger could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A signing key or the key ring.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A product catalog or a name in it.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// An order refused by the business rules, or a license it names.
    #[error(transparent)]
    Order(#[from] OrderError),
    /// The ledger: a damaged or torn file, its database, a concurrent writer.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A report: its month or its CSV.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The reseller channel: certificates, frames, bundles, exports and imports.
    #[error(transparent)]
    Channel(#[from] ChannelError),
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed ({0}): retry, or check the operating system")]
    Random(#[source] getrandom::Error),
    /// A file or directory could not be read or written.
    #[error("cannot access {}: {source}; check that the path exists, the disk is not full, and this user may read and write it", .path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A ticket id, a ticket pool or a redemption refused.
    #[error(transparent)]
    Ticket(#[from] TicketError),
    /// An error from `license-core` (encoding, signing, decoding, verification).
    #[error(transparent)]
    Core(#[from] license_core::Error),
}

impl From<TicketIdError> for Error {
    fn from(e: TicketIdError) -> Self {
        Error::Ticket(TicketError::Id(e))
    }
}

impl Error {
    /// A stable name for the kind of error (`unknown_license`, `no_users_or_seats`,
    /// `conflict`, ...), for machine-readable error responses: the variant's name in
    /// snake case.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Error::Key(e) => e.kind_name(),
            Error::Catalog(e) => e.kind_name(),
            Error::Order(e) => e.kind_name(),
            Error::Ledger(e) => e.kind_name(),
            Error::Report(e) => e.kind_name(),
            Error::Channel(e) => e.kind_name(),
            Error::Random(_) => "random",
            Error::Io { .. } => "io",
            Error::Ticket(e) => e.kind_name(),
            Error::Core(_) => "core",
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Key(e) => e.class(),
            Error::Catalog(e) => e.class(),
            Error::Order(e) => e.class(),
            Error::Ledger(e) => e.class(),
            Error::Report(e) => e.class(),
            Error::Channel(e) => e.class(),
            Error::Random(_) | Error::Io { .. } => ErrorClass::Data,
            Error::Ticket(e) => e.class(),
            Error::Core(e) => match e.kind() {
                ErrorKind::Usage => ErrorClass::Usage,
                _ => ErrorClass::Invalid,
            },
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issuer::error::BindingPart;
    use license_core::Date;

    fn day() -> Date {
        Date::from_ymd(2026, 12, 20).unwrap_or(Date::MAX)
    }

    #[test]
    fn messages_say_what_to_do() {
        let cases: Vec<(Error, &str)> = vec![
            (
                Error::Catalog(CatalogError::Catalog {
                    path: "c.toml".into(),
                    reason: "x".into(),
                }),
                "fix the file",
            ),
            (
                Error::Io {
                    path: "l".into(),
                    source: std::io::Error::other("denied"),
                },
                "may read and write it",
            ),
            (
                Error::Order(OrderError::NoPendingReduction { license_id: 7 }),
                "order it as an additional order",
            ),
            (
                Error::Order(OrderError::WithdrawReductionFirst {
                    license_id: 7,
                    revision: 2,
                    effective: Date::from_ymd(2027, 1, 1).unwrap_or(Date::MAX),
                    what: "the number of named users".into(),
                    cutoff: Date::from_ymd(2026, 12, 12).unwrap_or(Date::MAX),
                }),
                "while it is pending the number of named users cannot be changed: withdraw the reduction first (possible until 2026-12-12, inclusive), then order the combined change",
            ),
            (
                Error::Order(OrderError::ReductionFixed {
                    license_id: 7,
                    revision: 2,
                    effective: Date::from_ymd(2027, 1, 1).unwrap_or(Date::MAX),
                    what: "module bi (the reduction removes it)".into(),
                    cutoff: Date::from_ymd(2026, 12, 12).unwrap_or(Date::MAX),
                }),
                "could be withdrawn only until 2026-12-12: module bi (the reduction removes it) cannot be changed before it takes effect; order the change for 2027-01-01 or later",
            ),
            (
                Error::Order(OrderError::TrialBeyondCatalog {
                    product: "demo-erp".into(),
                    what: "90 usable days asked, at most 30".into(),
                }),
                "may not exceed the catalog's trial terms: 90 usable days asked, at most 30; order a trial within them",
            ),
            (
                Error::Order(OrderError::WithdrawalTooLate {
                    license_id: 7,
                    effective: day(),
                    cutoff: day(),
                }),
                "order the larger scope again as an additional order",
            ),
            (
                Error::Order(OrderError::ReplaceAndRemove {
                    part: BindingPart::Database,
                }),
                "give either a new database code or remove the database binding, not both",
            ),
            (
                Error::Ledger(LedgerError::Backend("connection refused".into())),
                "the ledger's database failed (connection refused): check that it is reachable and retry",
            ),
        ];
        for (e, needle) in cases {
            assert!(e.to_string().contains(needle), "{e}");
        }
    }

    /// A library's messages name no command-line tool and no flag: the tool adds its hints.
    #[test]
    fn messages_name_no_cli_flags() {
        let l = 7;
        let d = day();
        let all: Vec<Error> = vec![
            Error::Key(KeyError::KeyMissing { path: "k".into() }),
            Error::Key(KeyError::KeyFileMissing {
                path: "k".into(),
                id: 1,
            }),
            Error::Key(KeyError::KeyExists { path: "k".into() }),
            Error::Key(KeyError::KeyIdsCollide),
            Error::Catalog(CatalogError::Catalog {
                path: "c".into(),
                reason: "r".into(),
            }),
            Error::Order(OrderError::EmptyLicensee),
            Error::Order(OrderError::EmptyDatabaseCode),
            Error::Order(OrderError::InvalidDatabaseCode {
                product: "p".into(),
                error: license_core::DatabaseCodeError::Typo { group: 4 },
            }),
            Error::Order(OrderError::InvalidSeatServerKey { given_len: 3 }),
            Error::Order(OrderError::NothingToRehost),
            Error::Order(OrderError::TooManyMoves {
                license_id: l,
                limit: 2,
                next: d,
            }),
            Error::Order(OrderError::LicenseIdsExhausted),
            Error::Order(OrderError::RevisionsExhausted { license_id: l }),
            Error::Order(OrderError::StartsBeforeIssue {
                valid_from: d,
                issued: d,
            }),
            Error::Order(OrderError::ListValidity),
            Error::Order(OrderError::NotStarted {
                license_id: l,
                today: d,
            }),
            Error::Order(OrderError::ChangeReduces {
                license_id: l,
                what: "fewer named users".into(),
            }),
            Error::Order(OrderError::ChangeIsEmpty { license_id: l }),
            Error::Order(OrderError::ReducesNothing { license_id: l }),
            Error::Order(OrderError::UnknownLicense { license_id: l }),
            Error::Order(OrderError::ReductionPending {
                license_id: l,
                revision: 2,
                effective: d,
            }),
            Error::Order(OrderError::WithdrawReductionFirst {
                license_id: l,
                revision: 2,
                effective: d,
                what: "the number of named users".into(),
                cutoff: d,
            }),
            Error::Order(OrderError::ReductionFixed {
                license_id: l,
                revision: 2,
                effective: d,
                what: "the number of named users".into(),
                cutoff: d,
            }),
            Error::Order(OrderError::TrialBeyondCatalog {
                product: "demo-erp".into(),
                what: "90 usable days asked, at most 30".into(),
            }),
            Error::Order(OrderError::NextTermPending {
                license_id: l,
                revision: 2,
                starts: d,
            }),
            Error::Order(OrderError::NoPendingReduction { license_id: l }),
            Error::Order(OrderError::WithdrawalTooLate {
                license_id: l,
                effective: d,
                cutoff: d,
            }),
            Error::Io {
                path: "p".into(),
                source: std::io::Error::other("x"),
            },
            Error::Ledger(LedgerError::Conflict { license_id: l }),
            Error::Ledger(LedgerError::OrderKeyReused { key: "k".into() }),
            Error::Ledger(LedgerError::SequenceExhausted),
            Error::Ledger(LedgerError::OutboxUnsupported { ledger: "file" }),
            Error::Report(ReportError::InvalidMonth { given: "x".into() }),
        ];
        for e in all {
            let text = e.to_string();
            assert!(!text.contains("licensectl") && !text.contains(" --"), "{text}");
        }
    }
}
