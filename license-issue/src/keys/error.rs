//! Errors of a signing key or the key ring: the `Key` part of [`crate::Error`].

use crate::error::class::ErrorClass;
use std::path::PathBuf;

/// Why a signing key or the key ring could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// No key ring or key file where one was expected.
    #[error("no signing key at {}: generate a key ring first, or use the licensing directory that holds it", .path.display())]
    KeyMissing {
        /// Where the key ring or key file was looked for.
        path: PathBuf,
    },
    /// The key ring lists a key whose private key file is gone.
    #[error("the key ring lists key {id:#04x}, but its key file {} is missing: restore the file from your backup, or rotate to a new signing key (codes signed with the lost key keep verifying)", .path.display())]
    KeyFileMissing {
        /// The missing key file.
        path: PathBuf,
        /// The key id the ring lists for it.
        id: u8,
    },
    /// A private key file that other users can read or write.
    #[error("the key file {} is {} (mode {mode:03o}): run `chmod 600 {}` and check who copied or changed it", .path.display(), exposure(*.mode), .path.display())]
    KeyPermissions {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A key file that is not an Ed25519 PKCS#8 PEM private key.
    #[error("the key file {} is not an Ed25519 PKCS#8 PEM private key ({reason}): restore it from your backup", .path.display())]
    KeyFormat {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// `keygen` where a key ring already exists.
    #[error("a key ring already exists in {}: rotate it to add a new current key instead of generating a new ring", .path.display())]
    KeyExists {
        /// The key directory.
        path: PathBuf,
    },
    /// The key ring file is damaged or lists keys that do not match their files.
    #[error("the key ring {} is invalid ({reason}): restore it from your backup", .path.display())]
    KeyRing {
        /// The key ring file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Key rotation drew only key ids the ring already lists (astronomically unlikely
    /// with a working random number generator).
    #[error(
        "64 new keys all had key ids the ring already lists: check the system random number generator, then rotate again"
    )]
    KeyIdsCollide,
}

impl KeyError {
    /// A stable name for the kind of error: the variant's name in snake case.
    pub fn kind_name(&self) -> &'static str {
        match self {
            KeyError::KeyMissing { .. } => "key_missing",
            KeyError::KeyFileMissing { .. } => "key_file_missing",
            KeyError::KeyPermissions { .. } => "key_permissions",
            KeyError::KeyFormat { .. } => "key_format",
            KeyError::KeyExists { .. } => "key_exists",
            KeyError::KeyRing { .. } => "key_ring",
            KeyError::KeyIdsCollide => "key_ids_collide",
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            KeyError::KeyMissing { .. }
            | KeyError::KeyFileMissing { .. }
            | KeyError::KeyPermissions { .. }
            | KeyError::KeyFormat { .. }
            | KeyError::KeyRing { .. }
            | KeyError::KeyIdsCollide => ErrorClass::Data,
            KeyError::KeyExists { .. } => ErrorClass::Usage,
        }
    }
}

/// Who else may touch a key file with permission bits `mode`, in words
/// ("readable by its group", "writable by other users", ...).
fn exposure(mode: u32) -> String {
    let mut parts = Vec::new();
    for (shift, who) in [(3, "its group"), (0, "other users")] {
        let bits = (mode >> shift) & 0o7;
        let what = match (bits & 0o4 != 0, bits & 0o2 != 0) {
            (true, true) => "readable and writable",
            (true, false) => "readable",
            (false, true) => "writable",
            (false, false) if bits & 0o1 != 0 => "executable",
            (false, false) => continue,
        };
        parts.push(format!("{what} by {who}"));
    }
    parts.join(" and ")
}

#[cfg(test)]
mod tests {
    use super::exposure;

    #[test]
    fn key_file_exposure_in_words() {
        assert_eq!(exposure(0o620), "writable by its group");
        assert_eq!(exposure(0o604), "readable by other users");
        assert_eq!(
            exposure(0o666),
            "readable and writable by its group and readable and writable by other users"
        );
    }
}
