//! Reseller's codes through the [`crate::Verifier`]: a code with a certificate chain is
//! accepted like a plain one when its chain reaches a vendor key and its license lies
//! inside its reseller's frame, and the verification reports who issued it.

use license_core::{
    CertificateRevocations, Context, DelegationError, Error as CoreError, License, PublicKey, UntrustedCode,
    UntrustedDelegatedCode, VerifiedLicense, Violation, is_delegated_text, is_longer_than_a_plain_code,
};

use crate::error::Error;

/// One reseller of a verified reseller's code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reseller {
    /// Its display name, from its certificate.
    pub name: String,
    /// The serial of its certificate.
    pub serial: u32,
}

/// Who issued a verified reseller's code: the chain of resellers, the one certified by the
/// vendor first, the one that signed the code last.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Issuer {
    chain: Vec<Reseller>,
}

impl Issuer {
    /// The reseller that signed the code.
    pub fn reseller(&self) -> &Reseller {
        // A chain holds at least one certificate (see `license_core::CertificateChain`).
        &self.chain[self.chain.len() - 1]
    }

    /// Number of certificates: 1 for a reseller the vendor certified, 2 for its sub-reseller.
    pub fn depth(&self) -> usize {
        self.chain.len()
    }

    /// The resellers, the one the vendor certified first.
    pub fn chain(&self) -> &[Reseller] {
        &self.chain
    }
}

/// A plain code or a reseller's code, parsed but not verified. The reseller's code (a few
/// KiB with its decoded chain) is boxed; the plain code stays on the stack as before.
#[allow(clippy::large_enum_variant)]
pub(crate) enum AnyCode {
    Plain(UntrustedCode),
    Delegated(Box<UntrustedDelegatedCode>),
}

impl AnyCode {
    /// A text longer than any plain code is read as a reseller's code.
    pub(crate) fn parse(text: &str) -> Result<AnyCode, CoreError> {
        if is_delegated_text(text) {
            UntrustedDelegatedCode::parse(text).map(|c| AnyCode::Delegated(Box::new(c)))
        } else if is_longer_than_a_plain_code(text)
            && let Err(typo @ CoreError::Typo { group: 1 }) = UntrustedDelegatedCode::parse(text)
        {
            // A reseller's code whose first symbol (the tag) was mistyped: say so, not
            // "too long for a license code".
            Err(typo)
        } else {
            UntrustedCode::parse(text).map(AnyCode::Plain)
        }
    }

    pub(crate) const fn unverified_license(&self) -> &License {
        match self {
            AnyCode::Plain(c) => c.unverified_license(),
            AnyCode::Delegated(c) => c.unverified_license(),
        }
    }

    /// Verify against the vendor's keys; `revoked` answers whether the vendor revoked a
    /// first-level certificate (by serial) or a sub-reseller's (by the pair of serials).
    pub(crate) fn verify(
        &self,
        keys: &[PublicKey],
        ctx: &Context<'_>,
        revoked: &impl CertificateRevocations,
        modules: &[String],
    ) -> Result<(VerifiedLicense, Option<Issuer>), Error> {
        match self {
            AnyCode::Plain(c) => Ok((c.verify(keys, ctx)?, None)),
            AnyCode::Delegated(c) => {
                let v = c
                    .verify_revocations(keys, ctx, revoked)
                    .map_err(|e| name_module(e, modules))?;
                let chain = v
                    .chain()
                    .map(|cert| Reseller {
                        name: cert.name.as_str().to_owned(),
                        serial: cert.serial,
                    })
                    .collect();
                Ok((*v.license(), Some(Issuer { chain })))
            }
        }
    }
}

/// A module outside the frame is reported with its name from the application's module
/// list, when it has one.
fn name_module(e: CoreError, modules: &[String]) -> Error {
    if let CoreError::Delegation(DelegationError::OutsideFrame {
        reseller,
        violation: Violation::Module(n),
    }) = e
        && let Some(module) = modules.get(usize::from(n))
    {
        return Error::ModuleOutsideFrame {
            module: module.clone(),
            reseller: reseller.as_str().to_owned(),
        };
    }
    Error::Code(e)
}
