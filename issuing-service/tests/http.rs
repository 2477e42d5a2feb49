//! The service over HTTP on the loopback: concurrent clients on the PostgreSQL ledger
//! (`LICENSE_TEST_PG`), and every kind of bad request on a ledger file.

#[allow(clippy::duplicate_mod)]
#[path = "../../license-issue/tests/common/mod.rs"]
mod pg;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

use issuing_service::{Issuers, Locked, Pooled, router};
use license_core::Date;
use license_issue::{Catalog, Catalogs, FileLedger, Issuer, VendorKey};
use serde_json::{Value, json};

fn today() -> Date {
    Date::from_ymd(2026, 11, 22).unwrap()
}

fn catalogs() -> Catalogs {
    let mut c = Catalogs::new();
    c.insert(Catalog::demo().unwrap());
    c
}

fn key() -> VendorKey {
    VendorKey::from_seed(&[5; 32])
}

/// Serve `issuers` on 127.0.0.1 (a free port) from a runtime on its own thread.
fn serve<I: Issuers>(issuers: I) -> SocketAddr {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(issuers, Arc::new(today));
    std::thread::spawn(move || rt.block_on(async { axum::serve(listener, app).await.unwrap() }));
    addr
}

/// One HTTP/1.1 request (connection closed after it): the status and the JSON body.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    if let Some(b) = body {
        // A server that refuses a large body may close before reading all of it.
        let _ = s.write_all(b);
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response: {text:?}"));
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "every response is JSON: {head}"
    );
    (
        status,
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}")),
    )
}

fn post(addr: SocketAddr, path: &str, key: Option<&str>, body: &Value) -> (u16, Value) {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(k) = key {
        headers.push(("Idempotency-Key", k));
    }
    request(addr, "POST", path, &headers, Some(body.to_string().as_bytes()))
}

fn new_license(licensee: &str) -> Value {
    json!({
        "product": "demo-erp",
        "kind": "subscription",
        "customer": {"licensee": licensee, "reseller": "Reseller One"},
        "line": "expert",
        "named_users": 25,
        "modules": ["crm", "bi"],
        "bind": {"database": pg::db(&format!("DB-{licensee}"))},
    })
}

const CLIENTS: usize = 8;

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn concurrent_clients_on_the_postgres_ledger() {
    let url = pg::database_url();
    let schema = pg::Schema::create(&url);
    let addr = serve(Pooled::new(catalogs(), key(), schema.ledger(6)));
    let (status, shared) = post(addr, "/licenses", Some("shared"), &new_license("Shared AG"));
    assert_eq!(status, 201, "{shared}");
    let shared_id = shared["license"]["license_id"].as_u64().unwrap();

    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            std::thread::spawn(move || {
                let key = format!("client-{c}");
                let (status, first) = post(
                    addr,
                    "/licenses",
                    Some(&key),
                    &new_license(&format!("Client {c}")),
                );
                assert_eq!(status, 201, "{first}");
                // The portal retries (a timeout on its side): the same license, nothing new.
                let (status, again) = post(
                    addr,
                    "/licenses",
                    Some(&key),
                    &new_license(&format!("Client {c}")),
                );
                assert_eq!((status, &again), (201, &first));
                let id = first["license"]["license_id"].as_u64().unwrap();
                // Everyone orders more users for the shared license at once, then its own.
                let users = json!({"named_users": 30 + c});
                let (status, up) = post(addr, &format!("/licenses/{shared_id}/upgrade"), None, &users);
                // Larger than the scope in force: accepted; smaller (another client got
                // more in first): refused as a reduction, never a lost update.
                assert!(
                    status == 200 || (status == 422 && up["error"]["kind"] == "change_reduces"),
                    "{up}"
                );
                let (status, own) = post(
                    addr,
                    &format!("/licenses/{id}/upgrade"),
                    Some(&format!("{key}-up")),
                    &users,
                );
                assert_eq!(status, 200, "{own}");
                let (status, red) = post(
                    addr,
                    &format!("/licenses/{id}/reduce"),
                    None,
                    &json!({"named_users": 20}),
                );
                assert_eq!(status, 200, "{red}");
                // The demo catalog reduces at the next contract year (contract-year policy).
                assert_eq!(red["scheduled"]["license"]["valid_from"], "2027-11-22");
                let (status, shown) = request(addr, "GET", &format!("/licenses/{id}"), &[], None);
                assert_eq!(status, 200, "{shown}");
                assert_eq!(shown["current"]["revision"], 2, "{shown}");
                assert_eq!(shown["current"]["code"], own["now"]["code"]);
                assert_eq!(shown["pending"][0]["revision"], 3);
                id
            })
        })
        .collect();
    let ids: BTreeSet<u64> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    assert_eq!(ids.len(), CLIENTS, "each client got its own license id");

    // The shared license: one revision per accepted upgrade, none lost or repeated.
    let records = schema.ledger(1);
    let revs: Vec<u32> = license_issue::Ledger::records_of(&records, shared_id as u32)
        .unwrap()
        .iter()
        .map(|r| r.license.revision)
        .collect();
    assert_eq!(revs, (1..=revs.len() as u32).collect::<Vec<_>>());
    assert!(revs.len() >= 2, "at least the largest order went in");
    let (_, shown) = request(addr, "GET", &format!("/licenses/{shared_id}"), &[], None);
    assert_eq!(shown["current"]["revision"], revs.len());
    assert_eq!(shown["current"]["scope"]["named_users"], 30 + CLIENTS as u64 - 1);
}

