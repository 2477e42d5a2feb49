//! The customer's pages in the browser (issue 22, part 1; headless Chromium through
//! WebDriver, PostgreSQL when `LICENSE_TEST_PG` is set): a site maintenance pack shown
//! before it is bought and then on every server license of the site (and not on another
//! site's); a move within the catalog's moves per year (after a mistyped code, the
//! typo's group named and marked) and the refusal beyond it at the field; the line upgrade; a cancellation with its last usable day before and after; a
//! ticket redeemed after a mistyped and an unknown one. Every page passes axe-core;
//! screenshots under `target/screenshots/portal-customer-*.png`.

mod common;
mod portal_support;

use browser_test::Browser;
use common::Service;
use license_core::Date;
use license_issue::calendar::last_day;
use license_issue::{Catalog, Catalogs, DEMO_CATALOG};
use license_service::rights::{OrgKind, Rights};
use portal_support::{check, login, url, value};
use serde_json::{Value, json};

const SKIP: &str = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)";

/// A license for `org` made by the vendor's ERP (the API), its number.
fn made(svc: &Service, org: i64, order: &Value) -> u64 {
    let mut erp = svc.token(svc.vendor_org, &["orders"]);
    let (status, v) = erp.post(&format!("/api/v1/licenses?company={org}"), order);
    assert_eq!(status, 201, "{v}");
    v["license"]["license_id"].as_u64().unwrap()
}

/// A perpetual server license of `site`.
fn server(licensee: &str, site: &str, seed: &str) -> Value {
    json!({
        "product": "demo-erp",
        "kind": "full",
        "customer": {"licensee": licensee, "site": site},
        "named_users": 10,
        "modules": ["crm"],
        "bind": {"database": common::pg::db(seed)},
    })
}

/// The license as the API shows it to the vendor.
fn shown(svc: &Service, id: u64) -> Value {
    let (status, v) = svc
        .token(svc.vendor_org, &["orders"])
        .get(&format!("/api/v1/licenses/{id}"));
    assert_eq!(status, 200, "{v}");
    v
}

fn date(v: &Value) -> Date {
    Date::parse(v.as_str().unwrap_or_else(|| panic!("no date: {v}"))).unwrap()
}

fn german(d: Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{day:02}.{m:02}.{y:04}")
}

