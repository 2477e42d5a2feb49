//! Reseller's codes through the Verifier: accepted like any code inside the frame, with
//! the issuing reseller reported; outside the frame refused naming the limit (modules by
//! name); a certificate revoked by an installed list refused, also after a restart.

mod common;

use common::*;
use ed25519_dalek::SigningKey;
use license_core::{
    Certificate, CertificateChain, DelegationError, Frame, Kind, KindSet, License, LineSet, ModuleSet,
    PublicKey, ResellerName, SubCertificateSerial, Violation, sign, sign_delegated,
    sign_revocation_list_with_certificates, sign_revocation_list_with_sub_certificates,
};
use license_verify::Error;

fn reseller() -> SigningKey {
    SigningKey::from_bytes(&[21; 32])
}

fn sub() -> SigningKey {
    SigningKey::from_bytes(&[22; 32])
}

/// Contoso: subscriptions and trials of lines 0-1, modules crm, budget, resources (0-2),
/// at most 50 users, until 2027; may certify one level.
fn contoso() -> CertificateChain {
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Subscription).with(Kind::Trial),
        LineSet::EMPTY.with(0).with(1),
        ModuleSet::first(3),
        d(2027, 1, 1),
    )
    .with_max_days(Kind::Trial, 30);
    f.named_users = Some(50);
    f.delegation_depth = 1;
    Certificate {
        serial: 7,
        subject: PublicKey::from(reseller().verifying_key()),
        name: ResellerName::new("Contoso").unwrap(),
        frame: f,
    }
    .certify(PRODUCT, &vendor(), None)
    .unwrap()
}

fn fabrikam() -> CertificateChain {
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Subscription),
        LineSet::EMPTY.with(1),
        ModuleSet::first(2),
        d(2027, 1, 1),
    );
    f.named_users = Some(25);
    Certificate {
        serial: 1,
        subject: PublicKey::from(sub().verifying_key()),
        name: ResellerName::new("Fabrikam").unwrap(),
        frame: f,
    }
    .certify(PRODUCT, &reseller(), Some(&contoso()))
    .unwrap()
}

fn inside() -> License {
    License {
        modules: ModuleSet::EMPTY.with(0).with(1),
        ..subscription()
    }
}

#[test]
fn a_resellers_code_verifies_like_any_code_and_names_its_issuer() {
    let v = verifier();
    let one = sign_delegated(&inside(), &context(), &reseller(), &contoso())
        .unwrap()
        .to_string();
    let verified = v.verify_text_at(&one, noon(d(2026, 3, 1))).unwrap();
    assert!(verified.is_usable());
    let issuer = verified.issuer().unwrap();
    assert_eq!(
        (
            issuer.reseller().name.as_str(),
            issuer.reseller().serial,
            issuer.depth()
        ),
        ("Contoso", 7, 1)
    );
    let two = sign_delegated(&inside(), &context(), &sub(), &fabrikam())
        .unwrap()
        .to_string();
    let verified = v.verify_text_at(&two, noon(d(2026, 3, 1))).unwrap();
    let issuer = verified.issuer().unwrap();
    assert_eq!(issuer.reseller().name, "Fabrikam");
    assert_eq!(issuer.chain()[0].name, "Contoso");
    // A vendor's code has no reseller.
    assert!(
        v.verify_text_at(&issue(&inside()), noon(d(2026, 3, 1)))
            .unwrap()
            .issuer()
            .is_none()
    );
}

