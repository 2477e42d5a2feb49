//! The golden vectors (`tests/vectors/v1.json`) verify as recorded, and valid ones are
//! reproduced byte for byte by signing their decoded scope again.

mod common;

use common::*;
use license_core::*;
use serde_json::Value;

const VECTORS: &str = include_str!("vectors/v1.json");

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("the vectors hold hex")
}

fn machine_of(v: &Value) -> Option<MachineFingerprint> {
    let obj = v.as_object()?;
    let mut m = MachineFingerprint::unknown();
    // Format 1: the first four components, one-byte digests (a digest known to its
    // first byte is all a format-1 binding compares).
    for c in Component::ALL.into_iter().take(4) {
        let name = serde_json::to_value(c).unwrap();
        for d in obj[name.as_str().unwrap()].as_array().unwrap() {
            m.add(
                c,
                ComponentDigest::from_bytes([unhex(d.as_str().unwrap())[0], 0, 0]),
            );
        }
    }
    Some(m)
}

fn cases() -> Vec<Value> {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(doc["format_version"], 1);
    doc["cases"].as_array().unwrap().clone()
}

#[test]
fn every_vector_verifies_as_recorded() {
    let cases = cases();
    assert!(cases.len() >= 20);
    for case in &cases {
        let key: [u8; 32] = unhex(case["public_key"].as_str().unwrap()).try_into().unwrap();
        let keys = [PublicKey::from_bytes(&key).unwrap()];
        let code = case["code"].as_str().unwrap();
        vector_case::verify_as_recorded(case, &keys, machine_of, |name, _, expected, ctx| {
            // Deterministic signatures: the same scope and context give the same code.
            let again = sign_as(Format::V1, expected, ctx, &key_for(&keys[0])).unwrap();
            assert_eq!(again.to_string(), code, "{name} re-signs identically");
        });
    }
}

fn key_for(public: &PublicKey) -> license_core::ed25519_dalek::SigningKey {
    let k = key();
    assert_eq!(
        PublicKey::from(k.verifying_key()),
        *public,
        "vectors use the seed key"
    );
    k
}

#[test]
fn reference_case_is_the_specified_license_and_short() {
    let cases = cases();
    let reference_case = cases.iter().find(|c| c["name"] == "reference").unwrap();
    let code = reference_case["code"].as_str().unwrap();
    let chars = code.chars().filter(|c| *c != '-').count();
    println!(
        "reference code: {chars} characters without dashes, {} with",
        code.len()
    );
    assert!(chars <= 150, "{chars}");
    let expected: License = serde_json::from_value(reference_case["license"].clone()).unwrap();
    assert_eq!(expected, reference_v1());
    assert_eq!(code, reference_code_v1().to_string());
    // An independent implementation of the text form gives the same characters.
    assert_eq!(text_of(reference_code_v1().as_bytes()), code.replace('-', ""));
}

#[test]
fn machine_digests_follow_from_the_raw_values() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let raw = &doc["reference_machine_raw"];
    let mac: [u8; 6] = unhex(raw["network"].as_str().unwrap()).try_into().unwrap();
    let m = machine(
        raw["os-install-id"].as_str().unwrap(),
        raw["hardware-uuid"].as_str().unwrap(),
        raw["cpu"].as_str().unwrap(),
        mac,
    );
    let reference_case = &cases()[0];
    // Format 1 records the first byte of each digest.
    let mut first_bytes = MachineFingerprint::unknown();
    for c in Component::ALL {
        for d in m.digests(c) {
            first_bytes.add(c, ComponentDigest::from_bytes([d.first_byte(), 0, 0]));
        }
    }
    assert_eq!(
        Some(first_bytes),
        machine_of(&reference_case["context"]["machine"])
    );
    assert_eq!(m.known(), ComponentSet::FORMAT_1);
}
