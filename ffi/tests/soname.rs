//! The shared library carries the SONAME `liblicense_ffi.so.0` (set by `build.rs`), which
//! `install.sh` and the README rely on. Checked with `readelf` where it is installed
//! (binutils; every Linux CI image here has it), on ELF platforms.
#![cfg(target_os = "linux")]

use std::path::PathBuf;
use std::process::Command;

/// The shared library cargo built next to this test binary.
fn cdylib() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let deps = exe.parent().expect("deps dir");
    [deps, deps.parent().unwrap_or(deps)]
        .iter()
        .map(|dir| dir.join("liblicense_ffi.so"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("liblicense_ffi.so not found next to {}", exe.display()))
}

#[test]
fn shared_library_has_the_soname() {
    let lib = cdylib();
    let out = match Command::new("readelf").arg("-d").arg(&lib).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("readelf is not installed (apt-get install binutils): SONAME not checked");
            return;
        }
        Err(e) => panic!("readelf: {e}"),
    };
    assert!(out.status.success(), "readelf -d {} failed", lib.display());
    let dynamic = String::from_utf8_lossy(&out.stdout);
    assert!(
        dynamic.contains("Library soname: [liblicense_ffi.so.0]"),
        "{} has no SONAME liblicense_ffi.so.0:\n{dynamic}",
        lib.display()
    );
}
