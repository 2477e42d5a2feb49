//! The seat server over loopback HTTP: limits, TTL, re-claim, borrowing, demo mode, the
//! admin API's token, malformed requests, restarts.

mod common;

use std::time::Duration;

use common::{Options, TestServer, get_raw, post_raw, start_on};
use license_verify::seat_client::{Heartbeat, SeatError, now_ms};

/// Options with `--accept-unproven-clients`, for the raw requests (without a holder proof)
/// these tests send to see the API's own answers.
fn unproven(mut o: Options) -> Options {
    o.accept_unproven = true;
    o
}

fn start(o: &Options) -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), o).unwrap();
    (dir, s)
}

#[test]
fn limit_plus_one_is_refused_with_the_limit_in_the_message() {
    let (_d, s) = start(&unproven(Options::seats(3)));
    let clients: Vec<_> = (0..4).map(|i| s.client(&format!("ws-{i}"))).collect();
    for (i, c) in clients[..3].iter().enumerate() {
        let l = c.acquire(None).unwrap();
        assert_eq!(l.in_use, i as u32 + 1);
        assert_eq!(l.limit, Some(3));
    }
    let err = clients[3].acquire(None).unwrap_err();
    assert_eq!(err, SeatError::LimitReached { limit: 3 });
    assert!(err.to_string().contains("all 3 licensed seats"), "{err}");
    // The raw answer: 409 with the limit in the message and as a field.
    let (status, body) = post_raw(&s.base, "/v1/leases/acquire", r#"{"holder":"ws-9"}"#);
    assert_eq!(status, 409);
    assert!(
        body.contains("\"limit\":3") && body.contains("all 3 licensed seats"),
        "{body}"
    );
    let audit = s.admin().audit(100).unwrap();
    assert_eq!(audit.iter().filter(|e| e.kind == "refuse").count(), 2);
    assert_eq!(audit.iter().filter(|e| e.kind == "grant").count(), 3);
}

#[test]
fn a_crashed_holder_frees_its_seat_at_the_ttl() {
    let (_d, s) = start(&Options::seats(1));
    let crashed = s.client("crashes");
    let lease = crashed.acquire(Some(1)).unwrap();
    assert_eq!(lease.ttl_secs, 1);
    let other = s.client("waits");
    assert!(matches!(
        other.acquire(None),
        Err(SeatError::LimitReached { limit: 1 })
    ));
    // No heartbeat: after the TTL the seat is free again.
    std::thread::sleep(Duration::from_millis(1_200));
    other.acquire(None).unwrap();
    // The crashed client's heartbeat now says the lease is gone.
    assert!(matches!(crashed.heartbeat(), Err(SeatError::LeaseLost { .. })));
    assert!(
        s.admin()
            .audit(10)
            .unwrap()
            .iter()
            .any(|e| e.kind == "expire" && e.holder == "crashes")
    );
}

#[test]
fn heartbeats_keep_a_lease_past_its_ttl() {
    let (_d, s) = start(&Options::seats(1));
    let c = s.client("alive");
    let first = c.acquire(Some(1)).unwrap();
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(400));
        match c.heartbeat().unwrap() {
            Heartbeat::Renewed(l) => assert_eq!(l.claims.lease_id, first.claims.lease_id),
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        s.client("other").acquire(None),
        Err(SeatError::LimitReached { .. })
    ));
}

#[test]
fn the_same_holder_gets_its_own_lease_back() {
    let (d, s) = start(&Options::seats(1));
    let file = d.path().join("ws-1.lease");
    let a = s
        .client("ws-1")
        .with_lease_file(&file)
        .unwrap()
        .acquire(None)
        .unwrap();
    // A restarted client (new process, same holder id, its holder key kept with its lease)
    // takes no second seat: it gets its own lease back.
    let b = s
        .client("ws-1")
        .with_lease_file(&file)
        .unwrap()
        .acquire(None)
        .unwrap();
    assert_eq!(a.claims.lease_id, b.claims.lease_id);
    assert_eq!(b.in_use, 1);
    assert!(b.expires_ms() >= a.expires_ms());
    assert_eq!(s.admin().status().unwrap().in_use, 1);
}

