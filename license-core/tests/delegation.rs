//! Reseller delegation: certificate chains, frames, reseller's codes (format v2).

mod common;
mod reseller;

use common::*;
use license_core::*;
use proptest::prelude::*;
use reseller::*;

fn outside(reseller: &str, violation: Violation) -> Error {
    Error::Delegation(DelegationError::OutsideFrame {
        reseller: ResellerName::new(reseller).unwrap(),
        violation,
    })
}

fn widening(reseller: &str, violation: Violation) -> Error {
    Error::Delegation(DelegationError::Widening {
        reseller: ResellerName::new(reseller).unwrap(),
        violation,
    })
}

fn verify_text(text: &str) -> Result<VerifiedDelegatedLicense, Error> {
    let m = reference_machine();
    UntrustedDelegatedCode::parse(text)?.verify(&public_keys(), &reference_context(&m), |_| false)
}

#[test]
fn one_and_two_level_codes_verify_and_name_their_issuer() {
    for (code, depth, issuer, max_len) in [(reseller_code(), 1, RESELLER, 340), (sub_code(), 2, SUB, 540)] {
        let text = code.to_string();
        assert!(is_delegated_text(&text));
        assert!(code.text_len() <= max_len, "{} > {max_len}", code.text_len());
        assert_eq!(text.replace('-', "").len(), code.text_len());
        let v = verify_text(&text).unwrap();
        assert_eq!(v.depth(), depth);
        assert_eq!(v.issuer().name.as_str(), issuer);
        assert_eq!(v.chain().next().unwrap().name.as_str(), RESELLER);
        assert_eq!(v.license().license(), &reference());
        let today = day(2027, 1, 1);
        assert_eq!(
            v.license().evaluate(today, today, &Policy::default()).status,
            Status::Valid
        );
    }
    // A plain code is not a reseller's code.
    assert!(!is_delegated_text(&reference_code().to_string()));
}

#[test]
fn chain_text_round_trips_and_verifies_for_its_product_only() {
    let chain = sub_chain();
    let parsed = CertificateChain::parse(&chain.to_string()).unwrap();
    assert_eq!(parsed, chain);
    assert_eq!(parsed.verify(&public_keys(), PRODUCT).unwrap().name.as_str(), SUB);
    assert_eq!(
        parsed.verify(&public_keys(), "other-product"),
        Err(Error::Delegation(DelegationError::WrongProduct {
            reseller: ResellerName::new(RESELLER).unwrap()
        }))
    );
    // A chain is not a license code, nor the other way round.
    assert!(UntrustedDelegatedCode::parse(&chain.to_string()).is_err());
    assert!(CertificateChain::parse(&reseller_code().to_string()).is_err());
}

