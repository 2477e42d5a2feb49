//! Vendor signing keys: generation, PKCS#8 PEM files with mode 0600, a key ring for
//! rotation, and public-key export for host applications.
//!
//! Layout of a key directory:
//!
//! ```text
//! keys/keyring.toml     which keys exist and which one is current (no secrets)
//! keys/key-3a.pem       one Ed25519 private key per file, PKCS#8 v2 PEM, mode 0600
//! ```
//!
//! `keyring.toml`:
//!
//! ```toml
//! current = 58            # key id (decimal) used for issuing
//!
//! [[key]]
//! id = 58
//! file = "key-3a.pem"
//! public = "hex of the 32-byte Ed25519 public key"
//! created = "2026-11-22"
//! ```
//!
//! Codes carry the one-byte key id, SHA-256("license-core/v1 key-id\0" || public key)[0];
//! verifiers hold every public key of the ring and pick by id, so codes signed with a
//! retired key keep working while new codes use the current one.

use std::fmt::{self, Write as _};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, spki::der::pem::LineEnding};
use license_core::{Date, PublicKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::Error;
use crate::keys::error::KeyError;

/// A vendor's private signing key. Zeroized when dropped (every clone too); `Debug`
/// never shows it and no function of this crate prints it.
#[derive(Clone)]
pub struct VendorKey {
    key: SigningKey,
}

impl fmt::Debug for VendorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VendorKey {{ id: {:#04x}, secret: ***OMITTED*** }}", self.id())
    }
}

impl VendorKey {
    /// A new key from the operating system's random number generator.
    pub fn generate() -> Result<VendorKey, Error> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(Error::Random)?;
        Ok(VendorKey::from_seed(&seed))
    }

    /// The key with this 32-byte seed (tests, fixed demo keys). Never use a guessable seed.
    pub fn from_seed(seed: &[u8; 32]) -> VendorKey {
        VendorKey {
            key: SigningKey::from_bytes(seed),
        }
    }

    /// Parse a PKCS#8 (v1 or v2) PEM Ed25519 private key.
    pub fn from_pkcs8_pem(pem: &str) -> Result<VendorKey, ed25519_dalek::pkcs8::Error> {
        SigningKey::from_pkcs8_pem(pem).map(|key| VendorKey { key })
    }

    /// The PKCS#8 v1 PEM text (RFC 8410 `PrivateKeyInfo`, the private key only: what
    /// OpenSSL 3 and most tools read), in zeroizing memory. The public key is derived
    /// from it; [`VendorKey::from_pkcs8_pem`] also reads v2 files with the public key.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, Error> {
        let v1 = ed25519_dalek::pkcs8::KeypairBytes {
            secret_key: self.key.to_bytes(),
            public_key: None,
        };
        let pem = v1.to_pkcs8_pem(LineEnding::LF);
        // KeypairBytes zeroizes its secret on drop.
        drop(v1);
        pem.map_err(|e| {
            Error::Key(KeyError::KeyFormat {
                path: PathBuf::from("<memory>"),
                reason: e.to_string(),
            })
        })
        .map_err(|e| {
            Error::Key(KeyError::KeyFormat {
                path: PathBuf::from("<memory>"),
                reason: e.to_string(),
            })
        })
    }

    /// The key id codes signed with this key carry.
    pub fn id(&self) -> u8 {
        license_core::key_id(&self.key.verifying_key())
    }

    /// The public key, for verifiers.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from(self.key.verifying_key())
    }

    /// The signing key, for `license_core::sign`.
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// Load a key file, refusing (on Unix) one that group or others may read.
    pub fn load(path: &Path) -> Result<VendorKey, Error> {
        let meta = fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Key(KeyError::KeyMissing { path: path.into() }),
            _ => Error::io(path)(e),
        })?;
        check_private(path, &meta)?;
        let text = Zeroizing::new(fs::read_to_string(path).map_err(Error::io(path))?);
        VendorKey::from_pkcs8_pem(&text).map_err(|e| {
            Error::Key(KeyError::KeyFormat {
                path: path.into(),
                reason: e.to_string(),
            })
        })
    }

    /// Write the key to a new file with mode 0600 (fails if the file exists), synced to disk.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let pem = self.to_pkcs8_pem()?;
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(Error::io(path))?;
        file.write_all(pem.as_bytes()).map_err(Error::io(path))?;
        file.sync_all().map_err(Error::io(path))
    }
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &fs::Metadata) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(Error::Key(KeyError::KeyPermissions {
            path: path.into(),
            mode,
        }));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &fs::Metadata) -> Result<(), Error> {
    Ok(())
}

