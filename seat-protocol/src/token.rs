//! The lease token: what the server signs about a lease, verified by the client offline.
//!
//! Layout (`docs/SERVER.md`, "The lease token"): base64url (no padding) of the body followed
//! by a 64-byte Ed25519 signature over [`TOKEN_DOMAIN`] `||` body.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, VerifyingKey};

/// First bytes of every lease token.
pub const TOKEN_MAGIC: &[u8; 4] = b"LKL1";
/// Domain separation: prefixed to the token's bytes before signing.
pub const TOKEN_DOMAIN: &[u8] = b"license-kit lease token v1\0";
/// Longest token text accepted.
pub const MAX_TOKEN_TEXT: usize = 1024;
/// Longest holder, user, machine or product field in a token (bytes).
pub const MAX_TOKEN_FIELD: usize = 255;

/// Why a lease token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a lease token (damaged or not one at all).
    #[error("the lease token is malformed ({0})")]
    Malformed(&'static str),
    /// The signature does not verify: forged or altered.
    #[error("the lease token's signature does not verify: forged or altered")]
    Forged,
    /// Issued for another holder.
    #[error("the lease token is for holder {token:?}, not {expected:?}")]
    OtherHolder {
        /// Holder in the token.
        token: String,
        /// Holder expected.
        expected: String,
    },
    /// Issued for another product.
    #[error("the lease token is for product {token:?}, not {expected:?}")]
    OtherProduct {
        /// Product in the token.
        token: String,
        /// Product expected.
        expected: String,
    },
    /// Expired.
    #[error("the lease token expired {ago_secs} s ago; acquire a seat again")]
    Expired {
        /// Seconds since expiry.
        ago_secs: i64,
    },
}

/// What a lease token states, signed by the server.
#[derive(Clone, PartialEq, Eq)]
pub struct LeaseClaims {
    /// The server's Ed25519 public key (the token's signer).
    pub server_key: [u8; 32],
    /// The lease id (with the holder proof: public, bound to the holder's key).
    pub lease_id: [u8; 16],
    /// The server's clock when it signed the token (ms since the Unix epoch): a time the
    /// client may take as a floor for its own clock (`docs/SECURITY.md`).
    pub issued_ms: i64,
    /// When the lease runs out unless renewed (ms since the Unix epoch).
    pub expires_ms: i64,
    /// A borrowed lease (checked out for days).
    pub borrowed: bool,
    /// The holder id.
    pub holder: String,
    /// The client machine named at acquire.
    pub machine: String,
    /// The product the server serves.
    pub product: String,
}

impl fmt::Debug for LeaseClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeaseClaims")
            .field("server_key", &hex::encode(self.server_key))
            .field("lease_id", &"***OMITTED***")
            .field("issued_ms", &self.issued_ms)
            .field("expires_ms", &self.expires_ms)
            .field("borrowed", &self.borrowed)
            .field("holder", &self.holder)
            .field("machine", &self.machine)
            .field("product", &self.product)
            .finish()
    }
}

impl LeaseClaims {
    /// The token's bytes without the signature; `None` when a field is longer than
    /// [`MAX_TOKEN_FIELD`].
    pub fn body(&self) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(128);
        out.extend_from_slice(TOKEN_MAGIC);
        out.extend_from_slice(&self.server_key);
        out.extend_from_slice(&self.lease_id);
        out.extend_from_slice(&self.issued_ms.to_be_bytes());
        out.extend_from_slice(&self.expires_ms.to_be_bytes());
        out.push(u8::from(self.borrowed));
        for field in [&self.holder, &self.machine, &self.product] {
            out.push(u8::try_from(field.len()).ok()?);
            out.extend_from_slice(field.as_bytes());
        }
        Some(out)
    }

    /// What the server signs: [`TOKEN_DOMAIN`] followed by the body.
    pub fn signing_input(body: &[u8]) -> Vec<u8> {
        let mut m = Vec::with_capacity(TOKEN_DOMAIN.len() + body.len());
        m.extend_from_slice(TOKEN_DOMAIN);
        m.extend_from_slice(body);
        m
    }

    /// The token text: base64url (no padding) of the body followed by the signature.
    pub fn token_text(body: &[u8], signature: &[u8; 64]) -> String {
        let mut all = Vec::with_capacity(body.len() + 64);
        all.extend_from_slice(body);
        all.extend_from_slice(signature);
        URL_SAFE_NO_PAD.encode(all)
    }

    /// Sign these claims with the server's key: the token text; `None` when a field is
    /// longer than [`MAX_TOKEN_FIELD`].
    pub fn sign(&self, key: &ed25519_dalek::SigningKey) -> Option<String> {
        use ed25519_dalek::Signer;
        let body = self.body()?;
        let sig = key.sign(&Self::signing_input(&body)).to_bytes();
        Some(Self::token_text(&body, &sig))
    }
}

/// A lease token as received: nothing in it is trusted until [`verify_at`](Self::verify_at).
#[derive(Clone, Debug)]
pub struct UntrustedLeaseToken {
    claims: LeaseClaims,
    body: Vec<u8>,
    signature: [u8; 64],
}

fn take<'a>(input: &mut &'a [u8], n: usize) -> Result<&'a [u8], TokenError> {
    if input.len() < n {
        return Err(TokenError::Malformed("cut short"));
    }
    let (head, tail) = input.split_at(n);
    *input = tail;
    Ok(head)
}

fn take_array<const N: usize>(input: &mut &[u8]) -> Result<[u8; N], TokenError> {
    let mut a = [0; N];
    a.copy_from_slice(take(input, N)?);
    Ok(a)
}

