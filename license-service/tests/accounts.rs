//! Accounts over HTTP on the loopback: registration and confirmation by the mailed token,
//! no account enumeration, password reset with single-use tokens, login throttling per
//! account and per address, session rotation and a cookie replayed after logout, CSRF and
//! cross-origin posts, TOTP for the vendor, API tokens shown once and revocable, rights
//! never beyond the granter's, trials one per company and product.
//!
//! The mailed tokens are read from the e-mail seam (`license_service::mail::MemoryMailer`),
//! which the notify crate will replace with real delivery.

mod common;

use common::{PASSWORD, Service, new_license};
use license_core::{Date, Frame, Kind, KindSet, LineSet, ModuleSet};
use license_service::auth::totp;
use license_service::mail::MessageKind;
use license_service::rights::{OrgKind, Rights};
use serde_json::json;

fn register(svc: &Service, company: &str, email: &str) -> (u16, serde_json::Value) {
    svc.client().post(
        "/api/v1/register",
        &json!({"company": company, "email": email, "password": PASSWORD}),
    )
}

#[test]
fn a_company_registers_confirms_by_the_mailed_token_and_its_admin_logs_in() {
    let svc = Service::any();
    let (status, first) = register(&svc, "ACME Corp", "IT@acme.test");
    assert_eq!(status, 202, "{first}");
    // Unconfirmed: the right password is not enough yet.
    let (status, err) = svc.client().post(
        "/api/v1/login",
        &json!({"email": "it@acme.test", "password": PASSWORD}),
    );
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("unconfirmed"))
    );
    let token = svc
        .mail
        .last_token("it@acme.test", "confirm")
        .expect("a confirmation mail");
    let (status, _) = svc.client().post("/api/v1/confirm", &json!({ "token": token }));
    assert_eq!(status, 200);
    let (status, again) = svc.client().post("/api/v1/confirm", &json!({ "token": token }));
    assert_eq!(
        (status, again["error"]["kind"].as_str()),
        (400, Some("invalid_token")),
        "single use"
    );

    // The same address again: the same answer, no second account, a notice to the owner.
    let (status, second) = register(&svc, "Someone Else", "it@acme.test");
    assert_eq!((status, &second), (202, &first), "no account enumeration");
    assert!(
        svc.mail
            .sent()
            .iter()
            .any(|m| m.to == "it@acme.test" && m.what == MessageKind::AlreadyRegistered)
    );
    assert_eq!(svc.store.orgs(OrgKind::Company).unwrap().len(), 1);

    let mut admin = svc.login("it@acme.test", "");
    let (status, me) = admin.get("/api/v1/me");
    assert_eq!(
        (status, me["role"].as_str()),
        (200, Some("customer_admin")),
        "{me}"
    );

    // Bad values are 400s naming the field.
    for (body, field) in [
        (
            json!({"company": "\u{202e}ACME", "email": "a@b.test", "password": PASSWORD}),
            "company",
        ),
        (
            json!({"company": "ACME\u{0}", "email": "a@b.test", "password": PASSWORD}),
            "company",
        ),
        (
            json!({"company": "ACME", "email": "not an address", "password": PASSWORD}),
            "email",
        ),
        (
            json!({"company": "ACME", "email": "a@b.test", "password": "short"}),
            "password",
        ),
    ] {
        let (status, err) = svc.client().post("/api/v1/register", &body);
        assert_eq!(
            (status, err["error"]["field"].as_str()),
            (400, Some(field)),
            "{err}"
        );
    }
}

#[test]
fn password_reset_is_single_use_says_nothing_about_unknown_addresses_and_ends_sessions() {
    let svc = Service::any();
    let org = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    svc.user(org, "ca@acme.test", true, &Rights::default());
    let mut old = svc.login("ca@acme.test", "");
    let before = svc.mail.sent().len();
    let (s1, unknown) = svc
        .client()
        .post("/api/v1/password/forgot", &json!({"email": "nobody@acme.test"}));
    assert_eq!(svc.mail.sent().len(), before, "no mail for an unknown address");
    let (s2, known) = svc
        .client()
        .post("/api/v1/password/forgot", &json!({"email": "ca@acme.test"}));
    assert_eq!((s1, &unknown), (s2, &known), "the same answer either way");
    let token = svc.mail.last_token("ca@acme.test", "reset").unwrap();
    let new = json!({"token": token, "password": "another long password"});
    assert_eq!(svc.client().post("/api/v1/password/reset", &new).0, 200);
    let (status, err) = svc.client().post("/api/v1/password/reset", &new);
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (400, Some("invalid_token"))
    );
    // Every session of the account ended with the reset.
    let (status, _) = old.get("/api/v1/me");
    assert_eq!(status, 401);
    // A token past its time is refused (stored directly with a lifetime already over).
    let user = svc.store.user_by_email("ca@acme.test").unwrap().unwrap();
    let expired = svc.store.one_time("reset", user.id, -1).unwrap();
    let (status, _) = svc.client().post(
        "/api/v1/password/reset",
        &json!({"token": expired, "password": "a third long password"}),
    );
    assert_eq!(status, 400);
}

