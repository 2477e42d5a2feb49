//! A hosted customer's reduction in the browser (headless Chromium through WebDriver,
//! PostgreSQL when `LICENSE_TEST_PG` is set): the page computes the day it takes effect and
//! the last day it can be withdrawn before the customer confirms (the library's
//! `reduction_dates`, which `Issuer::reduce` applies), lists it until then, withdraws it,
//! and after the cutoff offers no withdrawal and refuses one posted anyway. Every page
//! passes axe-core; screenshots under `target/screenshots/portal-*.png`.
//!
//! This binary moves the services' day (`common::set_day`): its one test owns the clock.

mod common;
mod portal_support;

use browser_test::Browser;
use common::Service;
use license_core::Date;
use license_issue::{Catalog, Catalogs};
use license_service::rights::{OrgKind, Rights};
use portal_support::{check, login, url};
use serde_json::json;

fn hosted() -> Catalogs {
    let mut c = Catalogs::new();
    c.insert(Catalog::demo_hosted().unwrap());
    c
}

fn wait_for(svc: &Service, b: &Browser, id: u64, what: &str) {
    let want = url(svc, &format!("/portal/licenses/{id}?done={what}"));
    if let Err(e) = b.url_becoming(&want) {
        panic!("{what}: {e}; the page says {:?}", b.text("#reduce-error").ok());
    }
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_hosted_customer_sees_the_effective_day_first_withdraws_and_cannot_after_the_cutoff() {
    let svc = Service::any_with(hosted());
    let org = svc
        .store
        .create_org(OrgKind::Company, "Hosted Kunde GmbH", "")
        .unwrap();
    svc.user(org, "admin@hosted.test", true, &Rights::default());
    let mut shop = svc.token(svc.vendor_org, &["orders"]);
    let (status, v) = shop.post(
        &format!("/api/v1/licenses?company={org}"),
        &json!({
            "product": "demo-erp-hosted",
            "kind": "subscription",
            "customer": {"licensee": "Hosted Kunde GmbH"},
            "named_users": 20,
            "modules": ["crm", "bi"],
        }),
    );
    assert_eq!(status, 201, "{v}");
    let id = v["license"]["license_id"].as_u64().unwrap();

    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@hosted.test");
    b.go(&url(&svc, &format!("/portal/licenses/{id}"))).unwrap();
    assert!(b.has("#no-pending").unwrap());

    // A reduction that reduces nothing: the dates first, then the library's refusal at
    // the form.
    b.submit("#reduce").unwrap();
    b.source_containing(r#"id="effective""#).unwrap();
    b.submit("#confirm-reduce").unwrap();
    b.source_containing("reduce-error").unwrap();
    let error = b.text("#reduce-error").unwrap();
    assert!(error.contains("reduce"), "{error}");
    check(&b, "reduce-nothing");

    // 15 users: ordered on 2026-11-22, quarterly with 20 days' notice: from 2027-01-01,
    // withdrawable until 2026-12-12; the current scope stays until 2026-12-31.
    b.clear("#reduce_users").unwrap();
    b.type_into("#reduce_users", "15").unwrap();
    b.submit("#reduce").unwrap();
    b.source_containing(r#"id="effective""#).unwrap();
    let text = b.text("#effective").unwrap();
    assert!(
        text.contains("from 2027-01-01")
            && text.contains("until 2026-12-31")
            && text.contains("until 2026-12-12"),
        "{text}"
    );
    check(&b, "reduce-preview");
    b.submit("#confirm-reduce").unwrap();
    wait_for(&svc, &b, id, "reduce");
    let pending = b.text("#pending").unwrap();
    assert!(pending.contains("From 2027-01-01: 15 named users"), "{pending}");
    assert!(pending.contains("withdrawn until 2026-12-12"), "{pending}");
    assert_eq!(b.text("#users").unwrap(), "20", "the scope in force is unchanged");
    check(&b, "reduce-scheduled");

    b.submit(".withdraw").unwrap();
    wait_for(&svc, &b, id, "withdraw");
    assert!(b.has("#no-pending").unwrap());
    check(&b, "reduce-withdrawn");

    // Scheduled again; after the cutoff it stays listed, without a withdrawal.
    b.clear("#reduce_users").unwrap();
    b.type_into("#reduce_users", "15").unwrap();
    b.submit("#reduce").unwrap();
    b.source_containing(r#"id="effective""#).unwrap();
    b.submit("#confirm-reduce").unwrap();
    wait_for(&svc, &b, id, "reduce");
    common::set_day(Date::from_ymd(2026, 12, 13).unwrap());
    b.go(&url(&svc, &format!("/portal/licenses/{id}"))).unwrap();
    let pending = b.text("#pending").unwrap();
    assert!(pending.contains("From 2027-01-01: 15 named users"), "{pending}");
    assert!(!b.has(".withdraw").unwrap(), "no withdrawal after the cutoff");
    check(&b, "reduce-after-cutoff");

    // A withdrawal posted anyway (the form as the page had it) is refused by the library.
    let mut c = svc.login("admin@hosted.test", "");
    let form = format!("csrf={}", c.csrf.clone().unwrap());
    let origin = format!("http://{}", svc.addr);
    let r = c.raw(
        "POST",
        &format!("/portal/licenses/{id}/withdraw"),
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", &origin),
        ],
        Some(form.as_bytes()),
    );
    assert!((400..500).contains(&r.status), "{} {}", r.status, r.body);
    assert!(r.body.contains(r#"id="reduce-error""#), "{}", r.body);
    let (_, v) = c.get(&format!("/api/v1/licenses/{id}"));
    assert_eq!(v["pending"].as_array().unwrap().len(), 1, "{v}");
}