#[test]
fn outside_the_frame_is_refused_naming_the_module() {
    let v = verifier();
    // What a dishonest reseller would sign: module bi (3) is outside Contoso's frame.
    let license = subscription();
    let code = sign(&license, &context(), &reseller()).unwrap();
    let mut bytes = contoso().as_bytes().to_vec();
    bytes[0] = 0xD1;
    bytes.extend_from_slice(code.as_bytes());
    let text = license_core::UntrustedDelegatedCode::from_bytes(&bytes)
        .unwrap()
        .to_string();
    match v.verify_text_at(&text, noon(d(2026, 3, 1))) {
        Err(e @ Error::ModuleOutsideFrame { .. }) => assert_eq!(
            e.to_string(),
            "module bi is outside the frame of reseller Contoso: ask the reseller for a license inside its frame, or the vendor"
        ),
        other => panic!("{other:?}"),
    }
    // Other limits come from license-core with their numbers.
    let many = License {
        named_users: Some(51),
        ..inside()
    };
    let code = sign(&many, &context(), &reseller()).unwrap();
    bytes.truncate(contoso().as_bytes().len());
    bytes.extend_from_slice(code.as_bytes());
    let text = license_core::UntrustedDelegatedCode::from_bytes(&bytes)
        .unwrap()
        .to_string();
    assert!(matches!(
        v.verify_text_at(&text, noon(d(2026, 3, 1))),
        Err(Error::Code(license_core::Error::Delegation(
            DelegationError::OutsideFrame {
                violation: Violation::NamedUsers {
                    requested: Some(51),
                    max: 50
                },
                ..
            }
        )))
    ));
}

#[test]
fn a_revoked_certificate_stays_revoked_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let text = sign_delegated(&inside(), &context(), &sub(), &fabrikam())
        .unwrap()
        .to_string();
    let today = noon(d(2026, 3, 1));
    {
        let v = verifier_with_state(&state);
        v.verify_text_at(&text, today).unwrap();
        let list = sign_revocation_list_with_certificates(
            PRODUCT,
            1,
            d(2026, 2, 1),
            d(2026, 5, 1),
            &[],
            &[7],
            &vendor(),
        )
        .unwrap();
        v.ingest_revocation_list_at(&list, today).unwrap();
        assert!(matches!(
            v.verify_text_at(&text, today),
            Err(Error::Code(license_core::Error::Delegation(
                DelegationError::Revoked { serial: 7, .. }
            )))
        ));
    }
    let v = verifier_with_state(&state);
    assert!(matches!(
        v.verify_text_at(&text, today),
        Err(Error::Code(license_core::Error::Delegation(
            DelegationError::Revoked { serial: 7, .. }
        )))
    ));
    // A plain code of the same installation is unaffected.
    v.verify_text_at(
        &issue(&License {
            license_id: 2002,
            ..inside()
        }),
        today,
    )
    .unwrap();
}

/// A version-3 list revokes Fabrikam (serial 1 under Contoso's 7) by the pair: its code
/// is refused, also after a restart (the state file keeps the pair), while Contoso's own
/// code stays usable; a later list without the pair lifts it.
#[test]
fn a_revoked_sub_reseller_stays_revoked_across_restarts_and_its_reseller_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let fabrikams = sign_delegated(&inside(), &context(), &sub(), &fabrikam())
        .unwrap()
        .to_string();
    let contosos = sign_delegated(
        &License {
            license_id: 3003,
            ..inside()
        },
        &context(),
        &reseller(),
        &contoso(),
    )
    .unwrap()
    .to_string();
    let today = noon(d(2026, 3, 1));
    let list = |sequence, pairs: &[SubCertificateSerial]| {
        sign_revocation_list_with_sub_certificates(
            PRODUCT,
            sequence,
            d(2026, 2, 1),
            d(2026, 5, 1),
            &[],
            &[],
            pairs,
            &vendor(),
        )
        .unwrap()
    };
    let fabrikam_pair = SubCertificateSerial {
        reseller: 7,
        sub_reseller: 1,
    };
    let refused = |r: Result<license_verify::Verification, Error>| {
        matches!(
            r,
            Err(Error::Code(license_core::Error::Delegation(
                DelegationError::SubResellerRevoked {
                    parent_serial: 7,
                    serial: 1,
                    ..
                }
            )))
        )
    };
    {
        let v = verifier_with_state(&state);
        v.verify_text_at(&fabrikams, today).unwrap();
        v.ingest_revocation_list_at(&list(1, &[fabrikam_pair]), today)
            .unwrap();
        assert!(refused(v.verify_text_at(&fabrikams, today)));
        v.verify_text_at(&contosos, today).unwrap();
    }
    let v = verifier_with_state(&state);
    assert!(
        refused(v.verify_text_at(&fabrikams, today)),
        "kept in the state file"
    );
    v.verify_text_at(&contosos, today).unwrap();
    // The same sub-serial under another reseller's certificate is another certificate.
    v.ingest_revocation_list_at(
        &list(
            2,
            &[SubCertificateSerial {
                reseller: 8,
                sub_reseller: 1,
            }],
        ),
        today,
    )
    .unwrap();
    v.verify_text_at(&fabrikams, today).unwrap();
}

