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

/// Issue 19, item 3: `verify --date D --state-file F` reads the state and writes nothing,
/// so a diagnostic run on a day ahead (or at noon of today) never moves the installation's
/// clock guard; the real run afterwards is not refused. The first real run says "first
/// run" in text and JSON, later runs do not.
#[test]
fn a_given_day_leaves_the_state_file_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let secret = dir.path().join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    let code = issue(&subscription());
    let run = |date: Option<&str>, json: bool| {
        let mut c = license_check();
        c.args(["verify", &code, "--product", PRODUCT, "--licensee", LICENSEE])
            .args(["--database", DATABASE, "--key", &key_hex()])
            .arg("--state-file")
            .arg(&state)
            .arg("--state-secret-file")
            .arg(&secret);
        if let Some(day) = date {
            c.args(["--date", day]);
        }
        if json {
            c.arg("--json");
        }
        let out = c.output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        // Usable or genuine-but-not-usable; a day before the state's time is refused.
        let refused_as_turned_back = out.status.code() == Some(1)
            && String::from_utf8_lossy(&out.stderr).contains("behind a time already seen");
        assert!(
            matches!(out.status.code(), Some(0 | 3)) || refused_as_turned_back,
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    // A diagnostic run before the installation's first real run creates nothing.
    let text = run(Some("2026-03-01"), false);
    assert!(text.contains("FIRST RUN of this installation"), "{text}");
    assert!(text.contains("only read (a day was given with --date)"), "{text}");
    assert!(!state.exists());
    // The first real run: a first run, said in JSON.
    let json: serde_json::Value = serde_json::from_str(&run(None, true)).unwrap();
    assert_eq!(json["first_run"], true, "{json}");
    assert_eq!(json["state_read_only"], false, "{json}");
    let guards = std::fs::read(&state).unwrap();
    // Diagnostics: today, a day years ahead, a day in the past; text and JSON.
    let today = license_core::Date::from_unix_seconds(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    )
    .to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for day in [today.as_str(), "2030-01-01", "2026-03-01"] {
        let json: serde_json::Value = serde_json::from_str(&run(Some(day), true)).unwrap();
        // A day is checked at its noon (UTC): today after noon, like any day in the past, is
        // behind the time the real run just recorded.
        let noon = license_verify::Utc::start_of(license_core::Date::parse(day).unwrap()).0 + 12 * 3600;
        if noon < now {
            // The guards say what they would: this day is behind the installation's clock.
            assert_eq!(json["errors"][0]["kind"], "clock-turned-back", "{json}");
        } else {
            assert_eq!(json["first_run"], false, "{json}");
            assert_eq!(json["state_read_only"], true, "{json}");
        }
        run(Some(day), false);
        assert_eq!(
            std::fs::read(&state).unwrap(),
            guards,
            "--date {day} changed the state file's guard values"
        );
    }
    // The next real run is not refused as "clock behind a time already seen".
    let text = run(None, false);
    assert!(!text.contains("FIRST RUN"), "{text}");
}

/// `fingerprint` as root: what only root can read is left out unless `--as-root` is given,
/// and said so; where nothing root-only was read (not root, or no DMI in a VM or
/// container) both give the same fingerprint. The rule itself is tested on a simulated
/// tree in license-verify's `a_fingerprint_taken_as_root_verifies_for_a_service_user`.
#[test]
fn fingerprint_as_root_leaves_out_what_only_root_reads() {
    let run = |extra: &[&str]| {
        let out = license_check()
            .args(["fingerprint", "--product", PRODUCT])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let default = run(&[]);
    let as_root = run(&["--as-root"]);
    let root_only = |path: &str| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::read(path).is_ok()
            && std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o004 == 0)
    };
    let privileged = ["/sys/class/dmi/id/product_uuid", "/sys/class/dmi/id/board_serial"]
        .into_iter()
        .any(root_only);
    if privileged {
        assert!(
            default.contains("Left out:") && default.contains("--as-root"),
            "{default}"
        );
        assert!(as_root.contains("Read as root and bound"), "{as_root}");
        assert_ne!(default.lines().next(), as_root.lines().next());
    } else {
        assert_eq!(default, as_root);
        assert!(!default.contains("Left out:"), "{default}");
    }
}
