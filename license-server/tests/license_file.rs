//! Attack test (docs/SERVER.md, "What a LAN attacker and a web page can do", finding 4): the
//! license file absent, half written or replaced by a code without a seat count across a
//! re-check revokes nothing and never lets more than the limit be held; a genuinely lower
//! limit takes back only floating leases, newest first, and never a borrowed one.

mod common;

use std::time::{Duration, Instant};

use common::{Options, start_on};
use license_verify::seat_client::SeatError;

/// Wait (bounded) until the license status satisfies `f`.
fn wait_status(s: &common::TestServer, what: &str, f: impl Fn(&str) -> bool) -> String {
    let t = Instant::now();
    loop {
        let st = s.admin().status().unwrap().license_status;
        if f(&st) {
            return st;
        }
        assert!(
            t.elapsed() < Duration::from_secs(15),
            "{what}: status stayed {st:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn revoked(s: &common::TestServer) -> Vec<String> {
    s.admin()
        .audit(1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "revoke")
        .map(|e| e.holder)
        .collect()
}

const KEPT: &str = "could not be read or verified";

#[test]
fn an_unreadable_license_file_at_a_recheck_keeps_the_last_verified_license() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = Options::seats(3);
    o.recheck = Duration::from_secs(1);
    let s = start_on(dir.path(), &o).unwrap();
    s.client("ws-1").acquire(None).unwrap();
    s.client("ws-2").acquire(None).unwrap();
    let laptop = s.client("laptop");
    laptop.borrow(14).unwrap();
    assert_eq!(s.admin().status().unwrap().in_use, 3);
    let file = s.data.join("license.txt");
    let text = std::fs::read_to_string(&file).unwrap();

    let binding = o.license.binding.with_seat_server(&s.server_key);
    let code = |seats: Option<u32>, revision: u32| {
        common::code(&license_verify::license_core::License {
            concurrent_seats: seats,
            revision,
            binding,
            ..o.license
        })
    };
    // Absent (a moment between delete and copy), half written (a non-atomic replace), not
    // a code at all, and a verified code without a seat count: each across re-checks, then
    // a good code again (after the verified revision 2, a revision 3: the verifier refuses
    // going back to an older revision).
    let broken: [(&str, Option<String>, String); 4] = [
        ("absent", None, text.clone()),
        (
            "half written",
            Some(text[..text.len() / 2].to_owned()),
            text.clone(),
        ),
        (
            "not a code",
            Some("license: coming soon\n".to_owned()),
            text.clone(),
        ),
        ("no seat count", Some(code(None, 2)), code(Some(3), 3)),
    ];
    for (what, content, restore) in broken {
        match &content {
            None => std::fs::remove_file(&file).unwrap(),
            Some(c) => std::fs::write(&file, c).unwrap(),
        }
        let st = wait_status(&s, what, |st| st.contains(KEPT));
        assert!(st.starts_with("valid"), "{what}: {st}");
        let status = s.admin().status().unwrap();
        assert_eq!((status.in_use, status.limit), (3, Some(3)), "{what}");
        assert_eq!(
            s.client("ws-4").acquire(None).unwrap_err(),
            SeatError::LimitReached { limit: 3 },
            "{what}: never more than the limit"
        );
        // Restored: the note goes, nothing was revoked.
        std::fs::write(&file, &restore).unwrap();
        wait_status(&s, "restored", |st| !st.contains(KEPT));
        assert_eq!(s.admin().status().unwrap().in_use, 3, "{what}");
        assert!(revoked(&s).is_empty(), "{what}: {:?}", revoked(&s));
    }

    // A genuinely lower limit (a verified code with 2 seats): the newest floating lease
    // goes, the borrowed one stays.
    std::fs::write(&file, code(Some(2), 4)).unwrap();
    let t = Instant::now();
    while s.admin().status().unwrap().limit != Some(2) {
        assert!(
            t.elapsed() < Duration::from_secs(15),
            "the lower code was not applied"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(s.admin().status().unwrap().in_use, 2);
    assert_eq!(revoked(&s), ["ws-2"]);
    // Down to 1: the last floating lease goes; the borrowed seat (valid offline) stays.
    std::fs::write(&file, code(Some(1), 5)).unwrap();
    let t = Instant::now();
    while s.admin().status().unwrap().limit != Some(1) {
        assert!(
            t.elapsed() < Duration::from_secs(15),
            "the lower code was not applied"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let holders: Vec<String> = s
        .admin()
        .holders()
        .unwrap()
        .into_iter()
        .map(|h| h.holder)
        .collect();
    assert_eq!(holders, ["laptop"]);
    assert_eq!(
        s.client("ws-1").acquire(None).unwrap_err(),
        SeatError::LimitReached { limit: 1 }
    );
}

#[test]
fn a_code_without_a_seat_count_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = Options::seats(3);
    o.license.concurrent_seats = None;
    match start_on(dir.path(), &o) {
        Err(e @ license_server::Error::NoSeatCount { .. }) => {
            assert!(e.to_string().contains("--seats"), "{e}")
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("served a code without a seat count"),
    }
}

#[test]
fn the_data_directory_is_0700_and_every_file_in_it_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // An existing directory readable by others is tightened too.
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let s = start_on(&data, &Options::seats(2)).unwrap();
    s.client("ws-1").acquire(None).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // license.txt is the test's own copy of the vendor's code, written by the test.
        if name == "license.txt" {
            continue;
        }
        assert_eq!(mode(&path), 0o600, "{name}");
        seen.push(name);
    }
    seen.sort();
    for f in [
        "admin.token",
        "license.state",
        "seats.sqlite3",
        "seats.sqlite3-wal",
        "server.key",
    ] {
        assert!(seen.iter().any(|n| n == f), "{f} not in {seen:?}");
    }
}
