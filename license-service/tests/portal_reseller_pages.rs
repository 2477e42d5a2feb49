//! A reseller's pages in the browser (headless Chromium through WebDriver, PostgreSQL when
//! `LICENSE_TEST_PG` is set), each on the API's step: its customers, paged and searchable;
//! transferring a whole order to an end customer, the page naming what moves and to whom
//! first (nothing chosen: refused naming the field); its monthly list of what it created
//! and its subscriptions pro rata, as a page and as CSV (a bad month named); its ticket
//! pool, and passing tickets on (a bad count named). And the users page of a company's
//! administrator: it offers the right to order only, invites a buyer, reads in German; a
//! user who is not the administrator is refused it. Every page passes axe-core;
//! screenshots under `target/screenshots/portal-*.png`.

mod common;
mod portal_support;

use browser_test::Browser;
use common::{Client, Service, new_license};
use license_core::{Date, Frame, IdRange, KindSet, LineSet, ModuleSet};
use license_service::rights::Rights;
use portal_support::{check, login};
use serde_json::{Value, json};

fn frame(users: u32, first: u32) -> Frame {
    let mut f = Frame::new(
        KindSet::ALL,
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

/// A license the reseller creates through the API for `licensee`, in order `order`.
fn create(api: &mut Client, licensee: &str, order: Option<&str>) -> u64 {
    let mut l = new_license(licensee);
    l["customer"]["reseller"].take();
    if let Some(o) = order {
        l["customer"]["order_ref"] = json!(o);
    }
    let (status, made) = api.post("/api/v1/licenses", &l);
    assert_eq!(status, 201, "{made}");
    made["license"]["license_id"].as_u64().unwrap()
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_reseller_finds_its_customers_transfers_an_order_and_reads_its_statements() {
    let svc = Service::any_with(portal_support::catalogs());
    let r = svc.certified_reseller("Contoso", &frame(100, 500_000));
    svc.user(r, "admin@contoso.test", true, &Rights::default());
    let mut api = svc.login("admin@contoso.test", "");
    // 24 end customers (two pages), one with the two licenses of order R-77.
    let mut ids = Vec::new();
    for i in 0..21 {
        ids.push(create(&mut api, &format!("Kunde {i:02}"), None));
    }
    let a = create(&mut api, "Endkunde AG", Some("R-77"));
    let b2 = create(&mut api, "Endkunde AG", Some("R-77"));
    // Order R-88: two licensees; the vendor erases one's data (GDPR), so the library
    // refuses to re-sign that license.
    let c1 = create(&mut api, "Drittkunde OHG", Some("R-88"));
    let c2 = create(&mut api, "Zweitkunde KG", Some("R-88"));
    let (status, erased) = svc
        .certifier()
        .post("/api/v1/erasures", &json!({"licensee": "Zweitkunde KG"}));
    assert_eq!(status, 200, "{erased}");

    // Customers: paged and searchable.
    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@contoso.test");
    b.submit("a[href='/portal/customers']").unwrap();
    b.source_containing(r#"id="customers""#).unwrap();
    assert!(b.text("#count").unwrap().contains("24 customers"));
    assert!(b.text("#page").unwrap().contains("1 of 2"));
    check(&b, "reseller-customers");
    b.submit("#next").unwrap();
    b.source_containing(r#"id="prev""#).unwrap();
    assert!(b.text("#page").unwrap().contains("2 of 2"));
    b.type_into("#q", "endkunde").unwrap();
    b.submit("#search").unwrap();
    b.source_containing("1 customers").unwrap();
    let rows = b.text("#customers").unwrap();
    assert!(
        rows.contains("Endkunde AG") && rows.contains(&a.to_string()) && rows.contains(&b2.to_string()),
        "{rows}"
    );
    assert!(!rows.contains("Kunde 01"), "{rows}");
    check(&b, "reseller-customers-search");

    // Transfers: nothing chosen is refused naming the field; a whole order is named
    // license by license with its new licensee before it moves.
    b.submit("a[href='/portal/transfers']").unwrap();
    b.source_containing(r#"id="review""#).unwrap();
    check(&b, "reseller-transfers");
    b.type_into("#licensee", "Neukunde GmbH").unwrap();
    b.submit("#review").unwrap();
    b.source_containing("transfers-error").unwrap();
    assert!(
        b.text("#transfers-error")
            .unwrap()
            .contains("Choose the licenses"),
        "{}",
        b.text("#transfers-error").unwrap()
    );
    check(&b, "reseller-transfers-nothing-chosen");
    b.type_into("#order", "r-77 ").unwrap();
    b.submit("#review").unwrap();
    b.source_containing(r#"id="moving""#).unwrap();
    assert!(
        b.text("#review-text")
            .unwrap()
            .contains("2 licenses move to Neukunde GmbH")
    );
    let moving = b.text("#moving").unwrap();
    assert!(
        moving.contains(&a.to_string()) && moving.contains(&b2.to_string()) && moving.contains("Endkunde AG"),
        "{moving}"
    );
    assert!(!moving.contains(&ids[0].to_string()), "{moving}");
    check(&b, "reseller-transfer-review");
    b.submit("#confirm").unwrap();
    b.source_containing(r#"id="moved""#).unwrap();
    check(&b, "reseller-transfer-done");
    for id in [a, b2] {
        let (status, shown) = api.get(&format!("/api/v1/licenses/{id}"));
        assert_eq!(
            (status, shown["licensee"].as_str()),
            (200, Some("Neukunde GmbH")),
            "{shown}"
        );
    }
    assert_eq!(
        api.get(&format!("/api/v1/licenses/{}", ids[0])).1["licensee"],
        "Kunde 00"
    );

    // A whole order with a license the library refuses (erased) moves nothing: every
    // license is checked before any code is issued, and the refusal names the license.
    b.go(&portal_support::url(&svc, "/portal/transfers")).unwrap();
    b.source_containing(r#"id="review""#).unwrap();
    b.type_into("#licensee", "Neukunde GmbH").unwrap();
    b.type_into("#order", "R-88").unwrap();
    b.submit("#review").unwrap();
    b.source_containing("transfers-error").unwrap();
    let error = b.text("#transfers-error").unwrap();
    assert!(error.contains(&format!("license {c2} was erased")), "{error}");
    check(&b, "reseller-transfer-revoked");
    // The first license of the order, which the library would have moved, did not move.
    assert_eq!(
        api.get(&format!("/api/v1/licenses/{c1}")).1["licensee"],
        "Drittkunde OHG"
    );

    // Statements: the month's created codes and the subscriptions pro rata, a bad month
    // named, and both lists as CSV.
    let month = common::today().to_string()[..7].to_owned();
    b.submit("a[href='/portal/statements']").unwrap();
    b.source_containing(r#"id="created""#).unwrap();
    let created = b.text("#created").unwrap();
    assert!(
        created.contains(&ids[0].to_string()) && created.contains("Neukunde GmbH"),
        "{created}"
    );
    let prorata = b.text("#prorata").unwrap();
    assert!(prorata.contains(&ids[5].to_string()), "{prorata}");
    assert!(b.text("#totals").unwrap().contains("25 subscriptions"));
    assert_eq!(portal_support::value(&b, "month"), month);
    check(&b, "reseller-statements");
    b.clear("#month").unwrap();
    b.type_into("#month", "2026-13").unwrap();
    b.submit("#show").unwrap();
    b.source_containing("statements-error").unwrap();
    assert!(b.text("#statements-error").unwrap().contains("month"));
    check(&b, "reseller-statements-bad-month");

    let csv = api.raw(
        "GET",
        &format!("/portal/statements/created.csv?month={month}"),
        &[],
        None,
    );
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.head.to_lowercase().contains("text/csv"), "{}", csv.head);
    assert!(csv.head.contains(&format!("created-{month}.csv")), "{}", csv.head);
    assert!(
        csv.body.contains(&format!("{a}")) && csv.body.contains("Kunde 20"),
        "{}",
        csv.body
    );
    let csv = api.raw(
        "GET",
        &format!("/portal/statements/pro-rata.csv?month={month}"),
        &[],
        None,
    );
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert_eq!(
        csv.body.lines().count(),
        26,
        "a header and 25 subscriptions: {}",
        csv.body
    );
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_reseller_sees_its_ticket_pool_and_passes_tickets_on() {
    let svc = Service::any_with(portal_support::catalogs());
    let contoso = svc.certified_reseller("Contoso", &frame(50, 800_000));
    let fabrikam = svc.certified_reseller("Fabrikam", &frame(20, 810_000));
    svc.user(contoso, "admin@contoso.test", true, &Rights::default());
    let mut erp = svc.token(svc.vendor_org, &["tickets"]);
    let scope: Value = json!({"product": "demo-erp", "kind": "subscription", "customer": {"licensee": ""},
           "line": "standard", "named_users": 5, "modules": ["crm"]});
    let (status, made) = erp.post(
        "/api/v1/tickets",
        &json!({"reseller": contoso, "count": 3, "order": scope}),
    );
    assert_eq!(status, 201, "{made}");
    let first = made["tickets"][0].as_str().unwrap().to_owned();

    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@contoso.test");
    b.submit("a[href='/portal/tickets']").unwrap();
    b.source_containing(r#"id="tickets""#).unwrap();
    assert!(b.text("#count").unwrap().contains("3 open tickets"));
    assert!(b.text("#tickets").unwrap().contains(&first));
    check(&b, "reseller-tickets");

    // A count of none: the field is named, nothing is passed.
    b.type_into("#to", &fabrikam.to_string()).unwrap();
    b.type_into("#pass-count", "0").unwrap();
    b.submit("#pass-on").unwrap();
    b.source_containing("tickets-error").unwrap();
    assert!(b.text("#tickets-error").unwrap().contains("number of tickets"));
    assert_eq!(
        b.execute(
            "return document.getElementById('pass-count').getAttribute('aria-invalid');",
            vec![]
        )
        .unwrap(),
        "true"
    );
    check(&b, "reseller-tickets-bad-count");

    b.clear("#pass-count").unwrap();
    b.type_into("#pass-count", "1").unwrap();
    b.submit("#pass-on").unwrap();
    b.source_containing(r#"id="notice""#).unwrap();
    let notice = b.text("#notice").unwrap();
    assert!(notice.contains("1 tickets passed on to Fabrikam"), "{notice}");
    assert!(b.text("#count").unwrap().contains("2 open tickets"));
    check(&b, "reseller-tickets-passed");
    let mut rf = {
        svc.user(fabrikam, "admin@fabrikam.test", true, &Rights::default());
        svc.login("admin@fabrikam.test", "")
    };
    let (_, theirs) = rf.get("/api/v1/tickets");
    assert_eq!(theirs["tickets"].as_array().unwrap().len(), 1, "{theirs}");
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_companys_administrator_invites_a_user_who_may_order_and_its_users_may_not() {
    let svc = Service::any_with(portal_support::catalogs());
    let acme = svc
        .store
        .create_org(license_service::rights::OrgKind::Company, "ACME Corp", "")
        .unwrap();
    svc.user(acme, "ca@acme.test", true, &Rights::default());
    svc.user(acme, "viewer@acme.test", false, &Rights::default());

    let b = Browser::start().unwrap();
    login(&svc, &b, "ca@acme.test");
    b.submit("a[href='/portal/users']").unwrap();
    b.source_containing(r#"id="invite""#).unwrap();
    // A company's administrator grants the right to order; a frame, tickets and reports
    // are not a company's, so not offered.
    assert!(b.has("#right-order").unwrap());
    assert!(!b.has("#frame-controls").unwrap() && !b.has("#right-tickets").unwrap());
    check(&b, "users-company");
    b.type_into("#email", "buyer@acme.test").unwrap();
    b.click("#right-order").unwrap();
    b.submit("#invite").unwrap();
    b.source_containing(r#"id="notice""#).unwrap();
    let users = b.text("#users").unwrap();
    assert!(
        users.contains("buyer@acme.test") && users.contains("may order") && users.contains("not yet"),
        "{users}"
    );
    let buyer = svc.store.user_by_email("buyer@acme.test").unwrap().unwrap();
    assert!(buyer.rights.order && !buyer.admin && buyer.org_id == acme);
    assert!(svc.mail.last_token("buyer@acme.test", "invitation").is_some());
    check(&b, "users-company-invited");

    // The same page in German.
    b.click("#lang option[value=de]").unwrap();
    b.submit("#lang-switch").unwrap();
    b.source_containing(r#"<html lang="de">"#).unwrap();
    assert_eq!(b.text("h1").unwrap(), "Benutzer");
    assert!(b.text("#users").unwrap().contains("darf bestellen"));
    check(&b, "users-company-de");

    // A user who is not the administrator: no link, and the page is refused.
    b.submit("#logout").unwrap();
    login(&svc, &b, "viewer@acme.test");
    assert!(!b.has("a[href='/portal/users']").unwrap());
    b.go(&portal_support::url(&svc, "/portal/users")).unwrap();
    b.source_containing(r#"data-kind="forbidden""#).unwrap();
    check(&b, "users-not-administrator");
}
