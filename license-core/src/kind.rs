//! The kind of a license: full, trial, subscription, NFR. Below the scope model, reseller
//! frames and the errors that name a kind.

use core::fmt;

/// What kind of license this is. Two bits in the code: exactly these four exist in format v1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Kind {
    /// Perpetual: no expiry; releases limited by maintenance.
    Full,
    /// Trial or demo: time-limited evaluation.
    Trial,
    /// Subscription: one paid term, renewed by a new code for the next term.
    Subscription,
    /// Not for resale: internal demo licenses, time-limited, renewed automatically.
    Nfr,
}

impl Kind {
    /// All kinds, in code order.
    pub const ALL: [Kind; 4] = [Kind::Full, Kind::Trial, Kind::Subscription, Kind::Nfr];

    pub(crate) const fn bits(self) -> u8 {
        match self {
            Kind::Full => 0,
            Kind::Trial => 1,
            Kind::Subscription => 2,
            Kind::Nfr => 3,
        }
    }

    pub(crate) const fn from_bits(bits: u8) -> Kind {
        match bits & 0b11 {
            0 => Kind::Full,
            1 => Kind::Trial,
            2 => Kind::Subscription,
            _ => Kind::Nfr,
        }
    }

    /// The lowercase name used in reports and on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Full => "full",
            Kind::Trial => "trial",
            Kind::Subscription => "subscription",
            Kind::Nfr => "nfr",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
