//! Re-validating many codes at once, as an issuing backend does over its ledger:
//! Ed25519 batch verification against one by one.
//!
//! license-core keeps the signed message private; it is rebuilt here from the format
//! (`docs/FORMAT.md`, "Signed message"): domain, then product, normalized licensee and
//! normalized database code (each as one length byte and the bytes), then the payload.
//! Every rebuilt message is checked against `verify_strict` in the tests, so a drift
//! from the format fails loudly.

use ed25519_dalek::{Signature, VerifyingKey};
use license_core::{Context, PublicKey, SIGNATURE_LEN, UntrustedCode};

use crate::error::Error;

const DOMAIN_LICENSE: &[u8] = b"license-core/v1 license\0";

fn push_field(out: &mut Vec<u8>, bytes: impl Iterator<Item = u8>) -> Result<(), Error> {
    let at = out.len();
    out.push(0);
    out.extend(bytes);
    let n = out.len() - at - 1;
    out[at] = u8::try_from(n).map_err(|_| license_core::Error::ContextTooLong { max: 255 })?;
    Ok(())
}

/// The exact message the signature of `code` covers for the installation `ctx`.
pub fn signed_message(code: &UntrustedCode, ctx: &Context<'_>) -> Result<Vec<u8>, Error> {
    let bytes = code.as_bytes();
    let payload = &bytes[..bytes.len() - SIGNATURE_LEN];
    let mut m = Vec::with_capacity(DOMAIN_LICENSE.len() + 3 + 3 * 32 + payload.len());
    m.extend_from_slice(DOMAIN_LICENSE);
    push_field(&mut m, ctx.product.bytes())?;
    let mut licensee = Vec::new();
    for (i, word) in ctx.licensee.split_ascii_whitespace().enumerate() {
        if i > 0 {
            licensee.push(b' ');
        }
        licensee.extend(word.bytes().map(|c| c.to_ascii_lowercase()));
    }
    push_field(&mut m, licensee.into_iter())?;
    let database = match (code.unverified_license().binding.database, ctx.database) {
        (false, _) => "",
        (true, Some(db)) => db,
        (true, None) => return Err(license_core::Error::DatabaseCodeRequired.into()),
    };
    push_field(
        &mut m,
        database
            .bytes()
            .filter(|c| !(c.is_ascii_whitespace() || *c == b'-'))
            .map(|c| c.to_ascii_uppercase()),
    )?;
    m.extend_from_slice(payload);
    Ok(m)
}

/// The signature at the end of a code.
pub fn signature_of(code: &UntrustedCode) -> Signature {
    let bytes = code.as_bytes();
    let mut sig = [0u8; SIGNATURE_LEN];
    sig.copy_from_slice(&bytes[bytes.len() - SIGNATURE_LEN..]);
    Signature::from_bytes(&sig)
}

/// One installation's entry in the backend's ledger: the code and what it is bound to.
#[derive(Clone, Debug)]
pub struct LedgerEntry {
    /// The code text.
    pub code: String,
    /// Product id.
    pub product: String,
    /// Licensee.
    pub licensee: String,
}

impl LedgerEntry {
    fn context(&self) -> Context<'_> {
        Context::new(&self.product, &self.licensee)
    }
}

/// Parse and fully verify every entry, one after the other (signature with
/// `verify_strict`, hints, bindings). Returns how many verified.
pub fn revalidate_one_by_one(entries: &[LedgerEntry], keys: &[PublicKey]) -> Result<usize, Error> {
    for e in entries {
        UntrustedCode::parse(&e.code)?.verify(keys, &e.context())?;
    }
    Ok(entries.len())
}

/// Parse every entry and check all signatures in one Ed25519 batch verification.
/// On failure the caller falls back to [`revalidate_one_by_one`] to name the bad entry.
///
/// Batch verification accepts what the cofactored equation accepts; the codes in a
/// backend's own ledger were made by its own signer, so this is a consistency check,
/// not the verifier a customer's installation runs (that is `verify_strict`).
pub fn revalidate_batch(entries: &[LedgerEntry], key: &PublicKey) -> Result<usize, Error> {
    let mut messages = Vec::with_capacity(entries.len());
    let mut signatures = Vec::with_capacity(entries.len());
    for e in entries {
        let code = UntrustedCode::parse(&e.code)?;
        if code.key_id() != key.id() {
            return Err(license_core::Error::UnknownKey {
                key_id: code.key_id(),
            }
            .into());
        }
        messages.push(signed_message(&code, &e.context())?);
        signatures.push(signature_of(&code));
    }
    let refs: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
    let keys: Vec<VerifyingKey> = vec![*key.verifying_key(); entries.len()];
    ed25519_dalek::verify_batch(&refs, &signatures, &keys).map_err(|_| license_core::Error::BadSignature)?;
    Ok(entries.len())
}

/// `n` codes of the reference shape for `n` customers (distinct license ids and
/// licensees, unbound to machines: the backend re-checks what it signed), as a ledger.
pub fn ledger(r: &crate::fixture::Reference, n: usize) -> Result<Vec<LedgerEntry>, Error> {
    (0..n)
        .map(|i| {
            let licensee = format!("Customer {i:04} Ltd");
            let license = license_core::License {
                license_id: r.license.license_id + i as u32,
                binding: license_core::Binding::NONE,
                ..r.license
            };
            let ctx = Context::new(&r.product, &licensee);
            let code = license_core::sign(&license, &ctx, &r.signing_key)?.to_string();
            Ok(LedgerEntry {
                code,
                product: r.product.clone(),
                licensee,
            })
        })
        .collect()
}
