//! What the tests share: a real HTTP receiver on loopback that verifies signatures, the
//! real SMTP server (aiosmtpd), a PostgreSQL schema per test, and the issuing fixtures.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use license_core::{Date, Kind};
use license_issue::postgres::{Client, Config, NoTls};
use license_issue::*;
use license_notify::*;

pub const SECRET: &[u8] = b"whsec-the-tests-shared-secret";

pub fn d(y: u16, m: u8, day: u8) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

pub fn catalogs() -> Catalogs {
    let mut c = Catalogs::new();
    c.insert(Catalog::demo().unwrap());
    c
}

pub fn issuer<L: Ledger>(ledger: L) -> Issuer<L> {
    Issuer::new(catalogs(), VendorKey::from_seed(&[9; 32]), ledger)
}

/// A valid database code, the same for the same seed.
pub fn db(seed: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut bytes = [0u8; 10];
    for (i, chunk) in bytes.chunks_mut(5).enumerate() {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (i, seed).hash(&mut h);
        chunk.copy_from_slice(&h.finish().to_le_bytes()[..5]);
    }
    license_core::DatabaseCode::from_random(bytes).to_string()
}

pub fn subscription(licensee: &str) -> Order {
    let mut o = NewLicense::new("demo-erp", Kind::Subscription, Customer::new(licensee));
    o.named_users = Some(10);
    o.bind = BindTo::database(db(licensee));
    Order::Issue(o)
}

pub fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub event_id: String,
    pub body: String,
    pub verified: bool,
}

/// How the receiver answers.
#[derive(Clone, Debug)]
pub enum Answer {
    /// 200.
    Ok,
    /// 500 for the first `n` requests, then 200.
    FailFirst(u32),
    /// 302 to `location`.
    Redirect(String),
    /// Read the request, never answer (until the receiver stops).
    Hang,
}

/// A real HTTP/1.1 receiver on 127.0.0.1 in a thread: reads each POST, verifies its
/// signature with [`SECRET`] and records it.
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    port: u16,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Receiver {
    pub fn start(answer: Answer) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (g, s) = (Arc::clone(&got), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let served = AtomicU32::new(0);
            let mut hung = Vec::new();
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut conn) = conn else { continue };
                conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let Some((headers, body)) = read_request(&mut conn) else {
                    continue;
                };
                let id = headers.get("webhook-id").cloned().unwrap_or_default();
                let ts = headers.get("webhook-timestamp").cloned().unwrap_or_default();
                let sig = headers.get("webhook-signature").cloned().unwrap_or_default();
                let verified = verify(SECRET, &ts, body.as_bytes(), &sig, now_secs()).is_ok();
                g.lock().unwrap().push(Received {
                    event_id: id,
                    body,
                    verified,
                });
                let n = served.fetch_add(1, Ordering::SeqCst);
                let reply = match &answer {
                    Answer::Ok => {
                        "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned()
                    }
                    Answer::FailFirst(k) if n < *k => {
                        "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                            .to_owned()
                    }
                    Answer::FailFirst(_) => {
                        "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_owned()
                    }
                    Answer::Redirect(to) => {
                        format!(
                            "HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                        )
                    }
                    Answer::Hang => {
                        hung.push(conn);
                        continue;
                    }
                };
                let _ = conn.write_all(reply.as_bytes());
            }
        });
        Receiver {
            url: format!("http://127.0.0.1:{port}/hook"),
            got,
            stop,
            port,
            thread: Some(thread),
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// How often each event id arrived.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for r in self.received() {
            *m.entry(r.event_id).or_insert(0) += 1;
        }
        m
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn read_request(conn: &mut TcpStream) -> Option<(BTreeMap<String, String>, String)> {
    let mut reader = BufReader::new(conn.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    if line.is_empty() {
        return None;
    }
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
    }
    let len: usize = headers.get("content-length")?.parse().ok()?;
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some((headers, String::from_utf8(body).ok()?))
}

/// A webhook configuration with the endpoint `erp` at `url`, loopback allowed (the
/// tests' receivers are on loopback) and short timeouts.
pub fn webhooks(url: &str) -> WebhookConfig {
    let mut c = WebhookConfig {
        policy: TargetPolicy {
            allow_loopback: true,
            allow_private: false,
        },
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(2),
        ..WebhookConfig::default()
    };
    c.endpoints.insert("erp".into(), Endpoint::new(url, SECRET));
    c
}

pub fn retry() -> RetryPolicy {
    RetryPolicy {
        first_secs: 10,
        cap_secs: 80,
        max_attempts: 6,
        lease_secs: 30,
    }
}

/// The real SMTP server (aiosmtpd), storing messages in a directory; killed when dropped.
pub struct Smtpd {
    pub port: u16,
    pub dir: tempfile::TempDir,
    child: Child,
}

impl Smtpd {
    pub fn start() -> Smtpd {
        let dir = tempfile::tempdir().unwrap();
        let port = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtpd.py");
        let mut child = Command::new(env!("NOTIFY_TEST_PYTHON"))
            .arg(script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "READY", "aiosmtpd did not start");
        Smtpd { port, dir, child }
    }

    /// The messages received so far, decoded by Python's `email` (waiting up to 5 s for
    /// `at_least`).
    pub fn mails(&self, at_least: usize) -> Vec<serde_json::Value> {
        self.messages(at_least);
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// The raw messages received so far, in order (waiting up to 5 s for `at_least`).
    pub fn messages(&self, at_least: usize) -> Vec<String> {
        let until = Instant::now() + Duration::from_secs(5);
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "eml"))
                .collect();
            files.sort();
            if files.len() >= at_least || Instant::now() > until {
                return files
                    .iter()
                    .map(|p| std::fs::read_to_string(p).unwrap())
                    .collect();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn mailer(&self) -> Mailer {
        Mailer::new(&SmtpConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            security: SmtpSecurity::Plain,
            credentials: None,
            from: "Licensing <licensing@vendor.example>".into(),
            timeout: Duration::from_secs(5),
        })
        .unwrap()
    }
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The connection URL from `LICENSE_TEST_PG` (set when the test was built: `cfg(has_pg)`).
pub fn database_url() -> String {
    std::env::var("LICENSE_TEST_PG").expect("LICENSE_TEST_PG (set when the test was built)")
}

/// A fresh schema, dropped when this is dropped.
pub struct Schema {
    url: String,
    pub name: String,
}

impl Schema {
    pub fn create() -> Schema {
        static N: AtomicU32 = AtomicU32::new(0);
        let url = database_url();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!(
            "n_{}_{}_{}",
            std::process::id(),
            nanos,
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut c = Client::connect(&url, NoTls).expect("connect to LICENSE_TEST_PG");
        c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
        Schema { url, name }
    }

    /// An existing schema by name (a child process's).
    pub fn named(name: &str) -> Schema {
        Schema {
            url: database_url(),
            name: name.to_owned(),
        }
    }

    pub fn config(&self) -> Config {
        let mut config: Config = self.url.parse().unwrap();
        config.options(&format!("-c search_path={}", self.name));
        config
    }

    pub fn ledger(&self, connections: u32) -> PgLedger {
        PgLedger::open(self.config(), connections).unwrap()
    }

    /// Keep the schema (a child process must not drop its parent's).
    pub fn keep(self) {
        std::mem::forget(self);
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.url, NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// The `data` of a webhook body.
pub fn data(body: &str) -> serde_json::Value {
    serde_json::from_str::<serde_json::Value>(body).unwrap()["data"].clone()
}
