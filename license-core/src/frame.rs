//! The frame of a reseller: what a delegation certificate allows its holder to issue
//! (see `docs/FORMAT.md`, "Delegated codes (format v2)").
//!
//! A frame is checked twice: a license must lie inside the frame of the certificate
//! that signed it ([`Frame::admits`]), and a sub-reseller's frame must lie inside its
//! parent's ([`Frame::narrows`]). Both return the first limit exceeded as a
//! [`Violation`], so the error can name it.

use crate::date::Date;
use crate::id_range::IdRange;
use crate::kind::Kind;
use crate::model::{License, ModuleSet};
use crate::violation::Violation;

/// A set of license kinds (bit `n` = the kind with code bits `n`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct KindSet(u8);

impl KindSet {
    /// No kind.
    pub const EMPTY: KindSet = KindSet(0);
    /// Every kind.
    pub const ALL: KindSet = KindSet(0b1111);

    /// The set with `kind` added.
    #[must_use]
    pub const fn with(self, kind: Kind) -> KindSet {
        KindSet(self.0 | 1 << kind.bits())
    }

    /// Whether `kind` is in the set.
    pub const fn contains(self, kind: Kind) -> bool {
        self.0 & 1 << kind.bits() != 0
    }

    /// The four bits of the set.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The set with these bits, if only the four kind bits are set.
    pub const fn from_bits(bits: u8) -> Option<KindSet> {
        if bits & !0b1111 == 0 {
            Some(KindSet(bits))
        } else {
            None
        }
    }

    /// The kinds in code order.
    pub fn iter(self) -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(move |&k| self.contains(k))
    }
}

impl FromIterator<Kind> for KindSet {
    fn from_iter<I: IntoIterator<Item = Kind>>(iter: I) -> Self {
        iter.into_iter().fold(KindSet::EMPTY, KindSet::with)
    }
}

/// A set of product lines 0..=15 (bit `n` = line `n`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct LineSet(u16);

impl LineSet {
    /// No line.
    pub const EMPTY: LineSet = LineSet(0);
    /// All 16 lines.
    pub const ALL: LineSet = LineSet(u16::MAX);

    /// The set with exactly these bits.
    pub const fn from_bits(bits: u16) -> LineSet {
        LineSet(bits)
    }

    /// The bits of the set.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The set with line `n` added (unchanged for `n > 15`).
    #[must_use]
    pub const fn with(self, n: u8) -> LineSet {
        if n < 16 { LineSet(self.0 | 1 << n) } else { self }
    }

    /// Whether line `n` is in the set.
    pub const fn contains(self, n: u8) -> bool {
        n < 16 && self.0 & 1 << n != 0
    }
}

/// What a certificate allows its holder to issue, for the one product it is signed for.
/// `None` limits mean "not limited by this certificate"; a sub-reseller's frame must
/// restate every limit its parent sets (at most as wide).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Frame {
    /// The kinds it may issue (at least one).
    pub kinds: KindSet,
    /// The product lines it may issue (at least one).
    pub lines: LineSet,
    /// The modules it may grant.
    pub modules: ModuleSet,
    /// The most named users one license may grant; an unlimited license is outside it.
    pub named_users: Option<u32>,
    /// The most concurrent seats one license may grant; an unlimited license is outside it.
    pub concurrent_seats: Option<u32>,
    /// Per kind (indexed in [`Kind::ALL`] order), the most days a license may be usable:
    /// its term (`expires - valid_from`) plus its grace days. A perpetual license of a
    /// kind with a limit is outside the frame.
    pub max_days: [Option<u32>; 4],
    /// The most days of maintenance (`maintenance_ends - issued`); a license covering
    /// every release is outside it.
    pub maintenance_days: Option<u32>,
    /// The license ids it may use.
    pub license_ids: Option<IdRange>,
    /// Every license it issues must be bound to a database or a machine.
    pub binding_required: bool,
    /// The first issue day it may sign (inclusive); `None` = not limited.
    pub not_before: Option<Date>,
    /// The first issue day it may no longer sign (exclusive end of the certificate).
    pub not_after: Date,
    /// How many further levels of sub-resellers it may certify (0 = none).
    pub delegation_depth: u8,
}

impl Frame {
    /// A frame allowing `kinds` and `lines` with `modules` until `not_after`, with no
    /// other limit and no delegation; narrow it with the public fields.
    pub const fn new(kinds: KindSet, lines: LineSet, modules: ModuleSet, not_after: Date) -> Frame {
        Frame {
            kinds,
            lines,
            modules,
            named_users: None,
            concurrent_seats: None,
            max_days: [None; 4],
            maintenance_days: None,
            license_ids: None,
            binding_required: false,
            not_before: None,
            not_after,
            delegation_depth: 0,
        }
    }

    /// The usable-days limit for `kind`.
    pub const fn max_days_for(&self, kind: Kind) -> Option<u32> {
        self.max_days[kind.bits() as usize]
    }

    /// With the usable-days limit of `kind` set.
    #[must_use]
    pub const fn with_max_days(mut self, kind: Kind, days: u32) -> Frame {
        self.max_days[kind.bits() as usize] = Some(days);
        self
    }