/// Each limit of the frame exceeded by one: refused before signing, and refused when a
/// dishonest reseller signs it anyway.
#[test]
fn every_limit_exceeded_by_one_is_refused_when_issuing_and_verifying() {
    let mut frame = reseller_frame();
    frame.concurrent_seats = Some(20);
    frame.maintenance_days = Some(400);
    frame.license_ids = Some(IdRange {
        first: 1000,
        last: 1999,
    });
    let chain = reseller_chain_with(frame);
    let base = reference();
    let trial = License {
        kind: Kind::Trial,
        expires: base.issued.checked_add_days(30),
        grace_days: 0,
        ..base
    };
    let cases: Vec<(License, Violation)> = vec![
        (
            License {
                named_users: Some(101),
                ..base
            },
            Violation::NamedUsers {
                requested: Some(101),
                max: 100,
            },
        ),
        (
            License {
                named_users: None,
                ..base
            },
            Violation::NamedUsers {
                requested: None,
                max: 100,
            },
        ),
        (
            License {
                concurrent_seats: Some(21),
                ..base
            },
            Violation::ConcurrentSeats {
                requested: Some(21),
                max: 20,
            },
        ),
        (
            License {
                demo_seats: 21,
                ..base
            },
            Violation::DemoSeats {
                requested: 21,
                max: 20,
            },
        ),
        (
            License {
                modules: base.modules.with(6),
                ..base
            },
            Violation::Module(6),
        ),
        (
            License {
                line: ProductLine::new(2).unwrap(),
                ..base
            },
            Violation::Line(2),
        ),
        (
            License {
                kind: Kind::Full,
                expires: None,
                ..base
            },
            Violation::Kind(Kind::Full),
        ),
        (
            License {
                kind: Kind::Nfr,
                ..base
            },
            Violation::Kind(Kind::Nfr),
        ),
        (
            License {
                expires: trial.issued.checked_add_days(31),
                ..trial
            },
            Violation::Days {
                kind: Kind::Trial,
                requested: Some(31),
                max: 30,
            },
        ),
        (
            License {
                grace_days: 1,
                ..trial
            },
            Violation::Days {
                kind: Kind::Trial,
                requested: Some(31),
                max: 30,
            },
        ),
        (
            License {
                expires: None,
                ..trial
            },
            Violation::Days {
                kind: Kind::Trial,
                requested: None,
                max: 30,
            },
        ),
        (
            License {
                maintenance_ends: base.issued.checked_add_days(401),
                ..base
            },
            Violation::Maintenance {
                requested: Some(401),
                max: 400,
            },
        ),
        (
            License {
                maintenance_ends: None,
                ..base
            },
            Violation::Maintenance {
                requested: None,
                max: 400,
            },
        ),
        (
            License {
                license_id: 2000,
                ..base
            },
            Violation::LicenseId {
                id: 2000,
                range: IdRange {
                    first: 1000,
                    last: 1999,
                },
            },
        ),
        (
            // The certificate's validity: issued on its (exclusive) end.
            License {
                issued: day(2028, 1, 1),
                valid_from: day(2028, 1, 1),
                expires: Some(day(2029, 1, 1)),
                maintenance_ends: Some(day(2029, 1, 1)),
                ..base
            },
            Violation::IssuedAfter {
                issued: day(2028, 1, 1),
                not_after: day(2028, 1, 1),
            },
        ),
    ];
    // The limits themselves are inside.
    let m = reference_machine();
    let ctx = reference_context(&m);
    for ok in [
        License {
            named_users: Some(100),
            concurrent_seats: Some(20),
            demo_seats: 20,
            ..base
        },
        trial,
        License {
            license_id: 1999,
            maintenance_ends: base.issued.checked_add_days(400),
            ..base
        },
        License {
            grace_days: 1,
            expires: trial.issued.checked_add_days(29),
            ..trial
        },
    ] {
        let code = sign_delegated(&ok, &ctx, &reseller_key(), &chain).unwrap();
        verify_bytes(code.as_bytes(), |_| false).unwrap();
    }
    for (license, violation) in cases {
        assert_eq!(
            sign_delegated(&license, &ctx, &reseller_key(), &chain).map(|_| ()),
            Err(outside(RESELLER, violation)),
            "issuing {violation:?}"
        );
        assert_eq!(
            verify_bytes(&forge(&chain, &license, &reseller_key()), |_| false).map(|_| ()),
            Err(outside(RESELLER, violation)),
            "verifying {violation:?}"
        );
    }
}

#[test]
fn not_before_and_binding_requirements() {
    let mut frame = reseller_frame();
    frame.not_before = Some(day(2026, 12, 1));
    frame.binding_required = true;
    let chain = reseller_chain_with(frame);
    let base = reference();
    let m = reference_machine();
    let ctx = reference_context(&m);
    for (license, violation) in [
        (
            base,
            Violation::IssuedBefore {
                issued: base.issued,
                not_before: day(2026, 12, 1),
            },
        ),
        (
            License {
                issued: day(2026, 12, 1),
                valid_from: day(2026, 12, 1),
                binding: Binding::NONE,
                ..base
            },
            Violation::BindingRequired,
        ),
    ] {
        assert_eq!(
            sign_delegated(&license, &ctx, &reseller_key(), &chain).map(|_| ()),
            Err(outside(RESELLER, violation))
        );
        assert_eq!(
            verify_bytes(&forge(&chain, &license, &reseller_key()), |_| false).map(|_| ()),
            Err(outside(RESELLER, violation))
        );
    }
}

