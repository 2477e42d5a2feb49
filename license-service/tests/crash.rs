//! The crash test: the service binary (a child process; PostgreSQL, or SQLite; a real SMTP server and
//! a real webhook receiver) is killed with SIGKILL during a burst of orders and started
//! again. Afterwards every order the ledger holds has exactly one e-mail (by its
//! Message-ID) and exactly one webhook event (by its id), and no order the ledger does not
//! hold has either: the outbox rows were committed in the orders' own transactions.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::mailbox;
use common::{Client, new_license, now_secs, today};
use license_issue::{KeyRing, Ledger, Operation, SqliteLedger};
use license_notify::{OutboxStore, PgOutbox, SqliteOutbox};
use license_service::auth::password;
use license_service::db::postgres::PgDb;
use license_service::db::sqlite::SqliteDb;
use license_service::rights::{OrgKind, Rights};
use license_service::store::Store;

const SECRET: &str = "whsec_the_crash_tests_secret";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The binary, serving on `addr`, until killed.
fn start(home: &std::path::Path, url: Option<&str>, addr: SocketAddr, smtp: &str, name: &str) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_license-service"));
    match url {
        Some(url) => command.env("LICENSE_SERVICE_DATABASE", url),
        None => command.env_remove("LICENSE_SERVICE_DATABASE"),
    };
    let child = command
        .arg("serve")
        .env("LICENSE_SERVICE_HOME", home)
        .env("LICENSE_SERVICE_CONNECTIONS", "8")
        .env("LICENSE_SERVICE_LISTEN", addr.to_string())
        .env("LICENSE_SERVICE_SMTP", smtp)
        .env(
            "LICENSE_SERVICE_MAIL_FROM",
            "Licensing <licensing@vendor.example>",
        )
        .env("LICENSE_SERVICE_MAIL_PER_RECIPIENT", "1000")
        .env("LICENSE_SERVICE_MAIL_PER_MINUTE", "1000")
        .env("LICENSE_SERVICE_WEBHOOK_ALLOW", "loopback")
        .env("LICENSE_SERVICE_OUTBOX_LEASE", "3")
        .env("LICENSE_SERVICE_OUTBOX_POLL_MS", "100")
        .env("LICENSE_SERVICE_INSTANCE", name)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < until, "the service did not listen on {addr}");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

#[test]
#[cfg_attr(
    not(all(has_pg, has_smtpd)),
    ignore = "needs PostgreSQL (set LICENSE_TEST_PG) and Debian's python3-aiosmtpd (the SMTP server)"
)]
fn on_postgresql_killed_during_a_burst_every_committed_order_gets_one_mail_and_one_webhook() {
    let schema = common::pg::Schema::create(&common::pg::database_url());
    let url = format!(
        "{}?options=-c%20search_path%3D{}",
        common::pg::database_url(),
        schema.name
    );
    let home = tempfile::tempdir().unwrap();
    let store = Store::new(Box::new(PgDb::open(schema.config(), 2).unwrap()));
    let ledger = schema.ledger(2);
    let outbox = PgOutbox::open(&ledger).unwrap();
    burst_kill_restart(home.path(), Some(&url), &store, &outbox, &ledger);
}

#[test]
#[cfg_attr(not(has_smtpd), ignore = "needs Debian's python3-aiosmtpd (the SMTP server)")]
fn on_sqlite_killed_during_a_burst_every_committed_order_gets_one_mail_and_one_webhook() {
    let home = tempfile::tempdir().unwrap();
    let store = Store::new(Box::new(SqliteDb::open(&home.path().join("service.db")).unwrap()));
    let ledger = SqliteLedger::open(&home.path().join("ledger.db")).unwrap();
    let outbox = SqliteOutbox::open(&ledger).unwrap();
    burst_kill_restart(home.path(), None, &store, &outbox, &ledger);
}

