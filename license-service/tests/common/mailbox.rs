//! The real receivers of the end-to-end tests: Debian's aiosmtpd (license-notify's
//! `tests/smtpd.py`) as the SMTP server, and an HTTP/1.1 webhook receiver on loopback
//! (a std `TcpListener` in a thread) that keeps every request's headers and body for the
//! test to verify.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The SMTP server, storing each message as JSON in a folder; killed when dropped.
pub struct Smtpd {
    pub port: u16,
    pub dir: tempfile::TempDir,
    child: Child,
}

impl Smtpd {
    pub fn start() -> Smtpd {
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../license-notify/tests/smtpd.py");
        let mut child = Command::new(env!("SERVICE_TEST_PYTHON"))
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

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages so far (decoded by Python's `email`), in order.
    pub fn mails(&self) -> Vec<Value> {
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

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Hook {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

impl Hook {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    /// Whether the signature verifies with `secret` (license-notify's documented scheme).
    pub fn verifies(&self, secret: &str) -> bool {
        license_notify::verify(
            secret.as_bytes(),
            &self.timestamp,
            self.body.as_bytes(),
            &self.signature,
            super::now_secs(),
        )
        .is_ok()
    }
}

/// A real HTTP/1.1 webhook receiver on 127.0.0.1 answering 200 to every POST.
pub struct Receiver {
    pub url: String,
    got: Arc<Mutex<Vec<Hook>>>,
    stop: Arc<AtomicBool>,
    port: u16,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Receiver {
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (g, s) = (Arc::clone(&got), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
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
                let _ = conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
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
