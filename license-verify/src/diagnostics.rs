//! What the verifier decided and why, through the [`log`] facade (target
//! `license_verify`): a host that installs a logger (`env_logger`, `tracing-log`, its own)
//! sees why a code was refused, which of several codes was used, what the state file did
//! and which machine components could be read. Nothing is written when no logger is
//! installed, and the cost is one atomic load per decision.
//!
//! Never logged: vendor keys, the state file's secret, digests, raw component values
//! (serial numbers, MAC addresses) and the code texts themselves. A line carries the
//! product, license numbers, statuses, component names and the error's own message
//! (which names no secret either).
//!
//! Levels: `info` for an accepted or refused code and an installed revocation list,
//! `warn` for a state file that cannot be used and a clock behind the latest time seen,
//! `debug` for the details (the code chosen among several, the fingerprint collected,
//! a state file written).

use std::path::Path;

use log::{Level, debug, log};

use crate::error::Error;
use crate::fingerprint::CollectedFingerprint;
use crate::guards::RevocationListInfo;
use crate::verification::Verification;

const TARGET: &str = "license_verify";

/// A refusal that needs the administrator (clock, state file), not a new code.
const fn level_of(e: &Error) -> Level {
    match e {
        Error::ClockTurnedBack { .. }
        | Error::ClockBehindSeatServer { .. }
        | Error::StateCorrupt { .. }
        | Error::StateUnreadable { .. }
        | Error::StateUnwritable { .. } => Level::Warn,
        _ => Level::Info,
    }
}

/// The outcome of one code's verification.
pub(crate) fn verified(product: &str, result: &Result<Verification, Error>) {
    match result {
        Ok(v) => {
            let l = v.license();
            log!(
                target: TARGET,
                Level::Info,
                "{product}: license {} revision {} accepted: {:?}, release {:?}, usable: {}",
                l.license_id,
                l.revision,
                v.status(),
                v.release(),
                v.is_usable()
            );
        }
        Err(e) => log!(target: TARGET, level_of(e), "{product}: license code refused: {e}"),
    }
}

/// Which of several codes was used (and how many were refused).
pub(crate) fn chosen(product: &str, codes: usize, refused: usize, v: &Verification) {
    let l = v.license();
    debug!(
        target: TARGET,
        "{product}: using license {} revision {} of {codes} code(s) ({refused} refused){}",
        l.license_id,
        l.revision,
        match v.pending_change() {
            Some(p) => format!(", revision {} scheduled from {}", p.revision, p.starts),
            None => String::new(),
        }
    );
}

/// A state file that cannot be used (verification is refused until it can).
pub(crate) fn state_problem(e: &Error) {
    log!(target: TARGET, level_of(e), "license state file not usable: {e}");
}

/// A state file written.
pub(crate) fn state_written(path: &Path) {
    debug!(target: TARGET, "license state file written: {}", path.display());
}

/// This machine's fingerprint, collected once per verifier: which components were read.
pub(crate) fn collected(collected: CollectedFingerprint) -> CollectedFingerprint {
    if log::log_enabled!(target: TARGET, Level::Debug) {
        let known = collected.fingerprint().known();
        debug!(target: TARGET, "machine fingerprint collected; known components: {known}");
    }
    collected
}

/// A revocation list installed, or refused.
pub(crate) fn revocation_list(product: &str, result: &Result<RevocationListInfo, Error>) {
    match result {
        Ok(i) => log!(
            target: TARGET,
            Level::Info,
            "{product}: revocation list {} in force (signed {}, current until {}, {} license(s))",
            i.sequence,
            i.issued,
            i.expires,
            i.entries
        ),
        Err(e) => log!(target: TARGET, level_of(e), "{product}: revocation list refused: {e}"),
    }
}
