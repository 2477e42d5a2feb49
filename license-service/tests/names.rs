//! A bad value in a field is a 400 naming the field, never a 503 "retry": a NUL (which
//! PostgreSQL refuses with error 22021, once answered as 503), an empty or invisible name,
//! a bidirectional control; through every route that takes names, on PostgreSQL when
//! `LICENSE_TEST_PG` is set (else SQLite). The rule is the library's
//! (`license_issue::names`), one copy for the service and licensectl.

mod common;

use common::{Service, new_license};
use license_service::rights::{OrgKind, Rights};
use serde_json::{Value, json};

fn assert_field(status: u16, body: &Value, field: &str) {
    assert_eq!(
        (
            status,
            body["error"]["kind"].as_str(),
            body["error"]["field"].as_str()
        ),
        (400, Some("invalid_field"), Some(field)),
        "{body}"
    );
}

#[test]
fn a_nul_or_a_bad_name_in_any_field_is_a_400_naming_the_field() {
    let svc = Service::any();
    let mut erp = svc.token(svc.vendor_org, &["orders"]);
    for (field, value) in [
        ("licensee", "ACME\u{0}Corp"),
        ("contact", "it\u{0}@acme.example"),
        ("customer_ref", "K-\u{0}1"),
        ("site", "Berlin\u{0}"),
        ("order_ref", "\u{202E}4711"),
        ("licensee", "\u{200B}\u{200D}"),
        ("licensee", "   "),
    ] {
        let mut order = new_license("ACME Corp");
        order["customer"][field] = json!(value);
        let (status, body) = erp.post("/api/v1/licenses", &order);
        assert_field(status, &body, &format!("customer.{field}"));
    }
    // Nothing was issued by any of them; a good order still goes through.
    let (status, made) = erp.post("/api/v1/licenses", &new_license("ACME Corp"));
    assert_eq!(status, 201, "{made}");
    let id = made["license"]["license_id"].as_u64().unwrap();
    // Orders as data: a transfer's new licensee, a revocation's reason.
    let (status, body) = erp.post(
        "/api/v1/orders",
        &json!({"order": "transfer", "license_id": id, "to": {"licensee": "Beta\u{0}GmbH"}}),
    );
    assert_field(status, &body, "to.licensee");
    let (status, body) = erp.post(
        "/api/v1/orders",
        &json!({"order": "revoke", "license_id": id, "reason": "refund\u{0}"}),
    );
    assert_field(status, &body, "reason");
    let (status, body) = erp.post(
        &format!("/api/v1/licenses/{id}/revoke"),
        &json!({"reason": "re\u{0}fund"}),
    );
    assert_field(status, &body, "reason");
    let (status, body) = erp.post(
        &format!("/api/v1/licenses/{id}/transfer"),
        &json!({"to": {"licensee": "Beta\u{0}GmbH"}}),
    );
    assert_field(status, &body, "customer.licensee");
    // Registration and the vendor's names.
    let (status, body) = svc.client().post(
        "/api/v1/register",
        &json!({"company": "ACME\u{0}", "email": "it@acme.example", "password": "a long password"}),
    );
    assert_field(status, &body, "company");
    let c = svc.store.create_org(OrgKind::Company, "Gamma AG", "").unwrap();
    svc.user(c, "ca@gamma.test", true, &Rights::default());
    let mut ca = svc.login("ca@gamma.test", "");
    let (status, body) = ca.post("/api/v1/tokens", &json!({"name": "erp\u{0}", "scopes": []}));
    assert_field(status, &body, "name");
    let mut va = svc.certifier();
    let (status, body) = va.post("/api/v1/erasures", &json!({"licensee": "\u{0}"}));
    assert_field(status, &body, "licensee");
}
