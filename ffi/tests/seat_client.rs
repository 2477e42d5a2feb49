//! The C seat client: the example `examples/seat_client.c` compiled with warnings as errors
//! against the static library and run against a real seat server on loopback.

mod common;

// The seat server's test fixtures: a license code and a server in-process on loopback.
#[path = "../../license-server/tests/common/mod.rs"]
mod server;

use std::path::Path;

use common::{Lang, build, crate_dir, include_dir, run};

#[test]
fn the_seat_client_example_takes_renews_and_releases_a_seat() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exe = dir.path().join("seat_client");
    build(
        Lang::C,
        &[crate_dir().join("examples/seat_client.c")],
        &[&include_dir()],
        &exe,
        &[],
    );
    let s = server::start_on(&dir.path().join("data"), &server::Options::seats(2)).expect("server");
    let key = hex::encode(s.server_key);
    let out = run(
        &exe,
        &[Path::new(&s.base), Path::new(&key), Path::new("ws-17")],
        &[],
        &[],
    );
    assert!(
        out.contains("Seat taken for ws-17: 1 of 2 in use, ttl 120 s"),
        "{out}"
    );
    assert!(out.contains("Heartbeat: renewed"), "{out}");
    assert!(out.contains("Lease token: "), "{out}");
    assert!(out.contains("Seat released: yes"), "{out}");
    let audit = s.admin().audit(10).expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.kind == "grant" && e.machine == "ws-17.acme.lan" && e.user == "anna")
    );

    // With another server key the lease is refused: the program fails with the message.
    let other = hex::encode([0x5a; 32]);
    let status = std::process::Command::new(&exe)
        .args([&s.base, &other, "ws-18"])
        .output()
        .expect("run");
    assert_eq!(status.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&status.stderr).contains("did not license"));
}

/// Failover in C (`lic_seat_client_add_server`): `tests/c/seat_failover.c`, compiled with
/// warnings as errors, is given a server that is down (a port bound but not listening, so
/// connections are refused) and then a real server; it takes, renews and returns a seat
/// through the second.
#[test]
fn the_c_client_fails_over_to_the_second_server_when_the_first_is_down() {
    let dir = tempfile::tempdir().expect("tempdir");
    let exe = dir.path().join("seat_failover");
    build(
        Lang::C,
        &[crate_dir().join("tests/c/seat_failover.c")],
        &[&include_dir()],
        &exe,
        &[],
    );
    let s = server::start_on(&dir.path().join("data"), &server::Options::seats(2)).expect("server");
    let key = hex::encode(s.server_key);
    // Bound, never listening: the address of a server that is down, kept by this test so
    // that nothing else takes the port.
    let down_socket = tokio::net::TcpSocket::new_v4().expect("socket");
    down_socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let down = format!("http://{}", down_socket.local_addr().expect("bound address"));
    let out = run(
        &exe,
        &[
            Path::new(&down),
            Path::new(&s.base),
            Path::new(&key),
            Path::new("ws-21"),
        ],
        &[],
        &[],
    );
    assert!(
        out.contains("failover: ") && out.contains(" passed, 0 failed"),
        "{out}"
    );
    let audit = s.admin().audit(20).expect("audit");
    let grants = audit
        .iter()
        .filter(|e| e.kind == "grant" && e.holder == "ws-21")
        .count();
    assert_eq!(
        grants, 2,
        "both clients took their seat from the second server: {audit:?}"
    );
    assert_eq!(s.admin().status().expect("status").in_use, 0);
}

