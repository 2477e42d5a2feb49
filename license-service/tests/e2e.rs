//! End to end over HTTP on loopback, with real PostgreSQL, a real SMTP server (Debian's
//! aiosmtpd) and a real webhook receiver: the service's orders commit their e-mails and
//! webhook events in the ledger's transaction, the delivery worker sends them, the jobs
//! run once across instances. (The SMTP server and PostgreSQL are needed: without them
//! these tests are reported as ignored.)

mod common;

use std::time::Duration;

use common::mailbox::{self, token_in};
use common::{PASSWORD, Service, new_license};
use license_core::{Date, Frame, Kind, KindSet, LineSet, ModuleSet};
use license_service::rights::{OrgKind, Rights};
use serde_json::json;

const DB1: &str = "DB-JBW44-P5J45-44VPC-YCED6";
const DB2: &str = "DB-ZSNRK-1WQ6N-GHZP2-K95B9";

fn frame(users: u32) -> Frame {
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription),
        LineSet::from_bits(0b11),
        ModuleSet::from_bits(u64::MAX),
        Date::from_ymd(2030, 1, 1).unwrap(),
    );
    f.named_users = Some(users);
    f
}

#[test]
#[cfg_attr(
    not(all(has_pg, has_smtpd)),
    ignore = "needs PostgreSQL (set LICENSE_TEST_PG) and Debian's python3-aiosmtpd (the SMTP server)"
)]
fn a_company_registers_confirms_tries_activates_orders_and_gets_the_code_by_mail_and_webhook() {
    let smtpd = mailbox::smtpd();
    let hooks = mailbox::receiver();
    let schema = common::pg::Schema::create(&common::pg::database_url());
    let svc = Service::on_schema(&schema, common::smtp_options(&smtpd, "e2e-1"));

    // The vendor's administrator registers the ERP's webhook; the secret is shown once.
    let (_, va_secret) = svc.user(svc.vendor_org, "va@vendor.test", true, &Rights::default());
    let mut va = svc.login("va@vendor.test", &va_secret);
    let (status, hook) = va.post("/api/v1/webhooks", &json!({"url": hooks.url}));
    assert_eq!(status, 201, "{hook}");
    let secret = hook["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let (status, list) = va.get("/api/v1/webhooks");
    assert_eq!(status, 200);
    assert_eq!(list["webhooks"][0]["url"], hooks.url.as_str());
    assert!(
        !list.to_string().contains(&secret),
        "the secret is shown once: {list}"
    );

    // A company registers; the confirmation link comes by mail over SMTP.
    let (status, _) = svc.client().post(
        "/api/v1/register",
        &json!({"company": "ACME Corp", "email": "it@acme.test", "password": PASSWORD}),
    );
    assert_eq!(status, 202);
    let mail = smtpd.wait_for("it@acme.test", "confirm", 20);
    let first_mail = std::time::Instant::now();
    let body = mail["body"].as_str().unwrap();
    assert!(
        body.contains("http://portal.test/portal/confirm?token=lkm_"),
        "{body}"
    );
    assert!(!body.contains(PASSWORD), "no password in a mail");
    let token = token_in(&mail);
    let (status, r) = svc.client().post("/api/v1/confirm", &json!({"token": token}));
    assert_eq!(status, 200, "{r}");
    let (status, _) = svc.client().post("/api/v1/confirm", &json!({"token": token}));
    assert_ne!(status, 200, "the mailed token is single-use");
    let mut ca = svc.login("it@acme.test", "");

    // The trial, activated with a database code.
    let (status, trial) = ca.post("/api/v1/trials", &json!({"product": "demo-erp"}));
    assert_eq!(status, 201, "{trial}");
    let id = trial["license"]["license_id"].as_u64().unwrap();
    let (status, bound) = ca.post(
        &format!("/api/v1/licenses/{id}/activate"),
        &json!({"bind": {"database": DB1}}),
    );
    assert_eq!(status, 200, "{bound}");

    // The vendor's ERP sells the company a subscription; its administrator orders more
    // users, and the new code arrives by e-mail and by webhook.
    let company = svc.store.user_by_email("it@acme.test").unwrap().unwrap().org_id;
    let mut erp = svc.token(svc.vendor_org, &["orders"]);
    let mut order = new_license("ACME Corp");
    order["bind"] = json!({"database": DB2});
    let (status, sold) = erp.post(&format!("/api/v1/licenses?company={company}"), &order);
    assert_eq!(status, 201, "{sold}");
    let sub = sold["license"]["license_id"].as_u64().unwrap();
    let (status, more) = ca.post(
        &format!("/api/v1/licenses/{sub}/upgrade"),
        &json!({"named_users": 40}),
    );
    assert_eq!(status, 200, "{more}");
    let code = more["now"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code in {more}"))
        .to_owned();

    let mail = smtpd.wait_body("it@acme.test", &code, 20);
    assert_eq!(
        mail["subject"],
        format!("New license code for demo-erp (license {sub})")
    );
    let hook = hooks.wait_for(20, |b| b["data"]["code"] == code.as_str());
    assert!(
        hook.verifies(&secret),
        "the webhook's signature verifies with the shown secret"
    );
    assert!(!hook.verifies("whsec_another"), "and not with another");
    let body = hook.json();
    assert_eq!(body["type"], "license.changed");
    assert_eq!(body["id"], hook.id.as_str());
    assert_eq!(body["data"]["license_id"], sub);
    // The trial's and its activation's events came too, each once by id.
    let trial_created = hooks.wait_for(20, |b| {
        b["type"] == "license.created" && b["data"]["license_id"] == id
    });
    assert!(trial_created.verifies(&secret));
    std::thread::sleep(Duration::from_secs(1));
    assert!(hooks.counts().values().all(|&n| n == 1), "{:?}", hooks.counts());

    // Removed, the endpoint gets nothing more.
    let wid = hook_id(&list);
    let (status, _) = va.post(&format!("/api/v1/webhooks/{wid}/remove"), &json!({}));
    assert_eq!(status, 200);
    assert_eq!(va.get("/api/v1/webhooks").1["webhooks"], json!([]));
    let before = hooks.hooks().len();
    let (status, more45) = ca.post(
        &format!("/api/v1/licenses/{sub}/upgrade"),
        &json!({"named_users": 45}),
    );
    assert_eq!(status, 200);
    assert!(more45["now"]["code"].is_string());
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(hooks.hooks().len(), before);
    // Outgoing mail is throttled (5 a minute per address by default): the sixth mail to
    // the administrator waits in the outbox; none is dropped. (Checked when the test ran
    // within the minute of the first mail, as it does but on a very slow machine.)
    if first_mail.elapsed() < Duration::from_secs(55) {
        assert_eq!(smtpd.mails().len(), 5, "confirmation, and four codes");
        assert_eq!(svc.outbox.pending().unwrap(), 1);
    }
}

fn hook_id(list: &serde_json::Value) -> i64 {
    list["webhooks"][0]["id"].as_i64().unwrap()
}

#[test]
#[cfg_attr(
    not(all(has_pg, has_smtpd)),
    ignore = "needs PostgreSQL (set LICENSE_TEST_PG) and Debian's python3-aiosmtpd (the SMTP server)"
)]
fn a_reseller_user_invited_by_mail_orders_inside_its_narrower_rights_only() {
    let smtpd = mailbox::smtpd();
    let hooks = mailbox::receiver();
    let schema = common::pg::Schema::create(&common::pg::database_url());
    let svc = Service::on_schema(&schema, common::smtp_options(&smtpd, "e2e-2"));
    let r = svc.certified_reseller("Contoso", &frame(100));
    svc.user(r, "ra@contoso.test", true, &Rights::default());
    let mut ra = svc.login("ra@contoso.test", "");
    // The reseller's own endpoint.
    let (status, hook) = ra.post("/api/v1/webhooks", &json!({"url": hooks.url}));
    assert_eq!(status, 201, "{hook}");
    let secret = hook["secret"].as_str().unwrap().to_owned();

    let (status, created) = ra.post(
        "/api/v1/users",
        &json!({"email": "ru@contoso.test", "rights": {"frame": frame(20)}}),
    );
    assert_eq!(status, 201, "{created}");
    let invitation = smtpd.wait_for("ru@contoso.test", "account", 20);
    let (status, _) = svc.client().post(
        "/api/v1/password/reset",
        &json!({"token": token_in(&invitation), "password": PASSWORD}),
    );
    assert_eq!(status, 200);
    // A forgotten password: the reset link comes by mail, works once, carries no secret
    // but its token.
    let (status, _) = svc
        .client()
        .post("/api/v1/password/forgot", &json!({"email": "ru@contoso.test"}));
    assert_eq!(status, 202);
    let reset = smtpd.wait_for("ru@contoso.test", "Resetting your password", 20);
    let body = reset["body"].as_str().unwrap();
    assert!(
        body.contains("http://portal.test/portal/password/reset?token=lkm_"),
        "{body}"
    );
    assert!(body.contains("30 minutes"), "{body}");
    assert!(
        !body.contains(PASSWORD) && !body.contains("PRIVATE KEY"),
        "{body}"
    );
    let token = token_in(&reset);
    let new_password = json!({"token": token, "password": "another long password"});
    assert_eq!(svc.client().post("/api/v1/password/reset", &new_password).0, 200);
    assert_ne!(svc.client().post("/api/v1/password/reset", &new_password).0, 200);
    let mut ru = svc.client();
    let (status, _) = ru.post(
        "/api/v1/login",
        &json!({"email": "ru@contoso.test", "password": "another long password"}),
    );
    assert_eq!(status, 200);
    // A reseller's order names no reseller: the service signs as the caller's.
    let mut outside = new_license("Beta GmbH");
    outside["customer"]["reseller"].take();
    let (status, err) = ru.post("/api/v1/licenses", &outside);
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("outside_rights")),
        "{err}"
    );
    let mut inside = outside.clone();
    inside["named_users"] = json!(15);
    let (status, made) = ru.post("/api/v1/licenses", &inside);
    assert_eq!(status, 201, "{made}");
    let id = made["license"]["license_id"].as_u64().unwrap();
    let got = hooks.wait_for(20, |b| b["data"]["license_id"] == id);
    assert!(got.verifies(&secret));
    assert_eq!(got.json()["data"]["licensee"], "Beta GmbH");
    // Only the allowed order was announced.
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(hooks.hooks().len(), 1, "{:?}", hooks.hooks());
}

