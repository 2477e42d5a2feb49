//! The service on the loopback for the tests: SQLite (store, ledger and outbox) by default,
//! a PostgreSQL schema of its own (store, ledger and outbox) with `postgres()`, several
//! instances on one schema with `on_schema()`; an HTTP/1.1 client with a
//! cookie jar; fixtures for every role.
#![allow(dead_code)]

pub mod mailbox;

#[allow(clippy::duplicate_mod)]
#[path = "../../../license-issue/tests/common/mod.rs"]
pub mod pg;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

use http_guard::web::WebPolicy;
use license_core::Date;
use license_issue::{Catalog, Catalogs, SqliteLedger, VendorKey};
use license_notify::{OutboxStore, PgOutbox, SqliteOutbox};
use license_service::auth::{password, totp};
use license_service::db::postgres::PgDb;
use license_service::db::sqlite::SqliteDb;
use license_service::issuers::Issuers;
use license_service::mail::{Mailer, MemoryMailer};
use license_service::notify::{Background, JobsReport, NotifyConfig, Notifying, OutboxMailer, run_jobs};
use license_service::permissions::Matrix;
use license_service::rights::{OrgKind, Rights};
use license_service::store::Store;
use license_service::{App, Settings, router};
use serde_json::{Value, json};

pub const PASSWORD: &str = "a long test password";

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn today() -> Date {
    Date::from_ymd(2026, 11, 22).unwrap()
}

/// The services' day: [`today`] unless a test moves it ([`set_day`]), for every service
/// the test process starts.
static DAY: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// The day the services place orders on.
pub fn service_day() -> Date {
    match DAY.load(std::sync::atomic::Ordering::SeqCst) {
        0 => today(),
        d => Date::from_days_since_unix_epoch(d),
    }
}

/// Move the services' day (a test binary whose tests all agree on it).
pub fn set_day(day: Date) {
    DAY.store(day.days_since_unix_epoch(), std::sync::atomic::Ordering::SeqCst);
}

pub fn catalogs() -> Catalogs {
    let mut c = Catalogs::new();
    c.insert(Catalog::demo().unwrap());
    c
}

pub fn key() -> VendorKey {
    VendorKey::from_seed(&[5; 32])
}

/// A running service.
pub struct Service {
    pub addr: SocketAddr,
    pub store: Arc<Store>,
    pub mail: Arc<MemoryMailer>,
    pub outbox: Arc<dyn OutboxStore>,
    pub vendor_org: i64,
    pub background: Option<Background>,
    /// Run the jobs as this instance (`run_jobs` on its issuers) for a day, as instance `name`.
    pub jobs: Jobs,
    certifier: std::sync::Mutex<Option<Client>>,
    /// The SQLite database file, when on SQLite.
    pub db_file: Option<std::path::PathBuf>,
    _dir: Option<tempfile::TempDir>,
    _tickets: tempfile::TempDir,
    _schema: Option<pg::Schema>,
}

/// The master key every test service seals reseller keys with.
pub fn master_key() -> Arc<license_service::custody::MasterKey> {
    static KEY: std::sync::OnceLock<Arc<license_service::custody::MasterKey>> = std::sync::OnceLock::new();
    KEY.get_or_init(|| Arc::new(license_service::custody::MasterKey::generate().unwrap()))
        .clone()
}

/// Runs the jobs of an instance for a day under a name.
pub type Jobs = Arc<dyn Fn(Date, &str) -> JobsReport + Send + Sync>;

/// How a test service is made.
pub struct Options {
    /// The service's bounded server with these limits (as the binary serves), else
    /// `axum::serve`.
    pub limits: Option<http_guard::conn::ConnLimits>,
    /// Account mails through the outbox with links to this address (else the memory
    /// mailer).
    pub mail_links: Option<String>,
    /// The settings (default: loopback only, no webhook ranges allowed).
    pub settings: Settings,
    /// Run the delivery worker and the jobs with this configuration.
    pub background: Option<NotifyConfig>,
    /// The catalogs (default: [`catalogs`]).
    pub catalogs: Option<Catalogs>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            limits: None,
            mail_links: None,
            settings: Settings::new(WebPolicy::new(&[], false).unwrap()),
            background: None,
            catalogs: None,
        }
    }
}

struct Started {
    addr: SocketAddr,
    mail: Arc<MemoryMailer>,
    vendor_org: i64,
    background: Option<Background>,
    jobs: Jobs,
}

