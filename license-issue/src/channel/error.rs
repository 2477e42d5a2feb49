//! Errors of the reseller channel: certificates, frames, bundles, exports and imports: the `Channel` part of [`crate::Error`].

use crate::error::class::ErrorClass;
use license_core::Date;
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
    #[error("{} is a reseller ledger export of format version {version}; this software reads versions 1 to {}: update the vendor's licensing software, or ask the reseller for a version {} export; nothing was imported", .path.display(), crate::EXPORT_VERSION, crate::EXPORT_VERSION)]
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
        problem: crate::ImportProblem,
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
            | ChannelError::Bundle { .. }
            | ChannelError::ExportFormat { .. }
            | ChannelError::ExportVersion { .. }
            | ChannelError::NoResellerCertificate { .. } => ErrorClass::Usage,
            ChannelError::Register { .. } => ErrorClass::Data,
            ChannelError::ImportRefused { .. } => ErrorClass::Invalid,
        }
    }
}
