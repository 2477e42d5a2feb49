//! The vendor's lists of customers and resellers, searched and paged in SQL on SQLite and
//! on PostgreSQL: a name with capitals beyond ASCII is found by its lower-case spelling, a
//! `_` or `%` typed in the search matches itself, a number finds that organisation, and a
//! page deep in the list shows the organisations of that page.

mod common;

use common::Service;
use license_service::rights::{OrgKind, Rights};

fn check(svc: &Service) {
    let mut companies = Vec::new();
    for n in 0..45 {
        let id = svc
            .store
            .create_org(OrgKind::Company, &format!("Firma {n:02}"), "")
            .unwrap();
        companies.push(id);
    }
    let oko = svc
        .store
        .create_org(OrgKind::Company, "ÖKO-Bau GmbH", "")
        .unwrap();
    svc.store
        .create_org(OrgKind::Company, "Under_score AG", "")
        .unwrap();
    svc.store
        .create_org(OrgKind::Company, "Underxscore AG", "")
        .unwrap();
    svc.store
        .create_org(OrgKind::Reseller, "Ärger & Söhne", "")
        .unwrap();
    let (_, secret) = svc.user(svc.vendor_org, "va@vendor.test", true, &Rights::default());
    let mut va = svc.login("va@vendor.test", &secret);
    let mut get = |path: &str| {
        let r = va.raw("GET", path, &[], None);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        r.body
    };

    let body = get("/portal/vendor/customers?q=%C3%B6ko");
    assert!(body.contains("ÖKO-Bau GmbH"), "{body}");
    assert!(body.contains(r#"id="count""#) && body.contains(">1 "), "{body}");
    let body = get("/portal/vendor/customers?q=r_s");
    assert!(
        body.contains("Under_score AG") && !body.contains("Underxscore AG"),
        "{body}"
    );
    let body = get(&format!("/portal/vendor/customers?q={oko}"));
    assert!(body.contains("ÖKO-Bau GmbH"), "the number finds it: {body}");
    let body = get("/portal/vendor/resellers?q=%C3%A4rger");
    assert!(body.contains("Ärger &#38; Söhne"), "{body}");

    // Firma 00..44: 45 of them, the third page holds the last five, in number order.
    let body = get("/portal/vendor/customers?q=firma&page=3");
    assert!(body.contains("Page 3 of 3"), "{body}");
    for n in 40..45 {
        assert!(body.contains(&format!("Firma {n:02}")), "Firma {n}: {body}");
    }
    assert!(!body.contains("Firma 39"), "{body}");
    // A page number past any list (the largest there is) is an empty page, not a failure.
    for path in [
        "/portal/licenses?page=9223372036854775807",
        "/portal/vendor/customers?page=9223372036854775807",
        "/portal/vendor/audit?page=9223372036854775807",
    ] {
        get(path);
    }
    let body = get("/portal/vendor/customers?q=firma&page=1");
    assert!(body.contains("Firma 00") && !body.contains("Firma 20"), "{body}");
    assert!(
        body.contains(r#"href="/portal/vendor/customers?q=firma&#38;page=2""#),
        "{body}"
    );
}

#[test]
fn the_vendor_searches_and_pages_its_lists_in_sql_on_sqlite() {
    check(&Service::sqlite());
}

#[test]
#[cfg_attr(not(has_pg), ignore = "needs PostgreSQL: set LICENSE_TEST_PG")]
fn the_vendor_searches_and_pages_its_lists_in_sql_on_postgres() {
    check(&Service::postgres());
}
