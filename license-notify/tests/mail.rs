//! E-mail through a real SMTP server (Debian's python3-aiosmtpd, started by the test):
//! each new code to the company's administrators in their language, the throttle, and
//! no secret in any mail.

mod common;

use common::*;
use license_issue::*;
use license_notify::*;

type Events = Box<dyn FnMut(&Batch<'_>) -> Result<Vec<OutboxRow>, Error> + Send>;

fn admins() -> Vec<Recipient> {
    vec![
        Recipient {
            address: "admin@acme.example".into(),
            language: Language::En,
        },
        Recipient {
            address: "chefin@acme.example".into(),
            language: Language::De,
        },
    ]
}

fn setup(
    dir: &tempfile::TempDir,
    admins: Vec<Recipient>,
) -> (Issuer<WithOutbox<SqliteLedger, Events>>, SqliteOutbox) {
    let ledger = SqliteLedger::open(&dir.path().join("ledger.sqlite")).unwrap();
    let store = SqliteOutbox::open(&ledger).unwrap();
    let a = Audience {
        endpoints: Vec::new(),
        admins,
    };
    let events: Events = Box::new(move |b: &Batch<'_>| batch_events(b, &a, now_secs()));
    (issuer(WithOutbox::new(ledger, events)), store)
}

fn mail_setup(smtpd: &Smtpd, throttle: ThrottleConfig) -> MailSetup {
    MailSetup {
        mailer: mailer(smtpd),
        catalog: MessageCatalog::builtin().unwrap(),
        throttle: Throttle::new(throttle),
    }
}

#[test]
#[cfg_attr(
    not(has_smtpd),
    ignore = "needs Debian's python3-aiosmtpd (apt-get install python3-aiosmtpd)"
)]
fn a_new_code_reaches_each_administrator_in_their_language() {
    let smtpd = smtpd();
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir, admins());
    let out = is
        .place(Some("o-1"), &subscription("ACME Corp"), d(2026, 11, 22))
        .unwrap();
    let Outcome::Issued(issued) = out else {
        panic!("{out:?}")
    };
    let rx = Receiver::start(Answer::Ok);
    let mut w = Worker::new(
        store,
        "w1",
        retry(),
        WebhookSender::new(webhooks(&rx.url)),
        Some(mail_setup(&smtpd, ThrottleConfig::default())),
    );
    let r = w.run_once(now_ms()).unwrap();
    assert_eq!((r.claimed, r.delivered), (2, 2), "{r:?}");
    let mails = smtpd.mails_at_least(2);
    assert_eq!(mails.len(), 2);
    let en = mails
        .iter()
        .find(|m| m["rcpt"][0] == "admin@acme.example")
        .unwrap();
    let de = mails
        .iter()
        .find(|m| m["rcpt"][0] == "chefin@acme.example")
        .unwrap();
    let id = issued.license.license_id;
    assert_eq!(
        en["subject"],
        format!("New license code for demo-erp (license {id})")
    );
    assert_eq!(
        de["subject"],
        format!("Neuer Lizenzcode für demo-erp (Lizenz {id})")
    );
    for m in [en, de] {
        assert_eq!(m["content_type"], "text/plain");
        let body = m["body"].as_str().unwrap();
        assert!(body.contains(&issued.code), "{body}");
        assert!(m["message_id"].as_str().unwrap().starts_with("<evt_"), "{m}");
        let raw = m["raw"].as_str().unwrap();
        assert!(!raw.contains("PRIVATE KEY") && !raw.contains("BEGIN"), "{raw}");
    }
    assert!(de["body"].as_str().unwrap().contains("für ACME Corp"));
    // Delivered once: nothing more is sent.
    assert_eq!(w.run_once(now_ms()).unwrap().claimed, 0);
    assert_eq!(smtpd.messages(3).len(), 2);
}

