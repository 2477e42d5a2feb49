//! Authorization in the browser: a user of one company opening another company's license
//! by its URL gets the same 404 page as for a number no license has, nothing of the other
//! license in it; the list shows only the company's own, paged and searchable. Every page
//! passes axe-core; screenshots under `target/screenshots/portal-*.png`.

mod common;
mod portal_support;

use browser_test::Browser;
use common::Service;
use license_service::rights::{OrgKind, Rights};
use portal_support::{catalogs, check, login, url};
use serde_json::json;

fn main_html(b: &Browser) -> String {
    b.execute("return document.querySelector('main').innerHTML;", vec![])
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn another_companys_license_by_url_is_the_same_404_page_as_a_missing_one() {
    let svc = Service::any_with(catalogs());
    let a = svc
        .store
        .create_org(OrgKind::Company, "Alpha Secret Industries", "")
        .unwrap();
    let b_org = svc.store.create_org(OrgKind::Company, "Bravo GmbH", "").unwrap();
    svc.user(a, "admin@alpha.test", true, &Rights::default());
    svc.user(b_org, "admin@bravo.test", true, &Rights::default());
    let mut alpha = svc.login("admin@alpha.test", "");
    let (status, v) = alpha.post("/api/v1/trials", &json!({"product": "demo-erp"}));
    assert_eq!(status, 201, "{v}");
    let alphas = v["license"]["license_id"].as_u64().unwrap();
    let mut bravo = svc.login("admin@bravo.test", "");
    let (status, v) = bravo.post("/api/v1/trials", &json!({"product": "demo-erp"}));
    assert_eq!(status, 201, "{v}");
    let bravos = v["license"]["license_id"].as_u64().unwrap();
    let missing = 999_999;

    // Over HTTP: both 404, the same page but for the path the language switch returns to.
    let other = bravo.raw("GET", &format!("/portal/licenses/{alphas}"), &[], None);
    let none = bravo.raw("GET", &format!("/portal/licenses/{missing}"), &[], None);
    assert_eq!((other.status, none.status), (404, 404));
    assert_eq!(
        other.body.replace(&alphas.to_string(), "N"),
        none.body.replace(&missing.to_string(), "N")
    );
    assert!(!other.body.contains("Alpha"), "{}", other.body);
    assert!(
        other
            .head
            .contains("content-security-policy: default-src 'none'; style-src 'self'")
    );

    let b = Browser::start().unwrap();
    login(&svc, &b, "admin@bravo.test");
    // The list: only its own license.
    let list = b.source_containing(r#"id="licenses""#).unwrap();
    assert!(list.contains(&format!(">{bravos}</a>")), "{list}");
    assert!(!list.contains(&format!(">{alphas}</a>")), "{list}");
    check(&b, "licenses");
    b.type_into("#q", "no-such-product").unwrap();
    b.submit("#search").unwrap();
    b.source_containing("no-licenses").unwrap();
    check(&b, "licenses-search-empty");

    b.go(&url(&svc, &format!("/portal/licenses/{alphas}"))).unwrap();
    let other_main = main_html(&b);
    let other_title = b.execute("return document.title;", vec![]).unwrap();
    check(&b, "license-404");
    b.go(&url(&svc, &format!("/portal/licenses/{missing}"))).unwrap();
    assert_eq!(main_html(&b), other_main);
    assert_eq!(b.execute("return document.title;", vec![]).unwrap(), other_title);
    assert!(other_main.contains(r#"data-kind="not_found""#), "{other_main}");
    assert!(!b.source().unwrap().contains("Alpha"));
    // The download of the other's file: the API's same 404.
    let file = bravo.raw("GET", &format!("/api/v1/licenses/{alphas}/file"), &[], None);
    assert_eq!(file.status, 404);
}
