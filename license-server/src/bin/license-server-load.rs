//! `license-server-load`: a bounded load test of the seat server on loopback.
//!
//! Starts a server in this process (SQLite in a temporary directory, durable as in
//! production: WAL, `synchronous=NORMAL`, group commit; every answer signed), takes
//! `--holders` seats, then for `--seconds` sends heartbeats (or acquire+release pairs) at
//! `--rate` requests per second (0 = as fast as it goes) over `--connections` keep-alive
//! connections, and prints throughput, p50/p99/max latency, the process's RSS, and the CPU
//! time per request of the server's threads and of the load generator's own (which shares
//! the cores with the server: its requests are written into reused buffers). Latency
//! is measured from each request's scheduled send time, so a server falling behind shows
//! as latency, not as a lower rate (no coordinated omission). It stops by itself; it only
//! talks to 127.0.0.1.
//!
//! With `--postgres URL` the server keeps its leases in PostgreSQL instead, in a schema of
//! its own that the tool creates and drops (`bench_<pid>_<nanos>`), and `--instances N`
//! starts N server instances on that one database, sharing one server key (as deployed:
//! the license names one seat server); connection `c` talks to instance `c % N`, and each
//! holder heartbeats through the instance that granted its seat (as a client keeps its
//! server until it fails). At the end
//! it prints the leases in the database and, where the store keeps one, its seat counter.
//!
//! ```sh
//! cargo run --release -p license-server --bin license-server-load -- --holders 1000 --rate 20000
//! cargo run --release -p license-server --bin license-server-load -- --holders 10000 --rate 0 \
//!     --postgres postgres://license:license@127.0.0.1:5432/license_scale --instances 2
//! ```
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use ed25519_dalek::SigningKey;
use license_server::book::Policy;
use license_server::http::HttpLimits;
use license_server::license::LicenseConfig;
use license_server::serve::{self, ServeConfig, StoreConfig};
use license_verify::license_core::{
    Binding, Context, Date, Kind, License, ModuleSet, ProductLine, PublicKey, sign,
};
use seat_protocol::proof::{self, GrantFields, ParsedProof, ProofAuth, ProofMessage, ProofOp};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// mimalloc: the server allocates a few dozen small blocks per request.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const MAX_SECONDS: u64 = 60;
const MAX_HOLDERS: u32 = 100_000;
const MAX_INSTANCES: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// Heartbeats of the held leases.
    Heartbeat,
    /// Acquire a seat and release it again (two requests per pair).
    AcquireRelease,
    /// Only take the seats and report the memory.
    Hold,
}

/// How the load tool's clients prove they hold their leases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ProofMode {
    /// The holder proof as the clients send it: signed grants, MACed heartbeats and releases.
    Mac,
    /// Every request signed with the holder key (Ed25519), heartbeats and releases too.
    Sign,
    /// No proof (clients of before the proof; the server runs with --accept-unproven-clients).
    None,
}

#[derive(Parser, Debug)]
#[command(
    name = "license-server-load",
    about = "Bounded load test of license-server on loopback"
)]
struct Args {
    /// Leases held during the run.
    #[arg(long, default_value_t = 1000)]
    holders: u32,
    /// What to send.
    #[arg(long, value_enum, default_value_t = Mode::Heartbeat)]
    mode: Mode,
    /// Requests per second (0: as fast as the server answers).
    #[arg(long, default_value_t = 20_000)]
    rate: u32,
    /// Seconds of load (at most 60).
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Keep-alive connections the requests are spread over.
    #[arg(long, default_value_t = 64)]
    connections: u32,
    /// How requests prove their holder.
    #[arg(long, value_enum, default_value_t = ProofMode::Mac)]
    proof: ProofMode,
    /// Worker threads of the server's runtime.
    #[arg(long, default_value_t = 2)]
    server_threads: usize,
    /// Worker threads of the load generator's runtime (it shares the cores with the server).
    #[arg(long, default_value_t = 2)]
    client_threads: usize,
    /// Keep the leases in this PostgreSQL database (in a schema the tool creates and drops)
    /// instead of SQLite.
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// Server instances on the one PostgreSQL database (1 to 4; more than 1 needs --postgres).
    #[arg(long, default_value_t = 1)]
    instances: usize,
}

