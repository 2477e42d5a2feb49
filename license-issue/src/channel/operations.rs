//! A reseller's operations without a code (cancel, revoke, site) on their way to the
//! vendor: signed by the reseller in its monthly export, verified at import against the
//! certificate chain of the license they name, and the vendor's own revocation of an
//! imported license.
//!
//! A code proves itself (its chain and signature). An operation without a code is a
//! statement of the reseller: "on this day I cancelled / revoked this license". The export
//! carries it with the reseller's Ed25519 signature over [`OPERATION_CONTEXT`] followed by
//! the record's JSON (exactly the line's `record`); the vendor verifies it with the key of
//! the exporting reseller as the license's own code names it (a certificate of that name in
//! the chain of the license's imported code). So a reseller can cancel or revoke only the
//! licenses it or its sub-resellers issued, and only licenses the vendor already imported.

use ed25519_dalek::{Signature, Signer as _};
use license_core::{PublicKey, UntrustedDelegatedCode};

use crate::channel::error::ImportProblem;
use crate::error::Error;
use crate::keys::vendor::VendorKey;
use crate::ledger::error::LedgerError;
use crate::ledger::history::LicenseHistory;
use crate::ledger::store::{Operation, Record};

/// The bytes a reseller's operation signature starts with (domain separation: such a
/// signature never verifies as a code's or a certificate's).
pub const OPERATION_CONTEXT: &[u8] = b"license-kit/reseller-operation/v1\0";

/// The operations a reseller records without a code, which its export signs.
pub(crate) fn is_signed_operation(operation: Operation) -> bool {
    matches!(operation, Operation::Cancel | Operation::Revoke | Operation::Site)
}

fn message(record: &Record) -> Result<Vec<u8>, Error> {
    let mut m = OPERATION_CONTEXT.to_vec();
    m.extend(serde_json::to_vec(record).map_err(LedgerError::LedgerEncode)?);
    Ok(m)
}

/// The reseller's signature of `record` (128 hex digits).
pub(crate) fn sign_operation(key: &VendorKey, record: &Record) -> Result<String, Error> {
    Ok(hex::encode(key.signing_key().sign(&message(record)?).to_bytes()))
}

/// Whether `signature` (hex) is `key`'s signature of `record`.
fn verifies(key: &PublicKey, record: &Record, signature: &str) -> bool {
    let Ok(bytes) = hex::decode(signature) else {
        return false;
    };
    let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return false;
    };
    let Ok(m) = message(record) else {
        return false;
    };
    key.verifying_key()
        .verify_strict(&m, &Signature::from_bytes(&bytes))
        .is_ok()
}

/// The public key of reseller `name` in the certificate chain of `code` (a reseller's
/// code), if a certificate of that name is in it.
fn key_in_chain(code: &str, name: &str) -> Option<PublicKey> {
    let code = UntrustedDelegatedCode::parse(code).ok()?;
    code.unverified_chain()
        .find(|c| c.name.as_str() == name)
        .map(|c| c.subject)
}

/// Check one operation record without a code of reseller `reseller`'s export, given the
/// imported records of its license so far (`known`: earlier imports and earlier lines of
/// the same file, every code among them verified at its import). The license must have
/// been imported, under a chain that holds `reseller` (it or a sub-reseller issued it), for
/// the same product, licensee and reseller the record names; `signature` must be the
/// reseller's signature of the record. Returns whether it was imported before (the same
/// operation on the same day).
pub(crate) fn check_operation(
    r: &Record,
    signature: Option<&str>,
    reseller: &str,
    known: &[&Record],
) -> Result<bool, ImportProblem> {
    if !is_signed_operation(r.operation) {
        return Err(ImportProblem::NoCode);
    }
    let not_under = || ImportProblem::NotUnderChain {
        reseller: reseller.to_owned(),
    };
    // The key of the exporting reseller, from the newest code of the license that names it.
    let key = known
        .iter()
        .rev()
        .filter(|k| k.product == r.product)
        .filter_map(|k| k.code.as_deref())
        .find_map(|code| key_in_chain(code, reseller))
        .ok_or_else(not_under)?;
    let latest = known
        .iter()
        .rev()
        .find(|k| k.code.is_some())
        .ok_or_else(not_under)?;
    if latest.reseller != r.reseller || latest.licensee != r.licensee {
        return Err(ImportProblem::OperationNamesOther);
    }
    let signature = signature.ok_or(ImportProblem::Unsigned)?;
    if !verifies(&key, r, signature) {
        return Err(ImportProblem::BadOperationSignature);
    }
    Ok(known
        .iter()
        .any(|k| k.code.is_none() && k.operation == r.operation && k.recorded == r.recorded))
}

/// The vendor revokes license `license_id` it imported from a reseller: the revocation
/// record for the imports ledger (the license's next revocation list carries it), built
/// from the imported `records`. Refused if the license is not among them or is revoked
/// already.
pub fn revoke_imported(
    records: &[Record],
    license_id: u32,
    reason: Option<&str>,
    today: license_core::Date,
) -> Result<Record, Error> {
    use crate::issuer::error::OrderError;
    let mine: Vec<&Record> = records
        .iter()
        .filter(|r| r.license.license_id == license_id)
        .collect();
    let h = LicenseHistory::from_records(mine.iter().copied())
        .ok_or(Error::Order(OrderError::UnknownLicense { license_id }))?;
    if let Some(on) = h.revoked {
        return Err(Error::Order(OrderError::Revoked { license_id, on }));
    }
    let latest = h
        .latest()
        .ok_or(Error::Order(OrderError::UnknownLicense { license_id }))?;
    let mut record = crate::issuer::event(&h, latest, Operation::Revoke, today);
    record.note = reason.map(str::to_owned);
    Ok(record)
}

/// What happens to a license a reseller revokes in its own home: only the vendor signs
/// revocation lists, so the revocation travels with the reseller's export of the month it
/// was recorded in, and the vendor's next revocation list after that import names the
/// license. Until an installation loads that list, the code keeps working there.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ResellerRevocation {
    /// The license.
    pub license_id: u32,
    /// The day it was revoked in the reseller's ledger.
    pub revoked: license_core::Date,
    /// The month whose export carries the revocation.
    pub export_month: crate::report::month::Month,
    /// The first day that export can be made (the month over: the first of the next).
    pub export_from: license_core::Date,
}

impl ResellerRevocation {
    /// The revocation of `license_id` recorded on `revoked` in a reseller's home.
    pub fn new(license_id: u32, revoked: license_core::Date) -> ResellerRevocation {
        let (y, m, _) = revoked.ymd();
        let export_month = crate::report::month::Month { year: y, month: m };
        let export_from = export_month
            .bounds()
            .map_or(license_core::Date::MAX, |(_, next)| next);
        ResellerRevocation {
            license_id,
            revoked,
            export_month,
            export_from,
        }
    }

    /// The answer in plain words.
    pub fn words(&self) -> String {
        format!(
            "License {} revoked on {} in your ledger. Only the vendor signs revocation lists: the revocation goes to the vendor signed with your key in your export of {} (from {}); once the vendor has imported it, its next revocation list names the license and installations that load that list refuse the code. Until then the code keeps working.",
            self.license_id, self.revoked, self.export_month, self.export_from
        )
    }
}