#[test]
fn the_sub_resellers_frame_limits_its_codes() {
    let m = reference_machine();
    let ctx = reference_context(&m);
    let base = reference();
    for (license, violation) in [
        (
            License {
                named_users: Some(51),
                ..base
            },
            Violation::NamedUsers {
                requested: Some(51),
                max: 50,
            },
        ),
        (
            License {
                line: ProductLine::new(0).unwrap(),
                ..base
            },
            Violation::Line(0),
        ),
        (
            License {
                modules: base.modules.with(4),
                ..base
            },
            Violation::Module(4),
        ),
        (
            License {
                issued: day(2027, 7, 1),
                valid_from: day(2027, 7, 1),
                ..base
            },
            Violation::IssuedAfter {
                issued: day(2027, 7, 1),
                not_after: day(2027, 7, 1),
            },
        ),
    ] {
        assert_eq!(
            sign_delegated(&license, &ctx, &sub_key(), &sub_chain()).map(|_| ()),
            Err(outside(SUB, violation))
        );
        assert_eq!(
            verify_bytes(&forge(&sub_chain(), &license, &sub_key()), |_| false).map(|_| ()),
            Err(outside(SUB, violation))
        );
    }
}

/// A sub-reseller's frame wider than its parent's, in each dimension: refused when
/// certifying, and refused when verifying a chain spliced together past that check.
#[test]
fn widening_at_any_link_is_refused_when_certifying_and_verifying() {
    let parent = reseller_frame();
    let narrow = sub_frame();
    let mut cases: Vec<(Frame, Violation)> = vec![
        (
            Frame {
                named_users: Some(101),
                ..narrow
            },
            Violation::NamedUsers {
                requested: Some(101),
                max: 100,
            },
        ),
        (
            Frame {
                named_users: None,
                ..narrow
            },
            Violation::NamedUsers {
                requested: None,
                max: 100,
            },
        ),
        (
            Frame {
                modules: narrow.modules.with(6),
                ..narrow
            },
            Violation::Module(6),
        ),
        (
            Frame {
                lines: narrow.lines.with(2),
                ..narrow
            },
            Violation::Line(2),
        ),
        (
            Frame {
                kinds: narrow.kinds.with(Kind::Full),
                ..narrow
            },
            Violation::Kind(Kind::Full),
        ),
        (
            narrow.with_max_days(Kind::Trial, 31),
            Violation::Days {
                kind: Kind::Trial,
                requested: Some(31),
                max: 30,
            },
        ),
        (
            Frame {
                max_days: [None; 4],
                ..narrow
            },
            Violation::Days {
                kind: Kind::Trial,
                requested: None,
                max: 30,
            },
        ),
        (
            Frame {
                not_after: day(2028, 1, 2),
                ..narrow
            },
            Violation::IssuedAfter {
                issued: day(2028, 1, 2),
                not_after: day(2028, 1, 1),
            },
        ),
        (
            Frame {
                delegation_depth: 1,
                ..narrow
            },
            Violation::Delegation { parent_depth: 1 },
        ),
    ];
    // Limits the parent sets must be restated: seats, maintenance, id ranges, binding.
    let mut strict = parent;
    strict.concurrent_seats = Some(20);
    strict.license_ids = Some(IdRange {
        first: 1000,
        last: 1999,
    });
    strict.binding_required = true;
    strict.not_before = Some(day(2026, 1, 1));
    let strict_cases: Vec<(Frame, Violation)> = vec![
        (
            Frame {
                concurrent_seats: Some(21),
                license_ids: strict.license_ids,
                binding_required: true,
                not_before: strict.not_before,
                ..narrow
            },
            Violation::ConcurrentSeats {
                requested: Some(21),
                max: 20,
            },
        ),
        (
            Frame {
                concurrent_seats: Some(20),
                license_ids: Some(IdRange {
                    first: 1500,
                    last: 2000,
                }),
                binding_required: true,
                not_before: strict.not_before,
                ..narrow
            },
            Violation::LicenseId {
                id: 2000,
                range: IdRange {
                    first: 1000,
                    last: 1999,
                },
            },
        ),
        (
            Frame {
                concurrent_seats: Some(20),
                license_ids: strict.license_ids,
                binding_required: false,
                not_before: strict.not_before,
                ..narrow
            },
            Violation::BindingRequired,
        ),
        (
            Frame {
                concurrent_seats: Some(20),
                license_ids: strict.license_ids,
                binding_required: true,
                not_before: Some(day(2025, 12, 31)),
                ..narrow
            },
            Violation::IssuedBefore {
                issued: day(2025, 12, 31),
                not_before: day(2026, 1, 1),
            },
        ),
    ];
    let wide_parent = {
        let mut f = Frame::new(KindSet::ALL, LineSet::ALL, ModuleSet::first(64), day(2099, 1, 1));
        f.delegation_depth = 2;
        reseller_chain_with(f)
    };
    let mut all: Vec<(Frame, Violation, CertificateChain)> = Vec::new();
    all.extend(cases.drain(..).map(|(f, v)| (f, v, reseller_chain())));
    all.extend(
        strict_cases
            .into_iter()
            .map(|(f, v)| (f, v, reseller_chain_with(strict))),
    );
    for (frame, violation, parent_chain) in all {
        let cert = certificate(1, &sub_key(), SUB, frame);
        assert_eq!(
            cert.certify(PRODUCT, &reseller_key(), Some(&parent_chain))
                .map(|_| ()),
            Err(widening(SUB, violation)),
            "certifying {violation:?}"
        );
        // Certified under a wide chain of the same key, then spliced onto the real one.
        let smuggled = splice(
            &parent_chain,
            &cert
                .certify(PRODUCT, &reseller_key(), Some(&wide_parent))
                .unwrap(),
        );
        assert_eq!(
            smuggled.verify(&public_keys(), PRODUCT).map(|_| ()),
            Err(widening(SUB, violation))
        );
        let license = License {
            named_users: Some(10),
            ..reference()
        };
        assert_eq!(
            verify_bytes(&forge(&smuggled, &license, &sub_key()), |_| false).map(|_| ()),
            Err(widening(SUB, violation)),
            "verifying {violation:?}"
        );
    }
}

