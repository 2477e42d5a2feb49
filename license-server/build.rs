//! Tests that need a service run only where it is there, and are reported as ignored (with
//! the reason) elsewhere, never as passed: `cfg(has_pg)` when `LICENSE_TEST_PG` names a
//! database (`.ci/run` sets it), `cfg(has_chromium)` when `chromium` is on `PATH`.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_pg)");
    println!("cargo::rustc-check-cfg=cfg(has_chromium)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LICENSE_TEST_PG");
    println!("cargo:rerun-if-env-changed=PATH");
    if std::env::var_os("LICENSE_TEST_PG").is_some_and(|v| !v.is_empty()) {
        println!("cargo:rustc-cfg=has_pg");
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    if std::env::split_paths(&path).any(|dir| dir.join("chromium").is_file()) {
        println!("cargo:rustc-cfg=has_chromium");
    }
}
