//! The first limit of a reseller's frame that a license or a sub-reseller's frame
//! exceeds. Below `error`, which carries it inside a delegation error.

use core::fmt;

use crate::date::Date;
use crate::id_range::IdRange;
use crate::kind::Kind;

/// The first limit of a frame that a license (or a sub-reseller's frame) exceeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Violation {
    /// A kind the frame does not allow.
    Kind(Kind),
    /// A product line the frame does not allow.
    Line(u8),
    /// A module the frame does not allow (the host names it from its catalog).
    Module(u8),
    /// The all-modules flag ("every module, present and future", format 2), which only a
    /// frame allowing every module present and future (`ModuleSet::ALL`) admits: a frame
    /// listing modules cannot grant the ones a catalog adds later.
    AllModules,
    /// More named users than allowed (`None`: not limited).
    NamedUsers {
        /// What the license (or sub-frame) grants.
        requested: Option<u32>,
        /// The frame's limit.
        max: u32,
    },
    /// More concurrent seats than allowed (`None`: not limited).
    ConcurrentSeats {
        /// What the license (or sub-frame) grants.
        requested: Option<u32>,
        /// The frame's limit.
        max: u32,
    },
    /// More demo-mode seats than the frame's user or seat limit.
    DemoSeats {
        /// The license's demo seats.
        requested: u32,
        /// The frame's limit.
        max: u32,
    },
    /// Usable longer than allowed for its kind (`None`: perpetual).
    Days {
        /// The kind.
        kind: Kind,
        /// Term plus grace days of the license (or the sub-frame's limit).
        requested: Option<u32>,
        /// The frame's limit for the kind.
        max: u32,
    },
    /// More maintenance than allowed (`None`: every release covered).
    Maintenance {
        /// Days of maintenance of the license (or the sub-frame's limit).
        requested: Option<u32>,
        /// The frame's limit.
        max: u32,
    },
    /// A license id outside the reseller's range.
    LicenseId {
        /// The id.
        id: u32,
        /// The range of the frame.
        range: IdRange,
    },
    /// The frame requires a database or machine binding.
    BindingRequired,
    /// Issued (or valid) before the certificate's first day.
    IssuedBefore {
        /// The issue day (or the sub-certificate's first day).
        issued: Date,
        /// The certificate's first day.
        not_before: Date,
    },
    /// Issued (or valid) on or after the certificate's end: the certificate had expired.
    IssuedAfter {
        /// The issue day (or the sub-certificate's end).
        issued: Date,
        /// The certificate's end (exclusive).
        not_after: Date,
    },
    /// The parent may not certify sub-resellers this deep.
    Delegation {
        /// The delegation levels the parent holds.
        parent_depth: u8,
    },
}

struct Amount(Option<u32>, &'static str);

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(n) => write!(f, "{n} {}", self.1),
            None => write!(f, "unlimited {}", self.1),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Violation::Kind(k) => write!(f, "the kind {k} is not allowed"),
            Violation::Line(n) => write!(f, "product line {n} is not allowed"),
            Violation::Module(n) => write!(f, "module {n} is not allowed"),
            Violation::AllModules => f.write_str(
                "every module, present and future (the all-modules flag) is not allowed: the frame lists its modules",
            ),
            Violation::NamedUsers { requested, max } => write!(
                f,
                "{} exceed the limit of {max}",
                Amount(requested, "named users")
            ),
            Violation::ConcurrentSeats { requested, max } => write!(
                f,
                "{} exceed the limit of {max}",
                Amount(requested, "concurrent seats")
            ),
            Violation::DemoSeats { requested, max } => {
                write!(f, "{requested} demo seats exceed the limit of {max}")
            }
            Violation::Days {
                kind,
                requested: Some(days),
                max,
            } => write!(
                f,
                "a {kind} license usable for {days} days (term plus grace) exceeds the limit of {max} days"
            ),
            Violation::Days {
                kind,
                requested: None,
                max,
            } => write!(f, "a perpetual {kind} license exceeds the limit of {max} days"),
            Violation::Maintenance {
                requested: Some(days),
                max,
            } => write!(f, "{days} days of maintenance exceed the limit of {max} days"),
            Violation::Maintenance { requested: None, max } => {
                write!(f, "maintenance for every release exceeds the limit of {max} days")
            }
            Violation::LicenseId { id, range } => write!(
                f,
                "license id {id} is outside the range {}-{}",
                range.first, range.last
            ),
            Violation::BindingRequired => {
                f.write_str("a license bound to neither a database nor a machine is not allowed")
            }
            Violation::IssuedBefore { issued, not_before } => {
                write!(f, "{issued} is before the certificate's first day {not_before}")
            }
            Violation::IssuedAfter { issued, not_after } => write!(
                f,
                "{issued} is not before the certificate's end {not_after} (the certificate has expired)"
            ),
            Violation::Delegation { parent_depth: 0 } => {
                f.write_str("the certificate does not allow certifying sub-resellers")
            }
            Violation::Delegation { parent_depth } => write!(
                f,
                "the certificate allows sub-resellers only {parent_depth} level(s) deep"
            ),
        }
    }
}
