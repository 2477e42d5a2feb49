//! The seat server's attack checks, repeated on the licensing service's own server (the
//! bounded acceptor of `http-guard`, as the binary serves): a connection that sends half a
//! request head and then nothing is closed at the header timeout, an idle kept-alive one at
//! the idle timeout, and one address holding many sockets loses its oldest, so another
//! client still gets in, even to log in. Per-account and per-address rate limits. A
//! cross-origin post registering a webhook is refused. (Cross-origin posts in general, a
//! cookie replayed after logout and login brute force are in tests/accounts.rs:
//! `sessions_rotate_at_login_end_at_logout_and_need_csrf_and_the_own_origin`,
//! `login_brute_force_is_throttled_per_account_and_per_address`.)

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Options, Service};
use http_guard::conn::ConnLimits;
use http_guard::rate::RateLimiter;
use license_service::rights::Rights;
use serde_json::json;

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

/// A connection to `to` from the loopback address `from`.
fn connect_from(from: [u8; 4], to: std::net::SocketAddr) -> TcpStream {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let s = rt.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(std::net::SocketAddr::from((from, 0))).unwrap();
        socket.connect(to).await.unwrap().into_std().unwrap()
    });
    s.set_nonblocking(false).unwrap();
    s
}

#[test]
fn many_idle_sockets_do_not_keep_a_real_client_from_logging_in() {
    let svc = Service::bounded(limits());
    let company = svc
        .store
        .create_org(license_service::rights::OrgKind::Company, "ACME Corp", "")
        .unwrap();
    svc.user(company, "ca@acme.test", true, &Rights::default());
    // Twenty idle sockets (more than the total bound), some with half a head, from two
    // other addresses than the client's, twelve from 127.0.0.2 and eight from 127.0.0.3
    // (a client that shares its address with the attacker shares its bound; with more
    // attacking addresses than the total bound, each holding one, fairness has nothing to
    // take back: the defaults are 512 in all, 16 per address).
    let mut held: Vec<TcpStream> = (0..20u8)
        .map(|i| connect_from([127, 0, 0, if i < 12 { 2 } else { 3 }], svc.addr))
        .collect();
    for s in held.iter_mut().step_by(3) {
        let _ = s.write_all(b"POST /api/v1/login HTTP/1.1\r\nHost: ");
    }
    // A real client logs in and uses its session meanwhile.
    let mut c = svc.login("ca@acme.test", "");
    let (status, me) = c.get("/api/v1/me");
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["role"], "customer_admin");
    drop(held);
}

#[test]
fn a_cross_origin_post_cannot_register_a_webhook() {
    let svc = Service::sqlite();
    let (_, secret) = svc.user(svc.vendor_org, "va@vendor.test", true, &Rights::default());
    let mut va = svc.login("va@vendor.test", &secret);
    let (status, err) = va.post_with(
        "/api/v1/webhooks",
        &[("Origin", "https://evil.example")],
        &json!({"url": "https://collector.evil.example/"}),
    );
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("cross_origin")),
        "{err}"
    );
    // Without the session's CSRF token, even from the own origin: refused.
    va.csrf = None;
    let (status, _) = va.post("/api/v1/webhooks", &json!({"url": "https://erp.example/"}));
    assert_eq!(status, 403);
    assert_eq!(svc.outbox.endpoints(None).unwrap().len(), 0);
}

#[test]
fn requests_are_rate_limited_per_account_and_per_address() {
    let mut options = Options::default();
    options.settings.rate_per_account = std::sync::Arc::new(RateLimiter::new(5, Duration::from_secs(60)));
    options.settings.rate_per_address = std::sync::Arc::new(RateLimiter::new(12, Duration::from_secs(60)));
    let svc = Service::sqlite_with(options);
    let mut a = svc.token(svc.vendor_org, &["reports"]);
    let mut b = svc.token(svc.vendor_org, &["reports"]);
    for _ in 0..5 {
        assert_eq!(a.get("/api/v1/me").0, 200);
    }
    let r = a.raw("GET", "/api/v1/me", &[], None);
    assert_eq!((r.status, r.kind().as_str()), (429, "rate_limited"), "{}", r.body);
    assert!(r.head.contains("retry-after: "), "{}", r.head);
    assert!(r.body.contains("this account"), "{}", r.body);
    // Another account from the same address still gets its share...
    for _ in 0..5 {
        assert_eq!(b.get("/api/v1/me").0, 200);
    }
    // ...until the address's bound (12) is reached: then even anonymous calls wait.
    assert_eq!(svc.client().get("/api/v1/openapi.json").0, 200);
    let r = svc.client().raw("GET", "/api/v1/openapi.json", &[], None);
    assert_eq!((r.status, r.kind().as_str()), (429, "rate_limited"), "{}", r.body);
    assert!(r.body.contains("this address"), "{}", r.body);
}
