//! The portal in headless Chromium (Debian's `chromium` and `chromium-driver` through
//! WebDriver, the workspace's `browser-test` harness), against the service on PostgreSQL
//! when `LICENSE_TEST_PG` is set (else SQLite): a company registers, confirms its address
//! from the mailed link, starts a trial, mistypes the database code (the typo's group is
//! shown), activates with the right one; an order of more users and the BI module on the
//! trial is refused (the library keeps a trial within the catalog's trial terms); the
//! subscription the vendor's shop then issues for the company gets 5 more users and the
//! BI module, and the page shows the new code, which `license-check verify` accepts (as
//! it accepts the activated trial's). Then the same page in
//! German and English, the language stored with the user.
//!
//! The confirmation mail goes the way it goes in production: the outbox, the delivery
//! worker, SMTP to Debian's aiosmtpd (`test-receivers`); the browser opens its link.
//!
//! Every page visited, the forms' error states included, passes axe-core; each is saved as
//! a screenshot under `target/screenshots/portal-*.png`.

mod common;
mod portal_support;

use std::process::Command;

use browser_test::Browser;
use common::mailbox;
use common::{Options, PASSWORD, Service};
use license_issue::{PublicKeyFormat, export_public_keys};
use portal_support::{catalogs, check, license_in_url, login, url, value};
use serde_json::json;

/// `code` with one symbol of group `group` (from 1, after `DB-`) replaced by another.
fn mistype(code: &str, group: usize) -> String {
    let mut parts: Vec<String> = code.split('-').map(str::to_owned).collect();
    let g = &mut parts[group];
    let first = g.chars().next().unwrap();
    let other = if first == 'A' { 'B' } else { 'A' };
    g.replace_range(..1, &other.to_string());
    parts.join("-")
}

/// Wait for the license page after an order (`?done=what`); a form's error otherwise.
fn done(svc: &Service, b: &Browser, id: u32, what: &str) {
    let want = url(svc, &format!("/portal/licenses/{id}?done={what}"));
    if let Err(e) = b.url_becoming(&want) {
        let errors: Vec<String> = ["#activate-error", "#edit-error", "#reduce-error", "#error"]
            .iter()
            .filter_map(|css| b.text(css).ok())
            .collect();
        panic!("{what}: {e}; the page says {errors:?}");
    }
}

