//! Small file-system helpers: atomic replacement of a file.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use crate::Error;

/// Replace `path` with `bytes` atomically: write a temporary file beside it, sync it,
/// rename it over `path`, then sync the directory. A crash leaves either the old or the
/// new file, never a mix.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut file = fs::File::create(&tmp).map_err(Error::io(&tmp))?;
    file.write_all(bytes).map_err(Error::io(&tmp))?;
    file.sync_all().map_err(Error::io(&tmp))?;
    drop(file);
    fs::rename(&tmp, path).map_err(Error::io(path))?;
    sync_dir(dir)
}

/// Make a directory entry change (create, rename) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), Error> {
    #[cfg(unix)]
    {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(Error::io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
