//! What the portal's browser tests share: the catalog (the demo product, whose trial lacks
//! the BI module so a customer can order it), URLs, the accessibility check and screenshots
//! of every page visited, logging in through the form, and the `license-check` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use browser_test::Browser;
use license_issue::{Catalog, Catalogs};

use crate::common::{PASSWORD, Service};

/// The demo catalog with a trial of three modules (not `bi`).
pub fn catalogs() -> Catalogs {
    let text = include_str!("../../../license-issue/catalogs/demo-erp.toml").replace(
        "modules = \"all\"",
        "modules = [\"crm\", \"budget\", \"planning\"]",
    );
    let mut c = Catalogs::new();
    c.insert(Catalog::from_toml(&text, Path::new("portal-test")).unwrap());
    c
}

/// The demo catalog's file (for `license-check --catalog`: product, modules, lines).
pub fn catalog_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../license-issue/catalogs/demo-erp.toml")
}

/// The service's URL of `path`.
pub fn url(svc: &Service, path: &str) -> String {
    format!("http://{}{path}", svc.addr)
}

/// axe-core finds nothing on the page as it is now; a screenshot of it under
/// `target/screenshots/` (never committed).
pub fn check(b: &Browser, name: &str) {
    b.axe().unwrap().assert_clean(name);
    // An error or a notice is what the picture is about: in view.
    b.execute(
        "const e = document.querySelector('[role=alert], #notice'); if (e) e.scrollIntoView({block: 'center'}); return null;",
        vec![],
    )
    .unwrap();
    let path = b.save_screenshot(&format!("portal-{name}")).unwrap();
    eprintln!("screenshot: {}", path.display());
}

/// Log `email` in through the form; the browser is on the license list afterwards.
pub fn login(svc: &Service, b: &Browser, email: &str) {
    b.go(&url(svc, "/portal/login")).unwrap();
    b.type_into("#email", email).unwrap();
    b.type_into("#password", PASSWORD).unwrap();
    b.submit("#login").unwrap();
    b.url_becoming(&url(svc, "/portal/licenses")).unwrap();
}

/// The value of a form control (a textarea's text is not its WebDriver text).
pub fn value(b: &Browser, id: &str) -> String {
    b.execute(
        "return document.getElementById(arguments[0]).value;",
        vec![serde_json::json!(id)],
    )
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// The license number in a license page's URL.
pub fn license_in_url(b: &Browser) -> u32 {
    let u = b.url().unwrap();
    let tail = u
        .split("/portal/licenses/")
        .nth(1)
        .unwrap_or_else(|| panic!("{u}"));
    tail.split(['?', '/']).next().unwrap().parse().unwrap()
}

/// The workspace's `license-check` binary, built next to this test's binary (a no-op
/// when fresh), as the customer runs it.
pub fn license_check_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let exe = std::env::current_exe().unwrap();
            let dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
            let mut build = Command::new(env!("CARGO"));
            build
                .args(["build", "-q", "-p", "license-check", "--bin", "license-check"])
                .current_dir(env!("CARGO_MANIFEST_DIR"));
            if dir.ends_with("release") {
                build.arg("--release");
            }
            assert!(
                build.status().unwrap().success(),
                "cargo build -p license-check failed"
            );
            let path = dir.join(format!("license-check{}", std::env::consts::EXE_SUFFIX));
            assert!(path.exists(), "no license-check at {}", path.display());
            path
        })
        .clone()
}

/// Log vendor staff `email` in through the form with a TOTP code from `secret` (a code
/// counts once: one login per user and 30 seconds); the browser is on the license list
/// afterwards.
pub fn login_vendor(svc: &Service, b: &Browser, email: &str, secret: &str) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let code = license_service::auth::totp::code_at(secret, now).unwrap();
    b.go(&url(svc, "/portal/login")).unwrap();
    b.type_into("#email", email).unwrap();
    b.type_into("#password", PASSWORD).unwrap();
    b.type_into("#totp", &code).unwrap();
    b.submit("#login").unwrap();
    b.url_becoming(&url(svc, "/portal/licenses")).unwrap();
}
