//! A vendor public key written as text, in every form the vendor's tools print it: 64 hex
//! digits, or the key id and the key (`2f 44e0...`, one line of `licensectl pubkey
//! --format hex`), so that what one tool prints the next one accepts as printed.

use crate::key::PublicKey;

/// Why a text is not a public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PublicKeyTextError {
    /// The key is not 64 hex digits long.
    #[error(
        "a public key has 64 hex digits, optionally after its 2-digit key id (as the vendor's key export prints it); this one has {found}"
    )]
    WrongLength {
        /// Hex digits found in the key part.
        found: usize,
    },
    /// A character that is not a hex digit.
    #[error("a public key is written in hex digits 0-9, a-f: '{character}' is not one")]
    NotHex {
        /// The character.
        character: char,
    },
    /// The key id in front of the key is not that key's id: the line was altered, or ids
    /// and keys were mixed up.
    #[error(
        "the key id {given:02x} in front of the key is not its id ({actual:02x}): copy the whole line again"
    )]
    IdMismatch {
        /// The id written.
        given: u8,
        /// The key's id.
        actual: u8,
    },
    /// 64 hex digits that are not a usable Ed25519 public key.
    #[error("the public key is invalid (64 hex digits, but not an Ed25519 public key): copy the key again")]
    InvalidKey,
}

fn hex_bytes<const N: usize>(text: &str) -> Result<[u8; N], PublicKeyTextError> {
    if let Some(c) = text.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(PublicKeyTextError::NotHex { character: c });
    }
    if text.len() != 2 * N {
        return Err(PublicKeyTextError::WrongLength { found: text.len() });
    }
    let mut out = [0u8; N];
    hex::decode_to_slice(text, &mut out).map_err(|e| match e {
        hex::FromHexError::InvalidHexCharacter { c, .. } => PublicKeyTextError::NotHex { character: c },
        _ => PublicKeyTextError::WrongLength { found: text.len() },
    })?;
    Ok(out)
}

impl PublicKey {
    /// Read a public key written as 64 hex digits, or as the key id (2 hex digits), white
    /// space and the 64 digits: one line of the vendor's hex export. Surrounding white
    /// space is ignored; a key id is checked against the key.
    pub fn from_hex(text: &str) -> Result<PublicKey, PublicKeyTextError> {
        let text = text.trim();
        let (id, key) = match text.split_once(|c: char| c.is_ascii_whitespace()) {
            Some((id, key)) => (Some(id), key.trim_start()),
            None => (None, text),
        };
        if key.chars().any(|c| c.is_ascii_whitespace()) {
            let found = text.chars().filter(char::is_ascii_hexdigit).count();
            return Err(PublicKeyTextError::WrongLength { found });
        }
        let bytes = hex_bytes::<32>(key)?;
        let public = PublicKey::from_bytes(&bytes).map_err(|_| PublicKeyTextError::InvalidKey)?;
        if let Some(id) = id {
            let [given] = hex_bytes::<1>(id).map_err(|e| match e {
                PublicKeyTextError::WrongLength { .. } => PublicKeyTextError::WrongLength {
                    found: id.len() + key.len(),
                },
                other => other,
            })?;
            if given != public.id() {
                return Err(PublicKeyTextError::IdMismatch {
                    given,
                    actual: public.id(),
                });
            }
        }
        Ok(public)
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    fn key() -> PublicKey {
        PublicKey::from(ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key())
    }

    fn hex(bytes: &[u8]) -> String {
        hex::encode(bytes)
    }

    #[test]
    fn every_printed_form_is_read() {
        let k = key();
        let plain = hex(&k.to_bytes());
        let line = format!("{:02x} {plain}", k.id());
        for text in [
            plain.clone(),
            plain.to_uppercase(),
            format!("  {plain}\n"),
            line.clone(),
            format!("{line}\n"),
            format!("{:02X}\t{}", k.id(), plain.to_uppercase()),
        ] {
            assert_eq!(PublicKey::from_hex(&text), Ok(k), "{text:?}");
        }
    }

    #[test]
    fn wrong_texts_say_why() {
        let k = key();
        let plain = hex(&k.to_bytes());
        assert_eq!(
            PublicKey::from_hex(&plain[..62]),
            Err(PublicKeyTextError::WrongLength { found: 62 })
        );
        assert_eq!(
            PublicKey::from_hex(&format!("{plain}00")),
            Err(PublicKeyTextError::WrongLength { found: 66 })
        );
        assert_eq!(
            PublicKey::from_hex(&format!("g{}", &plain[1..])),
            Err(PublicKeyTextError::NotHex { character: 'g' })
        );
        let other = k.id().wrapping_add(1);
        assert_eq!(
            PublicKey::from_hex(&format!("{other:02x} {plain}")),
            Err(PublicKeyTextError::IdMismatch {
                given: other,
                actual: k.id()
            })
        );
        assert!(matches!(
            PublicKey::from_hex(&format!("{:02x} {} {}", k.id(), &plain[..32], &plain[32..])),
            Err(PublicKeyTextError::WrongLength { .. })
        ));
        // The identity point is a weak key.
        let mut weak = [0u8; 32];
        weak[0] = 1;
        assert_eq!(
            PublicKey::from_hex(&hex(&weak)),
            Err(PublicKeyTextError::InvalidKey)
        );
        assert!(
            PublicKeyTextError::WrongLength { found: 67 }
                .to_string()
                .contains("64 hex digits")
        );
    }
}
