//! The golden vectors (`tests/vectors/v1.json`, from `examples/gen_vectors.rs`) checked
//! against the protocol as implemented: tokens parse to their fields and verify, refused
//! tokens are refused with their kind, proof messages have their bytes, signatures and MACs
//! verify, the MAC key box opens to the lease's MAC key, the replay rule decides as listed,
//! and the API bodies parse and serialize back to the same text.

use ed25519_dalek::SigningKey;
use seat_protocol::api;
use seat_protocol::proof::{self, GrantFields, MacSecret, ParsedProof, ProofAuth, ProofMessage, ProofOp};
use seat_protocol::{LeaseClaims, TokenError, UntrustedLeaseToken};
use serde_json::Value;

fn vectors() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/v1.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn hx<const N: usize>(v: &Value) -> [u8; N] {
    proof::hex_array("vector", v.as_str().unwrap()).unwrap()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

#[test]
fn tokens_parse_verify_and_encode_as_specified() {
    let v = vectors();
    for t in v["tokens"].as_array().unwrap() {
        let claims = LeaseClaims {
            server_key: hx(&t["server_key"]),
            lease_id: hx(&t["lease_id"]),
            issued_ms: t["issued_ms"].as_i64().unwrap(),
            expires_ms: t["expires_ms"].as_i64().unwrap(),
            borrowed: t["borrowed"].as_bool().unwrap(),
            holder: s(&t["holder"]).into(),
            machine: s(&t["machine"]).into(),
            product: s(&t["product"]).into(),
        };
        assert_eq!(
            hex::encode(claims.body().unwrap()),
            s(&t["body_hex"]),
            "{}",
            t["name"]
        );
        let server = SigningKey::from_bytes(&hx(&t["server_seed"]));
        assert_eq!(server.verifying_key().to_bytes(), claims.server_key);
        assert_eq!(claims.sign(&server).unwrap(), s(&t["token"]));
        let parsed = UntrustedLeaseToken::parse(s(&t["token"])).unwrap();
        assert_eq!(parsed.unverified_claims(), &claims);
        let got = parsed
            .verify_at(&claims.product, &claims.holder, claims.issued_ms)
            .unwrap();
        assert_eq!(got, claims);
        let expired = UntrustedLeaseToken::parse(s(&t["token"])).unwrap();
        assert!(matches!(
            expired.verify_at(&claims.product, &claims.holder, claims.expires_ms),
            Err(TokenError::Expired { .. })
        ));
    }
    for r in v["refused_tokens"].as_array().unwrap() {
        let got = UntrustedLeaseToken::parse(s(&r["token"])).and_then(|t| t.verify_at("cad", "ws-17", 0));
        let kind = match got {
            Err(TokenError::Malformed(_)) => "malformed",
            Err(TokenError::Forged) => "forged",
            other => panic!("{r}: {other:?}"),
        };
        assert_eq!(kind, s(&r["error"]), "{r}");
    }
}

fn op(name: &str) -> ProofOp {
    match name {
        "acquire" => ProofOp::Acquire,
        "borrow" => ProofOp::Borrow,
        "heartbeat" => ProofOp::Heartbeat,
        "release" => ProofOp::Release,
        "check" => ProofOp::Check,
        other => panic!("{other}"),
    }
}

#[test]
fn proofs_lease_keys_and_the_mac_key_box_are_as_specified() {
    let v = vectors();
    let h = &v["holder"];
    let server = SigningKey::from_bytes(&hx(&h["server_seed"]));
    let holder = SigningKey::from_bytes(&hx(&h["holder_seed"]));
    let server_key: [u8; 32] = hx(&h["server_key"]);
    let holder_key: [u8; 32] = hx(&h["holder_key"]);
    assert_eq!(server.verifying_key().to_bytes(), server_key);
    assert_eq!(holder.verifying_key().to_bytes(), holder_key);
    let lease_id: [u8; 16] = hx(&h["lease_id"]);
    let lease_key = proof::lease_key(&holder_key, &lease_id);
    assert_eq!(hex::encode(lease_key), s(&h["lease_key"]));
    assert!(proof::is_proven(&lease_key));
    let mac_key = MacSecret::from_server_key(&server).mac_key(&lease_key);
    assert_eq!(hex::encode(*mac_key), s(&h["mac_key"]));
    let dh_secret: [u8; 32] = hx(&h["dh_secret"]);
    assert_eq!(hex::encode(proof::dh_public(&dh_secret)), s(&h["dh"]));
    let opened = proof::open_mac_key(
        &dh_secret,
        &server_key,
        &lease_id,
        &holder_key,
        &hx(&h["mac_key_box"]),
    )
    .unwrap();
    assert_eq!(*opened, *mac_key);

    for p in v["proofs"].as_array().unwrap() {
        let o = op(s(&p["op"]));
        assert_eq!(o as u8 as u64, p["op_byte"].as_u64().unwrap());
        let grant = p["grant"].as_object().map(|g| GrantFields {
            user: g["user"].as_str().unwrap(),
            machine: g["machine"].as_str().unwrap(),
            amount: u32::try_from(g["amount"].as_u64().unwrap()).unwrap(),
            dh: hx(&g["dh"]),
        });
        let m = ProofMessage {
            op: o,
            server_key,
            holder_key,
            ts: p["ts"].as_i64().unwrap(),
            nonce: hx(&p["nonce"]),
            holder: s(&p["holder"]),
            lease_id: hx(&p["lease_id"]),
            grant,
        };
        let bytes = m.to_bytes().unwrap();
        assert_eq!(hex::encode(&bytes), s(&p["message_hex"]), "{}", p["op"]);
        proof::verify_signature(&holder_key, &bytes, &hx(&p["signature"])).unwrap();
        let sent: api::Proof = serde_json::from_value(p["proof"].clone()).unwrap();
        let parsed = ParsedProof::parse(&sent).unwrap();
        assert_eq!((parsed.key, parsed.ts, parsed.nonce), (holder_key, m.ts, m.nonce));
        match parsed.auth {
            ProofAuth::Signature(sig) => {
                assert!(grant.is_some());
                proof::verify_signature(&holder_key, &bytes, &sig).unwrap();
            }
            ProofAuth::Mac(tag) => {
                assert!(grant.is_none());
                proof::verify_mac(&mac_key, &bytes, &tag).unwrap();
                // The same tag under another lease's key is refused.
                let other =
                    MacSecret::from_server_key(&server).mac_key(&proof::lease_key(&holder_key, &[0; 16]));
                assert!(proof::verify_mac(&other, &bytes, &tag).is_err());
            }
        }
    }
}

#[test]
fn the_replay_rule_decides_as_listed() {
    for c in vectors()["fresh"].as_array().unwrap() {
        let got = proof::check_fresh(
            c["ts"].as_i64().unwrap(),
            c["server_ms"].as_i64().unwrap(),
            c["last"].as_i64(),
        );
        assert_eq!(got.is_ok(), c["accepted"].as_bool().unwrap(), "{c}");
    }
}

#[test]
fn api_bodies_round_trip_to_the_same_text() {
    let v = vectors();
    let b = &v["bodies"];
    let a: api::AcquireRequest = serde_json::from_str(s(&b["acquire_request"])).unwrap();
    assert_eq!(serde_json::to_string(&a).unwrap(), s(&b["acquire_request"]));
    let h: api::LeaseRequest = serde_json::from_str(s(&b["heartbeat_request"])).unwrap();
    assert_eq!(serde_json::to_string(&h).unwrap(), s(&b["heartbeat_request"]));
    let l: api::LeaseResponse = serde_json::from_str(s(&b["lease_response"])).unwrap();
    assert_eq!(serde_json::to_string(&l).unwrap(), s(&b["lease_response"]));
    let e: api::ErrorResponse = serde_json::from_str(s(&b["stale_proof_error"])).unwrap();
    assert_eq!(e.server_ms, Some(2_000_000));
    // Requests refuse unknown fields.
    let extra = s(&b["heartbeat_request"]).replacen('{', r#"{"admin":true,"#, 1);
    assert!(serde_json::from_str::<api::LeaseRequest>(&extra).is_err());
}