#[test]
fn login_brute_force_is_throttled_per_account_and_per_address() {
    let svc = Service::any();
    let org = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    svc.user(org, "ca@acme.test", true, &Rights::default());
    svc.user(org, "cu@acme.test", false, &Rights::default());
    let wrong = json!({"email": "ca@acme.test", "password": "not the password"});
    for _ in 0..5 {
        let (status, err) = svc.client().post("/api/v1/login", &wrong);
        assert_eq!(
            (status, err["error"]["kind"].as_str()),
            (401, Some("bad_credentials"))
        );
    }
    // Now even the right password is refused for this account; another still logs in.
    let right = json!({"email": "ca@acme.test", "password": PASSWORD});
    let (status, err) = svc.client().post("/api/v1/login", &right);
    assert_eq!((status, err["error"]["kind"].as_str()), (429, Some("throttled")));
    svc.login("cu@acme.test", "");
    // Failures on many (unknown) accounts from one address throttle the address.
    for n in 0..15 {
        svc.client().post(
            "/api/v1/login",
            &json!({"email": format!("x{n}@acme.test"), "password": "wrong password"}),
        );
    }
    let (status, _) = svc.client().post(
        "/api/v1/login",
        &json!({"email": "cu@acme.test", "password": PASSWORD}),
    );
    assert_eq!(status, 429, "the address is throttled");
}

#[test]
fn sessions_rotate_at_login_end_at_logout_and_need_csrf_and_the_own_origin() {
    let svc = Service::any();
    let org = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    svc.user(org, "ca@acme.test", true, &Rights::default());
    let mut first = svc.login("ca@acme.test", "");
    // Logging in again with the cookie ends the old session (a fixated cookie is useless).
    let mut second = first.clone();
    let (status, _) = second.post(
        "/api/v1/login",
        &json!({"email": "ca@acme.test", "password": PASSWORD}),
    );
    assert_eq!(status, 200);
    assert_ne!(first.cookie, second.cookie);
    assert_eq!(first.get("/api/v1/me").0, 401);
    assert_eq!(second.get("/api/v1/me").0, 200);

    // A POST without the session's CSRF token, or from another origin, is refused.
    let mut no_csrf = second.clone();
    no_csrf.csrf = None;
    let (status, err) = no_csrf.post("/api/v1/tokens", &json!({"name": "erp", "scopes": ["orders"]}));
    assert_eq!((status, err["error"]["kind"].as_str()), (403, Some("csrf")));
    let (status, err) = second.post_with(
        "/api/v1/tokens",
        &[("Origin", "http://evil.example")],
        &json!({"name": "erp", "scopes": ["orders"]}),
    );
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("cross_origin"))
    );
    let r = second.raw(
        "POST",
        "/api/v1/tokens",
        &[("Content-Type", "text/plain")],
        Some(b"{\"name\": \"erp\", \"scopes\": []}"),
    );
    assert_eq!(r.status, 415);
    for h in [
        "content-security-policy: default-src 'none'",
        "x-frame-options: deny",
        "cache-control: no-store",
    ] {
        assert!(r.head.contains(h), "{h}: {}", r.head);
    }

    // Logout ends the session: the cookie replayed afterwards is worth nothing.
    let replay = second.clone();
    assert_eq!(second.post("/api/v1/logout", &json!({})).0, 200);
    let mut replay = replay;
    assert_eq!(replay.get("/api/v1/me").0, 401);
    assert_eq!(
        replay
            .post("/api/v1/tokens", &json!({"name": "erp", "scopes": ["orders"]}))
            .0,
        401
    );
}

#[test]
fn the_vendor_needs_a_totp_code_each_usable_once() {
    let svc = Service::any();
    let (_, secret) = svc.user(svc.vendor_org, "va@vendor.test", true, &Rights::default());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let code = totp::code_at(&secret, now).unwrap();
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    for body in [
        json!({"email": "va@vendor.test", "password": PASSWORD}),
        json!({"email": "va@vendor.test", "password": PASSWORD, "totp": wrong}),
    ] {
        let (status, err) = svc.client().post("/api/v1/login", &body);
        assert_eq!(
            (status, err["error"]["kind"].as_str()),
            (401, Some("bad_credentials"))
        );
    }
    let body = json!({"email": "va@vendor.test", "password": PASSWORD, "totp": code});
    assert_eq!(svc.client().post("/api/v1/login", &body).0, 200);
    let (status, _) = svc.client().post("/api/v1/login", &body);
    assert_eq!(status, 401, "a code is used once");
}

