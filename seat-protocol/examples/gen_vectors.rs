//! Prints the seat protocol's golden vectors (`tests/vectors/v1.json`) to standard output.
//! CI runs it again and fails on any difference (`.ci/run`):
//!
//! ```sh
//! cargo run -q -p seat-protocol --example gen_vectors > seat-protocol/tests/vectors/v1.json
//! ```
//!
//! Every key is a fixed seed; Ed25519 and the rest are deterministic, so the output is too.
#![forbid(unsafe_code)]

use ed25519_dalek::SigningKey;
use seat_protocol::api;
use seat_protocol::proof::{self, GrantFields, MacSecret, ParsedProof, ProofAuth, ProofMessage, ProofOp};
use seat_protocol::{LeaseClaims, UntrustedLeaseToken};
use serde_json::{Value, json};

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn token_case(name: &str, claims: &LeaseClaims, server_seed: u8) -> Value {
    let body = claims.body().expect("fields fit");
    let text = claims.sign(&key(server_seed)).expect("fields fit");
    json!({
        "name": name,
        "server_seed": hex::encode([server_seed; 32]),
        "server_key": hex::encode(claims.server_key),
        "lease_id": hex::encode(claims.lease_id),
        "issued_ms": claims.issued_ms,
        "expires_ms": claims.expires_ms,
        "borrowed": claims.borrowed,
        "holder": claims.holder,
        "machine": claims.machine,
        "product": claims.product,
        "body_hex": hex::encode(&body),
        "token": text,
    })
}

fn op_name(op: ProofOp) -> &'static str {
    match op {
        ProofOp::Acquire => "acquire",
        ProofOp::Borrow => "borrow",
        ProofOp::Heartbeat => "heartbeat",
        ProofOp::Release => "release",
        ProofOp::Check => "check",
    }
}

