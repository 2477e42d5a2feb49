//! Why a reseller's code, a certificate chain or a certification was refused. Below
//! `error` (which carries it) and above what it names: resellers and frame violations.

use crate::reseller_name::ResellerName;
use crate::violation::Violation;

/// Why a reseller's code, a certificate chain or a certification was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DelegationError {
    /// The chain's first certificate names a vendor key this installation does not have.
    #[error(
        "the reseller's certificate was signed with a key this software does not know (key id {key_id:#04x}): it is from another vendor, or this software is too old"
    )]
    UnknownVendorKey {
        /// The key id in the first certificate.
        key_id: u8,
    },
    /// A certificate is for another product.
    #[error(
        "the certificate of reseller {reseller} is for another product: enter a code issued for this product"
    )]
    WrongProduct {
        /// The certificate's reseller.
        reseller: ResellerName,
    },
    /// A certificate's signature does not verify with its issuer's key.
    #[error(
        "the certificate of reseller {reseller} is not signed by its issuer: it was altered or forged; ask the vendor for a new code"
    )]
    BadCertificateSignature {
        /// The certificate's reseller.
        reseller: ResellerName,
    },
    /// The code after the chain was not signed with the last certificate's key.
    #[error(
        "the license code is not signed by reseller {reseller}: it was altered or forged; ask the reseller for a new code"
    )]
    NotSignedByReseller {
        /// The last certificate's reseller.
        reseller: ResellerName,
    },
    /// The vendor has revoked a certificate of the chain.
    #[error(
        "the certificate {serial} of reseller {reseller} was revoked by the vendor: ask the vendor for a new license"
    )]
    Revoked {
        /// The revoked certificate's reseller.
        reseller: ResellerName,
        /// Its serial.
        serial: u32,
    },
    /// The vendor has revoked a sub-reseller's certificate (the second of the chain) by
    /// the pair of serials.
    #[error(
        "the certificate {serial} of sub-reseller {reseller}, under the reseller certificate {parent_serial}, was revoked by the vendor: ask the vendor for a new license"
    )]
    SubResellerRevoked {
        /// The sub-reseller.
        reseller: ResellerName,
        /// The serial of the first-level certificate above it.
        parent_serial: u32,
        /// The sub-reseller certificate's serial (its reseller gave it).
        serial: u32,
    },
    /// A sub-reseller's frame is wider than its parent's (or the parent may not delegate).
    #[error(
        "the certificate of reseller {reseller} is wider than its issuer's ({violation}): ask the vendor for a new code"
    )]
    Widening {
        /// The sub-reseller whose certificate widens.
        reseller: ResellerName,
        /// The first limit widened.
        violation: Violation,
    },
    /// The license is outside the frame of the reseller that signed it.
    #[error(
        "{violation}: the license is outside the frame of reseller {reseller}; ask the reseller for a license inside its frame, or the vendor"
    )]
    OutsideFrame {
        /// The reseller that signed it.
        reseller: ResellerName,
        /// The first limit exceeded.
        violation: Violation,
    },
    /// Signing with a key that is not the certified one (issuer side).
    #[error(
        "the signing key is not the key certified for reseller {reseller}: use the reseller key the certificate was made for"
    )]
    KeyMismatch {
        /// The certificate's reseller.
        reseller: ResellerName,
    },
    /// A certificate the format cannot express (issuer side), or a chain too long.
    #[error("the certificate cannot be made: {0}")]
    InvalidCertificate(&'static str),
}
