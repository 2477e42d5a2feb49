//! The library's operations through the API, as the roles that use them: a company's
//! administrator downloads its license file, moves the license to another database,
//! schedules a reduction and withdraws it, cancels; a reseller transfers a license to its
//! end customer, who then sees it; the vendor revokes and publishes the revocation list,
//! and reads the issued report as CSV with formula cells neutralized.

mod common;

use common::{Service, new_license, pg};
use license_service::rights::{OrgKind, Rights};
use serde_json::json;

#[test]
fn a_company_admin_runs_its_license_through_the_library() {
    let svc = Service::any();
    let a = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    svc.user(a, "ca@acme.test", true, &Rights::default());
    let mut erp = svc.token(svc.vendor_org, &["orders", "reports"]);
    let (status, made) = erp.post(
        &format!("/api/v1/licenses?company={a}"),
        &new_license("ACME Corp"),
    );
    assert_eq!(status, 201, "{made}");
    let id = made["license"]["license_id"].as_u64().unwrap();
    let code = made["code"].as_str().unwrap().to_owned();

    let mut ca = svc.login("ca@acme.test", "");
    let (status, listed) = ca.get("/api/v1/licenses");
    assert_eq!(status, 200);
    assert_eq!(listed["licenses"].as_array().unwrap().len(), 1, "{listed}");
    let r = ca.raw("GET", &format!("/api/v1/licenses/{id}/file"), &[], None);
    assert_eq!(r.status, 200);
    assert!(r.head.contains("attachment; filename=\"license-"), "{}", r.head);
    assert_eq!(r.body.trim(), code);

    // A move to another database: the bound code.
    let moved = pg::db("ACME moved");
    let (status, out) = ca.post(
        &format!("/api/v1/licenses/{id}/activate"),
        &json!({"bind": {"database": moved}}),
    );
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["now"]["database"], moved, "{out}");
    // A reduction at its effective day, withdrawn while allowed.
    let (status, red) = ca.post(
        &format!("/api/v1/licenses/{id}/reduce"),
        &json!({"named_users": 20}),
    );
    assert_eq!(
        (status, red["outcome"].as_str()),
        (200, Some("reduction")),
        "{red}"
    );
    assert_eq!(red["scheduled"]["license"]["valid_from"], "2027-11-22");
    let (_, shown) = ca.get(&format!("/api/v1/licenses/{id}"));
    assert_eq!(shown["pending"].as_array().unwrap().len(), 1, "{shown}");
    let (status, out) = ca.post(&format!("/api/v1/licenses/{id}/withdraw"), &json!({}));
    assert_eq!(status, 200, "{out}");
    let (_, shown) = ca.get(&format!("/api/v1/licenses/{id}"));
    assert!(shown["pending"].as_array().unwrap().is_empty(), "{shown}");
    let (status, out) = ca.post(&format!("/api/v1/licenses/{id}/cancel"), &json!({}));
    assert_eq!(
        (status, out["outcome"].as_str()),
        (200, Some("cancelled")),
        "{out}"
    );
    // The company may not revoke; the audit log names who did what.
    let (status, _) = ca.post(&format!("/api/v1/licenses/{id}/revoke"), &json!({}));
    assert_eq!(status, 403);
    let audit = svc.store.audit_log(0, 100).unwrap();
    for action in ["issue", "activate", "reduce", "withdraw_reduction", "cancel"] {
        assert!(audit.iter().any(|l| l.action == action), "{action}: {audit:?}");
    }
}

