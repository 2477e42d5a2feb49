//! What keeps web browsers from driving a server (docs/SERVER.md, "Browsers";
//! docs/SERVICE.md, "What it protects"):
//!
//! - the `Host` header must name this server (an IP address, `localhost`, the machine's own
//!   names, or a name given with `--allow-host`), so a DNS-rebinding page cannot reach it
//!   under the attacker's name;
//! - a request carrying an `Origin` must come from the server's own origin (scheme, host and
//!   port compared exactly; a page on another port of the same host is another origin);
//! - the JSON API's state-changing endpoints take only `Content-Type: application/json`,
//!   which a page cannot send cross-origin without a CORS preflight the server never grants;
//! - sessions are cookies (`HttpOnly`, `SameSite=Strict`, `Secure` over TLS) from a login
//!   form, and every form post carries a CSRF token ([`same_secret`]) and an exact `Origin`;
//! - every answer carries a Content-Security-Policy, `X-Frame-Options: DENY` and
//!   `Cache-Control: no-store` ([`protect`]), HSTS over TLS;
//! - oversized request targets and headers are refused with an answer ([`check_head`]), and
//!   the HTTP layers' own errors get a code and a message ([`http_layer_error`]) that each
//!   server renders as its JSON error.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use sha2::{Digest, Sha256};

use crate::error::GuardError;

/// The Content-Security-Policy of every answer: no script at all, styles only inline (the
/// dashboard's), images only from the page itself, forms only to the server, no framing.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Which names the server answers to, and whether it speaks TLS.
#[derive(Clone, Debug)]
pub struct WebPolicy {
    names: Vec<String>,
    tls: bool,
}

/// The machine's own names (Linux: the kernel's host name and `/etc/hostname`), lowercase.
fn machine_names() -> Vec<String> {
    let mut names = vec!["localhost".to_owned()];
    for file in ["/proc/sys/kernel/hostname", "/etc/hostname"] {
        if let Ok(text) = std::fs::read_to_string(file) {
            let n = text.trim().to_ascii_lowercase();
            if !n.is_empty() {
                if let Some((short, _)) = n.split_once('.') {
                    names.push(short.to_owned());
                }
                names.push(n);
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Split a `Host` value (or an origin's authority) into its host, lowercase and without
/// brackets, and its port.
fn split_authority(authority: &str) -> Option<(String, Option<u16>)> {
    let a = authority.trim();
    if a.is_empty() {
        return None;
    }
    if let Some(rest) = a.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?.parse().ok()?),
        };
        return Some((host.to_ascii_lowercase(), port));
    }
    match a.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => {
            Some((host.to_ascii_lowercase(), Some(port.parse().ok()?)))
        }
        Some(_) => None,
        None => Some((a.to_ascii_lowercase(), None)),
    }
}

impl WebPolicy {
    /// The machine's names plus `extra` (from `--allow-host`); `tls` when serving HTTPS.
    pub fn new(extra: &[String], tls: bool) -> Result<WebPolicy, GuardError> {
        let mut names = machine_names();
        for n in extra {
            let n = n.trim().to_ascii_lowercase();
            if n.is_empty() || n.contains(['/', ' ', '@', ':']) {
                return Err(GuardError::HostName(n));
            }
            names.push(n);
        }
        names.sort();
        names.dedup();
        Ok(WebPolicy { names, tls })
    }

    /// Whether the server speaks TLS (cookies get `Secure`, answers HSTS).
    pub const fn tls(&self) -> bool {
        self.tls
    }

    /// The names accepted besides IP addresses.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    const fn scheme(&self) -> &'static str {
        if self.tls { "https" } else { "http" }
    }

    const fn default_port(&self) -> u16 {
        if self.tls { 443 } else { 80 }
    }

    /// Whether the request's `Host` names this server. An IP address is always accepted (a
    /// page can only reach the server under an address it already is); a name only if it
    /// is one of the machine's or was allowed.
    pub fn host_allowed(&self, headers: &HeaderMap) -> Result<(), String> {
        let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
            return Err("the request has no Host header".into());
        };
        let Some((name, _)) = split_authority(host) else {
            return Err(format!("the Host header {host:?} is malformed"));
        };
        if name.parse::<IpAddr>().is_ok() || self.names.contains(&name) {
            return Ok(());
        }
        Err(format!(
            "this server does not answer to the name {name:?} (only its addresses and {}); if clients use that name, start the server with --allow-host {name}",
            self.names.join(", ")
        ))
    }

    /// Whether the request's `Origin` (when `required`, or when present) is the server's
    /// own: the scheme it serves, and exactly the host and port of the `Host` header.
    pub fn origin_allowed(&self, headers: &HeaderMap, required: bool) -> Result<(), String> {
        let origin = match headers.get(header::ORIGIN) {
            None if required => return Err("a form post must carry an Origin header".into()),
            None => return Ok(()),
            Some(v) => v
                .to_str()
                .map_err(|_| "the Origin header is not text".to_owned())?,
        };
        let own = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .and_then(split_authority);
        let theirs = origin
            .strip_prefix(self.scheme())
            .and_then(|r| r.strip_prefix("://"))
            .and_then(split_authority);
        match (own, theirs) {
            (Some((h1, p1)), Some((h2, p2)))
                if h1 == h2 && p1.unwrap_or(self.default_port()) == p2.unwrap_or(self.default_port()) =>
            {
                Ok(())
            }
            _ => Err(format!(
                "requests from the web page at {origin} are refused: only the server's own pages may send them"
            )),
        }
    }
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(v.split(';').next()?.trim().to_ascii_lowercase())
}

