//! `license-service`: the vendor's licensing backend.
//!
//! ```text
//! license-service serve                       # the API (settings from the environment)
//! license-service add-vendor-admin EMAIL      # bootstrap: the first vendor administrator
//!
//! LICENSE_SERVICE_HOME=licensing              # keys/ and catalog/, as licensectl keeps them
//! LICENSE_SERVICE_DATABASE=postgres://...     # accounts and the ledger in PostgreSQL (several
//!                                             # instances); else SQLite <home>/service.db and
//!                                             # the ledger <home>/ledger.db (with its outbox)
//! LICENSE_SERVICE_CONNECTIONS=8               # pool size
//! LICENSE_SERVICE_LISTEN=127.0.0.1:8080
//! LICENSE_SERVICE_ALLOW_HOST=licenses.example.com   # names clients use (comma-separated)
//! LICENSE_SERVICE_TLS_CERT=/etc/license-service/cert.pem LICENSE_SERVICE_TLS_KEY=...
//! LICENSE_SERVICE_PUBLIC_URL=https://licenses.example.com   # links in mails
//! LICENSE_SERVICE_SMTP=smtp+starttls://user@mail.example.com   # the relay (none: mail waits)
//! LICENSE_SERVICE_SMTP_PASSWORD=...  LICENSE_SERVICE_MAIL_FROM='Licensing <l@example.com>'
//! LICENSE_SERVICE_WEBHOOK_ALLOW=loopback,private   # webhook ranges besides public ones
//! (docs/SERVICE.md lists the others: throttle, instance name, lease, poll, jobs)
//! LICENSE_SERVICE_MASTER_KEY=<home>/service-master.key   # seals the reseller keys it keeps (0600)
//! ```
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use http_guard::conn::ConnLimits;
use http_guard::rate::RateLimiter;
use http_guard::web::WebPolicy;
use license_issue::{Catalogs, KeyRing, Month, PgLedger, SqliteLedger};
use license_notify::{
    MailSetup, Mailer, MessageCatalog, OutboxStore, PgOutbox, RetryPolicy, SmtpConfig, SqliteOutbox,
    TargetPolicy, Throttle, ThrottleConfig,
};
use license_service::api::serve::serve;
use license_service::auth::{password, secret, totp};
use license_service::clock::system_today;
use license_service::db::postgres::PgDb;
use license_service::db::sqlite::SqliteDb;
use license_service::issuers::Issuers;
use license_service::notify::{Background, NotifyConfig, Notifying, OutboxMailer};
use license_service::permissions::Matrix;
use license_service::rights::Rights;
use license_service::store::Store;
use license_service::store::audit::AuditAction;
use license_service::{App, Settings};

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["serve"] | [] => run().await,
        // The database clients are synchronous (PostgreSQL's starts its own runtime): off
        // the async runtime's threads.
        ["add-vendor-admin", email] => {
            let email = (*email).to_owned();
            match tokio::task::spawn_blocking(move || add_vendor_admin(&email)).await {
                Ok(result) => result,
                Err(e) => Err(e.into()),
            }
        }
        _ => Err("usage: license-service [serve] | add-vendor-admin EMAIL".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn home() -> PathBuf {
    PathBuf::from(env("LICENSE_SERVICE_HOME").unwrap_or_else(|| "licensing".into()))
}

fn store() -> Result<Store, Failure> {
    Ok(match env("LICENSE_SERVICE_DATABASE") {
        Some(url) => Store::new(Box::new(PgDb::connect(&url, connections()?)?)),
        None => Store::new(Box::new(SqliteDb::open(&home().join("service.db"))?)),
    })
}

fn connections() -> Result<u32, Failure> {
    Ok(env("LICENSE_SERVICE_CONNECTIONS").map_or(Ok(8), |n| n.parse())?)
}

/// The first vendor administrator: prints a single-use token to set the password and the
/// TOTP secret, once, on this terminal.
fn add_vendor_admin(email: &str) -> Result<(), Failure> {
    let store = store()?;
    let vendor = store.vendor_org("Vendor")?;
    let secret_b32 = totp::new_secret()?;
    let unusable = password::hash(&secret::token("")?)?;
    let id = store
        .create_user(vendor, email, &unusable, true, &secret_b32, &Rights::default())?
        .ok_or("that address has an account")?;
    let token = store.one_time("reset", id, 24 * 3_600_000)?;
    store.audit("bootstrap", vendor, AuditAction::AddUser, &format!("user:{id}"))?;
    println!("vendor administrator {email} (user {id}) created");
    println!(
        "set its password within 24 hours: POST /api/v1/password/reset {{\"token\": \"{token}\", \"password\": ...}}"
    );
    println!(
        "its second factor (add to an authenticator app): {}",
        totp::uri(&secret_b32, email)
    );
    Ok(())
}

async fn run() -> Result<(), Failure> {
    let home = home();
    let key = KeyRing::open(&home.join("keys"))?.current()?;
    let catalogs = Catalogs::load_dir(&home.join("catalog"))?;
    let listen = env("LICENSE_SERVICE_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".into());
    let hosts: Vec<String> = env("LICENSE_SERVICE_ALLOW_HOST")
        .map(|h| h.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let tls = match (env("LICENSE_SERVICE_TLS_CERT"), env("LICENSE_SERVICE_TLS_KEY")) {
        (Some(cert), Some(key)) => {
            Some(axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key).await?)
        }
        (None, None) => None,
        _ => return Err("give both LICENSE_SERVICE_TLS_CERT and LICENSE_SERVICE_TLS_KEY, or neither".into()),
    };
    let mut settings = Settings::new(WebPolicy::new(&hosts, tls.is_some())?);
    settings.webhook_policy = webhook_policy()?;
    let minute = Duration::from_secs(60);
    settings.rate_per_account = Arc::new(RateLimiter::new(
        number("LICENSE_SERVICE_RATE_ACCOUNT", 600)?,
        minute,
    ));
    settings.rate_per_address = Arc::new(RateLimiter::new(
        number("LICENSE_SERVICE_RATE_ADDRESS", 1200)?,
        minute,
    ));
    let master =
        env("LICENSE_SERVICE_MASTER_KEY").map_or_else(|| home.join("service-master.key"), PathBuf::from);
    settings.tickets_home = Some(home.clone());
    settings.master_key = Some(Arc::new(license_service::custody::MasterKey::load_or_create(
        &master,
    )?));
    let store = Arc::new(tokio::task::spawn_blocking(store).await??);
    let listener = std::net::TcpListener::bind(&listen)?;
    let public_url = env("LICENSE_SERVICE_PUBLIC_URL").unwrap_or_else(|| {
        let scheme = if tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{listen}")
    });
    eprintln!(
        "license-service listening on {}://{}",
        if tls.is_some() { "https" } else { "http" },
        listener.local_addr()?
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let minutes = |ms: i64| u32::try_from(ms / 60_000).unwrap_or(u32::MAX);
    let (confirm, reset) = (minutes(settings.confirm_ms), minutes(settings.reset_ms));
    match env("LICENSE_SERVICE_DATABASE") {
        Some(url) => {
            let n = connections()?;
            // The database clients are synchronous: set up on a blocking thread.
            let (app, outbox) = tokio::task::spawn_blocking(move || -> Result<_, Failure> {
                let ledger = PgLedger::connect(&url, n)?;
                let outbox: Arc<dyn OutboxStore> = Arc::new(PgOutbox::open(&ledger)?);
                let mailer = Arc::new(OutboxMailer::new(
                    Arc::clone(&outbox),
                    &public_url,
                    confirm,
                    reset,
                ));
                let issuers = Notifying::new(catalogs, key, ledger, Arc::clone(&outbox), Arc::clone(&store));
                Ok((app(store, issuers, settings, mailer)?, outbox))
            })
            .await??;
            let background = Background::start(Arc::clone(&app), outbox, notify_config()?)?;
            serve(listener, app, ConnLimits::default(), tls, shutdown).await?;
            background.stop();
        }
        None => {
            let (app, outbox) = tokio::task::spawn_blocking(move || -> Result<_, Failure> {
                let ledger = SqliteLedger::open(&home.join("ledger.db"))?;
                let outbox: Arc<dyn OutboxStore> = Arc::new(SqliteOutbox::open(&ledger)?);
                let mailer = Arc::new(OutboxMailer::new(
                    Arc::clone(&outbox),
                    &public_url,
                    confirm,
                    reset,
                ));
                let issuers = Notifying::new(catalogs, key, ledger, Arc::clone(&outbox), Arc::clone(&store));
                Ok((app(store, issuers, settings, mailer)?, outbox))
            })
            .await??;
            let background = Background::start(Arc::clone(&app), outbox, notify_config()?)?;
            serve(listener, app, ConnLimits::default(), tls, shutdown).await?;
            background.stop();
        }
    }
    Ok(())
}

/// `LICENSE_SERVICE_WEBHOOK_ALLOW=loopback,private`: the ranges webhooks may reach
/// besides public addresses.
fn webhook_policy() -> Result<TargetPolicy, Failure> {
    let mut policy = TargetPolicy::default();
    for range in env("LICENSE_SERVICE_WEBHOOK_ALLOW")
        .unwrap_or_default()
        .split(',')
    {
        match range.trim() {
            "" => {}
            "loopback" => policy.allow_loopback = true,
            "private" => policy.allow_private = true,
            other => {
                return Err(
                    format!("LICENSE_SERVICE_WEBHOOK_ALLOW: '{other}' is not loopback or private").into(),
                );
            }
        }
    }
    Ok(policy)
}

fn number<T: std::str::FromStr>(name: &str, default: T) -> Result<T, Failure>
where
    T::Err: std::fmt::Display,
{
    match env(name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|e| format!("{name}={v}: {e}").into()),
    }
}

/// The delivery worker's and the jobs' settings from the environment.
fn notify_config() -> Result<NotifyConfig, Failure> {
    let mail = match env("LICENSE_SERVICE_SMTP") {
        None => {
            eprintln!("license-service: no LICENSE_SERVICE_SMTP: e-mails wait in the outbox");
            None
        }
        Some(url) => {
            let from = env("LICENSE_SERVICE_MAIL_FROM")
                .ok_or("LICENSE_SERVICE_SMTP needs LICENSE_SERVICE_MAIL_FROM")?;
            let password = env("LICENSE_SERVICE_SMTP_PASSWORD").map(zeroize::Zeroizing::new);
            let config = SmtpConfig::from_url(&url, password, &from)?;
            Some(MailSetup {
                mailer: Mailer::new(&config)?,
                catalog: MessageCatalog::builtin()?,
                throttle: Throttle::new(ThrottleConfig {
                    per_recipient_per_minute: number("LICENSE_SERVICE_MAIL_PER_RECIPIENT", 5)?,
                    total_per_minute: number("LICENSE_SERVICE_MAIL_PER_MINUTE", 120)?,
                }),
            })
        }
    };
    let instance = env("LICENSE_SERVICE_INSTANCE").unwrap_or_else(|| {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        format!("{}-{}", host.trim(), std::process::id())
    });
    let today = system_today()();
    let first_report = match env("LICENSE_SERVICE_REPORTS_FROM") {
        Some(m) => Month::parse(&m).map_err(|e| format!("LICENSE_SERVICE_REPORTS_FROM: {e}"))?,
        None => Month::of(today),
    };
    Ok(NotifyConfig {
        instance,
        retry: RetryPolicy {
            lease_secs: number("LICENSE_SERVICE_OUTBOX_LEASE", 300)?,
            ..RetryPolicy::default()
        },
        policy: webhook_policy()?,
        mail,
        poll: Duration::from_millis(number("LICENSE_SERVICE_OUTBOX_POLL_MS", 2000)?),
        jobs_every: Duration::from_secs(number("LICENSE_SERVICE_JOBS_EVERY", 600)?),
        first_report,
    })
}

fn app<I: Issuers>(
    store: Arc<Store>,
    issuers: I,
    settings: Settings,
    mailer: Arc<OutboxMailer>,
) -> Result<Arc<App<I>>, Failure> {
    let vendor_org = store.vendor_org(&settings.vendor_name)?;
    Ok(Arc::new(App {
        store,
        issuers,
        today: system_today(),
        mailer,
        matrix: Matrix::committed()?,
        settings,
        vendor_org,
    }))
}