fn take_str(input: &mut &[u8]) -> Result<String, TokenError> {
    let [len] = take_array::<1>(input)?;
    let bytes = take(input, usize::from(len))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| TokenError::Malformed("a text field is not UTF-8"))
}

impl UntrustedLeaseToken {
    /// Decode a token's text form.
    pub fn parse(text: &str) -> Result<UntrustedLeaseToken, TokenError> {
        let text = text.trim();
        if text.len() > MAX_TOKEN_TEXT {
            return Err(TokenError::Malformed("longer than any lease token"));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| TokenError::Malformed("not base64url"))?;
        if bytes.len() < 64 {
            return Err(TokenError::Malformed("cut short"));
        }
        let (body, sig) = bytes.split_at(bytes.len() - 64);
        let mut input = body;
        if take(&mut input, 4)? != TOKEN_MAGIC {
            return Err(TokenError::Malformed("not a lease token (wrong magic)"));
        }
        let server_key = take_array::<32>(&mut input)?;
        let lease_id = take_array::<16>(&mut input)?;
        let issued_ms = i64::from_be_bytes(take_array::<8>(&mut input)?);
        let expires_ms = i64::from_be_bytes(take_array::<8>(&mut input)?);
        let borrowed = match take_array::<1>(&mut input)? {
            [0] => false,
            [1] => true,
            _ => return Err(TokenError::Malformed("unknown lease kind")),
        };
        let holder = take_str(&mut input)?;
        let machine = take_str(&mut input)?;
        let product = take_str(&mut input)?;
        if !input.is_empty() {
            return Err(TokenError::Malformed("trailing bytes"));
        }
        let mut signature = [0; 64];
        signature.copy_from_slice(sig);
        Ok(UntrustedLeaseToken {
            claims: LeaseClaims {
                server_key,
                lease_id,
                issued_ms,
                expires_ms,
                borrowed,
                holder,
                machine,
                product,
            },
            body: body.to_vec(),
            signature,
        })
    }

    /// The claims, unverified (for support tools, and to check the server key first).
    pub const fn unverified_claims(&self) -> &LeaseClaims {
        &self.claims
    }

    /// Verify at `now_ms`: the signature is the key's the token names, the token is for
    /// `holder` and `product`, and it has not expired. Whether that key is a licensed
    /// server is the caller's to check first (the client's server-key check).
    pub fn verify_at(self, product: &str, holder: &str, now_ms: i64) -> Result<LeaseClaims, TokenError> {
        let key = VerifyingKey::from_bytes(&self.claims.server_key).map_err(|_| TokenError::Forged)?;
        let signature = Signature::from_bytes(&self.signature);
        key.verify_strict(&LeaseClaims::signing_input(&self.body), &signature)
            .map_err(|_| TokenError::Forged)?;
        if self.claims.product != product {
            return Err(TokenError::OtherProduct {
                token: self.claims.product,
                expected: product.into(),
            });
        }
        if self.claims.holder != holder {
            return Err(TokenError::OtherHolder {
                token: self.claims.holder,
                expected: holder.into(),
            });
        }
        if now_ms >= self.claims.expires_ms {
            return Err(TokenError::Expired {
                ago_secs: (now_ms - self.claims.expires_ms) / 1000,
            });
        }
        Ok(self.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn claims(key: &SigningKey) -> LeaseClaims {
        LeaseClaims {
            server_key: key.verifying_key().to_bytes(),
            lease_id: [9; 16],
            issued_ms: 1_000,
            expires_ms: 61_000,
            borrowed: false,
            holder: "ws-17".into(),
            machine: "ws-17.acme.lan".into(),
            product: "cad".into(),
        }
    }

    #[test]
    fn token_round_trips_and_verifies() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let c = claims(&key);
        let t = c.sign(&key).unwrap();
        let got = UntrustedLeaseToken::parse(&t)
            .unwrap()
            .verify_at("cad", "ws-17", 60_999)
            .unwrap();
        assert_eq!(got, c);
    }

    #[test]
    fn forged_expired_other_holder_are_refused() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let c = claims(&key);
        let t = c.sign(&key).unwrap();
        let parse = |t: &str| UntrustedLeaseToken::parse(t).unwrap();
        assert!(matches!(
            parse(&t).verify_at("cad", "ws-17", 61_000),
            Err(TokenError::Expired { .. })
        ));
        assert!(matches!(
            parse(&t).verify_at("cad", "ws-18", 2_000),
            Err(TokenError::OtherHolder { .. })
        ));
        assert!(matches!(
            parse(&t).verify_at("erp", "ws-17", 2_000),
            Err(TokenError::OtherProduct { .. })
        ));
        let mut later = c.clone();
        later.expires_ms += 3_600_000;
        let body = later.body().unwrap();
        let old_sig: [u8; 64] = URL_SAFE_NO_PAD.decode(&t).unwrap()[body.len()..]
            .try_into()
            .unwrap();
        let forged = LeaseClaims::token_text(&body, &old_sig);
        assert_eq!(
            parse(&forged).verify_at("cad", "ws-17", 2_000),
            Err(TokenError::Forged)
        );
    }

    #[test]
    fn malformed_tokens_are_typed_errors() {
        for bad in ["", "!!!", "AAAA", &"A".repeat(2000)] {
            assert!(
                matches!(UntrustedLeaseToken::parse(bad), Err(TokenError::Malformed(_))),
                "{bad:?}"
            );
        }
        let key = SigningKey::from_bytes(&[3; 32]);
        let mut bytes = URL_SAFE_NO_PAD.decode(claims(&key).sign(&key).unwrap()).unwrap();
        bytes.insert(100, 0);
        assert!(UntrustedLeaseToken::parse(&URL_SAFE_NO_PAD.encode(&bytes)).is_err());
    }
}