/// Whether the body is declared `application/json` (parameters such as `charset` allowed).
pub fn is_json(headers: &HeaderMap) -> bool {
    media_type(headers).as_deref() == Some("application/json")
}

/// Whether the body is declared as an urlencoded form.
pub fn is_form(headers: &HeaderMap) -> bool {
    media_type(headers).as_deref() == Some("application/x-www-form-urlencoded")
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, `Path=/`, `Secure` over TLS;
/// `max_age_secs` 0 deletes it.
pub fn set_cookie(policy: &WebPolicy, name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if policy.tls { "; Secure" } else { "" };
    let text = format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("lk_invalid=; Max-Age=0"))
}

/// 32 random bytes as hex.
pub fn random_hex() -> Result<String, GuardError> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| GuardError::Random(e.to_string()))?;
    Ok(hex::encode(raw))
}

/// Whether two byte strings are equal, in time independent of where they differ.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Whether two secrets given as text are equal (constant time in their length).
pub fn same_secret(a: &str, b: &str) -> bool {
    let (x, y): ([u8; 32], [u8; 32]) = (
        Sha256::digest(a.as_bytes()).into(),
        Sha256::digest(b.as_bytes()).into(),
    );
    ct_eq(&x, &y)
}

/// Set the page-protection headers on an answer: the [`CSP`], `X-Frame-Options: DENY`,
/// `Cache-Control: no-store`, `nosniff`, a same-origin referrer policy, and over TLS
/// `Strict-Transport-Security`.
pub fn protect(h: &mut HeaderMap, tls: bool) {
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Not `no-referrer`: under it a browser sends `Origin: null` with a page's own form
    // posts, which the exact Origin check then refuses.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
}

/// Longest request target accepted (414 beyond).
pub const MAX_URI_BYTES: usize = 4096;
/// Most header bytes (names and values) accepted (431 beyond).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Most header fields accepted (431 beyond).
pub const MAX_HEADERS: usize = 64;

/// A refusal of the HTTP layer: the status, a stable code and a message saying what to do.
pub type Refused = (StatusCode, &'static str, String);

/// Refuse oversized request targets and headers with an answer, well below hyper's own
/// parse limits (whose answers have no body).
pub fn check_head<B>(req: &Request<B>) -> Result<(), Refused> {
    let uri = req.uri().to_string().len();
    if uri > MAX_URI_BYTES {
        return Err((
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request target has {uri} bytes; at most {MAX_URI_BYTES} are accepted"),
        ));
    }
    let headers = req.headers();
    let bytes: usize = headers.iter().map(|(k, v)| k.as_str().len() + v.len()).sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return Err((
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!(
                "{} header fields, {bytes} bytes; at most {MAX_HEADERS} fields and {MAX_HEADER_BYTES} bytes are accepted",
                headers.len()
            ),
        ));
    }
    Ok(())
}

