//! The seat server's attack checks, repeated on the licensing service's own server (the
//! bounded acceptor of `http-guard`, as the binary serves): a connection that sends half a
//! request head and then nothing is closed at the header timeout, an idle kept-alive one at
//! the idle timeout, and one address holding many sockets loses its oldest, so another
//! client still gets in. (Cross-origin posts, a cookie replayed after logout and login
//! brute force are in tests/accounts.rs.)

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Service;
use http_guard::conn::ConnLimits;

fn limits() -> ConnLimits {
    ConnLimits {
        max_total: 6,
        max_per_client: 4,
        header_read_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(2),
    }
}

/// Seconds until the server closes `s` (reads until EOF or an error, at most 10 s).
fn closed_after(s: &mut TcpStream) -> f64 {
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return start.elapsed().as_secs_f64(),
            Ok(_) => {}
        }
        if start.elapsed() > Duration::from_secs(10) {
            return 10.0;
        }
    }
}

#[test]
fn half_a_head_and_idle_connections_are_closed_at_their_deadlines() {
    let svc = Service::bounded(limits());
    let mut slow = TcpStream::connect(svc.addr).unwrap();
    slow.write_all(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: ")
        .unwrap();
    let t = closed_after(&mut slow);
    assert!(t < 4.0, "half a head held the connection {t} s");

    let mut idle = TcpStream::connect(svc.addr).unwrap();
    let t = closed_after(&mut idle);
    assert!(t < 5.0, "an idle connection stayed {t} s");
}

#[test]
fn one_address_holding_many_sockets_does_not_lock_out_a_client() {
    let svc = Service::bounded(limits());
    let held: Vec<TcpStream> = (0..10).map(|_| TcpStream::connect(svc.addr).unwrap()).collect();
    // A request still gets through and is answered (the newest connection gets a slot).
    let mut c = svc.client();
    let (status, doc) = c.get("/api/v1/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    drop(held);
}

#[test]
fn the_openapi_document_names_every_route_with_its_security() {
    let svc = Service::sqlite();
    let (status, doc) = svc.client().get("/api/v1/openapi.json");
    assert_eq!(status, 200);
    for r in license_service::routes::<license_service::issuers::Locked<license_issue::FileLedger>>() {
        let op = &doc["paths"][r.path][r.method.as_str().to_ascii_lowercase()];
        assert!(op.is_object(), "{} is missing from the document", r.name());
    }
    let create = &doc["paths"]["/api/v1/licenses"]["post"];
    assert!(create["security"].to_string().contains("orders"), "{create}");
    assert!(doc["paths"]["/api/v1/login"]["post"]["security"].is_null());
}
