//! The holder proof (`docs/SERVER.md`, "The holder proof"): how a client proves that a
//! request comes from the holder of a lease, without TLS.
//!
//! - Every client has an Ed25519 **holder key**. An acquire or borrow is signed with it;
//!   the server binds the lease to the key: it stores the **lease key**
//!   `SHA-256(LEASE_KEY_DOMAIN || holder key || lease id)[..16]` with its top bit set
//!   ([`lease_key`]) in place of the lease id, so the lease id alone (which travels in clear)
//!   addresses nothing.
//! - The signed acquire carries an X25519 public key of the client (`dh`); the server
//!   answers the lease's **MAC key** (`HMAC-SHA256(server MAC secret, MAC_KEY_DOMAIN ||
//!   lease key)`, [`MacSecret::mac_key`]) sealed to it ([`seal_mac_key`]: XOR with an
//!   HKDF-SHA256 pad of the X25519 secret shared with the server's key). Heartbeats, checks
//!   and releases carry an HMAC-SHA256 under that key ([`mac`]), about 1 µs instead of an
//!   Ed25519 verification's 40.
//! - Every proof carries the client's time and a nonce; the server takes a holder key's
//!   times only strictly increasing and within [`PROOF_WINDOW_MS`] of its clock
//!   ([`check_fresh`]), so a recorded request cannot be replayed.
//!
//! Pure functions: randomness (nonces, the client's X25519 secret) and the clock are the
//! caller's.

use curve25519_dalek::montgomery::MontgomeryPoint;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::api;

/// Prefix of every proof message.
pub const PROOF_DOMAIN: &[u8] = b"license-kit holder proof v1\0";
/// Prefix of the lease key's hash.
pub const LEASE_KEY_DOMAIN: &[u8] = b"license-kit lease key v1\0";
/// Prefix of the server's MAC secret's hash.
pub const MAC_SECRET_DOMAIN: &[u8] = b"license-kit lease mac secret v1\0";
/// Prefix of a lease's MAC key's input.
pub const MAC_KEY_DOMAIN: &[u8] = b"license-kit lease mac key v1\0";
/// HKDF info prefix of the pad sealing a MAC key.
pub const BOX_DOMAIN: &[u8] = b"license-kit mac key box v1\0";
/// How far a proof's time may be from the server's clock, either way (ms).
pub const PROOF_WINDOW_MS: i64 = 60_000;
/// The top bit of a lease key's first byte: set for a lease bound to a holder key, clear
/// for a lease granted without the proof (`--accept-unproven-clients`).
pub const PROVEN_BIT: u8 = 0x80;

type HmacSha256 = Hmac<Sha256>;

/// Why a holder proof was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// A field is not in its form.
    #[error("proof.{field}: {reason}")]
    Malformed {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The signature does not verify with the holder key.
    #[error("the holder proof's signature does not verify: the request is not from this holder key")]
    BadSignature,
    /// The MAC does not verify with the lease's MAC key.
    #[error("the holder proof's MAC does not verify: the request is not from the lease's holder")]
    BadMac,
    /// The request needs a signature, not a MAC (acquire, borrow).
    #[error("an acquire or borrow must be signed with the holder key (proof.sig)")]
    SignatureRequired,
    /// The time is outside the window, or not after this holder key's last accepted time:
    /// a replay, or a client clock far from the server's.
    #[error(
        "the holder proof's time {ts} is stale (the server's clock is {server_ms}; a proof must be within {} s of it and later than the holder key's last one): a replayed request, or a client clock that is off; retry with a time after the server's",
        PROOF_WINDOW_MS / 1000
    )]
    Stale {
        /// The proof's time.
        ts: i64,
        /// The server's clock.
        server_ms: i64,
    },
    /// The X25519 key gives no shared secret (a small-order point).
    #[error("dh: not a usable X25519 public key")]
    WeakDh,
    /// A text field is longer than 255 bytes.
    #[error("{0}: longer than 255 bytes")]
    TooLong(&'static str),
}

