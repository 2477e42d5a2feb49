//! Ticket pools over HTTP on the loopback (issue 21, item 3), with the library's
//! `TicketPool` and `Issuer::redeem`: the vendor's ERP creates a pool for a reseller with
//! a `tickets` token; the reseller passes tickets on to its sub-reseller (whose frame must
//! admit them); a customer company redeems a ticket for its installation once, and the
//! code is the holder's: the sub-reseller's (its chain, verified offline with the vendor's
//! key only), the reseller's, or the vendor's for a ticket still in the vendor's pool.

mod common;

use common::{Service, key, today};
use license_core::{Date, Frame, IdRange, Kind, KindSet, LineSet, ModuleSet};
use license_service::rights::{OrgKind, Rights};
use license_verify::{Utc, Verifier};
use serde_json::{Value, json};

fn frame(users: u32, first: u32) -> Frame {
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription),
        LineSet::from_bits(0b11),
        ModuleSet::from_bits(u64::MAX),
        Date::from_ymd(2030, 1, 1).unwrap(),
    );
    f.named_users = Some(users);
    f.license_ids = Some(IdRange {
        first,
        last: first + 999,
    });
    f
}

fn scope() -> Value {
    json!({"product": "demo-erp", "kind": "subscription", "customer": {"licensee": ""},
           "line": "standard", "named_users": 5, "modules": ["crm"]})
}

fn verify(code: &str, licensee: &str, db: &str) -> license_verify::Verification {
    Verifier::builder(vec![key().public_key()], "demo-erp", today())
        .licensee(licensee)
        .database(db)
        .build()
        .unwrap()
        .verify_text_at(code, Utc(Utc::start_of(today()).0 + 12 * 3600))
        .unwrap()
}

