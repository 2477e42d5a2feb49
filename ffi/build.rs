//! Gives the shared library a SONAME on ELF platforms, so that programs linked against
//! `liblicense_ffi.so` record `liblicense_ffi.so.0` and keep working across compatible
//! updates (the number changes only when the ABI breaks). `install.sh` installs the file
//! under that name with the usual symbolic links.

/// The ABI major version in the SONAME: bump it when a function's signature or a code
/// number changes incompatibly (never for additions).
const ABI_MAJOR: u32 = 0;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    test_cfgs();
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "solaris" | "illumos"
    );
    if elf {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,liblicense_ffi.so.{ABI_MAJOR}");
    }
}

/// Tests that need a program run only where it is there and are reported as ignored (with
/// the reason) elsewhere, never as passed: `cfg(has_cmake)` when `cmake` is on `PATH`.
fn test_cfgs() {
    println!("cargo::rustc-check-cfg=cfg(has_cmake)");
    println!("cargo:rerun-if-env-changed=PATH");
    let path = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&path).any(|dir| dir.join("cmake").is_file()) {
        println!("cargo:rustc-cfg=has_cmake");
    }
}
