//! The portal's password pages: `/portal/password/forgot` (the "this address already has
//! an account" mail links here) and `/portal/password/reset?token=...` (the reset and
//! invitation mails link here), on the same steps as `POST /api/v1/password/forgot` and
//! `/reset` (`ops::accounts::forgot`, `reset`).
//!
//! In headless Chromium (the `browser-test` harness, as `portal_flow.rs`): a user asks for
//! the link on the forgot page (reached from the login page), opens the mailed link (its
//! token read from the service's mail seam, `MemoryMailer`), mistypes the confirmation
//! (the second field is named), sets the new password and logs in with it through the
//! form (the reset page also in German, the language switch keeping the token); the old
//! password is refused, and the link used again gives the page saying it
//! cannot be used. Every page, the error states included, passes axe-core and is saved
//! under `target/screenshots/portal-password-*.png`.
//!
//! Over HTTP (no browser needed): the forgot page answers byte for byte the same for an
//! address with an account and one without (no account enumeration); only the first gets
//! a mail. A GET of the reset page does not use the token up, and its language switch
//! comes back to the page with the token.

mod common;
mod portal_support;

use browser_test::Browser;
use common::{PASSWORD, Service};
use license_service::mail::MessageKind;
use license_service::rights::{OrgKind, Rights};
use portal_support::{check, url};
use serde_json::json;

const NEW_PASSWORD: &str = "a brand new passphrase 42";

