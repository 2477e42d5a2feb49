//! `license-check verify` answers every case of the shared table (verify-cli's
//! tests/common/cases.rs) with the exit code and JSON expected; `licensectl verify` runs
//! the same table in its own tests.

#[path = "../../verify-cli/tests/common/cases.rs"]
mod cases;

use std::process::Command;

fn license_check(json: bool, date: &str, args: &[String]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_license-check"));
    if json {
        c.arg("--json");
    }
    c.args(["--date", date, "verify"]).args(args).output().unwrap()
}

#[test]
fn every_status_and_refusal_exit_code_and_json() {
    let dir = tempfile::tempdir().unwrap();
    for c in cases::cases(dir.path()) {
        cases::prepare(&c);
        let out = license_check(true, c.date, &c.args);
        assert_eq!(out.status.code(), Some(i32::from(c.exit)), "{}: {out:?}", c.name);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["usable"], c.exit == 0, "{}", c.name);
        match (c.status, c.error) {
            (Some(word), _) => assert_eq!(v["status"], word, "{}: {v}", c.name),
            (_, Some(kind)) => assert_eq!(v["errors"][0]["kind"], kind, "{}: {v}", c.name),
            _ => unreachable!(),
        }
        let text = license_check(false, c.date, &c.args);
        assert_eq!(text.status.code(), Some(i32::from(c.exit)), "{}", c.name);
    }
}

#[test]
fn a_state_file_without_its_secret_is_a_wrong_command_line() {
    let code = cases::issue(&cases::subscription());
    let mut args = cases::base(&code);
    args.extend(["--state-file".to_owned(), "/tmp/x.state".to_owned()]);
    let out = license_check(true, "2026-03-01", &args);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--state-secret-file"));
}
