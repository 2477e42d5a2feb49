//! A reseller's administrator invites a user with narrower rights in the browser (headless
//! Chromium through WebDriver, PostgreSQL when `LICENSE_TEST_PG` is set): the users page
//! offers only its own kinds, lines and modules and names its limit; more named users than
//! its own are refused naming the limit; inside them the user is invited, sets its password
//! from the mailed invitation link and logs in. That user then creates licenses inside the
//! narrower rights: the page names its frame; an order beyond it is refused naming the
//! limit; one inside is created and its page shows the code, which verifies offline with the
//! vendor's public key only as the reseller's code (its chain names the reseller); the
//! vendor then finds it in the month's issued report and the reseller's invoice basis.
//! Every page passes axe-core; screenshots under `target/screenshots/portal-*.png`.

mod common;
mod portal_support;

use browser_test::Browser;
use common::{PASSWORD, Service};
use license_core::{Date, Frame, Kind, KindSet, LineSet, ModuleSet};
use license_service::rights::Rights;
use license_verify::{Utc, Verifier};
use portal_support::{check, license_in_url, login, url};

fn frame(users: u32) -> Frame {
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription),
        LineSet::from_bits(0b11),
        ModuleSet::from_bits(0b1111),
        Date::from_ymd(2030, 1, 1).unwrap(),
    );
    f.named_users = Some(users);
    f
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_reseller_user_is_refused_beyond_its_rights_with_the_limit_named_and_creates_inside_them() {
    let svc = Service::any_with(portal_support::catalogs());
    // Certified by the vendor for the product: the service keeps its key, and its codes
    // carry its certificate chain.
    let r = svc.certified_reseller("Contoso", &frame(100));
    svc.user(r, "admin@contoso.test", true, &Rights::default());

    // Its administrator invites the narrower user in the browser: only its own kinds are
    // offered, and its limit is named.
    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@contoso.test");
    b.submit("a[href='/portal/users']").unwrap();
    b.source_containing(r#"id="own-frame""#).unwrap();
    let own = b.text("#own-frame").unwrap();
    assert!(own.contains("up to 100 named users"), "{own}");
    assert!(b.has("#kind-subscription").unwrap() && !b.has("#kind-full").unwrap());
    assert!(b.text("label[for=named_users]").unwrap().contains("at most 100"));
    check(&b, "users");

    b.type_into("#email", "sales@contoso.test").unwrap();
    for id in [
        "#kind-trial",
        "#kind-subscription",
        "#line-standard",
        "#line-expert",
        "#module-crm",
        "#module-budget",
        "#module-planning",
        "#module-bi",
    ] {
        b.click(id).unwrap();
    }
    b.type_into("#named_users", "150").unwrap();
    b.submit("#invite").unwrap();
    b.source_containing("users-error").unwrap();
    let error = b.text("#users-error").unwrap();
    assert!(
        error.contains("wider than your own") && error.contains("150") && error.contains("100"),
        "{error}"
    );
    assert_eq!(portal_support::value(&b, "email"), "sales@contoso.test");
    assert!(svc.store.user_by_email("sales@contoso.test").unwrap().is_none());
    check(&b, "users-beyond-rights");

    b.clear("#named_users").unwrap();
    b.type_into("#named_users", "50").unwrap();
    b.submit("#invite").unwrap();
    b.source_containing(r#"id="notice""#).unwrap();
    assert!(b.text("#users").unwrap().contains("sales@contoso.test"));
    check(&b, "users-invited");
    b.submit("#logout").unwrap();
    b.url_becoming(&url(&svc, "/portal/login")).unwrap();

    // The invited user sets its password from the mailed link, then logs in.
    let token = svc
        .mail
        .last_token("sales@contoso.test", "invitation")
        .expect("an invitation mail to the new user");
    b.go(&url(&svc, &format!("/portal/password/reset?token={token}")))
        .unwrap();
    b.type_into("#password", PASSWORD).unwrap();
    b.type_into("#password2", PASSWORD).unwrap();
    b.submit("#reset").unwrap();
    b.source_containing("message-link").unwrap();
    check(&b, "users-invitation-accepted");
    login(&svc, &b, "sales@contoso.test");
    b.submit("a[href='/portal/licenses/new']").unwrap();
    b.source_containing(r#"id="frame""#).unwrap();
    let fr = b.text("#frame").unwrap();
    assert!(
        fr.contains("up to 50 named users") && fr.contains("crm, budget, planning, bi"),
        "{fr}"
    );
    // Only the kinds of its frame are offered.
    assert!(!b.has("#kind option[value=full]").unwrap());
    check(&b, "new-license");

    b.type_into("#licensee", "Endkunde AG").unwrap();
    b.click("#kind option[value=subscription]").unwrap();
    b.type_into("#named_users", "80").unwrap();
    b.click("#module-crm").unwrap();
    b.submit("#create").unwrap();
    b.source_containing("new-error").unwrap();
    let error = b.text("#new-error").unwrap();
    assert!(
        error.contains("outside your rights") && error.contains("50"),
        "{error}"
    );
    assert_eq!(
        b.execute("return document.getElementById('licensee').value;", vec![])
            .unwrap(),
        "Endkunde AG"
    );
    check(&b, "new-license-beyond-rights");

    b.clear("#named_users").unwrap();
    b.type_into("#named_users", "20").unwrap();
    b.submit("#create").unwrap();
    b.source_containing(r#"id="notice""#).unwrap();
    let id = license_in_url(&b);
    assert_eq!(b.text("#users").unwrap(), "20");
    assert_eq!(b.text("#licensee").unwrap(), "Endkunde AG");
    assert!(
        !b.execute("return document.getElementById('code').value;", vec![])
            .unwrap()
            .as_str()
            .unwrap()
            .is_empty()
    );
    check(&b, "new-license-created");
    assert_eq!(svc.store.owner(id).unwrap().unwrap().reseller_id, r);

    // Offline, as the end customer's installation checks it: only the vendor's public key,
    // and the code names the reseller whose certificate chain it carries.
    let code = b
        .execute("return document.getElementById('code').value;", vec![])
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    let verifier = Verifier::builder(vec![common::key().public_key()], "demo-erp", common::today())
        .licensee("Endkunde AG")
        .build()
        .unwrap();
    let noon = Utc(Utc::start_of(common::today()).0 + 12 * 3600);
    let verified = verifier.verify_text_at(&code, noon).unwrap();
    let issuer = verified.issuer().expect("a reseller's code names its reseller");
    assert_eq!(issuer.reseller().name, "Contoso");

    // The vendor's administrator, in the browser, sees it in the month's report of issued
    // codes and in the invoice basis of the reseller.
    let month = &common::today().to_string()[..7];
    b.submit("#logout").unwrap();
    let (_, secret) = svc.user(svc.vendor_org, "reports@vendor.test", true, &Rights::default());
    portal_support::login_vendor(&svc, &b, "reports@vendor.test", &secret);
    b.go(&portal_support::url(
        &svc,
        &format!("/portal/reports/issued?month={month}"),
    ))
    .unwrap();
    b.source_containing(r#"id="codes""#).unwrap();
    let link = format!("#codes a[href='/portal/licenses/{id}']");
    assert_eq!(b.text(&link).unwrap(), id.to_string());
    let row = b.text(&format!("#code-{id}-1")).unwrap();
    assert!(row.contains("Endkunde AG") && row.contains("Contoso"), "{row}");
    check(&b, "reports-issued-reseller");
    b.go(&portal_support::url(
        &svc,
        &format!("/portal/reports/invoice?month={month}&reseller=Contoso"),
    ))
    .unwrap();
    b.source_containing(r#"class="invoice-codes""#).unwrap();
    assert_eq!(texts_of(&b, "section.invoice h3"), ["Contoso"]);
    assert_eq!(
        texts_of(&b, ".invoice-codes tbody td:first-child"),
        [id.to_string()]
    );
    check(&b, "reports-invoice-reseller");
}

/// The texts of the elements `css` selects.
fn texts_of(b: &Browser, css: &str) -> Vec<String> {
    let v = b
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent.trim());",
            vec![serde_json::json!(css)],
        )
        .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}
