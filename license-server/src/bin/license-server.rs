//! `license-server`: serve floating seats (`serve`), print the server key (`key`), and
//! administer a running server (`status`, `holders`, `release`, `audit`).
//!
//! Exit status: 0 success; 1 refused (license not usable, admin call refused); 2 wrong
//! command line; 3 a file, database or network problem.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use license_server::admin::{AdminClient, AdminError};
use license_server::book::Policy;
use license_server::http::HttpLimits;
use license_server::keys::ServerKey;
use license_server::license::LicenseConfig;
use license_server::serve::{self, ServeConfig, StoreConfig};
use license_server::{Error, format_utc};
use license_verify::license_core::{Date, PublicKey};

/// mimalloc: the server allocates a few dozen small blocks per request.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(
    name = "license-server",
    version,
    about = "The on-premises seat server: floating leases limited by the vendor's license code"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve seats until stopped (SIGTERM or Ctrl-C).
    Serve(Box<ServeArgs>),
    /// Print this server's public key (64 hex digits), for the vendor's seat-server binding.
    Key {
        /// The data directory (the key is created there if absent).
        #[arg(long)]
        data: PathBuf,
    },
    /// Usage now, the licensed seats and the peak.
    Status(AdminArgs),
    /// Who holds the seats, with their machines and times.
    Holders(AdminArgs),
    /// Free a holder's seat.
    Release {
        /// The holder id.
        holder: String,
        #[command(flatten)]
        admin: AdminArgs,
    },
    /// The audit log: grants, refusals, releases, expiries, newest first.
    Audit {
        /// How many entries.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[command(flatten)]
        admin: AdminArgs,
    },
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// The license file (the vendor's code; a renewal code may follow it).
    #[arg(long)]
    license: PathBuf,
    /// A vendor public key as 64 hex digits; repeat for several.
    #[arg(long = "key", required = true, value_parser = parse_key)]
    keys: Vec<PublicKey>,
    /// The product id.
    #[arg(long)]
    product: String,
    /// The licensee, as in the code.
    #[arg(long)]
    licensee: String,
    /// The database code, for codes bound to a database.
    #[arg(long)]
    database: Option<String>,
    /// Address to listen on (e.g. 0.0.0.0:7070; port 0 picks a free port).
    #[arg(long)]
    listen: SocketAddr,
    /// Data directory: server key, admin token, license state, SQLite database.
    #[arg(long)]
    data: PathBuf,
    /// Keep leases in PostgreSQL (postgres://...) shared by several instances instead of SQLite.
    #[arg(long)]
    postgres: Option<String>,
    /// File holding the admin token (default: admin.token in the data directory, created at first start).
    #[arg(long)]
    admin_token_file: Option<PathBuf>,
    /// A signed revocation list file from the vendor.
    #[arg(long)]
    revocations: Option<PathBuf>,
    /// Release build date checked against maintenance (default: the code's issue day).
    #[arg(long)]
    build_date: Option<Date>,
    /// TTL given when a client asks for none (seconds).
    #[arg(long, default_value_t = 120)]
    default_ttl_secs: u32,
    /// Shortest TTL a client may ask for (seconds).
    #[arg(long, default_value_t = 10)]
    min_ttl_secs: u32,
    /// Longest TTL a client may ask for (seconds).
    #[arg(long, default_value_t = 3600)]
    max_ttl_secs: u32,
    /// Longest borrow in days (0 turns borrowing off).
    #[arg(long, default_value_t = 14)]
    max_borrow_days: u32,
    /// Requests per second per client address.
    #[arg(long, default_value_t = 200)]
    rate_per_client: u32,
    /// Burst of requests per client address.
    #[arg(long, default_value_t = 400)]
    burst_per_client: u32,
    /// Connections open at once, in total (when reached, the oldest connection of the address
    /// holding the most is closed for a new one). Keep it well under the descriptor limit
    /// (systemd LimitNOFILE).
    #[arg(long, default_value_t = license_server::conn::DEFAULT_MAX_CONNECTIONS)]
    max_connections: usize,
    /// Connections open at once from one client address (over it, the address's oldest is closed).
    #[arg(long, default_value_t = license_server::conn::DEFAULT_MAX_PER_CLIENT)]
    max_connections_per_client: usize,
    /// Longest wait for a request's header (seconds), on a new or a kept-alive connection.
    #[arg(long, default_value_t = license_server::conn::DEFAULT_HEADER_READ_TIMEOUT.as_secs())]
    header_read_timeout_secs: u64,
    /// A connection on which nothing moved for this long is closed (seconds; more than the
    /// 10 s request timeout).
    #[arg(long, default_value_t = license_server::conn::DEFAULT_IDLE_TIMEOUT.as_secs())]
    idle_timeout_secs: u64,
    /// A host name clients use in the server's URL (e.g. seats.acme.lan), besides its IP
    /// addresses, localhost and the machine's own names; repeat for several. Requests
    /// naming any other host are refused (DNS rebinding).
    #[arg(long = "allow-host", value_name = "NAME")]
    allowed_hosts: Vec<String>,
    /// Re-verify the license this often (seconds).
    #[arg(long, default_value_t = 3600)]
    recheck_secs: u64,
    /// Keep audit entries this many days.
    #[arg(long, default_value_t = 365)]
    audit_days: u32,
    /// Serve even if the code names no seat server (clients then cannot check the server's key against the code).
    #[arg(long)]
    allow_unbound_license: bool,
    /// Also serve clients that send no holder proof (clients shipped before it), during a
    /// transition: their leases can be re-claimed by anyone who knows the holder id and
    /// machine, as before. Off by default.
    #[arg(long)]
    accept_unproven_clients: bool,
    /// TLS certificate chain (PEM); with --tls-key.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// TLS private key (PEM); with --tls-cert.
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct AdminArgs {
    /// The server's base URL (http://host:port or https://...).
    #[arg(long, default_value = "http://127.0.0.1:7070")]
    server: String,
    /// File holding the admin token.
    #[arg(long, conflicts_with = "data")]
    token_file: Option<PathBuf>,
    /// The server's data directory (its admin.token is used).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn parse_key(hex: &str) -> Result<PublicKey, String> {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(hex.trim(), &mut bytes)
        .map_err(|_| "a vendor public key is 64 hex digits".to_string())?;
    PublicKey::from_bytes(&bytes).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve_cmd(*args),
        Command::Key { data } => {
            if let Err(e) = serve::private_dir(&data) {
                return fail(&e);
            }
            match ServerKey::load_or_create(&data) {
                Ok(k) => {
                    println!("{}", k.public_hex());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Status(a) => admin(&a, |c| {
            let s = c.status()?;
            if a.json {
                return Ok(json(&s));
            }
            let limit = s.limit.map_or_else(|| "not limited".into(), |l| l.to_string());
            Ok(format!(
                "{} for {}: {} of {} seats in use ({} borrowed), peak {}\nlicense: {}\nserver key: {}",
                s.product, s.licensee, s.in_use, limit, s.borrowed, s.peak, s.license_status, s.server_key
            ))
        }),
        Command::Holders(a) => admin(&a, |c| {
            let hs = c.holders()?;
            if a.json {
                return Ok(json(&hs));
            }
            let mut out = format!("{} holders", hs.len());
            for h in hs {
                out.push_str(&format!(
                    "\n{}\tuser {}\tmachine {}\tsince {}\texpires {}{}",
                    h.holder,
                    h.user,
                    h.machine,
                    format_utc(h.granted_ms),
                    format_utc(h.expires_ms),
                    if h.borrowed { "\tborrowed" } else { "" }
                ));
            }
            Ok(out)
        }),
        Command::Release { holder, admin: a } => admin(&a, |c| {
            let r = c.release(&holder)?;
            if a.json {
                return Ok(json(&r));
            }
            Ok(if r.removed {
                format!("released {holder}; {} seats in use", r.in_use)
            } else {
                format!("{holder} held no seat; {} seats in use", r.in_use)
            })
        }),
        Command::Audit { limit, admin: a } => admin(&a, |c| {
            let es = c.audit(limit)?;
            if a.json {
                return Ok(json(&es));
            }
            Ok(es
                .iter()
                .map(|e| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        format_utc(e.at_ms),
                        e.kind,
                        e.holder,
                        e.user,
                        e.machine,
                        if e.count > 1 {
                            format!("{} ({} times in this minute)", e.detail, e.count)
                        } else {
                            e.detail.clone()
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }),
    }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn fail(e: &Error) -> ExitCode {
    eprintln!("license-server: {e}");
    match e {
        Error::License(_)
        | Error::LicenseNotUsable { .. }
        | Error::OtherServer { .. }
        | Error::UnboundLicense { .. }
        | Error::NoSeatCount { .. } => ExitCode::from(1),
        Error::Config(_) => ExitCode::from(2),
        _ => ExitCode::from(3),
    }
}

fn admin(a: &AdminArgs, f: impl FnOnce(&AdminClient) -> Result<String, AdminError>) -> ExitCode {
    let token_path = match (&a.token_file, &a.data) {
        (Some(f), _) => f.clone(),
        (None, Some(d)) => d.join(serve::ADMIN_TOKEN_FILE),
        (None, None) => {
            eprintln!(
                "license-server: give --token-file FILE or --data DIR (the server's data directory) for the admin token"
            );
            return ExitCode::from(2);
        }
    };
    let token = match std::fs::read_to_string(&token_path) {
        Ok(t) => zeroize::Zeroizing::new(t),
        Err(e) => {
            eprintln!("license-server: admin token {}: {e}", token_path.display());
            return ExitCode::from(3);
        }
    };
    match f(&AdminClient::new(&a.server, &token)) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("license-server: {e}");
            ExitCode::from(if matches!(e, AdminError::Refused { .. }) {
                1
            } else {
                3
            })
        }
    }
}

fn serve_cmd(a: ServeArgs) -> ExitCode {
    let policy = Policy {
        default_ttl_ms: i64::from(a.default_ttl_secs) * 1000,
        min_ttl_ms: i64::from(a.min_ttl_secs) * 1000,
        max_ttl_ms: i64::from(a.max_ttl_secs) * 1000,
        max_borrow_days: a.max_borrow_days,
    };
    if !(policy.min_ttl_ms <= policy.default_ttl_ms
        && policy.default_ttl_ms <= policy.max_ttl_ms
        && policy.min_ttl_ms > 0)
    {
        eprintln!(
            "license-server: the TTLs must satisfy 0 < --min-ttl-secs <= --default-ttl-secs <= --max-ttl-secs"
        );
        return ExitCode::from(2);
    }
    let request_timeout = HttpLimits::default().request_timeout;
    if a.max_connections == 0
        || a.max_connections_per_client == 0
        || a.header_read_timeout_secs == 0
        || Duration::from_secs(a.idle_timeout_secs) <= request_timeout
    {
        eprintln!(
            "license-server: --max-connections and --max-connections-per-client must be at least 1, --header-read-timeout-secs at least 1 and --idle-timeout-secs more than the request timeout ({} s)",
            request_timeout.as_secs()
        );
        return ExitCode::from(2);
    }
    let config = ServeConfig {
        license: LicenseConfig {
            file: a.license,
            keys: a.keys,
            product: a.product,
            licensee: a.licensee,
            database: a.database,
            data_dir: a.data,
            revocations: a.revocations,
            build_date: a.build_date,
        },
        store: a.postgres.map_or(StoreConfig::Sqlite, StoreConfig::Postgres),
        listen: a.listen,
        policy,
        limits: HttpLimits {
            rate_per_client: a.rate_per_client,
            burst_per_client: a.burst_per_client,
            connections: license_server::conn::ConnLimits {
                max_total: a.max_connections,
                max_per_client: a.max_connections_per_client,
                header_read_timeout: Duration::from_secs(a.header_read_timeout_secs),
                idle_timeout: Duration::from_secs(a.idle_timeout_secs),
            },
            ..HttpLimits::default()
        },
        recheck: Duration::from_secs(a.recheck_secs.max(1)),
        audit_days: a.audit_days,
        admin_token_file: a.admin_token_file,
        tls: a.tls_cert.zip(a.tls_key),
        allow_unbound: a.allow_unbound_license,
        accept_unproven: a.accept_unproven_clients,
        allowed_hosts: a.allowed_hosts,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("license-server: cannot start the runtime: {e}");
            return ExitCode::from(3);
        }
    };
    let tls = config.tls.is_some();
    let result = runtime.block_on(async move {
        let prepared = serve::prepare(config).await?;
        let addr = prepared.local_addr()?;
        let app = prepared.app().clone();
        let snap = app
            .seats()
            .snapshot(license_verify::seat_client::now_ms())
            .await?;
        let limit = snap.limit.map_or_else(|| "unlimited".into(), |l| l.to_string());
        // The first line on stdout is for scripts and tests: the address actually bound.
        println!("listening on {}://{addr}", if tls { "https" } else { "http" });
        eprintln!(
            "license-server: {} seats, {} in use; server key {}",
            limit,
            snap.in_use,
            app.key().public_hex()
        );
        prepared.run(shutdown_signal()).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
