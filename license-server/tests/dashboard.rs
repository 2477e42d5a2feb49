//! The dashboard in headless Chromium, driven through WebDriver (Debian's `chromium` and
//! `chromium-driver`, installed by `.ci/run`): the administrator logs in through the form,
//! the numbers and names are in the DOM, a screenshot under `target/` is a PNG of the
//! rendered page (not blank); then a page on another origin, opened in the same browser
//! while the administrator is logged in, fails to release a seat or take one.
//!
//! The browser is the workspace's `browser-test` harness; every page the test visits passes
//! the axe-core accessibility check.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use browser_test::Browser;
use common::{Options, start_on};

fn screenshot_path() -> PathBuf {
    let dir = browser_test::screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("license-server-dashboard.png")
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

    let b = Browser::start().unwrap();
    let own = format!("http://{}", s.addr);
    // Not logged in: the dashboard sends the browser to the login form.
    b.go(&format!("{own}/")).unwrap();
    let url = b.url().unwrap();
    assert!(url.ends_with("/login"), "{url}");
    b.axe().unwrap().assert_clean("the login form");
    b.type_into("#token", "not-the-token-at-all").unwrap();
    b.submit("#login").unwrap();
    let page = b.source_containing("login-failed").unwrap();
    b.axe()
        .unwrap()
        .assert_clean("the login form after a failed login");
    assert!(page.contains("login-failed"), "{page}");
    b.type_into("#token", s.admin_token.trim()).unwrap();
    b.submit("#login").unwrap();
    assert_eq!(b.url_becoming(&format!("{own}/")).unwrap(), format!("{own}/"));

    let dom = b.source_containing(r#"id="in-use""#).unwrap();
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
    // It reloads itself only when asked to.
    assert!(!dom.contains(r#"http-equiv="refresh""#), "{dom}");

    b.axe().unwrap().assert_clean("the dashboard");
    let png = b.screenshot().unwrap();
    b.submit("#auto-reload").unwrap();
    let reloading = b.source_containing(r#"id="stop-reload""#).unwrap();
    assert!(reloading.contains(r#"http-equiv="refresh""#), "{reloading}");
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
    b.go(&format!("http://{attacker}/")).unwrap();
    let t = Instant::now();
    while b.execute("return document.title;", vec![]).unwrap() != "sent" {
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
    b.go(&format!("{own}/")).unwrap();
    b.submit(r#"form[action="/release"] button"#).unwrap();
    let t = Instant::now();
    while s.admin().status().unwrap().in_use != 3 && t.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(s.admin().status().unwrap().in_use, 3);
}