#[test]
fn a_reseller_without_delegation_cannot_certify() {
    let no_delegation = Frame {
        delegation_depth: 0,
        ..reseller_frame()
    };
    let parent = reseller_chain_with(no_delegation);
    let cert = certificate(1, &sub_key(), SUB, sub_frame());
    let violation = Violation::Delegation { parent_depth: 0 };
    assert_eq!(
        cert.certify(PRODUCT, &reseller_key(), Some(&parent)).map(|_| ()),
        Err(widening(SUB, violation))
    );
    let smuggled = splice(&parent, &sub_chain());
    assert_eq!(
        verify_bytes(&forge(&smuggled, &reference(), &sub_key()), |_| false).map(|_| ()),
        Err(widening(SUB, violation))
    );
    // Chains end at three certificates.
    let mut deep = Frame::new(KindSet::ALL, LineSet::ALL, ModuleSet::first(64), day(2099, 1, 1));
    deep.delegation_depth = 2;
    let one = certificate(1, &reseller_key(), RESELLER, deep)
        .certify(PRODUCT, &key(), None)
        .unwrap();
    deep.delegation_depth = 1;
    let two = certificate(2, &sub_key(), SUB, deep)
        .certify(PRODUCT, &reseller_key(), Some(&one))
        .unwrap();
    deep.delegation_depth = 0;
    let third_key = license_core::ed25519_dalek::SigningKey::from_bytes(&[23; 32]);
    let three = certificate(3, &third_key, "Northwind", deep)
        .certify(PRODUCT, &sub_key(), Some(&two))
        .unwrap();
    assert_eq!(three.len(), 3);
    assert!(
        certificate(4, &key(), "Tailspin", deep)
            .certify(PRODUCT, &third_key, Some(&three))
            .is_err()
    );
}

