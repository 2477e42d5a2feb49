//! `license-service`: the vendor's licensing backend (issue 21). Accounts and roles (the
//! vendor's administrators and clerks, resellers' administrators and users, customer
//! companies' administrators and users), sessions and scoped API tokens, and a JSON API
//! (`/api/v1/...`) over `license-issue`, whose functions make every licensing decision.
//!
//! - [`db`]: SQLite (one instance, embedded) or PostgreSQL (several instances), with
//!   embedded migrations; [`store`]: the service's records on either.
//! - [`auth`]: Argon2id passwords, TOTP, random tokens stored as digests.
//! - [`rights`]: roles, and rights never beyond the granter's (the library's frames).
//! - [`permissions`]: the permission matrix (`permissions.csv`), applied to every route.
//! - [`mail`]: the account mails' seam; [`notify`]: `license-notify` wired in (the
//!   outbox written with the ledger's records, the delivery worker, the jobs).
//! - [`issuers`]: the seam for the ledger (any `license_issue::Ledger`).
//! - [`api`]: the routes and the guards (`http-guard`).
//! - [`ops`]: the steps the API and the portal share; [`portal`]: the HTML pages.
//!
//! docs/SERVICE.md has the deployment, the roles, the matrix and the API.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod api;
pub mod auth;
pub mod clock;
pub mod custody;
pub mod db;
pub mod error;
pub mod issuers;
pub mod mail;
mod names;
pub mod notify;
pub mod ops;
pub mod permissions;
pub mod portal;
pub mod rights;
pub mod store;

pub use api::app::{App, Settings};
pub use api::{router, routes};
pub use error::{ApiError, StoreError};