/// What a proof is for; its byte in the proof message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ProofOp {
    /// `POST /v1/leases/acquire` (a grant or a re-claim).
    Acquire = 1,
    /// `POST /v1/leases/borrow`.
    Borrow = 2,
    /// `POST /v1/leases/heartbeat`.
    Heartbeat = 3,
    /// `POST /v1/leases/release`.
    Release = 4,
    /// `POST /v1/leases/check`.
    Check = 5,
}

/// The fields of a grant request (acquire, borrow) the proof covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GrantFields<'a> {
    /// User name.
    pub user: &'a str,
    /// Client machine.
    pub machine: &'a str,
    /// Acquire: the TTL asked in seconds (0: the server's default); borrow: the days.
    pub amount: u32,
    /// The client's X25519 public key.
    pub dh: [u8; 32],
}

/// The bytes a proof signs or MACs (`docs/SERVER.md`, "The holder proof").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProofMessage<'a> {
    /// What for.
    pub op: ProofOp,
    /// The server's Ed25519 public key (so a proof for one server is nothing to another).
    pub server_key: [u8; 32],
    /// The holder's Ed25519 public key.
    pub holder_key: [u8; 32],
    /// The client's time (ms since the epoch).
    pub ts: i64,
    /// 16 random bytes.
    pub nonce: [u8; 16],
    /// Holder id.
    pub holder: &'a str,
    /// The lease id the request names (all zero for a fresh acquire or borrow).
    pub lease_id: [u8; 16],
    /// Acquire and borrow only.
    pub grant: Option<GrantFields<'a>>,
}

fn push_text(out: &mut Vec<u8>, field: &'static str, text: &str) -> Result<(), ProofError> {
    out.push(u8::try_from(text.len()).map_err(|_| ProofError::TooLong(field))?);
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

impl ProofMessage<'_> {
    /// The message's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ProofError> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(PROOF_DOMAIN);
        out.push(self.op as u8);
        out.extend_from_slice(&self.server_key);
        out.extend_from_slice(&self.holder_key);
        out.extend_from_slice(&self.ts.to_be_bytes());
        out.extend_from_slice(&self.nonce);
        push_text(&mut out, "holder", self.holder)?;
        out.extend_from_slice(&self.lease_id);
        if let Some(g) = &self.grant {
            push_text(&mut out, "user", g.user)?;
            push_text(&mut out, "machine", g.machine)?;
            out.extend_from_slice(&g.amount.to_be_bytes());
            out.extend_from_slice(&g.dh);
        }
        Ok(out)
    }
}

/// The lease key a server stores for a lease bound to `holder_key`: 127 bits of
/// `SHA-256(LEASE_KEY_DOMAIN || holder_key || lease_id)` with [`PROVEN_BIT`] set.
pub fn lease_key(holder_key: &[u8; 32], lease_id: &[u8; 16]) -> [u8; 16] {
    let d = Sha256::new()
        .chain_update(LEASE_KEY_DOMAIN)
        .chain_update(holder_key)
        .chain_update(lease_id)
        .finalize();
    let mut k = [0; 16];
    k.copy_from_slice(&d[..16]);
    k[0] |= PROVEN_BIT;
    k
}

/// Whether a stored lease key belongs to a lease bound to a holder key.
pub const fn is_proven(lease_key: &[u8; 16]) -> bool {
    lease_key[0] & PROVEN_BIT != 0
}

/// A lease granted without the proof stores its lease id as is, with [`PROVEN_BIT`] clear.
pub const fn unproven_lease_id(mut random: [u8; 16]) -> [u8; 16] {
    random[0] &= !PROVEN_BIT;
    random
}

/// The server's secret for lease MAC keys, derived from its signing key (so instances that
/// share `server.key` derive the same keys, and a restart loses none).
#[derive(Clone)]
pub struct MacSecret(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MacSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MacSecret(***OMITTED***)")
    }
}

