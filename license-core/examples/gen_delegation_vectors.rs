//! Writes the golden vectors of reseller delegation (format v2) to standard output,
//! deterministically (fixed seed keys, fixed dates). CI regenerates them and fails on any
//! difference:
//!
//! ```sh
//! cargo run -q -p license-core --example gen_delegation_vectors > license-core/tests/vectors/v2-delegation.json
//! git diff --exit-code license-core/tests/vectors/
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/reseller/mod.rs"]
mod reseller;

use common::*;
use license_core::ed25519_dalek::SigningKey;
use license_core::*;
use reseller::*;
use serde_json::{Value, json};

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

fn text_of(bytes: &[u8]) -> String {
    UntrustedDelegatedCode::from_bytes(bytes)
        .expect("decodes")
        .to_string()
}

struct Case {
    name: &'static str,
    why: &'static str,
    code: String,
    product: &'static str,
    revoked: Vec<u32>,
}

impl Case {
    fn new(name: &'static str, why: &'static str, code: String) -> Case {
        Case {
            name,
            why,
            code,
            product: PRODUCT,
            revoked: Vec::new(),
        }
    }
}

fn main() {
    let m = reference_machine();
    let trial = License {
        kind: Kind::Trial,
        expires: reference().issued.checked_add_days(45),
        grace_days: 0,
        ..reference()
    };
    let late = License {
        issued: day(2028, 1, 1),
        valid_from: day(2028, 1, 1),
        expires: Some(day(2029, 1, 1)),
        maintenance_ends: Some(day(2029, 1, 1)),
        ..reference()
    };
    let wide = {
        let mut f = Frame::new(KindSet::ALL, LineSet::ALL, ModuleSet::first(64), day(2099, 1, 1));
        f.delegation_depth = 2;
        reseller_chain_with(f)
    };
    let widened = certificate(
        1,
        &sub_key(),
        SUB,
        Frame {
            named_users: None,
            ..sub_frame()
        },
    )
    .certify(PRODUCT, &reseller_key(), Some(&wide))
    .unwrap();
    let rogue = SigningKey::from_bytes(&OTHER_SEED);
    let rogue_chain = certificate(7, &reseller_key(), RESELLER, reseller_frame())
        .certify(PRODUCT, &rogue, None)
        .unwrap();
    let mut bad_signature = reseller_code().as_bytes().to_vec();
    bad_signature[110] ^= 0x01; // inside the certificate's signature
    let typo = {
        let text = sub_code().to_string();
        let mut groups: Vec<String> = text.split('-').map(str::to_owned).collect();
        let g = &mut groups[50];
        let first = if g.starts_with('A') { 'B' } else { 'A' };
        g.replace_range(0..1, &first.to_string());
        groups.join("-")
    };
    let mut cases = vec![
        Case::new(
            "one-level",
            "the reference license signed by Contoso, certified by the vendor",
            reseller_code().to_string(),
        ),
        Case::new(
            "two-level",
            "the reference license signed by Fabrikam, certified by Contoso",
            sub_code().to_string(),
        ),
        Case::new(
            "outside-frame-users",
            "101 named users; Contoso may grant at most 100",
            text_of(&forge(
                &reseller_chain(),
                &License {
                    named_users: Some(101),
                    ..reference()
                },
                &reseller_key(),
            )),
        ),
        Case::new(
            "outside-frame-trial-days",
            "a 45-day trial; Contoso's trials are usable at most 30 days",
            text_of(&forge(&reseller_chain(), &trial, &reseller_key())),
        ),
        Case::new(
            "outside-frame-module",
            "module 4; Fabrikam may grant modules 0-3",
            text_of(&forge(
                &sub_chain(),
                &License {
                    modules: reference().modules.with(4),
                    ..reference()
                },
                &sub_key(),
            )),
        ),
        Case::new(
            "expired-certificate",
            "issued on 2028-01-01, the end of Contoso's certificate",
            text_of(&forge(&reseller_chain(), &late, &reseller_key())),
        ),
        Case::new(
            "widening",
            "Fabrikam's certificate leaves users unlimited; Contoso's frame limits them to 100",
            text_of(&forge(
                &splice(&reseller_chain(), &widened),
                &reference(),
                &sub_key(),
            )),
        ),
        Case {
            revoked: vec![7],
            ..Case::new(
                "revoked",
                "the vendor revoked Contoso's certificate 7: Fabrikam's codes fall with it",
                sub_code().to_string(),
            )
        },
        Case::new(
            "unknown-vendor-key",
            "Contoso certified by a key the installation does not hold",
            text_of(&forge(&rogue_chain, &reference(), &reseller_key())),
        ),
        Case::new(
            "bad-certificate-signature",
            "one bit of the certificate's signature flipped",
            text_of(&bad_signature),
        ),
        Case::new(
            "not-signed-by-reseller",
            "a code signed by the vendor's key behind Contoso's chain",
            text_of(&forge(&reseller_chain(), &reference(), &key())),
        ),
        Case {
            product: "other-product",
            ..Case::new(
                "wrong-product",
                "the one-level code on another product's installation",
                reseller_code().to_string(),
            )
        },
        Case::new("typo", "one character of group 51 changed", typo),
    ];
    let vendor = public_keys();
    let out: Vec<Value> = cases
        .drain(..)
        .map(|c| {
            let ctx = Context::new(c.product, LICENSEE).with_machine(&m);
            let result = UntrustedDelegatedCode::parse(&c.code)
                .and_then(|u| u.verify(&vendor, &ctx, |s| c.revoked.contains(&s)));
            let expect = match result {
                Ok(v) => json!({
                    "valid": true,
                    "depth": v.depth(),
                    "issuer": v.issuer().name.as_str(),
                    "chain": v.chain().map(|cert| json!({
                        "serial": cert.serial,
                        "name": cert.name.as_str(),
                        "subject": hex(&cert.subject.to_bytes()),
                        "frame": serde_json::to_value(cert.frame).unwrap(),
                    })).collect::<Vec<_>>(),
                    "license": serde_json::to_value(v.license().license()).unwrap(),
                }),
                Err(e) => {
                    json!({ "valid": false, "error": delegation_error_name(&e), "message": e.to_string() })
                }
            };
            json!({
                "name": c.name,
                "why": c.why,
                "code": c.code,
                "characters": c.code.chars().filter(|&ch| ch != '-').count(),
                "product": c.product,
                "revoked_certificates": c.revoked,
                "expect": expect,
            })
        })
        .collect();
    let doc = json!({
        "format_version": 2,
        "description": "Reseller's codes (docs/FORMAT.md, \"Delegated codes (format v2)\"). Keys are Ed25519 seeds; the installation is the v1 reference installation (licensee, machine) with the product given per case.",
        "vendor_seed": hex(&SEED),
        "vendor_public_key": hex(&vendor[0].to_bytes()),
        "reseller_seeds": { RESELLER: hex(&RESELLER_SEED), SUB: hex(&SUB_SEED) },
        "licensee": LICENSEE,
        "machine": reference_machine_json(),
        "chains": {
            "one-level": reseller_chain().to_string(),
            "two-level": sub_chain().to_string(),
        },
        "cases": out,
        "revocation_lists": revocation_lists(),
    });
    println!("{}", serde_json::to_string_pretty(&doc).unwrap());
}

