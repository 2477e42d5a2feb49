//! Replace a file atomically and durably: the one way the toolkit writes a file that must
//! never be seen half-written (the vendor's ledger rewrite and key ring, the host's state
//! file, the revocation-list numbers).
//!
//! [`write_atomic`] writes a uniquely named temporary file in the same directory
//! (`tempfile`: created exclusively with mode 0600, so two writers never share one and no
//! other user can read it), fsyncs it, renames it over the target and fsyncs the
//! directory. A crash leaves either the old file or the new one, never a mix; a failure
//! removes the temporary file.
//!
//! ```
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("state.bin");
//! license_fs::write_atomic(&path, b"one")?;
//! license_fs::write_atomic(&path, b"two")?;
//! assert_eq!(std::fs::read(&path)?, b"two");
//! # Ok::<(), std::io::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(unix)]
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// Replace `path` with `bytes` atomically and durably. The new file has mode 0600 on
/// Unix. Fails if `path` has no file name or its directory does not exist.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Make a change of `dir`'s entries (a file created or renamed) durable.
#[cfg(unix)]
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Make a change of `dir`'s entries durable: nothing to do on Windows, where there is
/// no directory handle to flush and NTFS's journal makes the rename durable.
#[cfg(not(unix))]
pub fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["ledger.jsonl"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.toml");
        write_atomic(&path, b"x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    /// Writers at the same time never share a temporary file: each write is whole.
    #[test]
    fn concurrent_writers_each_leave_a_whole_file() {
        let dir = Arc::new(tempfile::tempdir().unwrap());
        let path = dir.path().join("state.bin");
        let threads: Vec<_> = (0..8u8)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        write_atomic(&path, &[i; 4096]).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 4096);
        assert!(bytes.iter().all(|&b| b == bytes[0]), "a torn mix of writers");
    }

    #[test]
    fn a_missing_directory_or_name_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_atomic(&dir.path().join("no/such/dir/f"), b"x").is_err());
        assert!(write_atomic(Path::new("/"), b"x").is_err());
    }
}
