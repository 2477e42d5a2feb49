//! The C tests (`tests/c/test_api.c`) against the Windows build of license-ffi, run under
//! Wine: built with mingw-w64 (`x86_64-w64-mingw32-gcc`, warnings as errors) and linked
//! with the DLL's import library, so the Windows code of the library runs for real: its
//! file paths (drive letters, `\` and `/`), state-file writes, the Windows fingerprint
//! collectors and winsock for the seat client.
//!
//! Ignored by a plain `cargo test`, since it needs Wine, mingw-w64 and the Windows build,
//! which `ffi/tests/wine.sh` (run by `.ci/run`) makes before running this test with
//! `--ignored`. What Wine cannot show: Wine answers the fingerprint collectors' registry
//! and WMI queries with its own values (MachineGuid of the Wine prefix, no SMBIOS UUID or
//! board serial from real firmware), NTFS ACLs are not enforced, and it is not a real
//! Windows kernel; see ffi/README.md, "Windows and macOS".

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;

/// The Windows build, made by `ffi/tests/wine.sh` (`LIC_WINDOWS_BUILD` overrides it).
fn windows_build() -> PathBuf {
    std::env::var_os("LIC_WINDOWS_BUILD").map_or_else(
        || crate_dir().join("../target/x86_64-pc-windows-gnu/debug"),
        PathBuf::from,
    )
}

#[test]
#[ignore = "needs wine, x86_64-w64-mingw32-gcc and the Windows build: run by ffi/tests/wine.sh (.ci/run)"]
fn c_api_tests_pass_under_wine() {
    let build = windows_build();
    let import_lib = build.join("liblicense_ffi.dll.a");
    let dll = build.join("license_ffi.dll");
    assert!(
        import_lib.is_file() && dll.is_file(),
        "{} has no Windows build of license-ffi: run ffi/tests/wine.sh",
        build.display()
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("dir")).expect("mkdir");
    write_fixtures(dir.path());
    let exe = dir.path().join("test_api.exe");
    let out = Command::new("x86_64-w64-mingw32-gcc")
        .args([
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-DLIC_TEST_HOOKS",
        ])
        .arg("-I")
        .arg(include_dir())
        .arg("-I")
        .arg(dir.path())
        .arg(crate_dir().join("tests/c/test_api.c"))
        .arg(&import_lib)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("x86_64-w64-mingw32-gcc (apt-get install gcc-mingw-w64-x86-64)");
    assert!(
        out.status.success(),
        "mingw build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::copy(&dll, dir.path().join("license_ffi.dll")).expect("copy the DLL beside the test");
    // Wine 8 lacks bcryptprimitives.dll (ProcessPrng, Rust's random source on Windows): a
    // stand-in beside the program, see tests/wine/bcryptprimitives.c.
    let shim = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-shared", "-Wall", "-Wextra", "-Werror", "-O2", "-o"])
        .arg(dir.path().join("bcryptprimitives.dll"))
        .arg(crate_dir().join("tests/wine/bcryptprimitives.c"))
        .arg("-ladvapi32")
        .output()
        .expect("x86_64-w64-mingw32-gcc");
    assert!(
        shim.status.success(),
        "bcryptprimitives.dll stand-in:\n{}",
        String::from_utf8_lossy(&shim.stderr)
    );
    // The scratch directory as a Windows path (Z:\tmp\...), as a Windows program gets it.
    let winpath = Command::new("winepath")
        .arg("-w")
        .arg(dir.path())
        .output()
        .expect("winepath (apt-get install wine wine64)");
    let scratch = String::from_utf8(winpath.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    assert!(scratch.starts_with("Z:\\"), "{scratch}");
    let run = Command::new("wine")
        .arg(&exe)
        .arg(&scratch)
        .env("WINEDEBUG", "err+all")
        .output()
        .expect("wine");
    let stdout = String::from_utf8_lossy(&run.stdout);
    print!("{stdout}");
    assert!(
        run.status.success() && stdout.contains(" passed, 0 failed"),
        "under Wine ({}):\n{stdout}\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    // The state file the tests wrote went through the Windows file API to this directory.
    assert!(dir.path().join("guards.state").is_file());
}
