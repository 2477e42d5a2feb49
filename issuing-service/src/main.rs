//! `issuing-service`: the example HTTP API over a licensing directory's key and catalogs.
//!
//! ```text
//! LICENSE_SERVICE_HOME=licensing                  # keys/ and catalog/, as licensectl keeps them
//! LICENSE_SERVICE_DATABASE=postgres://...         # the PostgreSQL ledger (else <home>/ledger.jsonl)
//! LICENSE_SERVICE_CONNECTIONS=8                   # pool size
//! LICENSE_SERVICE_LISTEN=127.0.0.1:8080
//! ```
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use issuing_service::{Locked, Pooled, router, system_today};
use license_issue::{Catalogs, FileLedger, Issuer, KeyRing, PgLedger};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let home = PathBuf::from(env("LICENSE_SERVICE_HOME").unwrap_or_else(|| "licensing".into()));
    let key = KeyRing::open(&home.join("keys"))?.current()?;
    let catalogs = Catalogs::load_dir(&home.join("catalog"))?;
    let listen = env("LICENSE_SERVICE_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".into());
    let app = match env("LICENSE_SERVICE_DATABASE") {
        Some(url) => {
            let connections = env("LICENSE_SERVICE_CONNECTIONS").map_or(Ok(8), |n| n.parse())?;
            let ledger = tokio::task::spawn_blocking(move || PgLedger::connect(&url, connections)).await??;
            router(Pooled::new(catalogs, key, ledger), system_today())
        }
        None => {
            let ledger = FileLedger::open(&home.join("ledger.jsonl"))?;
            router(Locked::new(Issuer::new(catalogs, key, ledger)), system_today())
        }
    };
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    eprintln!("issuing-service listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
