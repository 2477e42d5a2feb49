//! The admin commands of the `license-server` binary against a running server.

mod common;

use std::process::Command;

use common::{Options, start_on};

fn run(args: &[&str], s: &common::TestServer) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_license-server"))
        .args(args)
        .args(["--server", &s.base, "--data"])
        .arg(&s.data)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn status_holders_release_audit() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(3)).unwrap();
    s.client("ws-1").acquire(None).unwrap();
    s.client("laptop").borrow(1).unwrap();

    let (code, out, err) = run(&["status"], &s);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 of 3 seats in use (1 borrowed), peak 2"), "{out}");
    assert!(out.contains(&hex::encode(s.server_key)));

    let (code, out, _) = run(&["holders"], &s);
    assert_eq!(code, 0);
    assert!(out.starts_with("2 holders"), "{out}");
    assert!(
        out.contains("ws-1\tuser user-of-ws-1\tmachine ws-1.acme.lan") && out.contains("borrowed"),
        "{out}"
    );

    let (code, out, _) = run(&["release", "ws-1"], &s);
    assert_eq!(code, 0);
    assert!(out.contains("released ws-1; 1 seats in use"), "{out}");
    let (code, out, _) = run(&["release", "ws-1"], &s);
    assert_eq!(code, 0);
    assert!(out.contains("ws-1 held no seat"), "{out}");

    let (code, out, _) = run(&["audit", "--limit", "10"], &s);
    assert_eq!(code, 0);
    let kinds: Vec<&str> = out.lines().map(|l| l.split('\t').nth(1).unwrap()).collect();
    assert_eq!(kinds, ["force-release", "borrow", "grant"], "{out}");

    let (code, out, _) = run(&["holders", "--json"], &s);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["holder"], "laptop");

    // A wrong token: refused, exit 1.
    let bad = dir.path().join("bad.token");
    std::fs::write(&bad, "this-is-not-the-admin-token").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_license-server"))
        .args(["status", "--server", &s.base, "--token-file"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("admin token is wrong"));
}