/// The code and message for an error answer of the HTTP layers (405 from routing, 408 from
/// a timeout, 413 from a body limit, ...) when it has no JSON body of its own; `None` when
/// the answer is no error or already JSON or a page (`text/html`). `api_doc` names where
/// the API is documented.
pub fn http_layer_error(
    status: StatusCode,
    headers: &HeaderMap,
    api_doc: &str,
) -> Option<(&'static str, String)> {
    if !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if kind.starts_with("application/json") || kind.starts_with("text/html") {
        return None;
    }
    Some(match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            format!("this endpoint does not take this method; see {api_doc} for the API"),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "the request took too long (it must arrive and be answered within the request timeout); send it again".to_owned(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "body_too_large",
            "the body is too large; requests are small JSON documents".to_owned(),
        ),
        StatusCode::BAD_REQUEST => ("invalid_request", "the request is malformed".to_owned()),
        s => ("http_error", format!("HTTP {s}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn hosts_addresses_and_names() {
        let p = WebPolicy::new(&["seats.acme.lan".into()], false).unwrap();
        for ok in [
            "127.0.0.1:7070",
            "[::1]:7070",
            "10.1.2.3",
            "localhost:7070",
            "SEATS.acme.lan:7070",
        ] {
            assert!(p.host_allowed(&headers(&[("host", ok)])).is_ok(), "{ok}");
        }
        for bad in ["evil.example:7070", "127.0.0.1.evil.example", "", "a:b:c"] {
            assert!(p.host_allowed(&headers(&[("host", bad)])).is_err(), "{bad}");
        }
        assert!(p.host_allowed(&HeaderMap::new()).is_err());
        assert!(WebPolicy::new(&["http://x".into()], false).is_err());
        assert!(p.names().contains(&"localhost".to_owned()));
    }

    #[test]
    fn origins_compare_scheme_host_and_port_exactly() {
        let p = WebPolicy::new(&[], false).unwrap();
        let h = |o: &str| headers(&[("host", "127.0.0.1:7070"), ("origin", o)]);
        assert!(p.origin_allowed(&h("http://127.0.0.1:7070"), true).is_ok());
        for bad in [
            "http://127.0.0.1:7071",
            "https://127.0.0.1:7070",
            "http://localhost:7070",
            "http://127.0.0.1",
            "null",
            "http://127.0.0.1:7070.evil",
        ] {
            assert!(p.origin_allowed(&h(bad), false).is_err(), "{bad}");
        }
        let no_origin = headers(&[("host", "127.0.0.1:7070")]);
        assert!(p.origin_allowed(&no_origin, false).is_ok());
        assert!(p.origin_allowed(&no_origin, true).is_err());
        let default_port = headers(&[("host", "seats"), ("origin", "http://seats:80")]);
        assert!(p.origin_allowed(&default_port, true).is_ok());
    }

    #[test]
    fn media_types_and_cookies() {
        assert!(is_json(&headers(&[(
            "content-type",
            "application/json; charset=utf-8"
        )])));
        assert!(!is_json(&headers(&[("content-type", "text/plain")])));
        assert!(!is_json(&HeaderMap::new()));
        assert!(is_form(&headers(&[(
            "content-type",
            "application/x-www-form-urlencoded"
        )])));
        let h = headers(&[("cookie", "a=1; lk_session=abc"), ("cookie", "b=2")]);
        assert_eq!(cookie(&h, "lk_session"), Some("abc"));
        assert_eq!(cookie(&h, "b"), Some("2"));
        assert_eq!(cookie(&h, "c"), None);
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn protection_headers_and_hsts_only_over_tls() {
        let mut h = HeaderMap::new();
        protect(&mut h, false);
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(h[header::CACHE_CONTROL], "no-store");
        assert_eq!(h[header::CONTENT_SECURITY_POLICY], CSP);
        assert!(h.get(header::STRICT_TRANSPORT_SECURITY).is_none());
        protect(&mut h, true);
        assert!(h.get(header::STRICT_TRANSPORT_SECURITY).is_some());
    }

    #[test]
    fn cookies_are_http_only_strict_and_secure_over_tls() {
        let plain = WebPolicy::new(&[], false).unwrap();
        let tls = WebPolicy::new(&[], true).unwrap();
        let c = set_cookie(&plain, "s", "v", 60);
        assert_eq!(c, "s=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=60");
        assert!(
            set_cookie(&tls, "s", "v", 60)
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd"));
        assert!(ct_eq(b"ab", b"ab") && !ct_eq(b"ab", b"abc") && !ct_eq(b"ab", b"ac"));
        let (a, b) = (random_hex().unwrap(), random_hex().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }

    #[test]
    fn oversized_heads_and_layer_errors() {
        let long = format!("/{}", "a".repeat(MAX_URI_BYTES));
        let req = Request::builder().uri(long).body(()).unwrap();
        assert_eq!(check_head(&req).unwrap_err().0, StatusCode::URI_TOO_LONG);
        let mut req = Request::builder().uri("/").body(()).unwrap();
        assert!(check_head(&req).is_ok());
        for i in 0..=MAX_HEADERS {
            req.headers_mut().insert(
                axum::http::HeaderName::from_bytes(format!("x-h{i}").as_bytes()).unwrap(),
                HeaderValue::from_static("1"),
            );
        }
        assert_eq!(
            check_head(&req).unwrap_err().0,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
        );
        let none = HeaderMap::new();
        assert_eq!(
            http_layer_error(StatusCode::METHOD_NOT_ALLOWED, &none, "docs/X.md")
                .unwrap()
                .0,
            "method_not_allowed"
        );
        assert!(http_layer_error(StatusCode::OK, &none, "x").is_none());
        let mut json = HeaderMap::new();
        json.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        assert!(http_layer_error(StatusCode::NOT_FOUND, &json, "x").is_none());
    }
}