#[test]
fn revoked_expired_and_unknown_vendor_chains_are_refused() {
    let code = reseller_code();
    let sub = sub_code();
    // Revoking the vendor's certificate of Contoso revokes Fabrikam's codes too.
    for c in [&code, &sub] {
        assert_eq!(
            verify_bytes(c.as_bytes(), |serial| serial == 7).map(|_| ()),
            Err(Error::Delegation(DelegationError::Revoked {
                reseller: ResellerName::new(RESELLER).unwrap(),
                serial: 7
            }))
        );
        verify_bytes(c.as_bytes(), |serial| serial == 1).unwrap();
    }
    // Another vendor's keys: the chain reaches no known key.
    let m = reference_machine();
    let other = [PublicKey::from(
        license_core::ed25519_dalek::SigningKey::from_bytes(&OTHER_SEED).verifying_key(),
    )];
    let untrusted = UntrustedDelegatedCode::from_bytes(code.as_bytes()).unwrap();
    assert_eq!(
        untrusted
            .verify(&other, &reference_context(&m), |_| false)
            .map(|_| ()),
        Err(Error::Delegation(DelegationError::UnknownVendorKey {
            key_id: public_keys()[0].id()
        }))
    );
    // A chain certified by a key posing as the vendor's (same key id not required).
    let rogue = license_core::ed25519_dalek::SigningKey::from_bytes(&OTHER_SEED);
    let rogue_chain = certificate(7, &reseller_key(), RESELLER, reseller_frame())
        .certify(PRODUCT, &rogue, None)
        .unwrap();
    let r = verify_bytes(&forge(&rogue_chain, &reference(), &reseller_key()), |_| false);
    assert!(
        matches!(
            r,
            Err(Error::Delegation(
                DelegationError::UnknownVendorKey { .. } | DelegationError::BadCertificateSignature { .. }
            ))
        ),
        "{r:?}"
    );
    // A plain vendor code key is not a reseller key: a code signed by the vendor behind a chain.
    assert_eq!(
        verify_bytes(&forge(&reseller_chain(), &reference(), &key()), |_| false).map(|_| ()),
        Err(Error::Delegation(DelegationError::NotSignedByReseller {
            reseller: ResellerName::new(RESELLER).unwrap()
        }))
    );
    // Another product's installation.
    let ctx = Context::new("other-product", LICENSEE).with_machine(&m);
    assert!(matches!(
        untrusted.verify(&public_keys(), &ctx, |_| false),
        Err(Error::Delegation(DelegationError::WrongProduct { .. }))
    ));
}

#[test]
fn issuing_with_the_wrong_key_or_product_is_refused() {
    let m = reference_machine();
    let ctx = reference_context(&m);
    assert!(matches!(
        sign_delegated(&reference(), &ctx, &sub_key(), &reseller_chain()),
        Err(Error::Delegation(DelegationError::KeyMismatch { .. }))
    ));
    let other = Context::new("other-product", LICENSEE).with_machine(&m);
    assert!(matches!(
        sign_delegated(&reference(), &other, &reseller_key(), &reseller_chain()),
        Err(Error::Delegation(DelegationError::WrongProduct { .. }))
    ));
    assert!(matches!(
        certificate(1, &sub_key(), SUB, sub_frame()).certify(PRODUCT, &sub_key(), Some(&reseller_chain())),
        Err(Error::Delegation(DelegationError::KeyMismatch { .. }))
    ));
    assert!(ResellerName::new("").is_err());
    assert!(ResellerName::new(&"x".repeat(33)).is_err());
    assert!(ResellerName::new("a\nb").is_err());
}

/// Every single-byte change anywhere in a one- and a two-level code (chain and code) is
/// refused: as undecodable, non-canonical, by a signature, or by a rule. Every value of
/// every byte, except inside Ed25519 keys and signatures, where every bit flip and the
/// values 0x00 and 0xFF are tried (any change there is the signature scheme's business,
/// and trying all 255 values would make this test take half a minute).
#[test]
fn every_single_byte_change_is_refused() {
    for code in [reseller_code(), sub_code()] {
        let original = code.as_bytes().to_vec();
        let crypto = crypto_bytes(&original);
        for i in 0..original.len() {
            let values: Vec<u8> = if crypto[i] {
                (0..8).map(|b| original[i] ^ 1 << b).chain([0x00, 0xFF]).collect()
            } else {
                (0..=255).collect()
            };
            for v in values.into_iter().filter(|&v| v != original[i]) {
                let mut m = original.clone();
                m[i] = v;
                assert!(
                    verify_bytes(&m, |_| false).is_err(),
                    "byte {i} set to {v:#04x} verified"
                );
            }
        }
        // Cut short or extended.
        for n in 0..original.len() {
            assert!(verify_bytes(&original[..n], |_| false).is_err(), "cut to {n}");
        }
        let mut longer = original.clone();
        longer.push(0);
        assert!(verify_bytes(&longer, |_| false).is_err());
    }
}

