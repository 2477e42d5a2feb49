//! Tests that need PostgreSQL run only when `LICENSE_TEST_PG` names a database (`.ci/run`
//! sets it): this emits `cfg(has_pg)` then, and the tests carry
//! `#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]`, so without
//! it they are reported as ignored, never as passed.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_pg)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LICENSE_TEST_PG");
    if std::env::var_os("LICENSE_TEST_PG").is_some_and(|v| !v.is_empty()) {
        println!("cargo:rustc-cfg=has_pg");
    }
}
