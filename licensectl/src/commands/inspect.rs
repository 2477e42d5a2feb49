//! `inspect`: a code in plain words, its signature checked on request.

use license_core::{License, PublicKey, UntrustedCode};
use license_issue::{FileLedger, Ledger, Scope, SignedFor, describe, parse_hex32, verify_signature};
use serde_json::json;

use crate::args::InspectArgs;
use crate::failure::Failure;
use crate::home::Home;
use crate::output::{self, outln};

/// Verification context for `inspect --verify`: flags first, then the ledger.
struct Found {
    product: Option<String>,
    licensee: Option<String>,
    database: Option<String>,
}

fn from_ledger(home: &Home, l: &License) -> Result<Found, Failure> {
    let mut found = Found {
        product: None,
        licensee: None,
        database: None,
    };
    if !home.ledger().exists() {
        return Ok(found);
    }
    let ledger = FileLedger::open(&home.ledger())?;
    if let Some(r) = ledger
        .records_of(l.license_id)?
        .into_iter()
        .find(|r| r.code.is_some() && r.license == *l)
    {
        found = Found {
            product: Some(r.product),
            licensee: Some(r.licensee),
            database: r.database,
        };
    }
    Ok(found)
}

pub fn inspect(home: &Home, a: &InspectArgs, today: license_core::Date, json: bool) -> Result<u8, Failure> {
    let code = UntrustedCode::parse(&a.code)?;
    let l = *code.unverified_license();
    let ledger = from_ledger(home, &l)?;
    let product = a.product.clone().or(ledger.product);
    let catalogs = home.catalogs_or_warn();
    let catalog = match &product {
        Some(p) => catalogs.get(p).ok().cloned(),
        None => catalogs.only().cloned(),
    };
    let verify = a.verify || a.public_key.is_some();
    let mut rows = describe(&l, catalog.as_ref(), Some(today));
    rows.insert(0, ("key id", format!("{:#04x}", code.key_id())));
    if !verify {
        if json {
            output::json(&json!({
                "verified": false,
                "key_id": code.key_id(),
                "scope": Scope::new(&l, catalog.as_ref()),
            }))?;
        } else {
            outln!("UNVERIFIED: decoded without checking the signature; grant nothing from it.");
            output::rows(&rows);
        }
        return Ok(0);
    }
    let keys: Vec<PublicKey> = match &a.public_key {
        Some(hex) => {
            let bytes = parse_hex32(hex)
                .ok_or_else(|| Failure::Usage("--public-key must be 64 hex digits".into()))?;
            vec![PublicKey::from_bytes(&bytes)?]
        }
        None => home.vendor_keys()?,
    };
    let product = product
        .or_else(|| catalog.as_ref().map(|c| c.product().to_owned()))
        .ok_or_else(|| Failure::Usage("the product is unknown: give --product".into()))?;
    let licensee = a.licensee.clone().or(ledger.licensee).ok_or_else(|| {
        Failure::Usage("the licensee is unknown (not in this ledger): give --licensee".into())
    })?;
    let database = a.database.clone().or(ledger.database);
    // The vendor checks the signature here, not the customer's machine.
    let signed_for = SignedFor {
        product: &product,
        licensee: &licensee,
        database: database.as_deref(),
    };
    let verified = verify_signature(&code, &keys, signed_for)?;
    let listed = revocation_status(&a.revocation_lists, &keys, &product, verified.license())?;
    if json {
        output::json(&json!({
            "verified": true,
            "key_id": verified.key_id(),
            "product": product,
            "licensee": licensee,
            "database": database,
            "scope": Scope::new(verified.license(), catalog.as_ref()),
            "revocation": listed.as_ref().map(|(word, sequence, words)| json!({
                "status": word,
                "list_sequence": sequence,
                "words": words,
            })),
        }))?;
    } else {
        outln!(
            "VERIFIED: signed by key {:#04x} for product {product}, licensee {licensee}{}.",
            verified.key_id(),
            database.map(|d| format!(", database {d}")).unwrap_or_default()
        );
        if l.binding.machine.is_some() {
            outln!("(The machine binding is checked on the customer's machine: licensectl verify.)");
        }
        if let Some((_, _, words)) = &listed {
            outln!("{words}");
        } else if !a.revocation_lists.is_empty() {
            outln!("Not on the revocation list given.");
        }
        output::rows(&rows);
    }
    Ok(if listed.is_some() { 1 } else { 0 })
}

/// Whether the revocation lists in `paths` (each verified with `keys` for `product`)
/// revoke this revision: `("revoked" | "superseded", list number, plain words)`.
fn revocation_status(
    paths: &[std::path::PathBuf],
    keys: &[PublicKey],
    product: &str,
    l: &License,
) -> Result<Option<(&'static str, u64, String)>, Failure> {
    let mut found = None;
    for path in paths {
        let bytes = std::fs::read(path).map_err(|source| license_issue::Error::Io {
            path: path.clone(),
            source,
        })?;
        let list = license_core::UntrustedRevocationList::parse(&bytes)?.verify(keys, product)?;
        let Some(entry) = list.entry(l.license_id) else {
            continue;
        };
        if !entry.covers(l.license_id, l.revision) {
            continue;
        }
        let seq = list.sequence();
        found = Some(match entry.revisions {
            license_core::RevokedRevisions::All => (
                "revoked",
                seq,
                format!(
                    "REVOKED: revocation list {seq} revokes license {} (every revision); the installation refuses this code.",
                    l.license_id
                ),
            ),
            license_core::RevokedRevisions::UpTo(last) => (
                "superseded",
                seq,
                format!(
                    "SUPERSEDED: revocation list {seq} revokes revisions up to {last} of license {}, replaced by a later revision; the installation refuses this code.",
                    l.license_id
                ),
            ),
        });
    }
    Ok(found)
}
