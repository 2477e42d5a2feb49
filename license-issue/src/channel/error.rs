//! Errors of the reseller channel: certificates, frames, bundles, exports and imports: the `Channel` part of [`crate::Error`].

use crate::channel::format::EXPORT_VERSION;
use crate::error::class::ErrorClass;
use crate::report::month::Month;
use license_core::Date;
use license_core::Kind;
use std::path::PathBuf;

/// Why the reseller channel: certificates, frames, bundles, exports and imports could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChannelError {
    /// A reseller's home holds no certificate for the product.
    #[error(
        "this reseller holds no certificate for product '{product}': ask the vendor to certify your key for it, then install the certificate"
    )]
    NoCertificate {
        /// The product id.
        product: String,
    },
    /// A reseller's certificate reserves no license-id range, so its new licenses could
    /// share ids with the vendor's or another reseller's.
    #[error(
        "the certificate of reseller {reseller} reserves no license-id range for new licenses: ask the vendor for a certificate with one"
    )]
    NoLicenseIdRange {
        /// The reseller.
        reseller: String,
    },
    /// A reseller has used every license id of its certificate's range.
    #[error(
        "reseller {reseller} has used every license id of its range {first}-{last}: ask the vendor for a certificate with a further range"
    )]
    LicenseIdRangeUsed {
        /// The reseller.
        reseller: String,
        /// The range's first id.
        first: u32,
        /// The range's last id.
        last: u32,
    },
    /// An order outside the frame of the reseller whose key would sign it: refused
    /// before signing.
    #[error(
        "the order lies outside the frame of reseller {reseller}: {limit}; change the order, or ask the vendor for a certificate that allows it"
    )]
    OutsideFrame {
        /// The reseller.
        reseller: String,
        /// The limit exceeded, in the catalog's names ("module bi is not allowed").
        limit: String,
    },
    /// Something only the vendor's key signs, asked of a reseller's home.
    #[error(
        "{what} is signed with the vendor's key: ask the vendor for it (a license you revoke reaches the vendor with your monthly export, and the vendor's next revocation list after its import names it)"
    )]
    VendorOnly {
        /// What was asked ("a revocation list").
        what: &'static str,
    },
    /// An order naming another reseller than the one whose key signs it.
    #[error(
        "the order names reseller '{given}', but this home signs as reseller '{signer}': leave the reseller out, or issue from that reseller's home"
    )]
    ResellerMismatch {
        /// The reseller the order named.
        given: String,
        /// The reseller whose key signs.
        signer: String,
    },
    /// The register of reseller certificates cannot be read.
    #[error("the certificate register {} is invalid ({reason}): restore it from your backup", .path.display())]
    Register {
        /// The register file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A certificate serial already used for the product (revocation lists revoke by serial).
    #[error(
        "certificate serial {serial} of {product} is already reseller {reseller}'s: choose another serial (revocation lists revoke certificates by serial)"
    )]
    SerialUsed {
        /// The product.
        product: String,
        /// The serial.
        serial: u32,
        /// The reseller holding it.
        reseller: String,
    },
    /// A certificate the register does not list.
    #[error(
        "no certificate {serial} of {product} in the register: check the serial (the register lists the certificates this home signed)"
    )]
    UnknownCertificate {
        /// The product.
        product: String,
        /// The serial.
        serial: u32,
    },
    /// A certificate revoked before.
    #[error(
        "certificate {serial} of {product} was revoked on {on}: publish the revocation list if it is not out yet"
    )]
    CertificateRevoked {
        /// The product.
        product: String,
        /// The serial.
        serial: u32,
        /// The day it was revoked.
        on: Date,
    },
    /// A sub-reseller certificate serial its reseller already gave another key: the vendor
    /// revokes sub-resellers by (reseller serial, sub-reseller serial), so each pair must
    /// name one certificate.
    #[error(
        "reseller {reseller} (certificate {reseller_serial} of {product}) gave its sub-reseller serial {serial} to {registered} and again to another key ({given}): a reseller's sub-reseller serials must be unique, since the vendor revokes sub-resellers by them; ask the reseller to certify {given} again with an unused serial; nothing was imported"
    )]
    SubSerialUsed {
        /// The product.
        product: String,
        /// The first-level certificate's serial.
        reseller_serial: u32,
        /// Its reseller.
        reseller: String,
        /// The sub-reseller serial used twice.
        serial: u32,
        /// The sub-reseller registered with it.
        registered: String,
        /// The sub-reseller of the other key.
        given: String,
    },
    /// A sub-reseller certificate the register does not list.
    #[error(
        "no sub-reseller certificate {serial} under reseller certificate {reseller_serial} of {product} in the register: check both serials (`licensectl reseller list`); a sub-reseller is registered when the vendor imports an export holding one of its codes"
    )]
    UnknownSubCertificate {
        /// The product.
        product: String,
        /// The first-level certificate's serial.
        reseller_serial: u32,
        /// The sub-reseller serial.
        serial: u32,
    },
    /// A sub-reseller certificate revoked before.
    #[error(
        "sub-reseller certificate {serial} under reseller certificate {reseller_serial} of {product} was revoked on {on}: publish the revocation list if it is not out yet"
    )]
    SubCertificateRevoked {
        /// The product.
        product: String,
        /// The first-level certificate's serial.
        reseller_serial: u32,
        /// The sub-reseller serial.
        serial: u32,
        /// The day it was revoked.
        on: Date,
    },
    /// A reseller bundle (certificate chain, catalog and vendor keys) that cannot be used.
    #[error("the reseller bundle is invalid ({reason}): ask the vendor to send it again")]
    Bundle {
        /// What is wrong with it.
        reason: String,
    },
    /// A file that is not a reseller's ledger export, or a damaged one.
    #[error("{} is not a valid reseller ledger export (line {line}: {reason}): ask the reseller for the file its monthly export wrote, unchanged; nothing was imported", .path.display())]
    ExportFormat {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A reseller's ledger export in a format version this software does not read.
    #[error("{} is a reseller ledger export of format version {version}; this software reads versions 1 to {}: update the vendor's licensing software, or ask the reseller for a version {} export; nothing was imported", .path.display(), EXPORT_VERSION, EXPORT_VERSION)]
    ExportVersion {
        /// The file.
        path: PathBuf,
        /// The version it declares.
        version: u64,
    },
    /// A record of a reseller's ledger export that the vendor cannot accept: the whole
    /// file is refused.
    #[error(
        "the reseller ledger export is refused at line {line} (license {license_id}, revision {revision}): {problem}; nothing was imported"
    )]
    ImportRefused {
        /// The 1-based line of the record in the file.
        line: usize,
        /// The record's license id.
        license_id: u32,
        /// The record's revision.
        revision: u32,
        /// Why.
        problem: ImportProblem,
    },
    /// A reseller's home without an installed certificate (or with certificates of
    /// several reseller names).
    #[error("no single reseller certificate is installed in {} ({reason}): install the certificate the vendor sent", .path.display())]
    NoResellerCertificate {
        /// The reseller directory.
        path: PathBuf,
        /// What was found.
        reason: String,
    },
}