/// A schema of the tool's own in the PostgreSQL database, dropped at the end.
struct BenchSchema {
    url: String,
    name: String,
}

impl BenchSchema {
    async fn create(url: &str) -> Result<BenchSchema, Box<dyn std::error::Error + Send + Sync>> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos();
        let name = format!("bench_{}_{nanos}", std::process::id());
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
        tokio::spawn(conn);
        client.batch_execute(&format!("CREATE SCHEMA {name}")).await?;
        Ok(BenchSchema {
            url: url.into(),
            name,
        })
    }

    /// The URL with this schema as the search path.
    fn scoped_url(&self) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-csearch_path%3D{}", self.url, self.name)
    }

    /// The leases in the database, and the store's seat counter if it has one.
    async fn count(&self) -> Result<(i64, Option<i64>), Box<dyn std::error::Error + Send + Sync>> {
        let (client, conn) = tokio_postgres::connect(&self.scoped_url(), tokio_postgres::NoTls).await?;
        tokio::spawn(conn);
        let rows: i64 = client.query_one("SELECT count(*) FROM leases", &[]).await?.get(0);
        let has_counter: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = $1 AND table_name = 'pool' AND column_name = 'in_use')",
                &[&self.name],
            )
            .await?
            .get(0);
        let counter = if has_counter {
            Some(
                client
                    .query_one("SELECT in_use FROM pool WHERE id = 1", &[])
                    .await?
                    .get(0),
            )
        } else {
            None
        };
        Ok((rows, counter))
    }

    async fn drop_schema(&self) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let (client, conn) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls).await?;
        tokio::spawn(conn);
        client
            .batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name))
            .await?;
        Ok(())
    }
}

/// One keep-alive HTTP/1.1 connection; just enough HTTP for this API. The request and the
/// answer go through buffers kept across requests, so the tool's own work per request
/// (which shares the cores with the server it measures) stays small.
struct Conn {
    stream: TcpStream,
    /// The request being sent.
    out: Vec<u8>,
    /// Bytes read: the answer's head and body (and nothing after: one request at a time).
    inb: Vec<u8>,
}

/// Where `\r\n\r\n` ends in `buf`, if it is there.
fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// The status and `Content-Length` of an answer's head.
fn parse_head(head: &[u8]) -> std::io::Result<(u16, usize)> {
    let bad = || std::io::Error::other(format!("not an HTTP answer: {:?}", String::from_utf8_lossy(head)));
    let text = std::str::from_utf8(head).map_err(|_| bad())?;
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.strip_prefix("HTTP/1.1 "))
        .and_then(|r| r.get(..3))
        .and_then(|c| c.parse().ok())
        .ok_or_else(bad)?;
    let len = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .ok_or_else(bad)?;
    Ok((status, len))
}

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            out: Vec::with_capacity(1024),
            inb: Vec::with_capacity(4096),
        })
    }

    /// Send `body` to `path` as one write; the answer's status and body.
    async fn post(&mut self, path: &str, body: &[u8]) -> std::io::Result<(u16, &[u8])> {
        use std::io::Write as _;
        self.out.clear();
        write!(
            self.out,
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )?;
        self.out.extend_from_slice(body);
        self.stream.write_all(&self.out).await?;
        self.inb.clear();
        let mut chunk = [0u8; 4096];
        let (status, start, len) = loop {
            if let Some(end) = head_end(&self.inb) {
                let (status, len) = parse_head(&self.inb[..end])?;
                break (status, end, len);
            }
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            self.inb.extend_from_slice(&chunk[..n]);
        };
        while self.inb.len() < start + len {
            let n = self.stream.read(&mut chunk).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            self.inb.extend_from_slice(&chunk[..n]);
        }
        Ok((status, &self.inb[start..start + len]))
    }

    /// As [`Conn::post`], the body as text.
    async fn post_text(&mut self, path: &str, body: &str) -> std::io::Result<(u16, String)> {
        let (status, text) = self.post(path, body.as_bytes()).await?;
        Ok((status, String::from_utf8_lossy(text).into_owned()))
    }
}

/// One simulated client: its holder key and, once granted, its lease id and MAC key.
struct Holder {
    name: String,
    key: SigningKey,
    /// The holder key's public half, as hex (sent with every proof).
    key_hex: String,
    lease_id: [u8; 16],
    /// The lease id as hex.
    id_hex: String,
    mac_key: Option<[u8; 32]>,
    last_ts: i64,
}