fn main() {
    let server = key(1);
    let server_key = server.verifying_key().to_bytes();
    let holder = key(2);
    let holder_key = holder.verifying_key().to_bytes();
    let claims = LeaseClaims {
        server_key,
        lease_id: [0x5a; 16],
        issued_ms: 1_796_000_000_000,
        expires_ms: 1_796_000_120_000,
        borrowed: false,
        holder: "ws-17".into(),
        machine: "ws-17.acme.lan".into(),
        product: "cad".into(),
    };
    let borrowed = LeaseClaims {
        borrowed: true,
        expires_ms: 1_796_000_000_000 + 14 * 86_400_000,
        machine: String::new(),
        holder: "laptop-ü".into(),
        ..claims.clone()
    };
    let tokens = vec![
        token_case("floating", &claims, 1),
        token_case("borrowed", &borrowed, 1),
    ];

    // Refused tokens: each with the kind of refusal (`TokenError`) a client must give.
    let good = claims.sign(&server).expect("fits");
    let mut flipped = good.clone().into_bytes();
    let last = flipped.len() - 1;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    let refused = vec![
        json!({"token": "", "error": "malformed"}),
        json!({"token": "TEtMMQ", "error": "malformed"}),
        json!({"token": String::from_utf8(flipped).expect("ascii"), "error": "forged"}),
        json!({"token": LeaseClaims { lease_id: [1; 16], ..claims.clone() }.sign(&key(9)).expect("fits"), "error": "forged"}),
    ];

    // Proof messages: every operation, signed and (heartbeat, check, release) MACed.
    let mac_secret = MacSecret::from_server_key(&server);
    let lease_id = [0x5a; 16];
    let lease_key = proof::lease_key(&holder_key, &lease_id);
    let mac_key = mac_secret.mac_key(&lease_key);
    let dh_secret = [3; 32];
    let dh = proof::dh_public(&dh_secret);
    let sealed = proof::seal_mac_key(&server, &dh, &lease_id, &holder_key, &mac_key).expect("usable dh");
    let mut proofs = Vec::new();
    for (i, op) in [
        ProofOp::Acquire,
        ProofOp::Borrow,
        ProofOp::Heartbeat,
        ProofOp::Check,
        ProofOp::Release,
    ]
    .into_iter()
    .enumerate()
    {
        let grant = matches!(op, ProofOp::Acquire | ProofOp::Borrow).then_some(GrantFields {
            user: "anna",
            machine: "ws-17.acme.lan",
            amount: if op == ProofOp::Borrow { 14 } else { 120 },
            dh,
        });
        let ts = 1_796_000_000_000 + i as i64;
        let nonce = [0x10 + i as u8; 16];
        let named = if op == ProofOp::Acquire { [0; 16] } else { lease_id };
        let m = ProofMessage {
            op,
            server_key,
            holder_key,
            ts,
            nonce,
            holder: "ws-17",
            lease_id: named,
            grant,
        };
        let bytes = m.to_bytes().expect("fits");
        let auth = if grant.is_some() {
            ProofAuth::Signature(proof::sign(&holder, &bytes))
        } else {
            ProofAuth::Mac(proof::mac(&mac_key, &bytes))
        };
        let request = ParsedProof {
            key: holder_key,
            ts,
            nonce,
            auth,
        }
        .to_api();
        proofs.push(json!({
            "op": op_name(op),
            "op_byte": op as u8,
            "ts": ts,
            "nonce": hex::encode(nonce),
            "holder": "ws-17",
            "lease_id": hex::encode(named),
            "grant": grant.map(|g| json!({"user": g.user, "machine": g.machine, "amount": g.amount, "dh": hex::encode(g.dh)})),
            "message_hex": hex::encode(&bytes),
            "signature": hex::encode(proof::sign(&holder, &bytes)),
            "proof": request,
        }));
    }

    // The replay rule: (ts, server clock, the holder key's last accepted time) -> accepted.
    let w = proof::PROOF_WINDOW_MS;
    let fresh = [
        (1_000_000, 1_000_000, None, true),
        (1_000_000 + w, 1_000_000, None, true),
        (1_000_000 + w + 1, 1_000_000, None, false),
        (1_000_000 - w, 1_000_000, None, true),
        (1_000_000 - w - 1, 1_000_000, None, false),
        (1_000_000, 1_000_000, Some(1_000_000), false),
        (1_000_001, 1_000_000, Some(1_000_000), true),
        (999_999, 1_000_000, Some(1_000_000), false),
    ]
    .iter()
    .map(|&(ts, server_ms, last, ok)| json!({"ts": ts, "server_ms": server_ms, "last": last, "accepted": ok}))
    .collect::<Vec<_>>();

    // The API's bodies as a client sends and a server answers them.
    let acquire = api::AcquireRequest {
        holder: "ws-17".into(),
        user: "anna".into(),
        machine: "ws-17.acme.lan".into(),
        ttl_secs: Some(120),
        lease_id: None,
        dh: Some(hex::encode(dh)),
        proof: proofs[0]["proof"]
            .as_object()
            .map(|_| serde_json::from_value(proofs[0]["proof"].clone()).expect("proof")),
    };
    let heartbeat = api::LeaseRequest {
        holder: "ws-17".into(),
        lease_id: hex::encode(lease_id),
        proof: Some(serde_json::from_value(proofs[2]["proof"].clone()).expect("proof")),
    };
    let lease = api::LeaseResponse {
        holder: "ws-17".into(),
        lease_id: hex::encode(lease_id),
        granted_ms: claims.issued_ms,
        expires_ms: claims.expires_ms,
        ttl_secs: 120,
        borrowed: false,
        renewed: false,
        in_use: 1,
        limit: Some(10),
        token: good.clone(),
        mac_key_box: Some(hex::encode(sealed)),
    };
    let stale = api::ErrorResponse {
        error: "stale_proof".into(),
        message: proof::ProofError::Stale {
            ts: 1_000,
            server_ms: 2_000_000,
        }
        .to_string(),
        limit: None,
        server_ms: Some(2_000_000),
    };
    let bodies = json!({
        "acquire_request": serde_json::to_string(&acquire).expect("json"),
        "heartbeat_request": serde_json::to_string(&heartbeat).expect("json"),
        "lease_response": serde_json::to_string(&lease).expect("json"),
        "stale_proof_error": serde_json::to_string(&stale).expect("json"),
    });

    // Every refused token really is refused (the generator checks what it writes).
    assert!(UntrustedLeaseToken::parse(&good).is_ok());

    let out = json!({
        "comment": "Golden vectors of the seat protocol (docs/SERVER.md, \"The protocol\"); made by seat-protocol/examples/gen_vectors.rs",
        "version": 1,
        "tokens": tokens,
        "refused_tokens": refused,
        "holder": {
            "server_seed": hex::encode([1u8; 32]),
            "server_key": hex::encode(server_key),
            "holder_seed": hex::encode([2u8; 32]),
            "holder_key": hex::encode(holder_key),
            "lease_id": hex::encode(lease_id),
            "lease_key": hex::encode(lease_key),
            "mac_key": hex::encode(*mac_key),
            "dh_secret": hex::encode(dh_secret),
            "dh": hex::encode(dh),
            "mac_key_box": hex::encode(sealed),
        },
        "proofs": proofs,
        "fresh": fresh,
        "bodies": bodies,
    });
    println!("{}", serde_json::to_string_pretty(&out).expect("json"));
}