/// The service on `url` (PostgreSQL) or on SQLite in `home`, whose store, outbox and
/// ledger the test reads through `store`, `outbox` and `ledger`.
fn burst_kill_restart(
    home: &std::path::Path,
    url: Option<&str>,
    store: &Store,
    outbox: &dyn OutboxStore,
    ledger: &dyn Ledger,
) {
    let smtpd = mailbox::smtpd();
    let hooks = mailbox::receiver();
    KeyRing::create(&home.join("keys"), today()).unwrap();
    std::fs::create_dir_all(home.join("catalog")).unwrap();
    std::fs::write(home.join("catalog/demo-erp.toml"), license_issue::DEMO_CATALOG).unwrap();

    // The accounts, the ERP's token and the webhook endpoint, made through the library in
    // the service's database before the service starts.
    let vendor = store.vendor_org("Vendor").unwrap();
    let company = store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    let admin = store
        .create_user(
            company,
            "admin@acme.test",
            &password::hash("a long test password").unwrap(),
            true,
            "",
            &Rights::default(),
        )
        .unwrap()
        .unwrap();
    store.confirm(admin).unwrap();
    let (_, token) = store.create_token(vendor, "erp", &["orders".into()]).unwrap();
    outbox
        .add_endpoint("vendor", &hooks.url, SECRET, now_secs())
        .unwrap();

    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let mut child = start(home, url, addr, &smtpd.url(), "crash-1");

    // A burst: 4 clients, up to 40 orders each; killed once 15 were answered.
    let answered = Arc::new(AtomicUsize::new(0));
    let burst: Vec<_> = (0..4)
        .map(|t| {
            let answered = Arc::clone(&answered);
            let token = token.clone();
            std::thread::spawn(move || {
                let mut c = Client {
                    addr,
                    cookie: None,
                    csrf: None,
                    bearer: Some(token),
                };
                for i in 0..40 {
                    let licensee = format!("Burst {t}-{i}");
                    let key = format!("burst-{t}-{i}");
                    let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        c.post_with(
                            &format!("/api/v1/licenses?company={company}"),
                            &[("Idempotency-Key", &key)],
                            &new_license(&licensee),
                        )
                    }));
                    match ok {
                        Ok((201, _)) => {
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        _ => return,
                    }
                }
            })
        })
        .collect();
    let until = Instant::now() + Duration::from_secs(60);
    while answered.load(Ordering::SeqCst) < 15 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    for b in burst {
        let _ = b.join();
    }
    let killed_at = answered.load(Ordering::SeqCst);
    assert!(
        killed_at >= 15,
        "the burst was too slow: {killed_at} orders in 60 s"
    );

    // Started again: it delivers what the first one left.
    let addr2: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let mut child = start(home, url, addr2, &smtpd.url(), "crash-2");
    let until = Instant::now() + Duration::from_secs(90);
    while outbox.pending().unwrap() > 0 {
        assert!(
            Instant::now() < until,
            "the outbox was not drained: {} pending",
            outbox.pending().unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap();
    child.wait().unwrap();

    // What the ledger holds.
    let committed: BTreeMap<u32, String> = ledger
        .records()
        .unwrap()
        .into_iter()
        .filter(|r| r.operation == Operation::Issue)
        .map(|r| (r.license.license_id, r.licensee.clone()))
        .collect();
    assert!(committed.len() >= 15, "{} committed", committed.len());
    let committed_names: BTreeSet<&str> = committed.values().map(String::as_str).collect();

    // Webhooks: one event id per committed license, every signature valid, none other.
    let mut events: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    for h in hooks.hooks() {
        assert!(h.verifies(SECRET), "a webhook's signature does not verify: {h:?}");
        let body = h.json();
        let name = body["data"]["licensee"].as_str().unwrap().to_owned();
        assert!(
            committed_names.contains(name.as_str()),
            "a webhook for an uncommitted order: {body}"
        );
        assert_eq!(body["id"], h.id.as_str());
        events
            .entry(body["data"]["license_id"].as_u64().unwrap())
            .or_default()
            .insert(h.id.clone());
    }
    // Mails: one Message-ID per committed license, none for another.
    let mut mails: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    for m in smtpd.mails() {
        let subject = m["subject"].as_str().unwrap();
        let id: u64 = subject
            .rsplit("license ")
            .next()
            .unwrap()
            .trim_end_matches(')')
            .parse()
            .unwrap_or_else(|_| panic!("an unexpected mail: {subject}"));
        mails
            .entry(id)
            .or_default()
            .insert(m["message_id"].as_str().unwrap().to_owned());
    }
    for id in committed.keys() {
        let id = u64::from(*id);
        assert_eq!(
            events.get(&id).map_or(0, BTreeSet::len),
            1,
            "webhook events of license {id}"
        );
        assert_eq!(
            mails.get(&id).map_or(0, BTreeSet::len),
            1,
            "mails of license {id}"
        );
    }
    let committed_ids: BTreeSet<u64> = committed.keys().map(|&i| u64::from(i)).collect();
    assert_eq!(events.keys().copied().collect::<BTreeSet<_>>(), committed_ids);
    assert_eq!(mails.keys().copied().collect::<BTreeSet<_>>(), committed_ids);
    eprintln!(
        "crash test ({}): {killed_at} orders answered before SIGKILL, {} committed, {} webhook requests, {} mails",
        if url.is_some() { "PostgreSQL" } else { "SQLite" },
        committed.len(),
        hooks.hooks().len(),
        smtpd.mails().len()
    );
}
