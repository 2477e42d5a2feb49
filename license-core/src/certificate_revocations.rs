//! What a verifier asks about the vendor's revoked reseller certificates while it walks a
//! chain: a first-level certificate by its serial (unique per product: the vendor gave it),
//! a second-level one by the pair (first-level serial, the serial its reseller gave it;
//! unique per reseller, which the vendor's import enforces). A signed
//! [`crate::RevocationList`] answers both; so may a host's stored copy of one.

/// The vendor's revoked reseller certificates, as a chain's verification asks about them.
pub trait CertificateRevocations {
    /// Whether the first-level certificate `serial` (signed by the vendor) is revoked.
    fn revokes_reseller(&self, serial: u32) -> bool;

    /// Whether the second-level certificate `sub_reseller`, which the reseller of the
    /// first-level certificate `reseller` signed, is revoked.
    fn revokes_sub_reseller(&self, reseller: u32, sub_reseller: u32) -> bool;
}

/// Only first-level serials, asked through a function (sub-resellers are never revoked):
/// what a version-2 list or a caller without sub-reseller entries knows.
#[derive(Clone, Copy, Debug)]
pub struct FirstLevelOnly<F>(pub F);

impl<F: Fn(u32) -> bool> CertificateRevocations for FirstLevelOnly<F> {
    fn revokes_reseller(&self, serial: u32) -> bool {
        (self.0)(serial)
    }

    fn revokes_sub_reseller(&self, _reseller: u32, _sub_reseller: u32) -> bool {
        false
    }
}

/// Nothing is revoked (a chain checked on its own, before any list).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoRevocations;

impl CertificateRevocations for NoRevocations {
    fn revokes_reseller(&self, _serial: u32) -> bool {
        false
    }

    fn revokes_sub_reseller(&self, _reseller: u32, _sub_reseller: u32) -> bool {
        false
    }
}

impl<T: CertificateRevocations + ?Sized> CertificateRevocations for &T {
    fn revokes_reseller(&self, serial: u32) -> bool {
        (**self).revokes_reseller(serial)
    }

    fn revokes_sub_reseller(&self, reseller: u32, sub_reseller: u32) -> bool {
        (**self).revokes_sub_reseller(reseller, sub_reseller)
    }
}