impl ChannelError {
    /// A stable name for the kind of error: the variant's name in snake case.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ChannelError::NoCertificate { .. } => "no_certificate",
            ChannelError::NoLicenseIdRange { .. } => "no_license_id_range",
            ChannelError::LicenseIdRangeUsed { .. } => "license_id_range_used",
            ChannelError::OutsideFrame { .. } => "outside_frame",
            ChannelError::VendorOnly { .. } => "vendor_only",
            ChannelError::ResellerMismatch { .. } => "reseller_mismatch",
            ChannelError::Register { .. } => "register",
            ChannelError::SerialUsed { .. } => "serial_used",
            ChannelError::UnknownCertificate { .. } => "unknown_certificate",
            ChannelError::CertificateRevoked { .. } => "certificate_revoked",
            ChannelError::SubSerialUsed { .. } => "sub_serial_used",
            ChannelError::UnknownSubCertificate { .. } => "unknown_sub_certificate",
            ChannelError::SubCertificateRevoked { .. } => "sub_certificate_revoked",
            ChannelError::Bundle { .. } => "bundle",
            ChannelError::ExportFormat { .. } => "export_format",
            ChannelError::ExportVersion { .. } => "export_version",
            ChannelError::ImportRefused { .. } => "import_refused",
            ChannelError::NoResellerCertificate { .. } => "no_reseller_certificate",
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            ChannelError::NoCertificate { .. }
            | ChannelError::NoLicenseIdRange { .. }
            | ChannelError::LicenseIdRangeUsed { .. }
            | ChannelError::OutsideFrame { .. }
            | ChannelError::VendorOnly { .. }
            | ChannelError::ResellerMismatch { .. }
            | ChannelError::SerialUsed { .. }
            | ChannelError::UnknownCertificate { .. }
            | ChannelError::CertificateRevoked { .. }
            | ChannelError::UnknownSubCertificate { .. }
            | ChannelError::SubCertificateRevoked { .. }
            | ChannelError::Bundle { .. }
            | ChannelError::ExportFormat { .. }
            | ChannelError::ExportVersion { .. }
            | ChannelError::NoResellerCertificate { .. } => ErrorClass::Usage,
            ChannelError::Register { .. } => ErrorClass::Data,
            ChannelError::ImportRefused { .. } | ChannelError::SubSerialUsed { .. } => ErrorClass::Invalid,
        }
    }
}