/// One key of a [`KeyRing`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyEntry {
    /// The key id.
    pub id: u8,
    /// The public key.
    pub public: PublicKey,
    /// The private key's file name inside the key directory.
    pub file: String,
    /// The day it was generated.
    pub created: Date,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RingFile {
    current: u8,
    #[serde(default, rename = "key")]
    keys: Vec<RingKey>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RingKey {
    id: u8,
    file: String,
    public: String,
    created: Date,
}

/// The vendor's keys: the current one signs, all of them verify.
#[derive(Clone, Debug)]
pub struct KeyRing {
    dir: PathBuf,
    keys: Vec<KeyEntry>,
    current: u8,
}

const RING_FILE: &str = "keyring.toml";

impl KeyRing {
    /// Open the key ring in `dir` (its `keyring.toml`).
    pub fn open(dir: &Path) -> Result<KeyRing, Error> {
        let path = dir.join(RING_FILE);
        let text = fs::read_to_string(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Key(KeyError::KeyMissing { path: path.clone() }),
            _ => Error::io(&path)(e),
        })?;
        let bad = |reason: String| {
            Error::Key(KeyError::KeyRing {
                path: path.clone(),
                reason,
            })
        };
        let file: RingFile = toml::from_str(&text).map_err(|e| bad(e.message().to_owned()))?;
        let mut keys = Vec::new();
        for k in file.keys {
            let bytes = parse_hex32(&k.public)
                .ok_or_else(|| bad(format!("key {}: public key is not 64 hex digits", k.id)))?;
            let public = PublicKey::from_bytes(&bytes).map_err(|e| bad(format!("key {}: {e}", k.id)))?;
            if public.id() != k.id {
                return Err(bad(format!("key {}: the id does not match its public key", k.id)));
            }
            if keys.iter().any(|e: &KeyEntry| e.id == k.id) {
                return Err(bad(format!("key id {} is listed twice", k.id)));
            }
            if k.file.contains(['/', '\\']) || k.file.starts_with('.') {
                return Err(bad(format!(
                    "key {}: the file must be a plain name inside the key directory",
                    k.id
                )));
            }
            keys.push(KeyEntry {
                id: k.id,
                public,
                file: k.file,
                created: k.created,
            });
        }
        if !keys.iter().any(|k| k.id == file.current) {
            return Err(bad(format!("the current key {} is not listed", file.current)));
        }
        Ok(KeyRing {
            dir: dir.into(),
            keys,
            current: file.current,
        })
    }

    /// Create a key ring in `dir` with a freshly generated key. Fails if one exists.
    pub fn create(dir: &Path, today: Date) -> Result<KeyRing, Error> {
        if dir.join(RING_FILE).exists() {
            return Err(Error::Key(KeyError::KeyExists { path: dir.into() }));
        }
        create_private_dir(dir)?;
        let mut ring = KeyRing {
            dir: dir.into(),
            keys: Vec::new(),
            current: 0,
        };
        ring.add(VendorKey::generate()?, today)?;
        Ok(ring)
    }

    /// Generate a new key and make it the current one; the old keys stay listed so their
    /// codes keep verifying. A new key whose id collides with a listed one is discarded
    /// and another generated.
    pub fn rotate(&mut self, today: Date) -> Result<&KeyEntry, Error> {
        for _ in 0..64 {
            let key = VendorKey::generate()?;
            if !self.keys.iter().any(|k| k.id == key.id()) {
                return self.add(key, today);
            }
        }
        Err(Error::Key(KeyError::KeyIdsCollide))
    }

    /// Add `key` as the current key: write its file (mode 0600), then the ring.
    pub fn add(&mut self, key: VendorKey, today: Date) -> Result<&KeyEntry, Error> {
        let id = key.id();
        if self.keys.iter().any(|k| k.id == id) {
            return Err(Error::Key(KeyError::KeyRing {
                path: self.dir.join(RING_FILE),
                reason: format!("key id {id:#04x} is already listed"),
            }));
        }
        let file = format!("key-{id:02x}.pem");
        key.save(&self.dir.join(&file))?;
        self.keys.push(KeyEntry {
            id,
            public: key.public_key(),
            file,
            created: today,
        });
        self.current = id;
        self.save()?;
        Ok(&self.keys[self.keys.len() - 1])
    }

    fn save(&self) -> Result<(), Error> {
        let ring = RingFile {
            current: self.current,
            keys: self
                .keys
                .iter()
                .map(|k| RingKey {
                    id: k.id,
                    file: k.file.clone(),
                    public: hex::encode(k.public.to_bytes()),
                    created: k.created,
                })
                .collect(),
        };
        let path = self.dir.join(RING_FILE);
        let text = toml::to_string(&ring).map_err(|e| {
            Error::Key(KeyError::KeyRing {
                path: path.clone(),
                reason: e.to_string(),
            })
        })?;
        let text =
            format!("# Vendor key ring: public data only. `current` is the key id used for issuing.\n{text}");
        license_fs::write_atomic(&path, text.as_bytes()).map_err(Error::io(&path))
    }

    /// The key directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every key, oldest first.
    pub fn keys(&self) -> &[KeyEntry] {
        &self.keys
    }

    /// The current key's entry.
    pub fn current_entry(&self) -> Option<&KeyEntry> {
        self.keys.iter().find(|k| k.id == self.current)
    }

    /// Load the current private key (permission-checked, matched against the ring).
    pub fn current(&self) -> Result<VendorKey, Error> {
        let entry = self.current_entry().ok_or_else(|| {
            Error::Key(KeyError::KeyRing {
                path: self.dir.join(RING_FILE),
                reason: "no current key".into(),
            })
        })?;
        let path = self.dir.join(&entry.file);
        let key = VendorKey::load(&path).map_err(|e| match e {
            Error::Key(KeyError::KeyMissing { path }) => {
                Error::Key(KeyError::KeyFileMissing { path, id: entry.id })
            }
            e => e,
        })?;
        if key.public_key() != entry.public {
            return Err(Error::Key(KeyError::KeyRing {
                path: self.dir.join(RING_FILE),
                reason: format!(
                    "{} does not hold the public key listed for id {}",
                    entry.file, entry.id
                ),
            }));
        }
        Ok(key)
    }

    /// Every public key, for verifiers.
    pub fn public_keys(&self) -> Vec<PublicKey> {
        self.keys.iter().map(|k| k.public).collect()
    }
}

