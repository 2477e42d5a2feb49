//! The mails of a company's new codes go out in the language each administrator chose in
//! the portal (stored with the user), English where it chose none; so do the account mails
//! (confirmation, "already registered", invitation, password reset), through the outbox and
//! a real SMTP server.

mod common;

use common::mailbox::{self, token_in};
use common::{PASSWORD, Service, smtp_options};
use license_notify::Language;
use license_service::notify::admins_of;
use license_service::rights::{OrgKind, Rights};
use serde_json::json;

#[test]
fn each_administrator_gets_its_mails_in_the_language_it_chose() {
    let svc = Service::sqlite();
    let org = svc
        .store
        .create_org(OrgKind::Company, "Mustermann GmbH", "")
        .unwrap();
    let (de, _) = svc.user(org, "chef@mustermann.test", true, &Rights::default());
    svc.user(org, "admin@mustermann.test", true, &Rights::default());
    svc.user(org, "user@mustermann.test", false, &Rights::default());
    svc.store.set_language(de, "de").unwrap();

    let mut admins = admins_of(&svc.store, org).unwrap();
    admins.sort_by(|a, b| a.address.cmp(&b.address));
    let got: Vec<(&str, Language)> = admins.iter().map(|r| (r.address.as_str(), r.language)).collect();
    assert_eq!(
        got,
        [
            ("admin@mustermann.test", Language::En),
            ("chef@mustermann.test", Language::De),
        ]
    );
}

#[test]
#[cfg_attr(not(has_smtpd), ignore = "needs Debian's python3-aiosmtpd (the SMTP server)")]
fn account_mails_go_out_in_the_language_of_the_account() {
    let smtpd = mailbox::smtpd();
    let svc = Service::any_options(smtp_options(&smtpd, "mail-language"));
    let register = |email: &str, language: &str| {
        svc.client().post(
            "/api/v1/register",
            &json!({"company": "Mustermann GmbH", "email": email, "password": PASSWORD, "language": language}),
        )
    };

    // Registered in German (the portal registers in its page's language).
    assert_eq!(register("chef@mustermann.test", "de").0, 202);
    let confirm = smtpd.wait_for(
        "chef@mustermann.test",
        "Bitte bestätigen Sie Ihre E-Mail-Adresse",
        30,
    );
    // The same address again, asked in English: its owner hears of it in its own language.
    assert_eq!(register("chef@mustermann.test", "en").0, 202);
    smtpd.wait_for("chef@mustermann.test", "Registrierung mit Ihrer Adresse", 30);
    // A language the service has no texts for is named.
    let (status, err) = register("x@mustermann.test", "fr");
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("language")),
        "{err}"
    );

    // The German administrator invites a colleague: the invitation is German too.
    let (status, _) = svc
        .client()
        .post("/api/v1/confirm", &json!({ "token": token_in(&confirm) }));
    assert_eq!(status, 200);
    let mut chef = svc.login("chef@mustermann.test", PASSWORD);
    let (status, added) = chef.post(
        "/api/v1/users",
        &json!({"email": "kollege@mustermann.test", "admin": false, "rights": {}}),
    );
    assert_eq!(status, 201, "{added}");
    smtpd.wait_for("kollege@mustermann.test", "Ihr Konto im Lizenzportal", 30);

    // A reset link in German; after the switch to English, in English.
    let forgot = || {
        let (status, _) = svc.client().post(
            "/api/v1/password/forgot",
            &json!({"email": "chef@mustermann.test"}),
        );
        assert_eq!(status, 202);
    };
    forgot();
    smtpd.wait_for("chef@mustermann.test", "Zurücksetzen Ihres Passworts", 30);
    let chef_id = svc
        .store
        .user_by_email("chef@mustermann.test")
        .unwrap()
        .unwrap()
        .id;
    svc.store.set_language(chef_id, "en").unwrap();
    forgot();
    smtpd.wait_for("chef@mustermann.test", "Resetting your password", 30);
}