#[test]
fn borrow_and_return() {
    let (_d, s) = start(&Options::seats(1));
    let laptop = s.client("laptop-7");
    let l = laptop.borrow(3).unwrap();
    assert!(l.claims.borrowed);
    let days = (l.expires_ms() - now_ms()) as f64 / 86_400_000.0;
    assert!((2.99..=3.0).contains(&days), "{days}");
    assert!(matches!(
        s.client("desk").acquire(None),
        Err(SeatError::LimitReached { limit: 1 })
    ));
    let holders = s.admin().holders().unwrap();
    assert!(holders[0].borrowed && holders[0].holder == "laptop-7");
    // Too long a borrow is refused with the bound.
    match s.client("x").borrow(15) {
        Err(SeatError::Refused {
            status: 400, message, ..
        }) => assert!(message.contains("1 to 14 days"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(laptop.release().unwrap());
    s.client("desk").acquire(None).unwrap();
}

#[test]
fn demo_mode_limits_to_the_demo_seats() {
    let mut o = Options::seats(10);
    o.license = common::demo_license(10);
    let (_d, s) = start(&o);
    s.client("a").acquire(None).unwrap();
    s.client("b").acquire(None).unwrap();
    assert_eq!(
        s.client("c").acquire(None).unwrap_err(),
        SeatError::LimitReached { limit: 2 }
    );
    let st = s.client("a").status().unwrap();
    assert_eq!(st.limit, Some(2));
    assert!(st.license_status.contains("demo"), "{}", st.license_status);
}

#[test]
fn an_expired_license_without_demo_mode_does_not_start() {
    let mut o = Options::seats(10);
    o.license = common::demo_license(10);
    o.license.demo_seats = 0;
    let dir = tempfile::tempdir().unwrap();
    match start_on(dir.path(), &o) {
        Err(e @ license_server::Error::LicenseNotUsable { .. }) => {
            assert!(e.to_string().contains("expired"), "{e}")
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("started"),
    }
}

#[test]
fn a_code_naming_another_seat_server_or_none_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = Options::seats(2);
    o.seat_server = common::SeatBinding::Other;
    match start_on(dir.path(), &o) {
        Err(e @ license_server::Error::OtherServer { .. }) => {
            assert!(e.to_string().contains("another seat server"), "{e}")
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("started with another server's code"),
    }
    o.seat_server = common::SeatBinding::Unbound;
    match start_on(dir.path(), &o) {
        Err(e @ license_server::Error::UnboundLicense { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("--seat-server") && text.contains("--allow-unbound-license"),
                "{text}"
            );
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("started with an unbound code"),
    }
    // Allowed explicitly: it serves, and a client that checks the binding refuses its leases.
    o.allow_unbound = true;
    let s = start_on(dir.path(), &o).unwrap();
    s.client("ws-1").acquire(None).unwrap();
}

#[test]
fn admin_calls_without_the_token_are_refused() {
    let (_d, s) = start(&Options::seats(2));
    s.client("ws-1").acquire(None).unwrap();
    for path in ["/v1/admin/status", "/v1/admin/holders", "/v1/admin/audit", "/"] {
        let (status, body) = get_raw(&s.base, path, None);
        if path == "/" {
            // A browser without a session is sent to the login form (ureq follows).
            assert_eq!(status, 200, "{path}");
            assert!(body.contains(r#"<form method="post" action="/login">"#), "{body}");
        } else {
            assert_eq!(status, 401, "{path}");
            assert!(body.contains("admin token"), "{body}");
        }
        let (status, _) = get_raw(&s.base, path, Some("Bearer not-the-token-at-all"));
        assert_eq!(status, 401, "{path}");
        // HTTP Basic (what a browser would replay for a page) is not accepted.
        let basic = format!("Basic {}", base64_of(&format!("admin:{}", s.admin_token.trim())));
        let (status, _) = get_raw(&s.base, path, Some(&basic));
        assert_eq!(status, 401, "{path}");
    }
    let (status, _) = post_raw(&s.base, "/v1/admin/release", r#"{"holder":"ws-1"}"#);
    assert_eq!(status, 401);
    assert_eq!(s.admin().status().unwrap().in_use, 1, "the seat is still held");
    let wrong = license_server::admin::AdminClient::new(&s.base, "0123456789abcdef0123");
    assert!(matches!(
        wrong.release("ws-1"),
        Err(license_server::admin::AdminError::Refused { status: 401, .. })
    ));
    // With the token: freed, and the holder learns at its next heartbeat.
    let c = s.client("ws-2");
    c.acquire(None).unwrap();
    assert!(s.admin().release("ws-2").unwrap().removed);
    assert!(matches!(c.heartbeat(), Err(SeatError::LeaseLost { .. })));
    assert!(
        s.admin()
            .audit(10)
            .unwrap()
            .iter()
            .any(|e| e.kind == "force-release" && e.holder == "ws-2")
    );
}

#[test]
fn malformed_requests_get_400_with_a_message() {
    let (_d, s) = start(&unproven(Options::seats(2)));
    let cases = [
        ("/v1/leases/acquire", "{not json".to_string(), "malformed JSON"),
        (
            "/v1/leases/acquire",
            r#"{"holder": 5}"#.to_string(),
            "malformed JSON",
        ),
        (
            "/v1/leases/acquire",
            format!(r#"{{"holder":"{}"}}"#, "h".repeat(129)),
            "at most 128",
        ),
        (
            "/v1/leases/acquire",
            r#"{"holder":""}"#.to_string(),
            "must not be empty",
        ),
        // Nothing a client sends can raise the limit: unknown fields are refused.
        (
            "/v1/leases/acquire",
            r#"{"holder":"a","limit":100}"#.to_string(),
            "unknown field",
        ),
        (
            "/v1/leases/heartbeat",
            r#"{"holder":"nobody","lease_id":"00000000000000000000000000000000"}"#.to_string(),
            "no lease for holder",
        ),
        (
            "/v1/leases/heartbeat",
            r#"{"holder":"a","lease_id":"xyz"}"#.to_string(),
            "32 hex digits",
        ),
        (
            "/v1/leases/release",
            r#"{"holder":"a"}"#.to_string(),
            "missing field",
        ),
    ];
    for (path, body, expect) in cases {
        let (status, text) = post_raw(&s.base, path, &body);
        assert_eq!(status, 400, "{path} {body}: {text}");
        assert!(text.contains(expect), "{path} {body}: {text}");
        assert!(text.contains("\"message\""), "{text}");
    }
    let (status, _) = post_raw(
        &s.base,
        "/v1/leases/acquire",
        &format!(r#"{{"holder":"{}"}}"#, "h".repeat(20_000)),
    );
    assert_eq!(status, 413, "bodies above the limit are refused");
    let (status, text) = get_raw(&s.base, "/v1/nothing", None);
    assert_eq!(status, 404);
    assert!(text.contains("no such endpoint"));
    assert_eq!(s.admin().status().unwrap().in_use, 0);
}

#[test]
fn another_client_cannot_release_or_renew_a_seat_it_does_not_hold() {
    let (_d, s) = start(&Options::seats(1));
    s.client("victim").acquire(None).unwrap();
    let (status, text) = post_raw(
        &s.base,
        "/v1/leases/release",
        r#"{"holder":"victim","lease_id":"0123456789abcdef0123456789abcdef"}"#,
    );
    assert_eq!(status, 401, "{text}");
    assert!(text.contains("proof_required"), "{text}");
    // The same holder id from another client (its own holder key) does not get the seat
    // either (tests/holder_proof.rs has the rest of this attack).
    match s.client("victim").acquire(None) {
        Err(SeatError::Refused {
            status: 409, message, ..
        }) => {
            assert!(message.contains("another holder key"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.admin().holders().unwrap()[0].holder, "victim");
}

#[test]
fn an_unreachable_server_leaves_the_seat_until_the_lease_expires() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(1)).unwrap();
    let c = s.client("roamer");
    let lease = c.acquire(Some(60)).unwrap();
    s.stop();
    match c.heartbeat().unwrap() {
        Heartbeat::Unreachable { expires_ms, cause } => {
            assert_eq!(expires_ms, lease.expires_ms());
            assert!(!cause.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(c.holds_seat_at(now_ms()));
    assert!(!c.holds_seat_at(lease.expires_ms()));
}

#[test]
fn a_restart_keeps_every_lease() {
    let dir = tempfile::tempdir().unwrap();
    let o = Options::seats(2);
    let s = start_on(dir.path(), &o).unwrap();
    let file = dir.path().join("a.lease");
    let a = s.client("a").with_lease_file(&file).unwrap();
    a.acquire(None).unwrap();
    s.client("b").borrow(2).unwrap();
    let peak = s.admin().status().unwrap().peak;
    s.stop();
    let s = start_on(dir.path(), &o).unwrap();
    let st = s.admin().status().unwrap();
    assert_eq!((st.in_use, st.peak), (2, peak));
    // The held lease still works after the restart (the MAC key derives from server.key).
    let a2 = s.client("a").with_lease_file(&file).unwrap();
    assert_eq!(a2.held().unwrap().token, a.held().unwrap().token);
    assert!(matches!(a2.heartbeat().unwrap(), Heartbeat::Renewed(_)));
    assert!(matches!(
        s.client("c").acquire(None),
        Err(SeatError::LimitReached { limit: 2 })
    ));
}

#[test]
fn the_rate_limit_per_client_answers_429() {
    let mut o = Options::seats(1);
    o.limits.rate_per_client = 5;
    o.limits.burst_per_client = 5;
    let (_d, s) = start(&o);
    let statuses: Vec<u16> = (0..20).map(|_| get_raw(&s.base, "/v1/status", None).0).collect();
    assert!(
        statuses.iter().filter(|&&c| c == 200).count() <= 7,
        "{statuses:?}"
    );
    assert!(statuses.contains(&429));
    let (_, text) = get_raw(&s.base, "/v1/status", None);
    assert!(text.contains("more than 5 requests per second"), "{text}");
}

fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}
