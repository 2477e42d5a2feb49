//! The state file: the guards' memory, integrity-protected, bound to its installation,
//! written atomically, and shared by the installation's processes under a file lock.
//!
//! ```text
//! file = "LVST" || version u8 (2) || installation id (16 bytes) || postcard(Guards) || tag (32 bytes)
//! tag  = HMAC-SHA256(key = application secret,
//!                    "license-verify/v1 state\0" || len(product) u8 || product || magic..body)
//! installation id = license_core::Context::installation_id (product, licensee, database code)
//! ```
//!
//! A missing file is a first run. A file that is too short, has another magic, a tag
//! that does not verify (edited, truncated, another product or secret) or contents that
//! do not decode is corrupt; a file whose tag verifies but that names another
//! installation (copied from another licensee's or database's installation of the same
//! product) is foreign. Either way verification is refused until it is restored or reset.
//! Version-1 files (no installation id) are read once and rewritten as version 2.
//! Writes go to a temporary file in the same directory, which is written, flushed to
//! disk, renamed over the state file, and the directory flushed. Read-modify-write runs
//! under an exclusive lock on `<state file>.lock` (never renamed, so every process locks
//! the same file).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::error::Error;
use crate::guards::Guards;

const MAGIC: &[u8; 4] = b"LVST";
const STATE_VERSION: u8 = 2;
/// Files written before the installation id.
const STATE_VERSION_1: u8 = 1;
const ID_LEN: usize = 16;
const TAG_LEN: usize = 32;
const DOMAIN: &[u8] = b"license-verify/v1 state\0";
/// Shortest application secret accepted.
pub const MIN_SECRET_LEN: usize = 16;
/// Largest state file read (a guard against a huge file planted at the path).
const MAX_STATE_LEN: u64 = 4 << 20;

/// The state file at a path, with its integrity key.
pub(crate) struct StateFile {
    path: PathBuf,
    mac: Hmac<Sha256>,
    installation: [u8; ID_LEN],
}

impl std::fmt::Debug for StateFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateFile")
            .field("path", &self.path)
            .field("key", &"***OMITTED***")
            .finish()
    }
}

