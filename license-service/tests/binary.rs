//! The binary's bootstrap: `license-service add-vendor-admin EMAIL` creates the first
//! vendor administrator in the store of `LICENSE_SERVICE_HOME`, printing a single-use token
//! to set its password and its TOTP secret, once; a second run for the address is refused.

use std::process::Command;

use license_service::auth::{password, totp};
use license_service::db::sqlite::SqliteDb;
use license_service::store::Store;

fn run(home: &std::path::Path, email: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_license-service"))
        .args(["add-vendor-admin", email])
        .env("LICENSE_SERVICE_HOME", home)
        .env_remove("LICENSE_SERVICE_DATABASE")
        .output()
        .unwrap()
}

#[test]
fn the_first_vendor_admin_gets_a_reset_token_and_a_totp_secret_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), "admin@vendor.test");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let token = text
        .split('"')
        .find(|w| w.starts_with("lkm_"))
        .unwrap_or_else(|| panic!("no token in {text}"));
    let secret = text
        .split("secret=")
        .nth(1)
        .and_then(|r| r.split('&').next())
        .unwrap_or_else(|| panic!("no TOTP secret in {text}"));

    let store = Store::new(Box::new(SqliteDb::open(&dir.path().join("service.db")).unwrap()));
    let user = store.user_by_email("admin@vendor.test").unwrap().unwrap();
    assert!(user.role().is_vendor() && user.admin);
    assert_eq!(user.totp, secret);
    assert!(totp::code_at(secret, 1_700_000_000).is_some());
    // The printed token sets the password, once.
    assert_eq!(store.redeem("reset", token).unwrap(), Some(user.id));
    assert_eq!(store.redeem("reset", token).unwrap(), None);
    store
        .set_password(user.id, &password::hash("a long new password").unwrap())
        .unwrap();

    let again = run(dir.path(), "admin@vendor.test");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("has an account"));
}
