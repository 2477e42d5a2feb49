//! The golden vectors of format 2 (`tests/vectors/v2.json`): every case verifies as
//! recorded (valid ones re-sign to the same text), status evaluations, revocation lists and
//! fingerprint texts give what is recorded.

mod common;

use common::*;
use license_core::*;
use serde_json::Value;

const VECTORS: &str = include_str!("vectors/v2.json");

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("the vectors hold hex")
}

fn doc() -> Value {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(doc["format_version"], 2);
    doc
}

fn machine_of(v: &Value) -> Option<MachineFingerprint> {
    let obj = v.as_object()?;
    let mut m = MachineFingerprint::unknown();
    for c in Component::ALL {
        let name = serde_json::to_value(c).unwrap();
        for d in obj[name.as_str().unwrap()].as_array().unwrap() {
            let b = unhex(d.as_str().unwrap());
            m.add(c, ComponentDigest::from_bytes([b[0], b[1], b[2]]));
        }
    }
    Some(m)
}

fn keys() -> [PublicKey; 1] {
    let key: [u8; 32] = unhex(doc()["public_key"].as_str().unwrap()).try_into().unwrap();
    [PublicKey::from_bytes(&key).unwrap()]
}

#[test]
fn every_case_verifies_as_recorded() {
    let doc = doc();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 40);
    let keys = keys();
    for case in cases {
        let code = case["code"].as_str().unwrap();
        vector_case::verify_as_recorded(case, &keys, machine_of, |name, verified, expected, ctx| {
            let format = Format::from_version(case["format_version"].as_u64().unwrap() as u8).unwrap();
            assert_eq!(verified.format(), format, "{name}");
            let again = sign_as(format, expected, ctx, &key()).unwrap();
            // Separators are not part of a code: compare without them (case `line-breaks`).
            let bare = |t: &str| -> String { t.chars().filter(|c| !"- \t\r\n".contains(*c)).collect() };
            assert_eq!(
                bare(&again.to_string()),
                bare(code),
                "{name} re-signs identically"
            );
        });
    }
}

#[test]
fn the_reference_is_at_most_150_characters_and_the_seat_server_is_named() {
    let doc = doc();
    let cases = doc["cases"].as_array().unwrap();
    let by_name = |n: &str| cases.iter().find(|c| c["name"] == n).unwrap();
    let reference = by_name("reference");
    assert!(reference["chars"].as_u64().unwrap() <= 150);
    assert_eq!(reference["code"].as_str().unwrap(), reference_code().to_string());
    let server = by_name("seat-server");
    let seat_key: [u8; 32] = unhex(doc["seat_server_public_key"].as_str().unwrap())
        .try_into()
        .unwrap();
    let m = machine_of(&server["context"]["machine"]).unwrap();
    let v = UntrustedCode::parse(server["code"].as_str().unwrap())
        .unwrap()
        .verify(&keys(), &reference_context(&m))
        .unwrap();
    assert!(v.binds_seat_server(&seat_key));
    assert!(!v.binds_seat_server(&[12; 32]));
}

#[test]
fn status_on_chosen_days_is_as_recorded() {
    let doc = doc();
    let cases = doc["cases"].as_array().unwrap();
    let mut checked = 0;
    for s in doc["status"].as_array().unwrap() {
        let case = cases.iter().find(|c| c["name"] == s["case"]).unwrap();
        let license: License = serde_json::from_value(case["license"].clone()).unwrap();
        for d in s["days"].as_array().unwrap() {
            let today = Date::parse(d["today"].as_str().unwrap()).unwrap();
            let build = Date::parse(d["build_date"].as_str().unwrap()).unwrap();
            let e = evaluate(&license, today, build, &Policy::default());
            let recorded: Evaluation = serde_json::from_value(d["evaluation"].clone()).unwrap();
            assert_eq!(e, recorded, "{} on {today}", s["case"]);
            assert_eq!(e.is_usable(), d["usable"].as_bool().unwrap());
            checked += 1;
        }
    }
    assert!(checked >= 15);
}

#[test]
fn revocation_lists_are_as_recorded() {
    let doc = doc();
    for l in doc["revocation_lists"].as_array().unwrap() {
        let bytes = unhex(l["bytes"].as_str().unwrap());
        let outcome = UntrustedRevocationList::parse(&bytes)
            .and_then(|u| u.verify(&keys(), l["product"].as_str().unwrap()));
        match (l["valid"].as_bool().unwrap(), outcome) {
            (true, Ok(list)) => {
                assert_eq!(list.sequence(), l["sequence"].as_u64().unwrap());
                assert!(list.is_revoked(2002, 4) && !list.is_revoked(2002, 5) && list.is_revoked(1, 99));
                let certificates: Vec<u64> = l["revoked_certificates"]
                    .as_array()
                    .map(|a| a.iter().map(|s| s.as_u64().unwrap()).collect())
                    .unwrap_or_default();
                assert_eq!(
                    list.revoked_certificates().map(u64::from).collect::<Vec<_>>(),
                    certificates,
                    "{}",
                    l["name"]
                );
                for serial in [3u32, 4, 500] {
                    assert_eq!(
                        list.revokes_certificate(serial),
                        certificates.contains(&u64::from(serial)),
                        "{} certificate {serial}",
                        l["name"]
                    );
                }
            }
            (false, Err(e)) => assert_eq!(error_name(&e), l["error"].as_str().unwrap(), "{}", l["name"]),
            (valid, outcome) => panic!("{}: expected valid={valid}, got {outcome:?}", l["name"]),
        }
    }
}

#[test]
fn fingerprint_texts_follow_from_the_raw_values() {
    let doc = doc();
    let key = PRODUCT.as_bytes();
    for f in doc["fingerprints"].as_array().unwrap() {
        let raw = &f["raw"];
        let mut m = MachineFingerprint::unknown();
        for c in Component::ALL {
            let name = serde_json::to_value(c).unwrap();
            match &raw[name.as_str().unwrap()] {
                Value::String(s) => {
                    if let Some(d) = component_digest(key, c, s) {
                        m.add(c, d);
                    }
                }
                Value::Array(macs) => {
                    for mac in macs {
                        let mac: [u8; 6] = unhex(mac.as_str().unwrap()).try_into().unwrap();
                        if let Some(d) = mac_digest(key, mac) {
                            m.add(c, d);
                        }
                    }
                }
                _ => {}
            }
        }
        assert_eq!(Some(m), machine_of(&f["digests"]), "{}", f["name"]);
        let b = m.binding(f["tolerance_asked"].as_u64().unwrap() as u8).unwrap();
        let recorded = &f["binding"];
        assert_eq!(b.to_string(), recorded["text"].as_str().unwrap());
        assert_eq!(
            u64::from(b.digest_bits()),
            recorded["digest_bits"].as_u64().unwrap()
        );
        assert_eq!(u64::from(b.tolerance()), recorded["tolerance"].as_u64().unwrap());
        assert_eq!(MachineBinding::parse(recorded["text"].as_str().unwrap()), Ok(b));
    }
}
