//! `keygen` and `pubkey`: the vendor's signing keys.

use license_issue::KeyError;
use license_issue::{Error, KeyRing, PublicKeyFormat, export_public_keys};
use serde_json::json;

use crate::args::KeyFormat;
use crate::failure::Failure;
use crate::home::Home;
use crate::output::{self, out, outln};

pub fn keygen(home: &Home, rotate: bool, today: license_core::Date, json: bool) -> Result<u8, Failure> {
    let dir = home.keys();
    let ring = if rotate {
        let mut ring = KeyRing::open(&dir)?;
        ring.rotate(today)?;
        ring
    } else {
        KeyRing::create(&dir, today)?
    };
    let entry = ring.current_entry().ok_or_else(|| {
        Error::Key(KeyError::KeyRing {
            path: dir.clone(),
            reason: "no current key after generation".into(),
        })
    })?;
    let hex = hex::encode(entry.public.to_bytes());
    let file = dir.join(&entry.file);
    if json {
        output::json(&json!({
            "key_id": format!("{:02x}", entry.id),
            "public_key": hex,
            "private_key_file": file,
            "keys_in_ring": ring.keys().len(),
        }))?;
    } else {
        outln!("Generated signing key {:#04x} (now the current key).", entry.id);
        output::rows(&[
            (
                "private key",
                format!(
                    "{} (PKCS#8 PEM, mode 0600; back it up, never share it)",
                    file.display()
                ),
            ),
            ("public key", hex),
            ("keys in ring", ring.keys().len().to_string()),
        ]);
        outln!("Embed the public keys in your product: licensectl pubkey --format rust|c|hex");
    }
    Ok(0)
}

pub fn pubkey(home: &Home, format: Option<KeyFormat>, json: bool) -> Result<u8, Failure> {
    let ring = KeyRing::open(&home.keys())?;
    let keys = ring.public_keys();
    if let Some(f) = format {
        let f = match f {
            KeyFormat::Hex => PublicKeyFormat::Hex,
            KeyFormat::Rust => PublicKeyFormat::Rust,
            KeyFormat::C => PublicKeyFormat::C,
        };
        out!("{}", export_public_keys(&keys, f));
        return Ok(0);
    }
    let current = ring.current_entry().map(|e| e.id);
    if json {
        let list: Vec<_> = ring
            .keys()
            .iter()
            .map(|k| {
                json!({
                    "key_id": format!("{:02x}", k.id),
                    "public_key": hex::encode(k.public.to_bytes()),
                    "created": k.created,
                    "current": Some(k.id) == current,
                })
            })
            .collect();
        output::json(&list)?;
    } else {
        let body: Vec<Vec<String>> = ring
            .keys()
            .iter()
            .map(|k| {
                vec![
                    format!("{:02x}", k.id),
                    k.created.to_string(),
                    if Some(k.id) == current {
                        "yes".into()
                    } else {
                        String::new()
                    },
                    hex::encode(k.public.to_bytes()),
                ]
            })
            .collect();
        output::table(&["key id", "created", "current", "public key"], &body);
    }
    Ok(0)
}
