//! The reseller ledger export's file format: its name and version (`docs/FORMAT.md`,
//! "Reseller ledger export"). Read by the export, the import and their errors.

/// The `format` field of a reseller ledger export's header line.
pub const EXPORT_FORMAT: &str = "license-kit/reseller-export";
/// The format version this software writes (it reads 1 and 2).
pub const EXPORT_VERSION: u32 = 2;
