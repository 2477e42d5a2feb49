//! A vendor's public key as verifiers hold it: the Ed25519 key, its one-byte key id, and
//! whether it is of small order. Below `code`, `strict`, `delegation` and `revocation`,
//! which verify signatures under it.

use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};

use crate::error::Error;

const DOMAIN_KEY_ID: &[u8] = b"license-core/v1 key-id\0";

/// The one-byte key id of a vendor public key: the first byte of
/// SHA-256("license-core/v1 key-id\0" || key). Codes carry it so a verifier holding
/// several keys (rotation) tries only the right one.
pub fn key_id(key: &VerifyingKey) -> u8 {
    let mut h = Sha256::new();
    h.update(DOMAIN_KEY_ID);
    h.update(key.as_bytes());
    h.finalize()[0]
}

/// A vendor public key with its key id, ready for verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKey {
    id: u8,
    key: VerifyingKey,
    /// Of small order (only through `From<VerifyingKey>`; `from_bytes` refuses such keys):
    /// found once here, so the strict check need not repeat it per signature.
    weak: bool,
}

impl PublicKey {
    /// From the 32 bytes of an Ed25519 public key; weak (small-order) keys are refused.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<PublicKey, Error> {
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| Error::InvalidKey)?;
        if key.is_weak() {
            return Err(Error::InvalidKey);
        }
        Ok(PublicKey {
            id: key_id(&key),
            key,
            weak: false,
        })
    }

    /// Whether the key is of small order (no signature verifies under it).
    pub(crate) const fn is_weak(&self) -> bool {
        self.weak
    }

    /// The key id codes signed with this key carry.
    pub const fn id(&self) -> u8 {
        self.id
    }

    /// The Ed25519 key.
    pub const fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// The 32 key bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }
}

impl From<VerifyingKey> for PublicKey {
    fn from(key: VerifyingKey) -> Self {
        PublicKey {
            id: key_id(&key),
            key,
            weak: key.is_weak(),
        }
    }
}
