//! The server's Ed25519 key: generated at first start into the data directory (mode 0600),
//! zeroized on drop, never printed. It signs every lease token; its public key is what the
//! vendor names in the seat-server binding of the license code.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, SigningKey};
use seat_protocol::LeaseClaims;
use zeroize::Zeroizing;

use crate::error::Error;

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "server.key";

/// The server's signing key.
pub struct ServerKey {
    key: SigningKey,
}

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerKey({}, secret ***OMITTED***)", self.public_hex())
    }
}

impl ServerKey {
    /// Load `dir/server.key`, or create it (32 random bytes as hex, mode 0600) if absent.
    pub fn load_or_create(dir: &Path) -> Result<ServerKey, Error> {
        let path = dir.join(KEY_FILE);
        match fs::read(&path) {
            Ok(bytes) => Self::decode(&path, &Zeroizing::new(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::create(&path),
            Err(source) => Err(Error::Io { path, source }),
        }
    }

    /// A key from its 32 secret bytes (tests).
    pub fn from_bytes(bytes: &[u8; 32]) -> ServerKey {
        ServerKey {
            key: SigningKey::from_bytes(bytes),
        }
    }

    fn create(path: &Path) -> Result<ServerKey, Error> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|e| Error::Random(e.to_string()))?;
        let text = Zeroizing::new(hex::encode(seed.as_ref()));
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(io)?;
        f.write_all(text.as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)?;
        Ok(ServerKey {
            key: SigningKey::from_bytes(&seed),
        })
    }

    fn decode(path: &Path, bytes: &[u8]) -> Result<ServerKey, Error> {
        let bad = |reason: &str| Error::Key {
            path: PathBuf::from(path),
            reason: reason.into(),
        };
        let mode = fs::metadata(path)
            .map_err(|source| Error::Io {
                path: path.into(),
                source,
            })?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(bad(
                "readable by other users; run `chmod 600` on it (and consider the key exposed)",
            ));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| bad("not hex text"))?
            .trim();
        let mut seed = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text, seed.as_mut())
            .map_err(|_| bad("not 64 hex digits; restore it from a backup"))?;
        Ok(ServerKey {
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// The public key.
    pub fn public(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    /// The public key as 64 hex digits.
    pub fn public_hex(&self) -> String {
        hex::encode(self.public())
    }

    /// The holder-proof checker of this server (its MAC secret derives from this key).
    pub fn holder_proofs(&self, accept_unproven: bool) -> crate::holder::HolderProofs {
        crate::holder::HolderProofs::new(&self.key, accept_unproven)
    }

    /// Sign `claims` (whose `server_key` must be this key) into a token's text.
    pub fn sign(&self, claims: &LeaseClaims) -> Result<String, Error> {
        let body = claims
            .body()
            .ok_or_else(|| Error::Config("a lease field is longer than 255 bytes".into()))?;
        let sig = self.key.sign(&LeaseClaims::signing_input(&body)).to_bytes();
        Ok(LeaseClaims::token_text(&body, &sig))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_with_mode_0600_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let a = ServerKey::load_or_create(dir.path()).unwrap();
        let mode = fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let b = ServerKey::load_or_create(dir.path()).unwrap();
        assert_eq!(a.public(), b.public());
        assert!(!format!("{a:?}").contains(&hex::encode(a.key.to_bytes())));
        fs::set_permissions(dir.path().join(KEY_FILE), fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            ServerKey::load_or_create(dir.path()),
            Err(Error::Key { .. })
        ));
    }
}
