//! Start a server from its configuration: verify the license, open the store, load or
//! create the server key and admin token, then serve until shut down.

use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::book::Policy;
use crate::error::Error;
use crate::http::{self, AdminToken, App, HttpLimits};
use crate::keys::ServerKey;
use crate::license::{LicenseConfig, SeatLicense};
use crate::store::Seats;

/// The admin token file's name in the data directory (created at first start).
pub const ADMIN_TOKEN_FILE: &str = "admin.token";
/// The SQLite database's name in the data directory.
pub const DATABASE_FILE: &str = "seats.sqlite3";

/// Where the leases are kept.
#[derive(Clone, Debug)]
pub enum StoreConfig {
    /// SQLite in the data directory.
    Sqlite,
    /// PostgreSQL shared by several instances (`postgres://...`).
    Postgres(String),
}

/// Everything `serve` needs.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// The license.
    pub license: LicenseConfig,
    /// The store.
    pub store: StoreConfig,
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Lease bounds.
    pub policy: Policy,
    /// HTTP bounds.
    pub limits: HttpLimits,
    /// Re-verify the license this often.
    pub recheck: Duration,
    /// Keep audit entries this many days.
    pub audit_days: u32,
    /// The admin token file (default: `admin.token` in the data directory, created).
    pub admin_token_file: Option<PathBuf>,
    /// TLS certificate chain and private key (PEM files).
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Serve with a code that names no seat server (format 1, or issued without the
    /// binding); clients then cannot tell this server from another one.
    pub allow_unbound: bool,
    /// Serve clients that send no holder proof (`--accept-unproven-clients`, off by
    /// default): a transition for clients shipped before the proof (`docs/SERVER.md`).
    pub accept_unproven: bool,
    /// Host names clients may use in the server's URL besides its addresses, `localhost`
    /// and the machine's own names (`--allow-host`; see `crate::web`).
    pub allowed_hosts: Vec<String>,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Create the data directory with mode 0700 (and tighten an existing one to 0700): it holds
/// the server key, the admin token and the leases.
pub fn private_dir(dir: &Path) -> Result<(), Error> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_err(dir))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io_err(dir))
}

/// Read the admin token from `file`, or from (or into, at first start) the data directory.
pub fn admin_token(file: Option<&Path>, data_dir: &Path) -> Result<AdminToken, Error> {
    let path = file.map_or_else(|| data_dir.join(ADMIN_TOKEN_FILE), Path::to_path_buf);
    match std::fs::read_to_string(&path) {
        Ok(text) => AdminToken::new(&Zeroizing::new(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && file.is_none() => {
            let mut raw = Zeroizing::new([0u8; 24]);
            getrandom::fill(raw.as_mut()).map_err(|e| Error::Random(e.to_string()))?;
            let text = Zeroizing::new(hex::encode(raw.as_ref()));
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .map_err(io_err(&path))?;
            f.write_all(text.as_bytes()).map_err(io_err(&path))?;
            f.sync_all().map_err(io_err(&path))?;
            AdminToken::new(&text)
        }
        Err(e) => Err(io_err(&path)(e)),
    }
}

/// A server ready to serve: the license verified, the store open, the listener bound.
pub struct Prepared {
    app: Arc<App>,
    license: Arc<SeatLicense>,
    listener: std::net::TcpListener,
    config: ServeConfig,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("app", &self.app)
            .finish_non_exhaustive()
    }
}

impl Prepared {
    /// The bound address.
    pub fn local_addr(&self) -> Result<SocketAddr, Error> {
        self.listener
            .local_addr()
            .map_err(|e| Error::Config(format!("listener: {e}")))
    }

    /// The service state.
    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Serve until `shutdown` resolves.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), Error> {
        http::spawn_housekeeping(
            self.app.clone(),
            Some(self.license.clone()),
            self.config.recheck,
            self.config.audit_days,
        );
        let tls = match &self.config.tls {
            Some((cert, key)) => Some(
                axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                    .await
                    .map_err(|e| {
                        Error::Config(format!(
                            "TLS certificate {} / key {}: {e}",
                            cert.display(),
                            key.display()
                        ))
                    })?,
            ),
            None => None,
        };
        http::serve(self.listener, self.app, tls, shutdown).await
    }
}

/// Verify the license, open the store and bind the listener.
pub async fn prepare(config: ServeConfig) -> Result<Prepared, Error> {
    let data = &config.license.data_dir;
    private_dir(data)?;
    let key = ServerKey::load_or_create(data)?;
    let admin = admin_token(config.admin_token_file.as_deref(), data)?;
    let web = crate::web::WebPolicy::new(&config.allowed_hosts, config.tls.is_some())?;
    let license = SeatLicense::open(config.license.clone())?;
    let grant = license.check()?;
    grant.check_server(&key.public(), config.allow_unbound)?;
    let seats = match &config.store {
        StoreConfig::Sqlite => Seats::open_sqlite(&data.join(DATABASE_FILE), grant.seats, config.policy)?,
        #[cfg(feature = "postgres")]
        StoreConfig::Postgres(url) => Seats::open_postgres(url, grant.seats, config.policy).await?,
        #[cfg(not(feature = "postgres"))]
        StoreConfig::Postgres(_) => {
            return Err(Error::Config(
                "this build has no PostgreSQL store (feature `postgres`)".into(),
            ));
        }
    };
    // The store may hold more leases than a lowered license now grants: take them back.
    seats
        .apply(
            crate::book::Op::SetLimit(grant.seats),
            license_verify::seat_client::now_ms(),
        )
        .await?;
    let listener = std::net::TcpListener::bind(config.listen)
        .map_err(|e| Error::Config(format!("cannot listen on {}: {e}", config.listen)))?;
    let app = Arc::new(
        App::new(
            seats,
            key,
            license.product(),
            license.licensee(),
            &grant.status,
            admin,
            config.limits,
            config.allow_unbound,
            web,
        )
        .accept_unproven_clients(config.accept_unproven),
    );
    Ok(Prepared {
        app,
        license: Arc::new(license),
        listener,
        config,
    })
}
