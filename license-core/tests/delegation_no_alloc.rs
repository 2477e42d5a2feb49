//! Parsing and verifying a reseller's code (chain included) performs no heap allocation.

mod common;
mod reseller;

use common::*;
use license_core::*;
use reseller::*;

#[test]
fn parse_and_verify_of_a_resellers_code_do_not_allocate() {
    let keys = public_keys();
    let machine = reference_machine();
    let ctx = reference_context(&machine);
    let today = day(2027, 1, 1);
    for text in [reseller_code().to_string(), sub_code().to_string()] {
        let mut result = None;
        let info = allocation_counter::measure(|| {
            let verified =
                UntrustedDelegatedCode::parse(&text).and_then(|c| c.verify(&keys, &ctx, |_| false));
            result = Some(verified.map(|v| {
                (
                    v.depth(),
                    v.license().evaluate(today, today, &Policy::default()).status,
                )
            }));
        });
        assert!(matches!(result, Some(Ok((1 | 2, Status::Valid)))), "{result:?}");
        assert_eq!(info.count_total, 0, "{info:?}");
        // Errors do not allocate either: a typo, a frame violation, a revoked chain.
        let typo = text.replacen('0', "1", 1);
        let info = allocation_counter::measure(|| {
            assert!(UntrustedDelegatedCode::parse(&typo).is_err());
            let revoked =
                UntrustedDelegatedCode::parse(&text).and_then(|c| c.verify(&keys, &ctx, |s| s == 7));
            assert!(revoked.is_err());
        });
        assert_eq!(info.count_total, 0, "{info:?}");
    }
    let chain = sub_chain().to_string();
    let info = allocation_counter::measure(|| {
        assert!(
            CertificateChain::parse(&chain)
                .and_then(|c| c.verify(&keys, PRODUCT).map(|_| ()))
                .is_ok()
        );
    });
    assert_eq!(info.count_total, 0, "{info:?}");
}

/// Issue 20: a version-3 revocation list is parsed, verified and asked about a chain's
/// sub-reseller (by the pair of serials) without heap allocation.
#[test]
fn a_version_3_list_revokes_a_sub_reseller_without_allocating() {
    let keys = public_keys();
    let machine = reference_machine();
    let ctx = reference_context(&machine);
    let pair = SubCertificateSerial {
        reseller: 7,
        sub_reseller: 1,
    };
    let bytes = sign_revocation_list_with_sub_certificates(
        PRODUCT,
        1,
        day(2027, 1, 1),
        day(2027, 2, 1),
        &[],
        &[3],
        &[pair],
        &key(),
    )
    .unwrap();
    let text = sub_code().to_string();
    let info = allocation_counter::measure(|| {
        let list = UntrustedRevocationList::parse(&bytes)
            .and_then(|u| u.verify(&keys, PRODUCT))
            .unwrap();
        let refused =
            UntrustedDelegatedCode::parse(&text).and_then(|c| c.verify_revocations(&keys, &ctx, &list));
        assert!(matches!(
            refused,
            Err(Error::Delegation(DelegationError::SubResellerRevoked {
                serial: 1,
                ..
            }))
        ));
    });
    assert_eq!(info.count_total, 0, "{info:?}");
}
