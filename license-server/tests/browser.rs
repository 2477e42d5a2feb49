//! Attack tests (docs/SERVER.md, "What a LAN attacker and a web page can do", finding 2 and
//! the Host/frame findings of 5): what a malicious web page can make a browser send is
//! refused. Requests are written by hand over loopback so that every header a browser would
//! send (`Origin`, `Content-Type`, `Cookie`, `Host`) is exactly as a page would shape it.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use common::{Options, start_on};

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Vec<String> {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    /// The value of the cookie `name` this answer sets.
    fn set_cookie(&self, name: &str) -> Option<String> {
        self.header("set-cookie").iter().find_map(|c| {
            let first = c.split(';').next()?;
            let (k, v) = first.split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    }
}

/// One request on its own connection: `headers` as given (a `Host` is added unless given).
fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status: {head}"));
    Answer {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

/// Log in through the form as a browser on the server's own origin: the session cookie and
/// the CSRF token the dashboard's forms carry.
fn log_in(s: &common::TestServer) -> (String, String) {
    let own = format!("http://{}", s.addr);
    let form = send(s.addr, "GET", "/login", &[], "");
    assert_eq!(form.status, 200, "{}", form.body);
    let login_csrf = form.set_cookie("lk_login").unwrap();
    assert!(form.body.contains(&login_csrf));
    let cookie = format!("lk_login={login_csrf}");
    let body = format!("csrf={login_csrf}&token={}", s.admin_token.trim());
    let headers = [
        ("Origin", own.as_str()),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Cookie", cookie.as_str()),
    ];
    let done = send(s.addr, "POST", "/login", &headers, &body);
    assert_eq!(done.status, 303, "{}", done.body);
    let session = done.set_cookie("lk_session").unwrap();
    let attrs = done.header("set-cookie").join("\n");
    assert!(
        attrs.contains("HttpOnly") && attrs.contains("SameSite=Strict"),
        "{attrs}"
    );
    let page = send(
        s.addr,
        "GET",
        "/",
        &[("Cookie", &format!("lk_session={session}"))],
        "",
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = page
        .body
        .split(r#"name="csrf" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    (session, csrf)
}

/// A form post's headers with the session cookie and, if given, an Origin.
fn form_headers<'a>(cookie: &'a str, origin: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut h = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Cookie", cookie),
    ];
    if let Some(o) = origin {
        h.push(("Origin", o));
    }
    h
}

/// The simple requests a page can send without a CORS preflight (`no-cors` fetch, a form).
const SIMPLE_TYPES: [Option<&str>; 4] = [
    Some("text/plain"),
    Some("application/x-www-form-urlencoded"),
    Some("multipart/form-data; boundary=x"),
    None,
];

#[test]
fn cross_origin_and_other_port_pages_cannot_acquire_borrow_or_release() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(3)).unwrap();
    let other_port = format!("http://127.0.0.1:{}", s.addr.port() + 1);
    let origins = ["http://evil.example", other_port.as_str(), "null"];
    let bodies = [
        ("/v1/leases/acquire", r#"{"holder":"victim-ws"}"#),
        ("/v1/leases/borrow", r#"{"holder":"victim-laptop","days":14}"#),
    ];
    for (path, body) in bodies {
        for origin in origins {
            // As a no-cors fetch or a form sends it: a simple content type, an Origin.
            for ct in SIMPLE_TYPES {
                let mut h = vec![("Origin", origin)];
                if let Some(ct) = ct {
                    h.push(("Content-Type", ct));
                }
                let a = send(s.addr, "POST", path, &h, body);
                assert!(
                    a.status == 403 || a.status == 415,
                    "{path} {origin} {ct:?}: {}",
                    a.status
                );
                assert!(a.body.starts_with("{\"error\":"), "{}", a.body);
            }
            // Even with the JSON type (which a page could only send after a preflight the
            // server never answers): the origin is not the server's.
            let a = send(
                s.addr,
                "POST",
                path,
                &[("Origin", origin), ("Content-Type", "application/json")],
                body,
            );
            assert_eq!(a.status, 403, "{path} {origin}");
            assert!(a.body.contains("cross_origin"), "{}", a.body);
        }
        // Without an Origin (an old browser's simple request): only JSON is taken.
        let a = send(s.addr, "POST", path, &[("Content-Type", "text/plain")], body);
        assert_eq!(a.status, 415, "{}", a.body);
    }
    let admin = s.admin();
    assert_eq!(admin.status().unwrap().in_use, 0, "no page took a seat");

    // A client (no Origin, JSON) and the server's own page origin get through to the API
    // (which then asks for the holder proof: 401, not 403 or 415).
    let own = format!("http://{}", s.addr);
    let a = send(
        s.addr,
        "POST",
        "/v1/leases/acquire",
        &[
            ("Content-Type", "application/json; charset=utf-8"),
            ("Origin", own.as_str()),
        ],
        r#"{"holder":"ws-1"}"#,
    );
    assert_eq!(a.status, 401, "{}", a.body);
    assert!(a.body.contains("proof_required"), "{}", a.body);
    s.client("ws-1").acquire(None).unwrap();
    s.client("ws-2").acquire(None).unwrap();
    assert_eq!(admin.status().unwrap().in_use, 2);

    // The administrator is logged in to the dashboard in the same browser.
    let (session, csrf) = log_in(&s);
    let cookie = format!("lk_session={session}");
    for origin in origins {
        // The admin JSON API takes no cookie at all (bearer token only).
        for ct in [Some("text/plain"), Some("application/json")] {
            let mut h = vec![("Origin", origin), ("Cookie", cookie.as_str())];
            if let Some(ct) = ct {
                h.push(("Content-Type", ct));
            }
            let a = send(s.addr, "POST", "/v1/admin/release", &h, r#"{"holder":"ws-1"}"#);
            assert!(
                a.status == 401 || a.status == 403 || a.status == 415,
                "{origin}: {}",
                a.status
            );
        }
        // The dashboard's release form from another origin, even with the right CSRF token
        // (which that page cannot read): refused by the Origin check.
        let form = format!("csrf={csrf}&holder=ws-1");
        let h = [
            ("Origin", origin),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookie.as_str()),
        ];
        let a = send(s.addr, "POST", "/release", &h, &form);
        assert_eq!(a.status, 403, "{origin}: {}", a.body);
    }
    // The admin API with the session cookie and no Origin at all: still no.
    let a = send(
        s.addr,
        "POST",
        "/v1/admin/release",
        &[("Content-Type", "application/json"), ("Cookie", cookie.as_str())],
        r#"{"holder":"ws-1"}"#,
    );
    assert_eq!(a.status, 401);
    // The form without an Origin, or from its own origin without the session's token: no.
    let form_h = |origin| form_headers(&cookie, origin);
    let a = send(
        s.addr,
        "POST",
        "/release",
        &form_h(None),
        &format!("csrf={csrf}&holder=ws-1"),
    );
    assert_eq!(a.status, 403, "{}", a.body);
    let a = send(
        s.addr,
        "POST",
        "/release",
        &form_h(Some(&own)),
        "csrf=0000&holder=ws-1",
    );
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("csrf"), "{}", a.body);
    assert_eq!(admin.status().unwrap().in_use, 2, "no page released a seat");

    // The dashboard's own button (own origin, session, its token) does release.
    let a = send(
        s.addr,
        "POST",
        "/release",
        &form_h(Some(&own)),
        &format!("csrf={csrf}&holder=ws-1"),
    );
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(admin.status().unwrap().in_use, 1);
}

#[test]
fn the_login_form_needs_its_csrf_cookie_the_own_origin_and_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(1)).unwrap();
    let own = format!("http://{}", s.addr);
    let form = send(s.addr, "GET", "/login", &[], "");
    let login_csrf = form.set_cookie("lk_login").unwrap();
    let cookie = format!("lk_login={login_csrf}");
    let token = s.admin_token.trim().to_owned();
    let try_login = |origin: Option<&str>, cookie: &str, body: &str| {
        let mut h = vec![
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookie),
        ];
        if let Some(o) = origin {
            h.push(("Origin", o));
        }
        send(s.addr, "POST", "/login", &h, body)
    };
    let good = format!("csrf={login_csrf}&token={token}");
    // Another origin (login CSRF: logging the victim into the attacker's session), none, or
    // a form token that is not the cookie's: refused.
    assert_eq!(try_login(Some("http://evil.example"), &cookie, &good).status, 403);
    assert_eq!(try_login(None, &cookie, &good).status, 403);
    let forged = format!("csrf={}&token={token}", "0".repeat(64));
    assert_eq!(try_login(Some(&own), &cookie, &forged).status, 403);
    // A wrong token: the form again, 401, no session.
    let wrong = try_login(
        Some(&own),
        &cookie,
        &format!("csrf={login_csrf}&token=not-the-token-at-all"),
    );
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("login-failed") && wrong.set_cookie("lk_session").is_none());
    // Right: a session.
    let ok = try_login(Some(&own), &cookie, &good);
    assert_eq!(ok.status, 303);
    assert!(ok.set_cookie("lk_session").is_some_and(|v| v.len() == 64));
}