/// Why one record of a reseller's ledger export is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportProblem {
    /// The record carries no code and is no operation a reseller exports without one
    /// (cancel, revoke, site).
    #[error(
        "the record carries no code and is no cancellation, revocation or site: an export holds the codes the reseller signed and its signed cancellations, revocations and sites"
    )]
    NoCode,
    /// An operation without a code on a license the vendor has not imported under the
    /// exporting reseller's chain (it, or a sub-reseller, did not issue it).
    #[error(
        "the record cancels or revokes a license not issued under reseller {reseller}'s certificate chain (or not imported yet): a reseller changes only the licenses it or its sub-resellers issued; import the export that issued it first"
    )]
    NotUnderChain {
        /// The exporting reseller.
        reseller: String,
    },
    /// An operation without a code that names another reseller or licensee than the
    /// license's codes.
    #[error(
        "the record names another licensee or reseller than the license's codes: the file was altered; ask the reseller for the file as exported"
    )]
    OperationNamesOther,
    /// An operation without a code that carries no signature.
    #[error(
        "the record carries no code and no signature of the reseller: a cancellation or revocation must be signed; ask the reseller for an export of this software's version"
    )]
    Unsigned,
    /// An operation whose signature does not verify with the reseller's key.
    #[error(
        "the record's signature does not verify with the reseller's key: the file was altered; ask the reseller for the file as exported"
    )]
    BadOperationSignature,
    /// The code is a plain code, not a reseller's code with its certificate chain.
    #[error(
        "its code is not a reseller's code (it has no certificate chain): only codes a reseller signed are imported"
    )]
    NotDelegated,
    /// The code does not parse or verify (signatures, chain, frames, revocations).
    #[error("{0}")]
    Code(license_core::Error),
    /// The record's license is not the one its code signs.
    #[error(
        "the record's license differs from the one its code signs: the file was altered; ask the reseller for the file as exported"
    )]
    LicenseDiffers,
    /// The record names another reseller than the one that signed the code.
    #[error("the record names reseller {} but the code was signed by reseller {chain}", .record.as_deref().unwrap_or("(none)"))]
    ResellerDiffers {
        /// The record's reseller.
        record: Option<String>,
        /// The last certificate's reseller.
        chain: String,
    },
    /// The file is another reseller's export than the one that signed the code.
    #[error("the file is the export of reseller {file} but the code was signed by reseller {chain}")]
    FileReseller {
        /// The header's reseller.
        file: String,
        /// The last certificate's reseller.
        chain: String,
    },
    /// The record's day is not the code's issue day.
    #[error("the record is dated {recorded} but its code was issued on {issued}: the file was altered")]
    WrongDay {
        /// The record's day.
        recorded: Date,
        /// The signed issue day.
        issued: Date,
    },
    /// The record's operation does not fit the license its code signs (a new license is
    /// revision 1; a trial is a trial license; only a withdrawal withdraws a revision).
    #[error(
        "the record's operation '{operation}' does not fit its code (revision {revision} of a {kind} license): the file was altered"
    )]
    OperationDiffers {
        /// The record's operation.
        operation: &'static str,
        /// The signed revision.
        revision: u32,
        /// The signed kind.
        kind: Kind,
    },
    /// The record says it redeemed a ticket the vendor did not hand to this reseller for
    /// offline redemption (unknown, of another reseller or product or kind, or kept by the
    /// vendor).
    #[error(
        "the record says it redeemed ticket {ticket}, which the vendor did not hand to reseller {reseller} for this license ({why})"
    )]
    TicketNotHandedOver {
        /// The ticket id the record names.
        ticket: String,
        /// The reseller that signed the code.
        reseller: String,
        /// What does not fit, in words.
        why: &'static str,
    },
    /// The ticket was redeemed for another license already.
    #[error("the record says it redeemed ticket {ticket}, which license {license_id} redeemed already")]
    TicketRedeemed {
        /// The ticket id.
        ticket: String,
        /// The license that redeemed it.
        license_id: u32,
    },
    /// A record of another month than the file's.
    #[error("the record is dated {recorded}, outside the file's month {month}")]
    OutsideMonth {
        /// The record's day.
        recorded: Date,
        /// The file's month.
        month: Month,
    },
    /// The same license revision was imported before with another code.
    #[error(
        "this revision was imported before with another code: the reseller signed it twice; ask the reseller which code the customer has"
    )]
    ConflictingCode,
    /// The license id is in the vendor's own ledger.
    #[error(
        "the license id is in the vendor's own ledger: certify resellers with license-id ranges apart from the vendor's"
    )]
    IdOfVendor,
    /// The license id was imported for another reseller or product.
    #[error(
        "the license id was imported before for reseller {} of product {product}: certify resellers with license-id ranges apart from each other", .reseller.as_deref().unwrap_or("(none)")
    )]
    IdOfOther {
        /// The reseller it was imported for.
        reseller: Option<String>,
        /// The product it was imported for.
        product: String,
    },
}