#[test]
#[cfg_attr(
    not(all(has_pg, has_smtpd)),
    ignore = "needs PostgreSQL (set LICENSE_TEST_PG) and Debian's python3-aiosmtpd (the SMTP server)"
)]
fn the_renewal_job_on_two_instances_sends_one_renewal_code() {
    let smtpd = mailbox::smtpd();
    let schema = common::pg::Schema::create(&common::pg::database_url());
    let a = Service::on_schema(&schema, common::smtp_options(&smtpd, "instance-a"));
    let b = Service::on_schema(&schema, common::smtp_options(&smtpd, "instance-b"));
    let company = a.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    a.user(company, "admin@acme.test", true, &Rights::default());
    let mut erp = a.token(a.vendor_org, &["orders"]);
    let (status, sold) = erp.post(
        &format!("/api/v1/licenses?company={company}"),
        &new_license("ACME Corp"),
    );
    assert_eq!(status, 201, "{sold}");
    let id = sold["license"]["license_id"].as_u64().unwrap();
    let expires = Date::parse(
        sold["license"]["expires"]
            .as_str()
            .unwrap_or_else(|| panic!("{sold}")),
    )
    .unwrap();
    // The new code's mail first.
    smtpd.wait_for(
        "admin@acme.test",
        &format!("New license code for demo-erp (license {id})"),
        20,
    );

    // 20 days before expiry the window is open: both instances run the job at once.
    let day = Date::from_days_since_unix_epoch(expires.days_since_unix_epoch() - 20);
    let (ja, jb) = (a.jobs.clone(), b.jobs.clone());
    let ta = std::thread::spawn(move || ja(day, "instance-a"));
    let tb = std::thread::spawn(move || jb(day, "instance-b"));
    let (ra, rb) = (ta.join().unwrap(), tb.join().unwrap());
    assert_eq!(
        u8::from(ra.renewals.ran) + u8::from(rb.renewals.ran),
        1,
        "one instance ran it: {ra:?} {rb:?}"
    );
    // Run again (a later pass of each instance, and a day later: catching up) - still one.
    let again = (a.jobs)(day, "instance-a");
    assert!(!again.renewals.ran);
    (b.jobs)(
        Date::from_days_since_unix_epoch(day.days_since_unix_epoch() + 1),
        "instance-b",
    );

    let renewal = smtpd.wait_for("admin@acme.test", "Renewal code", 20);
    assert!(
        renewal["subject"]
            .as_str()
            .unwrap()
            .contains(&format!("license {id}"))
    );
    std::thread::sleep(Duration::from_secs(2));
    let renewals = smtpd
        .mails()
        .iter()
        .filter(|m| m["subject"].as_str().unwrap().starts_with("Renewal code"))
        .count();
    assert_eq!(renewals, 1, "one renewal code, by one mail");
    let (status, shown) = erp.get(&format!("/api/v1/licenses/{id}"));
    assert_eq!(status, 200);
    let renewed = shown["history"].as_array().unwrap().len();
    assert_eq!(renewed, 2, "the issue and one renewal: {shown}");
}

