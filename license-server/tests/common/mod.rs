//! Shared fixtures: a vendor key, license codes issued in the test, and a server started
//! in-process on loopback (or the binary, for the crash test).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ed25519_dalek::SigningKey;
use license_server::book::Policy;
use license_server::http::HttpLimits;
use license_server::license::LicenseConfig;
use license_server::serve::{self, ServeConfig, StoreConfig};
use license_verify::license_core::{
    Binding, Context, Date, Kind, License, ModuleSet, ProductLine, PublicKey, sign,
};
use license_verify::seat_client::{PinnedServerKey, SeatClient};

pub const PRODUCT: &str = "cad";
pub const LICENSEE: &str = "ACME Corp";
pub const DATABASE: &str = "DB-7F3A-22C1";

pub fn vendor() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

pub fn vendor_hex() -> String {
    hex::encode(vendor().verifying_key().to_bytes())
}

pub fn today() -> Date {
    Date::from_unix_seconds(license_verify::seat_client::now_ms() / 1000)
}

/// A subscription with `seats` concurrent seats, valid today, bound to the database.
pub fn license(seats: u32) -> License {
    let t = today();
    License {
        license_id: 4711,
        revision: 1,
        kind: Kind::Subscription,
        line: ProductLine::new(1).unwrap(),
        named_users: None,
        concurrent_seats: Some(seats),
        demo_seats: 2,
        modules: ModuleSet::EMPTY.with(0),
        issued: t.saturating_add_days(-30),
        valid_from: t.saturating_add_days(-30),
        expires: Some(t.saturating_add_days(335)),
        grace_days: 14,
        maintenance_ends: None,
        binding: Binding::DATABASE,
        interim: false,
    }
}

/// Expired 30 days ago with 14 days of grace: demo mode with 2 seats.
pub fn demo_license(seats: u32) -> License {
    let t = today();
    License {
        issued: t.saturating_add_days(-400),
        valid_from: t.saturating_add_days(-400),
        expires: Some(t.saturating_add_days(-30)),
        ..license(seats)
    }
}

pub fn code(l: &License) -> String {
    let ctx = Context::new(PRODUCT, LICENSEE).with_database(DATABASE);
    sign(l, &ctx, &vendor()).unwrap().to_string()
}

/// Which seat server the test license names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeatBinding {
    /// The server started on the data directory (its key is created first).
    ThisServer,
    /// Another server's key.
    Other,
    /// None (format-2 code without the binding).
    Unbound,
}

/// Options of a test server.
#[derive(Clone, Debug)]
pub struct Options {
    pub license: License,
    pub seat_server: SeatBinding,
    pub allow_unbound: bool,
    /// `--accept-unproven-clients`.
    pub accept_unproven: bool,
    pub policy: Policy,
    pub limits: HttpLimits,
    pub store: StoreConfig,
    pub tls: Option<(PathBuf, PathBuf)>,
    /// How often the license is re-verified.
    pub recheck: Duration,
}

impl Options {
    pub fn seats(n: u32) -> Options {
        Options {
            license: license(n),
            seat_server: SeatBinding::ThisServer,
            allow_unbound: false,
            accept_unproven: false,
            policy: Policy {
                min_ttl_ms: 1_000,
                ..Policy::default()
            },
            limits: HttpLimits {
                rate_per_client: 100_000,
                burst_per_client: 100_000,
                ..HttpLimits::default()
            },
            store: StoreConfig::Sqlite,
            tls: None,
            recheck: Duration::from_secs(3600),
        }
    }
}

/// A server running in-process on a loopback port, stopped when dropped.
pub struct TestServer {
    pub base: String,
    pub addr: SocketAddr,
    pub data: PathBuf,
    pub admin_token: String,
    pub server_key: [u8; 32],
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

pub fn write_license(dir: &Path, l: &License) -> PathBuf {
    let path = dir.join("license.txt");
    std::fs::write(&path, code(l)).unwrap();
    path
}

pub fn config(data: &Path, o: &Options) -> ServeConfig {
    std::fs::create_dir_all(data).unwrap();
    // As in production: the server's key exists first, the vendor's code names it.
    let key = license_server::keys::ServerKey::load_or_create(data)
        .unwrap()
        .public();
    let mut license = o.license;
    license.binding = match o.seat_server {
        SeatBinding::ThisServer => license.binding.with_seat_server(&key),
        SeatBinding::Other => license.binding.with_seat_server(&[0x42; 32]),
        SeatBinding::Unbound => license.binding,
    };
    ServeConfig {
        license: LicenseConfig {
            file: write_license(data, &license),
            keys: vec![PublicKey::from(vendor().verifying_key())],
            product: PRODUCT.into(),
            licensee: LICENSEE.into(),
            database: Some(DATABASE.into()),
            data_dir: data.to_path_buf(),
            revocations: None,
            build_date: None,
        },
        store: o.store.clone(),
        listen: "127.0.0.1:0".parse().unwrap(),
        policy: o.policy,
        limits: o.limits,
        recheck: o.recheck,
        audit_days: 30,
        admin_token_file: None,
        tls: o.tls.clone(),
        allow_unbound: o.allow_unbound,
        accept_unproven: o.accept_unproven,
        allowed_hosts: Vec::new(),
    }
}

/// Start a server on `data` (created if absent).
pub fn start_on(data: &Path, o: &Options) -> Result<TestServer, license_server::Error> {
    let cfg = config(data, o);
    let tls = cfg.tls.is_some();
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            match serve::prepare(cfg).await {
                Ok(p) => {
                    let addr = p.local_addr().unwrap();
                    let key = p.app().key().public();
                    tx.send(Ok((addr, key))).unwrap();
                    p.run(async move {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
                }
                Err(e) => tx.send(Err(e)).unwrap(),
            }
        });
    });
    let (addr, server_key) = rx.recv().unwrap()?;
    let admin_token = std::fs::read_to_string(data.join(serve::ADMIN_TOKEN_FILE)).unwrap();
    Ok(TestServer {
        base: format!("{}://{addr}", if tls { "https" } else { "http" }),
        addr,
        data: data.to_path_buf(),
        admin_token,
        server_key,
        shutdown: Some(stop),
        thread: Some(thread),
    })
}

impl TestServer {
    pub fn client(&self, holder: &str) -> SeatClient {
        SeatClient::new(
            &self.base,
            PRODUCT,
            holder,
            Box::new(PinnedServerKey(self.server_key)),
        )
        .unwrap()
        .with_identity(&format!("user-of-{holder}"), &format!("{holder}.acme.lan"))
    }

    pub fn admin(&self) -> license_server::admin::AdminClient {
        license_server::admin::AdminClient::new(&self.base, &self.admin_token)
    }

    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.halt();
    }
}

/// A raw HTTP agent that does not treat error statuses as errors.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// POST `body` (raw text) to `path`; returns status and body text.
pub fn post_raw(base: &str, path: &str, body: &str) -> (u16, String) {
    let mut r = agent()
        .post(format!("{base}{path}"))
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

/// GET `path` with an optional Authorization header value.
pub fn get_raw(base: &str, path: &str, auth: Option<&str>) -> (u16, String) {
    let mut req = agent().get(format!("{base}{path}"));
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    let mut r = req.call().unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}