impl MacSecret {
    /// `SHA-256(MAC_SECRET_DOMAIN || the server key's 32 secret bytes)`.
    pub fn from_server_key(key: &SigningKey) -> MacSecret {
        let seed = Zeroizing::new(key.to_bytes());
        MacSecret(Zeroizing::new(
            Sha256::new()
                .chain_update(MAC_SECRET_DOMAIN)
                .chain_update(seed.as_ref())
                .finalize()
                .into(),
        ))
    }

    /// The MAC key of the lease stored under `lease_key`.
    pub fn mac_key(&self, lease_key: &[u8; 16]) -> Zeroizing<[u8; 32]> {
        let mut m =
            <HmacSha256 as KeyInit>::new_from_slice(self.0.as_ref()).expect("HMAC takes any key length");
        m.update(MAC_KEY_DOMAIN);
        m.update(lease_key);
        Zeroizing::new(m.finalize().into_bytes().into())
    }
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

/// HKDF-SHA256 (RFC 5869) with one block of output.
fn hkdf32(salt: &[u8], ikm: &[u8], info: &[&[u8]]) -> Zeroizing<[u8; 32]> {
    let prk = Zeroizing::new(hmac(salt, &[ikm]));
    let mut parts: Vec<&[u8]> = info.to_vec();
    parts.push(&[1]);
    Zeroizing::new(hmac(prk.as_ref(), &parts))
}

fn pad(
    shared: &MontgomeryPoint,
    lease_id: &[u8; 16],
    holder_key: &[u8; 32],
    dh: &[u8; 32],
    server_key: &[u8; 32],
) -> Result<Zeroizing<[u8; 32]>, ProofError> {
    if shared.as_bytes() == &[0; 32] {
        return Err(ProofError::WeakDh);
    }
    Ok(hkdf32(
        lease_id,
        shared.as_bytes(),
        &[BOX_DOMAIN, holder_key, dh, server_key],
    ))
}

fn xor(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0; 32];
    for (o, (x, y)) in out.iter_mut().zip(a.iter().zip(b)) {
        *o = x ^ y;
    }
    out
}

/// Server: seal `mac_key` to the client's X25519 key `dh` (the box a signed grant answers).
pub fn seal_mac_key(
    server: &SigningKey,
    dh: &[u8; 32],
    lease_id: &[u8; 16],
    holder_key: &[u8; 32],
    mac_key: &[u8; 32],
) -> Result<[u8; 32], ProofError> {
    let scalar = Zeroizing::new(server.to_scalar_bytes());
    let shared = MontgomeryPoint(*dh).mul_clamped(*scalar);
    let pad = pad(
        &shared,
        lease_id,
        holder_key,
        dh,
        &server.verifying_key().to_bytes(),
    )?;
    Ok(xor(mac_key, &pad))
}

/// Client: the X25519 public key of its secret `dh_secret` (32 random bytes).
pub fn dh_public(dh_secret: &[u8; 32]) -> [u8; 32] {
    MontgomeryPoint::mul_base_clamped(*dh_secret).to_bytes()
}

/// Client: open the MAC key box with its X25519 secret.
pub fn open_mac_key(
    dh_secret: &[u8; 32],
    server_key: &[u8; 32],
    lease_id: &[u8; 16],
    holder_key: &[u8; 32],
    sealed: &[u8; 32],
) -> Result<Zeroizing<[u8; 32]>, ProofError> {
    let server = VerifyingKey::from_bytes(server_key).map_err(|_| ProofError::Malformed {
        field: "server_key",
        reason: "not an Ed25519 public key",
    })?;
    let shared = server.to_montgomery().mul_clamped(*dh_secret);
    let pad = pad(&shared, lease_id, holder_key, &dh_public(dh_secret), server_key)?;
    Ok(Zeroizing::new(xor(sealed, &pad)))
}

/// HMAC-SHA256 of a proof message under a lease's MAC key.
pub fn mac(mac_key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    hmac(mac_key, &[message])
}

