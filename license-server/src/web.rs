//! What keeps web browsers from driving the server (docs/SERVER.md, "Browsers"): the
//! shared `http-guard` crate's [`http_guard::web`] (Host, exact Origin, JSON-only and
//! form-only bodies, cookies, CSRF secrets, page-protection headers), plus the dashboard's
//! sessions, which only this server keeps (in memory).

use std::collections::HashMap;
use std::sync::Mutex;

pub use http_guard::web::{CSP, WebPolicy, cookie, is_form, is_json, same_secret, set_cookie};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// The dashboard session cookie's name.
pub const SESSION_COOKIE: &str = "lk_session";
/// The login form's CSRF cookie's name (double submit: the form carries the same value).
pub const LOGIN_COOKIE: &str = "lk_login";
/// How long a dashboard session lasts (ms).
pub const SESSION_MS: i64 = 8 * 3_600_000;
/// Sessions kept at once (the oldest is dropped beyond this).
pub const MAX_SESSIONS: usize = 32;

impl From<http_guard::GuardError> for Error {
    fn from(e: http_guard::GuardError) -> Self {
        match e {
            http_guard::GuardError::Random(m) => Error::Random(m),
            other => Error::Config(other.to_string()),
        }
    }
}

/// 32 random bytes as hex ([`http_guard::web::random_hex`], with this crate's error).
pub fn random_hex() -> Result<String, Error> {
    Ok(http_guard::web::random_hex()?)
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
