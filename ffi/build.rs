//! Gives the shared library a SONAME on ELF platforms, so that programs linked against
//! `liblicense_ffi.so` record `liblicense_ffi.so.0` and keep working across compatible
//! updates (the number changes only when the ABI breaks). `install.sh` installs the file
//! under that name with the usual symbolic links.

/// The ABI major version in the SONAME: bump it when a function's signature or a code
/// number changes incompatibly (never for additions).
const ABI_MAJOR: u32 = 0;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "solaris" | "illumos"
    );
    if elf {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,liblicense_ffi.so.{ABI_MAJOR}");
    }
}
