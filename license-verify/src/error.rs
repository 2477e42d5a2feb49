//! The one error type of `license-verify`. Every variant says what the user should do.

use std::io;
use std::path::PathBuf;

use license_core::Date;

use crate::time::Utc;

/// Why a license code, the state file or a revocation list could not be used.
///
/// Code errors from `license-core` (typo and where, not signed by this vendor, wrong
/// product, licensee, database or machine) are wrapped in [`Error::Code`] with their own
/// message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The code (or a revocation list) was refused by `license-core`: typo, malformed,
    /// unknown key, bad signature, or a binding that does not match this installation.
    #[error(transparent)]
    Code(#[from] license_core::Error),
    /// A reseller's code grants a module outside its reseller's frame (named from the
    /// application's module list; other frame limits come as [`Error::Code`]).
    #[error(
        "module {module} is outside the frame of reseller {reseller}: ask the reseller for a license inside its frame, or the vendor"
    )]
    ModuleOutsideFrame {
        /// The module's name.
        module: String,
        /// The reseller that signed the code.
        reseller: String,
    },
    /// A higher revision of this license has been seen: this code was replaced.
    #[error("this license code (license {license_id}, revision {revision}) was replaced by revision {current}{}: enter the newest code you received from the vendor", match .since { Some(d) => format!(" on {d}"), None => String::new() })]
    Superseded {
        /// The license id.
        license_id: u32,
        /// The revision of the code entered.
        revision: u32,
        /// The revision in effect.
        current: u32,
        /// The day the replacing revision took effect, if it was scheduled (a reduction).
        since: Option<Date>,
    },
    /// The vendor has revoked this code.
    #[error(
        "license {license_id} (revision {revision}) has been revoked by the vendor (revocation list {list_sequence}): contact the vendor for a valid code"
    )]
    Revoked {
        /// The license id.
        license_id: u32,
        /// The revision of the code entered.
        revision: u32,
        /// The sequence number of the revocation list that revokes it.
        list_sequence: u64,
    },
    /// The system clock is behind a time this installation has already seen by more than
    /// the tolerance.
    #[error(
        "the system clock ({now}) is behind a time already seen by this installation ({seen}): set the clock to the correct date and time (UTC-based), then start again"
    )]
    ClockTurnedBack {
        /// The clock's time.
        now: Utc,
        /// The latest time seen (high-water mark).
        seen: Utc,
    },
    /// The system clock is behind the signed time of this installation's own seat server
    /// (a trusted clock floor, `Verifier::trust_time_floor`) by more than the tolerance.
    #[error(
        "the system clock ({now}) is behind the time of this installation's seat server ({server}), so it was turned back: set the clock to the correct date and time (UTC-based), then start again"
    )]
    ClockBehindSeatServer {
        /// The clock's time.
        now: Utc,
        /// The seat server's signed time (the floor).
        server: Utc,
    },
    /// The state file exists but was truncated, edited, or written for another product or
    /// application secret. Verification is refused until the state is reset.
    #[error(
        "the license state file {path} is damaged or was modified ({reason}): restore it from a backup, or have support reset it"
    )]
    StateCorrupt {
        /// The state file.
        path: PathBuf,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The state file is intact but belongs to another installation of this product
    /// (another licensee or database code): it was copied here. Its guards are not
    /// adopted and verification is refused until this installation's own file is
    /// restored or the state is reset.
    #[error(
        "the license state file {path} belongs to another installation of this product (another licensee or database code): it was copied here; restore this installation's own state file from a backup, or have support reset it"
    )]
    StateForeign {
        /// The state file.
        path: PathBuf,
    },
    /// The system clock is before the day the license code (or revocation list) was
    /// issued: the clock is wrong (a fresh installation with an unset clock, a dead
    /// battery), not necessarily turned back.
    #[error(
        "the system clock ({now}) is before the day this {what} was issued ({issued}): set the clock to the correct date and time (UTC-based), then start again"
    )]
    ClockBeforeIssue {
        /// The clock's time.
        now: Utc,
        /// The day it was issued.
        issued: Date,
        /// "license code" or "revocation list".
        what: &'static str,
    },
    /// The state file exists but cannot be read.
    #[error(
        "cannot read the license state file {path} ({source}): give the application permission to read that file, or restore it from a backup, then start again"
    )]
    StateUnreadable {
        /// The state file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The state file cannot be written. The guards stay in force in memory; the write is
    /// retried at the next verification.
    #[error(
        "cannot write the license state file {path} ({source}): let the application write to that file and its folder, then start again"
    )]
    StateUnwritable {
        /// The state file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// A revocation list older than the one already installed.
    #[error(
        "this revocation list (number {sequence}) is older than the one already installed (number {installed}): use the newest list from the vendor"
    )]
    RevocationListRollback {
        /// The list's sequence number.
        sequence: u64,
        /// The installed list's sequence number.
        installed: u64,
    },
    /// A revocation list with the installed list's sequence number but other contents.
    #[error(
        "this revocation list (number {sequence}) differs from the installed list with the same number: use the newest list from the vendor"
    )]
    RevocationListConflict {
        /// The sequence number both lists carry.
        sequence: u64,
    },
    /// The revocation list's own validity ended before it was installed.
    #[error("this revocation list expired on {expires}: get a current list from the vendor")]
    RevocationListExpired {
        /// The list's expiry (first day no longer current).
        expires: Date,
    },
    /// A file (license code, revocation list) could not be read.
    #[error(
        "cannot read {path} ({source}): check that the file exists at that path and that the application may read it"
    )]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// A license code file that is not text.
    #[error("{path} does not contain a license code as text: save the code as plain text")]
    NotText {
        /// The file.
        path: PathBuf,
    },
    /// Every concurrent seat is held by a live lease.
    #[error(
        "all {limit} licensed seats are in use ({in_use} held): wait until a user logs out, or ask the vendor for more seats"
    )]
    NoSeatAvailable {
        /// Seats held.
        in_use: u32,
        /// Seats allowed now.
        limit: u32,
    },
    /// A heartbeat for a seat lease that expired, was released, or was taken back because
    /// the seat limit was lowered below the seats in use (e.g. demo mode).
    #[error(
        "this session's seat was released, its lease expired, or the number of licensed seats was lowered: log in again (if every seat is taken, wait until a user logs out)"
    )]
    SeatLeaseLost,
    /// The verifier was configured incorrectly (a programming error in the host application).
    #[error(
        "license verifier misconfigured ({0}): correct the application's license settings (a setup error, not a problem with the license code)"
    )]
    Config(&'static str),
}

