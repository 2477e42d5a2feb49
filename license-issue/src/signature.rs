//! The vendor's signature-only check of a code: who signed it and for whom, without the
//! customer's machine.

use license_core::{Context, MachineFingerprint, PublicKey, UntrustedCode, VerifiedLicense};

use crate::Error;

/// What a code is signed for, as far as the vendor knows it.
#[derive(Clone, Copy, Debug)]
pub struct SignedFor<'a> {
    /// The product id.
    pub product: &'a str,
    /// The licensee name.
    pub licensee: &'a str,
    /// The database code, for a database-bound code.
    pub database: Option<&'a str>,
}

/// Check `code`'s signature with `keys` for `signed_for`. A machine-bound code is checked
/// against the fingerprint the code itself names: the signature and every other part of
/// the scope are checked, the machine is not (only the customer's installation can do
/// that).
pub fn verify_signature(
    code: &UntrustedCode,
    keys: &[PublicKey],
    signed_for: SignedFor<'_>,
) -> Result<VerifiedLicense, Error> {
    let machine = code
        .unverified_license()
        .binding
        .machine
        .map_or_else(MachineFingerprint::unknown, |b| b.matching_machine());
    let mut ctx = Context::new(signed_for.product, signed_for.licensee).with_machine(&machine);
    if let Some(db) = signed_for.database {
        ctx = ctx.with_database(db);
    }
    Ok(code.verify(keys, &ctx)?)
}