fn now_ms() -> i64 {
    license_verify::seat_client::now_ms()
}

impl Holder {
    fn new(name: String) -> Holder {
        let seed: [u8; 32] = Sha256::digest(name.as_bytes()).into();
        let key = SigningKey::from_bytes(&seed);
        // The bodies are written without a JSON encoder: the tool's names need no escaping.
        assert!(
            name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
            "holder names are plain"
        );
        Holder {
            name,
            key_hex: hex::encode(key.verifying_key().to_bytes()),
            key,
            lease_id: [0; 16],
            id_hex: hex::encode([0u8; 16]),
            mac_key: None,
            last_ts: 0,
        }
    }

    /// A fresh proof time and nonce for the next request (times strictly increase).
    fn next_ts(&mut self) -> (i64, [u8; 16]) {
        let ts = now_ms().max(self.last_ts + 1);
        self.last_ts = ts;
        let d = Sha256::digest(ts.to_be_bytes());
        let mut nonce = [0u8; 16];
        nonce.copy_from_slice(&d[..16]);
        (ts, nonce)
    }

    /// A heartbeat's or release's body written into `out` (cleared first): the same bytes
    /// as `Holder::lease_body` (the test-only encoding through the API types) gives (a test checks it), without the intermediate
    /// strings. The proof is the MAC, or a signature in `--proof sign` mode.
    fn write_lease_body(&mut self, mode: ProofMode, op: ProofOp, server: [u8; 32], out: &mut Vec<u8>) {
        use std::io::Write as _;
        out.clear();
        // Writing into a Vec cannot fail.
        let _ = write!(out, r#"{{"holder":"{}","lease_id":"{}""#, self.name, self.id_hex);
        if mode != ProofMode::None {
            let (ts, nonce) = self.next_ts();
            let msg = ProofMessage {
                op,
                server_key: server,
                holder_key: self.key.verifying_key().to_bytes(),
                ts,
                nonce,
                holder: &self.name,
                lease_id: self.lease_id,
                grant: None,
            }
            .to_bytes()
            .expect("the tool's fields are short");
            let mut hex_buf = [0u8; 128];
            let _ = write!(out, r#","proof":{{"key":"{}","ts":{ts},"nonce":""#, self.key_hex);
            out.extend_from_slice(hex_into(&nonce, &mut hex_buf));
            match (mode, &self.mac_key) {
                (ProofMode::Mac, Some(k)) => {
                    out.extend_from_slice(br#"","mac":""#);
                    out.extend_from_slice(hex_into(&proof::mac(k, &msg), &mut hex_buf));
                }
                _ => {
                    out.extend_from_slice(br#"","sig":""#);
                    out.extend_from_slice(hex_into(&proof::sign(&self.key, &msg), &mut hex_buf));
                }
            }
            out.extend_from_slice(br#""}"#);
        }
        out.push(b'}');
    }

    /// A proof for `op` in `mode` (`None`: no proof).
    fn proof(
        &mut self,
        mode: ProofMode,
        op: ProofOp,
        server: [u8; 32],
        grant: Option<GrantFields<'_>>,
    ) -> Option<String> {
        if mode == ProofMode::None {
            return None;
        }
        let (ts, nonce) = self.next_ts();
        let holder_key = self.key.verifying_key().to_bytes();
        let msg = ProofMessage {
            op,
            server_key: server,
            holder_key,
            ts,
            nonce,
            holder: &self.name,
            lease_id: self.lease_id,
            grant,
        }
        .to_bytes()
        .ok()?;
        let auth = match (mode, &self.mac_key, grant) {
            (ProofMode::Mac, Some(k), None) => ProofAuth::Mac(proof::mac(k, &msg)),
            _ => ProofAuth::Signature(proof::sign(&self.key, &msg)),
        };
        let p = ParsedProof {
            key: holder_key,
            ts,
            nonce,
            auth,
        };
        serde_json::to_string(&p.to_api()).ok()
    }

    /// An acquire's body, signed; returns the body and the X25519 secret.
    fn acquire_body(&mut self, mode: ProofMode, server: [u8; 32], dh_secret: [u8; 32]) -> String {
        let dh = proof::dh_public(&dh_secret);
        let g = GrantFields {
            user: "u",
            machine: "m.lan",
            amount: 0,
            dh,
        };
        self.set_lease_id([0; 16]);
        match self.proof(mode, ProofOp::Acquire, server, Some(g)) {
            Some(p) => format!(
                r#"{{"holder":"{}","user":"u","machine":"m.lan","dh":"{}","proof":{p}}}"#,
                self.name,
                hex::encode(dh)
            ),
            None => format!(r#"{{"holder":"{}","user":"u","machine":"m.lan"}}"#, self.name),
        }
    }

    /// Take the granted lease from an acquire's answer.
    fn granted(&mut self, text: &str, server: [u8; 32], dh_secret: [u8; 32]) -> Option<()> {
        self.set_lease_id(proof::hex_array("lease_id", &field(text, "lease_id")?).ok()?);
        if let Some(b) = field(text, "mac_key_box") {
            let sealed: [u8; 32] = proof::hex_array("mac_key_box", &b).ok()?;
            let hk = self.key.verifying_key().to_bytes();
            self.mac_key =
                Some(*proof::open_mac_key(&dh_secret, &server, &self.lease_id, &hk, &sealed).ok()?);
        }
        Some(())
    }

    fn set_lease_id(&mut self, id: [u8; 16]) {
        self.lease_id = id;
        self.id_hex = hex::encode(id);
    }

    /// A heartbeat's or release's body, through the API types and serde_json.
    #[cfg(test)]
    fn lease_body(&mut self, mode: ProofMode, op: ProofOp, server: [u8; 32]) -> String {
        let id = hex::encode(self.lease_id);
        match self.proof(mode, op, server, None) {
            Some(p) => format!(r#"{{"holder":"{}","lease_id":"{id}","proof":{p}}}"#, self.name),
            None => format!(r#"{{"holder":"{}","lease_id":"{id}"}}"#, self.name),
        }
    }
}

/// `bytes` as lowercase hex in `buf` (at least twice as long).
fn hex_into<'a>(bytes: &[u8], buf: &'a mut [u8]) -> &'a [u8] {
    let out = &mut buf[..2 * bytes.len()];
    // Both lengths are right by construction.
    let _ = hex::encode_to_slice(bytes, out);
    out
}

/// CPU time of this process's threads, by role: the server's runtime (threads named
/// `server`), the load generator's (`load`) and the rest (the SQLite writer, the main
/// thread): nanoseconds on a CPU and waiting for one, from `/proc/self/task/*/schedstat`.
#[derive(Clone, Copy, Debug, Default)]
struct CpuTimes {
    server_ns: u64,
    load_ns: u64,
    other_ns: u64,
    waiting_ns: u64,
}

impl CpuTimes {
    fn now() -> CpuTimes {
        let mut t = CpuTimes::default();
        let Ok(dir) = std::fs::read_dir("/proc/self/task") else {
            return t;
        };
        for task in dir.flatten() {
            let path = task.path();
            let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
            let stat = std::fs::read_to_string(path.join("schedstat")).unwrap_or_default();
            let mut f = stat.split_whitespace().map(|v| v.parse::<u64>().unwrap_or(0));
            let (on_cpu, waiting) = (f.next().unwrap_or(0), f.next().unwrap_or(0));
            match comm.trim() {
                "server" => t.server_ns += on_cpu,
                "load" => t.load_ns += on_cpu,
                _ => t.other_ns += on_cpu,
            }
            t.waiting_ns += waiting;
        }
        t
    }

    /// The time from `earlier` to `self`, in microseconds per one of `n` requests.
    fn per_request(&self, earlier: &CpuTimes, n: usize) -> String {
        let per = |a: u64, b: u64| a.saturating_sub(b) as f64 / 1000.0 / n.max(1) as f64;
        let (server, load, other) = (
            per(self.server_ns, earlier.server_ns),
            per(self.load_ns, earlier.load_ns),
            per(self.other_ns, earlier.other_ns),
        );
        let total = server + load + other;
        format!(
            "CPU per request: {total:.1} us (server runtime {server:.1}, load generator {load:.1}, SQLite writer and main {other:.1}); waiting for a CPU {:.1} us; 2 cores at this cost: {:.0}/s, the server alone: {:.0}/s",
            per(self.waiting_ns, earlier.waiting_ns),
            2e6 / total.max(1e-9),
            2e6 / (server + other).max(1e-9)
        )
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn field(json: &str, name: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    v.get(name)?.as_str().map(str::to_string)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = Args::parse();
    if a.seconds == 0
        || a.seconds > MAX_SECONDS
        || a.holders > MAX_HOLDERS
        || a.connections == 0
        || a.instances == 0
        || a.instances > MAX_INSTANCES
    {
        return Err(format!(
            "bounds: 1..={MAX_SECONDS} seconds, at most {MAX_HOLDERS} holders, 1 or more connections, 1..={MAX_INSTANCES} instances"
        )
        .into());
    }
    if a.instances > 1 && a.postgres.is_none() {
        return Err(
            "--instances above 1 needs --postgres URL: instances share their leases only through PostgreSQL"
                .into(),
        );
    }
    let dir = tempfile::tempdir()?;
    // A license with room for the held seats and the acquire+release pairs.
    let vendor = SigningKey::from_bytes(&[42; 32]);
    // The server key first: the license names it (seat-server binding), as in production.
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data)?;
    let server_key = license_server::keys::ServerKey::load_or_create(&data)?.public();
    let today = Date::from_unix_seconds(license_verify::seat_client::now_ms() / 1000);
    let license = License {
        license_id: 1,
        revision: 1,
        kind: Kind::Subscription,
        line: ProductLine::new(1).ok_or("product line 1")?,
        named_users: None,
        concurrent_seats: Some(a.holders + a.connections),
        demo_seats: 0,
        modules: ModuleSet::EMPTY,
        issued: today.saturating_add_days(-1),
        valid_from: today.saturating_add_days(-1),
        expires: Some(today.saturating_add_days(365)),
        grace_days: 0,
        maintenance_ends: None,
        binding: Binding::DATABASE.with_seat_server(&server_key),
        interim: false,
    };
    let code = sign(
        &license,
        &Context::new("bench", "Bench Corp").with_database("DB-BENCH"),
        &vendor,
    )?;
    let license_file = dir.path().join("license.txt");
    std::fs::write(&license_file, code.to_string())?;
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(a.server_threads)
        .thread_name("server")
        .enable_all()
        .build()?;
    let schema = match &a.postgres {
        Some(url) => Some(
            server_rt
                .block_on(BenchSchema::create(url))
                .map_err(|e| format!("PostgreSQL: {e}"))?,
        ),
        None => None,
    };
    let store = match &schema {
        Some(s) => StoreConfig::Postgres(s.scoped_url()),
        None => StoreConfig::Sqlite,
    };
    let config = ServeConfig {
        license: LicenseConfig {
            file: license_file,
            keys: vec![PublicKey::from(vendor.verifying_key())],
            product: "bench".into(),
            licensee: "Bench Corp".into(),
            database: Some("DB-BENCH".into()),
            data_dir: data,
            revocations: None,
            build_date: None,
        },
        store,
        listen: "127.0.0.1:0".parse()?,
        policy: Policy {
            default_ttl_ms: 600_000,
            ..Policy::default()
        },
        limits: HttpLimits {
            rate_per_client: u32::MAX,
            burst_per_client: u32::MAX,
            // Every connection comes from 127.0.0.1: room for all of them.
            connections: license_server::conn::ConnLimits {
                max_total: a.connections as usize + 64,
                max_per_client: a.connections as usize + 16,
                ..license_server::conn::ConnLimits::default()
            },
            ..HttpLimits::default()
        },
        recheck: Duration::from_secs(3600),
        audit_days: 30,
        admin_token_file: None,
        tls: None,
        allow_unbound: false,
        accept_unproven: a.proof == ProofMode::None,
        allowed_hosts: Vec::new(),
    };
    // The instances: each its own data directory holding the one server key the license
    // names (several instances serving one license share one key).
    let mut addrs = Vec::new();
    let mut servers = Vec::new();
    for i in 0..a.instances {
        let mut config = config.clone();
        if i > 0 {
            let own = dir.path().join(format!("data-{i}"));
            serve::private_dir(&own)?;
            let key_file = own.join(license_server::keys::KEY_FILE);
            std::fs::copy(
                config.license.data_dir.join(license_server::keys::KEY_FILE),
                &key_file,
            )?;
            std::fs::set_permissions(&key_file, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
            config.license.data_dir = own;
        }
        let prepared = server_rt.block_on(serve::prepare(config))?;
        addrs.push(prepared.local_addr()?);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = server_rt.spawn(prepared.run(async move {
            let _ = stopped.await;
        }));
        servers.push((stop, server));
    }
    let addrs = Arc::new(addrs);
    let rss_start = rss_kib();

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(a.client_threads.max(1))
        .thread_name("load")
        .enable_all()
        .build()?;
    client_rt.block_on(async move {
        // Take the seats, over the connections.
        // Each connection takes and then heartbeats its own holders (holder i on connection
        // i mod connections), so one holder's requests are never in flight at once and its
        // proof times arrive in order, as from one client.
        let t = Instant::now();
        let mode = a.proof;
        let mut tasks = Vec::new();
        for c in 0..a.connections {
            let holders = a.holders;
            let conns = a.connections;
            let addr = addrs[c as usize % addrs.len()];
            tasks.push(tokio::spawn(async move {
                let mut conn = Conn::open(addr).await?;
                let mut got = Vec::new();
                for i in (c..holders).step_by(conns as usize) {
                    let mut h = Holder::new(format!("h-{i}"));
                    let dh_secret: [u8; 32] = Sha256::digest(format!("dh-{i}").as_bytes()).into();
                    let body = h.acquire_body(mode, server_key, dh_secret);
                    let (status, text) = conn.post_text("/v1/leases/acquire", &body).await?;
                    if status != 200 {
                        return Err(std::io::Error::other(format!("acquire: HTTP {status}: {text}")));
                    }
                    h.granted(&text, server_key, dh_secret)
                        .ok_or_else(|| std::io::Error::other(format!("acquire: answer not understood: {text}")))?;
                    got.push(h);
                }
                Ok::<_, std::io::Error>((conn, got))
            }));
        }
        let mut per_conn = Vec::new();
        let mut taken = 0;
        for task in tasks {
            let (conn, got) = task.await??;
            taken += got.len();
            per_conn.push((conn, got));
        }
        let setup = t.elapsed();
        let rss_held = rss_kib();
        println!(
            "setup: {} leases taken in {:.2} s ({:?} proof); RSS {} MiB at start, {} MiB holding them (+{:.1} KiB per lease)",
            taken,
            setup.as_secs_f64(),
            mode,
            rss_start / 1024,
            rss_held / 1024,
            rss_held.saturating_sub(rss_start) as f64 / f64::from(a.holders.max(1))
        );
        if a.mode == Mode::Hold {
            return Ok::<_, Box<dyn std::error::Error + Send + Sync>>(());
        }

        let start = Instant::now() + Duration::from_millis(50);
        let cpu_start = CpuTimes::now();
        let end = start + Duration::from_secs(a.seconds);
        let interval_ns = if a.rate == 0 { 0 } else { 1_000_000_000 / u64::from(a.rate) };
        let seq = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for (c, (mut conn, mut holders)) in per_conn.into_iter().enumerate() {
            let seq = seq.clone();
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::with_capacity(1 << 12);
                let mut body = Vec::with_capacity(512);
                let mut pair = 0u64;
                let mut turn = 0usize;
                loop {
                    let n = seq.fetch_add(1, Ordering::Relaxed);
                    let scheduled = start + Duration::from_nanos(n * interval_ns);
                    if scheduled >= end || (interval_ns == 0 && Instant::now() >= end) {
                        return Ok::<_, std::io::Error>(lat);
                    }
                    if interval_ns != 0 {
                        tokio::time::sleep_until(scheduled.into()).await;
                    }
                    let from = if interval_ns == 0 { Instant::now() } else { scheduled };
                    match a.mode {
                        Mode::Heartbeat => {
                            if holders.is_empty() {
                                return Ok(lat);
                            }
                            turn = (turn + 1) % holders.len();
                            holders[turn].write_lease_body(mode, ProofOp::Heartbeat, server_key, &mut body);
                            let (status, text) = conn.post("/v1/leases/heartbeat", &body).await?;
                            if status != 200 {
                                let text = String::from_utf8_lossy(text);
                                return Err(std::io::Error::other(format!("heartbeat: HTTP {status}: {text}")));
                            }
                        }
                        _ => {
                            pair += 1;
                            let mut h = Holder::new(format!("p-{c}-{pair}"));
                            let dh_secret: [u8; 32] = Sha256::digest(h.name.as_bytes()).into();
                            let grant = h.acquire_body(mode, server_key, dh_secret);
                            let (status, text) = conn.post_text("/v1/leases/acquire", &grant).await?;
                            if status != 200 {
                                return Err(std::io::Error::other(format!("acquire: HTTP {status}: {text}")));
                            }
                            h.granted(&text, server_key, dh_secret)
                                .ok_or_else(|| std::io::Error::other(format!("acquire: answer not understood: {text}")))?;
                            h.write_lease_body(mode, ProofOp::Release, server_key, &mut body);
                            let (status, text) = conn.post("/v1/leases/release", &body).await?;
                            if status != 200 {
                                let text = String::from_utf8_lossy(text);
                                return Err(std::io::Error::other(format!("release: HTTP {status}: {text}")));
                            }
                        }
                    }
                    lat.push(u64::try_from(from.elapsed().as_micros()).unwrap_or(u64::MAX));
                }
            }));
        }
        let mut lat = Vec::new();
        for task in tasks {
            lat.extend(task.await??);
        }
        let took = start.elapsed().as_secs_f64().max(1e-9);
        let cpu = CpuTimes::now().per_request(&cpu_start, lat.len());
        lat.sort_unstable();
        let what = match a.mode {
            Mode::Heartbeat => "heartbeats",
            _ => "acquire+release pairs",
        };
        println!(
            "{} ({:?} proof): {} in {:.2} s = {:.0}/s (asked {}/s) over {} connections, {} holders, {} instance(s) on {}; latency ms p50 {:.2} p99 {:.2} max {:.2}; RSS {} MiB",
            what,
            mode,
            lat.len(),
            took,
            lat.len() as f64 / took,
            if a.rate == 0 { "max".to_string() } else { a.rate.to_string() },
            a.connections,
            a.holders,
            a.instances,
            if a.postgres.is_some() { "PostgreSQL" } else { "SQLite" },
            percentile(&lat, 0.50),
            percentile(&lat, 0.99),
            percentile(&lat, 1.0),
            rss_kib() / 1024
        );
        println!("{cpu}");
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    for (stop, server) in servers {
        let _ = stop.send(());
        server_rt.block_on(server)??;
    }
    // The servers' housekeeping stops with their runtime, before the schema goes.
    server_rt.shutdown_timeout(Duration::from_secs(5));
    if let Some(schema) = schema {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let counted = rt.block_on(schema.count());
        let dropped = rt.block_on(schema.drop_schema());
        let (rows, counter) = counted.map_err(|e| format!("PostgreSQL: {e}"))?;
        match counter {
            Some(c) => println!("PostgreSQL: {rows} leases in the database, seat counter {c}"),
            None => println!("PostgreSQL: {rows} leases in the database (this store keeps no seat counter)"),
        }
        dropped.map_err(|e| format!("PostgreSQL: dropping schema {}: {e}", schema.name))?;
        if counter.is_some_and(|c| c != rows) {
            return Err(format!("the seat counter ({counter:?}) differs from the leases ({rows})").into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bodies the load generator writes by hand are the bytes the API types encode to,
    /// in every proof mode, for heartbeat and release.
    #[test]
    fn hand_written_bodies_are_the_api_encoding() {
        let server = [7u8; 32];
        for mode in [ProofMode::Mac, ProofMode::Sign, ProofMode::None] {
            for op in [ProofOp::Heartbeat, ProofOp::Release] {
                let mut a = Holder::new("h-17".into());
                a.set_lease_id([0x9c; 16]);
                a.mac_key = Some([3; 32]);
                a.last_ts = now_ms() + 60_000;
                let mut b = Holder::new("h-17".into());
                b.set_lease_id([0x9c; 16]);
                b.mac_key = Some([3; 32]);
                b.last_ts = a.last_ts;
                let via_serde = a.lease_body(mode, op, server);
                let mut by_hand = Vec::new();
                b.write_lease_body(mode, op, server, &mut by_hand);
                assert_eq!(String::from_utf8(by_hand).unwrap(), via_serde, "{mode:?} {op:?}");
                let parsed: seat_protocol::api::LeaseRequest = serde_json::from_str(&via_serde).unwrap();
                assert_eq!(parsed.proof.is_some(), mode != ProofMode::None);
            }
        }
    }
}
