//! The `license-check` binary: fingerprint and verify from a shell.

// The fixtures of license-verify's own tests: one vendor key, one installation.
#[path = "../../license-verify/tests/common/mod.rs"]
mod common;

use std::process::Command;

use common::*;
use license_core::License;

fn license_check() -> Command {
    Command::new(env!("CARGO_BIN_EXE_license-check"))
}

fn key_hex() -> String {
    hex::encode(keys()[0].to_bytes())
}

fn verify(code: &str, at: &str) -> std::process::Output {
    license_check()
        .args([
            "verify",
            code,
            "--product",
            PRODUCT,
            "--licensee",
            LICENSEE,
            "--database",
            DATABASE,
        ])
        .args([
            "--key",
            &key_hex(),
            "--modules",
            "crm,budget,planning,bi",
            "--at",
            at,
        ])
        .args(["--build-date", "2026-06-01"])
        .output()
        .unwrap()
}

#[test]
fn fingerprint_command() {
    let out = license_check()
        .args(["fingerprint", "--product", PRODUCT])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Machine fingerprint: "), "{text}");
    assert!(
        text.contains("OS install id") && text.contains("network adapters"),
        "{text}"
    );
}

#[test]
fn verify_command_exit_codes() {
    let code = issue(&subscription());
    let ok = verify(&code, "2026-03-01");
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let text = String::from_utf8(ok.stdout).unwrap();
    assert!(
        text.contains("crm, budget, bi") && text.contains("Status:           valid"),
        "{text}"
    );

    // Genuine but expired: exit 3, the status in words.
    let no_demo = issue(&License {
        demo_seats: 0,
        ..subscription()
    });
    let expired = verify(&no_demo, "2027-03-01");
    assert_eq!(expired.status.code(), Some(3));
    assert!(
        String::from_utf8(expired.stdout)
            .unwrap()
            .contains("expired on 2027-01-15")
    );

    // Refused: exit 1 and one line naming the cause.
    let mut typo: Vec<char> = code.chars().collect();
    typo[1] = if typo[1] == 'X' { 'Y' } else { 'X' };
    let refused = verify(&typo.into_iter().collect::<String>(), "2026-03-01");
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8(refused.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: typo in group 1"), "{err}");

    // A bad key on the command line: exit 2 (wrong command line), saying why.
    let bad = license_check()
        .args([
            "verify",
            &code,
            "--product",
            PRODUCT,
            "--licensee",
            LICENSEE,
            "--key",
            "abcd",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("64 hex digits"));
    let not_hex = "g".repeat(64);
    let bad = license_check()
        .args([
            "verify",
            &code,
            "--product",
            PRODUCT,
            "--licensee",
            LICENSEE,
            "--key",
            &not_hex,
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8(bad.stderr)
            .unwrap()
            .contains("hex digits 0-9, a-f")
    );
}

#[test]
fn verify_command_reads_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("license.txt");
    std::fs::write(&path, issue(&subscription())).unwrap();
    let out = license_check()
        .args([
            "verify",
            "--file",
            path.to_str().unwrap(),
            "--product",
            PRODUCT,
            "--licensee",
            LICENSEE,
        ])
        .args(["--database", DATABASE, "--key", &key_hex(), "--at", "2026-03-01"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("module 0, module 1, module 3")
    );
}

/// Runs `license-check` with its stdout a pipe whose reader has already gone (as in
/// `license-check fingerprint ... | head -1` once `head` has its line).
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    license_check()
        .args(args)
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let out = with_closed_stdout(&["fingerprint", "--product", PRODUCT]);
    assert_eq!(
        (out.status.code(), String::from_utf8_lossy(&out.stderr).as_ref()),
        (Some(0), "")
    );
    // The verdict's exit status stays when the output is cut short.
    let code = issue(&subscription());
    let key = key_hex();
    let args = [
        "verify",
        &code,
        "--product",
        PRODUCT,
        "--licensee",
        LICENSEE,
        "--database",
        DATABASE,
        "--key",
        &key,
        "--at",
    ];
    for (at, status) in [("2026-03-01", 0), ("2027-03-01", 3)] {
        let no_demo = issue(&License {
            demo_seats: 0,
            ..subscription()
        });
        let mut args = args.to_vec();
        if status == 3 {
            args[1] = &no_demo;
        }
        args.extend([at, "--build-date", "2026-06-01"]);
        let out = with_closed_stdout(&args);
        assert_eq!(
            (out.status.code(), String::from_utf8_lossy(&out.stderr).as_ref()),
            (Some(status), "")
        );
    }
}
