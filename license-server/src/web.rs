//! What keeps web browsers from driving the server (docs/SERVER.md, "Browsers"):
//!
//! - the `Host` header must name this server (an IP address, `localhost`, the machine's own
//!   names, or a name given with `--allow-host`), so a DNS-rebinding page cannot reach it
//!   under the attacker's name;
//! - a request carrying an `Origin` must come from the server's own origin (scheme, host and
//!   port compared exactly; a page on another port of the same host is another origin);
//! - the JSON API's state-changing endpoints take only `Content-Type: application/json`,
//!   which a page cannot send cross-origin without a CORS preflight the server never grants;
//! - the dashboard's session is a cookie (`HttpOnly`, `SameSite=Strict`) from a login form,
//!   and every form post carries a CSRF token and an exact `Origin`;
//! - every answer carries a Content-Security-Policy, `X-Frame-Options: DENY` and
//!   `Cache-Control: no-store`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};

use crate::book::ct_eq;
use crate::error::Error;

/// The Content-Security-Policy of every answer: no script at all, styles only inline (the
/// dashboard's), images only from the page itself, forms only to the server, no framing.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The dashboard session cookie's name.
pub const SESSION_COOKIE: &str = "lk_session";
/// The login form's CSRF cookie's name (double submit: the form carries the same value).
pub const LOGIN_COOKIE: &str = "lk_login";
/// How long a dashboard session lasts (ms).
pub const SESSION_MS: i64 = 8 * 3_600_000;
/// Sessions kept at once (the oldest is dropped beyond this).
pub const MAX_SESSIONS: usize = 32;

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
    pub fn new(extra: &[String], tls: bool) -> Result<WebPolicy, Error> {
        let mut names = machine_names();
        for n in extra {
            let n = n.trim().to_ascii_lowercase();
            if n.is_empty() || n.contains(['/', ' ', '@', ':']) {
                return Err(Error::Config(format!(
                    "--allow-host {n:?}: give a host name as clients write it in the server's URL (no scheme, port or path)"
                )));
            }
            names.push(n);
        }
        names.sort();
        names.dedup();
        Ok(WebPolicy { names, tls })
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
pub fn random_hex() -> Result<String, Error> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| Error::Random(e.to_string()))?;
    Ok(hex::encode(raw))
}

/// Whether two secrets given as text are equal (constant time in their length).
pub fn same_secret(a: &str, b: &str) -> bool {
    let (x, y): ([u8; 32], [u8; 32]) = (
        Sha256::digest(a.as_bytes()).into(),
        Sha256::digest(b.as_bytes()).into(),
    );
    ct_eq(&x, &y)
}

#[derive(Clone, Debug)]
struct Session {
    expires_ms: i64,
    csrf: String,
}

/// The dashboard's sessions, kept in memory only (a restart logs everyone out), by the
/// SHA-256 of the cookie's value.
#[derive(Debug, Default)]
pub struct Sessions {
    map: Mutex<HashMap<[u8; 32], Session>>,
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

impl Sessions {
    /// A new session: (cookie value, CSRF token for its forms).
    pub fn create(&self, now_ms: i64) -> Result<(String, String), Error> {
        let token = random_hex()?;
        let csrf = random_hex()?;
        let mut map = self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, s| s.expires_ms > now_ms);
        while map.len() >= MAX_SESSIONS {
            let oldest = map.iter().min_by_key(|(_, s)| s.expires_ms).map(|(k, _)| *k);
            match oldest {
                Some(k) => map.remove(&k),
                None => break,
            };
        }
        map.insert(
            digest(&token),
            Session {
                expires_ms: now_ms + SESSION_MS,
                csrf: csrf.clone(),
            },
        );
        Ok((token, csrf))
    }

    /// The CSRF token of the live session the cookie value names.
    pub fn csrf(&self, token: &str, now_ms: i64) -> Option<String> {
        let map = self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&digest(token))
            .filter(|s| s.expires_ms > now_ms)
            .map(|s| s.csrf.clone())
    }

    /// End the session.
    pub fn remove(&self, token: &str) {
        let mut map = self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(&digest(token));
    }
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

    #[test]
    fn sessions_expire_and_are_bounded() {
        let s = Sessions::default();
        let (t, csrf) = s.create(0).unwrap();
        assert_eq!(s.csrf(&t, 1), Some(csrf));
        assert_eq!(s.csrf(&t, SESSION_MS), None);
        assert_eq!(s.csrf("not-a-session", 1), None);
        let tokens: Vec<String> = (0..MAX_SESSIONS + 3)
            .map(|i| s.create(i as i64).unwrap().0)
            .collect();
        assert_eq!(s.csrf(&tokens[0], 100), None, "the oldest was dropped");
        assert!(s.csrf(&tokens[MAX_SESSIONS + 2], 100).is_some());
        s.remove(&tokens[MAX_SESSIONS + 2]);
        assert!(s.csrf(&tokens[MAX_SESSIONS + 2], 100).is_none());
    }
}
