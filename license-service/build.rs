//! Tests that need a service run only where it is there, and are reported as ignored (with
//! the reason) elsewhere, never as passed: `cfg(has_pg)` when `LICENSE_TEST_PG` names a
//! database (`.ci/run` sets it), and the tests carry
//! `#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]`;
//! `cfg(has_smtpd)` when Debian's `python3-aiosmtpd` is importable by `/usr/bin/python3`
//! (the end-to-end tests' SMTP server, test-receivers' `smtpd.py`; the path is
//! passed to the tests as `SERVICE_TEST_PYTHON`); `cfg(has_chromium)` when `chromium` and
//! `chromedriver` are on `PATH` (the portal's browser tests); `cfg(has_curl)` when `curl`,
//! `jq` and `bash` are (docs/SERVICE.md's curl examples, `tests/docs_examples.rs`).

use std::process::{Command, Stdio};

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
}

fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_pg)");
    println!("cargo::rustc-check-cfg=cfg(has_smtpd)");
    println!("cargo::rustc-check-cfg=cfg(has_chromium)");
    println!("cargo::rustc-check-cfg=cfg(has_curl)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LICENSE_TEST_PG");
    println!("cargo:rerun-if-env-changed=PATH");
    println!("cargo:rerun-if-changed=/usr/lib/python3/dist-packages/aiosmtpd");
    if std::env::var_os("LICENSE_TEST_PG").is_some_and(|v| !v.is_empty()) {
        println!("cargo:rustc-cfg=has_pg");
    }
    let python = "/usr/bin/python3";
    let smtpd = Command::new(python)
        .args(["-c", "import aiosmtpd.controller"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if smtpd {
        println!("cargo:rustc-cfg=has_smtpd");
    }
    println!("cargo:rustc-env=SERVICE_TEST_PYTHON={python}");
    if on_path("chromium") && on_path("chromedriver") {
        println!("cargo:rustc-cfg=has_chromium");
    }
    if on_path("curl") && on_path("jq") && on_path("bash") {
        println!("cargo:rustc-cfg=has_curl");
    }
}