/// Which bytes of a reseller's code are inside a certified key or a signature: found as
/// the positions where the reseller's and sub-reseller's keys and the signatures sit.
fn crypto_bytes(code: &[u8]) -> Vec<bool> {
    let mut marks = vec![false; code.len()];
    let mut mark = |needle: &[u8]| {
        let at = code
            .windows(needle.len())
            .position(|w| w == needle)
            .expect("present");
        marks[at..at + needle.len()].iter_mut().for_each(|m| *m = true);
    };
    mark(public(&reseller_key()).to_bytes().as_slice());
    if code[0] == 0xD2 {
        mark(public(&sub_key()).to_bytes().as_slice());
    }
    // Signatures: each certificate's last 64 bytes and the code's; a certificate ends
    // where the next starts, found by parsing chains cut at every length.
    let certs = usize::from(code[0] & 0x0F);
    let mut chain = code.to_vec();
    let mut ends = Vec::new();
    for n in 1..=certs {
        chain[0] = 0xC0 | n as u8;
        let end = (2..=code.len())
            .find(|&e| CertificateChain::from_bytes(&chain[..e]).is_ok())
            .expect("a chain of n");
        ends.push(end);
    }
    ends.push(code.len());
    for end in ends {
        marks[end - 64..end].iter_mut().for_each(|m| *m = true);
    }
    marks
}

#[test]
fn errors_name_the_limit_and_the_reseller() {
    let trial = License {
        kind: Kind::Trial,
        expires: reference().issued.checked_add_days(45),
        grace_days: 0,
        ..reference()
    };
    let e = verify_bytes(&forge(&reseller_chain(), &trial, &reseller_key()), |_| false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "a trial license usable for 45 days (term plus grace) exceeds the limit of 30 days: the license is outside the frame of reseller Contoso; ask the reseller for a license inside its frame, or the vendor"
    );
    assert_eq!(e.kind(), ErrorKind::Delegation);
    let module = License {
        modules: reference().modules.with(5).with(4),
        ..reference()
    };
    let e = verify_bytes(&forge(&sub_chain(), &module, &sub_key()), |_| false).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("module 4 is not allowed: the license is outside the frame of reseller Fabrikam"),
        "{e}"
    );
}

#[test]
fn typos_in_a_resellers_code_are_located() {
    let text: String = sub_code().to_string();
    let groups: Vec<&str> = text.split('-').collect();
    for g in [0, 41, 42, 43, 84, groups.len() - 1] {
        let mut changed = groups.clone();
        let replacement: String = changed[g]
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    if c == 'A' { 'B' } else { 'A' }
                } else {
                    c
                }
            })
            .collect();
        changed[g] = &replacement;
        assert_eq!(
            UntrustedDelegatedCode::parse(&changed.join("-")).map(|_| ()),
            Err(Error::Typo { group: g + 1 })
        );
    }
    // Lenient reading as for plain codes.
    let sloppy = text.to_lowercase().replace('0', "o").replace('-', " ");
    verify_text(&sloppy).unwrap();
}

