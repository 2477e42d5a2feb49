//! The dashboard in headless Chromium, driven through WebDriver (Debian's `chromium` and
//! `chromium-driver`, installed by `.ci/run`): the administrator logs in through the form,
//! the numbers and names are in the DOM, a screenshot under `target/` is a PNG of the
//! rendered page (not blank); then a page on another origin, opened in the same browser
//! while the administrator is logged in, fails to release a seat or take one.
//!
//! The WebDriver client is the few W3C WebDriver commands the test needs, over `ureq`.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::{Options, start_on};
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session, both ended when dropped.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs");
        let base = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let t = Instant::now();
        while agent.get(format!("{base}/status")).call().is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                         "--window-size=1200,900",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            agent,
            _profile: profile,
        };
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"].as_str().expect("a session").to_owned();
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut r = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, b) => self.agent.post(&url).send_json(b.unwrap_or_else(|| json!({}))),
        }
        .unwrap();
        let status = r.status().as_u16();
        let v: Value = r.body_mut().read_json().unwrap();
        assert_eq!(status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn go(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = self.session_call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no {css}: {v}"))
            .to_owned()
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.session_call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.session_call("POST", &format!("/element/{e}/click"), None);
    }

    fn source(&self) -> String {
        self.session_call("GET", "/source", None)
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn url(&self) -> String {
        self.session_call("GET", "/url", None)
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn screenshot(&self) -> Vec<u8> {
        let b64 = self.session_call("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .agent
                .delete(format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn screenshot_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&target).unwrap();
    target.join("license-server-dashboard.png")
}

fn check_png(bytes: &[u8]) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert!(
        info.width >= 1000 && info.height >= 700,
        "{}x{}",
        info.width,
        info.height
    );
    let pixels = &buf[..info.buffer_size()];
    let n = pixels.len() as f64;
    let mean = pixels.iter().map(|&p| f64::from(p)).sum::<f64>() / n;
    let variance = pixels.iter().map(|&p| (f64::from(p) - mean).powi(2)).sum::<f64>() / n;
    assert!(
        variance > 100.0,
        "the screenshot looks blank (variance {variance:.1})"
    );
    let dark = pixels
        .chunks(info.color_type.samples())
        .filter(|px| px[..3].iter().all(|&c| c < 80))
        .count();
    assert!(dark > 1_000, "only {dark} dark pixels");
}

/// A web server on another port of the same host serving one attacking page for up to
/// `count` requests (bounded), in a thread.
fn serve_attack_page(html: String, count: usize) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut s) = stream else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
                html.len()
            );
            let _ = s.write_all(answer.as_bytes());
        }
    });
    addr
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn the_admin_logs_in_sees_the_dashboard_and_another_origin_cannot_release_through_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(5)).unwrap();
    for h in ["ws-anna", "ws-bert", "ws-carl"] {
        s.client(h).acquire(None).unwrap();
    }
    s.client("laptop-dora").borrow(2).unwrap();
    let released = s.client("ws-emil");
    released.acquire(None).unwrap();
    released.release().unwrap();

    let b = Browser::start();
    let own = format!("http://{}", s.addr);
    // Not logged in: the dashboard sends the browser to the login form.
    b.go(&format!("{own}/"));
    assert!(b.url().ends_with("/login"), "{}", b.url());
    b.type_into("#token", "not-the-token-at-all");
    b.click("#login");
    let page = b.source();
    assert!(page.contains("login-failed"), "{page}");
    b.type_into("#token", s.admin_token.trim());
    b.click("#login");
    assert_eq!(b.url(), format!("{own}/"));

    let dom = b.source();
    assert!(dom.contains(r#"<b id="in-use">4</b>"#), "{dom}");
    assert!(dom.contains(r#"<b id="limit">5</b>"#), "{dom}");
    assert!(dom.contains(r#"<b id="peak">5</b>"#), "{dom}");
    assert!(dom.contains(r#"<span id="holder-count">4</span>"#));
    for h in [
        "ws-anna",
        "ws-bert",
        "ws-carl",
        "laptop-dora",
        "laptop-dora.acme.lan",
        "borrowed",
    ] {
        assert!(dom.contains(h), "{h} missing");
    }
    assert!(!dom.contains("ws-emil<"), "a released holder is not listed");
    assert!(dom.contains(r#"id="usage-chart""#) && dom.contains(r#"id="usage-line""#));
    assert!(dom.contains(r#"http-equiv="refresh""#));

    let png = b.screenshot();
    check_png(&png);
    let png_path = screenshot_path();
    std::fs::write(&png_path, &png).unwrap();
    eprintln!("screenshot: {}", png_path.display());

    // A page on another port of the same host (same site, another origin), opened while the
    // administrator is logged in: it posts the dashboard's release form (without the CSRF
    // token, which it cannot read) and fires no-cors fetches at the admin and lease APIs.
    let attack = format!(
        r#"<!DOCTYPE html><html><head><title>attack</title></head><body>
<form id="f" method="post" action="{own}/release" target="sink">
<input name="csrf" value="guessed"><input name="holder" value="ws-anna"></form>
<iframe name="sink"></iframe>
<script>
const o = {{method: "POST", mode: "no-cors", credentials: "include"}};
fetch("{own}/v1/admin/release", {{...o, body: '{{"holder":"ws-bert"}}'}});
fetch("{own}/v1/leases/borrow", {{...o, body: '{{"holder":"evil","days":14}}'}});
fetch("{own}/v1/leases/acquire", {{...o, headers: {{"Content-Type": "text/plain"}}, body: '{{"holder":"evil-2"}}'}});
document.getElementById("f").submit();
document.title = "sent";
</script></body></html>"#
    );
    let attacker = serve_attack_page(attack, 8);
    b.go(&format!("http://{attacker}/"));
    let t = Instant::now();
    while b.session_call("GET", "/title", None) != "sent" {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the attacking page did not run"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(2));
    let holders: Vec<String> = s
        .admin()
        .holders()
        .unwrap()
        .into_iter()
        .map(|h| h.holder)
        .collect();
    assert_eq!(holders.len(), 4, "{holders:?}");
    assert!(holders.iter().any(|h| h == "ws-anna") && holders.iter().any(|h| h == "ws-bert"));
    assert!(!holders.iter().any(|h| h.starts_with("evil")), "{holders:?}");

    // The dashboard's own release button works in the same browser.
    b.go(&format!("{own}/"));
    let button = b.find(r#"form[action="/release"] button"#);
    b.session_call("POST", &format!("/element/{button}/click"), None);
    assert_eq!(s.admin().status().unwrap().in_use, 3);
}
