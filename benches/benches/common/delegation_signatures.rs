//! The (key, message, signature) triples a reseller's code contains, rebuilt from the spec
//! (docs/FORMAT.md, "Delegated codes (format v2)"): the baseline of the delegation bench and
//! of `paired-ratio`. Included by path by both; the including crate declares license-core's
//! test fixtures as `common` and `reseller` at its root.

use ed25519_dalek::{Signature, VerifyingKey};
use license_benches::batch;
use license_core::*;

use crate::common::*;

/// Domain of certificate signatures (docs/FORMAT.md, "Delegated codes (format v2)").
const DOMAIN_CERTIFICATE: &[u8] = b"license-core/v2 certificate\0";

/// The (key, message, signature) triples a reseller's code contains, rebuilt from the
/// spec: each certificate's signed message, then the code's.
pub fn signatures(code: &DelegatedCode, ctx: &Context<'_>) -> Vec<(VerifyingKey, Vec<u8>, Signature)> {
    let bytes = code.as_bytes();
    let count = usize::from(bytes[0] & 0x0F);
    let mut ends = Vec::new();
    let mut chain = bytes.to_vec();
    for n in 1..=count {
        chain[0] = 0xC0 | n as u8;
        ends.push(
            (2..=bytes.len())
                .find(|&e| CertificateChain::from_bytes(&chain[..e]).is_ok())
                .expect("chain"),
        );
    }
    let certs = CertificateChain::from_bytes(&chain[..ends[count - 1]]).expect("chain");
    let mut issuer = *public_keys()[0].verifying_key();
    let mut out = Vec::new();
    let mut start = 1;
    for (cert, &end) in certs.certificates().zip(&ends) {
        let mut m = DOMAIN_CERTIFICATE.to_vec();
        m.push(ctx.product.len() as u8);
        m.extend_from_slice(ctx.product.as_bytes());
        m.extend_from_slice(issuer.as_bytes());
        m.extend_from_slice(&bytes[start..end - 64]);
        let sig = Signature::from_bytes(bytes[end - 64..end].try_into().expect("64 bytes"));
        out.push((issuer, m, sig));
        issuer = *cert.subject.verifying_key();
        start = end;
    }
    let inner = UntrustedCode::from_bytes(&bytes[start..]).expect("code");
    out.push((
        issuer,
        batch::signed_message(&inner, ctx).expect("message"),
        batch::signature_of(&inner),
    ));
    for (k, m, s) in &out {
        k.verify_strict(m, s).expect("every contained signature verifies");
    }
    out
}
