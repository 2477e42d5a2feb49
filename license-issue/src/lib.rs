//! The vendor's side of offline licensing: keys, the product catalog, issuing and
//! re-issuing codes under the business rules, the ledger, reports and revocation lists.
//! The `licensectl` command-line tool (its own crate) is a thin layer over this library.
//!
//! ```
//! use license_issue::*;
//! use license_core::{Date, Kind};
//! # fn main() -> Result<(), Error> {
//! let mut catalogs = Catalogs::new();
//! catalogs.insert(Catalog::demo()?);
//! let mut issuer = Issuer::new(catalogs, VendorKey::generate()?, MemoryLedger::new());
//! let today = Date::from_ymd(2026, 11, 22)?;
//!
//! let mut order = NewLicense::new("demo-erp", Kind::Subscription, Customer::new("ACME Corp"));
//! order.line = Some("expert".into());
//! order.named_users = Some(25);
//! order.modules = vec!["crm".into(), "bi".into()];
//! order.bind = BindTo::database("DB-JBW44-P5J45-44VPC-YCED6");
//! let issued = issuer.issue(&order, today)?;
//! assert_eq!(issued.license.expires, Some(Date::from_ymd(2027, 11, 22)?));
//!
//! // Fewer users, ordered on 22 November 2026: on-premises (`contract-year`), effective
//! // at the next contract anniversary with 3 months' notice, with the next term.
//! let change = Change { named_users: Some(20), ..Change::default() };
//! let reduction = issuer.reduce(issued.license.license_id, &change, today)?;
//! assert_eq!(reduction.effective, Date::from_ymd(2027, 11, 22)?);
//! assert_eq!(reduction.scheduled.license.expires, Some(Date::from_ymd(2028, 11, 22)?));
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod catalog;
mod channel;
mod error;
mod issuer;
mod keys;
mod ledger;
pub mod names;
mod report;

#[cfg(test)]
mod test_support;

/// The contract calendar (also at `catalog::calendar` inside the crate).
pub use catalog::calendar;
pub use catalog::error::CatalogError;
pub use catalog::export::{CatalogFormat, export_catalog};
pub use catalog::product::{
    Catalog, Catalogs, DEMO_CATALOG, DEMO_HOSTED_CATALOG, DatabaseCodes, Defaults, MAX_TERM_MONTHS,
    ModuleChoice, TrialDefaults, WhileReductionPending,
};
pub use channel::certificates::{
    CertificateEntry, CertificateRegister, CertificateRevocationSet, REGISTER_FORMAT, REGISTER_VERSION,
    SubCertificateEntry,
};
pub use channel::error::{ChannelError, ImportProblem};
pub use channel::format::{EXPORT_FORMAT, EXPORT_VERSION};
pub use channel::operations::{OPERATION_CONTEXT, ResellerRevocation, revoke_imported};
pub use channel::report::{
    ImportPlan, Invoice, InvoiceLine, InvoiceSection, ResellerExport, check_import, imports_ledger_path,
    invoice, reseller_name,
};
pub use channel::reseller::{BUNDLE_FORMAT, BUNDLE_VERSION, ResellerBundle, ResellerHome, certify};
pub use channel::tickets::error::TicketError;
pub use channel::tickets::id::TicketIdError;
pub use channel::tickets::id::{TICKET_RANDOM_SYMBOLS, TICKET_SYMBOLS, TicketId, Typo};
pub use channel::tickets::redeem::Redemption;
pub use channel::tickets::report::{TicketReport, TicketRow, TicketState, TicketTotals, ticket_report};
pub use channel::tickets::{Imported, MAX_TICKETS_PER_CREATE, Ticket, TicketExport, TicketPool};
pub use error::Error;
pub use error::class::ErrorClass;
pub use issuer::Issuer;
pub use issuer::cancel::Cancellation;
pub use issuer::error::{BindingPart, OrderError};
pub use issuer::order::{
    BindTo, Change, Customer, Issued, NewLicense, Reduction, Reissued, SeatServerKey, Term, ToleranceChoice,
    Unbind,
};
pub use issuer::place::{Order, Outcome};
pub use issuer::rehost::MovesLeft;
pub use issuer::renew::RenewalOutcome;
pub use issuer::revoke::RevocationList;
pub use keys::error::KeyError;
pub use keys::signature::{SignedFor, verify_delegated_signature, verify_signature};
pub use keys::signer::{ResellerSigner, Signer};
pub use keys::vendor::{KeyEntry, KeyRing, PublicKeyFormat, VendorKey, export_public_keys, parse_hex32};
pub use ledger::error::{LedgerError, TornRecord};
pub use ledger::file::FileLedger;
pub use ledger::history::{LicenseHistory, Revision};
pub use ledger::outbox::WithOutbox;
#[cfg(feature = "postgres")]
pub use ledger::postgres::{MIGRATIONS, PgLedger};
#[cfg(feature = "sqlite")]
pub use ledger::sqlite::{SQLITE_MIGRATIONS, SqliteLedger};
pub use ledger::store::{
    Batch, Ledger, MaintenanceKind, MemoryLedger, Operation, OrderRef, OutboxRow, Record, normalize_licensee,
    random_pseudonym,
};
pub use ledger::terms::{LicenseTerms, RevisionTerm};
/// The PostgreSQL client the ledger uses (for its `Config`).
#[cfg(feature = "postgres")]
pub use r2d2_postgres::postgres;
pub use report::describe::{Scope, binding_words, describe, status_words};
pub use report::error::ReportError;
pub use report::lists::{
    ActiveRow, Column, IssuedBy, IssuedReport, IssuedRow, KindTotals, NoticeRow, ProRataReport, ProRataRow,
    RenewalRow, ReportRow, ResellerKindTotals, ResellerTotal, active_counts, active_on, active_subscriptions,
    issued_in_month, issued_in_month_by, issued_report, pro_rata, renewal_notices, renewal_notices_due,
    renewals_overdue, to_csv, to_table,
};
pub use report::month::Month;
/// The SQLite client the SQLite ledger uses.
#[cfg(feature = "sqlite")]
pub use rusqlite;
