//! The harness against pages served on loopback: the accessibility check finds what it must
//! (an unlabelled input, an image without text, a page without a language) and passes a
//! page that has none of it, under a CSP without inline scripts; forms and waits work.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};

use browser_test::{Browser, BrowserError};

/// Serve `pages` (path, HTML) on loopback until the process ends; every answer carries a
/// CSP that forbids inline scripts, as the portal's do. `/again` is a form that answers
/// with itself, numbered: the n-th answer's heading is "Answer n". Its button submits
/// only after a pause (`/again.js`), as a browser on a busy machine does.
fn serve(mut pages: Vec<(&'static str, String)>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(200) {
            let Ok(mut s) = stream else { continue };
            let mut first = String::new();
            let mut reader = BufReader::new(s.try_clone().unwrap());
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/");
            let path = path.split('?').next().unwrap_or("/");
            if path == "/again" {
                let n = AGAIN.fetch_add(1, Ordering::SeqCst) + 1;
                pages.push(("/again", again(n)));
            }
            let kind = if path.ends_with(".js") {
                "text/javascript"
            } else {
                "text/html; charset=utf-8"
            };
            let (status, body) = pages.iter().rev().find(|(p, _)| *p == path).map_or(
                (
                    "404 Not Found",
                    "<!doctype html><html lang=en><title>404</title><main><h1>Not found</h1></main></html>"
                        .to_owned(),
                ),
                |(_, b)| ("200 OK", b.clone()),
            );
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Security-Policy: default-src 'none'; script-src 'self'; form-action 'self'\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    addr
}

const GOOD: &str = r#"<!doctype html><html lang="en"><head><title>Licenses</title></head>
<body><main><h1>Licenses</h1>
<form method="get" action="/done"><label for="q">Search</label><input id="q" name="q">
<button type="submit">Search</button></form></main></body></html>"#;

const BAD: &str = r#"<!doctype html><html><head><title>Licenses</title></head>
<body><h1>Licenses</h1><input name="q"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body></html>"#;

static AGAIN: AtomicUsize = AtomicUsize::new(0);

fn again(n: usize) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><title>Again</title></head><body><main><h1>Answer {n}</h1>
<form method="get" action="/again"><button type="button" id="again">Again</button></form></main>
<script src="/again.js"></script></body></html>"#
    )
}

const AGAIN_JS: &str = "document.getElementById('again').addEventListener('click', \
    () => setTimeout(() => document.forms[0].submit(), 400));";

const DONE: &str = r#"<!doctype html><html lang="en"><head><title>Done</title></head><body><main><h1>Searched</h1></main></body></html>"#;

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver (Debian: chromium, chromium-driver)"
)]
fn axe_finds_what_is_wrong_and_passes_what_is_right() -> Result<(), BrowserError> {
    let addr = serve(vec![
        ("/good", GOOD.to_owned()),
        ("/bad", BAD.to_owned()),
        ("/done", DONE.to_owned()),
    ]);
    let b = Browser::start()?;

    b.go(&format!("http://{addr}/bad"))?;
    let report = b.axe()?;
    let ids: Vec<&str> = report.violations.iter().map(|v| v.id.as_str()).collect();
    for rule in ["label", "image-alt", "html-has-lang"] {
        assert!(ids.contains(&rule), "{rule} not found:\n{report}");
    }
    assert!(!report.is_clean());
    let label = report.violations.iter().find(|v| v.id == "label").unwrap();
    assert_eq!(label.targets, ["input"], "{report}");

    b.go(&format!("http://{addr}/good"))?;
    let report = b.axe()?;
    report.assert_clean("the good page");
    assert!(report.passes > 10, "{report}");

    // A form submitted, the next page awaited; an element that is not there is an error.
    b.type_into("#q", "acme")?;
    b.submit("button[type=submit]")?;
    b.source_containing("Searched")?;
    assert_eq!(b.url()?, format!("http://{addr}/done?q=acme"));
    assert!(matches!(b.find("#q"), Err(BrowserError::NoElement { .. })));
    assert!(!b.has("#q")?);
    let path = b.save_screenshot("browser-test-done")?;
    let png = std::fs::read(&path)?;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    Ok(())
}

/// A form that submits late and is answered with the same page (as the portal answers a refused form with the
/// form and its error): `submit` returns only once the new answer is there, so what the
/// test reads next is never the page before the click.
#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver (Debian: chromium, chromium-driver)"
)]
fn submit_waits_for_the_page_it_led_to_even_when_it_looks_the_same() -> Result<(), BrowserError> {
    let addr = serve(vec![("/again.js", AGAIN_JS.to_owned())]);
    let b = Browser::start()?;
    b.go(&format!("http://{addr}/again"))?;
    assert_eq!(b.text("h1")?, "Answer 1");
    for n in 2..=3 {
        b.submit("#again")?;
        assert_eq!(b.text("h1")?, format!("Answer {n}"));
    }
    // A click that loads nothing new is a clear timeout, not a silent pass.
    match b.submit("h1") {
        Err(BrowserError::Timeout { what }) => assert!(what.contains("h1"), "{what}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    Ok(())
}
