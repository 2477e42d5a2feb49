//! The browser: a `chromedriver` on a free loopback port and one headless Chromium session,
//! driven through the W3C WebDriver commands the tests need.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use crate::error::BrowserError;

/// The W3C key of an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long the waiting helpers wait ([`Browser::source_containing`], [`Browser::url_becoming`]).
pub const WAIT: Duration = Duration::from_secs(15);

/// A chromedriver process and one headless browser session, both ended when dropped.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    profile: tempfile::TempDir,
}

/// A free TCP port on loopback (bound and released: another process may take it first,
/// which the start-up then reports).
fn free_port() -> Result<u16, BrowserError> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl Browser {
    /// Start `chromedriver` and a headless Chromium (`/usr/bin/chromium`), 1200 x 900.
    pub fn start() -> Result<Browser, BrowserError> {
        Browser::start_sized(1200, 900)
    }

    /// As [`Browser::start`], with a window of `width` x `height` pixels.
    pub fn start_sized(width: u32, height: u32) -> Result<Browser, BrowserError> {
        let port = free_port()?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| BrowserError::DriverNotStarted {
                why: format!("chromedriver: {e} (install Debian's chromium-driver)"),
            })?;
        let base = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let profile = tempfile::tempdir()?;
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            agent,
            profile,
        };
        let t = Instant::now();
        while b.agent.get(format!("{}/status", b.base)).call().is_err() {
            if t.elapsed() > Duration::from_secs(20) {
                return Err(BrowserError::DriverNotStarted {
                    why: format!("chromedriver did not answer on port {port} within 20 s"),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                         format!("--window-size={width},{height}"),
                         format!("--user-data-dir={}", b.profile.path().display())]
            }
        }}});
        let v = b.call("POST", "/session", Some(caps))?;
        b.session = v["sessionId"]
            .as_str()
            .ok_or_else(|| BrowserError::WebDriver {
                command: "POST /session".into(),
                status: 200,
                message: format!("no session id in {v}"),
            })?
            .to_owned();
        b.session_call(
            "POST",
            "/timeouts",
            Some(json!({"script": 60_000, "pageLoad": 60_000, "implicit": 0})),
        )?;
        Ok(b)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, BrowserError> {
        let url = format!("{}{path}", self.base);
        let command = format!("{method} {path}");
        let mut r = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, b) => self.agent.post(&url).send_json(b.unwrap_or_else(|| json!({}))),
        }
        .map_err(|e| BrowserError::Http {
            command: command.clone(),
            why: e.to_string(),
        })?;
        let status = r.status().as_u16();
        let v: Value = r.body_mut().read_json().map_err(|e| BrowserError::Http {
            command: command.clone(),
            why: format!("not JSON: {e}"),
        })?;
        if status != 200 {
            return Err(BrowserError::WebDriver {
                command,
                status,
                message: v["value"]["message"]
                    .as_str()
                    .map_or_else(|| v.to_string(), str::to_owned),
            });
        }
        Ok(v["value"].clone())
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, BrowserError> {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    /// Open `url` (returns when the page has loaded).
    pub fn go(&self, url: &str) -> Result<(), BrowserError> {
        self.session_call("POST", "/url", Some(json!({ "url": url })))
            .map(drop)
    }

    /// The reference of the first element matching the CSS selector `css`.
    pub fn find(&self, css: &str) -> Result<String, BrowserError> {
        let v = self
            .session_call(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .map_err(|e| match e {
                BrowserError::WebDriver { status: 404, .. } => BrowserError::NoElement { css: css.into() },
                other => other,
            })?;
        v[ELEMENT]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| BrowserError::NoElement { css: css.into() })
    }

    /// Whether an element matches `css` now.
    pub fn has(&self, css: &str) -> Result<bool, BrowserError> {
        let v = self.session_call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        Ok(v.as_array().is_some_and(|a| !a.is_empty()))
    }

    /// Type `text` into the element matching `css` (after what it holds).
    pub fn type_into(&self, css: &str, text: &str) -> Result<(), BrowserError> {
        let e = self.find(css)?;
        self.session_call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        )
        .map(drop)
    }

    /// Empty the input matching `css`.
    pub fn clear(&self, css: &str) -> Result<(), BrowserError> {
        let e = self.find(css)?;
        self.session_call("POST", &format!("/element/{e}/clear"), None)
            .map(drop)
    }

    /// Click the element matching `css`.
    pub fn click(&self, css: &str) -> Result<(), BrowserError> {
        let e = self.find(css)?;
        self.session_call("POST", &format!("/element/{e}/click"), None)
            .map(drop)
    }

    /// Click the element matching `css` (a submit button or a link) and return once the
    /// browser holds the document that click led to, fully loaded.
    ///
    /// A plain [`Browser::click`] returns before the next page has loaded on a busy
    /// machine, and a page that answers a form with the same form (an error shown again)
    /// would let [`Browser::source_containing`] match the page before the click. This marks
    /// the current document first and waits until the marker is gone; a click that loads
    /// no new document ends in [`BrowserError::Timeout`] after [`WAIT`].
    pub fn submit(&self, css: &str) -> Result<(), BrowserError> {
        self.execute("window.__browserTestLeft = true;", vec![])?;
        self.click(css)?;
        let t = Instant::now();
        loop {
            // While the old document unloads, a script may fail with "execution context
            // destroyed" or similar: that only means "not yet".
            let loaded = self.execute(
                "return window.__browserTestLeft === undefined && document.readyState === 'complete';",
                vec![],
            );
            if matches!(loaded, Ok(Value::Bool(true))) {
                return Ok(());
            }
            if t.elapsed() > WAIT {
                let url = self.url().unwrap_or_default();
                return Err(BrowserError::Timeout {
                    what: format!("a new page after clicking {css:?} (still on {url}: {loaded:?})"),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The visible text of the element matching `css`.
    pub fn text(&self, css: &str) -> Result<String, BrowserError> {
        let e = self.find(css)?;
        let v = self.session_call("GET", &format!("/element/{e}/text"), None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// The page's HTML as the browser holds it now.
    pub fn source(&self) -> Result<String, BrowserError> {
        let v = self.session_call("GET", "/source", None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// The page source once it contains `needle` (a click that submits a form returns
    /// before the next page has loaded on a busy machine); [`BrowserError::Timeout`] after
    /// [`WAIT`].
    pub fn source_containing(&self, needle: &str) -> Result<String, BrowserError> {
        let t = Instant::now();
        loop {
            let page = self.source()?;
            if page.contains(needle) {
                return Ok(page);
            }
            if t.elapsed() > WAIT {
                return Err(BrowserError::Timeout {
                    what: format!("a page containing {needle:?}; the page is:\n{page}"),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The current URL.
    pub fn url(&self) -> Result<String, BrowserError> {
        let v = self.session_call("GET", "/url", None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// The URL once it is `expected`, as [`Browser::source_containing`].
    pub fn url_becoming(&self, expected: &str) -> Result<String, BrowserError> {
        let t = Instant::now();
        loop {
            let url = self.url()?;
            if url == expected {
                return Ok(url);
            }
            if t.elapsed() > WAIT {
                return Err(BrowserError::Timeout {
                    what: format!("the URL {expected} (it is {url})"),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Run `script` (a function body; `arguments` holds `args`) in the page and return
    /// what it returns.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, BrowserError> {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Run an asynchronous `script`: it ends by calling the last of its `arguments`.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value, BrowserError> {
        self.session_call(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// The rendered page as PNG bytes.
    pub fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        let b64 = self.session_call("GET", "/screenshot", None)?;
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .map_err(|e| BrowserError::Http {
                command: "GET /screenshot".into(),
                why: format!("not base64: {e}"),
            })
    }

    /// Save the rendered page as `target/screenshots/NAME.png` (never committed; the docs'
    /// pictures are copied from a run on purpose) and return the path.
    pub fn save_screenshot(&self, name: &str) -> Result<PathBuf, BrowserError> {
        let png = self.screenshot()?;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let path = dir.join(format!("{safe}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
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

/// `target/screenshots` of the workspace (or of `CARGO_TARGET_DIR`).
pub fn screenshot_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
            PathBuf::from,
        )
        .join("screenshots")
}
