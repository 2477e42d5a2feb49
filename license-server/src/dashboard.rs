//! The administrator's dashboard at `/`: server-rendered HTML with an inline SVG chart of
//! usage over the last 24 hours and the holders a page at a time; it reloads itself every
//! [`REFRESH_SECS`] seconds only when the administrator asks for it (`reload=1`, a link on
//! the page: a page that changes under a screen reader unasked fails WCAG 2.2.1, which the
//! browser test's accessibility check enforces). No script (the Content-Security-Policy allows none): the
//! release and log-out buttons are forms carrying the session's CSRF token. Also the
//! login page.

use std::fmt::Write;

use crate::book::{MINUTE_MS, Snapshot};
use crate::store::UsageSeries;

/// The page reloads itself this often, when asked to (`reload=1`).
pub const REFRESH_SECS: u32 = 15;
const DAY_MS: i64 = 86_400_000;
const W: f64 = 960.0;
const H: f64 = 240.0;

/// Holders shown per page.
pub const HOLDERS_PER_PAGE: usize = 100;

/// What the page shows besides the usage.
pub struct PageInfo<'a> {
    /// Product id.
    pub product: &'a str,
    /// Licensee.
    pub licensee: &'a str,
    /// License status in words.
    pub status: &'a str,
    /// Server key (hex).
    pub server_key: &'a str,
    /// The page of holders (0-based, [`HOLDERS_PER_PAGE`] each).
    pub page: usize,
    /// Whether the page reloads itself every [`REFRESH_SECS`] seconds (the administrator
    /// chose it with the page's "Reload every 15 s" link).
    pub reload: bool,
    /// The session's CSRF token: with it, each holder has a release button (a form posting
    /// to `/release`), and the page a log-out button. `None` for a bearer-token reader.
    pub csrf: Option<&'a str>,
}

pub use license_verify::seat_client::format_utc;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The chart: usage as a step line over the 24 hours before `now`, the limit as a line.
fn chart(snapshot: &Snapshot, before: u32, series: &UsageSeries, now: i64) -> String {
    let start = now - DAY_MS;
    let top = series
        .iter()
        .map(|&(_, n)| n)
        .chain([before, snapshot.in_use, snapshot.limit.unwrap_or(0), 1])
        .max()
        .unwrap_or(1);
    let x = |t: i64| ((t - start) as f64 / DAY_MS as f64 * W).clamp(0.0, W);
    let y = |n: u32| H - f64::from(n) / f64::from(top) * (H - 20.0);
    let mut path = format!("M0,{:.1}", y(before));
    let mut last = before;
    for &(minute, n) in series {
        let _ = write!(
            path,
            " L{:.1},{:.1} L{:.1},{:.1}",
            x(minute),
            y(last),
            x(minute),
            y(n)
        );
        last = n;
    }
    let _ = write!(
        path,
        " L{:.1},{:.1} L{:.1},{:.1}",
        x(now),
        y(last),
        x(now),
        y(snapshot.in_use)
    );
    let mut svg = format!(
        r##"<svg id="usage-chart" xmlns="http://www.w3.org/2000/svg" viewBox="-40 -10 {vw} {vh}" width="100%" role="img" aria-label="seats in use over the last 24 hours">
<rect x="0" y="0" width="{W}" height="{H}" fill="#f6f8fa" stroke="#d0d7de"/>"##,
        vw = W + 60.0,
        vh = H + 40.0
    );
    for h in (0..=24).step_by(6) {
        let t = start + i64::from(h) * 3_600_000;
        let _ = write!(
            svg,
            r##"<line x1="{0:.1}" y1="0" x2="{0:.1}" y2="{H}" stroke="#d0d7de"/><text x="{0:.1}" y="{1}" font-size="12" text-anchor="middle" fill="#57606a">{2}</text>"##,
            x(t),
            H + 16.0,
            if h == 24 {
                "now".to_string()
            } else {
                format!("-{}h", 24 - h)
            }
        );
    }
    let _ = write!(
        svg,
        r##"<text x="-6" y="{:.1}" font-size="12" text-anchor="end" fill="#57606a">{top}</text><text x="-6" y="{H}" font-size="12" text-anchor="end" fill="#57606a">0</text>"##,
        y(top) + 4.0
    );
    if let Some(limit) = snapshot.limit {
        let _ = write!(
            svg,
            r##"<line id="limit-line" x1="0" y1="{0:.1}" x2="{W}" y2="{0:.1}" stroke="#cf222e" stroke-dasharray="6 4"/><text x="{W}" y="{1:.1}" font-size="12" text-anchor="end" fill="#cf222e">limit {limit}</text>"##,
            y(limit),
            y(limit) - 4.0
        );
    }
    let _ = write!(
        svg,
        r##"<path id="usage-line" d="{path}" fill="none" stroke="#0969da" stroke-width="2.5"/></svg>"##
    );
    svg
}

