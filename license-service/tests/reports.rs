//! Reports of issue 21 over HTTP: the invoice basis per reseller (the library's
//! `invoice`) as JSON and CSV, with cells starting with `=`, `+`, `-`, `@` neutralized;
//! a reseller reads only its own section; "issued per month by kind" has its totals.

mod common;

use common::{Service, new_license};
use license_core::{Date, Frame, IdRange, Kind, KindSet, LineSet, ModuleSet};
use license_service::rights::Rights;
use serde_json::json;

#[test]
fn the_invoice_per_reseller_is_json_and_neutralized_csv_and_a_reseller_sees_its_own() {
    let svc = Service::any();
    let mut erp = svc.token(svc.vendor_org, &["orders", "reports"]);
    for (licensee, reseller) in [
        ("ACME Corp", "=SUM(1+1)"),
        ("Beta GmbH", "@cmd"),
        ("Gamma AG", "Plain"),
    ] {
        let mut o = new_license(licensee);
        o["customer"]["reseller"] = json!(reseller);
        let (status, made) = erp.post("/api/v1/licenses", &o);
        assert_eq!(status, 201, "{made}");
    }
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Subscription),
        LineSet::from_bits(0b11),
        ModuleSet::from_bits(u64::MAX),
        Date::from_ymd(2030, 1, 1).unwrap(),
    );
    f.license_ids = Some(IdRange {
        first: 900_000,
        last: 900_999,
    });
    let r = svc.certified_reseller("Contoso", &f);
    svc.user(r, "ra@contoso.test", true, &Rights::default());
    let mut ra = svc.login("ra@contoso.test", "");
    let mut o = new_license("-Delta");
    o["customer"]["reseller"].take();
    let (status, made) = ra.post("/api/v1/licenses", &o);
    assert_eq!(status, 201, "{made}");

    let (status, inv) = erp.get("/api/v1/reports/invoice?month=2026-11");
    assert_eq!(status, 200, "{inv}");
    let sections: Vec<&str> = inv["resellers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["invoiced"].as_str().unwrap())
        .collect();
    for name in ["=SUM(1+1)", "@cmd", "Plain", "Contoso"] {
        assert!(sections.contains(&name), "{name} in {sections:?}");
    }
    let csv = erp.raw(
        "GET",
        "/api/v1/reports/invoice?month=2026-11&format=csv",
        &[],
        None,
    );
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.head.contains("content-type: text/csv"));
    assert!(
        csv.body.contains("'=SUM(1+1)") && csv.body.contains("'@cmd"),
        "{}",
        csv.body
    );
    for line in csv.body.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a cell a spreadsheet would run: {cell:?} in {line:?}"
            );
        }
    }
    // One reseller's section.
    let (_, one) = erp.get("/api/v1/reports/invoice?month=2026-11&reseller=Plain");
    assert_eq!(one["resellers"].as_array().unwrap().len(), 1, "{one}");
    // The reseller reads its own section only, whatever it asks.
    let (status, own) = ra.get("/api/v1/reports/invoice?month=2026-11&reseller=Plain");
    assert_eq!(status, 200, "{own}");
    let own_sections = own["resellers"].as_array().unwrap();
    assert_eq!(own_sections.len(), 1, "{own}");
    assert_eq!(own_sections[0]["invoiced"], "Contoso");
    // A bad month or name names the field.
    let (status, err) = erp.get("/api/v1/reports/invoice?month=2026-13");
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("month")),
        "{err}"
    );
    let (status, err) = erp.get("/api/v1/reports/invoice?month=2026-11&reseller=%E2%80%AEx");
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("reseller")),
        "{err}"
    );

    // Issued per month by kind: the totals per kind.
    let (status, issued) = erp.get("/api/v1/reports/issued?month=2026-11");
    assert_eq!(status, 200, "{issued}");
    let totals = issued["totals"].to_string();
    assert!(totals.contains("subscription"), "{issued}");
}
