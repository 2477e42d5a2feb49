//! The webhook signature: `Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`,
//! with `Webhook-Timestamp: <Unix seconds>` and `Webhook-Id: <event id>` (docs/NOTIFY.md).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The header with the event's stable id (the receiver deduplicates by it).
pub const HEADER_ID: &str = "Webhook-Id";
/// The header with the time of signing, in Unix seconds.
pub const HEADER_TIMESTAMP: &str = "Webhook-Timestamp";
/// The header with the signature(s): `v1=<64 hex digits>`, several separated by spaces
/// while a secret is being rotated.
pub const HEADER_SIGNATURE: &str = "Webhook-Signature";
/// How far a timestamp may be from the receiver's clock (5 minutes).
pub const TOLERANCE_SECS: i64 = 300;

/// The signature of `body` sent at `timestamp`: `v1=` and the hex HMAC-SHA256 under
/// `secret` of the timestamp's decimal digits, a dot, and the body's exact bytes.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    format!(
        "v1={}",
        hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
    )
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// Why a receiver refuses a webhook.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The timestamp header is not a number.
    #[error("the webhook timestamp is not a number of seconds")]
    BadTimestamp,
    /// The timestamp is too far from now (a replay, or a clock off by minutes).
    #[error("the webhook timestamp is {skew} s away from now: refused as a replay")]
    Stale {
        /// Seconds between the timestamp and now.
        skew: i64,
    },
    /// No `v1=` signature matches.
    #[error("no webhook signature matches: refused")]
    Mismatch,
}

/// A receiver's check: `timestamp` and `signature` are the headers' values, `body` the
/// exact bytes received, `now` the receiver's clock (Unix seconds). Constant-time
/// comparison; any of several space-separated `v1=` signatures may match.
pub fn verify(
    secret: &[u8],
    timestamp: &str,
    body: &[u8],
    signature: &str,
    now: i64,
) -> Result<(), VerifyError> {
    let ts: i64 = timestamp.trim().parse().map_err(|_| VerifyError::BadTimestamp)?;
    let skew = now.saturating_sub(ts).saturating_abs();
    if skew > TOLERANCE_SECS {
        return Err(VerifyError::Stale { skew });
    }
    for sig in signature.split_ascii_whitespace() {
        let Some(hex_sig) = sig.strip_prefix("v1=") else {
            continue;
        };
        let Ok(bytes) = hex::decode(hex_sig) else { continue };
        if mac(secret, ts, body).verify_slice(&bytes).is_ok() {
            return Ok(());
        }
    }
    Err(VerifyError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector of docs/NOTIFY.md, computed independently with Python's `hmac`:
    /// `hmac.new(b"whsec-test-vector-0001", b'1764806400.{"id":"evt_0001","type":"license.created"}', hashlib.sha256).hexdigest()`.
    const VECTOR: (&[u8], i64, &[u8], &str) = (
        b"whsec-test-vector-0001",
        1_764_806_400,
        br#"{"id":"evt_0001","type":"license.created"}"#,
        "v1=06a16b84e9097909b5cb9eea59749822627e8cd93e7d73bf46e188eb8e63cf07",
    );

    #[test]
    fn the_documented_vector_signs_and_verifies() {
        let (secret, ts, body, sig) = VECTOR;
        assert_eq!(sign(secret, ts, body), sig);
        assert_eq!(verify(secret, &ts.to_string(), body, sig, ts + 10), Ok(()));
        // Two signatures during a rotation: the second matches.
        let both = format!("v1={} {sig}", "00".repeat(32));
        assert_eq!(verify(secret, &ts.to_string(), body, &both, ts), Ok(()));
    }

    #[test]
    fn a_changed_byte_another_secret_or_an_old_timestamp_is_refused() {
        let (secret, ts, body, sig) = VECTOR;
        let mut changed = body.to_vec();
        changed[2] ^= 1;
        assert_eq!(
            verify(secret, &ts.to_string(), &changed, sig, ts),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verify(b"other", &ts.to_string(), body, sig, ts),
            Err(VerifyError::Mismatch)
        );
        // The same body and signature with another timestamp: the timestamp is signed.
        assert_eq!(
            verify(secret, &(ts + 1).to_string(), body, sig, ts),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(
            verify(secret, &ts.to_string(), body, sig, ts + TOLERANCE_SECS + 1),
            Err(VerifyError::Stale {
                skew: TOLERANCE_SECS + 1
            })
        );
        assert_eq!(
            verify(secret, "soon", body, sig, ts),
            Err(VerifyError::BadTimestamp)
        );
        assert_eq!(
            verify(secret, &ts.to_string(), body, "v0=00", ts),
            Err(VerifyError::Mismatch)
        );
    }
}