/// Check an HMAC-SHA256 tag in constant time.
pub fn verify_mac(mac_key: &[u8; 32], message: &[u8], tag: &[u8; 32]) -> Result<(), ProofError> {
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(mac_key).expect("HMAC takes any key length");
    m.update(message);
    m.verify_slice(tag).map_err(|_| ProofError::BadMac)
}

/// Sign a proof message with the holder key.
pub fn sign(holder: &SigningKey, message: &[u8]) -> [u8; 64] {
    holder.sign(message).to_bytes()
}

/// Check a holder's signature (RFC 8032, `verify_strict`).
pub fn verify_signature(holder_key: &[u8; 32], message: &[u8], sig: &[u8; 64]) -> Result<(), ProofError> {
    let key = VerifyingKey::from_bytes(holder_key).map_err(|_| ProofError::Malformed {
        field: "key",
        reason: "not an Ed25519 public key",
    })?;
    key.verify_strict(message, &Signature::from_bytes(sig))
        .map_err(|_| ProofError::BadSignature)
}

/// The replay rule: `ts` within [`PROOF_WINDOW_MS`] of `server_ms` and strictly after the
/// holder key's `last` accepted time.
pub fn check_fresh(ts: i64, server_ms: i64, last: Option<i64>) -> Result<(), ProofError> {
    let in_window = ts.abs_diff(server_ms) <= PROOF_WINDOW_MS.unsigned_abs();
    if in_window && last.is_none_or(|l| ts > l) {
        Ok(())
    } else {
        Err(ProofError::Stale { ts, server_ms })
    }
}

/// How a proof authenticates its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofAuth {
    /// Ed25519 by the holder key.
    Signature([u8; 64]),
    /// HMAC-SHA256 under the lease's MAC key.
    Mac([u8; 32]),
}

/// A proof from a request, decoded (not yet checked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedProof {
    /// The holder key.
    pub key: [u8; 32],
    /// The client's time.
    pub ts: i64,
    /// The nonce.
    pub nonce: [u8; 16],
    /// Signature or MAC.
    pub auth: ProofAuth,
}

/// Decode `N` bytes of hex.
pub fn hex_array<const N: usize>(field: &'static str, text: &str) -> Result<[u8; N], ProofError> {
    let mut out = [0; N];
    hex::decode_to_slice(text, &mut out).map_err(|_| ProofError::Malformed {
        field,
        reason: "not the expected number of hex digits",
    })?;
    Ok(out)
}

impl ParsedProof {
    /// Decode the JSON form; exactly one of `sig` and `mac`.
    pub fn parse(p: &api::Proof) -> Result<ParsedProof, ProofError> {
        let auth = match (&p.sig, &p.mac) {
            (Some(s), None) => ProofAuth::Signature(hex_array("sig", s)?),
            (None, Some(m)) => ProofAuth::Mac(hex_array("mac", m)?),
            _ => {
                return Err(ProofError::Malformed {
                    field: "sig",
                    reason: "give exactly one of sig and mac",
                });
            }
        };
        Ok(ParsedProof {
            key: hex_array("key", &p.key)?,
            ts: p.ts,
            nonce: hex_array("nonce", &p.nonce)?,
            auth,
        })
    }

    /// The JSON form.
    pub fn to_api(&self) -> api::Proof {
        let (sig, mac) = match &self.auth {
            ProofAuth::Signature(s) => (Some(hex::encode(s)), None),
            ProofAuth::Mac(m) => (None, Some(hex::encode(m))),
        };
        api::Proof {
            key: hex::encode(self.key),
            ts: self.ts,
            nonce: hex::encode(self.nonce),
            sig,
            mac,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg<'a>(op: ProofOp, grant: Option<GrantFields<'a>>) -> ProofMessage<'a> {
        ProofMessage {
            op,
            server_key: [1; 32],
            holder_key: SigningKey::from_bytes(&[2; 32]).verifying_key().to_bytes(),
            ts: 1_000,
            nonce: [3; 16],
            holder: "ws-17",
            lease_id: [4; 16],
            grant,
        }
    }

