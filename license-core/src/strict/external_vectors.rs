//! The strict check against the field's own test suites (`tests/vectors/ed25519/`, with
//! their sources and licences in its README): Wycheproof, the two ed25519-speccheck sets,
//! the CCTV set, SUPERCOP's `sign.input` and RFC 8032. Every case is checked single and
//! batched in every position (with valid signatures around it), and must get exactly the
//! verdict of ed25519-dalek's `verify_strict`. Run with and without the `fast` feature
//! (`.ci/run` does both): the feature changes the small-order test and the curve tables.
//! A curve25519-dalek or ed25519-dalek upgrade must pass it.

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde_json::Value;

use super::*;

/// One signature to check.
struct Case {
    source: &'static str,
    id: String,
    key: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
}

fn hex(s: &str) -> Vec<u8> {
    ::hex::decode(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name].as_str().unwrap_or_else(|| panic!("{name} in {v}"))
}

/// Every case of every file, in file order.
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let wycheproof = json(include_str!(
        "../../tests/vectors/ed25519/wycheproof_ed25519_test.json"
    ));
    for group in wycheproof["testGroups"].as_array().unwrap() {
        let key = hex(field(&group["publicKey"], "pk"));
        for t in group["tests"].as_array().unwrap() {
            out.push(Case {
                source: "wycheproof",
                id: t["tcId"].to_string(),
                key: key.clone(),
                message: hex(field(t, "msg")),
                signature: hex(field(t, "sig")),
            });
        }
    }
    for (source, text) in [
        (
            "speccheck",
            include_str!("../../tests/vectors/ed25519/speccheck_cases.json"),
        ),
        (
            "speccheck-scripts",
            include_str!("../../tests/vectors/ed25519/speccheck_scripts_cases.json"),
        ),
        (
            "rfc8032",
            include_str!("../../tests/vectors/ed25519/rfc8032.json"),
        ),
    ] {
        for (i, c) in json(text).as_array().unwrap().iter().enumerate() {
            out.push(Case {
                source,
                id: c["name"].as_str().map_or_else(|| i.to_string(), str::to_owned),
                key: hex(field(c, "pub_key")),
                message: hex(field(c, "message")),
                signature: hex(field(c, "signature")),
            });
        }
    }
    for c in json(include_str!("../../tests/vectors/ed25519/VALIDATIONVECTORS"))
        .as_array()
        .unwrap()
    {
        out.push(Case {
            source: "cctv",
            id: c["number"].to_string(),
            key: hex(field(c, "key")),
            // CCTV's messages are text.
            message: field(c, "msg").as_bytes().to_vec(),
            signature: hex(field(c, "sig")),
        });
    }
    for (i, line) in include_str!("../../tests/vectors/ed25519/TESTVECTORS")
        .lines()
        .enumerate()
    {
        let parts: Vec<&str> = line.split(':').collect();
        let message = hex(parts[2]);
        let signed = hex(parts[3]);
        out.push(Case {
            source: "sign.input",
            id: i.to_string(),
            key: hex(parts[1]),
            signature: signed[..64].to_vec(),
            message,
        });
    }
    out
}

/// Valid signatures to fill the other positions of a batch.
fn fillers() -> Vec<(PublicKey, Vec<u8>, Signature)> {
    (0u8..3)
        .map(|i| {
            let sk = SigningKey::from_bytes(&[i + 40; 32]);
            let message = vec![i; 3 + usize::from(i)];
            let sig = sk.sign(&message);
            (PublicKey::from(sk.verifying_key()), message, sig)
        })
        .collect()
}

/// The case in every position of a batch of `N`, valid signatures elsewhere.
fn batched<const N: usize>(
    key: &PublicKey,
    message: &[u8],
    signature: &Signature,
    fill: &[(PublicKey, Vec<u8>, Signature)],
) -> Vec<bool> {
    (0..N)
        .map(|at| {
            let pending: [Option<Pending>; N] = core::array::from_fn(|i| {
                if i == at {
                    prepare(key, message, signature)
                } else {
                    let (k, m, s) = &fill[i % fill.len()];
                    prepare(k, m, s)
                }
            });
            let result = finish(&pending);
            for (i, ok) in result.iter().enumerate() {
                if i != at {
                    assert!(ok, "a valid signature beside the case was refused");
                }
            }
            result[at]
        })
        .collect()
}

#[test]
fn every_public_vector_gets_the_verdict_of_verify_strict() {
    let fill = fillers();
    // source -> (checked, valid, not 64/32 bytes)
    let mut counts: Vec<(&str, usize, usize, usize)> = Vec::new();
    for case in cases() {
        let entry = match counts.iter_mut().position(|c| c.0 == case.source) {
            Some(i) => &mut counts[i],
            None => {
                counts.push((case.source, 0, 0, 0));
                counts.last_mut().unwrap()
            }
        };
        let (Ok(key), Ok(signature)) = (
            <[u8; 32]>::try_from(case.key.as_slice()),
            Signature::from_slice(&case.signature),
        ) else {
            // Not 32 + 64 bytes: no Ed25519 signature to check (both refuse it).
            entry.3 += 1;
            continue;
        };
        entry.1 += 1;
        let what = format!("{} case {}", case.source, case.id);
        let vk = VerifyingKey::from_bytes(&key);
        let dalek = vk
            .as_ref()
            .is_ok_and(|vk| vk.verify_strict(&case.message, &signature).is_ok());
        entry.2 += usize::from(dalek);
        // A key that does not decode is refused when configured: nothing to verify with.
        let Ok(vk) = vk else {
            assert!(!dalek, "{what}");
            assert!(PublicKey::from_bytes(&key).is_err(), "{what}");
            continue;
        };
        let ours = PublicKey::from(vk);
        assert_eq!(verify(&ours, &case.message, &signature), dalek, "{what}: single");
        assert_eq!(
            batched::<1>(&ours, &case.message, &signature, &fill),
            [dalek],
            "{what}"
        );
        assert_eq!(
            batched::<2>(&ours, &case.message, &signature, &fill),
            [dalek; 2],
            "{what}"
        );
        assert_eq!(
            batched::<4>(&ours, &case.message, &signature, &fill),
            [dalek; 4],
            "{what}"
        );
        // Both small-order tests (`fast`: the encoding; without: the point) agree wherever
        // the equation holds.
        if let Some(p) = prepare(&ours, &case.message, &signature)
            && p.computed.compress().as_bytes() == &p.r
        {
            assert_eq!(
                is_small_order_encoding(&p.r),
                p.computed.is_small_order(),
                "{what}"
            );
        }
        // The configured key as the product makes it refuses weak keys outright.
        if PublicKey::from_bytes(&key).is_err() {
            assert!(!dalek, "{what}: a refused key with a valid signature");
        }
    }
    let fast = cfg!(feature = "fast");
    for (source, checked, valid, other) in &counts {
        println!(
            "{source}: {checked} checked, {valid} valid, {} refused, {other} not a 32-byte key and 64-byte signature (fast: {fast})",
            checked - valid
        );
    }
    let total: usize = counts.iter().map(|c| c.1).sum();
    assert!(total > 1000, "{total}");
    // What README says of the suites, as observed with verify_strict.
    let valid = |s: &str| counts.iter().find(|c| c.0 == s).map(|c| (c.1, c.2));
    assert_eq!(valid("rfc8032"), Some((5, 5)));
    assert_eq!(valid("sign.input"), Some((128, 128)));
    assert_eq!(valid("cctv").map(|c| c.1), Some(43));
}
