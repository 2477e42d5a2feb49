//! What one tool prints, the next accepts as printed: `licensectl pubkey --format hex`
//! (key id and key, one line per key) is passed unchanged to `license-check verify --key`
//! and to `licensectl verify --public-key`, which verify a code issued with that key.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::*;

/// The `license-check` binary of this workspace, built in the same target directory.
fn license_check() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_licensectl")).with_file_name("license-check");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Up to date after `cargo test --workspace`; built here when only this crate is tested.
    let release = exe
        .parent()
        .and_then(|d| d.file_name())
        .is_some_and(|n| n == "release");
    let status = Command::new(cargo)
        .args(["build", "-q", "-p", "license-check"])
        .args(release.then_some("--release"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run cargo build -p license-check");
    assert!(status.success(), "cargo build -p license-check failed");
    assert!(exe.is_file(), "{} not built", exe.display());
    exe
}

#[test]
fn pubkey_hex_output_is_accepted_by_every_key_option() {
    let env = Env::ready();
    env.run(&["keygen", "--rotate"]).ok();
    let printed = env.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    assert_eq!(
        printed.lines().count(),
        2,
        "two keys after a rotation:\n{printed}"
    );
    let (_, code) = env.issue(&[
        "--licensee",
        "ACME Corp",
        "--kind",
        "subscription",
        "--users",
        "5",
        "--database",
        "DB-JBW44-P5J45-44VPC-YCED6",
    ]);
    let check = |key: &str| {
        Command::new(license_check())
            .args([
                "verify",
                &code,
                "--product",
                "demo-erp",
                "--licensee",
                "ACME Corp",
            ])
            .args([
                "--database",
                "DB-JBW44-P5J45-44VPC-YCED6",
                "--at",
                "2026-11-23",
                "--key",
                key,
            ])
            .output()
            .expect("run license-check")
    };
    // The whole output (both keys), and each line on its own: the current key signed.
    let out = check(&printed);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let current = printed.lines().last().expect("a line");
    assert!(check(current).status.success());
    // The older key alone is a valid key, but did not sign the code.
    let older = check(printed.lines().next().expect("a line"));
    assert_eq!(older.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&older.stderr).contains("key"));
    // An altered id is caught before any verification.
    let mut altered = current.to_owned();
    let flipped = if altered.starts_with('0') { "1" } else { "0" };
    altered.replace_range(0..1, flipped);
    let out = check(&altered);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not its id"));

    // licensectl's own verify takes the same text.
    env.run(&[
        "verify",
        &code,
        "--licensee",
        "ACME Corp",
        "--database",
        "DB-JBW44-P5J45-44VPC-YCED6",
        "--public-key",
        &printed,
    ])
    .ok();
}
