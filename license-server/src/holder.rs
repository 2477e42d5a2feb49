//! The holder proof, the server's side (`docs/SERVER.md`, "The holder proof"): check a
//! request's signature or MAC (the rules and layouts are `seat_protocol::proof`'s), refuse
//! replays (a holder key's proof times only increase, within a window of this server's
//! clock), and seal each grant's MAC key to the client.

use std::collections::HashMap;
use std::sync::Mutex;

use ed25519_dalek::SigningKey;
use seat_protocol::api;
use seat_protocol::proof::{
    self, GrantFields, MacSecret, PROOF_WINDOW_MS, ParsedProof, ProofAuth, ProofError, ProofMessage, ProofOp,
};

use crate::book::LeaseId;

/// The replay guard's table is pruned of entries older than the window once it holds more
/// than this many holder keys.
const PRUNE_ABOVE: usize = 4096;

/// A proof that checked out: the holder key and the lease key of the lease it names.
#[derive(Clone, Copy, Debug)]
pub struct Proven {
    /// The holder's public key.
    pub holder_key: [u8; 32],
    /// `lease_key(holder key, the request's lease id)` (the request's lease id when it names
    /// none: all zero).
    pub lease_key: LeaseId,
}

/// Checks proofs; one per server.
pub struct HolderProofs {
    server: SigningKey,
    server_public: [u8; 32],
    mac: MacSecret,
    /// Accept requests without a proof (clients of before the proof; off by default).
    accept_unproven: bool,
    /// The last accepted proof time per holder key.
    last: Mutex<HashMap<[u8; 32], i64>>,
}

impl std::fmt::Debug for HolderProofs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HolderProofs")
            .field("accept_unproven", &self.accept_unproven)
            .finish_non_exhaustive()
    }
}

impl HolderProofs {
    /// For the server whose signing key is `server`.
    pub fn new(server: &SigningKey, accept_unproven: bool) -> HolderProofs {
        HolderProofs {
            server: server.clone(),
            server_public: server.verifying_key().to_bytes(),
            mac: MacSecret::from_server_key(server),
            accept_unproven,
            last: Mutex::new(HashMap::new()),
        }
    }

    /// Whether requests without a proof are served (`--accept-unproven-clients`).
    pub const fn accepts_unproven(&self) -> bool {
        self.accept_unproven
    }

    /// Check `p` over the request's fields at `now_ms`: its signature (or, for heartbeat,
    /// check and release, its MAC under the named lease's key), then its time. A proof that
    /// does not verify changes nothing; one that does records its time, so it is never
    /// accepted again.
    pub fn check(
        &self,
        p: &api::Proof,
        op: ProofOp,
        holder: &str,
        lease_id: [u8; 16],
        grant: Option<GrantFields<'_>>,
        now_ms: i64,
    ) -> Result<Proven, ProofError> {
        let parsed = ParsedProof::parse(p)?;
        let message = ProofMessage {
            op,
            server_key: self.server_public,
            holder_key: parsed.key,
            ts: parsed.ts,
            nonce: parsed.nonce,
            holder,
            lease_id,
            grant,
        }
        .to_bytes()?;
        let lease_key = proof::lease_key(&parsed.key, &lease_id);
        match (&parsed.auth, grant) {
            (ProofAuth::Signature(sig), _) => proof::verify_signature(&parsed.key, &message, sig)?,
            (ProofAuth::Mac(_), Some(_)) => return Err(ProofError::SignatureRequired),
            (ProofAuth::Mac(tag), None) => proof::verify_mac(&self.mac.mac_key(&lease_key), &message, tag)?,
        }
        self.admit(parsed.key, parsed.ts, now_ms)?;
        Ok(Proven {
            holder_key: parsed.key,
            lease_key: LeaseId(lease_key),
        })
    }

    fn admit(&self, key: [u8; 32], ts: i64, now_ms: i64) -> Result<(), ProofError> {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        proof::check_fresh(ts, now_ms, last.get(&key).copied())?;
        if last.len() > PRUNE_ABOVE {
            // Entries older than the window refuse nothing the window does not.
            last.retain(|_, t| *t >= now_ms - PROOF_WINDOW_MS);
        }
        last.insert(key, ts);
        Ok(())
    }

    /// The MAC key of the lease stored under `lease_key`, sealed to the client's `dh`.
    pub fn seal(
        &self,
        dh: &[u8; 32],
        lease_id: &[u8; 16],
        holder_key: &[u8; 32],
        lease_key: &LeaseId,
    ) -> Result<[u8; 32], ProofError> {
        let k = self.mac.mac_key(&lease_key.0);
        proof::seal_mac_key(&self.server, dh, lease_id, holder_key, &k)
    }
}
