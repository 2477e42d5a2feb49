//! Signed revocation lists: the decoder never panics on raw input; and with the input
//! taken as a list body and signed by the vendor key here, every list that parses also
//! verifies, walks its entries consistently, and re-signs to exactly the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_core::ed25519_dalek::Signer;
use license_core::{
    REVOCATION_LIST_VERSION_CERTIFICATES, REVOCATION_LIST_VERSION_SUB_CERTIFICATES, RevocationEntry,
    SubCertificateSerial, UntrustedRevocationList, sign_revocation_list, sign_revocation_list_with_certificates,
    sign_revocation_list_with_sub_certificates,
};
use license_fuzz::{PRODUCT, keys, signing_key};
use sha2::{Digest, Sha256};

const DOMAIN_REVOCATION: &[u8] = b"license-core/v1 revocation\0";

fuzz_target!(|data: &[u8]| {
    // Raw: whatever the bytes, a typed error or a list whose signature does not verify.
    if let Ok(list) = UntrustedRevocationList::parse(data) {
        let _ = list.verify(&keys(), PRODUCT);
    }

    // Signed here: the body is the input. The signature's bytes do not affect decoding,
    // so skip the (slow) signing when a placeholder signature already fails to decode.
    let mut signed = data.to_vec();
    signed.extend_from_slice(&[0; 64]);
    if UntrustedRevocationList::parse(&signed).is_err() {
        return;
    }
    signed.truncate(data.len());
    let key = signing_key();
    let mut message = DOMAIN_REVOCATION.to_vec();
    message.push(PRODUCT.len() as u8);
    message.extend_from_slice(PRODUCT.as_bytes());
    message.extend_from_slice(&Sha256::digest(data));
    signed.extend_from_slice(&key.sign(&message).to_bytes());
    let Ok(untrusted) = UntrustedRevocationList::parse(&signed) else {
        return;
    };
    let list = match untrusted.verify(&keys(), PRODUCT) {
        Ok(list) => list,
        // Only a list naming another key id may fail here.
        Err(_) => {
            assert_ne!(
                untrusted.key_id(),
                keys()[0].id(),
                "a list signed by the key must verify"
            );
            return;
        }
    };
    let entries: Vec<RevocationEntry> = list.entries().collect();
    assert_eq!(entries.len(), list.len());
    assert!(entries.windows(2).all(|w| w[0].license_id < w[1].license_id));
    for e in &entries {
        assert_eq!(list.entry(e.license_id), Some(*e));
        assert_eq!(list.is_revoked(e.license_id, 0), e.revisions.contains(0));
    }
    let pairs: Vec<SubCertificateSerial> = list.revoked_sub_certificates().collect();
    assert!(pairs.windows(2).all(|w| w[0] < w[1]));
    for p in &pairs {
        assert!(list.revokes_sub_certificate(p.reseller, p.sub_reseller));
    }
    // A version-2 list (it may revoke no certificate) re-signs as version 2, a version-3
    // list (it may revoke no pair) as version 3.
    let again = if data[0] == REVOCATION_LIST_VERSION_SUB_CERTIFICATES {
        let certificates: Vec<u32> = list.revoked_certificates().collect();
        sign_revocation_list_with_sub_certificates(
            PRODUCT,
            list.sequence(),
            list.issued(),
            list.expires(),
            &entries,
            &certificates,
            &pairs,
            &key,
        )
    } else if data[0] == REVOCATION_LIST_VERSION_CERTIFICATES {
        let certificates: Vec<u32> = list.revoked_certificates().collect();
        sign_revocation_list_with_certificates(
            PRODUCT,
            list.sequence(),
            list.issued(),
            list.expires(),
            &entries,
            &certificates,
            &key,
        )
    } else {
        sign_revocation_list(
            PRODUCT,
            list.sequence(),
            list.issued(),
            list.expires(),
            &entries,
            &key,
        )
    }
    .expect("a valid list re-signs");
    assert_eq!(again, signed, "a valid list re-encodes differently");
});
