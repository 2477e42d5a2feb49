//! Property tests over the whole model: encode -> text -> decode gives the same scope,
//! every produced code is canonical, and arbitrary input never panics.

mod common;

use common::*;
use license_core::*;
use proptest::prelude::*;

fn date_strategy() -> impl Strategy<Value = Date> {
    (Date::CODE_EPOCH.days_since_unix_epoch()..=Date::MAX.days_since_unix_epoch() - 100_000)
        .prop_map(Date::from_days_since_unix_epoch)
}

fn limit() -> impl Strategy<Value = Option<u32>> {
    prop_oneof![Just(None), (1u32..).prop_map(Some)]
}

fn machine_binding() -> impl Strategy<Value = Option<MachineBinding>> {
    prop_oneof![
        Just(None),
        // Format 2: six components, 16/24-bit digests.
        (1u8..64, any::<[[u8; 3]; COMPONENTS]>(), 0u8..3).prop_filter_map(
            "a majority left to match",
            |(bits, d, tol)| {
                let set = ComponentSet::from_bits(bits).unwrap();
                MachineBinding::new(set, d.map(ComponentDigest::from_bytes), tol)
                    .ok()
                    .map(Some)
            }
        ),
        // Format 1: four components, one-byte digests.
        (1u8..16, any::<[u8; 4]>(), 0u8..4).prop_filter_map(
            "tolerance below components",
            |(bits, d, tol)| {
                let set = ComponentSet::from_bits(bits).unwrap();
                MachineBinding::new_v1(set, d, tol).ok().map(Some)
            }
        ),
    ]
}

prop_compose! {
    fn license()(
        license_id in any::<u32>(), revision in any::<u32>(), kind in 0usize..4, line in 0u8..16,
        named_users in limit(), concurrent_seats in limit(), demo_seats in any::<u32>(),
        modules in any::<u64>(), issued in date_strategy(), starts_after in 0i64..1000,
        term in prop_oneof![
            Just(None),
            (1i64..5000).prop_map(|d| Some((d, false))),
            (1i64..200).prop_map(|m| Some((m, true))),
        ],
        grace_days in any::<u16>(),
        maintenance in prop_oneof![Just(None), Just(Some(0)), (1i64..50_000).prop_map(Some)],
        database in any::<bool>(), machine in machine_binding(),
        seat_server in prop_oneof![Just(None), any::<[u8; 32]>().prop_map(Some)],
        interim in any::<bool>(),
    ) -> License {
        let valid_from = issued.checked_add_days(starts_after).unwrap();
        let expires = term.map(|(n, months)| {
            if months {
                valid_from.add_months(n as u32).unwrap()
            } else {
                valid_from.checked_add_days(n).unwrap()
            }
        });
        let v2 = machine.is_none_or(|m| m.format() == Format::V2);
        License {
            license_id, revision, kind: Kind::ALL[kind], line: ProductLine::new(line).unwrap(),
            named_users, concurrent_seats, demo_seats, modules: ModuleSet::from_bits(modules),
            issued, valid_from,
            expires,
            grace_days,
            // Some(0): maintenance ends with the term.
            maintenance_ends: maintenance.and_then(|m| match m {
                0 => expires,
                m => Some(Date::CODE_EPOCH.checked_add_days(m).unwrap()),
            }),
            binding: Binding {
                database,
                machine,
                seat_server: seat_server.filter(|_| v2).map(|k| SeatServerDigest::of_key(&k)),
            },
            interim: interim && v2 && expires.is_some(),
        }
    }
}