#[test]
#[cfg_attr(
    not(has_smtpd),
    ignore = "needs Debian's python3-aiosmtpd (apt-get install python3-aiosmtpd)"
)]
fn the_throttle_holds_mail_back_per_recipient_and_in_total_and_loses_none() {
    let smtpd = smtpd();
    let dir = tempfile::tempdir().unwrap();
    let one = vec![Recipient {
        address: "busy@acme.example".into(),
        language: Language::En,
    }];
    let (mut is, store) = setup(&dir, one);
    for n in 0..3 {
        is.place(None, &subscription(&format!("Throttled {n}")), d(2026, 11, 22))
            .unwrap();
    }
    let rx = Receiver::start(Answer::Ok);
    let throttle = ThrottleConfig {
        per_recipient_per_minute: 2,
        total_per_minute: 100,
    };
    let mut w = Worker::new(
        store,
        "w1",
        retry(),
        WebhookSender::new(webhooks(&rx.url)),
        Some(mail_setup(&smtpd, throttle)),
    );
    let t = now_ms();
    let r = w.run_once(t).unwrap();
    assert_eq!(
        (r.delivered, r.throttled),
        (2, 1),
        "two per minute to one address"
    );
    assert_eq!(smtpd.messages(2).len(), 2);
    // Within the minute it stays held back; after it, it goes.
    assert_eq!(w.run_once(t + 30_000).unwrap().delivered, 0);
    let r = w.run_once(t + 61_000).unwrap();
    assert_eq!((r.delivered, r.throttled), (1, 0));
    assert_eq!(smtpd.messages(3).len(), 3);
    assert_eq!(w.store().pending().unwrap(), 0, "none lost");

    // The total: two addresses, one mail a minute in all.
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir, admins());
    is.place(None, &subscription("Total"), d(2026, 11, 22)).unwrap();
    let throttle = ThrottleConfig {
        per_recipient_per_minute: 10,
        total_per_minute: 1,
    };
    let mut w = Worker::new(
        store,
        "w2",
        retry(),
        WebhookSender::new(webhooks(&rx.url)),
        Some(mail_setup(&smtpd, throttle)),
    );
    let r = w.run_once(t).unwrap();
    assert_eq!((r.delivered, r.throttled), (1, 1));
    let r = w.run_once(t + 61_000).unwrap();
    assert_eq!((r.delivered, r.throttled), (1, 0));
}

#[test]
#[cfg_attr(
    not(has_smtpd),
    ignore = "needs Debian's python3-aiosmtpd (apt-get install python3-aiosmtpd)"
)]
fn account_mails_carry_their_link_and_nothing_else() {
    let smtpd = smtpd();
    let dir = tempfile::tempdir().unwrap();
    let (_is, store) = setup(&dir, Vec::new());
    let to = Recipient {
        address: "neu@kunde.example".into(),
        language: Language::De,
    };
    let link = "https://portal.vendor.example/reset/6fQx2-single-use";
    let reset = account_email(EventKind::PasswordReset, &to, link, 30).unwrap();
    let confirm = account_email(EventKind::AddressConfirmation, &to, link, 48 * 60).unwrap();
    assert!(account_email(EventKind::NewCode, &to, link, 2).is_err());
    assert_eq!(
        store
            .enqueue(&[reset.to_row().unwrap(), confirm.to_row().unwrap()])
            .unwrap(),
        2
    );
    let rx = Receiver::start(Answer::Ok);
    let mut w = Worker::new(
        store,
        "w1",
        retry(),
        WebhookSender::new(webhooks(&rx.url)),
        Some(mail_setup(&smtpd, ThrottleConfig::default())),
    );
    assert_eq!(w.run_once(now_ms()).unwrap().delivered, 2);
    let mails = smtpd.mails_at_least(2);
    assert_eq!(mails[0]["subject"], "Zurücksetzen Ihres Passworts");
    assert!(mails[0]["body"].as_str().unwrap().contains(link));
    assert!(
        mails[0]["body"]
            .as_str()
            .unwrap()
            .contains("innerhalb von 30 Minuten")
    );
    assert_eq!(mails[1]["subject"], "Bitte bestätigen Sie Ihre E-Mail-Adresse");
    assert_eq!(
        mails[0]["message_id"],
        format!("<{}@vendor.example>", reset.event_id)
    );
}

#[test]
fn without_an_smtp_server_mail_is_retried_not_lost() {
    // A port on loopback where nothing listens.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut is, store) = setup(&dir, admins());
    is.place(None, &subscription("Offline"), d(2026, 11, 22)).unwrap();
    let mailer = Mailer::new(&SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::Plain,
        credentials: None,
        from: "licensing@vendor.example".into(),
        timeout: std::time::Duration::from_secs(2),
    })
    .unwrap();
    let rx = Receiver::start(Answer::Ok);
    let mut w = Worker::new(
        store,
        "w1",
        retry(),
        WebhookSender::new(webhooks(&rx.url)),
        Some(MailSetup {
            mailer,
            catalog: MessageCatalog::builtin().unwrap(),
            throttle: Throttle::new(ThrottleConfig::default()),
        }),
    );
    let r = w.run_once(now_ms()).unwrap();
    assert_eq!((r.delivered, r.retried, r.given_up), (0, 2, 0));
    assert_eq!(w.store().pending().unwrap(), 2);
}
