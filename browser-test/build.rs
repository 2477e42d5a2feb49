//! The crate's own browser tests run only where Chromium is, and are reported as ignored
//! (with the reason) elsewhere: `cfg(has_chromium)` when `chromium` and `chromedriver` are on
//! `PATH`.

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
}

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_chromium)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PATH");
    if on_path("chromium") && on_path("chromedriver") {
        println!("cargo:rustc-cfg=has_chromium");
    }
}
