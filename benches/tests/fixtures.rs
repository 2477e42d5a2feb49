//! The fixtures and competing formats are what the benches claim they are.

use license_benches::formats::{Jwt, Paseto, SignedJsonKey, Tokens};
use license_benches::{Error, Installation, Reference, VECTORS_JSON, batch};
use license_core::{Context, MachineFingerprint, PublicKey, UntrustedCode};
use serde_json::Value;

fn reference() -> Reference {
    Reference::load().unwrap()
}

#[test]
fn reference_matches_the_golden_vectors() {
    let r = reference();
    assert_eq!(r.sign().unwrap().to_string(), r.code);
    let v = UntrustedCode::parse(&r.code)
        .unwrap()
        .verify(&r.keys, &r.context())
        .unwrap();
    assert_eq!(v.license(), &r.license);
    assert!(v.evaluate(r.today, r.build_date, &r.policy).is_usable());
    assert!(r.code_chars() <= 150, "{} characters", r.code_chars());
}

fn hex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).expect("64 hex digits");
    out
}

/// The rebuilt signed message is the one license-core signs: for every valid golden
/// vector, `verify_strict` accepts it, and a changed licensee does not.
#[test]
fn signed_message_matches_license_core_for_every_valid_vector() {
    let doc: Value = serde_json::from_str(VECTORS_JSON).unwrap();
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        if case["valid"] != Value::Bool(true) {
            continue;
        }
        let key = PublicKey::from_bytes(&hex32(case["public_key"].as_str().unwrap())).unwrap();
        let c = &case["context"];
        let machine = MachineFingerprint::unknown();
        let ctx = Context {
            product: c["product"].as_str().unwrap(),
            licensee: c["licensee"].as_str().unwrap(),
            database: c["database"].as_str(),
            machine: Some(&machine),
        };
        let code = UntrustedCode::parse(case["code"].as_str().unwrap()).unwrap();
        let message = batch::signed_message(&code, &ctx).unwrap();
        let name = case["name"].as_str().unwrap();
        assert!(
            key.verifying_key()
                .verify_strict(&message, &batch::signature_of(&code))
                .is_ok(),
            "{name}"
        );
        let other = Context {
            licensee: "Someone Else",
            ..ctx
        };
        let message = batch::signed_message(&code, &other).unwrap();
        assert!(
            key.verifying_key()
                .verify_strict(&message, &batch::signature_of(&code))
                .is_err(),
            "{name}"
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} valid vectors");
}

#[test]
fn every_format_carries_the_same_scope_and_refuses_tampering() {
    let r = reference();
    let t = Tokens::for_reference(&r).unwrap();
    let inst = Installation {
        product: &r.product,
        licensee: "  acme  CORP ",
        machine: Some(&r.machine),
    };
    let ours = UntrustedCode::parse(&r.code)
        .unwrap()
        .verify(&r.keys, &r.context())
        .unwrap()
        .evaluate(r.today, r.build_date, &r.policy);
    let verified = [
        t.json_key_verifier.verify(&t.json_key),
        t.paseto_verifier.verify(&t.paseto),
        t.jwt_verifier.verify(&t.jwt),
    ];
    for claims in verified {
        let claims = claims.unwrap();
        assert_eq!(claims, t.claims);
        assert_eq!(claims.license().unwrap(), r.license);
        assert_eq!(
            claims.check(&inst, r.today, r.build_date, &r.policy).unwrap(),
            ours
        );
        let elsewhere = Installation {
            licensee: "ACME Corporation",
            ..inst
        };
        assert!(matches!(
            claims.check(&elsewhere, r.today, r.build_date, &r.policy),
            Err(Error::Mismatch("licensee"))
        ));
        let other_machine = Installation {
            machine: Some(&MachineFingerprint::unknown()),
            ..inst
        };
        assert!(matches!(
            claims.check(&other_machine, r.today, r.build_date, &r.policy),
            Err(Error::Mismatch("machine"))
        ));
    }
    // Dates are ISO strings and the fields are what the services use.
    let json = serde_json::to_value(&t.claims).unwrap();
    assert_eq!(json["expiry"], "2027-11-22");
    assert_eq!(
        json["entitlements"],
        serde_json::json!(["crm", "budget", "planning", "bi"])
    );
    assert!(t.json_key.starts_with("key/") && t.paseto.starts_with("v4.public.") && t.jwt.starts_with("eyJ"));

    // One flipped character in the payload is refused by every format.
    let flip = |s: &str, at: usize| {
        let mut b = s.as_bytes().to_vec();
        b[at] = if b[at] == b'A' { b'B' } else { b'A' };
        String::from_utf8(b).unwrap()
    };
    assert!(t.json_key_verifier.verify(&flip(&t.json_key, 20)).is_err());
    assert!(t.paseto_verifier.verify(&flip(&t.paseto, 20)).is_err());
    assert!(t.jwt_verifier.verify(&flip(&t.jwt, 60)).is_err());
    let other = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    assert!(matches!(
        t.json_key_verifier
            .verify(&SignedJsonKey::sign(&t.claims, &other).unwrap()),
        Err(Error::BadSignature(_))
    ));
    assert!(
        t.paseto_verifier
            .verify(&Paseto::sign(&t.claims, &other).unwrap())
            .is_err()
    );
    assert!(
        t.jwt_verifier
            .verify(&Jwt::sign(&t.claims, &other).unwrap())
            .is_err()
    );

    let lengths = t.lengths(&r);
    let shortest_other = lengths[1..].iter().map(|(_, n)| *n).min().unwrap();
    assert!(lengths[0].1 * 3 <= shortest_other, "{lengths:?}");
}

#[test]
fn batch_and_one_by_one_agree() {
    let r = reference();
    let mut ledger = batch::ledger(&r, 8).unwrap();
    assert_eq!(batch::revalidate_one_by_one(&ledger, &r.keys).unwrap(), 8);
    assert_eq!(batch::revalidate_batch(&ledger, &r.keys[0]).unwrap(), 8);
    // A code re-assigned to another licensee fails both ways.
    ledger[5].licensee = "Customer 0004 Ltd".into();
    assert!(batch::revalidate_one_by_one(&ledger, &r.keys).is_err());
    assert!(batch::revalidate_batch(&ledger, &r.keys[0]).is_err());
}