/// The two codes only a running server gives: a refusal, and an answer that is not the API.
#[test]
fn server_refusals_and_foreign_answers_have_their_codes() {
    use license_ffi::{
        lic_result, lic_seat_client, lic_seat_client_borrow, lic_seat_client_free, lic_seat_client_new,
        lic_seat_lease,
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let s = server::start_on(&dir.path().join("data"), &server::Options::seats(2)).expect("server");
    let new = |url: &str| {
        let mut c: *mut lic_seat_client = std::ptr::null_mut();
        let (p, h) = (server::PRODUCT, "ws-1");
        // SAFETY: live buffers of the given lengths, a writable out-pointer.
        let r = unsafe {
            lic_seat_client_new(
                url.as_ptr().cast(),
                url.len(),
                p.as_ptr().cast(),
                p.len(),
                h.as_ptr().cast(),
                h.len(),
                s.server_key.as_ptr(),
                32,
                &mut c,
            )
        };
        assert_eq!(r, lic_result::Ok);
        c
    };
    let mut lease = std::mem::MaybeUninit::<lic_seat_lease>::uninit();
    let c = new(&s.base);
    // SAFETY: a live handle and a writable lease.
    let r = unsafe { lic_seat_client_borrow(c, 400, lease.as_mut_ptr()) };
    assert_eq!(
        r,
        lic_result::SeatServerRefused,
        "a borrow beyond the server's bound"
    );
    // SAFETY: freed once.
    unsafe { lic_seat_client_free(c) };
    // A base URL whose API paths land on a web server that answers something else (the
    // seat server answers every error as JSON, so a foreign answer comes from elsewhere).
    let foreign = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let foreign_url = format!("http://{}", foreign.local_addr().expect("addr"));
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        if let Some(Ok(mut conn)) = foreign.incoming().next() {
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let page = "<html>not a seat server</html>";
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    let c = new(&foreign_url);
    // SAFETY: as above.
    let r = unsafe { lic_seat_client_borrow(c, 1, lease.as_mut_ptr()) };
    assert_eq!(r, lic_result::SeatServerBadResponse);
    // SAFETY: freed once.
    unsafe { lic_seat_client_free(c) };
}

/// The preferred client: the seat server taken from the vendor's verified code.
#[test]
fn a_client_for_a_verified_license_accepts_only_the_server_it_names() {
    use license_ffi::*;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let s = server::start_on(&data, &server::Options::seats(2)).expect("server");
    let (p, lic, db) = (server::PRODUCT, server::LICENSEE, server::DATABASE);
    let vendor = server::vendor().verifying_key().to_bytes();
    let (y, m, d) = server::today().ymd();
    let mut config: *mut lic_verifier_config = std::ptr::null_mut();
    let mut verifier: *mut lic_verifier = std::ptr::null_mut();
    let mut license: *mut lic_license = std::ptr::null_mut();
    let path = data.join("license.txt").to_string_lossy().into_owned();
    // SAFETY: live buffers of the given lengths and writable out-pointers throughout.
    unsafe {
        let date = lic_date {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(
            lic_verifier_config_new(p.as_ptr().cast(), p.len(), date, &mut config),
            lic_result::Ok
        );
        assert_eq!(
            lic_verifier_config_add_key(config, vendor.as_ptr(), 32),
            lic_result::Ok
        );
        assert_eq!(
            lic_verifier_config_set_licensee(config, lic.as_ptr().cast(), lic.len()),
            lic_result::Ok
        );
        assert_eq!(
            lic_verifier_config_set_database(config, db.as_ptr().cast(), db.len()),
            lic_result::Ok
        );
        assert_eq!(lic_verifier_new(config, &mut verifier), lic_result::Ok);
        assert_eq!(
            lic_verifier_verify_file(verifier, path.as_ptr().cast(), path.len(), &mut license),
            lic_result::Ok
        );
    }
    let client_for = |url: &str| {
        let mut c: *mut lic_seat_client = std::ptr::null_mut();
        let h = "ws-1";
        // SAFETY: as above.
        let r = unsafe {
            lic_seat_client_new_for_license(
                url.as_ptr().cast(),
                url.len(),
                p.as_ptr().cast(),
                p.len(),
                h.as_ptr().cast(),
                h.len(),
                license,
                &mut c,
            )
        };
        assert_eq!(r, lic_result::Ok);
        c
    };
    let mut lease = std::mem::MaybeUninit::<lic_seat_lease>::uninit();
    let c = client_for(&s.base);
    // SAFETY: a live handle, a writable lease, freed once.
    unsafe {
        assert_eq!(lic_seat_client_acquire(c, 0, lease.as_mut_ptr()), lic_result::Ok);
        assert_eq!(lease.assume_init().in_use, 1);
        lic_seat_client_free(c);
    }
    // A server the code does not name (allowed to serve an unbound code): refused.
    let mut o = server::Options::seats(2);
    o.seat_server = server::SeatBinding::Unbound;
    o.allow_unbound = true;
    let rogue = server::start_on(&dir.path().join("rogue"), &o).expect("server");
    let c = client_for(&rogue.base);
    // SAFETY: as above.
    unsafe {
        assert_eq!(
            lic_seat_client_acquire(c, 0, lease.as_mut_ptr()),
            lic_result::SeatServerUnlicensed
        );
        lic_seat_client_free(c);
        lic_license_free(license);
        lic_verifier_free(verifier);
        lic_verifier_config_free(config);
    }
}

/// The holder proof in C: a client keeps its holder key and lease in a lease file, so a
/// restarted program renews and returns its seat; a client with another key (a lost file)
/// cannot take it back (docs/SERVER.md, "The holder proof").
#[test]
fn a_lease_file_carries_the_holder_key_across_a_restart() {
    use license_ffi::{
        lic_result, lic_seat_client, lic_seat_client_acquire, lic_seat_client_free,
        lic_seat_client_heartbeat, lic_seat_client_new, lic_seat_client_release,
        lic_seat_client_set_lease_file, lic_seat_lease,
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let s = server::start_on(&dir.path().join("data"), &server::Options::seats(1)).expect("server");
    let file = dir.path().join("ws-1.lease");
    let file_text = file.to_str().expect("utf-8 path");
    let new = |with_file: bool| {
        let mut c: *mut lic_seat_client = std::ptr::null_mut();
        let (p, h) = (server::PRODUCT, "ws-1");
        // SAFETY: live buffers of the given lengths, a writable out-pointer.
        let r = unsafe {
            lic_seat_client_new(
                s.base.as_ptr().cast(),
                s.base.len(),
                p.as_ptr().cast(),
                p.len(),
                h.as_ptr().cast(),
                h.len(),
                s.server_key.as_ptr(),
                32,
                &mut c,
            )
        };
        assert_eq!(r, lic_result::Ok);
        if with_file {
            // SAFETY: a live handle used by this thread only, the path's bytes.
            let r = unsafe { lic_seat_client_set_lease_file(c, file_text.as_ptr().cast(), file_text.len()) };
            assert_eq!(r, lic_result::Ok);
        }
        c
    };
    let mut lease = std::mem::MaybeUninit::<lic_seat_lease>::uninit();
    let first = new(true);
    // SAFETY: a live handle and a writable lease.
    let r = unsafe { lic_seat_client_acquire(first, 0, lease.as_mut_ptr()) };
    assert_eq!(r, lic_result::Ok);
    // SAFETY: freed once (the program ends without releasing).
    unsafe { lic_seat_client_free(first) };
    // Another key (the file lost): the seat is not given back to the holder id.
    let stranger = new(false);
    // SAFETY: as above.
    let r = unsafe { lic_seat_client_acquire(stranger, 0, lease.as_mut_ptr()) };
    assert_eq!(r, lic_result::SeatServerRefused);
    // SAFETY: freed once.
    unsafe { lic_seat_client_free(stranger) };
    // The restarted program, with its lease file: renews and returns the seat.
    let again = new(true);
    // SAFETY: as above.
    let r = unsafe { lic_seat_client_heartbeat(again, lease.as_mut_ptr()) };
    assert_eq!(r, lic_result::Ok);
    let mut removed = false;
    // SAFETY: a live handle and a writable bool.
    let r = unsafe { lic_seat_client_release(again, &mut removed) };
    assert_eq!(r, lic_result::Ok);
    assert!(removed);
    // SAFETY: freed once.
    unsafe { lic_seat_client_free(again) };
    assert_eq!(s.admin().status().expect("status").in_use, 0);
}
