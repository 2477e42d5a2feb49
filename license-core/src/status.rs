//! Status evaluation: pure, given the day and the running release's build date.

use crate::date::Date;
use crate::model::License;

/// How to evaluate; the defaults suit most products.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Days before expiry from which the status is [`Status::ExpiringSoon`] (default 30;
    /// 28 to 31 is typical, matching a renewal code sent four weeks ahead).
    pub notice_days: u16,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { notice_days: 30 }
    }
}

/// Where a license stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "status", rename_all = "kebab-case"))]
pub enum Status {
    /// Before `valid_from` (e.g. a reduction that starts next quarter).
    NotYetValid {
        /// First valid day.
        starts: Date,
    },
    /// Valid, and not about to expire (or perpetual).
    Valid,
    /// Valid, expiring within the notice window.
    ExpiringSoon {
        /// First day no longer valid.
        expires: Date,
        /// Days of validity left, including today (1 on the last day).
        days_left: u32,
    },
    /// Expired, in the grace period: fully usable.
    InGrace {
        /// First day after the term.
        expired: Date,
        /// Days of grace left, including today.
        days_left: u32,
    },
    /// Expired and past grace: only the demo seat count is usable.
    DemoMode {
        /// Seats (and named users) allowed in demo mode.
        seats: u32,
        /// First day after the term.
        expired: Date,
    },
    /// Expired and past grace, with no demo mode.
    Expired {
        /// First day after the term.
        expired: Date,
    },
    /// An interim code past its end: it was replaced on `on` by its successor, whose code
    /// must be entered ("replaced on D: enter the code valid from D"). Never grace, never
    /// demo mode. Among several codes of one license, a successor in force wins over this.
    Replaced {
        /// The interim code's end: the first day of its successor.
        on: Date,
    },
}

impl Status {
    /// Whether the product may run at all (valid, expiring soon, grace, demo mode).
    pub const fn is_usable(&self) -> bool {
        matches!(
            self,
            Status::Valid | Status::ExpiringSoon { .. } | Status::InGrace { .. } | Status::DemoMode { .. }
        )
    }

    /// A short name: `not-yet-valid`, `valid`, `expiring-soon`, `in-grace`, `demo-mode`,
    /// `expired`, `replaced`.
    pub const fn name(&self) -> &'static str {
        match self {
            Status::NotYetValid { .. } => "not-yet-valid",
            Status::Valid => "valid",
            Status::ExpiringSoon { .. } => "expiring-soon",
            Status::InGrace { .. } => "in-grace",
            Status::DemoMode { .. } => "demo-mode",
            Status::Expired { .. } => "expired",
            Status::Replaced { .. } => "replaced",
        }
    }
}

/// Whether the running release is covered by the license's maintenance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "release", rename_all = "kebab-case"))]
pub enum Release {
    /// Built before maintenance ended, or the license has no maintenance limit.
    Covered,
    /// Built after maintenance ended: this release may not be used; releases built
    /// before `maintenance_ended` stay licensed (perpetual fallback).
    NotCovered {
        /// First day not covered by maintenance.
        maintenance_ended: Date,
    },
}

/// The outcome of evaluating a license on one day for one release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Evaluation {
    /// The license status.
    pub status: Status,
    /// The running release's coverage.
    pub release: Release,
    /// Named users usable now: the licensed count, capped at the demo seats in demo
    /// mode, 0 when not usable; `None` = not limited.
    pub named_users: Option<u32>,
    /// Concurrent seats usable now, likewise.
    pub concurrent_seats: Option<u32>,
}

impl Evaluation {
    /// Whether this release may run now: a usable status and a covered release.
    pub const fn is_usable(&self) -> bool {
        self.status.is_usable() && matches!(self.release, Release::Covered)
    }
}

