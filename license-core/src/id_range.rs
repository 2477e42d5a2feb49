//! A range of license ids reserved for one reseller.

/// An inclusive range of license ids reserved for one reseller, so its licenses never
/// share an id (and so a revocation entry or a ledger row) with another issuer's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IdRange {
    /// The first id of the range.
    pub first: u32,
    /// The last id of the range (inclusive).
    pub last: u32,
}

impl IdRange {
    /// Whether `id` is in the range.
    pub const fn contains(&self, id: u32) -> bool {
        self.first <= id && id <= self.last
    }
}
