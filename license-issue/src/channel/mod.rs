//! The reseller channel: resellers certified by the vendor with a frame, issuing in their
//! own homes, the ticket pools the vendor's ERP hands them, and the monthly export a
//! reseller sends and the vendor imports.
//!
//! - `reseller`: a reseller's home, its bundle, `certify`;
//! - `certificates`: the vendor's register of the certificates it signed;
//! - `tickets`: ticket pools, ticket ids, redemption and the ticket report;
//! - `format`: the export file's format name and version;
//! - `report`: a reseller's monthly export, its import at the vendor, and the invoice;
//! - `operations`: a reseller's operations without a code (cancel, revoke) signed in its
//!   export and verified at import, and the vendor's revocation of an imported license.
//!
//! May use: `error`, `catalog`, `keys`, `ledger`, `issuer` and `report`.

pub(crate) mod certificates;
pub(crate) mod error;
pub(crate) mod format;
pub(crate) mod operations;
pub(crate) mod report;
pub(crate) mod reseller;
pub(crate) mod tickets;
