//! The golden vectors of reseller delegation (`tests/vectors/v2-delegation.json`) verify
//! as recorded, and valid ones are reproduced byte for byte by signing their decoded
//! license again with the recorded reseller key and chain.

mod common;
mod reseller;

use common::*;
use license_core::ed25519_dalek::SigningKey;
use license_core::*;
use reseller::*;
use serde_json::Value;

const VECTORS: &str = include_str!("vectors/v2-delegation.json");

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("the vectors hold hex")
}

#[test]
fn every_delegation_vector_verifies_as_recorded() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    assert_eq!(doc["format_version"], 2);
    let vendor: [u8; 32] = unhex(doc["vendor_public_key"].as_str().unwrap())
        .try_into()
        .unwrap();
    let keys = [PublicKey::from_bytes(&vendor).unwrap()];
    let machine = reference_machine();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 12);
    let mut valid = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let code = case["code"].as_str().unwrap();
        let ctx = Context::new(
            case["product"].as_str().unwrap(),
            doc["licensee"].as_str().unwrap(),
        )
        .with_machine(&machine);
        let revoked: Vec<u32> = case["revoked_certificates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_u64().unwrap() as u32)
            .collect();
        let expect = &case["expect"];
        let result =
            UntrustedDelegatedCode::parse(code).and_then(|u| u.verify(&keys, &ctx, |s| revoked.contains(&s)));
        match result {
            Ok(v) => {
                assert_eq!(expect["valid"], true, "{name} verified");
                assert_eq!(expect["depth"], v.depth(), "{name}");
                assert_eq!(expect["issuer"], v.issuer().name.as_str(), "{name}");
                let license: License = serde_json::from_value(expect["license"].clone()).unwrap();
                assert_eq!(v.license().license(), &license, "{name}");
                for (cert, recorded) in v.chain().zip(expect["chain"].as_array().unwrap()) {
                    assert_eq!(recorded["serial"], cert.serial);
                    assert_eq!(recorded["name"], cert.name.as_str());
                    assert_eq!(
                        unhex(recorded["subject"].as_str().unwrap()),
                        cert.subject.to_bytes()
                    );
                    let frame: Frame = serde_json::from_value(recorded["frame"].clone()).unwrap();
                    assert_eq!(frame, cert.frame);
                }
                // Re-signing reproduces the code: the chain from the recorded chain text,
                // the reseller key from the recorded seed.
                let chain_text = doc["chains"][if v.depth() == 1 { "one-level" } else { "two-level" }]
                    .as_str()
                    .unwrap();
                let chain = CertificateChain::parse(chain_text).unwrap();
                let seed: [u8; 32] = unhex(doc["reseller_seeds"][v.issuer().name.as_str()].as_str().unwrap())
                    .try_into()
                    .unwrap();
                let again = sign_delegated(&license, &ctx, &SigningKey::from_bytes(&seed), &chain).unwrap();
                assert_eq!(again.to_string(), code, "{name} re-signs to the same text");
                assert_eq!(case["characters"], again.text_len());
                valid += 1;
            }
            Err(e) => {
                assert_eq!(expect["valid"], false, "{name} failed with {e}");
                assert_eq!(expect["error"], delegation_error_name(&e), "{name}");
                assert_eq!(expect["message"], e.to_string(), "{name}");
            }
        }
    }
    assert_eq!(valid, 2);
}

/// The revocation lists of versions 2 and 3 decode as recorded, and what each does to
/// the recorded one-level and two-level codes (the first code of each depth among the
/// cases) is what the vectors say.
#[test]
fn every_revocation_list_vector_revokes_as_recorded() {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    let keys = [PublicKey::from_bytes(
        &unhex(doc["vendor_public_key"].as_str().unwrap())
            .try_into()
            .unwrap(),
    )
    .unwrap()];
    let machine = reference_machine();
    let ctx = Context::new(PRODUCT, doc["licensee"].as_str().unwrap()).with_machine(&machine);
    let code_of_depth = |depth: u64| {
        let case = doc["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["expect"]["valid"] == true && c["expect"]["depth"] == depth)
            .unwrap();
        UntrustedDelegatedCode::parse(case["code"].as_str().unwrap()).unwrap()
    };
    let codes = [("one-level", code_of_depth(1)), ("two-level", code_of_depth(2))];
    let lists = doc["revocation_lists"].as_array().unwrap();
    assert!(lists.len() >= 5);
    let mut refused_sub_reseller = 0;
    for l in lists {
        let name = l["name"].as_str().unwrap();
        let bytes = unhex(l["bytes"].as_str().unwrap());
        let expect = &l["expect"];
        match UntrustedRevocationList::parse(&bytes).and_then(|u| u.verify(&keys, PRODUCT)) {
            Ok(list) => {
                assert_eq!(expect["valid"], true, "{name}");
                assert_eq!(expect["version"], bytes[0], "{name}");
                let certificates: Vec<u32> = list.revoked_certificates().collect();
                assert_eq!(expect["certificates"], serde_json::json!(certificates), "{name}");
                let pairs: Vec<[u32; 2]> = list
                    .revoked_sub_certificates()
                    .map(|p| [p.reseller, p.sub_reseller])
                    .collect();
                assert_eq!(expect["sub_certificates"], serde_json::json!(pairs), "{name}");
                for (depth, code) in &codes {
                    let verdict = &expect[*depth];
                    match code.verify_revocations(&keys, &ctx, &list) {
                        Ok(_) => assert_eq!(verdict["valid"], true, "{name} {depth}"),
                        Err(e) => {
                            assert_eq!(verdict["valid"], false, "{name} {depth}: {e}");
                            assert_eq!(verdict["error"], delegation_error_name(&e), "{name} {depth}");
                            assert_eq!(verdict["message"], e.to_string(), "{name} {depth}");
                            if matches!(e, Error::Delegation(DelegationError::SubResellerRevoked { .. })) {
                                refused_sub_reseller += 1;
                            }
                        }
                    }
                }
            }
            Err(e) => {
                assert_eq!(expect["valid"], false, "{name}: {e}");
                assert_eq!(expect["error"], error_name(&e), "{name}");
                assert_eq!(expect["message"], e.to_string(), "{name}");
            }
        }
    }
    assert_eq!(
        refused_sub_reseller, 1,
        "one list revokes Fabrikam by the pair (7, 1)"
    );
}
