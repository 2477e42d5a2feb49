//! The host application's side of licensing: what it links to check its license at
//! start-up, offline.
//!
//! - [`Verifier`]: built once with the vendor's public keys, the product id, this
//!   release's build date and the installation's licensee, database code and/or machine;
//!   verifies a code (text or file) and returns a [`Verification`]: status, release
//!   coverage and the effective entitlements (`has_module("bi")`, users, seats, ...).
//! - Renewal codes entered early: a license file may hold several codes (one per line or
//!   separated by blank lines), and [`Verifier::verify_texts`] takes several. Keep the
//!   current code next to the next term's renewal code (valid only from the current
//!   expiry): the best usable code is used, the renewal is reported as
//!   [`Verification::pending_change`] and takes over on its first day.
//! - Guards kept in an integrity-protected state file: a clock turned back, a
//!   superseded revision entered again, a revoked code. See `docs/SECURITY.md` for what
//!   they can and cannot prevent.
//! - [`fingerprint::collect`]: this machine's fingerprint and its printable form;
//!   [`new_database_code`]: a database code for an installation whose license is bound to
//!   its database (create it once, keep it in the database, show it in the license dialog).
//! - [`SeatPool`]: concurrent seats with leases, heartbeats and re-claim.
//! - Diagnostics through the [`log`](https://docs.rs/log) facade, target
//!   `license_verify`: a code accepted (with its status) or refused (with why), which of
//!   several codes was used, the machine components read, the state file written or
//!   unusable, a revocation list installed. `info` for decisions, `warn` for a clock turned
//!   back or an unusable state file, `debug` for details. Never keys, the state secret,
//!   digests, component values or code texts. Install any logger (`env_logger`, ...) to
//!   see them.
//!
//! ```no_run
//! use license_verify::{Verifier, license_core::{Date, PublicKey}};
//! # fn main() -> Result<(), license_verify::Error> {
//! # let vendor_key = PublicKey::from_bytes(&[0; 32])?;
//! let verifier = Verifier::builder(vec![vendor_key], "erp", Date::from_ymd(2026, 11, 1)?)
//!     .licensee("ACME Corp")
//!     .database("DB-7F3A-22C1")
//!     .modules(["crm", "budget", "planning", "bi"])
//!     .state_file("/var/lib/erp/license.state", *b"erp-state-secret-0123456789")
//!     .build()?;
//! // The current code, and the next term's renewal code once it has arrived.
//! let license = verifier.verify_file("/etc/erp/license.txt")?;
//! println!("{license}");
//! if license.has_module("bi") { /* enable business intelligence */ }
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod dbcode;
mod delegated;
mod diagnostics;
mod error;
pub mod fingerprint;
mod guards;
mod report;
#[cfg(feature = "seat-client")]
pub mod seat_client;
mod seats;
mod state;
mod time;
mod verification;
mod verifier;

pub use dbcode::new_database_code;
pub use delegated::{Issuer, Reseller};
pub use error::Error;
pub use guards::{PendingChange, RevocationListInfo};
pub use report::{FIRST_RUN_LINE, ScopeDescription, describe_scope, describe_status};
pub use seats::{Lease, SeatHolder, SeatPool, SeatSnapshot};
pub use state::MIN_SECRET_LEN;
pub use time::Utc;
pub use verification::Verification;
pub use verifier::{DEFAULT_CLOCK_TOLERANCE_SECS, HIGH_WATER_WRITE_INTERVAL_SECS, Verifier, VerifierBuilder};

/// Decode and validate the bytes of a state file exactly as the verifier does when it
/// loads the file, without touching the file system: for fuzzing and support tools. `Ok`
/// means a verifier built with this secret and product, for the installation with this id
/// (`license_core::Context::installation_id`), would accept the file; the state itself
/// stays private.
#[doc(hidden)]
pub fn check_state_bytes(
    bytes: &[u8],
    secret: &[u8],
    product: &str,
    installation: [u8; 16],
) -> Result<(), Error> {
    let file = state::StateFile::new(
        std::path::PathBuf::from("<memory>"),
        secret,
        product,
        installation,
    )?;
    file.decode(bytes).map(|_| ())
}

/// Re-exported so the host uses the same version.
pub use license_core;

#[cfg(test)]
mod tests {
    fn shareable<T: Send + Sync>() {}

    #[test]
    fn verifier_and_pool_can_be_shared_between_threads() {
        shareable::<crate::Verifier>();
        shareable::<crate::SeatPool>();
        shareable::<crate::Verification>();
        shareable::<crate::Error>();
    }
}

/// The Rust snippets of the README and of `docs/INTEGRATION.md`, run as doctests so that
/// what a reader copies compiles (the C and C++ snippets: `ffi/tests/doc_snippets.rs`).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
#[doc = include_str!("../../docs/INTEGRATION.md")]
pub struct DocumentationSnippets;
