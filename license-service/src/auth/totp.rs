//! TOTP (RFC 6238): HMAC-SHA1 over the 30-second step, dynamic truncation (RFC 4226) to 6
//! digits. The HMAC and SHA-1 are RustCrypto's `hmac` and `sha1` (the family of the `sha2`
//! the workspace already uses); this file is the arithmetic. A code is accepted for the
//! step before, the step and the step after (clock skew), and each step only once per
//! account (the store keeps the last step used).

use hmac::{KeyInit, Mac};

use crate::error::StoreError;

/// Seconds per step.
pub const STEP: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A fresh 160-bit secret, in base32 as authenticator apps take it.
pub fn new_secret() -> Result<String, StoreError> {
    let mut raw = [0u8; 20];
    getrandom::fill(&mut raw).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(base32(&raw))
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(B32[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(B32[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn unbase32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| *c != b'=' && *c != b' ') {
        let v = B32.iter().position(|&x| x == c.to_ascii_uppercase())? as u32;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The code of `secret` (base32) for step `counter` (RFC 4226's HOTP).
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    let Ok(mut mac) = hmac::Hmac::<sha1::Sha1>::new_from_slice(secret) else {
        return u32::MAX;
    };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    bin % 10u32.pow(DIGITS)
}

/// The step a code for `secret` matches at `now_secs` (one step of skew either way),
/// if any.
pub fn matching_step(secret_b32: &str, code: &str, now_secs: i64) -> Option<i64> {
    let secret = unbase32(secret_b32)?;
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let given: u32 = code.parse().ok()?;
    let step = now_secs.div_euclid(STEP);
    (step - 1..=step + 1).find(|&s| s >= 0 && hotp(&secret, s as u64) == given)
}

/// The code for `secret_b32` at `now_secs` (tests, and the bootstrap's first check).
pub fn code_at(secret_b32: &str, now_secs: i64) -> Option<String> {
    let secret = unbase32(secret_b32)?;
    Some(format!("{:06}", hotp(&secret, now_secs.div_euclid(STEP) as u64)))
}

/// The `otpauth://` URI an authenticator app reads (as a QR code).
pub fn uri(secret_b32: &str, account: &str) -> String {
    let label: String = account
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"@.-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!(
        "otpauth://totp/license-service:{label}?secret={secret_b32}&issuer=license-service&algorithm=SHA1&digits=6&period=30"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 vectors (8 digits there; the last 6 here).
    #[test]
    fn rfc6238_vectors() {
        let secret = b"12345678901234567890";
        for (t, code8) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(secret, t / 30), code8 % 1_000_000, "t={t}");
        }
    }

    #[test]
    fn skew_of_one_step_and_base32() {
        let s = base32(b"12345678901234567890");
        assert_eq!(s, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(unbase32(&s).unwrap(), b"12345678901234567890");
        let now = 1_700_000_000;
        let c = code_at(&s, now).unwrap();
        assert_eq!(matching_step(&s, &c, now), Some(now / 30));
        assert_eq!(matching_step(&s, &c, now + 30), Some(now / 30));
        assert_eq!(matching_step(&s, &c, now + 90), None);
        assert_eq!(matching_step(&s, "12345", now), None);
        assert_eq!(matching_step(&s, "abcdef", now), None);
        assert!(new_secret().unwrap().len() == 32);
        assert!(uri(&s, "a b@x").contains("a%20b@x"));
    }
}