/// The whole page.
pub fn render(
    info: &PageInfo<'_>,
    snapshot: &Snapshot,
    before: u32,
    series: &UsageSeries,
    now: i64,
) -> String {
    let limit = snapshot
        .limit
        .map_or_else(|| "not limited".to_string(), |l| l.to_string());
    let total = snapshot.holders.len();
    let pages = total.div_ceil(HOLDERS_PER_PAGE).max(1);
    let page = info.page.min(pages - 1);
    let first = page * HOLDERS_PER_PAGE;
    let mut rows = String::new();
    for l in snapshot.holders.iter().skip(first).take(HOLDERS_PER_PAGE) {
        let release = info.csrf.map_or_else(String::new, |csrf| {
            format!(
                "<form method=\"post\" action=\"/release\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"holder\" value=\"{}\"><button type=\"submit\" class=\"release\">Release</button></form>",
                esc(csrf),
                esc(&l.holder)
            )
        });
        let _ = write!(
            rows,
            "<tr class=\"holder\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{release}</td></tr>",
            esc(&l.holder),
            esc(&l.user),
            esc(&l.machine),
            format_utc(l.granted_ms),
            format_utc(l.expires_ms),
            if l.borrowed { "borrowed" } else { "floating" }
        );
    }
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=\"7\">No seat is held.</td></tr>");
    }
    let mut nav = format!(
        "<p id=\"paging\">Holders {} to {} of {total} (page {} of {pages}).",
        if total == 0 { 0 } else { first + 1 },
        (first + HOLDERS_PER_PAGE).min(total),
        page + 1
    );
    let keep = if info.reload { "&amp;reload=1" } else { "" };
    if page > 0 {
        let _ = write!(
            nav,
            " <a id=\"previous-page\" href=\"/?page={}{keep}\">Previous</a>",
            page - 1
        );
    }
    if page + 1 < pages {
        let _ = write!(
            nav,
            " <a id=\"next-page\" href=\"/?page={}{keep}\">Next</a>",
            page + 1
        );
    }
    nav.push_str("</p>");
    let logout = info.csrf.map_or_else(String::new, |csrf| {
        format!(
            "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button type=\"submit\" id=\"logout\">Log out</button></form>",
            esc(csrf)
        )
    });
    let (refresh, reload_note) = if info.reload {
        (
            format!(
                "<meta http-equiv=\"refresh\" content=\"{REFRESH_SECS}; url=/?page={page}&amp;reload=1\">"
            ),
            format!(
                "reloads every {REFRESH_SECS} s: <a id=\"stop-reload\" href=\"/?page={page}\">stop reloading</a>"
            ),
        )
    } else {
        (
            String::new(),
            format!(
                "<a id=\"reload\" href=\"/?page={page}\">reload now</a> or <a id=\"auto-reload\" href=\"/?page={page}&amp;reload=1\">reload every {REFRESH_SECS} s</a>"
            ),
        )
    };
    let minute = now - now.rem_euclid(MINUTE_MS);
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{refresh}
<title>Seats: {product}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 24px 40px; color: #1f2328; background: #fff; }}
.figures {{ display: flex; gap: 24px; margin: 16px 0; }}
.figure {{ border: 1px solid #d0d7de; border-radius: 8px; padding: 12px 20px; min-width: 140px; background: #f6f8fa; }}
.figure b {{ display: block; font-size: 36px; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 12px; }}
th, td {{ text-align: left; padding: 6px 10px; border-bottom: 1px solid #d0d7de; }}
th {{ background: #f6f8fa; }}
small {{ color: #57606a; }}
</style></head>
<body><main>
<h1>Seats: {product}</h1>
<p>Licensed to <b id="licensee">{licensee}</b>; license <span id="license-status">{status}</span>.</p>
<div class="figures">
<div class="figure">In use<b id="in-use">{in_use}</b></div>
<div class="figure">Licensed<b id="limit">{limit}</b></div>
<div class="figure">Peak<b id="peak">{peak}</b></div>
</div>
<h2>Seats in use, last 24 hours</h2>
{chart}
<h2>Holders (<span id="holder-count">{count}</span>)</h2>
{nav}
<table id="holders"><thead><tr><th>Holder</th><th>User</th><th>Machine</th><th>Since</th><th>Expires</th><th>Kind</th><th>Action</th></tr></thead>
<tbody>{rows}</tbody></table>
{logout}
<p><small>As of <span id="as-of">{as_of}</span> (UTC, minute {minute_txt}); {reload_note}. Server key {key}.</small></p>
</main></body></html>
"#,
        product = esc(info.product),
        licensee = esc(info.licensee),
        status = esc(info.status),
        in_use = snapshot.in_use,
        peak = snapshot.peak,
        chart = chart(snapshot, before, series, now),
        count = total,
        as_of = format_utc(now),
        minute_txt = &format_utc(minute)[11..16],
        key = esc(info.server_key),
    )
}

/// The login form: the admin token, with the login CSRF token (also set as a cookie).
pub fn login_page(csrf: &str, failed: bool) -> String {
    let note = if failed {
        "<p id=\"login-failed\">The admin token is wrong.</p>"
    } else {
        ""
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Seat server: log in</title>
<style>body {{ font-family: system-ui, sans-serif; margin: 24px 40px; }} input {{ width: 32em; }}</style></head>
<body><main><h1>Seat server</h1>{note}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="{csrf}">
<p><label>Admin token (from <code>admin.token</code> in the server's data directory)<br>
<input type="password" name="token" id="token" autocomplete="current-password" required></label></p>
<p><button type="submit" id="login">Log in</button></p>
</form></main></body></html>
"#,
        csrf = esc(csrf)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_formatting() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00Z");
        assert_eq!(format_utc(1_764_547_200_000 + 3_723_000), "2025-12-01 01:02:03Z");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00:00Z");
    }

    #[test]
    fn page_escapes_and_shows_numbers() {
        let snap = Snapshot {
            in_use: 1,
            limit: Some(5),
            peak: 3,
            holders: vec![crate::book::LeaseRecord {
                holder: "<script>".into(),
                user: "u".into(),
                machine: "m".into(),
                lease_id: crate::book::LeaseId([0; 16]),
                granted_ms: 0,
                expires_ms: 1,
                ttl_ms: 1,
                borrowed: false,
            }],
        };
        let info = PageInfo {
            product: "cad",
            licensee: "A&B",
            status: "valid",
            server_key: "00",
            page: 0,
            reload: false,
            csrf: Some("c5rf"),
        };
        let page = render(&info, &snap, 0, &vec![(60_000, 2)], 120_000);
        assert!(page.contains(r#"name="holder" value="&lt;script&gt;""#));
        assert!(page.contains(r#"name="csrf" value="c5rf""#) && page.contains(r#"id="logout""#));
        assert!(page.contains("<b id=\"in-use\">1</b>"));
        assert!(page.contains("<b id=\"limit\">5</b>"));
        assert!(page.contains("&lt;script&gt;") && !page.contains("<script>"));
        assert!(page.contains("A&amp;B"));
    }

    #[test]
    fn holders_are_paged() {
        let holder = |i: usize| crate::book::LeaseRecord {
            holder: format!("h-{i:05}"),
            user: "u".into(),
            machine: "m".into(),
            lease_id: crate::book::LeaseId([0; 16]),
            granted_ms: 0,
            expires_ms: 1,
            ttl_ms: 1,
            borrowed: false,
        };
        let snap = Snapshot {
            in_use: 10_000,
            limit: Some(10_000),
            peak: 10_000,
            holders: (0..10_000).map(holder).collect(),
        };
        let mut info = PageInfo {
            product: "cad",
            licensee: "A",
            status: "valid",
            server_key: "00",
            page: 0,
            reload: false,
            csrf: None,
        };
        let first = render(&info, &snap, 0, &vec![], 120_000);
        assert_eq!(first.matches("class=\"holder\"").count(), HOLDERS_PER_PAGE);
        assert!(first.contains("Holders 1 to 100 of 10000 (page 1 of 100)"));
        assert!(first.contains(r#"id="next-page" href="/?page=1""#) && !first.contains("previous-page"));
        assert!(
            !first.contains("/release"),
            "no release buttons without a session"
        );
        assert!(first.len() < 60_000, "{} bytes", first.len());
        info.page = 99;
        let last = render(&info, &snap, 0, &vec![], 120_000);
        assert!(last.contains("h-09999") && !last.contains("h-09899<"));
        assert!(last.contains(r#"id="previous-page""#) && !last.contains("next-page"));
        info.page = 5_000;
        assert!(render(&info, &snap, 0, &vec![], 120_000).contains("page 100 of 100"));
        // Reloading only when asked, and kept across the holders' pages.
        assert!(!last.contains("http-equiv=\"refresh\"") && last.contains(r#"id="auto-reload""#));
        info.page = 1;
        info.reload = true;
        let reloading = render(&info, &snap, 0, &vec![], 120_000);
        assert!(reloading.contains(r#"<meta http-equiv="refresh" content="15; url=/?page=1&amp;reload=1">"#));
        assert!(reloading.contains(r#"id="next-page" href="/?page=2&amp;reload=1""#));
        assert!(reloading.contains(r#"id="stop-reload" href="/?page=1""#));
    }
}