fn english(d: Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{y:04}-{m:02}-{day:02}")
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_customer_associates_a_site_maintenance_pack_and_every_server_license_of_the_site_shows_the_new_end() {
    let _ = SKIP;
    let svc = Service::any();
    let acme = svc.store.create_org(OrgKind::Company, "Acme Werke", "").unwrap();
    let (user, _) = svc.user(acme, "admin@acme.test", true, &Rights::default());
    // The administrator reads the portal in German: the days as the last day, German style.
    svc.store.set_language(user, "de").unwrap();
    let berlin: Vec<u64> = ["Berlin 1", "Berlin 2", "Berlin 3"]
        .iter()
        .map(|seed| made(&svc, acme, &server("Acme Werke", "Berlin", seed)))
        .collect();
    let hamburg = made(&svc, acme, &server("Acme Werke", "Hamburg", "Hamburg 1"));
    let before = |id: u64| date(&shown(&svc, id)["current"]["scope"]["maintenance_ends"]);
    let hamburg_before = before(hamburg);
    let berlin_before: Vec<Date> = berlin.iter().map(|id| before(*id)).collect();

    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@acme.test");
    b.go(&url(&svc, &format!("/portal/licenses/{}", berlin[1])))
        .unwrap();
    b.submit("#to-maintenance").unwrap();
    b.source_containing(r#"id="kind-site""#).unwrap();
    assert!(b.text("#site").unwrap().contains("Berlin"));
    check(&b, "customer-maintenance-form");
    b.click("#kind-site").unwrap();
    b.submit("#preview-maintenance").unwrap();
    b.source_containing(r#"id="covered""#).unwrap();
    // Before confirming: the site's three licenses, not Hamburg's, and the new end.
    let covered = b.text("#covered").unwrap();
    for id in &berlin {
        assert!(covered.contains(&id.to_string()), "{id} not in {covered}");
    }
    assert!(!covered.contains(&hamburg.to_string()), "{covered}");
    let plan = b.text("#maintenance-plan").unwrap();
    check(&b, "customer-maintenance-confirm");
    b.submit("#confirm-maintenance").unwrap();
    b.url_becoming(&url(
        &svc,
        &format!("/portal/licenses/{}?done=maintenance", berlin[1]),
    ))
    .unwrap();
    check(&b, "customer-maintenance-done");

    // Every server license of the site: a new signed end, later than before, the same for
    // all, shown on its page as the last day in German, as the confirmation page said.
    let mut ends = Vec::new();
    for (id, old) in berlin.iter().zip(&berlin_before) {
        let end = date(&shown(&svc, *id)["current"]["scope"]["maintenance_ends"]);
        assert!(end > *old, "{id}: {end} after {old}");
        ends.push(end);
        b.go(&url(&svc, &format!("/portal/licenses/{id}"))).unwrap();
        b.source_containing(r#"id="maintenance""#).unwrap();
        let page = b.text("#maintenance").unwrap();
        assert_eq!(page, german(last_day(end)), "license {id}");
        check(&b, &format!("customer-maintenance-license-{id}"));
    }
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "{ends:?}");
    assert!(plan.contains(&german(last_day(ends[0]))), "{plan}");
    // The other site's license is unchanged.
    assert_eq!(before(hamburg), hamburg_before);
    b.go(&url(&svc, &format!("/portal/licenses/{hamburg}"))).unwrap();
    b.source_containing(r#"id="maintenance""#).unwrap();
    assert_eq!(b.text("#maintenance").unwrap(), german(last_day(hamburg_before)));
    check(&b, "customer-maintenance-other-site");
    // The API's site pack is the same step: the vendor's ERP buys Hamburg's, which covers
    // Hamburg's license only.
    let (status, v) = svc.token(svc.vendor_org, &["orders"]).post(
        &format!("/api/v1/licenses/{hamburg}/maintenance"),
        &json!({"kind": "site"}),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["site"], "Hamburg", "{v}");
    assert_eq!(v["licenses"].as_array().unwrap().len(), 1, "{v}");
    assert!(before(hamburg) > hamburg_before);
    assert_eq!(before(berlin[0]), ends[0]);

    // Another company's license by URL: the same 404 page as a number no license has.
    let beta = svc.store.create_org(OrgKind::Company, "Beta AG", "").unwrap();
    let theirs = made(&svc, beta, &server("Beta AG", "Berlin", "Beta 1"));
    b.go(&url(&svc, &format!("/portal/licenses/{theirs}/maintenance")))
        .unwrap();
    let other = b.source().unwrap();
    b.go(&url(&svc, "/portal/licenses/999999/maintenance")).unwrap();
    let missing = b.source().unwrap();
    assert!(other.contains(r#"data-kind="not_found""#), "{other}");
    assert_eq!(other, missing);
    // Now the site Berlin also holds Beta's license: Acme's site pack is refused at the
    // field, without naming Beta's license.
    b.go(&url(&svc, &format!("/portal/licenses/{}/maintenance", berlin[0])))
        .unwrap();
    b.click("#kind-site").unwrap();
    b.submit("#preview-maintenance").unwrap();
    b.source_containing("maintenance-error").unwrap();
    let error = b.text("#maintenance-error").unwrap();
    assert!(error.contains("Was das Paket umfasst"), "{error}");
    assert!(!error.contains(&theirs.to_string()), "{error}");
    check(&b, "customer-maintenance-refused");
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_customer_moves_a_license_within_the_moves_per_year_and_is_refused_at_the_field_beyond() {
    let text = DEMO_CATALOG.replacen("[defaults]\n", "[defaults]\nmax_moves_per_year = 1\n", 1);
    let mut catalogs = Catalogs::new();
    catalogs.insert(Catalog::from_toml(&text, std::path::Path::new("moves")).unwrap());
    let svc = Service::any_with(catalogs);
    let acme = svc.store.create_org(OrgKind::Company, "Acme Corp", "").unwrap();
    svc.user(acme, "admin@acme.test", true, &Rights::default());
    let id = made(&svc, acme, &server("Acme Corp", "Berlin", "old server"));

    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@acme.test");
    b.go(&url(&svc, &format!("/portal/licenses/{id}"))).unwrap();
    let old_code = value(&b, "code");
    b.submit("#to-move").unwrap();
    b.source_containing(r#"id="moves-left""#).unwrap();
    assert!(b.text("#moves-left").unwrap().contains("1 of 1"));
    check(&b, "customer-move-form");
    let new_db = common::pg::db("new server");
    // A typo in group 3: named at the field and marked in the code as typed, as on the
    // license page's activation form.
    let mut groups: Vec<String> = new_db.split('-').map(str::to_owned).collect();
    let first = groups[3].remove(0);
    groups[3].insert(0, if first == 'A' { 'B' } else { 'A' });
    let typo = groups.join("-");
    b.type_into("#database", &typo).unwrap();
    b.submit("#move").unwrap();
    b.source_containing("move-error").unwrap();
    let error = b.text("#move-error").unwrap();
    assert!(error.contains("group 3"), "{error}");
    assert_eq!(b.text("#typo-group").unwrap(), groups[3]);
    assert_eq!(value(&b, "database"), typo, "the typed code stays in the field");
    check(&b, "customer-move-typo");
    b.clear("#database").unwrap();
    b.type_into("#database", &new_db).unwrap();
    b.submit("#move").unwrap();
    b.url_becoming(&url(&svc, &format!("/portal/licenses/{id}?done=move")))
        .unwrap();
    // The new code at once, bound to the new installation.
    let new_code = value(&b, "code");
    assert!(!new_code.is_empty() && new_code != old_code);
    assert!(b.text("#bound").unwrap().contains(&new_db));
    check(&b, "customer-move-done");

    // No move left: the page says so with the day, and a move is refused at the field.
    b.submit("#to-move").unwrap();
    b.source_containing(r#"id="moves-left""#).unwrap();
    let left = b.text("#moves-left").unwrap();
    let next = english(common::service_day().checked_add_days(365).unwrap());
    assert!(left.contains(&next), "{left}");
    b.type_into("#database", &common::pg::db("third server")).unwrap();
    b.submit("#move").unwrap();
    b.source_containing("move-error").unwrap();
    let error = b.text("#move-error").unwrap();
    assert!(error.contains("New database code"), "{error}");
    assert!(error.contains(&next.to_string()), "{error}");
    assert!(b.has("#database[aria-invalid=true]").unwrap());
    check(&b, "customer-move-too-many");
    assert_eq!(
        shown(&svc, id)["current"]["code"].as_str().unwrap(),
        new_code.trim(),
        "nothing changed by the refused move"
    );
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_customer_upgrades_the_line_and_sees_the_new_code() {
    let svc = Service::any();
    let acme = svc.store.create_org(OrgKind::Company, "Acme Corp", "").unwrap();
    svc.user(acme, "admin@acme.test", true, &Rights::default());
    let mut order = server("Acme Corp", "Berlin", "line server");
    order["line"] = json!("standard");
    let id = made(&svc, acme, &order);

    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@acme.test");
    b.go(&url(&svc, &format!("/portal/licenses/{id}"))).unwrap();
    let old_code = value(&b, "code");
    assert_eq!(b.text("#line").unwrap(), "standard");
    b.submit("#to-line").unwrap();
    b.source_containing(r#"id="line-now""#).unwrap();
    check(&b, "customer-line-form");
    b.click("#line option[value=expert]").unwrap();
    b.submit("#upgrade-line").unwrap();
    b.url_becoming(&url(&svc, &format!("/portal/licenses/{id}?done=line")))
        .unwrap();
    assert_eq!(b.text("#line").unwrap(), "expert");
    let new_code = value(&b, "code");
    assert!(!new_code.is_empty() && new_code != old_code);
    assert_eq!(
        shown(&svc, id)["current"]["scope"]["line"],
        "expert",
        "the signed code's line"
    );
    check(&b, "customer-line-done");
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_customer_cancels_a_subscription_and_is_told_until_when_it_stays_usable_before_and_after() {
    let svc = Service::any();
    let acme = svc.store.create_org(OrgKind::Company, "Acme Corp", "").unwrap();
    svc.user(acme, "admin@acme.test", true, &Rights::default());
    let id = made(&svc, acme, &common::new_license("Acme Corp"));
    let perpetual = made(&svc, acme, &server("Acme Corp", "Berlin", "perpetual"));

    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@acme.test");
    // A perpetual license cannot be cancelled: the page says why, and offers no button.
    b.go(&url(&svc, &format!("/portal/licenses/{perpetual}/cancel")))
        .unwrap();
    b.source_containing("cancel-error").unwrap();
    assert!(!b.has("#confirm-cancel").unwrap());
    check(&b, "customer-cancel-perpetual");

    b.go(&url(&svc, &format!("/portal/licenses/{id}"))).unwrap();
    b.submit("#to-cancel").unwrap();
    b.source_containing(r#"id="usable-until""#).unwrap();
    let before = b.text("#usable-until").unwrap();
    check(&b, "customer-cancel-form");
    b.submit("#confirm-cancel").unwrap();
    b.url_becoming(&url(&svc, &format!("/portal/licenses/{id}?done=cancel")))
        .unwrap();
    // The day the API records, as the last day: said before confirming and after.
    let ends = date(&shown(&svc, id)["cancelled_ends"]);
    let last = english(last_day(ends));
    assert!(before.contains(&last), "{before} / {last}");
    let state = b.text("#state").unwrap();
    assert!(state.contains(&last), "{state}");
    check(&b, "customer-cancel-done");
    // Cancelled once: a second cancellation is refused with the reason.
    b.go(&url(&svc, &format!("/portal/licenses/{id}/cancel")))
        .unwrap();
    b.source_containing("cancel-error").unwrap();
    assert!(!b.has("#confirm-cancel").unwrap());
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_company_user_redeems_a_ticket_after_a_mistyped_and_an_unknown_one_is_shown_at_the_field() {
    let svc = Service::any();
    let mut f = license_core::Frame::new(
        license_core::KindSet::EMPTY
            .with(license_core::Kind::Trial)
            .with(license_core::Kind::Subscription),
        license_core::LineSet::from_bits(0b11),
        license_core::ModuleSet::from_bits(u64::MAX),
        Date::from_ymd(2030, 1, 1).unwrap(),
    );
    f.named_users = Some(50);
    let contoso = svc.certified_reseller("Contoso", &f);
    let acme = svc.store.create_org(OrgKind::Company, "Acme Corp", "").unwrap();
    svc.user(
        acme,
        "buyer@acme.test",
        false,
        &Rights {
            order: true,
            ..Rights::default()
        },
    );
    let (status, made) = svc.token(svc.vendor_org, &["tickets"]).post(
        "/api/v1/tickets",
        &json!({"reseller": contoso, "count": 1, "order": {
            "product": "demo-erp", "kind": "subscription", "customer": {"licensee": ""},
            "line": "standard", "named_users": 5, "modules": ["crm"]}}),
    );
    assert_eq!(status, 201, "{made}");
    let ticket = made["tickets"][0].as_str().unwrap().to_owned();

    let b = Browser::start().unwrap();
    login(&svc, &b, "buyer@acme.test");
    b.submit("#nav-redeem").unwrap();
    b.source_containing(r#"id="ticket""#).unwrap();
    check(&b, "customer-redeem-form");
    let db = common::pg::db("ticket installation");
    // A mistyped ticket id: at the ticket field, saying it is mistyped.
    let last = ticket.chars().last().unwrap();
    let typo = format!(
        "{}{}",
        &ticket[..ticket.len() - 1],
        if last == '2' { '3' } else { '2' }
    );
    b.type_into("#ticket", &typo).unwrap();
    b.type_into("#database", &db).unwrap();
    b.submit("#redeem").unwrap();
    b.source_containing("redeem-error").unwrap();
    let error = b.text("#redeem-error").unwrap();
    assert!(error.contains("Ticket id"), "{error}");
    assert!(b.has("#ticket[aria-invalid=true]").unwrap());
    check(&b, "customer-redeem-mistyped");
    // A well-formed ticket no pool holds: at the ticket field too.
    let unknown = license_issue::TicketId::generate().unwrap().to_string();
    b.clear("#ticket").unwrap();
    b.type_into("#ticket", &unknown).unwrap();
    b.submit("#redeem").unwrap();
    b.source_containing("redeem-error").unwrap();
    let error = b.text("#redeem-error").unwrap();
    assert!(error.contains("Ticket id") && error.contains(&unknown), "{error}");
    assert!(b.has("#ticket[aria-invalid=true]").unwrap());
    check(&b, "customer-redeem-unknown");
    // The real one: the new license's page with its code.
    b.clear("#ticket").unwrap();
    b.type_into("#ticket", &ticket).unwrap();
    b.submit("#redeem").unwrap();
    b.source_containing(r#"id="code""#).unwrap();
    assert!(b.url().unwrap().ends_with("?done=redeemed"));
    let id = portal_support::license_in_url(&b);
    let code = value(&b, "code");
    assert!(!code.is_empty());
    assert_eq!(
        shown(&svc, u64::from(id))["current"]["code"].as_str().unwrap(),
        code.trim()
    );
    assert!(b.text("#bound").unwrap().contains(&db));
    check(&b, "customer-redeem-done");
}