#[test]
#[cfg_attr(
    not(all(has_chromium, has_smtpd)),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver) and python3-aiosmtpd"
)]
fn a_company_registers_confirms_tries_activates_after_a_typo_and_orders_more_in_the_browser() {
    let smtpd = mailbox::smtpd();
    let svc = Service::any_options(Options {
        catalogs: Some(catalogs()),
        ..common::smtp_options(&smtpd, "portal-flow")
    });
    let b = Browser::start().unwrap();
    let email = "admin@acme-portal.test";
    let company = "ACME Portal GmbH";

    // Registration: a weak password first (the field is named), then a good one.
    b.go(&url(&svc, "/portal/register")).unwrap();
    check(&b, "register");
    b.type_into("#company", company).unwrap();
    b.type_into("#email", email).unwrap();
    b.type_into("#password", "short").unwrap();
    b.submit("#register").unwrap();
    b.source_containing("register-error").unwrap();
    let invalid = b
        .execute(
            "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id).join(',');",
            vec![],
        )
        .unwrap();
    assert_eq!(invalid, json!("password"), "only the password field is marked");
    assert!(b.text("#register-error").unwrap().contains("password"));
    check(&b, "register-error");
    b.type_into("#password", PASSWORD).unwrap();
    b.submit("#register").unwrap();
    b.source_containing("message-title").unwrap();
    check(&b, "registered");
    assert!(
        svc.store
            .user_by_email(email)
            .unwrap()
            .is_some_and(|u| !u.confirmed)
    );

    // The link comes by mail, over SMTP (the outbox, the delivery worker, aiosmtpd); it
    // lands on a page whose button confirms. The mail's links name the service's public
    // address (`http://portal.test` here): the browser opens the link's path on the
    // service the test runs.
    let mail = smtpd.wait_for(email, "confirm", 30);
    let body = mail["body"].as_str().unwrap();
    let link = body
        .split_whitespace()
        .find(|w| w.starts_with("http://portal.test/portal/confirm?token="))
        .unwrap_or_else(|| panic!("no confirmation link in {body}"));
    b.go(&url(&svc, &link["http://portal.test".len()..])).unwrap();
    check(&b, "confirm");
    b.submit("#confirm").unwrap();
    b.source_containing("message-link").unwrap();
    check(&b, "confirmed");
    assert!(svc.store.user_by_email(email).unwrap().unwrap().confirmed);

    // Log in; no licenses yet; start the trial.
    login(&svc, &b, email);
    assert!(b.has("#no-licenses").unwrap());
    check(&b, "licenses-empty");
    b.go(&url(&svc, "/portal/trial")).unwrap();
    check(&b, "trial");
    b.submit("#start-trial").unwrap();
    b.source_containing(r#"id="notice""#).unwrap();
    let id = license_in_url(&b);
    assert_eq!(b.text("#kind").unwrap(), "trial");
    assert_eq!(b.text("#users").unwrap(), "10");
    assert!(!b.text("#modules").unwrap().contains("bi"));
    // 30 days from 2026-11-22: the last day is the 29th day after the first.
    assert_eq!(b.text("#last-day").unwrap(), "2026-12-21");
    check(&b, "trial-started");

    // Activation: a typo in group 3 is located and shown.
    let db = common::pg::db("ACME Portal installation");
    let typo = mistype(&db, 3);
    b.type_into("#database", &typo).unwrap();
    b.submit("#activate").unwrap();
    let page = b.source_containing("activate-error").unwrap();
    assert!(b.text("#activate-error").unwrap().contains("group 3"), "{page}");
    assert_eq!(b.text("#typo-group").unwrap(), typo.split('-').nth(3).unwrap());
    assert_eq!(value(&b, "database"), typo, "the typed code stays in the field");
    check(&b, "activate-typo");
    b.clear("#database").unwrap();
    b.type_into("#database", &db).unwrap();
    b.submit("#activate").unwrap();
    done(&svc, &b, id, "activate");
    assert!(b.text("#notice").unwrap().contains("activated"));
    assert!(
        b.text("#bound").unwrap().contains(&db),
        "{}",
        b.text("#bound").unwrap()
    );
    let activated_code = value(&b, "code");
    check(&b, "activated");

    // Edit license on the trial: the library keeps a trial within the catalog's trial
    // terms, and the page says so at the field's form.
    b.clear("#named_users").unwrap();
    b.type_into("#named_users", "15").unwrap();
    b.click("#add-bi").unwrap();
    b.submit("#order").unwrap();
    b.source_containing("edit-error").unwrap();
    assert!(
        b.text("#edit-error").unwrap().contains("trial terms"),
        "{}",
        b.text("#edit-error").unwrap()
    );
    check(&b, "order-on-trial-refused");

    // The company buys: the vendor's shop (an API token) issues its subscription for the
    // same installation; it appears in the company's list.
    let mut shop = svc.token(svc.vendor_org, &["orders"]);
    let org = svc.store.user_by_email(email).unwrap().unwrap().org_id;
    let (status, v) = shop.post(
        &format!("/api/v1/licenses?company={org}"),
        &json!({
            "product": "demo-erp",
            "kind": "subscription",
            "customer": {"licensee": company},
            "named_users": 10,
            "modules": ["crm"],
            "bind": {"database": db},
        }),
    );
    assert_eq!(status, 201, "{v}");
    let sub = v["license"]["license_id"].as_u64().unwrap() as u32;
    b.go(&url(&svc, "/portal/licenses")).unwrap();
    let list = b.source_containing(r#"id="licenses""#).unwrap();
    assert!(
        list.contains(&format!(">{sub}</a>")) && list.contains(&format!(">{id}</a>")),
        "{list}"
    );
    check(&b, "licenses");
    b.submit(&format!("a[href='/portal/licenses/{sub}']")).unwrap();
    b.source_containing(r#"id="code""#).unwrap();
    let bought_code = value(&b, "code");

    // Edit license: 5 more users and the BI module; the new code at once.
    b.clear("#named_users").unwrap();
    b.type_into("#named_users", "15").unwrap();
    b.click("#add-bi").unwrap();
    b.submit("#order").unwrap();
    done(&svc, &b, sub, "upgrade");
    assert!(b.text("#notice").unwrap().contains("new code"));
    assert_eq!(b.text("#users").unwrap(), "15");
    assert!(b.text("#modules").unwrap().contains("bi"));
    let code = value(&b, "code");
    assert!(!code.is_empty() && code != bought_code, "a new code is shown");
    check(&b, "license-upgraded");
    let id = sub;

    // The customer's verifier accepts it: this database, this licensee, the vendor's key.
    let key = export_public_keys(&[common::key().public_key()], PublicKeyFormat::Hex);
    let out = Command::new(portal_support::license_check_bin())
        .args([
            "--date",
            "2026-11-22",
            "verify",
            &code,
            "--licensee",
            company,
            "--database",
            &db,
        ])
        .arg("--catalog")
        .arg(portal_support::catalog_file())
        .args(["--key", key.lines().next().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with(&format!("USABLE now: license {id}")), "{text}");
    assert!(text.contains("bi"), "{text}");
    // The trial's code was bound by the activation (verified the same way).
    let out = Command::new(portal_support::license_check_bin())
        .args([
            "--date",
            "2026-11-22",
            "verify",
            &activated_code,
            "--licensee",
            company,
            "--database",
            &db,
        ])
        .arg("--catalog")
        .arg(portal_support::catalog_file())
        .args(["--key", key.lines().next().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // The same through the API, the same library: the code in force is the page's.
    let mut api = svc.login(email, "");
    let (status, v) = api.get(&format!("/api/v1/licenses/{id}"));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["current"]["code"], json!(code));
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn the_license_page_in_german_and_english_the_language_stored_with_the_user() {
    let svc = Service::any_with(catalogs());
    let org = svc
        .store
        .create_org(license_service::rights::OrgKind::Company, "Beispiel AG", "")
        .unwrap();
    svc.user(org, "admin@beispiel.test", true, &Default::default());
    let mut api = svc.login("admin@beispiel.test", "");
    let (status, v) = api.post("/api/v1/trials", &json!({"product": "demo-erp"}));
    assert_eq!(status, 201, "{v}");
    let id = v["license"]["license_id"].as_u64().unwrap();

    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@beispiel.test");
    b.go(&url(&svc, &format!("/portal/licenses/{id}"))).unwrap();
    assert_eq!(
        b.text("#license-title").unwrap(),
        format!("License {id}: demo-erp")
    );
    assert_eq!(b.text("#last-day").unwrap(), "2026-12-21");
    let after = b.text("#after").unwrap();
    assert!(after.contains("stops working after the last day"), "{after}");
    assert!(b.source().unwrap().contains(r#"<html lang="en">"#));
    check(&b, "license-en");

    b.click("#lang option[value=de]").unwrap();
    b.submit("#lang-switch").unwrap();
    b.source_containing(r#"<html lang="de">"#).unwrap();
    assert_eq!(
        b.text("#license-title").unwrap(),
        format!("Lizenz {id}: demo-erp")
    );
    assert_eq!(b.text("#last-day").unwrap(), "21.12.2026");
    assert_eq!(b.text("#kind").unwrap(), "Test");
    let after = b.text("#after").unwrap();
    assert!(
        after.contains("funktioniert nach dem letzten Tag nicht mehr"),
        "{after}"
    );
    assert_eq!(b.url().unwrap(), url(&svc, &format!("/portal/licenses/{id}")));
    check(&b, "license-de");
    b.go(&url(&svc, "/portal/licenses")).unwrap();
    assert_eq!(b.text("h1").unwrap(), "Ihre Lizenzen");
    check(&b, "licenses-de");

    // Stored with the user: another browser (no cookie) logs in and reads German.
    drop(b);
    assert_eq!(
        svc.store
            .user_by_email("admin@beispiel.test")
            .unwrap()
            .unwrap()
            .language,
        "de"
    );
    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@beispiel.test");
    assert_eq!(b.text("h1").unwrap(), "Ihre Lizenzen");
    b.click("#lang option[value=en]").unwrap();
    b.submit("#lang-switch").unwrap();
    b.source_containing(r#"<html lang="en">"#).unwrap();
    assert_eq!(b.text("h1").unwrap(), "Your licenses");
}