impl StateFile {
    /// The state file at `path`, tagged with a key from `secret` and `product`, for the
    /// installation with this id.
    pub fn new(
        path: PathBuf,
        secret: &[u8],
        product: &str,
        installation: [u8; ID_LEN],
    ) -> Result<StateFile, Error> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(Error::Config("the state-file secret must be at least 16 bytes"));
        }
        let product = product.as_bytes();
        let len =
            u8::try_from(product.len()).map_err(|_| Error::Config("product id longer than 255 bytes"))?;
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret).map_err(|_| Error::Config("invalid state-file secret"))?;
        mac.update(DOMAIN);
        mac.update(&[len]);
        mac.update(product);
        Ok(StateFile {
            path,
            mac,
            installation,
        })
    }

    /// Take the installation's exclusive lock on the state file (blocking until a sibling
    /// process releases it), held until the returned file is dropped. `None` when the lock
    /// file can neither be created nor opened (a read-only folder): the operation then
    /// runs unlocked, as the write would fail anyway.
    pub fn lock(&self) -> Option<File> {
        let mut name = self.path.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        // Like the state file itself: readable by its owner only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).or_else(|_| File::open(&path)).ok()?;
        file.lock().ok()?;
        Some(file)
    }

    /// The path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn corrupt(&self, reason: &'static str) -> Error {
        Error::StateCorrupt {
            path: self.path.clone(),
            reason,
        }
    }

    /// The stored state; `None` if there is no file (first run).
    pub fn load(&self) -> Result<Option<Guards>, Error> {
        let unreadable = |source| Error::StateUnreadable {
            path: self.path.clone(),
            source,
        };
        let file = match File::open(&self.path) {
            Ok(f) => f,
            // A parent that is not a directory: the file cannot exist either.
            Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {
                return Ok(None);
            }
            Err(e) => return Err(unreadable(e)),
        };
        let mut bytes = Vec::new();
        io::Read::read_to_end(&mut io::Read::take(file, MAX_STATE_LEN + 1), &mut bytes)
            .map_err(unreadable)?;
        if bytes.len() as u64 > MAX_STATE_LEN {
            return Err(self.corrupt("far too large"));
        }
        self.decode(&bytes).map(Some)
    }

    pub(crate) fn decode(&self, bytes: &[u8]) -> Result<Guards, Error> {
        if bytes.len() >= MAGIC.len() && !bytes.starts_with(MAGIC) {
            return Err(self.corrupt("not a license state file"));
        }
        if bytes.len() < MAGIC.len() + 1 + TAG_LEN {
            return Err(self.corrupt(if bytes.is_empty() { "empty" } else { "cut short" }));
        }
        let (signed, tag) = bytes.split_at(bytes.len() - TAG_LEN);
        let mut mac = self.mac.clone();
        mac.update(signed);
        if mac.verify_slice(tag).is_err() {
            return Err(self.corrupt(
                "integrity check failed: edited, cut short, or written for another product or secret",
            ));
        }
        let body = match signed[MAGIC.len()] {
            STATE_VERSION => {
                let rest = &signed[MAGIC.len() + 1..];
                if rest.len() < ID_LEN {
                    return Err(self.corrupt("cut short"));
                }
                let (id, body) = rest.split_at(ID_LEN);
                if id != self.installation {
                    return Err(Error::StateForeign {
                        path: self.path.clone(),
                    });
                }
                body
            }
            // Written before state files named their installation: adopted, and bound to
            // this installation at the next write.
            STATE_VERSION_1 => &signed[MAGIC.len() + 1..],
            _ => return Err(self.corrupt("written by a newer version of the software")),
        };
        let (mut guards, rest): (Guards, &[u8]) =
            postcard::take_from_bytes(body).map_err(|_| self.corrupt("contents do not decode"))?;
        // The optional trailing sections: revoked reseller certificates (ascending), then
        // revoked sub-reseller certificates by the pair of serials (ascending).
        if !rest.is_empty() {
            let (certificates, rest): (Vec<u32>, &[u8]) =
                postcard::take_from_bytes(rest).map_err(|_| self.corrupt("contents do not decode"))?;
            guards.revoked_certificates = certificates;
            if !rest.is_empty() {
                guards.revoked_sub_certificates =
                    postcard::from_bytes(rest).map_err(|_| self.corrupt("contents do not decode"))?;
            }
            if !guards.revoked_certificates.windows(2).all(|w| w[0] < w[1])
                || !guards.revoked_sub_certificates.windows(2).all(|w| w[0] < w[1])
            {
                return Err(self.corrupt("contents out of order"));
            }
        }
        let ascending = guards
            .licenses
            .windows(2)
            .all(|w| w[0].license_id < w[1].license_id)
            && guards
                .revocation
                .as_ref()
                .is_none_or(|r| r.entries.windows(2).all(|w| w[0].license_id < w[1].license_id));
        if !ascending {
            return Err(self.corrupt("contents out of order"));
        }
        Ok(guards)
    }

    fn encode(&self, guards: &Guards) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(128);
        out.extend_from_slice(MAGIC);
        out.push(STATE_VERSION);
        out.extend_from_slice(&self.installation);
        let mut out = postcard::to_extend(guards, out).map_err(|_| Error::Config("state does not encode"))?;
        if !guards.revoked_certificates.is_empty() || !guards.revoked_sub_certificates.is_empty() {
            out = postcard::to_extend(&guards.revoked_certificates, out)
                .map_err(|_| Error::Config("state does not encode"))?;
        }
        if !guards.revoked_sub_certificates.is_empty() {
            out = postcard::to_extend(&guards.revoked_sub_certificates, out)
                .map_err(|_| Error::Config("state does not encode"))?;
        }
        let mut mac = self.mac.clone();
        mac.update(&out);
        let tag = mac.finalize().into_bytes();
        out.extend_from_slice(&tag);
        Ok(out)
    }

    /// Write `guards` atomically.
    pub fn store(&self, guards: &Guards) -> Result<(), Error> {
        let bytes = self.encode(guards)?;
        license_fs::write_atomic(&self.path, &bytes).map_err(|source| Error::StateUnwritable {
            path: self.path.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Utc;
    use std::fs;

    const HERE: [u8; 16] = [1; 16];

    fn file(dir: &Path) -> StateFile {
        StateFile::new(dir.join("state"), b"0123456789abcdef", "erp", HERE).unwrap()
    }

    #[test]
    fn round_trip_and_every_edit_is_detected() {
        let dir = tempfile::tempdir().unwrap();
        let f = file(dir.path());
        assert!(f.load().unwrap().is_none(), "missing = first run");
        let mut g = Guards::first_run(Utc(1_790_000_000));
        let l = license_core::License {
            license_id: 7,
            revision: 3,
            kind: license_core::Kind::Full,
            line: license_core::ProductLine::new(0).unwrap(),
            named_users: None,
            concurrent_seats: None,
            demo_seats: 0,
            modules: license_core::ModuleSet::EMPTY,
            issued: license_core::Date::CODE_EPOCH,
            valid_from: license_core::Date::CODE_EPOCH,
            expires: None,
            grace_days: 0,
            maintenance_ends: None,
            binding: license_core::Binding::NONE,
            interim: false,
        };
        g.admit(&l, Utc(1_790_000_000).date()).unwrap();
        f.store(&g).unwrap();
        assert_eq!(f.load().unwrap(), Some(g.clone()));
        let bytes = fs::read(f.path()).unwrap();
        for i in 0..bytes.len() {
            let mut edited = bytes.clone();
            edited[i] ^= 0x20;
            assert!(
                matches!(f.decode(&edited), Err(Error::StateCorrupt { .. })),
                "edit at {i}"
            );
        }
        for cut in 0..bytes.len() {
            assert!(
                matches!(f.decode(&bytes[..cut]), Err(Error::StateCorrupt { .. })),
                "cut at {cut}"
            );
        }
        let other_secret = StateFile::new(f.path().to_owned(), b"0123456789abcdeF", "erp", HERE).unwrap();
        assert!(matches!(other_secret.load(), Err(Error::StateCorrupt { .. })));
        let other_product = StateFile::new(f.path().to_owned(), b"0123456789abcdef", "crm", HERE).unwrap();
        assert!(matches!(other_product.load(), Err(Error::StateCorrupt { .. })));
        // The same product and secret, another installation: foreign, not corrupt.
        let other_installation =
            StateFile::new(f.path().to_owned(), b"0123456789abcdef", "erp", [2; 16]).unwrap();
        assert!(matches!(
            other_installation.load(),
            Err(Error::StateForeign { .. })
        ));
        // A version-1 file (no installation id) is adopted.
        let mut v1 = MAGIC.to_vec();
        v1.push(STATE_VERSION_1);
        v1.extend_from_slice(&bytes[MAGIC.len() + 1 + ID_LEN..bytes.len() - TAG_LEN]);
        let mut mac = f.mac.clone();
        mac.update(&v1);
        v1.extend_from_slice(&mac.finalize().into_bytes());
        assert_eq!(f.decode(&v1).unwrap(), g);
        assert_eq!(other_installation.decode(&v1).unwrap(), g);
        // No temporary files are left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn short_secret_is_refused() {
        assert!(matches!(
            StateFile::new(PathBuf::from("x"), b"short", "erp", HERE),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn atomic_write_failure_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub");
        fs::create_dir(&target).unwrap();
        // Renaming a file over a directory fails: the temporary must be removed.
        assert!(license_fs::write_atomic(&target, b"x").is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

        #[test]
        fn any_state_round_trips(
            high_water in proptest::prelude::any::<i64>(),
            records in proptest::collection::btree_map(
                proptest::prelude::any::<u32>(),
                (proptest::option::of((0u32..10, 0u32..30_000)), proptest::collection::vec((0u32..20, 0u32..30_000), 0..3)),
                0..6,
            ),
            revoked in proptest::option::of(proptest::collection::btree_map(
                proptest::prelude::any::<u32>(),
                proptest::option::of(proptest::prelude::any::<u32>()),
                0..6,
            )),
            certificates in proptest::collection::btree_set(proptest::prelude::any::<u32>(), 0..4),
            sub_certificates in proptest::collection::btree_set(
                (proptest::prelude::any::<u32>(), proptest::prelude::any::<u32>()),
                0..4,
            ),
        ) {
            use crate::guards::{LicenseRecord, RevocationRecord};
            use license_core::{RevocationEntry, RevokedRevisions};
            let guards = Guards {
                high_water,
                licenses: records
                    .into_iter()
                    .map(|(license_id, (current, pending))| LicenseRecord { license_id, current, pending })
                    .collect(),
                revocation: revoked.map(|entries| RevocationRecord {
                    sequence: entries.len() as u64,
                    digest: [7; 32],
                    issued: 20_000,
                    expires: 20_100,
                    entries: entries
                        .into_iter()
                        .map(|(license_id, upto)| RevocationEntry {
                            license_id,
                            revisions: upto.map_or(RevokedRevisions::All, RevokedRevisions::UpTo),
                        })
                        .collect(),
                }),
                revoked_certificates: certificates.into_iter().collect(),
                revoked_sub_certificates: sub_certificates
                    .into_iter()
                    .map(|(reseller, sub_reseller)| license_core::SubCertificateSerial { reseller, sub_reseller })
                    .collect(),
            };
            let dir = tempfile::tempdir().unwrap();
            let f = file(dir.path());
            let bytes = f.encode(&guards).unwrap();
            proptest::prop_assert_eq!(f.decode(&bytes).unwrap(), guards);
        }
    }
}
