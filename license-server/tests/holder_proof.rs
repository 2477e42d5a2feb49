//! Attack tests (docs/SERVER.md, "What a LAN attacker and a web page can do", finding 3):
//! the holder proof. The server runs as a child process (the built binary); the attacker
//! knows everything a sniffer on the LAN sees (holder id, machine, lease id, the holder's
//! public key, whole requests) but not the holder's secret key or the lease's MAC key.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::PRODUCT;
use ed25519_dalek::SigningKey;
use license_verify::seat_client::{PinnedServerKey, SeatClient, SeatError, ServerKeyCheck, now_ms};
use seat_protocol::proof::{self, GrantFields, ParsedProof, ProofAuth, ProofMessage, ProofOp};

struct Server {
    child: Child,
    base: String,
    key: [u8; 32],
    data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(extra: &[&str]) -> Server {
    let data = tempfile::tempdir().unwrap();
    let key = license_server::keys::ServerKey::load_or_create(data.path())
        .unwrap()
        .public();
    let mut l = common::license(5);
    l.binding = l.binding.with_seat_server(&key);
    let license = common::write_license(data.path(), &l);
    let mut child = Command::new(env!("CARGO_BIN_EXE_license-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--product", PRODUCT])
        .args(["--licensee", common::LICENSEE, "--database", common::DATABASE])
        .arg("--license")
        .arg(&license)
        .arg("--data")
        .arg(data.path())
        .args(["--key", &common::vendor_hex(), "--min-ttl-secs", "1"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_string();
    Server {
        child,
        base,
        key,
        data,
    }
}

impl Server {
    fn client(&self, holder: &str) -> SeatClient {
        SeatClient::new(&self.base, PRODUCT, holder, Box::new(PinnedServerKey(self.key)))
            .unwrap()
            .with_identity("anna", &format!("{holder}.acme.lan"))
    }

    fn in_use(&self) -> u32 {
        self.client("observer").status().unwrap().in_use
    }

    fn post(&self, path: &str, body: &str) -> (u16, serde_json::Value) {
        let (status, text) = common::post_raw(&self.base, path, body);
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }
}

fn error(v: &serde_json::Value) -> &str {
    v["error"].as_str().unwrap_or("")
}

/// A client written from the protocol alone (what an attacker can build).
struct RawHolder {
    holder: String,
    key: SigningKey,
    server: [u8; 32],
    lease_id: [u8; 16],
    mac_key: Option<[u8; 32]>,
    ts: i64,
}

impl RawHolder {
    fn new(holder: &str, seed: u8, server: [u8; 32]) -> RawHolder {
        RawHolder {
            holder: holder.into(),
            key: SigningKey::from_bytes(&[seed; 32]),
            server,
            lease_id: [0; 16],
            mac_key: None,
            ts: now_ms(),
        }
    }

    fn proof(&mut self, op: ProofOp, grant: Option<GrantFields<'_>>, mac_key: Option<[u8; 32]>) -> String {
        self.ts = now_ms().max(self.ts + 1);
        let nonce = [self.ts as u8; 16];
        let holder_key = self.key.verifying_key().to_bytes();
        let msg = ProofMessage {
            op,
            server_key: self.server,
            holder_key,
            ts: self.ts,
            nonce,
            holder: &self.holder,
            lease_id: self.lease_id,
            grant,
        }
        .to_bytes()
        .unwrap();
        let auth = match mac_key {
            Some(k) => ProofAuth::Mac(proof::mac(&k, &msg)),
            None => ProofAuth::Signature(proof::sign(&self.key, &msg)),
        };
        serde_json::to_string(
            &ParsedProof {
                key: holder_key,
                ts: self.ts,
                nonce,
                auth,
            }
            .to_api(),
        )
        .unwrap()
    }

    /// A signed acquire naming `self.lease_id` (all zero: a new seat).
    fn acquire_body(&mut self, machine: &str) -> String {
        let dh = proof::dh_public(&[9; 32]);
        let g = GrantFields {
            user: "",
            machine,
            amount: 0,
            dh,
        };
        let p = self.proof(ProofOp::Acquire, Some(g), None);
        let named = if self.lease_id == [0; 16] {
            String::new()
        } else {
            format!(r#","lease_id":"{}""#, hex::encode(self.lease_id))
        };
        format!(
            r#"{{"holder":"{}","machine":"{machine}","dh":"{}"{named},"proof":{p}}}"#,
            self.holder,
            hex::encode(dh)
        )
    }

    fn take(&mut self, answer: &serde_json::Value) {
        self.lease_id = proof::hex_array("lease_id", answer["lease_id"].as_str().unwrap()).unwrap();
        let sealed: [u8; 32] = proof::hex_array("box", answer["mac_key_box"].as_str().unwrap()).unwrap();
        let hk = self.key.verifying_key().to_bytes();
        self.mac_key =
            Some(*proof::open_mac_key(&[9; 32], &self.server, &self.lease_id, &hk, &sealed).unwrap());
    }

    /// A heartbeat, check or release body proven with `mac_key` (or signed).
    fn lease_body(&mut self, op: ProofOp, mac_key: Option<[u8; 32]>) -> String {
        let p = self.proof(op, None, mac_key);
        format!(
            r#"{{"holder":"{}","lease_id":"{}","proof":{p}}}"#,
            self.holder,
            hex::encode(self.lease_id)
        )
    }
}

#[test]
fn a_reclaim_heartbeat_or_release_without_the_holders_proof_is_refused() {
    let s = spawn(&[]);
    let victim = s.client("ws-17");
    let lease = victim.acquire(None).unwrap();
    let machine = "ws-17.acme.lan";
    let id = hex::encode(lease.claims.lease_id);
    let victim_key = hex::encode(victim.holder_key());

    // Without any proof: the holder id, machine and lease id are not enough.
    let (st, v) = s.post(
        "/v1/leases/acquire",
        &format!(r#"{{"holder":"ws-17","machine":"{machine}"}}"#),
    );
    assert_eq!((st, error(&v)), (401, "proof_required"), "{v}");
    for path in ["/v1/leases/heartbeat", "/v1/leases/release", "/v1/leases/check"] {
        let (st, v) = s.post(path, &format!(r#"{{"holder":"ws-17","lease_id":"{id}"}}"#));
        assert_eq!((st, error(&v)), (401, "proof_required"), "{path}: {v}");
    }

    // The attacker's own client (its own key), same holder id and machine: no re-claim.
    let thief = s.client("ws-17");
    match thief.acquire(None) {
        Err(SeatError::Refused {
            status: 409, code, ..
        }) => assert_eq!(code, "holder_in_use"),
        other => panic!("the holder id alone got a lease: {other:?}"),
    }
    // Signed with the attacker's key, naming the victim's lease id: no re-claim either.
    let mut raw = RawHolder::new("ws-17", 66, s.key);
    raw.lease_id = lease.claims.lease_id;
    let (st, v) = s.post("/v1/leases/acquire", &raw.acquire_body(machine));
    assert_eq!((st, error(&v)), (409, "holder_in_use"), "{v}");
    // Heartbeat, check and release signed with the attacker's key: the lease id is bound
    // to the victim's key, so it names nothing.
    for (path, op) in [
        ("/v1/leases/heartbeat", ProofOp::Heartbeat),
        ("/v1/leases/check", ProofOp::Check),
        ("/v1/leases/release", ProofOp::Release),
    ] {
        let (st, v) = s.post(path, &raw.lease_body(op, None));
        assert_eq!((st, error(&v)), (400, "unknown_lease"), "{path}: {v}");
    }
    // The victim's public key (seen on the wire) with a MAC under a guessed key.
    for (path, op) in [
        ("/v1/leases/heartbeat", ProofOp::Heartbeat),
        ("/v1/leases/release", ProofOp::Release),
    ] {
        let body = raw.lease_body(op, Some([1; 32]));
        let forged = body.replace(&hex::encode(raw.key.verifying_key().to_bytes()), &victim_key);
        let (st, v) = s.post(path, &forged);
        assert_eq!((st, error(&v)), (401, "bad_proof"), "{path}: {v}");
    }
    // Still the victim's, still one seat.
    assert_eq!(s.in_use(), 1);
    assert!(matches!(
        victim.heartbeat(),
        Ok(license_verify::seat_client::Heartbeat::Renewed(_))
    ));
    assert_eq!(victim.release(), Ok(true));
    assert_eq!(s.in_use(), 0);
}

#[test]
fn a_replayed_signed_request_is_refused() {
    let s = spawn(&[]);
    let mut h = RawHolder::new("ws-3", 3, s.key);
    let acquire = h.acquire_body("ws-3.lan");
    let (st, v) = s.post("/v1/leases/acquire", &acquire);
    assert_eq!(st, 200, "{v}");
    h.take(&v);
    let mac = h.mac_key;
    let heartbeat = h.lease_body(ProofOp::Heartbeat, mac);
    assert_eq!(s.post("/v1/leases/heartbeat", &heartbeat).0, 200);
    // The same heartbeat again, at once: refused, the lease unchanged.
    let (st, v) = s.post("/v1/leases/heartbeat", &heartbeat);
    assert_eq!((st, error(&v)), (401, "stale_proof"), "{v}");
    assert!(v["server_ms"].as_i64().is_some(), "{v}");
    let release = h.lease_body(ProofOp::Release, mac);
    let (st, v) = s.post("/v1/leases/release", &release);
    assert_eq!((st, v["removed"].as_bool()), (200, Some(true)), "{v}");
    // Replays after the release: the release, the heartbeat and the signed acquire (which
    // would take a seat for the victim's key again) are all refused.
    for (path, body) in [
        ("/v1/leases/release", &release),
        ("/v1/leases/heartbeat", &heartbeat),
        ("/v1/leases/acquire", &acquire),
    ] {
        let (st, v) = s.post(path, body);
        assert_eq!((st, error(&v)), (401, "stale_proof"), "{path}: {v}");
    }
    assert_eq!(s.in_use(), 0);
    // A proof dated outside the window (a request recorded long ago, or held back).
    let mut old = RawHolder::new("ws-4", 4, s.key);
    old.ts = now_ms() - 2 * proof::PROOF_WINDOW_MS;
    let body = old.acquire_body("ws-4.lan");
    let stale = body.replace(&format!(r#""ts":{}"#, old.ts), &format!(r#""ts":{}"#, old.ts - 1));
    let (st, v) = s.post("/v1/leases/acquire", &stale);
    assert_eq!(st, 401, "{v}");
    // The signature covers the time: an attacker cannot re-date a recorded request.
    let mut fresh = RawHolder::new("ws-5", 5, s.key);
    let body = fresh.acquire_body("ws-5.lan");
    let redated = body.replace(
        &format!(r#""ts":{}"#, fresh.ts),
        &format!(r#""ts":{}"#, fresh.ts + 1),
    );
    let (st, v) = s.post("/v1/leases/acquire", &redated);
    assert_eq!((st, error(&v)), (401, "bad_proof"), "{v}");
}

/// Accepts a server key the first time it is asked, then refuses it: a client that takes
/// the server's key from its status, then refuses the token it is granted.
struct AcceptOnce(std::sync::atomic::AtomicBool);

impl ServerKeyCheck for AcceptOnce {
    fn check(&self, server_key: &[u8; 32]) -> Result<(), SeatError> {
        if self.0.swap(false, std::sync::atomic::Ordering::SeqCst) {
            Ok(())
        } else {
            PinnedServerKey([0; 32]).check(server_key)
        }
    }
}

#[test]
fn a_client_refusing_the_servers_key_keeps_no_seat() {
    let s = spawn(&[]);
    // Refused before asking: no seat is taken.
    let wrong = SeatClient::new(&s.base, PRODUCT, "ws-1", Box::new(PinnedServerKey([3; 32]))).unwrap();
    assert!(matches!(
        wrong.acquire(None),
        Err(SeatError::UnlicensedServer { .. })
    ));
    assert_eq!(s.in_use(), 0);
    // Granted, then the token refused: the grant is given back at once (not at its TTL).
    let c = SeatClient::new(
        &s.base,
        PRODUCT,
        "ws-2",
        Box::new(AcceptOnce(std::sync::atomic::AtomicBool::new(true))),
    )
    .unwrap();
    assert!(matches!(
        c.acquire(Some(3600)),
        Err(SeatError::UnlicensedServer { .. })
    ));
    assert_eq!(s.in_use(), 0);
}

#[test]
fn a_client_that_lost_its_key_waits_for_the_leases_ttl() {
    let s = spawn(&[]);
    let first = s.client("ws-8");
    first.acquire(Some(2)).unwrap();
    drop(first); // the key is gone with it
    let again = s.client("ws-8");
    assert!(matches!(
        again.acquire(None),
        Err(SeatError::Refused { status: 409, .. })
    ));
    std::thread::sleep(Duration::from_millis(3_200));
    again.acquire(None).unwrap();
    // A client that keeps its key with its lease gets it back after a restart.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lease.json");
    let a = s.client("ws-9").with_lease_file(&file).unwrap();
    let granted = a.acquire(None).unwrap();
    drop(a);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let b = s.client("ws-9").with_lease_file(&file).unwrap();
    let back = b.acquire(None).unwrap();
    assert_eq!(back.claims.lease_id, granted.claims.lease_id);
    assert!(matches!(
        b.heartbeat(),
        Ok(license_verify::seat_client::Heartbeat::Renewed(_))
    ));
    assert_eq!(b.release(), Ok(true));
}

#[test]
fn unproven_clients_only_with_the_transition_option_and_never_over_proven_leases() {
    let s = spawn(&["--accept-unproven-clients"]);
    let (st, v) = s.post("/v1/leases/acquire", r#"{"holder":"old-1","machine":"m"}"#);
    assert_eq!(st, 200, "{v}");
    let id = v["lease_id"].as_str().unwrap().to_owned();
    let (st, _) = s.post(
        "/v1/leases/heartbeat",
        &format!(r#"{{"holder":"old-1","lease_id":"{id}"}}"#),
    );
    assert_eq!(st, 200);
    // As before the proof: same holder, same machine gets it back.
    let (st, v) = s.post("/v1/leases/acquire", r#"{"holder":"old-1","machine":"m"}"#);
    assert_eq!((st, v["lease_id"].as_str()), (200, Some(id.as_str())));
    // A proven client's lease stays out of reach of unproven requests.
    let victim = s.client("new-1");
    let lease = victim.acquire(None).unwrap();
    let (st, v) = s.post(
        "/v1/leases/acquire",
        r#"{"holder":"new-1","machine":"new-1.acme.lan"}"#,
    );
    assert_eq!((st, error(&v)), (409, "holder_in_use"), "{v}");
    let stored = proof::lease_key(&victim.holder_key(), &lease.claims.lease_id);
    for id in [lease.claims.lease_id, stored] {
        let (st, v) = s.post(
            "/v1/leases/release",
            &format!(r#"{{"holder":"new-1","lease_id":"{}"}}"#, hex::encode(id)),
        );
        assert_eq!((st, error(&v)), (400, "unknown_lease"), "{v}");
    }
    assert_eq!(s.in_use(), 2);
}

#[test]
fn a_clock_turned_back_is_told_so_by_its_own_seat_server() {
    use license_verify::license_core::{Date, PublicKey};
    use license_verify::{Error, Utc, Verifier};
    let s = spawn(&[]);
    let code = std::fs::read_to_string(s.data.path().join("license.txt")).unwrap();
    let verifier = Verifier::builder(
        vec![PublicKey::from(common::vendor().verifying_key())],
        PRODUCT,
        Date::from_ymd(2026, 1, 1).unwrap(),
    )
    .licensee(common::LICENSEE)
    .database(common::DATABASE)
    .build()
    .unwrap();
    let now = Utc(now_ms() / 1000);
    let turned_back = Utc(now.0 - 3 * 3600);
    // Without the server's time the workstation's turned-back clock goes unnoticed.
    verifier.verify_text_at(code.trim(), turned_back).unwrap();
    let lease = s.client("ws-1").acquire(None).unwrap();
    assert!((lease.server_time().0 - now.0).abs() < 60);
    verifier.trust_time_floor(lease.server_time());
    match verifier.verify_text_at(code.trim(), turned_back) {
        Err(Error::ClockBehindSeatServer { server, .. }) => assert_eq!(server, lease.server_time()),
        other => panic!("{other:?}"),
    }
    verifier.verify_text_at(code.trim(), now).unwrap();
}