/// Serve `issuers` with `store` as `options` say.
fn start_with<I: Issuers>(
    store: Arc<Store>,
    issuers: I,
    outbox: Arc<dyn OutboxStore>,
    mut options: Options,
    tickets: &std::path::Path,
) -> Started {
    if options.settings.master_key.is_none() {
        options.settings.master_key = Some(master_key());
    }
    if options.settings.tickets_home.is_none() {
        options.settings.tickets_home = Some(tickets.to_owned());
    }
    let mail = Arc::new(MemoryMailer::default());
    let vendor_org = store.vendor_org("Vendor").unwrap();
    let mailer: Arc<dyn Mailer> = match &options.mail_links {
        Some(url) => Arc::new(OutboxMailer::new(outbox.clone(), url, 48 * 60, 30)),
        None => mail.clone(),
    };
    let app = Arc::new(App {
        store: store.clone(),
        issuers,
        today: Arc::new(service_day),
        mailer,
        matrix: Matrix::committed().unwrap(),
        settings: options.settings,
        vendor_org,
    });
    let background = options
        .background
        .map(|config| Background::start(app.clone(), outbox, config).unwrap());
    let a = app.clone();
    let jobs: Jobs = Arc::new(move |day, name| {
        let catalog = license_notify::MessageCatalog::builtin().unwrap();
        let first = license_issue::Month::of(today());
        run_jobs(&a.issuers, &a.store, &catalog, name, first, day, now_secs()).unwrap()
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if let Some(limits) = options.limits {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            rt.block_on(license_service::api::serve::serve(
                listener,
                app,
                limits,
                None,
                std::future::pending(),
            ))
            .unwrap()
        });
        return Started {
            addr,
            mail,
            vendor_org,
            background,
            jobs,
        };
    }
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let service = router(app).into_make_service_with_connect_info::<SocketAddr>();
    std::thread::spawn(move || rt.block_on(async { axum::serve(listener, service).await.unwrap() }));
    Started {
        addr,
        mail,
        vendor_org,
        background,
        jobs,
    }
}

impl Service {
    /// SQLite: the store and the ledger with its outbox, in files of a temporary folder.
    pub fn sqlite() -> Service {
        Service::sqlite_with(Options::default())
    }

    /// SQLite, served by the service's bounded server with `limits`.
    pub fn bounded(limits: http_guard::conn::ConnLimits) -> Service {
        Service::sqlite_with(Options {
            limits: Some(limits),
            ..Options::default()
        })
    }

    /// SQLite with `options`.
    pub fn sqlite_with(options: Options) -> Service {
        let dir = tempfile::tempdir().unwrap();
        let ledger = SqliteLedger::open(&dir.path().join("ledger.db")).unwrap();
        let outbox: Arc<dyn OutboxStore> = Arc::new(SqliteOutbox::open(&ledger).unwrap());
        let store = Arc::new(Store::new(Box::new(
            SqliteDb::open(&dir.path().join("service.db")).unwrap(),
        )));
        let catalogs = options.catalogs.clone().unwrap_or_else(catalogs);
        let issuers = Notifying::new(catalogs, key(), ledger, outbox.clone(), store.clone());
        let tickets = tempfile::tempdir().unwrap();
        let s = start_with(store.clone(), issuers, outbox.clone(), options, tickets.path());
        Service {
            addr: s.addr,
            store,
            mail: s.mail,
            outbox,
            vendor_org: s.vendor_org,
            background: s.background,
            jobs: s.jobs,
            certifier: std::sync::Mutex::new(None),
            db_file: Some(dir.path().join("service.db")),
            _dir: Some(dir),
            _tickets: tickets,
            _schema: None,
        }
    }

    /// A schema of its own in `LICENSE_TEST_PG` for the store and the ledger.
    pub fn postgres() -> Service {
        let schema = pg::Schema::create(&pg::database_url());
        let mut svc = Service::on_schema(&schema, Options::default());
        svc._schema = Some(schema);
        svc
    }

    /// An instance on `schema` (several may share one: instances of one deployment).
    pub fn on_schema(schema: &pg::Schema, options: Options) -> Service {
        let store = Arc::new(Store::new(Box::new(PgDb::open(schema.config(), 4).unwrap())));
        let ledger = schema.ledger(4);
        let outbox: Arc<dyn OutboxStore> = Arc::new(PgOutbox::open(&ledger).unwrap());
        let catalogs = options.catalogs.clone().unwrap_or_else(catalogs);
        let issuers = Notifying::new(catalogs, key(), ledger, outbox.clone(), store.clone());
        let tickets = tempfile::tempdir().unwrap();
        let s = start_with(store.clone(), issuers, outbox.clone(), options, tickets.path());
        Service {
            addr: s.addr,
            store,
            mail: s.mail,
            outbox,
            vendor_org: s.vendor_org,
            background: s.background,
            jobs: s.jobs,
            certifier: std::sync::Mutex::new(None),
            db_file: None,
            _dir: None,
            _tickets: tickets,
            _schema: None,
        }
    }

