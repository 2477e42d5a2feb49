//! `license-server`: the on-premises seat server.
//!
//! Products whose users work on many client machines sell concurrent seats; this server
//! hands out leases over the customer's network, with no internet needed:
//!
//! - [`book`]: the lease rules without I/O (limit, TTL and heartbeats, re-claim by the
//!   same holder, borrowing, force release, peak, audit events).
//! - [`store`]: where the rules' changes become durable: SQLite in the data directory
//!   (one writer with group commit) or PostgreSQL shared by several instances.
//! - [`license`]: the seat limit, taken only from the vendor's verified code.
//! - [`keys`]: the server's Ed25519 key, which signs every lease token.
//! - [`conn`]: bounds on connections (total, per client address, header and idle timeouts).
//! - [`web`]: what keeps browsers from driving the server (Host, Origin, JSON only,
//!   cookie sessions with CSRF tokens, page-protection headers).
//! - [`http`]: the REST API, the admin API and the dashboard (axum).
//!
//! `docs/SERVER.md` documents the API, the token format and the operation.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod admin;
pub mod book;
pub mod conn;
mod dashboard;
mod error;
pub mod holder;
pub mod http;
pub mod keys;
pub mod license;
mod ratelimit;
pub mod serve;
pub mod store;
pub mod web;

pub use dashboard::format_utc;
pub use error::Error;
