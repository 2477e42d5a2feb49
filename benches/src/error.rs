//! The one error type of the benchmark fixtures and format implementations.

/// Why a fixture could not be loaded or a competing format refused a license.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The golden vectors are not in the expected shape.
    #[error("golden vectors: {0}; regenerate them with `cargo run -p license-core --example gen_vectors`")]
    Vectors(String),
    /// license-core refused a code or a license.
    #[error(transparent)]
    Core(#[from] license_core::Error),
    /// A token of another format is not well formed (bad base64, missing parts).
    #[error("malformed {format} token: {detail}; ask the vendor for a new one")]
    Malformed {
        /// Which format.
        format: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// A token of another format did not verify.
    #[error("the {0} token is not signed by this vendor: ask the vendor for a new one")]
    BadSignature(&'static str),
    /// The claims of a token are not a license scope we understand.
    #[error("the token's claims are invalid: {0}")]
    Claims(String),
    /// The token is for another product, licensee or machine.
    #[error("the token does not match this installation ({0}): enter the token issued for it")]
    Mismatch(&'static str),
    /// Signing a token of another format failed.
    #[error("could not sign the {format} token: {detail}")]
    Signing {
        /// Which format.
        format: &'static str,
        /// The library's message.
        detail: String,
    },
    /// Reading criterion's output failed.
    #[error("criterion results: {0}; run the benches first (see BENCHMARKS.md)")]
    Results(String),
}
