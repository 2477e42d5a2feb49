//! The vendor's reports in the browser (headless Chromium through WebDriver, PostgreSQL
//! when `LICENSE_TEST_PG` is set): licenses of different kinds issued in different months
//! (the services' day moved for each), then the charts of the last 12 months show a bar
//! per month and kind issued, with its value in its title, and a point per month of
//! active subscriptions; their tables hold the same numbers, equal to the JSON API's
//! reports. The month's issued codes, the invoice basis, the pro-rata statement, renewals
//! due and notices; a mistyped month is refused naming the field; English and German.
//! Every page passes axe-core; screenshots under `target/screenshots/portal-*.png`.
//!
//! This binary moves the services' day (`common::set_day`): its one test owns the clock.

mod common;
mod portal_support;

use browser_test::Browser;
use common::{Client, Service, new_license};
use license_core::Date;
use license_service::rights::Rights;
use portal_support::{check, login_vendor, url};
use serde_json::json;

fn day(y: u16, m: u8, d: u8) -> Date {
    Date::from_ymd(y, m, d).unwrap()
}

/// A new license of `kind` issued by the vendor on the services' day (`term_months` for a
/// subscription's shorter term).
fn issue(vendor: &mut Client, licensee: &str, kind: &str, term_months: Option<u32>) -> u64 {
    let mut body = new_license(licensee);
    body["kind"] = json!(kind);
    if let Some(m) = term_months {
        body["term"] = json!({ "months": m });
    }
    let (status, v) = vendor.post("/api/v1/licenses", &body);
    assert_eq!(status, 201, "{licensee}: {v}");
    v["license"]["license_id"].as_u64().unwrap()
}

/// The texts of the elements `css` selects.
fn texts(b: &Browser, css: &str) -> Vec<String> {
    let v = b
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent.trim());",
            vec![json!(css)],
        )
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

