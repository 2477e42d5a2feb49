//! Fixtures of reseller delegation shared by the delegation tests, the no-heap test and
//! the v2-delegation golden-vector generator (`examples/gen_delegation_vectors.rs`
//! includes this file next to `tests/common/mod.rs`).
#![allow(dead_code, missing_docs)]

use license_core::ed25519_dalek::SigningKey;
use license_core::*;

use super::common::*;

/// The reseller Contoso's key (certified by the vendor key of `common::SEED`).
pub const RESELLER_SEED: [u8; 32] = [21; 32];
/// The sub-reseller Fabrikam's key (certified by Contoso).
pub const SUB_SEED: [u8; 32] = [22; 32];
pub const RESELLER: &str = "Contoso";
pub const SUB: &str = "Fabrikam";

pub fn reseller_key() -> SigningKey {
    SigningKey::from_bytes(&RESELLER_SEED)
}

pub fn sub_key() -> SigningKey {
    SigningKey::from_bytes(&SUB_SEED)
}

pub fn public(k: &SigningKey) -> PublicKey {
    PublicKey::from(k.verifying_key())
}

/// The reference frame: Contoso may issue trial and subscription licenses of the
/// Standard and Expert lines with modules 0-5, trials usable at most 30 days, at most
/// 100 named users each, issued before 2028-01-01, and certify one level of
/// sub-resellers.
pub fn reseller_frame() -> Frame {
    let kinds = KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription);
    let mut f = Frame::new(
        kinds,
        LineSet::EMPTY.with(0).with(1),
        ModuleSet::first(6),
        day(2028, 1, 1),
    )
    .with_max_days(Kind::Trial, 30);
    f.named_users = Some(100);
    f.delegation_depth = 1;
    f
}

/// Fabrikam's frame, inside Contoso's: Expert only, modules 0-3, trials at most 14 days,
/// at most 50 named users, issued before 2027-07-01, no further delegation.
pub fn sub_frame() -> Frame {
    let kinds = KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription);
    let mut f = Frame::new(
        kinds,
        LineSet::EMPTY.with(1),
        ModuleSet::first(4),
        day(2027, 7, 1),
    )
    .with_max_days(Kind::Trial, 14);
    f.named_users = Some(50);
    f
}

pub fn certificate(serial: u32, key: &SigningKey, name: &str, frame: Frame) -> Certificate {
    Certificate {
        serial,
        subject: public(key),
        name: ResellerName::new(name).expect("valid name"),
        frame,
    }
}

/// Contoso's chain: the vendor's certificate, serial 7.
pub fn reseller_chain() -> CertificateChain {
    reseller_chain_with(reseller_frame())
}

pub fn reseller_chain_with(frame: Frame) -> CertificateChain {
    certificate(7, &reseller_key(), RESELLER, frame)
        .certify(PRODUCT, &key(), None)
        .expect("vendor certifies")
}

/// Fabrikam's chain: the vendor's certificate of Contoso, then Contoso's of Fabrikam (serial 1).
pub fn sub_chain() -> CertificateChain {
    sub_chain_with(sub_frame())
}

pub fn sub_chain_with(frame: Frame) -> CertificateChain {
    certificate(1, &sub_key(), SUB, frame)
        .certify(PRODUCT, &reseller_key(), Some(&reseller_chain()))
        .expect("Contoso certifies inside its frame")
}

/// The one-level reference code: the reference license signed by Contoso.
pub fn reseller_code() -> DelegatedCode {
    let m = reference_machine();
    sign_delegated(
        &reference(),
        &reference_context(&m),
        &reseller_key(),
        &reseller_chain(),
    )
    .expect("inside the frame")
}

/// The two-level reference code: the reference license signed by Fabrikam.
pub fn sub_code() -> DelegatedCode {
    let m = reference_machine();
    sign_delegated(&reference(), &reference_context(&m), &sub_key(), &sub_chain()).expect("inside the frame")
}

/// What a dishonest reseller would produce: `license` signed with `key` after `chain`,
/// without the frame check of `sign_delegated`.
pub fn forge(chain: &CertificateChain, license: &License, key: &SigningKey) -> Vec<u8> {
    let m = reference_machine();
    let code = sign(license, &reference_context(&m), key).expect("signs");
    let mut bytes = chain.as_bytes().to_vec();
    bytes[0] = 0xD0 | chain.len() as u8;
    bytes.extend_from_slice(code.as_bytes());
    bytes
}

/// `chain` with the certificate of `sub` (made under another chain of the same key) appended:
/// how a widening sub-certificate would be smuggled past the issuer's check.
pub fn splice(chain: &CertificateChain, sub: &CertificateChain) -> CertificateChain {
    let last = sub.as_bytes();
    let first_len = sub_certificate_start(sub);
    let mut bytes = chain.as_bytes().to_vec();
    bytes[0] = 0xC0 | (chain.len() as u8 + 1);
    bytes.extend_from_slice(&last[first_len..]);
    CertificateChain::from_bytes(&bytes).expect("decodes")
}

/// Where the second certificate of a two-certificate chain starts.
fn sub_certificate_start(sub: &CertificateChain) -> usize {
    assert_eq!(sub.len(), 2);
    // The first certificate's length: decode the chain cut to one certificate at every
    // possible end until it parses.
    let b = sub.as_bytes();
    (2..b.len())
        .find(|&end| {
            let mut one = b[..end].to_vec();
            one[0] = 0xC1;
            CertificateChain::from_bytes(&one).is_ok()
        })
        .expect("the first certificate ends somewhere")
}

pub fn verify_bytes(bytes: &[u8], revoked: impl Fn(u32) -> bool) -> Result<VerifiedDelegatedLicense, Error> {
    let m = reference_machine();
    UntrustedDelegatedCode::from_bytes(bytes)?.verify(&public_keys(), &reference_context(&m), revoked)
}

/// A stable name for each error of a reseller's code, as written in the golden vectors.
pub fn delegation_error_name(e: &Error) -> &'static str {
    match e {
        Error::Delegation(d) => match d {
            DelegationError::UnknownVendorKey { .. } => "unknown-vendor-key",
            DelegationError::WrongProduct { .. } => "certificate-wrong-product",
            DelegationError::BadCertificateSignature { .. } => "bad-certificate-signature",
            DelegationError::NotSignedByReseller { .. } => "not-signed-by-reseller",
            DelegationError::Revoked { .. } => "revoked",
            DelegationError::SubResellerRevoked { .. } => "sub-reseller-revoked",
            DelegationError::Widening { .. } => "widening",
            DelegationError::OutsideFrame { .. } => "outside-frame",
            _ => "other",
        },
        e => error_name(e),
    }
}