/// Signed revocation lists of versions 2 and 3 (`docs/FORMAT.md`, "Revocation list"),
/// each with what it does to the one-level and the two-level reference codes.
fn revocation_lists() -> Value {
    let (issued, expires) = (day(2027, 1, 1), day(2027, 2, 1));
    let pair = |reseller, sub_reseller| SubCertificateSerial {
        reseller,
        sub_reseller,
    };
    let v3 = |pairs: &[SubCertificateSerial]| {
        sign_revocation_list_with_sub_certificates(PRODUCT, 3, issued, expires, &[], &[], pairs, &key())
            .unwrap()
    };
    let mut not_ascending = v3(&[pair(7, 1), pair(7, 2)]);
    // Swap the two pairs (the last four bytes of the body) and sign again: canonical
    // order is part of the format, so it is refused before the signature is checked.
    not_ascending.truncate(not_ascending.len() - SIGNATURE_LEN);
    let n = not_ascending.len();
    not_ascending[n - 4..].copy_from_slice(&[7, 2, 7, 1]);
    let resigned = {
        use license_core::ed25519_dalek::Signer;
        let mut digest_input = Vec::from(&b"license-core/v1 revocation\0"[..]);
        digest_input.push(PRODUCT.len() as u8);
        digest_input.extend_from_slice(PRODUCT.as_bytes());
        use sha2::Digest;
        digest_input.extend_from_slice(&sha2::Sha256::digest(&not_ascending));
        let signature = key().sign(&digest_input);
        let mut out = not_ascending.clone();
        out.extend_from_slice(&signature.to_bytes());
        out
    };
    let lists: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "list-v2-reseller",
            "version 2: Contoso's certificate 7 revoked; Fabrikam's codes fall with it",
            sign_revocation_list_with_certificates(PRODUCT, 2, issued, expires, &[], &[7], &key()).unwrap(),
        ),
        (
            "list-v3-sub-reseller",
            "version 3: Fabrikam's certificate 1 under Contoso's 7 revoked; Contoso's own codes stay valid",
            v3(&[pair(7, 1)]),
        ),
        (
            "list-v3-other-sub-reseller",
            "version 3: certificate 2 under Contoso's 7 revoked (not Fabrikam's)",
            v3(&[pair(7, 2)]),
        ),
        (
            "list-v3-other-reseller",
            "version 3: certificate 1 under another reseller's 8 revoked: sub-reseller serials are unique per reseller only",
            v3(&[pair(8, 1)]),
        ),
        (
            "list-v3-not-ascending",
            "version 3 with its pairs (7, 2), (7, 1) out of order, signed",
            resigned,
        ),
    ];
    let m = reference_machine();
    let ctx = Context::new(PRODUCT, LICENSEE).with_machine(&m);
    let keys = public_keys();
    let verdict = |list: &RevocationList<'_>, code: &DelegatedCode| match UntrustedDelegatedCode::from_bytes(
        code.as_bytes(),
    )
    .and_then(|u| u.verify_revocations(&keys, &ctx, list))
    {
        Ok(_) => json!({ "valid": true }),
        Err(e) => json!({ "valid": false, "error": delegation_error_name(&e), "message": e.to_string() }),
    };
    let out: Vec<Value> = lists
        .into_iter()
        .map(|(name, why, bytes)| {
            let expect = match UntrustedRevocationList::parse(&bytes).and_then(|u| u.verify(&keys, PRODUCT)) {
                Ok(list) => json!({
                    "valid": true,
                    "version": bytes[0],
                    "certificates": list.revoked_certificates().collect::<Vec<_>>(),
                    "sub_certificates": list
                        .revoked_sub_certificates()
                        .map(|p| [p.reseller, p.sub_reseller])
                        .collect::<Vec<_>>(),
                    "one-level": verdict(&list, &reseller_code()),
                    "two-level": verdict(&list, &sub_code()),
                }),
                Err(e) => json!({ "valid": false, "error": error_name(&e), "message": e.to_string() }),
            };
            json!({ "name": name, "why": why, "bytes": hex(&bytes), "expect": expect })
        })
        .collect();
    json!(out)
}

fn reference_machine_json() -> Value {
    let m = reference_machine();
    let mut obj = serde_json::Map::new();
    for c in Component::ALL {
        let v: Vec<String> = m.digests(c).iter().map(|d| d.to_string()).collect();
        obj.insert(
            serde_json::to_value(c).unwrap().as_str().unwrap().to_owned(),
            json!(v),
        );
    }
    Value::Object(obj)
}