/// Create `dir` (and parents) with mode 0700 on Unix.
fn create_private_dir(dir: &Path) -> Result<(), Error> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(Error::io(dir))
}

/// 32 bytes from 64 hex digits (either case; white space around them ignored).
pub fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s.trim(), &mut out).ok()?;
    Some(out)
}

/// How to export public keys for a host application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PublicKeyFormat {
    /// One line per key: `<id hex> <key hex>`.
    Hex,
    /// A Rust `const` array of 32-byte keys.
    Rust,
    /// A C array of 32-byte keys.
    C,
}

/// The public keys in `format`, ready to paste into the host application's source.
pub fn export_public_keys(keys: &[PublicKey], format: PublicKeyFormat) -> String {
    let bytes_list = |k: &PublicKey| {
        k.to_bytes()
            .iter()
            .map(|b| format!("0x{b:02x}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::new();
    match format {
        PublicKeyFormat::Hex => {
            for k in keys {
                let _ = writeln!(out, "{:02x} {}", k.id(), hex::encode(k.to_bytes()));
            }
        }
        PublicKeyFormat::Rust => {
            let _ = writeln!(
                out,
                "/// Vendor public keys (Ed25519) accepted for license codes, one per key id.\n\
                 /// Load with `license_core::PublicKey::from_bytes`."
            );
            let _ = writeln!(
                out,
                "pub const VENDOR_PUBLIC_KEYS: [[u8; 32]; {}] = [",
                keys.len()
            );
            for k in keys {
                let _ = writeln!(out, "    // key id 0x{:02x}\n    [{}],", k.id(), bytes_list(k));
            }
            out.push_str("];\n");
        }
        PublicKeyFormat::C => {
            let _ = writeln!(out, "#include <stdint.h>\n");
            let _ = writeln!(
                out,
                "/* Vendor public keys (Ed25519) accepted for license codes. */"
            );
            let _ = writeln!(out, "#define VENDOR_PUBLIC_KEY_COUNT {}", keys.len());
            let _ = writeln!(
                out,
                "static const uint8_t VENDOR_PUBLIC_KEYS[{}][32] = {{",
                keys.len()
            );
            for k in keys {
                let _ = writeln!(
                    out,
                    "    /* key id 0x{:02x} */\n    {{{}}},",
                    k.id(),
                    bytes_list(k)
                );
            }
            out.push_str("};\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        Date::from_ymd(2026, 11, 22).unwrap()
    }

    #[test]
    fn pem_round_trip_and_debug_hides_the_secret() {
        let key = VendorKey::from_seed(&[7; 32]);
        let pem = key.to_pkcs8_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        // PKCS#8 v1 (version 0, no public key): 48 bytes of DER, as OpenSSL writes them.
        let der = ed25519_dalek::pkcs8::spki::der::pem::decode_vec(pem.as_bytes())
            .unwrap()
            .1;
        assert_eq!(der.len(), 48, "{der:02x?}");
        assert_eq!(&der[..5], &[0x30, 0x2e, 0x02, 0x01, 0x00], "version 0 (v1)");
        assert_eq!(&der[16..], &[7; 32]);
        let back = VendorKey::from_pkcs8_pem(&pem).unwrap();
        assert_eq!(back.public_key(), key.public_key());
        let debug = format!("{key:?}");
        assert_eq!(
            debug,
            format!("VendorKey {{ id: {:#04x}, secret: ***OMITTED*** }}", key.id())
        );
    }

    #[test]
    fn key_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.pem");
        let key = VendorKey::from_seed(&[3; 32]);
        key.save(&path).unwrap();
        assert!(
            matches!(key.save(&path), Err(Error::Io { .. })),
            "never overwrites"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(VendorKey::load(&path).unwrap().id(), key.id());
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
            assert!(matches!(
                VendorKey::load(&path),
                Err(Error::Key(KeyError::KeyPermissions { mode: 0o640, .. }))
            ));
        }
        assert!(matches!(
            VendorKey::load(&dir.path().join("none.pem")),
            Err(Error::Key(KeyError::KeyMissing { .. }))
        ));
    }

    #[test]
    fn garbage_key_file_is_a_format_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.pem");
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options
            .open(&path)
            .unwrap()
            .write_all(b"-----BEGIN PRIVATE KEY-----\nAAAA\n")
            .unwrap();
        assert!(matches!(
            VendorKey::load(&path),
            Err(Error::Key(KeyError::KeyFormat { .. }))
        ));
    }

    #[test]
    fn ring_rotation_keeps_old_keys() {
        let dir = tempfile::tempdir().unwrap();
        let kd = dir.path().join("keys");
        let mut ring = KeyRing::create(&kd, day()).unwrap();
        assert!(matches!(
            KeyRing::create(&kd, day()),
            Err(Error::Key(KeyError::KeyExists { .. }))
        ));
        let first = ring.current().unwrap().id();
        let second = ring.rotate(day()).unwrap().id;
        assert_ne!(first, second);
        let reopened = KeyRing::open(&kd).unwrap();
        assert_eq!(reopened.keys().len(), 2);
        assert_eq!(reopened.current().unwrap().id(), second);
        assert_eq!(reopened.public_keys().len(), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&kd).unwrap().permissions().mode() & 0o777, 0o700);
        }
    }

    #[test]
    fn ring_refuses_mismatches() {
        let dir = tempfile::tempdir().unwrap();
        let ring = KeyRing::create(dir.path(), day()).unwrap();
        let path = dir.path().join(RING_FILE);
        let text = fs::read_to_string(&path).unwrap();
        let id = ring.current_entry().unwrap().id;
        fs::write(
            &path,
            text.replace(&format!("current = {id}"), &format!("current = {}", id ^ 1)),
        )
        .unwrap();
        assert!(matches!(
            KeyRing::open(dir.path()),
            Err(Error::Key(KeyError::KeyRing { .. }))
        ));
        fs::write(&path, "current = [").unwrap();
        assert!(matches!(
            KeyRing::open(dir.path()),
            Err(Error::Key(KeyError::KeyRing { .. }))
        ));
        assert!(matches!(
            KeyRing::open(&dir.path().join("x")),
            Err(Error::Key(KeyError::KeyMissing { .. }))
        ));
    }

    #[test]
    fn exports() {
        let keys = [VendorKey::from_seed(&[7; 32]).public_key()];
        let h = export_public_keys(&keys, PublicKeyFormat::Hex);
        assert_eq!(h.trim().len(), 2 + 1 + 64);
        let r = export_public_keys(&keys, PublicKeyFormat::Rust);
        assert!(r.contains("pub const VENDOR_PUBLIC_KEYS: [[u8; 32]; 1] = ["));
        assert_eq!(r.matches("0x").count(), 32 + 1);
        let c = export_public_keys(&keys, PublicKeyFormat::C);
        assert!(c.contains("static const uint8_t VENDOR_PUBLIC_KEYS[1][32] = {"));
        assert_eq!(
            parse_hex32(&hex::encode(keys[0].to_bytes())),
            Some(keys[0].to_bytes())
        );
        assert_eq!(parse_hex32("zz"), None);
    }
}