#[test]
fn a_foreign_host_is_refused_and_the_machines_names_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(1)).unwrap();
    let port = s.addr.port();
    // DNS rebinding: the attacker's name resolving to this server.
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.example:{port}"),
    ] {
        let a = send(s.addr, "GET", "/v1/status", &[("Host", &host)], "");
        assert_eq!(a.status, 421, "{host}");
        assert!(a.body.contains("--allow-host"), "{}", a.body);
        let a = send(
            s.addr,
            "POST",
            "/v1/leases/acquire",
            &[("Host", &host), ("Content-Type", "application/json")],
            r#"{"holder":"ws-1"}"#,
        );
        assert_eq!(a.status, 421, "{host}");
        let a = send(s.addr, "GET", "/login", &[("Host", &host)], "");
        assert_eq!(a.status, 421, "{host}");
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let a = send(s.addr, "GET", "/v1/status", &[("Host", &host)], "");
        assert_eq!(a.status, 200, "{host}");
    }
    assert_eq!(s.admin().status().unwrap().in_use, 0);
}

#[test]
fn every_answer_carries_csp_frame_and_no_store_headers() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(1)).unwrap();
    let (session, _) = log_in(&s);
    let cookie = format!("lk_session={session}");
    let answers = [
        send(s.addr, "GET", "/", &[("Cookie", &cookie)], ""),
        send(s.addr, "GET", "/login", &[], ""),
        send(s.addr, "GET", "/v1/status", &[], ""),
        send(s.addr, "GET", "/no-such-page", &[], ""),
        send(
            s.addr,
            "POST",
            "/v1/leases/acquire",
            &[("Content-Type", "text/plain")],
            "{}",
        ),
    ];
    for a in &answers {
        let csp = a.header("content-security-policy").join(" ");
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("frame-ancestors 'none'")
                && !csp.contains("script-src"),
            "{}",
            a.head
        );
        assert_eq!(a.header("x-frame-options"), ["DENY"], "{}", a.head);
        assert_eq!(a.header("cache-control"), ["no-store"], "{}", a.head);
        assert_eq!(a.header("x-content-type-options"), ["nosniff"], "{}", a.head);
    }
    assert!(
        !answers[0].body.contains("<script"),
        "the dashboard has no script"
    );
}