/// Evaluate `license` on `today` for a release built on `build_date`.
///
/// Days are whole UTC days. With `E = expires` and `G = grace_days`:
/// `today < valid_from` not yet valid; `today < E - notice` valid;
/// `today < E` expiring soon (an interim code stays valid); for an interim code, from `E`
/// on replaced; otherwise
/// `today < E + G` in grace, later demo mode if `demo_seats > 0`, else expired.
pub fn evaluate(license: &License, today: Date, build_date: Date, policy: &Policy) -> Evaluation {
    let days_until = |d: Date| u32::try_from(d.days_since(today)).unwrap_or(0);
    let status = if today < license.valid_from {
        Status::NotYetValid {
            starts: license.valid_from,
        }
    } else {
        match license.expires {
            None => Status::Valid,
            Some(expires) if today < expires => {
                let days_left = days_until(expires);
                // An interim code's end is not a renewal date: its successor is issued.
                if days_left <= u32::from(policy.notice_days) && !license.interim {
                    Status::ExpiringSoon { expires, days_left }
                } else {
                    Status::Valid
                }
            }
            Some(on) if license.interim => Status::Replaced { on },
            Some(expired) => {
                let grace_end = expired.saturating_add_days(i64::from(license.grace_days));
                if today < grace_end {
                    Status::InGrace {
                        expired,
                        days_left: days_until(grace_end),
                    }
                } else if license.demo_seats > 0 {
                    Status::DemoMode {
                        seats: license.demo_seats,
                        expired,
                    }
                } else {
                    Status::Expired { expired }
                }
            }
        }
    };
    let release = match license.maintenance_ends {
        Some(end) if build_date >= end => Release::NotCovered {
            maintenance_ended: end,
        },
        _ => Release::Covered,
    };
    let cap = |limit: Option<u32>| match status {
        Status::DemoMode { seats, .. } => Some(limit.map_or(seats, |l| l.min(seats))),
        s if s.is_usable() => limit,
        _ => Some(0),
    };
    Evaluation {
        status,
        release,
        named_users: cap(license.named_users),
        concurrent_seats: cap(license.concurrent_seats),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Kind;
    use crate::model::{Binding, ModuleSet, ProductLine};

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    fn subscription() -> License {
        License {
            license_id: 1,
            revision: 0,
            kind: Kind::Subscription,
            line: ProductLine::new(1).unwrap(),
            named_users: Some(25),
            concurrent_seats: Some(10),
            demo_seats: 2,
            modules: ModuleSet::first(4),
            issued: d(2026, 1, 10),
            valid_from: d(2026, 1, 15),
            expires: Some(d(2027, 1, 15)),
            grace_days: 14,
            maintenance_ends: Some(d(2027, 1, 15)),
            binding: Binding::NONE,
            interim: false,
        }
    }

    fn status(l: &License, today: Date) -> Status {
        evaluate(l, today, d(2026, 1, 1), &Policy::default()).status
    }

    #[test]
    fn every_phase_at_its_edges() {
        let l = subscription();
        assert_eq!(
            status(&l, d(2026, 1, 14)),
            Status::NotYetValid {
                starts: d(2026, 1, 15)
            }
        );
        assert_eq!(status(&l, d(2026, 1, 15)), Status::Valid);
        assert_eq!(status(&l, d(2026, 12, 15)), Status::Valid);
        let expires = d(2027, 1, 15);
        assert_eq!(
            status(&l, d(2026, 12, 16)),
            Status::ExpiringSoon {
                expires,
                days_left: 30
            }
        );
        assert_eq!(
            status(&l, d(2027, 1, 14)),
            Status::ExpiringSoon {
                expires,
                days_left: 1
            }
        );
        assert_eq!(
            status(&l, expires),
            Status::InGrace {
                expired: expires,
                days_left: 14
            }
        );
        assert_eq!(
            status(&l, d(2027, 1, 28)),
            Status::InGrace {
                expired: expires,
                days_left: 1
            }
        );
        assert_eq!(
            status(&l, d(2027, 1, 29)),
            Status::DemoMode {
                seats: 2,
                expired: expires
            }
        );
        let no_demo = License { demo_seats: 0, ..l };
        assert_eq!(
            status(&no_demo, d(2027, 1, 29)),
            Status::Expired { expired: expires }
        );
        let no_grace = License {
            grace_days: 0,
            demo_seats: 0,
            ..l
        };
        assert_eq!(status(&no_grace, expires), Status::Expired { expired: expires });
        let perpetual = License {
            expires: None,
            kind: Kind::Full,
            ..l
        };
        assert_eq!(status(&perpetual, d(2099, 1, 1)), Status::Valid);
    }

    #[test]
    fn notice_window_is_configurable() {
        let l = subscription();
        let p = Policy { notice_days: 28 };
        assert_eq!(
            evaluate(&l, d(2026, 12, 17), d(2026, 1, 1), &p).status,
            Status::Valid
        );
        assert!(matches!(
            evaluate(&l, d(2026, 12, 18), d(2026, 1, 1), &p).status,
            Status::ExpiringSoon { days_left: 28, .. }
        ));
    }

    #[test]
    fn demo_mode_caps_seats_and_users() {
        let l = subscription();
        let e = evaluate(&l, d(2027, 3, 1), d(2026, 1, 1), &Policy::default());
        assert_eq!((e.named_users, e.concurrent_seats), (Some(2), Some(2)));
        assert!(e.is_usable());
        let unlimited = License {
            concurrent_seats: None,
            ..l
        };
        let e = evaluate(&unlimited, d(2027, 3, 1), d(2026, 1, 1), &Policy::default());
        assert_eq!(e.concurrent_seats, Some(2));
        let e = evaluate(&unlimited, d(2026, 3, 1), d(2026, 1, 1), &Policy::default());
        assert_eq!(e.concurrent_seats, None);
        let e = evaluate(&l, d(2025, 3, 1), d(2026, 1, 1), &Policy::default());
        assert_eq!(
            (e.named_users, e.concurrent_seats, e.is_usable()),
            (Some(0), Some(0), false)
        );
    }

    #[test]
    fn maintenance_covers_releases_built_before_its_end() {
        let l = License {
            kind: Kind::Full,
            expires: None,
            maintenance_ends: Some(d(2027, 1, 15)),
            ..subscription()
        };
        let eval = |build| evaluate(&l, d(2030, 1, 1), build, &Policy::default());
        assert_eq!(eval(d(2027, 1, 14)).release, Release::Covered);
        assert!(eval(d(2027, 1, 14)).is_usable());
        let late = eval(d(2027, 1, 15));
        assert_eq!(
            late.release,
            Release::NotCovered {
                maintenance_ended: d(2027, 1, 15)
            }
        );
        assert!(!late.is_usable());
        assert_eq!(late.status, Status::Valid, "the license itself stays valid");
        let unlimited = License {
            maintenance_ends: None,
            ..l
        };
        assert_eq!(
            evaluate(&unlimited, d(2030, 1, 1), d(2029, 1, 1), &Policy::default()).release,
            Release::Covered
        );
    }
}
