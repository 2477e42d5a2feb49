//! Carried over from `issuing-service`'s tests: concurrent clients on the PostgreSQL
//! ledger, every kind of bad request with its typed JSON error, and the seat-server
//! binding field of orders; the callers are now authenticated (a vendor API token with the
//! `orders` scope).

mod common;

use std::collections::BTreeSet;

use common::{Client, Service, new_license, pg};
use serde_json::{Value, json};

fn post(c: &mut Client, path: &str, key: Option<&str>, body: &Value) -> (u16, Value) {
    match key {
        Some(k) => c.post_with(path, &[("Idempotency-Key", k)], body),
        None => c.post(path, body),
    }
}

const CLIENTS: usize = 8;

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn concurrent_clients_on_the_postgres_ledger() {
    let svc = Service::postgres();
    let client = svc.token(svc.vendor_org, &["orders"]);
    let mut c = client.clone();
    let (status, shared) = post(
        &mut c,
        "/api/v1/licenses",
        Some("shared"),
        &new_license("Shared AG"),
    );
    assert_eq!(status, 201, "{shared}");
    let shared_id = shared["license"]["license_id"].as_u64().unwrap();

    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let mut c = client.clone();
            std::thread::spawn(move || {
                let key = format!("client-{n}");
                let order = new_license(&format!("Client {n}"));
                let (status, first) = post(&mut c, "/api/v1/licenses", Some(&key), &order);
                assert_eq!(status, 201, "{first}");
                // The portal retries (a timeout on its side): the same license, nothing new.
                let (status, again) = post(&mut c, "/api/v1/licenses", Some(&key), &order);
                assert_eq!((status, &again), (201, &first));
                let id = first["license"]["license_id"].as_u64().unwrap();
                let users = json!({"named_users": 30 + n});
                let (status, up) = post(
                    &mut c,
                    &format!("/api/v1/licenses/{shared_id}/upgrade"),
                    None,
                    &users,
                );
                assert!(
                    status == 200 || (status == 422 && up["error"]["kind"] == "change_reduces"),
                    "{up}"
                );
                let (status, own) = post(
                    &mut c,
                    &format!("/api/v1/licenses/{id}/upgrade"),
                    Some(&format!("{key}-up")),
                    &users,
                );
                assert_eq!(status, 200, "{own}");
                let (status, red) = post(
                    &mut c,
                    &format!("/api/v1/licenses/{id}/reduce"),
                    None,
                    &json!({"named_users": 20}),
                );
                assert_eq!(status, 200, "{red}");
                assert_eq!(red["scheduled"]["license"]["valid_from"], "2027-11-22");
                let (status, shown) = c.get(&format!("/api/v1/licenses/{id}"));
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
    let (_, shown) = c.get(&format!("/api/v1/licenses/{shared_id}"));
    let revs = shown["history"].as_array().unwrap().len();
    assert!(revs >= 2, "at least the largest order went in");
    assert_eq!(shown["current"]["revision"], revs);
    assert_eq!(shown["current"]["scope"]["named_users"], 30 + CLIENTS as u64 - 1);
}

#[test]
fn bad_requests_get_typed_json_errors() {
    let svc = Service::sqlite();
    let mut c = svc.token(svc.vendor_org, &["orders"]);
    let json_header = [("Content-Type", "application/json")];
    let kind = |r: common::Reply| (r.status, r.kind());

    let r = c.raw("POST", "/api/v1/licenses", &json_header, Some(b"{\"product\": "));
    assert_eq!(kind(r), (400, "malformed_json".into()));
    let r = c.raw(
        "POST",
        "/api/v1/licenses",
        &json_header,
        Some(b"{\"product\": \"demo-erp\", \"colour\": 1}"),
    );
    assert_eq!(
        kind(r),
        (400, "malformed_json".into()),
        "unknown fields are refused"
    );
    let r = c.raw(
        "POST",
        "/api/v1/licenses",
        &[("Content-Type", "text/plain")],
        Some(new_license("A").to_string().as_bytes()),
    );
    assert_eq!(kind(r), (415, "unsupported_media_type".into()));
    let big = vec![b' '; license_service::api::app::MAX_BODY + 1];
    let r = c.raw("POST", "/api/v1/licenses", &json_header, Some(&big));
    assert_eq!(kind(r), (413, "body_too_large".into()));
    let r = c.raw("POST", "/api/v1/licenses/abc/renew", &[], None);
    assert_eq!(kind(r), (400, "bad_path".into()));
    let r = c.raw("GET", "/nowhere", &[], None);
    assert_eq!(kind(r), (404, "no_such_route".into()));

    // The library's kinds, with the status that fits.
    let r = c.raw("GET", "/api/v1/licenses/4242", &[], None);
    assert_eq!(kind(r), (404, "unknown_license".into()));
    let mut zero = new_license("A");
    zero["named_users"] = json!(0);
    let (status, err) = c.post("/api/v1/licenses", &zero);
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (422, Some("no_users_or_seats"))
    );
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at least one user")
    );
    let mut other = new_license("A");
    other["product"] = json!("other");
    let (status, err) = c.post("/api/v1/licenses", &other);
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (404, Some("unknown_product"))
    );

    // A bad value is a 400 naming the field, before the library or the database sees it:
    // a NUL, bidirectional controls, nothing visible.
    for bad in ["ACME\u{0}Corp", "ACME \u{202e}proC", "\u{200b}", "  "] {
        let mut o = new_license("A");
        o["customer"]["licensee"] = json!(bad);
        let (status, err) = c.post("/api/v1/licenses", &o);
        assert_eq!(status, 400, "{bad:?}: {err}");
        assert_eq!(err["error"]["field"], "customer.licensee", "{err}");
    }

    let (status, created) = post(&mut c, "/api/v1/licenses", Some("k1"), &new_license("ACME Corp"));
    assert_eq!(status, 201, "{created}");
    let id = created["license"]["license_id"].as_u64().unwrap();
    let (status, err) = c.post(&format!("/api/v1/licenses/{id}/renew"), &json!(null));
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (422, Some("renewal_too_early"))
    );
    let (status, err) = c.post(
        &format!("/api/v1/licenses/{id}/upgrade"),
        &json!({"named_users": 10}),
    );
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (422, Some("change_reduces"))
    );
    let (status, err) = post(
        &mut c,
        "/api/v1/licenses",
        Some("k1"),
        &new_license("Someone Else"),
    );
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (409, Some("order_key_reused"))
    );
    let r = c.raw(
        "POST",
        &format!("/api/v1/licenses/{id}/revoke"),
        &json_header,
        Some(b"{\"reason\": 5}"),
    );
    assert_eq!(kind(r), (400, "malformed_json".into()));
    let (status, revoked) = c.post(
        &format!("/api/v1/licenses/{id}/revoke"),
        &json!({"reason": "refund"}),
    );
    assert_eq!((status, &revoked["outcome"]), (200, &json!("revoked")));
    let (status, err) = c.post(
        &format!("/api/v1/licenses/{id}/upgrade"),
        &json!({"named_users": 40}),
    );
    assert_eq!((status, err["error"]["kind"].as_str()), (422, Some("revoked")));
    let (status, err) = c.post("/api/v1/orders", &json!({"order": "cancel", "license_id": id}));
    assert_eq!((status, err["error"]["kind"].as_str()), (422, Some("revoked")));
    let (status, err) = c.post("/api/v1/orders", &json!({"order": "frobnicate"}));
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (400, Some("malformed_json"))
    );
}

#[test]
fn a_seat_server_key_in_a_json_order_is_bound_into_the_code() {
    let svc = Service::sqlite();
    let mut c = svc.token(svc.vendor_org, &["orders"]);
    let server_key = [0x5f_u8; 32];
    let mut order = new_license("ACME Corp");
    order["concurrent_seats"] = json!(10);
    order["bind"]["seat_server"] = json!("5f".repeat(32));
    let (status, created) = c.post("/api/v1/licenses", &order);
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
    order["bind"]["seat_server"] = json!("5f3c");
    let (status, err) = c.post("/api/v1/licenses", &order);
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (400, Some("malformed_json")),
        "{err}"
    );
    assert!(err.to_string().contains("64 hex digits"), "{err}");
    let _ = pg::db("unused");
}