/// A machine that has exactly the bound digests (the carried prefix, zero-padded).
fn machine_for(b: &Option<MachineBinding>) -> MachineFingerprint {
    let mut m = MachineFingerprint::unknown();
    if let Some(b) = b {
        for c in b.components().iter() {
            let full = b.digest(c).unwrap() << (24 - b.digest_bits());
            m.add(
                c,
                ComponentDigest::from_bytes([(full >> 16) as u8, (full >> 8) as u8, full as u8]),
            );
        }
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sign_text_parse_verify_round_trips(l in license(), licensee in "[ -~]{0,40}", db in "[A-Z0-9-]{1,20}") {
        let machine = machine_for(&l.binding.machine);
        let ctx = Context::new(PRODUCT, &licensee).with_database(&db).with_machine(&machine);
        let code = sign(&l, &ctx, &key()).unwrap();
        let text = code.to_string();
        prop_assert_eq!(text.replace('-', "").len(), code.text_len());
        let parsed = UntrustedCode::parse(&text).unwrap();
        prop_assert_eq!(parsed.as_bytes(), code.as_bytes());
        prop_assert_eq!(parsed.to_string(), text.clone());
        prop_assert_eq!(parsed.unverified_license(), &l);
        let verified = parsed.verify(&public_keys(), &ctx).unwrap();
        prop_assert_eq!(verified.license(), &l);
        // Canonical: the binary form decodes to the same and the text is case-insensitive.
        let from_bytes = UntrustedCode::from_bytes(code.as_bytes()).unwrap();
        prop_assert_eq!(from_bytes.unverified_license(), &l);
        let lower = UntrustedCode::parse(&text.to_lowercase()).unwrap();
        prop_assert_eq!(lower.as_bytes(), code.as_bytes());
        // New codes are format 2 unless a format-1 machine binding forces format 1.
        let expected = l.binding.machine.map_or(Format::V2, |m| m.format());
        prop_assert_eq!(verified.format(), expected);
        prop_assert!(code.text_len() <= license_core::symbols_for(MAX_CODE_BYTES));
        // Format 1 still signs and verifies what it can express.
        if expected == Format::V1 {
            let v1 = sign_as(Format::V1, &l, &ctx, &key()).unwrap();
            prop_assert_eq!(v1.as_bytes(), code.as_bytes());
        } else if !l.interim && l.binding.seat_server.is_none() && l.binding.machine.is_none() {
            let v1 = sign_as(Format::V1, &l, &ctx, &key()).unwrap();
            let back = UntrustedCode::parse(&v1.to_string()).unwrap().verify(&public_keys(), &ctx).unwrap();
            prop_assert_eq!(back.license(), &l);
            prop_assert_eq!(back.format(), Format::V1);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,300}") {
        let _ = UntrustedCode::parse(&s).map(|c| c.verify(&public_keys(), &Context::new(PRODUCT, LICENSEE)));
        let _ = MachineBinding::parse(&s);
        let _ = Date::parse(&s);
    }

    #[test]
    fn arbitrary_code_text_never_verifies(s in "[0-9A-Z]{100,160}") {
        let machine = reference_machine();
        let outcome = UntrustedCode::parse(&s).and_then(|c| c.verify(&public_keys(), &reference_context(&machine)));
        prop_assert!(outcome.is_err());
    }

    #[test]
    fn arbitrary_bytes_are_canonical_or_refused(b in proptest::collection::vec(any::<u8>(), 0..140)) {
        if let Ok(c) = UntrustedCode::from_bytes(&b) {
            prop_assert_eq!(c.as_bytes(), &b[..]);
            let again = UntrustedCode::parse(&c.to_string()).unwrap();
            prop_assert_eq!(again.as_bytes(), &b[..]);
            prop_assert!(c.verify(&public_keys(), &Context::new(PRODUCT, LICENSEE)).is_err());
        }
    }
}

#[test]
fn format_2_reference_code_is_at_most_150_characters() {
    let code = reference_code();
    let m = reference_machine();
    let v = UntrustedCode::parse(&code.to_string())
        .unwrap()
        .verify(&public_keys(), &reference_context(&m))
        .unwrap();
    assert_eq!(v.format(), Format::V2);
    assert_eq!(v.license().binding.machine.unwrap().digest_bits(), 16);
    println!(
        "format-2 reference: {} characters, {} bytes",
        code.text_len(),
        code.as_bytes().len()
    );
    assert!(code.text_len() <= 150, "{}", code.text_len());
}