    /// PostgreSQL when `LICENSE_TEST_PG` was set at build time, else SQLite; with these
    /// catalogs.
    pub fn any_with(catalogs: Catalogs) -> Service {
        Service::any_options(Options {
            catalogs: Some(catalogs),
            ..Options::default()
        })
    }

    /// PostgreSQL when `LICENSE_TEST_PG` was set at build time, else SQLite; made so.
    pub fn any_options(options: Options) -> Service {
        if cfg!(has_pg) {
            let schema = pg::Schema::create(&pg::database_url());
            let mut svc = Service::on_schema(&schema, options);
            svc._schema = Some(schema);
            svc
        } else {
            Service::sqlite_with(options)
        }
    }

    /// PostgreSQL when `LICENSE_TEST_PG` was set at build time, else SQLite.
    pub fn any() -> Service {
        if cfg!(has_pg) {
            Service::postgres()
        } else {
            Service::sqlite()
        }
    }

    pub fn client(&self) -> Client {
        Client {
            addr: self.addr,
            cookie: None,
            csrf: None,
            bearer: None,
        }
    }

    /// A confirmed user of `org` with the password [`PASSWORD`] (and a TOTP secret for
    /// the vendor's), made directly in the store (the bootstrap does the same).
    pub fn user(&self, org: i64, email: &str, admin: bool, rights: &Rights) -> (i64, String) {
        let kind = self.store.org(org).unwrap().unwrap().kind;
        let secret = if kind == OrgKind::Vendor {
            totp::new_secret().unwrap()
        } else {
            String::new()
        };
        let id = self
            .store
            .create_user(
                org,
                email,
                &password::hash(PASSWORD).unwrap(),
                admin,
                &secret,
                rights,
            )
            .unwrap()
            .unwrap();
        self.store.confirm(id).unwrap();
        (id, secret)
    }

    /// Log `email` in (with a TOTP code from `secret` when given).
    pub fn login(&self, email: &str, secret: &str) -> Client {
        let mut c = self.client();
        let mut body = json!({"email": email, "password": PASSWORD});
        if !secret.is_empty() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64;
            body["totp"] = json!(totp::code_at(secret, now).unwrap());
        }
        let (status, v) = c.post("/api/v1/login", &body);
        assert_eq!(status, 200, "login {email}: {v}");
        c
    }

    /// A reseller `name` certified through the API for demo-erp with `frame` (given the
    /// id range 500000-599999 when it has none), its key kept by the service.
    pub fn certified_reseller(&self, name: &str, frame: &license_core::Frame) -> i64 {
        let mut frame = *frame;
        if frame.license_ids.is_none() {
            frame.license_ids = Some(license_core::IdRange {
                first: 500_000,
                last: 599_999,
            });
        }
        let org = self
            .store
            .create_org(OrgKind::Reseller, name, &serde_json::to_string(&frame).unwrap())
            .unwrap();
        let mut va = self.certifier();
        let (status, v) = va.post(
            &format!("/api/v1/resellers/{org}/certify"),
            &json!({"product": "demo-erp", "frame": frame}),
        );
        assert_eq!(status, 201, "certify {name}: {v}");
        org
    }

    /// A vendor administrator's session (one user, logged in once: its TOTP code is
    /// single-use).
    pub fn certifier(&self) -> Client {
        let mut held = self.certifier.lock().unwrap();
        if let Some(c) = held.as_ref() {
            return c.clone();
        }
        let (_, secret) = self.user(self.vendor_org, "certifier@vendor.test", true, &Rights::default());
        let c = self.login("certifier@vendor.test", &secret);
        *held = Some(c.clone());
        c
    }

    /// A vendor API token with `scopes`.
    pub fn token(&self, org: i64, scopes: &[&str]) -> Client {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let (_, token) = self.store.create_token(org, "test", &scopes).unwrap();
        let mut c = self.client();
        c.bearer = Some(token);
        c
    }
}

