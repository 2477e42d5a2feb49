//! `licensectl verify` answers every case of the shared table (verify-cli's
//! tests/common/cases.rs) with the same exit code and JSON as `license-check verify`.

#[path = "../../verify-cli/tests/common/cases.rs"]
mod cases;

use std::path::Path;
use std::process::Command;

fn licensectl(home: &Path, json: bool, date: &str, args: &[String]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_licensectl"));
    c.env_remove("LICENSECTL_HOME")
        .env_remove("LICENSECTL_CATALOG")
        .env_remove("LICENSECTL_DATE")
        .arg("--home")
        .arg(home);
    if json {
        c.arg("--json");
    }
    c.args(["--date", date, "verify"]).args(args).output().unwrap()
}

#[test]
fn every_status_and_refusal_exit_code_and_json() {
    let dir = tempfile::tempdir().unwrap();
    // An empty licensing directory: no key ring, no catalog, as on a support desk's laptop.
    let home = dir.path().join("licensing");
    for c in cases::cases(dir.path()) {
        cases::prepare(&c);
        let out = licensectl(&home, true, c.date, &c.args);
        assert_eq!(out.status.code(), Some(i32::from(c.exit)), "{}: {out:?}", c.name);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["usable"], c.exit == 0, "{}", c.name);
        match (c.status, c.error) {
            (Some(word), _) => assert_eq!(v["status"], word, "{}: {v}", c.name),
            (_, Some(kind)) => assert_eq!(v["errors"][0]["kind"], kind, "{}: {v}", c.name),
            _ => unreachable!(),
        }
        let text = licensectl(&home, false, c.date, &c.args);
        assert_eq!(text.status.code(), Some(i32::from(c.exit)), "{}", c.name);
    }
}