#[test]
fn a_file_with_a_plain_and_a_resellers_code_holds_both() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("license.txt");
    let renewal = License {
        license_id: 3003,
        ..inside()
    };
    let reseller_code = sign_delegated(&renewal, &context(), &reseller(), &contoso())
        .unwrap()
        .to_string();
    std::fs::write(&path, format!("{}\n{}\n", issue(&inside()), reseller_code)).unwrap();
    verifier().verify_file_at(&path, noon(d(2026, 3, 1))).unwrap();
}

/// Issue 19, item 4: a reseller's code with its first symbol (the reseller tag) mistyped
/// is a typo in group 1, not a plain code "too long"; a long text that is no code at all
/// is still "too long for a license code".
#[test]
fn a_typo_in_the_first_symbol_of_a_resellers_code_is_located() {
    let v = verifier();
    let one = sign_delegated(&inside(), &context(), &reseller(), &contoso())
        .unwrap()
        .to_string();
    for c in ['0', 'R', 'V', 'Z'] {
        let typo: String = std::iter::once(c).chain(one.chars().skip(1)).collect();
        let e = v.verify_text_at(&typo, noon(d(2026, 3, 1))).unwrap_err();
        assert!(
            matches!(e, Error::Code(license_core::Error::Typo { group: 1 })),
            "{c}: {e:?}"
        );
    }
    let garbage = "0".repeat(400);
    assert!(matches!(
        v.verify_text_at(&garbage, noon(d(2026, 3, 1))),
        Err(Error::Code(license_core::Error::TooLong { .. }))
    ));
}

/// What an installation does with a revocation list of a version its software does not
/// read (software reading only versions 1 and 2 meets a version-3 list so; version 4
/// stands in for it here): the list is refused as invalid by its version byte, nothing is
/// installed, and the list installed before stays in force.
#[test]
fn a_list_of_an_unknown_version_is_refused_and_the_installed_list_stays() {
    let dir = tempfile::tempdir().unwrap();
    let v = verifier_with_state(&dir.path().join("state"));
    let text = sign_delegated(&inside(), &context(), &sub(), &fabrikam())
        .unwrap()
        .to_string();
    let today = noon(d(2026, 3, 1));
    let installed = sign_revocation_list_with_certificates(
        PRODUCT,
        1,
        d(2026, 2, 1),
        d(2026, 5, 1),
        &[],
        &[7],
        &vendor(),
    )
    .unwrap();
    v.ingest_revocation_list_at(&installed, today).unwrap();
    let mut newer = sign_revocation_list_with_sub_certificates(
        PRODUCT,
        2,
        d(2026, 2, 1),
        d(2026, 5, 1),
        &[],
        &[],
        &[SubCertificateSerial {
            reseller: 7,
            sub_reseller: 1,
        }],
        &vendor(),
    )
    .unwrap();
    newer[0] = 4;
    let refused = v.ingest_revocation_list_at(&newer, today).unwrap_err();
    assert!(
        matches!(
            refused,
            Error::Code(license_core::Error::InvalidRevocationList(
                "unsupported format version: update the software"
            ))
        ),
        "{refused:?}"
    );
    assert_eq!(v.revocation_list().map(|r| r.sequence), Some(1));
    assert!(matches!(
        v.verify_text_at(&text, today),
        Err(Error::Code(license_core::Error::Delegation(
            DelegationError::Revoked { serial: 7, .. }
        )))
    ));
}