/// An HTTP/1.1 client (one connection per request) with a session cookie and its CSRF
/// token, or a bearer token.
#[derive(Clone, Debug)]
pub struct Client {
    pub addr: SocketAddr,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

/// A response: status, headers (lowercase names), body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {:?}", self.body))
    }

    pub fn kind(&self) -> String {
        self.json()["error"]["kind"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Client {
    pub fn raw(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
        let mut s = TcpStream::connect(self.addr).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr
        );
        if let Some(c) = &self.cookie {
            head.push_str(&format!("Cookie: lk_svc_session={c}\r\n"));
        }
        if let (Some(t), "POST") = (&self.csrf, method) {
            head.push_str(&format!("X-CSRF-Token: {t}\r\n"));
        }
        if let Some(b) = &self.bearer {
            head.push_str(&format!("Authorization: Bearer {b}\r\n"));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\n\r\n",
            body.map_or(0, <[u8]>::len)
        ));
        s.write_all(head.as_bytes()).unwrap();
        if let Some(b) = body {
            let _ = s.write_all(b);
        }
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("no response: {text:?}"));
        let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
        let head = head.to_ascii_lowercase();
        if let Some(line) = head
            .lines()
            .find(|l| l.starts_with("set-cookie: lk_svc_session="))
        {
            let value = line["set-cookie: lk_svc_session=".len()..]
                .split(';')
                .next()
                .unwrap();
            // The header was lowercased: take the value from the original text.
            let at = text.to_ascii_lowercase().find(line).unwrap() + "set-cookie: lk_svc_session=".len();
            let original = &text[at..at + value.len()];
            self.cookie = if original.is_empty() {
                None
            } else {
                Some(original.to_owned())
            };
        }
        let reply = Reply {
            status,
            head,
            body: body.to_owned(),
        };
        if path == "/api/v1/login"
            && status == 200
            && let Some(csrf) = reply.json()["csrf"].as_str()
        {
            self.csrf = Some(csrf.to_owned());
        }
        reply
    }

    /// A GET: the status and the JSON body (a text body as a JSON string).
    pub fn get(&mut self, path: &str) -> (u16, Value) {
        let r = self.raw("GET", path, &[], None);
        let v = serde_json::from_str(&r.body).unwrap_or_else(|_| Value::String(r.body.clone()));
        (r.status, v)
    }

    pub fn post(&mut self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.raw(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            Some(body.to_string().as_bytes()),
        );
        (r.status, r.json())
    }

    pub fn post_with(&mut self, path: &str, headers: &[(&str, &str)], body: &Value) -> (u16, Value) {
        let mut h = vec![("Content-Type", "application/json")];
        h.extend_from_slice(headers);
        let r = self.raw("POST", path, &h, Some(body.to_string().as_bytes()));
        (r.status, r.json())
    }
}

pub fn new_license(licensee: &str) -> Value {
    json!({
        "product": "demo-erp",
        "kind": "subscription",
        "customer": {"licensee": licensee, "reseller": "Reseller One"},
        "line": "expert",
        "named_users": 25,
        "modules": ["crm", "bi"],
        "bind": {"database": pg::db(&format!("DB-{licensee}"))},
    })
}

/// Webhook targets on loopback allowed (the tests' receivers), private ranges not.
pub fn loopback() -> license_notify::TargetPolicy {
    license_notify::TargetPolicy {
        allow_loopback: true,
        allow_private: false,
    }
}

/// An instance's worker and jobs: mail to the test's SMTP server, webhooks to loopback.
pub fn smtp_background(smtpd: &mailbox::Smtpd, name: &str) -> NotifyConfig {
    let smtp =
        license_notify::SmtpConfig::from_url(&smtpd.url(), None, "Licensing <licensing@vendor.example>")
            .unwrap();
    NotifyConfig {
        instance: name.into(),
        retry: license_notify::RetryPolicy {
            first_secs: 1,
            cap_secs: 4,
            max_attempts: 10,
            lease_secs: 30,
        },
        policy: loopback(),
        mail: Some(license_notify::MailSetup {
            mailer: license_notify::Mailer::new(&smtp).unwrap(),
            catalog: license_notify::MessageCatalog::builtin().unwrap(),
            throttle: license_notify::Throttle::new(license_notify::ThrottleConfig::default()),
        }),
        poll: std::time::Duration::from_millis(200),
        jobs_every: std::time::Duration::from_secs(3600),
        first_report: license_issue::Month::of(today()),
    }
}

/// A service whose account mails and codes go through the outbox to `smtpd` (links to
/// `http://portal.test`), webhooks to loopback.
pub fn smtp_options(smtpd: &mailbox::Smtpd, name: &str) -> Options {
    let mut settings = Settings::new(WebPolicy::new(&[], false).unwrap());
    settings.webhook_policy = loopback();
    Options {
        limits: None,
        mail_links: Some("http://portal.test".into()),
        settings,
        background: Some(smtp_background(smtpd, name)),
        catalogs: None,
    }
}
