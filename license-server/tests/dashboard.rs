//! The dashboard in headless Chromium: the numbers in the DOM, and a screenshot under
//! `target/` that is a PNG of the rendered page (not blank).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Options, start_on};

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium(args: &[&str], url: &str, profile: &Path) -> std::process::Output {
    Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs")
}

fn screenshot_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&target).unwrap();
    target.join("license-server-dashboard.png")
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium on PATH: apt-get install chromium"
)]
fn the_dashboard_shows_usage_holders_and_the_chart() {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM}: apt-get install chromium"
    );
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(5)).unwrap();
    for h in ["ws-anna", "ws-bert", "ws-carl"] {
        s.client(h).acquire(None).unwrap();
    }
    s.client("laptop-dora").borrow(2).unwrap();
    let released = s.client("ws-emil");
    released.acquire(None).unwrap();
    released.release().unwrap();

    // The token as the password of HTTP Basic authentication, as a browser sends it.
    let url = format!("http://admin:{}@{}/", s.admin_token.trim(), s.addr);
    let profile = tempfile::tempdir().unwrap();
    let out = chromium(&["--dump-dom"], &url, profile.path());
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
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

    let png_path = screenshot_path();
    let _ = std::fs::remove_file(&png_path);
    let profile = tempfile::tempdir().unwrap();
    let shot = format!("--screenshot={}", png_path.display());
    let out = chromium(&[&shot, "--window-size=1200,900"], &url, profile.path());
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png_path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1200, 900));
    let pixels = &buf[..info.buffer_size()];
    let n = pixels.len() as f64;
    let mean = pixels.iter().map(|&p| f64::from(p)).sum::<f64>() / n;
    let variance = pixels.iter().map(|&p| (f64::from(p) - mean).powi(2)).sum::<f64>() / n;
    assert!(
        variance > 100.0,
        "the screenshot looks blank (variance {variance:.1})"
    );
    // Dark pixels (text, the chart line) exist: something was rendered on the white page.
    let dark = pixels
        .chunks(info.color_type.samples())
        .filter(|px| px[..3].iter().all(|&c| c < 80))
        .count();
    assert!(dark > 1_000, "only {dark} dark pixels");
    eprintln!(
        "screenshot: {} (variance {variance:.0}, {dark} dark pixels)",
        png_path.display()
    );
}
