//! Test configuration from the machine: `has_pg` when LICENSE_TEST_PG names a PostgreSQL
//! database, `has_chromium` when chromium and chromedriver are on PATH. Tests that need a
//! missing service are then reported as ignored, never as passed.

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
}

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_pg)");
    println!("cargo::rustc-check-cfg=cfg(has_chromium)");
    println!("cargo:rerun-if-env-changed=LICENSE_TEST_PG");
    println!("cargo:rerun-if-env-changed=PATH");
    if std::env::var_os("LICENSE_TEST_PG").is_some() {
        println!("cargo:rustc-cfg=has_pg");
    }
    if on_path("chromium") && on_path("chromedriver") {
        println!("cargo:rustc-cfg=has_chromium");
    }
}
