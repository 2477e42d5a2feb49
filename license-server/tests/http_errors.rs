//! Every error the HTTP layer answers has a JSON body `{"error","message"}` (finding 5):
//! 400, 405, 408, 413, 414 and 431, written by hand over loopback.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use common::{Options, start_on};

/// Send `head` (and `body`), then read the whole answer: (status, body as JSON).
fn exchange(
    addr: SocketAddr,
    head: &str,
    body: &[u8],
    pause_before_body: Option<Duration>,
) -> (u16, serde_json::Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    if let Some(p) = pause_before_body {
        std::thread::sleep(p);
    }
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (h, b) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer: {text:?}"));
    let status = h.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert!(
        h.to_ascii_lowercase().contains("content-type: application/json"),
        "{status}: {h}"
    );
    let json: serde_json::Value =
        serde_json::from_str(b).unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {b:?}"));
    assert!(json["error"].is_string() && json["message"].is_string(), "{json}");
    (status, json)
}

#[test]
fn every_http_layer_error_has_a_json_body() {
    let dir = tempfile::tempdir().unwrap();
    let mut o = Options::seats(1);
    o.limits.request_timeout = Duration::from_secs(1);
    let s = start_on(dir.path(), &o).unwrap();
    let a = s.addr;
    let post = |path: &str, len: usize, extra: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nContent-Type: application/json\r\n{extra}Content-Length: {len}\r\n\r\n"
        )
    };

    let (st, j) = exchange(a, &post("/v1/leases/acquire", 9, ""), b"{not json", None);
    assert_eq!((st, j["error"].as_str()), (400, Some("invalid_request")));

    let get = format!("GET /v1/leases/acquire HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n");
    let (st, j) = exchange(a, &get, b"", None);
    assert_eq!((st, j["error"].as_str()), (405, Some("method_not_allowed")));

    // The body announced but not sent within the request timeout (1 s here).
    let (st, j) = exchange(
        a,
        &post("/v1/leases/acquire", 40, ""),
        b"{\"ho",
        Some(Duration::from_millis(100)),
    );
    assert_eq!((st, j["error"].as_str()), (408, Some("timeout")));

    let big = vec![b' '; 20 * 1024];
    let (st, j) = exchange(a, &post("/v1/leases/acquire", big.len(), ""), &big, None);
    assert_eq!((st, j["error"].as_str()), (413, Some("body_too_large")));

    let long = format!(
        "GET /v1/status?{} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n",
        "x".repeat(10_000)
    );
    let (st, j) = exchange(a, &long, b"", None);
    assert_eq!((st, j["error"].as_str()), (414, Some("uri_too_long")));

    let fat = format!("X-Padding: {}\r\n", "y".repeat(20_000));
    let (st, j) = exchange(a, &post("/v1/leases/acquire", 2, &fat), b"{}", None);
    assert_eq!((st, j["error"].as_str()), (431, Some("headers_too_large")));
    let many: String = (0..80).map(|i| format!("X-H{i}: v\r\n")).collect();
    let (st, _) = exchange(a, &post("/v1/leases/acquire", 2, &many), b"{}", None);
    assert_eq!(st, 431);

    assert_eq!(s.admin().status().unwrap().in_use, 0);
}
