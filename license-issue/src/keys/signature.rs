//! The vendor's signature-only check of a code: who signed it and for whom, without the
//! customer's machine.

use license_core::{
    CertificateRevocations, Context, License, MachineFingerprint, PublicKey, UntrustedCode,
    UntrustedDelegatedCode, VerifiedDelegatedLicense, VerifiedLicense,
};

use crate::error::Error;

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
    let machine = claimed_machine(code.unverified_license());
    Ok(code.verify(keys, &signed_for.context(&machine))?)
}

/// As [`verify_signature`] for a reseller's code: its chain up to one of the vendor's
/// `keys` (`revoked` is asked about the first certificate's serial and the second's pair
/// of serials), every frame, the
/// reseller's signature, and the license inside the reseller's frame; the machine is not
/// checked. The error is `license-core`'s (it names the limit a license exceeds).
pub fn verify_delegated_signature(
    code: &UntrustedDelegatedCode,
    keys: &[PublicKey],
    signed_for: SignedFor<'_>,
    revoked: &impl CertificateRevocations,
) -> Result<VerifiedDelegatedLicense, license_core::Error> {
    let machine = claimed_machine(code.unverified_license());
    code.verify_revocations(keys, &signed_for.context(&machine), revoked)
}

/// The fingerprint the code itself names (any machine, for a code bound to none).
fn claimed_machine(license: &License) -> MachineFingerprint {
    license
        .binding
        .machine
        .map_or_else(MachineFingerprint::unknown, |b| b.matching_machine())
}

impl<'a> SignedFor<'a> {
    fn context(self, machine: &'a MachineFingerprint) -> Context<'a> {
        let ctx = Context::new(self.product, self.licensee).with_machine(machine);
        match self.database {
            Some(db) => ctx.with_database(db),
            None => ctx,
        }
    }
}