#[test]
fn tickets_are_created_by_the_erp_passed_on_and_redeemed_once_with_the_holders_key() {
    let svc = Service::any();
    let contoso = svc.certified_reseller("Contoso", &frame(50, 800_000));
    let fabrikam = svc.certified_reseller("Fabrikam", &frame(20, 810_000));
    let tiny = svc.certified_reseller("Tiny", &frame(2, 820_000));
    let acme = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    let beta = svc.store.create_org(OrgKind::Company, "Beta GmbH", "").unwrap();
    svc.user(contoso, "ra@contoso.test", true, &Rights::default());
    svc.user(fabrikam, "ra@fabrikam.test", true, &Rights::default());
    svc.user(acme, "ca@acme.test", true, &Rights::default());
    svc.user(acme, "cu@acme.test", false, &Rights::default());
    svc.user(beta, "ca@beta.test", true, &Rights::default());

    // The vendor's ERP: a token with the tickets scope.
    let mut erp = svc.token(svc.vendor_org, &["tickets"]);
    let (status, made) = erp.post(
        "/api/v1/tickets",
        &json!({"reseller": contoso, "count": 3, "order": scope()}),
    );
    assert_eq!(status, 201, "{made}");
    let ids: Vec<String> = made["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3);
    // A scope with a licensee is no ticket: refused by the library.
    let mut named = scope();
    named["customer"]["licensee"] = json!("Someone");
    let (status, err) = erp.post(
        "/api/v1/tickets",
        &json!({"reseller": contoso, "count": 1, "order": named}),
    );
    assert_eq!(status, 422, "{err}");
    // Without the scope: refused.
    let (status, _) = svc.token(svc.vendor_org, &["orders"]).post(
        "/api/v1/tickets",
        &json!({"reseller": contoso, "count": 1, "order": scope()}),
    );
    assert_eq!(status, 403);

    let mut rc = svc.login("ra@contoso.test", "");
    let (status, held) = rc.get("/api/v1/tickets");
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["tickets"].as_array().unwrap().len(), 3, "{held}");

    // Passing on to a reseller whose frame is too narrow: refused, nothing passed.
    let (status, err) = rc.post("/api/v1/tickets/pass-on", &json!({"to": tiny, "count": 1}));
    assert_eq!(status, 422, "{err}");
    assert!(
        err["error"]["message"].as_str().unwrap().contains("Tiny"),
        "{err}"
    );
    let (status, passed) = rc.post("/api/v1/tickets/pass-on", &json!({"to": fabrikam, "count": 1}));
    assert_eq!(status, 200, "{passed}");
    let passed_id = passed["tickets"][0].as_str().unwrap().to_owned();
    let (_, held) = rc.get("/api/v1/tickets");
    assert_eq!(held["tickets"].as_array().unwrap().len(), 2, "{held}");
    let mut rf = svc.login("ra@fabrikam.test", "");
    let (_, theirs) = rf.get("/api/v1/tickets");
    assert_eq!(theirs["tickets"][0]["ticket"], passed_id.as_str(), "{theirs}");

    // A customer user without the right to order: refused.
    let mut cu = svc.login("cu@acme.test", "");
    let db = common::pg::db("ticket ACME");
    let (status, _) = cu.post(
        "/api/v1/tickets/redeem",
        &json!({"ticket": passed_id, "bind": {"database": db}}),
    );
    assert_eq!(status, 403);
    // The company's admin redeems the passed-on ticket: Fabrikam's code, in its id range.
    let mut ca = svc.login("ca@acme.test", "");
    let (status, got) = ca.post(
        "/api/v1/tickets/redeem",
        &json!({"ticket": passed_id, "bind": {"database": db}}),
    );
    assert_eq!(status, 201, "{got}");
    assert_eq!(got["again"], false);
    let id = got["license_id"].as_u64().unwrap();
    assert!((810_000..=810_999).contains(&id), "{got}");
    let v = verify(got["code"].as_str().unwrap(), "ACME Corp", &db);
    assert_eq!(v.issuer().unwrap().reseller().name, "Fabrikam");
    // The company sees it as its own.
    assert_eq!(ca.get(&format!("/api/v1/licenses/{id}")).0, 200);
    // Again for the same installation: the same code; by another company: refused.
    let (status, again) = ca.post(
        "/api/v1/tickets/redeem",
        &json!({"ticket": passed_id, "bind": {"database": db}}),
    );
    assert_eq!(
        (status, again["code"].clone()),
        (201, got["code"].clone()),
        "{again}"
    );
    assert_eq!(again["again"], true);
    let mut cb = svc.login("ca@beta.test", "");
    let (status, err) = cb.post(
        "/api/v1/tickets/redeem",
        &json!({"ticket": passed_id, "bind": {"database": common::pg::db("ticket Beta")}}),
    );
    assert_eq!(status, 422, "{err}");

    // A ticket Contoso still holds (handed over to its pool when it passed one on): its code.
    let other = ids.iter().find(|t| **t != passed_id).unwrap();
    let db_b = common::pg::db("ticket Beta 2");
    let (status, got) = cb.post(
        "/api/v1/tickets/redeem",
        &json!({"ticket": other, "bind": {"database": db_b}}),
    );
    assert_eq!(status, 201, "{got}");
    let v = verify(got["code"].as_str().unwrap(), "Beta GmbH", &db_b);
    assert_eq!(v.issuer().unwrap().reseller().name, "Contoso");

    // A ticket still in the vendor's pool is redeemed with the vendor's key.
    let (_, made) = erp.post(
        "/api/v1/tickets",
        &json!({"reseller": fabrikam, "count": 1, "order": scope()}),
    );
    let vendor_ticket = made["tickets"][0].as_str().unwrap();
    let db_v = common::pg::db("ticket ACME 2");
    let (status, got) = ca.post(
        "/api/v1/tickets/redeem",
        &json!({"ticket": vendor_ticket, "bind": {"database": db_v}}),
    );
    assert_eq!(status, 201, "{got}");
    assert!(
        verify(got["code"].as_str().unwrap(), "ACME Corp", &db_v)
            .issuer()
            .is_none()
    );
    // A ticket id with a typo names the field.
    let (status, err) = ca.post("/api/v1/tickets/redeem", &json!({"ticket": "not-a-ticket"}));
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("ticket")),
        "{err}"
    );
}