#[test]
fn api_tokens_are_shown_once_scoped_and_revocable() {
    let svc = Service::any();
    let (_, secret) = svc.user(svc.vendor_org, "va@vendor.test", true, &Rights::default());
    let mut admin = svc.login("va@vendor.test", &secret);
    let (status, created) = admin.post("/api/v1/tokens", &json!({"name": "erp", "scopes": ["orders"]}));
    assert_eq!(status, 201, "{created}");
    let token = created["token"].as_str().unwrap().to_owned();
    let (_, list) = admin.get("/api/v1/tokens");
    assert!(!list.to_string().contains(&token), "never shown again: {list}");
    let mut erp = svc.client();
    erp.bearer = Some(token);
    assert_eq!(erp.post("/api/v1/licenses", &new_license("ACME Corp")).0, 201);
    let (status, err) = erp.get("/api/v1/audit");
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("forbidden")),
        "no audit scope"
    );
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        admin.post(&format!("/api/v1/tokens/{id}/revoke"), &json!({})).0,
        200
    );
    assert_eq!(erp.post("/api/v1/licenses", &new_license("ACME Corp")).0, 401);
    let (status, err) = admin.post("/api/v1/tokens", &json!({"name": "x", "scopes": ["everything"]}));
    assert_eq!((status, err["error"]["field"].as_str()), (400, Some("scopes")));
}

fn frame(users: u32, modules: u64) -> Frame {
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription),
        LineSet::from_bits(0b11),
        ModuleSet::from_bits(modules),
        Date::from_ymd(2030, 1, 1).unwrap(),
    );
    f.named_users = Some(users);
    f
}

#[test]
fn a_reseller_admin_grants_narrower_rights_and_an_order_outside_them_is_refused() {
    let svc = Service::any();
    let r = svc.certified_reseller("Contoso", &frame(100, u64::MAX));
    svc.user(r, "ra@contoso.test", true, &Rights::default());
    let mut ra = svc.login("ra@contoso.test", "");
    // Wider than its own frame: refused, naming the limit.
    let (status, err) = ra.post(
        "/api/v1/users",
        &json!({"email": "wide@contoso.test", "rights": {"frame": frame(101, u64::MAX)}}),
    );
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("beyond_own_rights")),
        "{err}"
    );
    let (status, created) = ra.post(
        "/api/v1/users",
        &json!({"email": "ru@contoso.test", "rights": {"frame": frame(20, u64::MAX)}}),
    );
    assert_eq!(status, 201, "{created}");
    // The invited user sets its password with the mailed token.
    let token = svc.mail.last_token("ru@contoso.test", "invitation").unwrap();
    let (status, _) = svc.client().post(
        "/api/v1/password/reset",
        &json!({"token": token, "password": PASSWORD}),
    );
    assert_eq!(status, 200);
    let mut ru = svc.login("ru@contoso.test", "");
    // 25 users is outside its 20: refused naming the limit; 15 is inside.
    let mut beta = new_license("Beta GmbH");
    beta["customer"]["reseller"].take();
    let (status, err) = ru.post("/api/v1/licenses", &beta);
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("outside_rights")),
        "{err}"
    );
    assert!(err["error"]["message"].as_str().unwrap().contains("20"), "{err}");
    let mut inside = beta.clone();
    inside["named_users"] = json!(15);
    let (status, made) = ru.post("/api/v1/licenses", &inside);
    assert_eq!(status, 201, "{made}");
    // The admin sees it (made by its reseller); the user cannot hand on reports it lacks.
    let id = made["license"]["license_id"].as_u64().unwrap();
    assert_eq!(ra.get(&format!("/api/v1/licenses/{id}")).0, 200);
    let (status, _) = ru.post("/api/v1/users", &json!({"email": "x@contoso.test"}));
    assert_eq!(status, 403, "a reseller user adds no users");
}

#[test]
fn a_company_gets_one_trial_per_product_and_users_order_only_with_the_right() {
    let svc = Service::any();
    let a = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    svc.user(a, "ca@acme.test", true, &Rights::default());
    svc.user(a, "cu@acme.test", false, &Rights::default());
    let mut ca = svc.login("ca@acme.test", "");
    let body = json!({"product": "demo-erp", "bind": {"database": common::pg::db("acme")}});
    let (status, trial) = ca.post("/api/v1/trials", &body);
    assert_eq!(status, 201, "{trial}");
    let id = trial["license"]["license_id"].as_u64().unwrap();
    let (status, err) = ca.post("/api/v1/trials", &body);
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (409, Some("trial_taken"))
    );
    let mut cu = svc.login("cu@acme.test", "");
    assert_eq!(
        cu.get(&format!("/api/v1/licenses/{id}")).0,
        200,
        "users see the company's licenses"
    );
    let (status, err) = cu.post(
        &format!("/api/v1/licenses/{id}/upgrade"),
        &json!({"named_users": 12}),
    );
    assert_eq!((status, err["error"]["kind"].as_str()), (403, Some("forbidden")));
    // An administrator grants no reseller rights to a company user.
    let (status, _) = ca.post(
        "/api/v1/users",
        &json!({"email": "x@acme.test", "rights": {"frame": frame(1, 1)}}),
    );
    assert_eq!(status, 403);
    let (status, _) = ca.post(
        "/api/v1/users",
        &json!({"email": "o@acme.test", "rights": {"order": true}}),
    );
    assert_eq!(status, 201);
}
