//! The real receivers the tests deliver mail and webhooks to, shared by license-notify's
//! and license-service's tests:
//! - [`Smtpd`]: Debian's aiosmtpd (`smtpd.py` beside this crate, run by the Python the
//!   caller names) on a loopback port; each message is kept raw (`.eml`) and decoded by
//!   Python's `email` (`.json`: `rcpt`, `subject`, `body`, ...). Killed when dropped.
//! - [`Receiver`]: an HTTP/1.1 webhook receiver on 127.0.0.1 in a thread (a std
//!   `TcpListener`), answering as told ([`Answer`]) and keeping every request's
//!   `webhook-id`, `webhook-timestamp`, `webhook-signature` and body ([`Hook`]), whose
//!   signature the test verifies with license-notify's documented scheme.
//!
//! Test code: a broken receiver panics, as an assertion does.
#![forbid(unsafe_code)]
#![allow(clippy::missing_panics_doc)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// The SMTP server, storing each message in a folder; killed when dropped.
pub struct Smtpd {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Where it stores the messages.
    pub dir: tempfile::TempDir,
    child: Child,
}

impl Smtpd {
    /// Start it with `python` (one that can import `aiosmtpd`; the tests' build scripts
    /// find it and say whether it can).
    pub fn start(python: &str) -> Smtpd {
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("smtpd.py");
        let mut child = Command::new(python)
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

    /// Its address as an `smtp://` URL.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn files(&self, extension: &str) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == extension))
            .collect();
        files.sort();
        files
    }

    /// The messages so far, decoded, in order.
    pub fn mails(&self) -> Vec<Value> {
        self.files("json")
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// The decoded messages, once there are `at_least` (or after 5 s, however many).
    pub fn mails_at_least(&self, at_least: usize) -> Vec<Value> {
        self.messages(at_least);
        self.mails()
    }

    /// The raw messages, in order, once there are `at_least` (or after 5 s, however many).
    pub fn messages(&self, at_least: usize) -> Vec<String> {
        let until = Instant::now() + Duration::from_secs(5);
        loop {
            let files = self.files("eml");
            if files.len() >= at_least || Instant::now() > until {
                return files
                    .iter()
                    .map(|p| std::fs::read_to_string(p).unwrap())
                    .collect();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait (at most `secs`) for a mail to `to` whose subject contains `subject`.
    pub fn wait_for(&self, to: &str, subject: &str, secs: u64) -> Value {
        self.wait_until(to, secs, |m| {
            m["subject"].as_str().unwrap_or("").contains(subject)
        })
    }

    /// Wait (at most `secs`) for a mail to `to` whose body contains `text`.
    pub fn wait_body(&self, to: &str, text: &str, secs: u64) -> Value {
        self.wait_until(to, secs, |m| m["body"].as_str().unwrap_or("").contains(text))
    }

    fn wait_until(&self, to: &str, secs: u64, pred: impl Fn(&Value) -> bool) -> Value {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(m) = self
                .mails()
                .into_iter()
                .find(|m| m["rcpt"].to_string().contains(to) && pred(m))
            {
                return m;
            }
            assert!(
                Instant::now() < until,
                "no such mail to {to} within {secs} s; got {:?}",
                self.mails()
                    .iter()
                    .map(|m| (m["rcpt"].clone(), m["subject"].clone(), m["body"].clone()))
                    .collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The token in a mailed link (`...?token=lkm_...`).
pub fn token_in(mail: &Value) -> String {
    let body = mail["body"].as_str().unwrap();
    let at = body
        .find("token=")
        .unwrap_or_else(|| panic!("no token link in {body}"))
        + "token=".len();
    body[at..]
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap()
        .to_owned()
}

/// Now, in seconds since the epoch (a signature's timestamp is checked against it).
pub fn now_secs() -> i64 {
    i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()).unwrap()
}

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Hook {
    /// `webhook-id`: the event's id.
    pub id: String,
    /// `webhook-timestamp`.
    pub timestamp: String,
    /// `webhook-signature`.
    pub signature: String,
    /// The body.
    pub body: String,
}

impl Hook {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    /// Whether the signature verifies with `secret` (license-notify's documented scheme).
    pub fn verifies(&self, secret: impl AsRef<[u8]>) -> bool {
        license_notify::verify(
            secret.as_ref(),
            &self.timestamp,
            self.body.as_bytes(),
            &self.signature,
            now_secs(),
        )
        .is_ok()
    }
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

const OK: &str = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// A real HTTP/1.1 webhook receiver on 127.0.0.1; stopped when dropped.
pub struct Receiver {
    /// Where to send to.
    pub url: String,
    got: Arc<Mutex<Vec<Hook>>>,
    stop: Arc<AtomicBool>,
    port: u16,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Receiver {
    /// Start one answering `answer`.
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
                let h = |k: &str| headers.get(k).cloned().unwrap_or_default();
                g.lock().unwrap().push(Hook {
                    id: h("webhook-id"),
                    timestamp: h("webhook-timestamp"),
                    signature: h("webhook-signature"),
                    body,
                });
                let n = served.fetch_add(1, Ordering::SeqCst);
                let reply = match &answer {
                    Answer::FailFirst(k) if n < *k => {
                        "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                            .to_owned()
                    }
                    Answer::Ok | Answer::FailFirst(_) => OK.to_owned(),
                    Answer::Redirect(to) => format!(
                        "HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                    ),
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

    /// The requests so far, in order.
    pub fn hooks(&self) -> Vec<Hook> {
        self.got.lock().unwrap().clone()
    }

    /// Wait (at most `secs`) for a hook whose body satisfies `pred`.
    pub fn wait_for(&self, secs: u64, pred: impl Fn(&Value) -> bool) -> Hook {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(h) = self.hooks().into_iter().find(|h| pred(&h.json())) {
                return h;
            }
            assert!(
                Instant::now() < until,
                "no such webhook within {secs} s: {:?}",
                self.hooks()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// How often each event id arrived.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for h in self.hooks() {
            *m.entry(h.id).or_insert(0) += 1;
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