    #[test]
    fn the_sealed_mac_key_opens_with_the_clients_secret_only() {
        let server = SigningKey::from_bytes(&[7; 32]);
        let secret = MacSecret::from_server_key(&server);
        let holder = [5; 32];
        let lk = lease_key(&holder, &[4; 16]);
        let k = secret.mac_key(&lk);
        let dh_secret = [9; 32];
        let sealed = seal_mac_key(&server, &dh_public(&dh_secret), &[4; 16], &holder, &k).unwrap();
        let opened = open_mac_key(
            &dh_secret,
            &server.verifying_key().to_bytes(),
            &[4; 16],
            &holder,
            &sealed,
        )
        .unwrap();
        assert_eq!(*opened, *k);
        let wrong = open_mac_key(
            &[8; 32],
            &server.verifying_key().to_bytes(),
            &[4; 16],
            &holder,
            &sealed,
        )
        .unwrap();
        assert_ne!(*wrong, *k);
        assert_eq!(
            seal_mac_key(&server, &[0; 32], &[4; 16], &holder, &k),
            Err(ProofError::WeakDh)
        );
    }

    #[test]
    fn a_signature_or_mac_covers_every_field() {
        let holder = SigningKey::from_bytes(&[2; 32]);
        let g = GrantFields {
            user: "anna",
            machine: "ws",
            amount: 0,
            dh: [6; 32],
        };
        let m = msg(ProofOp::Acquire, Some(g)).to_bytes().unwrap();
        let sig = sign(&holder, &m);
        let hk = holder.verifying_key().to_bytes();
        assert_eq!(verify_signature(&hk, &m, &sig), Ok(()));
        let variants = [
            msg(ProofOp::Borrow, Some(g)),
            ProofMessage {
                ts: 1_001,
                ..msg(ProofOp::Acquire, Some(g))
            },
            ProofMessage {
                nonce: [0; 16],
                ..msg(ProofOp::Acquire, Some(g))
            },
            ProofMessage {
                holder: "ws-18",
                ..msg(ProofOp::Acquire, Some(g))
            },
            ProofMessage {
                server_key: [0; 32],
                ..msg(ProofOp::Acquire, Some(g))
            },
            msg(ProofOp::Acquire, Some(GrantFields { amount: 1, ..g })),
            msg(ProofOp::Acquire, Some(GrantFields { dh: [0; 32], ..g })),
            msg(ProofOp::Acquire, Some(GrantFields { machine: "ws2", ..g })),
        ];
        for v in variants {
            let b = v.to_bytes().unwrap();
            assert_eq!(
                verify_signature(&hk, &b, &sig),
                Err(ProofError::BadSignature),
                "{v:?}"
            );
        }
        let key = [8; 32];
        let hb = msg(ProofOp::Heartbeat, None).to_bytes().unwrap();
        let tag = mac(&key, &hb);
        assert_eq!(verify_mac(&key, &hb, &tag), Ok(()));
        let rel = msg(ProofOp::Release, None).to_bytes().unwrap();
        assert_eq!(verify_mac(&key, &rel, &tag), Err(ProofError::BadMac));
    }

    #[test]
    fn times_must_increase_and_stay_in_the_window() {
        assert!(check_fresh(1_000, 1_000, None).is_ok());
        assert!(check_fresh(1_000, 1_000, Some(1_000)).is_err());
        assert!(check_fresh(1_001, 1_000, Some(1_000)).is_ok());
        assert!(check_fresh(1_000 + PROOF_WINDOW_MS + 1, 1_000, None).is_err());
        assert!(check_fresh(1_000 - PROOF_WINDOW_MS - 1, 1_000, None).is_err());
    }

    #[test]
    fn lease_keys_are_marked_proven_and_unproven_ids_never_are() {
        assert!(is_proven(&lease_key(&[0; 32], &[0; 16])));
        assert!(!is_proven(&unproven_lease_id([0xff; 16])));
    }
}
