//! The shared library carries the SONAME `liblicense_ffi.so.0` (set by `build.rs`), which
//! `install.sh` and the README rely on. Checked with `readelf` (binutils, which the C
//! compiler of the other ffi tests needs too), on ELF platforms.
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
    // binutils (readelf) comes with the C compiler the ffi tests need anyway.
    let out = Command::new("readelf")
        .arg("-d")
        .arg(&lib)
        .output()
        .unwrap_or_else(|e| panic!("readelf (apt-get install binutils): {e}"));
    assert!(out.status.success(), "readelf -d {} failed", lib.display());
    let dynamic = String::from_utf8_lossy(&out.stdout);
    assert!(
        dynamic.contains("Library soname: [liblicense_ffi.so.0]"),
        "{} has no SONAME liblicense_ffi.so.0:\n{dynamic}",
        lib.display()
    );
}
