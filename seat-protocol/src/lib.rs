//! The seat server's wire protocol, shared by `license-server` and every client (the Rust
//! client in `license-verify`, and through it the C client and `license-check seat`):
//!
//! - [`token`]: the lease token the server signs and the client verifies offline;
//! - [`proof`]: the holder proof, with which a client shows that a request comes from the
//!   holder of a lease (an Ed25519 holder key, a per-lease MAC key, times that only
//!   increase);
//! - [`api`]: the JSON bodies of the API.
//!
//! Specified in `docs/SERVER.md` ("The protocol"), with golden vectors in
//! `tests/vectors/v1.json` (made by `examples/gen_vectors.rs`).

pub mod api;
pub mod proof;
pub mod token;

pub use token::{
    LeaseClaims, MAX_TOKEN_FIELD, MAX_TOKEN_TEXT, TOKEN_DOMAIN, TOKEN_MAGIC, TokenError, UntrustedLeaseToken,
};