#[test]
fn bad_requests_get_typed_json_errors() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = FileLedger::open(&dir.path().join("ledger.jsonl")).unwrap();
    let addr = serve(Locked::new(Issuer::new(catalogs(), key(), ledger)));
    let kind = |r: &(u16, Value)| (r.0, r.1["error"]["kind"].as_str().unwrap_or_default().to_owned());
    let json_header = [("Content-Type", "application/json")];

    let r = request(addr, "POST", "/licenses", &json_header, Some(b"{\"product\": "));
    assert_eq!(kind(&r), (400, "malformed_json".into()), "{}", r.1);
    let r = request(
        addr,
        "POST",
        "/licenses",
        &json_header,
        Some(b"{\"product\": \"demo-erp\", \"colour\": 1}"),
    );
    assert_eq!(
        kind(&r),
        (400, "malformed_json".into()),
        "unknown fields are refused: {}",
        r.1
    );
    let r = request(
        addr,
        "POST",
        "/licenses",
        &[],
        Some(new_license("A").to_string().as_bytes()),
    );
    assert_eq!(kind(&r), (415, "unsupported_media_type".into()));
    let big = vec![b' '; issuing_service::MAX_BODY + 1];
    let r = request(addr, "POST", "/licenses", &json_header, Some(&big));
    assert_eq!(kind(&r), (413, "body_too_large".into()), "{}", r.1);
    let r = request(addr, "POST", "/licenses/abc/renew", &[], None);
    assert_eq!(kind(&r), (400, "bad_path".into()));
    let r = request(addr, "GET", "/nowhere", &[], None);
    assert_eq!(kind(&r), (404, "no_such_route".into()));

    // The library's kinds, with the status that fits.
    let r = request(addr, "GET", "/licenses/4242", &[], None);
    assert_eq!(kind(&r), (404, "unknown_license".into()));
    let mut zero = new_license("A");
    zero["named_users"] = json!(0);
    let r = post(addr, "/licenses", None, &zero);
    assert_eq!(kind(&r), (422, "no_users_or_seats".into()));
    assert!(
        r.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at least one user")
    );
    let mut other = new_license("A");
    other["product"] = json!("other");
    assert_eq!(
        kind(&post(addr, "/licenses", None, &other)),
        (404, "unknown_product".into())
    );

    let (status, created) = post(addr, "/licenses", Some("k1"), &new_license("ACME Corp"));
    assert_eq!(status, 201);
    let id = created["license"]["license_id"].as_u64().unwrap();
    let r = post(addr, &format!("/licenses/{id}/renew"), None, &json!(null));
    assert_eq!(kind(&r), (422, "renewal_too_early".into()));
    let r = post(
        addr,
        &format!("/licenses/{id}/upgrade"),
        None,
        &json!({"named_users": 10}),
    );
    assert_eq!(kind(&r), (422, "change_reduces".into()));
    let r = post(addr, "/licenses", Some("k1"), &new_license("Someone Else"));
    assert_eq!(kind(&r), (409, "order_key_reused".into()));
    let r = request(
        addr,
        "POST",
        &format!("/licenses/{id}/revoke"),
        &json_header,
        Some(b"{\"reason\": 5}"),
    );
    assert_eq!(kind(&r), (400, "malformed_json".into()));
    let (status, revoked) = post(
        addr,
        &format!("/licenses/{id}/revoke"),
        None,
        &json!({"reason": "refund"}),
    );
    assert_eq!((status, &revoked["outcome"]), (200, &json!("revoked")));
    let r = post(
        addr,
        &format!("/licenses/{id}/upgrade"),
        None,
        &json!({"named_users": 40}),
    );
    assert_eq!(kind(&r), (422, "revoked".into()));
    // A generic order through /orders.
    let r = post(
        addr,
        "/orders",
        None,
        &json!({"order": "cancel", "license_id": id}),
    );
    assert_eq!(kind(&r), (422, "revoked".into()));
    let r = post(addr, "/orders", None, &json!({"order": "frobnicate"}));
    assert_eq!(kind(&r), (400, "malformed_json".into()));
}

#[test]
fn a_seat_server_key_in_a_json_order_is_bound_into_the_code() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = FileLedger::open(&dir.path().join("ledger.jsonl")).unwrap();
    let addr = serve(Locked::new(Issuer::new(catalogs(), key(), ledger)));
    let server_key = [0x5f_u8; 32];
    let mut order = new_license("ACME Corp");
    order["concurrent_seats"] = json!(10);
    order["bind"]["seat_server"] = json!("5f".repeat(32));
    let (status, created) = post(addr, "/licenses", None, &order);
    assert_eq!(status, 201, "{created}");
    let code = created["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code: {created}"));
    let binding = license_core::UntrustedCode::parse(code)
        .unwrap()
        .unverified_license()
        .binding;
    assert_eq!(
        binding.seat_server,
        Some(license_core::SeatServerDigest::of_key(&server_key))
    );
    // Not 64 hex digits: a typed 400 before anything is issued.
    order["bind"]["seat_server"] = json!("5f3c");
    let (status, err) = post(addr, "/licenses", None, &order);
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (400, Some("malformed_json")),
        "{err}"
    );
    assert!(err.to_string().contains("64 hex digits"), "{err}");
}
