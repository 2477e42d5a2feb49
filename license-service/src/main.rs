//! `license-service`: the vendor's licensing backend.
//!
//! ```text
//! license-service serve                       # the API (settings from the environment)
//! license-service add-vendor-admin EMAIL      # bootstrap: the first vendor administrator
//!
//! LICENSE_SERVICE_HOME=licensing              # keys/ and catalog/, as licensectl keeps them
//! LICENSE_SERVICE_DATABASE=postgres://...     # accounts and the ledger in PostgreSQL (several
//!                                             # instances); else SQLite <home>/service.db and
//!                                             # the ledger file <home>/ledger.jsonl
//! LICENSE_SERVICE_CONNECTIONS=8               # pool size
//! LICENSE_SERVICE_LISTEN=127.0.0.1:8080
//! LICENSE_SERVICE_ALLOW_HOST=licenses.example.com   # names clients use (comma-separated)
//! LICENSE_SERVICE_TLS_CERT=/etc/license-service/cert.pem LICENSE_SERVICE_TLS_KEY=...
//! LICENSE_SERVICE_MAIL_SPOOL=<home>/mail-spool   # outgoing messages until license-notify
//! LICENSE_SERVICE_MASTER_KEY=<home>/service-master.key   # seals the reseller keys it keeps (0600)
//! ```
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use http_guard::conn::ConnLimits;
use http_guard::web::WebPolicy;
use license_issue::{Catalogs, FileLedger, Issuer, KeyRing, PgLedger};
use license_service::api::serve::serve;
use license_service::auth::{password, secret, totp};
use license_service::clock::system_today;
use license_service::db::postgres::PgDb;
use license_service::db::sqlite::SqliteDb;
use license_service::issuers::{Issuers, Locked, Pooled};
use license_service::mail::SpoolMailer;
use license_service::permissions::Matrix;
use license_service::rights::Rights;
use license_service::store::Store;
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
        ["add-vendor-admin", email] => add_vendor_admin(email),
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
    store.audit("bootstrap", vendor, "add_user", &format!("user:{id}"))?;
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
    let master =
        env("LICENSE_SERVICE_MASTER_KEY").map_or_else(|| home.join("service-master.key"), PathBuf::from);
    settings.tickets_home = Some(home.clone());
    settings.master_key = Some(Arc::new(license_service::custody::MasterKey::load_or_create(
        &master,
    )?));
    let spool = env("LICENSE_SERVICE_MAIL_SPOOL").map_or_else(|| home.join("mail-spool"), PathBuf::from);
    let mailer = Arc::new(SpoolMailer::new(spool)?);
    let store = tokio::task::spawn_blocking(store).await??;
    let listener = std::net::TcpListener::bind(&listen)?;
    eprintln!(
        "license-service listening on {}://{}",
        if tls.is_some() { "https" } else { "http" },
        listener.local_addr()?
    );
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match env("LICENSE_SERVICE_DATABASE") {
        Some(url) => {
            let n = connections()?;
            let ledger = tokio::task::spawn_blocking(move || PgLedger::connect(&url, n)).await??;
            let app = app(store, Pooled::new(catalogs, key, ledger), settings, mailer)?;
            serve(listener, app, ConnLimits::default(), tls, shutdown).await?;
        }
        None => {
            let ledger = FileLedger::open(&home.join("ledger.jsonl"))?;
            let app = app(
                store,
                Locked::new(Issuer::new(catalogs, key, ledger)),
                settings,
                mailer,
            )?;
            serve(listener, app, ConnLimits::default(), tls, shutdown).await?;
        }
    }
    Ok(())
}

fn app<I: Issuers>(
    store: Store,
    issuers: I,
    settings: Settings,
    mailer: Arc<SpoolMailer>,
) -> Result<Arc<App<I>>, Failure> {
    let vendor_org = store.vendor_org(&settings.vendor_name)?;
    Ok(Arc::new(App {
        store: Arc::new(store),
        issuers,
        today: system_today(),
        mailer,
        matrix: Matrix::committed()?,
        settings,
        vendor_org,
    }))
}