    /// Whether `license`, issued on its issue day, lies inside this frame; the first
    /// limit it exceeds otherwise.
    pub fn admits(&self, l: &License) -> Result<(), Violation> {
        if !self.kinds.contains(l.kind) {
            return Err(Violation::Kind(l.kind));
        }
        if !self.lines.contains(l.line.get()) {
            return Err(Violation::Line(l.line.get()));
        }
        if l.modules.is_all() && !self.modules.is_all() {
            return Err(Violation::AllModules);
        }
        if let Some(m) = l.modules.iter().find(|&m| !self.modules.contains(m)) {
            return Err(Violation::Module(m));
        }
        limit(l.named_users, self.named_users, |requested, max| {
            Violation::NamedUsers { requested, max }
        })?;
        limit(l.concurrent_seats, self.concurrent_seats, |requested, max| {
            Violation::ConcurrentSeats { requested, max }
        })?;
        for max in [self.named_users, self.concurrent_seats].into_iter().flatten() {
            if l.demo_seats > max {
                return Err(Violation::DemoSeats {
                    requested: l.demo_seats,
                    max,
                });
            }
        }
        if let Some(max) = self.max_days_for(l.kind) {
            let days = l.expires.map(|e| {
                let term = u32::try_from(e.days_since(l.valid_from)).unwrap_or(u32::MAX);
                term.saturating_add(u32::from(l.grace_days))
            });
            limit(days, Some(max), |requested, max| Violation::Days {
                kind: l.kind,
                requested,
                max,
            })?;
        }
        if let Some(max) = self.maintenance_days {
            let days = l
                .maintenance_ends
                .map(|m| u32::try_from(m.days_since(l.issued)).unwrap_or(0));
            limit(days, Some(max), |requested, max| Violation::Maintenance {
                requested,
                max,
            })?;
        }
        if let Some(range) = self.license_ids
            && !range.contains(l.license_id)
        {
            return Err(Violation::LicenseId {
                id: l.license_id,
                range,
            });
        }
        if self.binding_required && !l.binding.database && l.binding.machine.is_none() {
            return Err(Violation::BindingRequired);
        }
        self.admits_issue_day(l.issued)
    }

    /// Whether a code issued on `issued` falls inside the certificate's validity.
    pub fn admits_issue_day(&self, issued: Date) -> Result<(), Violation> {
        if let Some(not_before) = self.not_before
            && issued < not_before
        {
            return Err(Violation::IssuedBefore { issued, not_before });
        }
        if issued >= self.not_after {
            return Err(Violation::IssuedAfter {
                issued,
                not_after: self.not_after,
            });
        }
        Ok(())
    }

    /// Whether this frame (a sub-reseller's) lies inside `parent`: every set a subset,
    /// every limit the parent sets restated at most as wide, the validity inside the
    /// parent's, and fewer delegation levels. The first widening otherwise.
    pub fn narrows(&self, parent: &Frame) -> Result<(), Violation> {
        if parent.delegation_depth == 0 {
            return Err(Violation::Delegation { parent_depth: 0 });
        }
        if self.delegation_depth >= parent.delegation_depth {
            return Err(Violation::Delegation {
                parent_depth: parent.delegation_depth,
            });
        }
        if let Some(k) = self.kinds.iter().find(|&k| !parent.kinds.contains(k)) {
            return Err(Violation::Kind(k));
        }
        if let Some(n) = (0..16).find(|&n| self.lines.contains(n) && !parent.lines.contains(n)) {
            return Err(Violation::Line(n));
        }
        if self.modules.is_all() && !parent.modules.is_all() {
            return Err(Violation::AllModules);
        }
        if let Some(m) = self.modules.iter().find(|&m| !parent.modules.contains(m)) {
            return Err(Violation::Module(m));
        }
        limit(self.named_users, parent.named_users, |requested, max| {
            Violation::NamedUsers { requested, max }
        })?;
        limit(
            self.concurrent_seats,
            parent.concurrent_seats,
            |requested, max| Violation::ConcurrentSeats { requested, max },
        )?;
        for kind in self.kinds.iter() {
            limit(
                self.max_days_for(kind),
                parent.max_days_for(kind),
                |requested, max| Violation::Days { kind, requested, max },
            )?;
        }
        limit(
            self.maintenance_days,
            parent.maintenance_days,
            |requested, max| Violation::Maintenance { requested, max },
        )?;
        if let Some(range) = parent.license_ids {
            match self.license_ids {
                Some(own) if range.contains(own.first) && range.contains(own.last) => {}
                Some(own) => {
                    let id = if range.contains(own.first) {
                        own.last
                    } else {
                        own.first
                    };
                    return Err(Violation::LicenseId { id, range });
                }
                None => {
                    let id = if range.first > 0 { 0 } else { u32::MAX };
                    return Err(Violation::LicenseId { id, range });
                }
            }
        }
        if parent.binding_required && !self.binding_required {
            return Err(Violation::BindingRequired);
        }
        if let Some(not_before) = parent.not_before {
            let own = self.not_before.unwrap_or(Date::UNIX_EPOCH);
            if own < not_before {
                return Err(Violation::IssuedBefore {
                    issued: own,
                    not_before,
                });
            }
        }
        if self.not_after > parent.not_after {
            return Err(Violation::IssuedAfter {
                issued: self.not_after,
                not_after: parent.not_after,
            });
        }
        Ok(())
    }
}

/// `requested` (None = not limited) against `max` (None = no limit).
fn limit(
    requested: Option<u32>,
    max: Option<u32>,
    violation: impl FnOnce(Option<u32>, u32) -> Violation,
) -> Result<(), Violation> {
    match (requested, max) {
        (_, None) => Ok(()),
        (Some(r), Some(m)) if r <= m => Ok(()),
        (r, Some(m)) => Err(violation(r, m)),
    }
}
