//! The error every command returns: from either library or from the command line, with
//! the exit code and, where a command can help, the command that does. Used by every
//! command module; uses none of them.

use std::fmt;

use license_core::ErrorKind;
use license_issue::{CatalogError, Error, KeyError, LedgerError, OrderError, ReportError};

/// An error of either side, or of the command line, with its exit code.
#[derive(Debug)]
pub enum Failure {
    /// From `license-issue` (keys, catalog, ledger, rules).
    Issue(Error),
    /// From `license-verify` (the code, this installation, the guards).
    Verify(license_verify::Error),
    /// A command line that lacks what the command needs (exit code 2).
    Usage(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Issue(e)
    }
}

impl From<license_core::Error> for Failure {
    fn from(e: license_core::Error) -> Self {
        Failure::Issue(Error::Core(e))
    }
}

impl From<license_verify::Error> for Failure {
    fn from(e: license_verify::Error) -> Self {
        Failure::Verify(e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Said with the command in the sentence, where the library says "rotate".
            Failure::Issue(Error::Key(KeyError::KeyFileMissing { path, id })) => write!(
                f,
                "the key ring lists key {id:#04x}, but its key file {} is missing: restore the file from your backup, \
                 or run `licensectl keygen --rotate` to start signing with a new key (codes signed with the lost key keep verifying)",
                path.display()
            ),
            Failure::Issue(e) => match hint(e) {
                Some(h) => write!(f, "{e} ({h})"),
                None => e.fmt(f),
            },
            Failure::Verify(e) => e.fmt(f),
            Failure::Usage(what) => f.write_str(what),
        }
    }
}

impl Failure {
    /// 1 invalid code, 2 usage, 3 files and corrupt data (see `main.rs`).
    pub fn exit_code(&self) -> u8 {
        use license_verify::Error as V;
        match self {
            Failure::Issue(e) => e.class().exit_code(),
            Failure::Usage(_) => 2,
            Failure::Verify(V::Code(e)) if e.kind() == ErrorKind::Usage => 2,
            Failure::Verify(V::Config(_)) => 2,
            Failure::Verify(e) if e.is_state_error() => 3,
            Failure::Verify(V::Io { .. } | V::NotText { .. }) => 3,
            Failure::Verify(_) => 1,
        }
    }
}

/// What to type: the library's messages say what to do in words, the tool adds its
/// commands and options.
fn hint(e: &Error) -> Option<String> {
    Some(match e {
        Error::Key(KeyError::KeyMissing { .. }) => {
            "run `licensectl keygen` first, or point --home at your licensing directory".into()
        }
        Error::Key(KeyError::KeyExists { .. }) => "use `licensectl keygen --rotate`".into(),
        Error::Catalog(CatalogError::Catalog { .. }) => {
            "`licensectl catalog --print-demo` prints a commented example; --catalog uses another file".into()
        }
        Error::Order(OrderError::UnknownLicense { .. }) => "`licensectl report issued` lists them".into(),
        Error::Order(OrderError::ReductionPending { license_id, .. }) => {
            format!("`licensectl reduce {license_id} --withdraw`")
        }
        Error::Order(OrderError::NextTermPending { license_id, .. })
        | Error::Order(OrderError::NoPendingReduction { license_id })
        | Error::Order(OrderError::WithdrawalTooLate { license_id, .. })
        | Error::Order(OrderError::ReducesNothing { license_id }) => {
            format!("`licensectl upgrade {license_id}`")
        }
        Error::Order(OrderError::ChangeReduces { license_id, .. }) => {
            format!("`licensectl reduce {license_id}`")
        }
        Error::Io { .. } => "or point --home at your licensing directory".into(),
        Error::Ledger(LedgerError::LedgerTorn(_)) => "run `licensectl ledger repair`".into(),
        Error::Order(OrderError::LicenseIdsExhausted) => {
            "issue new licenses from a new licensing directory (--home)".into()
        }
        _ => return None,
    })
}

impl From<ReportError> for Failure {
    fn from(e: ReportError) -> Self {
        Failure::Issue(e.into())
    }
}
