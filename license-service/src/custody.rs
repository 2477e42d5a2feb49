//! Reseller keys the service keeps (issue 21, item 3): a reseller that works in the portal
//! gets an Ed25519 key the service creates; its private half is stored only sealed with
//! XChaCha20-Poly1305 under the service's master key (a 32-byte file, mode 0600, read at
//! start-up and zeroized when dropped), with the reseller's organisation id and product-free
//! label as associated data, so a sealed key copied onto another reseller's row does not
//! open. The vendor runs the service, so the vendor then holds these keys (docs/SERVICE.md,
//! "Reseller keys").

use std::fmt;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use license_issue::VendorKey;
use zeroize::{Zeroize, Zeroizing};

/// Why a key could not be kept or opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CustodyError {
    /// The master key file cannot be read or written.
    #[error("the master key file {path}: {reason}")]
    MasterFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The system's random source failed.
    #[error("the system's random source failed: {0}")]
    Random(String),
    /// A sealed key does not open with this master key (another master key, or a damaged
    /// or moved row).
    #[error("a sealed reseller key does not open with this master key (another key, or a damaged row)")]
    Sealed,
    /// The opened key is not a key.
    #[error("a reseller key is damaged: {0}")]
    Damaged(String),
}

/// The service's master key: seals the reseller keys the service keeps.
pub struct MasterKey {
    key: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

const NONCE: usize = 24;
/// The sealed form's first byte (its version).
const VERSION: u8 = 1;

fn random<const N: usize>() -> Result<[u8; N], CustodyError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| CustodyError::Random(e.to_string()))?;
    Ok(b)
}

impl MasterKey {
    /// A fresh random master key (tests, and the first start).
    pub fn generate() -> Result<MasterKey, CustodyError> {
        Ok(MasterKey {
            key: Zeroizing::new(random::<32>()?),
        })
    }

    /// The master key in `path`, created (0600, never overwritten) when missing. A file
    /// readable by others than its owner is refused: the keys it seals would be as open.
    pub fn load_or_create(path: &Path) -> Result<MasterKey, CustodyError> {
        let err = |reason: String| CustodyError::MasterFile {
            path: path.display().to_string(),
            reason,
        };
        if !path.exists() {
            let key = MasterKey::generate()?;
            license_fs::write_atomic(path, key.key.as_slice())
                .map_err(|e| err(format!("cannot create it: {e}")))?;
            return Ok(key);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)
                .map_err(|e| err(e.to_string()))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(err(format!(
                    "its mode is {:o}; make it readable by the service's user only (chmod 600)",
                    mode & 0o777
                )));
            }
        }
        let mut bytes = Zeroizing::new(std::fs::read(path).map_err(|e| err(e.to_string()))?);
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| err(format!("it holds {} bytes, not 32", bytes.len())))?;
        bytes.zeroize();
        Ok(MasterKey {
            key: Zeroizing::new(key),
        })
    }

    fn cipher(&self) -> Result<XChaCha20Poly1305, CustodyError> {
        XChaCha20Poly1305::new_from_slice(self.key.as_slice())
            .map_err(|e| CustodyError::Damaged(e.to_string()))
    }

    /// Seal `plain` for the row `label`: version, random nonce, ciphertext with its tag.
    pub fn seal(&self, plain: &[u8], label: &str) -> Result<Vec<u8>, CustodyError> {
        let nonce = random::<NONCE>()?;
        let sealed = self
            .cipher()?
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: label.as_bytes(),
                },
            )
            .map_err(|_| CustodyError::Sealed)?;
        let mut out = Vec::with_capacity(1 + NONCE + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Open what [`Self::seal`] sealed for `label`.
    pub fn open(&self, sealed: &[u8], label: &str) -> Result<Zeroizing<Vec<u8>>, CustodyError> {
        if sealed.len() < 1 + NONCE || sealed[0] != VERSION {
            return Err(CustodyError::Sealed);
        }
        let mut nonce = [0u8; NONCE];
        nonce.copy_from_slice(&sealed[1..1 + NONCE]);
        self.cipher()?
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &sealed[1 + NONCE..],
                    aad: label.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| CustodyError::Sealed)
    }

    /// Seal a reseller's signing key (its PKCS#8 PEM) for the organisation `org`.
    pub fn seal_key(&self, key: &VendorKey, org: i64) -> Result<Vec<u8>, CustodyError> {
        let pem = key
            .to_pkcs8_pem()
            .map_err(|e| CustodyError::Damaged(e.to_string()))?;
        self.seal(pem.as_bytes(), &label(org))
    }

    /// Open the signing key sealed for `org`.
    pub fn open_key(&self, sealed: &[u8], org: i64) -> Result<VendorKey, CustodyError> {
        let plain = self.open(sealed, &label(org))?;
        let pem = std::str::from_utf8(&plain).map_err(|e| CustodyError::Damaged(e.to_string()))?;
        VendorKey::from_pkcs8_pem(pem).map_err(|e| CustodyError::Damaged(e.to_string()))
    }
}

fn label(org: i64) -> String {
    format!("license-service reseller key v1 org {org}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_only_with_its_master_key_and_for_its_reseller() {
        let master = MasterKey::generate().unwrap();
        let key = VendorKey::from_seed(&[9; 32]);
        let sealed = master.seal_key(&key, 7).unwrap();
        let pem = key.to_pkcs8_pem().unwrap();
        assert!(
            !sealed
                .windows(16)
                .any(|w| pem.as_bytes().windows(16).any(|p| p == w)),
            "no part of the PEM in the sealed form"
        );
        assert_eq!(
            master.open_key(&sealed, 7).unwrap().public_key(),
            key.public_key()
        );
        assert!(matches!(master.open_key(&sealed, 8), Err(CustodyError::Sealed)));
        let other = MasterKey::generate().unwrap();
        assert!(matches!(other.open_key(&sealed, 7), Err(CustodyError::Sealed)));
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(matches!(master.open_key(&flipped, 7), Err(CustodyError::Sealed)));
    }

    #[cfg(unix)]
    #[test]
    fn the_master_key_file_is_created_0600_and_refused_when_others_may_read_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let a = MasterKey::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let b = MasterKey::load_or_create(&path).unwrap();
        assert_eq!(a.key.as_slice(), b.key.as_slice(), "read back, not replaced");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            MasterKey::load_or_create(&path),
            Err(CustodyError::MasterFile { .. })
        ));
    }
}
