//! `license-check seat ...` against a real seat server on loopback.

// The seat server's own test fixtures: a vendor key, a license code, a server in-process.
#[path = "../../license-server/tests/common/mod.rs"]
mod server;

use std::process::Command;

fn seat(
    cmd: &str,
    s: &server::TestServer,
    holder: &str,
    lease: &std::path::Path,
    extra: &[&str],
) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_license-check"))
        .args([
            "seat",
            cmd,
            "--server",
            &s.base,
            "--holder",
            holder,
            "--product",
            server::PRODUCT,
        ])
        .args([
            "--server-key",
            &hex::encode(s.server_key),
            "--machine",
            "ws.acme.lan",
            "--lease-file",
        ])
        .arg(lease)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn acquire_heartbeat_status_release_from_a_shell() {
    let dir = tempfile::tempdir().unwrap();
    let s = server::start_on(&dir.path().join("data"), &server::Options::seats(1)).unwrap();
    let lease = dir.path().join("a.lease");
    let (code, out, err) = seat("acquire", &s, "ws-a", &lease, &["--ttl", "60"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("seat held by ws-a until ") && out.contains("(1 of 1 seats in use)"),
        "{out}"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&lease).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let other = dir.path().join("b.lease");
    let (code, _, err) = seat("acquire", &s, "ws-b", &other, &[]);
    assert_eq!(code, 1);
    assert!(err.contains("all 1 licensed seats are in use"), "{err}");

    let (code, out, _) = seat("heartbeat", &s, "ws-a", &lease, &[]);
    assert_eq!(code, 0);
    assert!(out.starts_with("seat held by ws-a"), "{out}");
    let (code, out, _) = seat("status", &s, "ws-a", &lease, &[]);
    assert_eq!(code, 0);
    assert!(
        out.contains("cad: 1 of 1 seats in use, peak 1") && out.contains("lease runs until"),
        "{out}"
    );

    // Another holder cannot use this holder's lease file.
    let (code, _, err) = seat("heartbeat", &s, "ws-b", &lease, &[]);
    assert_eq!(code, 1);
    assert!(err.contains("not \"ws-b\""), "{err}");
    // A wrong server key: the lease (this holder's own, re-claimed) is refused.
    let out = Command::new(env!("CARGO_BIN_EXE_license-check"))
        .args([
            "seat",
            "acquire",
            "--server",
            &s.base,
            "--holder",
            "ws-a",
            "--product",
            server::PRODUCT,
        ])
        .args([
            "--server-key",
            &hex::encode(server::vendor().verifying_key().to_bytes()),
        ])
        .args(["--machine", "ws.acme.lan", "--lease-file"])
        .arg(dir.path().join("c.lease"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not license"));

    let (code, out, _) = seat("release", &s, "ws-a", &lease, &[]);
    assert_eq!(code, 0);
    assert!(out.contains("seat of ws-a released"), "{out}");
    assert!(!lease.exists());
    let (code, _, _) = seat("acquire", &s, "ws-b", &other, &[]);
    assert_eq!(code, 0);
}

#[test]
fn an_unreachable_server_keeps_the_seat_and_says_until_when() {
    let dir = tempfile::tempdir().unwrap();
    let s = server::start_on(&dir.path().join("data"), &server::Options::seats(1)).unwrap();
    let lease = dir.path().join("a.lease");
    assert_eq!(seat("acquire", &s, "ws-a", &lease, &["--borrow-days", "2"]).0, 0);
    let (base, key) = (s.base.clone(), s.server_key);
    s.stop();
    let out = Command::new(env!("CARGO_BIN_EXE_license-check"))
        .args([
            "seat",
            "heartbeat",
            "--server",
            &base,
            "--holder",
            "ws-a",
            "--product",
            server::PRODUCT,
        ])
        .args(["--server-key", &hex::encode(key), "--lease-file"])
        .arg(&lease)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("server unreachable") && text.contains("the seat is kept until"),
        "{text}"
    );
}

/// The seat server the vendor's code names is the one accepted: `--license` instead of a
/// pinned `--server-key`.
#[test]
fn the_server_the_vendors_code_names_is_accepted_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let a = server::start_on(&dir.path().join("a"), &server::Options::seats(2)).unwrap();
    let b = server::start_on(&dir.path().join("b"), &server::Options::seats(2)).unwrap();
    let run = |s: &server::TestServer, license: &std::path::Path, lease: &str, extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_license-check"))
            .args(["seat", "acquire", "--server", &s.base, "--holder", "ws-a"])
            .args(["--product", server::PRODUCT, "--license"])
            .arg(license)
            .args(["--licensee", server::LICENSEE, "--database", server::DATABASE])
            .args(extra)
            .arg("--lease-file")
            .arg(dir.path().join(lease))
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let vendor = server::vendor_hex();
    let a_code = a.data.join("license.txt");
    let (code, out, err) = run(&a, &a_code, "1.lease", &["--key", &vendor]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("seat held by ws-a"), "{out}");
    // Server B holds its own license, but A's code names A's key: B's leases are refused.
    let (code, _, err) = run(&b, &a_code, "2.lease", &["--key", &vendor]);
    assert_eq!(code, 1);
    assert!(err.contains("did not license"), "{err}");
    // The code itself is verified first: another vendor key refuses it.
    let stranger = "11".repeat(32);
    let (code, _, err) = run(&a, &a_code, "3.lease", &["--key", &stranger]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("license code"), "{err}");
    // --license without --key is a wrong command line.
    let (code, _, _) = run(&a, &a_code, "4.lease", &[]);
    assert_eq!(code, 2);
}

/// `license-check seat status` asks the server: 0 while it holds this holder's lease, 1 when
/// it does not (freed by an administrator, or no lease file), 3 when it cannot be reached.
#[test]
fn seat_status_exit_codes_follow_what_the_server_says() {
    let dir = tempfile::tempdir().unwrap();
    let s = server::start_on(&dir.path().join("data"), &server::Options::seats(2)).unwrap();
    let lease = dir.path().join("a.lease");
    let (code, out, _) = seat("status", &s, "ws-a", &lease, &[]);
    assert_eq!(code, 1, "no lease file: {out}");
    assert!(out.contains("ws-a holds no seat (no lease file)"), "{out}");

    assert_eq!(seat("acquire", &s, "ws-a", &lease, &["--ttl", "60"]).0, 0);
    let (code, out, _) = seat("status", &s, "ws-a", &lease, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("this holder's seat is held"), "{out}");

    // Freed by an administrator: the token in the lease file is still valid offline, but
    // the server no longer holds the lease.
    s.admin().release("ws-a").unwrap();
    let (code, out, _) = seat("status", &s, "ws-a", &lease, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the server no longer holds its lease"), "{out}");

    assert_eq!(seat("acquire", &s, "ws-a", &lease, &["--ttl", "60"]).0, 0);
    let (base, key) = (s.base.clone(), s.server_key);
    s.stop();
    let out = Command::new(env!("CARGO_BIN_EXE_license-check"))
        .args(["seat", "status", "--server", &base, "--holder", "ws-a"])
        .args(["--product", server::PRODUCT, "--server-key", &hex::encode(key)])
        .args(["--machine", "ws.acme.lan", "--lease-file"])
        .arg(&lease)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
}

/// A client that refuses the server's key gives back the seat it was just granted, instead
/// of leaving it held until the TTL.
#[test]
fn a_client_refusing_the_servers_key_gives_the_new_seat_back() {
    let dir = tempfile::tempdir().unwrap();
    let s = server::start_on(&dir.path().join("data"), &server::Options::seats(1)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_license-check"))
        .args(["seat", "acquire", "--server", &s.base, "--holder", "ws-x"])
        .args(["--product", server::PRODUCT])
        .args(["--server-key", &hex::encode([9u8; 32])])
        .args(["--machine", "ws.acme.lan", "--lease-file"])
        .arg(dir.path().join("x.lease"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        s.admin().status().unwrap().in_use,
        0,
        "the refused seat was given back"
    );
    let lease = dir.path().join("b.lease");
    assert_eq!(
        seat("acquire", &s, "ws-b", &lease, &[]).0,
        0,
        "the one seat is free"
    );
}