fn arb_frame() -> impl Strategy<Value = Frame> {
    (
        1u8..16,
        1u16..,
        any::<u64>(),
        (0u32..20_000, 1u32..5000),
        proptest::option::of(1u32..1_000_000),
        proptest::option::of(1u32..1_000_000),
        proptest::array::uniform4(proptest::option::of(1u32..100_000)),
        proptest::option::of(1u32..100_000),
        proptest::option::of((any::<u32>(), any::<u32>())),
        any::<bool>(),
        0u8..3,
        any::<bool>(),
    )
        .prop_map(
            |(
                kinds,
                lines,
                modules,
                (start, length),
                users,
                seats,
                max_days,
                maintenance,
                ids,
                binding,
                depth,
                has_start,
            )| {
                let not_before = Date::CODE_EPOCH.checked_add_days(i64::from(start)).unwrap();
                let mut f = Frame::new(
                    KindSet::from_bits(kinds).unwrap(),
                    LineSet::from_bits(lines),
                    ModuleSet::from_bits(modules),
                    not_before.checked_add_days(i64::from(length)).unwrap(),
                );
                f.named_users = users;
                f.concurrent_seats = seats;
                f.max_days = max_days;
                f.maintenance_days = maintenance;
                f.license_ids = ids.map(|(a, b)| IdRange {
                    first: a.min(b),
                    last: a.max(b),
                });
                f.binding_required = binding;
                f.delegation_depth = depth;
                f.not_before = has_start.then_some(not_before);
                f
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn certificates_round_trip(frame in arb_frame(), serial in any::<u32>(), name in "[A-Za-z0-9 äö&.-]{1,10}") {
        let cert = certificate(serial, &reseller_key(), &name, frame);
        let chain = cert.certify(PRODUCT, &key(), None).unwrap();
        let parsed = CertificateChain::parse(&chain.to_string()).unwrap();
        prop_assert_eq!(parsed.leaf(), &cert);
        prop_assert_eq!(parsed.verify(&public_keys(), PRODUCT).unwrap(), &cert);
        prop_assert_eq!(parsed.as_bytes(), chain.as_bytes());
    }

    #[test]
    fn narrowing_is_a_partial_order(a in arb_frame(), b in arb_frame()) {
        // A frame narrows a parent exactly when certifying it under that parent succeeds,
        // and admitting a license under both agrees with admitting under the child.
        let parent = Frame { delegation_depth: 2, ..a };
        let child = Frame { delegation_depth: b.delegation_depth.min(1), ..b };
        let ok = child.narrows(&parent).is_ok();
        let chain = certificate(7, &reseller_key(), RESELLER, parent).certify(PRODUCT, &key(), None).unwrap();
        let certified = certificate(1, &sub_key(), SUB, child).certify(PRODUCT, &reseller_key(), Some(&chain));
        prop_assert_eq!(ok, certified.is_ok());
        prop_assert!(parent.narrows(&parent).is_err() || parent.delegation_depth == 0);
        let same_depth = Frame { delegation_depth: 1, ..parent };
        prop_assert!(same_depth.narrows(&parent).is_ok(), "a frame narrows itself one level down");
    }

    #[test]
    fn codes_inside_the_frame_verify(users in 1u32..=100, modules in 0u64..64, days in 1u32..=30, grace in 0u16..=5) {
        let base = reference();
        let expires = base.issued.checked_add_days(i64::from(days.saturating_sub(u32::from(grace)).max(1)));
        let license = License {
            named_users: Some(users),
            demo_seats: 0,
            modules: ModuleSet::from_bits(modules),
            kind: Kind::Trial,
            expires,
            grace_days: grace.min(u16::try_from(30 - days.saturating_sub(u32::from(grace)).max(1)).unwrap()),
            ..base
        };
        let m = reference_machine();
        let code = sign_delegated(&license, &reference_context(&m), &reseller_key(), &reseller_chain()).unwrap();
        let v = verify_text(&code.to_string()).unwrap();
        prop_assert_eq!(v.license().license(), &license);
    }
}

#[test]
fn a_version_2_revocation_list_revokes_the_certificate() {
    let list = sign_revocation_list_with_certificates(
        PRODUCT,
        1,
        day(2027, 1, 1),
        day(2027, 2, 1),
        &[],
        &[7],
        &key(),
    )
    .unwrap();
    let list = UntrustedRevocationList::parse(&list)
        .unwrap()
        .verify(&public_keys(), PRODUCT)
        .unwrap();
    assert!(matches!(
        verify_bytes(sub_code().as_bytes(), |s| list.revokes_certificate(s)),
        Err(Error::Delegation(DelegationError::Revoked { serial: 7, .. }))
    ));
}

/// Vendor keys whose ids collide (one byte): the chain verifies under whichever of them
/// signed it, in any order of the configured keys, and under neither alone if absent.
#[test]
fn vendor_keys_sharing_a_key_id_are_all_tried() {
    use license_core::ed25519_dalek::SigningKey;
    let vendor = public_keys()[0];
    let twin = (0u8..=255)
        .flat_map(|a| {
            (0u8..=255).map(move |b| {
                [
                    a, b, 99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                    23, 24, 25, 26, 27, 28, 29,
                ]
            })
        })
        .map(|seed| SigningKey::from_bytes(&seed))
        .find(|k| PublicKey::from(k.verifying_key()).id() == vendor.id())
        .expect("a key with the same one-byte id");
    let twin_public = PublicKey::from(twin.verifying_key());
    assert_ne!(twin_public, vendor);
    let m = reference_machine();
    let ctx = reference_context(&m);
    for code in [reseller_code(), sub_code()] {
        let untrusted = UntrustedDelegatedCode::from_bytes(code.as_bytes()).unwrap();
        for keys in [[twin_public, vendor], [vendor, twin_public]] {
            let v = untrusted.verify(&keys, &ctx, |_| false).unwrap();
            assert_eq!(v.license().license(), &reference());
        }
        assert_eq!(
            untrusted.verify(&[twin_public], &ctx, |_| false).map(|_| ()),
            Err(Error::Delegation(DelegationError::BadCertificateSignature {
                reseller: ResellerName::new(RESELLER).unwrap()
            }))
        );
    }
    // A chain the twin certified verifies under both orders too.
    let chain = certificate(7, &reseller_key(), RESELLER, reseller_frame())
        .certify(PRODUCT, &twin, None)
        .unwrap();
    for keys in [[twin_public, vendor], [vendor, twin_public]] {
        assert_eq!(chain.verify(&keys, PRODUCT).unwrap().name.as_str(), RESELLER);
    }
}

/// A version-3 list revokes Fabrikam's certificate by the pair (Contoso's serial 7,
/// Fabrikam's serial 1): Fabrikam's codes are refused, Contoso's own codes are not, and
/// the same sub-serial under another reseller's certificate revokes nothing here.
#[test]
fn a_version_3_revocation_list_revokes_a_sub_reseller_by_the_pair_of_serials() {
    let m = reference_machine();
    let ctx = reference_context(&m);
    let verdicts = |pairs: &[SubCertificateSerial]| {
        let bytes = sign_revocation_list_with_sub_certificates(
            PRODUCT,
            1,
            day(2027, 1, 1),
            day(2027, 2, 1),
            &[],
            &[],
            pairs,
            &key(),
        )
        .unwrap();
        let list = UntrustedRevocationList::parse(&bytes)
            .unwrap()
            .verify(&public_keys(), PRODUCT)
            .unwrap();
        [reseller_code(), sub_code()].map(|code| {
            UntrustedDelegatedCode::from_bytes(code.as_bytes())
                .unwrap()
                .verify_revocations(&public_keys(), &ctx, &list)
                .map(|v| v.issuer().name)
        })
    };
    let pair = |reseller, sub_reseller| SubCertificateSerial {
        reseller,
        sub_reseller,
    };
    let [one, two] = verdicts(&[pair(7, 1)]);
    assert_eq!(one.unwrap().as_str(), RESELLER);
    assert_eq!(
        two,
        Err(Error::Delegation(DelegationError::SubResellerRevoked {
            reseller: ResellerName::new(SUB).unwrap(),
            parent_serial: 7,
            serial: 1,
        }))
    );
    assert_eq!(
        two.unwrap_err().to_string(),
        "the certificate 1 of sub-reseller Fabrikam, under the reseller certificate 7, was revoked by the vendor: ask the vendor for a new license"
    );
    for other in [pair(8, 1), pair(7, 2), pair(1, 7)] {
        let [one, two] = verdicts(&[other]);
        assert!(one.is_ok() && two.is_ok(), "{other} revokes nothing here");
    }
    // A caller that knows only first-level serials (`verify`) never refuses a sub-reseller.
    assert!(verify_bytes(sub_code().as_bytes(), |_| false).is_ok());
}

/// Issue 20: a reseller's NFR code with the all-modules flag ("every module, present and
/// future") lies inside a frame only if that frame allows every module present and future
/// (`ModuleSet::ALL`): a frame listing modules cannot grant the ones a catalog adds later.
/// Likewise a sub-reseller's frame with every module under a parent listing its modules.
#[test]
fn the_all_modules_flag_needs_a_frame_with_every_module_present_and_future() {
    let nfr = License {
        kind: Kind::Subscription,
        modules: ModuleSet::ALL,
        ..reference()
    };
    let listing = reseller_frame();
    assert!(!listing.modules.is_all());
    assert_eq!(listing.admits(&nfr), Err(Violation::AllModules));
    assert_eq!(
        Violation::AllModules.to_string(),
        "every module, present and future (the all-modules flag) is not allowed: the frame lists its modules"
    );
    let m = reference_machine();
    assert_eq!(
        sign_delegated(&nfr, &reference_context(&m), &reseller_key(), &reseller_chain()).map(|_| ()),
        Err(outside(RESELLER, Violation::AllModules))
    );
    let every = Frame {
        modules: ModuleSet::ALL,
        ..listing
    };
    assert_eq!(every.admits(&nfr), Ok(()));
    let chain = reseller_chain_with(every);
    let code = sign_delegated(&nfr, &reference_context(&m), &reseller_key(), &chain).unwrap();
    let v = verify_bytes(code.as_bytes(), |_| false).unwrap();
    assert!(v.license().license().modules.is_all());
    // A sub-reseller's frame with every module under a parent listing its modules widens it.
    let wide_sub = Frame {
        modules: ModuleSet::ALL,
        delegation_depth: 0,
        ..listing
    };
    assert_eq!(wide_sub.narrows(&listing), Err(Violation::AllModules));
    assert_eq!(wide_sub.narrows(&every), Ok(()));
}