impl Error {
    /// The `license-core` error, for code errors.
    pub fn code_error(&self) -> Option<&license_core::Error> {
        match self {
            Error::Code(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the problem is with the state file (corrupt, foreign, unreadable, unwritable).
    pub fn is_state_error(&self) -> bool {
        matches!(
            self,
            Error::StateCorrupt { .. }
                | Error::StateForeign { .. }
                | Error::StateUnreadable { .. }
                | Error::StateUnwritable { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message ends with what the user should do: an imperative after the last
    /// ": " (the cause comes first, in parentheses where it is a detail).
    #[test]
    fn every_message_ends_with_an_action() {
        let path = || PathBuf::from("/var/lib/erp/license.state");
        let io = || io::Error::from(io::ErrorKind::PermissionDenied);
        let day = Date::from_ymd(2026, 5, 1).unwrap();
        let all = [
            Error::Superseded {
                license_id: 7,
                revision: 1,
                current: 2,
                since: Some(day),
            },
            Error::Superseded {
                license_id: 7,
                revision: 1,
                current: 2,
                since: None,
            },
            Error::Revoked {
                license_id: 7,
                revision: 1,
                list_sequence: 3,
            },
            Error::ClockTurnedBack {
                now: Utc(1_000),
                seen: Utc(2_000),
            },
            Error::ClockBehindSeatServer {
                now: Utc(1_000),
                server: Utc(2_000),
            },
            Error::StateCorrupt {
                path: path(),
                reason: "bad tag",
            },
            Error::StateUnreadable {
                path: path(),
                source: io(),
            },
            Error::StateUnwritable {
                path: path(),
                source: io(),
            },
            Error::RevocationListRollback {
                sequence: 1,
                installed: 2,
            },
            Error::RevocationListConflict { sequence: 2 },
            Error::RevocationListExpired { expires: day },
            Error::Io {
                path: path(),
                source: io(),
            },
            Error::NotText { path: path() },
            Error::NoSeatAvailable { in_use: 2, limit: 2 },
            Error::SeatLeaseLost,
            Error::Config("no licensee configured"),
        ];
        const ACTIONS: [&str; 13] = [
            "enter", "contact", "set", "restore", "give", "let", "use", "get", "check", "save", "wait",
            "log", "correct",
        ];
        for e in all {
            let message = e.to_string();
            let action = message.rsplit(": ").next().unwrap_or_default();
            let verb = action.split(' ').next().unwrap_or_default();
            assert!(ACTIONS.contains(&verb), "no action at the end of: {message}");
            assert!(
                !action.contains('/'),
                "the action is not a detail (path): {message}"
            );
        }
    }
}
