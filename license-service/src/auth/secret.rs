//! Random tokens (sessions, API tokens, e-mailed links): 32 random bytes shown once as
//! text, stored only as their SHA-256, so a copy of the database grants nothing.

use sha2::{Digest, Sha256};

use crate::error::StoreError;

/// A fresh token with `prefix` (`lks_` sessions, `lkt_` API tokens, `lkm_` mailed links).
pub fn token(prefix: &str) -> Result<String, StoreError> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(format!("{prefix}{}", hex::encode(raw)))
}

/// The stored form of a token.
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_as_digests() {
        let (a, b) = (token("lkt_").unwrap(), token("lkt_").unwrap());
        assert!(a.starts_with("lkt_") && a.len() == 68);
        assert_ne!(a, b);
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), digest(&b));
        assert!(!hex::encode(digest(&a)).contains(&a[4..]));
    }
}
