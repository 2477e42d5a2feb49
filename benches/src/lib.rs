//! Fixtures and the competing formats for the benchmarks in `benches/`.
//!
//! - [`Reference`]: the `reference` license of license-core's golden vectors.
//! - [`Claims`] and [`formats`]: the same scope as a signed JSON key, a PASETO v4.public
//!   token and a JWT (EdDSA), for the comparison bench.
//! - [`batch`]: re-validating many codes with Ed25519 batch verification.
//! - [`report`]: the ratio table from criterion's output (`bench-report` binary).
//!
//! See `BENCHMARKS.md` at the repository root for the figures and how to reproduce them.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod batch;
mod claims;
mod error;
mod fixture;
pub mod formats;
pub mod report;

pub use claims::{Claims, FingerprintClaim, Installation, LINES, MODULES};
pub use error::Error;
pub use fixture::{REFERENCE_CASE, Reference, VECTORS_JSON};