#[test]
fn webhook_targets_on_loopback_or_private_ranges_are_refused_unless_allowed() {
    let svc = Service::sqlite();
    let (_, va_secret) = svc.user(svc.vendor_org, "va@vendor.test", true, &Rights::default());
    let mut va = svc.login("va@vendor.test", &va_secret);
    for url in [
        "http://127.0.0.1:9/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "ftp://erp.example/hook",
    ] {
        let (status, err) = va.post("/api/v1/webhooks", &json!({"url": url}));
        assert_eq!(
            (status, err["error"]["field"].as_str()),
            (400, Some("url")),
            "{url}: {err}"
        );
    }
    assert_eq!(va.get("/api/v1/webhooks").1["webhooks"], json!([]));
    // A company has no webhooks; a reseller sees only its own.
    let c = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    svc.user(c, "ca@acme.test", true, &Rights::default());
    let (status, _) = svc.login("ca@acme.test", "").get("/api/v1/webhooks");
    assert_eq!(status, 403);
}

#[test]
fn on_sqlite_an_order_commits_its_outbox_rows_with_it_and_a_refused_order_none() {
    let svc = Service::sqlite();
    svc.outbox
        .add_endpoint("vendor", "https://erp.vendor.example/hook", "whsec_x", 0)
        .unwrap();
    let company = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    svc.user(company, "admin@acme.test", true, &Rights::default());
    svc.user(company, "user@acme.test", false, &Rights::default());
    let mut erp = svc.token(svc.vendor_org, &["orders"]);
    assert_eq!(svc.outbox.pending().unwrap(), 0);
    let (status, made) = erp.post(
        &format!("/api/v1/licenses?company={company}"),
        &new_license("ACME Corp"),
    );
    assert_eq!(status, 201, "{made}");
    // One webhook event (one endpoint) and one mail (one administrator; not the user).
    assert_eq!(svc.outbox.pending().unwrap(), 2);
    // Refused by the library (no users or seats): nothing recorded, nothing queued.
    let mut bad = new_license("ACME Corp");
    bad["named_users"] = json!(0);
    let (status, err) = erp.post(&format!("/api/v1/licenses?company={company}"), &bad);
    assert!(status >= 400, "{err}");
    assert_eq!(svc.outbox.pending().unwrap(), 2);
    // The same order again under its Idempotency-Key: the first answer, no new rows.
    let key = [("Idempotency-Key", "order-4711")];
    let (s1, first) = erp.post_with(
        &format!("/api/v1/licenses?company={company}"),
        &key,
        &new_license("Beta"),
    );
    let (s2, again) = erp.post_with(
        &format!("/api/v1/licenses?company={company}"),
        &key,
        &new_license("Beta"),
    );
    assert_eq!((s1, s2), (201, 201), "{first} {again}");
    assert_eq!(first["license"]["license_id"], again["license"]["license_id"]);
    assert_eq!(svc.outbox.pending().unwrap(), 4);
}