#[test]
fn a_reseller_transfers_to_its_customer_and_the_vendor_revokes_publishes_and_reports() {
    let svc = Service::any();
    let frame = serde_json::to_string(&{
        let mut f = license_core::Frame::new(
            license_core::KindSet::ALL,
            license_core::LineSet::from_bits(0b11),
            license_core::ModuleSet::from_bits(u64::MAX),
            license_core::Date::from_ymd(2030, 1, 1).unwrap(),
        );
        f.named_users = Some(100);
        f
    })
    .unwrap();
    let r = svc.certified_reseller("Contoso", &serde_json::from_str(&frame).unwrap());
    let b = svc.store.create_org(OrgKind::Company, "Beta GmbH", "").unwrap();
    svc.user(r, "ra@contoso.test", true, &Rights::default());
    svc.user(b, "cb@beta.test", true, &Rights::default());
    let mut ra = svc.login("ra@contoso.test", "");
    let mut order = new_license("=HYPERLINK(\"x\")");
    order["customer"]["reseller"].take();
    let (status, made) = ra.post("/api/v1/licenses", &order);
    assert_eq!(status, 201, "{made}");
    let id = made["license"]["license_id"].as_u64().unwrap();
    let mut cb = svc.login("cb@beta.test", "");
    assert_eq!(cb.get(&format!("/api/v1/licenses/{id}")).0, 404, "not Beta's yet");
    let (status, out) = ra.post(
        &format!("/api/v1/licenses/{id}/transfer"),
        &json!({"to": {"licensee": "Beta GmbH"}, "company": b}),
    );
    assert_eq!(status, 200, "{out}");
    let (status, shown) = cb.get(&format!("/api/v1/licenses/{id}"));
    assert_eq!(
        (status, shown["licensee"].as_str()),
        (200, Some("Beta GmbH")),
        "{shown}"
    );

    let mut erp = svc.token(svc.vendor_org, &["orders", "reports"]);
    // Active on a day (the ledger's per-license terms, the library's rule): the transferred
    // subscription under its new licensee, until it is revoked.
    let (_, active) = erp.get("/api/v1/reports/active");
    let row = active["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["license_id"] == id)
        .cloned();
    assert_eq!(
        row.map(|r| r["licensee"].clone()),
        Some(json!("Beta GmbH")),
        "{active}"
    );
    let (status, _) = erp.post(
        &format!("/api/v1/licenses/{id}/revoke"),
        &json!({"reason": "refund"}),
    );
    assert_eq!(status, 200);
    let (status, list) = erp.post("/api/v1/revocations/demo-erp", &json!({"valid_days": 10}));
    assert_eq!(status, 200, "{list}");
    assert!(list["entries"].to_string().contains(&id.to_string()), "{list}");
    assert!(!list["list_hex"].as_str().unwrap().is_empty());
    let r = erp.raw(
        "GET",
        "/api/v1/reports/issued?month=2026-11&format=csv",
        &[],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.head.contains("content-type: text/csv"));
    assert!(
        r.body.contains("'=HYPERLINK"),
        "the formula is neutralized: {}",
        r.body
    );
    for path in [
        "/api/v1/reports/active?day=2026-12-01",
        "/api/v1/reports/pro-rata?month=2026-11",
        "/api/v1/reports/notices",
        "/api/v1/reports/renewals",
    ] {
        let (status, body) = erp.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        let r = erp.raw(
            "GET",
            &format!("{path}{}format=csv", if path.contains('?') { "&" } else { "?" }),
            &[],
            None,
        );
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert!(r.head.contains("content-type: text/csv"), "{path}");
    }
    let (_, active) = erp.get("/api/v1/reports/active");
    assert!(
        active["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["license_id"] != id),
        "revoked: {active}"
    );
    // GDPR erasure by the vendor's administrator: the licensee's name is gone.
    let (_, secret) = svc.user(svc.vendor_org, "va@vendor.test", true, &Rights::default());
    let mut va = svc.login("va@vendor.test", &secret);
    let (status, erased) = va.post("/api/v1/erasures", &json!({"licensee": "Beta GmbH"}));
    assert_eq!(status, 200, "{erased}");
    assert!(erased["records_changed"].as_u64().unwrap() >= 1, "{erased}");
    let (_, shown) = va.get(&format!("/api/v1/licenses/{id}"));
    assert_eq!(shown["licensee"], erased["pseudonym"], "{shown}");
    let (status, err) = erp.get("/api/v1/reports/active?day=2026-02-30");
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("day")),
        "{err}"
    );
    let (status, err) = erp.get("/api/v1/reports/issued?month=2026-13");
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("month")),
        "{err}"
    );
}
