//! `http-guard`: the HTTP hardening that `license-server` and `license-service` share, one
//! copy for both:
//!
//! - [`conn`]: bounds on connections before any request is read (total, per client
//!   address, header-read and idle timeouts), as an `axum-server` acceptor;
//! - [`web`]: what keeps web browsers from driving a server (`Host` and exact `Origin`
//!   checks, JSON-only and form-only bodies, `HttpOnly` `SameSite=Strict` cookies, CSRF
//!   secrets compared in constant time, page-protection headers, oversized heads refused,
//!   codes and messages for the HTTP layers' own error answers);
//! - [`serve`]: a router served inside those bounds, TLS optional;
//! - [`rate`]: request rate limits per key (an account, a client address).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod conn;
mod error;
pub mod rate;
pub mod serve;
pub mod web;

pub use error::GuardError;