/// The ids of the fields marked invalid on the page.
fn invalid_fields(b: &Browser) -> String {
    b.execute(
        "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.id).join(',');",
        vec![],
    )
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Fill the login form with `password`.
fn try_login(svc: &Service, b: &Browser, email: &str, password: &str) {
    b.go(&url(svc, "/portal/login")).unwrap();
    b.type_into("#email", email).unwrap();
    b.type_into("#password", password).unwrap();
    b.submit("#login").unwrap();
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn a_user_resets_the_password_from_the_mailed_link_in_the_browser() {
    let svc = Service::any();
    let org = svc
        .store
        .create_org(OrgKind::Company, "Forgetful GmbH", "")
        .unwrap();
    let email = "anna@forgetful.test";
    svc.user(org, email, true, &Rights::default());
    let b = Browser::start().unwrap();

    // From the login page to the forgot page; ask for the link.
    b.go(&url(&svc, "/portal/login")).unwrap();
    check(&b, "password-login");
    b.submit("#forgot-link").unwrap();
    b.url_becoming(&url(&svc, "/portal/password/forgot")).unwrap();
    check(&b, "password-forgot");
    // Not an address at all: the field is named (this says nothing about accounts).
    b.type_into("#email", "not-an-address").unwrap();
    b.execute(
        "document.querySelector('form.stack').noValidate = true; return null;",
        vec![],
    )
    .unwrap();
    b.submit("#forgot").unwrap();
    b.source_containing("forgot-error").unwrap();
    assert_eq!(invalid_fields(&b), "email");
    assert!(b.text("#forgot-error").unwrap().contains("email"));
    check(&b, "password-forgot-error");
    b.clear("#email").unwrap();
    b.type_into("#email", email).unwrap();
    b.submit("#forgot").unwrap();
    b.source_containing("message-title").unwrap();
    assert!(
        b.text("#message")
            .unwrap()
            .contains("If an account has this address"),
        "{}",
        b.text("#message").unwrap()
    );
    check(&b, "password-forgot-sent");

    // The mailed link: the form, the token in a hidden field.
    let token = svc
        .mail
        .last_token(email, "reset")
        .expect("a reset mail to the account's address");
    let link = url(&svc, &format!("/portal/password/reset?token={token}"));
    b.go(&link).unwrap();
    check(&b, "password-reset");
    assert_eq!(portal_support::value(&b, "password"), "");
    // In German and back: the switch returns to the page with its token.
    b.click("#lang option[value=de]").unwrap();
    b.submit("#lang-switch").unwrap();
    b.source_containing(r#"<html lang="de">"#).unwrap();
    assert_eq!(b.text("h1").unwrap(), "Neues Passwort setzen");
    assert_eq!(b.url().unwrap(), link);
    check(&b, "password-reset-de");
    b.click("#lang option[value=en]").unwrap();
    b.submit("#lang-switch").unwrap();
    b.source_containing(r#"<html lang="en">"#).unwrap();
    assert_eq!(b.url().unwrap(), link);

    // A mistyped confirmation: the second field is named, nothing is changed.
    b.type_into("#password", NEW_PASSWORD).unwrap();
    b.type_into("#password2", "a brand new passphrase 43").unwrap();
    b.submit("#reset").unwrap();
    b.source_containing("reset-error").unwrap();
    assert_eq!(invalid_fields(&b), "password2", "only the confirmation is marked");
    let error = b.text("#reset-error").unwrap();
    assert!(
        error.contains("The new password again") && error.contains("differ"),
        "{error}"
    );
    check(&b, "password-reset-mismatch");

    // A weak password: the password field is named.
    b.type_into("#password", "short").unwrap();
    b.type_into("#password2", "short").unwrap();
    b.submit("#reset").unwrap();
    b.source_containing("reset-error").unwrap();
    assert_eq!(invalid_fields(&b), "password", "only the password is marked");
    assert!(b.text("#reset-error").unwrap().contains("password"));
    check(&b, "password-reset-weak");

    // Both right: the password is set.
    b.type_into("#password", NEW_PASSWORD).unwrap();
    b.type_into("#password2", NEW_PASSWORD).unwrap();
    b.submit("#reset").unwrap();
    b.source_containing("message-link").unwrap();
    assert!(b.text("#message").unwrap().contains("new password is set"));
    check(&b, "password-reset-done");

    // The old password no longer works; the new one does, through the form.
    try_login(&svc, &b, email, PASSWORD);
    b.source_containing("login-error").unwrap();
    assert!(b.url().unwrap().ends_with("/portal/login"));
    check(&b, "password-old-refused");
    try_login(&svc, &b, email, NEW_PASSWORD);
    b.url_becoming(&url(&svc, "/portal/licenses")).unwrap();
    assert_eq!(b.text("#who").unwrap(), email);

    // The same link again: refused, with the way to a new one; the password stays.
    b.go(&link).unwrap();
    b.type_into("#password", "another good passphrase 7").unwrap();
    b.type_into("#password2", "another good passphrase 7").unwrap();
    b.submit("#reset").unwrap();
    b.source_containing("message-title").unwrap();
    assert_eq!(b.text("#message-title").unwrap(), "This link cannot be used");
    let href = b
        .execute(
            "return document.getElementById('message-link').getAttribute('href');",
            vec![],
        )
        .unwrap();
    assert_eq!(href, json!("/portal/password/forgot"));
    check(&b, "password-reset-used");
    drop(b);
    let mut api = svc.client();
    let (status, v) = api.post(
        "/api/v1/login",
        &json!({"email": email, "password": "another good passphrase 7"}),
    );
    assert_eq!(status, 401, "{v}");
    let (status, v) = api.post(
        "/api/v1/login",
        &json!({"email": email, "password": NEW_PASSWORD}),
    );
    assert_eq!(status, 200, "{v}");
}

/// A portal form post with the service's own Origin.
fn post_form(svc: &Service, path: &str, form: &str) -> common::Reply {
    let origin = format!("http://{}", svc.addr);
    svc.client().raw(
        "POST",
        path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", &origin),
        ],
        Some(form.as_bytes()),
    )
}

fn resets(svc: &Service) -> usize {
    svc.mail
        .sent()
        .iter()
        .filter(|m| matches!(m.what, MessageKind::ResetPassword { .. }))
        .count()
}

#[test]
fn the_forgot_page_answers_the_same_for_an_address_without_an_account() {
    let svc = Service::any();
    let org = svc.store.create_org(OrgKind::Company, "Known GmbH", "").unwrap();
    svc.user(org, "known@known.test", true, &Rights::default());

    let known = post_form(&svc, "/portal/password/forgot", "email=known%40known.test");
    assert_eq!(known.status, 200, "{}", known.body);
    assert_eq!(resets(&svc), 1, "the account's owner gets the link");
    let unknown = post_form(&svc, "/portal/password/forgot", "email=nobody%40known.test");
    assert_eq!(unknown.status, known.status);
    assert_eq!(unknown.body, known.body, "the page is the same, byte for byte");
    assert_eq!(resets(&svc), 1, "nobody is mailed for an unknown address");
    assert!(known.body.contains("If an account has this address"));

    // Without the service's Origin the form is refused before the handler.
    let mut c = svc.client();
    let cross = c.raw(
        "POST",
        "/portal/password/forgot",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", "http://evil.test"),
        ],
        Some(b"email=known%40known.test"),
    );
    assert_eq!(cross.status, 403, "{}", cross.body);
    assert_eq!(resets(&svc), 1);

    // The reset page's GET does not use the token up; the JSON API's reset (the same
    // step) then takes it once.
    let token = svc.mail.last_token("known@known.test", "reset").unwrap();
    let page = svc
        .client()
        .raw("GET", &format!("/portal/password/reset?token={token}"), &[], None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("name=\"token\" value=\"{token}\"")));
    // The language switch comes back to the page with its token.
    assert!(
        page.body.contains(&format!(
            "name=\"back\" value=\"/portal/password/reset?token={token}\""
        )),
        "{}",
        page.body
    );
    let mut api = svc.client();
    let body = json!({"token": token, "password": NEW_PASSWORD});
    let (status, v) = api.post("/api/v1/password/reset", &body);
    assert_eq!(status, 200, "{v}");
    let again = post_form(
        &svc,
        "/portal/password/reset",
        &format!("token={token}&password=x+good+long+passphrase&password2=x+good+long+passphrase"),
    );
    assert_eq!(again.status, 400);
    assert!(again.body.contains("This link cannot be used"), "{}", again.body);
}