fn cells(b: &Browser, row: &str) -> Vec<String> {
    texts(b, &format!("#{row} td"))
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn the_vendor_sees_charts_and_reports_of_known_licenses_in_english_and_german() {
    let svc = Service::any_with(portal_support::catalogs());
    let mut vendor = svc.certifier();
    // March: two subscriptions (one for 3 months only) and a perpetual license.
    common::set_day(day(2026, 3, 10));
    let a = issue(&mut vendor, "Alpha AG", "subscription", None);
    let short = issue(&mut vendor, "Beta GmbH", "subscription", Some(3));
    issue(&mut vendor, "Gamma KG", "full", None);
    // July: a subscription and two perpetual licenses.
    common::set_day(day(2026, 7, 15));
    issue(&mut vendor, "Delta SE", "subscription", None);
    issue(&mut vendor, "Epsilon AG", "full", None);
    issue(&mut vendor, "Zeta GmbH", "full", None);
    // Today (2026-11-22): one more subscription.
    common::set_day(common::today());
    let g = issue(&mut vendor, "Eta OHG", "subscription", None);

    let (_, secret) = svc.user(svc.vendor_org, "reports@vendor.test", true, &Rights::default());
    let b = Browser::start().unwrap();
    login_vendor(&svc, &b, "reports@vendor.test", &secret);
    b.submit("#nav-reports").unwrap();
    b.source_containing(r#"id="issued-chart""#).unwrap();

    // New licenses per month by kind: Dec 2025 to Nov 2026, columns full, trial,
    // subscription, NFR, then codes issued.
    let months = texts(&b, "#issued-table tbody th");
    assert_eq!(months.len(), 12, "{months:?}");
    assert_eq!((months[0].as_str(), months[11].as_str()), ("2025-12", "2026-11"));
    assert_eq!(cells(&b, "issued-2026-03"), ["1", "0", "2", "0", "3"]);
    assert_eq!(cells(&b, "issued-2026-07"), ["2", "0", "1", "0", "3"]);
    assert_eq!(cells(&b, "issued-2026-11"), ["0", "0", "1", "0", "1"]);
    assert_eq!(cells(&b, "issued-2026-05"), ["0", "0", "0", "0", "0"]);
    // A bar per month and kind with licenses issued, its value in its title.
    let bars = texts(&b, "#issued-chart rect.bar title");
    assert_eq!(
        bars,
        [
            "2026-03, perpetual: 1 new licenses",
            "2026-03, subscription: 2 new licenses",
            "2026-07, perpetual: 2 new licenses",
            "2026-07, subscription: 1 new licenses",
            "2026-11, subscription: 1 new licenses",
        ]
    );
    assert_eq!(
        b.execute(
            "return document.getElementById('issued-chart').getAttribute('role');",
            vec![]
        )
        .unwrap(),
        "img"
    );

    // Active subscriptions on each month's last day (today for November): the short one
    // ended on 2026-06-09, its last day.
    let active: Vec<String> = (0..12)
        .map(|i| {
            let m = if i == 0 {
                "2025-12".to_owned()
            } else {
                format!("2026-{i:02}")
            };
            cells(&b, &format!("active-{m}"))[1].clone()
        })
        .collect();
    assert_eq!(
        active,
        ["0", "0", "0", "2", "2", "2", "1", "2", "2", "2", "2", "3"]
    );
    let points = texts(&b, "#active-chart circle.point title");
    assert_eq!(points.len(), 12);
    assert_eq!(points[6], "2026-06-30: 1 active subscriptions");
    assert_eq!(points[11], "2026-11-22: 3 active subscriptions");
    // The same numbers as the JSON API's reports.
    for (m, d, n) in [("2026-06", "2026-06-30", 1), ("2026-11", "2026-11-22", 3)] {
        let (status, v) = vendor.get(&format!("/api/v1/reports/active?day={d}"));
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["rows"].as_array().unwrap().len(), n, "{m}");
    }
    let (_, issued) = vendor.get("/api/v1/reports/issued?month=2026-03");
    let totals: Vec<u64> = issued["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["new_licenses"].as_u64().unwrap())
        .collect();
    assert_eq!(totals, [1, 0, 2, 0]);
    check(&b, "reports-charts");

    // The month's issued report: March, every code with license and kind, searchable.
    b.submit("#issued-2026-03 a").unwrap();
    b.source_containing(r#"id="codes""#).unwrap();
    let listed = texts(&b, "#codes tbody tr td:nth-child(2)");
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed.contains(&a.to_string()) && listed.contains(&short.to_string()));
    assert!(b.has("#csv").unwrap());
    check(&b, "reports-issued");
    b.type_into("#q", "beta").unwrap();
    b.submit("#show").unwrap();
    b.url_becoming(&url(&svc, "/portal/reports/issued?month=2026-03&q=beta"))
        .unwrap();
    assert_eq!(texts(&b, "#codes tbody tr td:nth-child(2)"), [short.to_string()]);
    // A mistyped month: refused, naming the field, the value kept.
    b.go(&url(&svc, "/portal/reports/issued?month=2026-13")).unwrap();
    b.source_containing(r#"id="report-error""#).unwrap();
    let error = b.text("#report-error").unwrap();
    assert!(
        error.starts_with("Month:") && error.contains("2026-13"),
        "{error}"
    );
    assert_eq!(
        b.execute(
            "return document.getElementById('month').getAttribute('aria-invalid');",
            vec![]
        )
        .unwrap(),
        "true"
    );
    check(&b, "reports-issued-bad-month");
    // The CSV is the API's.
    let csv = vendor.raw(
        "GET",
        "/portal/reports/issued?month=2026-03&format=csv",
        &[],
        None,
    );
    let api = vendor.raw(
        "GET",
        "/api/v1/reports/issued?month=2026-03&format=csv",
        &[],
        None,
    );
    assert_eq!(csv.status, 200);
    assert_eq!(csv.body, api.body);

    // Invoice basis and pro rata for November: the vendor's own sales have a reseller
    // label here ("Reseller One"), so they are invoiced to it.
    b.go(&url(&svc, "/portal/reports/invoice?month=2026-11")).unwrap();
    b.source_containing(r#"id="heading""#).unwrap();
    let invoice = b.text("main").unwrap();
    assert!(invoice.contains(&g.to_string()), "{invoice}");
    check(&b, "reports-invoice");
    b.go(&url(&svc, "/portal/reports/pro-rata?month=2026-11"))
        .unwrap();
    b.source_containing(r#"id="heading""#).unwrap();
    let rows = texts(&b, "#rows tbody tr td:first-child");
    assert_eq!(rows.len(), 3, "{rows:?}");
    check(&b, "reports-pro-rata");
    b.go(&url(&svc, "/portal/reports/renewals")).unwrap();
    b.source_containing(r#"id="count""#).unwrap();
    check(&b, "reports-renewals");
    b.go(&url(&svc, "/portal/reports/notices")).unwrap();
    b.source_containing(r#"id="count""#).unwrap();
    let (_, notices) = vendor.get("/api/v1/reports/notices");
    assert_eq!(
        texts(&b, "#notices tbody tr").len(),
        notices["rows"].as_array().map_or(0, Vec::len)
    );
    check(&b, "reports-notices");

    // German: the same charts, in German words and dates.
    b.go(&url(&svc, "/portal/reports")).unwrap();
    b.click("#lang option[value=de]").unwrap();
    b.submit("#lang-switch").unwrap();
    b.source_containing("Neue Lizenzen pro Monat").unwrap();
    let bars = texts(&b, "#issued-chart rect.bar title");
    assert_eq!(bars[1], "03.2026, Abonnement: 2 neue Lizenzen", "{bars:?}");
    assert_eq!(cells(&b, "issued-2026-03"), ["1", "0", "2", "0", "3"]);
    let points = texts(&b, "#active-chart circle.point title");
    assert_eq!(points[11], "22.11.2026: 3 aktive Abonnements");
    check(&b, "reports-charts-de");
}
