//! The catalog: what a vendor sells and on which terms, and the contract calendar its
//! terms are counted in.
//!
//! - `product`: a product's catalog (lines, modules, defaults, policies) and the set of
//!   catalogs, read from TOML;
//! - `calendar`: contract days: terms, anniversaries, quarters, notice periods;
//! - `export`: module and line names with their numbers as host-application code.
//!
//! May use: `error` and `license-core`. Everything else builds on it.

pub mod calendar;
pub(crate) mod error;
pub(crate) mod export;
pub(crate) mod product;
