//! Plain words for statuses and scopes: the one vocabulary of both command-line tools
//! (the vendor's `licensectl`, the customer's `license-check`) and of every report, so
//! the same status says the same words everywhere.
//!
//! Everything here is a `&'static str` or a small [`Display`] value: no heap, usable in
//! `no_std` builds.
//!
//! ```
//! use license_core::{Date, Status, words};
//! let expires = Date::from_ymd(2027, 1, 15).unwrap();
//! let s = Status::ExpiringSoon { expires, days_left: 12 };
//! assert_eq!(words::status(&s).to_string(), "expiring soon: 12 days left (last day 2027-01-14)");
//! assert_eq!(words::advice(&s), Some("ask the vendor for the renewal code"));
//! assert_eq!(words::count(None, "named users").to_string(), "unlimited named users");
//! ```

use core::fmt::{self, Display, Formatter};

use crate::binding::MachineBinding;
use crate::date::Date;
use crate::model::License;
use crate::status::Status;

/// The word for "no limit", wherever a number of users or seats may be absent.
pub const UNLIMITED: &str = "unlimited";

/// `n` and its noun in the singular or the plural: `1 day`, `14 days`, `1 seat`, `0 seats`;
/// see [`plural`].
#[derive(Clone, Copy, Debug)]
pub struct Plural<'a> {
    n: u64,
    one: &'a str,
    many: &'a str,
}

/// `n` with `one` (for exactly 1) or `many`.
pub fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> Plural<'a> {
    Plural { n, one, many }
}

impl Display for Plural<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let noun = if self.n == 1 { self.one } else { self.many };
        write!(f, "{} {noun}", self.n)
    }
}

/// The last day of something that ends (exclusively) on `end`.
pub fn last_day(end: Date) -> Date {
    end.saturating_add_days(-1)
}

/// A status in plain words, e.g. `expired on 2027-01-15, in grace: fully usable for 3
/// more days`; see [`status`].
#[derive(Clone, Copy, Debug)]
pub struct StatusWords<'a>(&'a Status);

/// The plain words for `status` (what it is, not what to do: see [`advice`]).
pub fn status(status: &Status) -> StatusWords<'_> {
    StatusWords(status)
}

impl Display for StatusWords<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match *self.0 {
            Status::Valid => f.write_str("valid"),
            Status::NotYetValid { starts } => write!(f, "not yet valid: starts on {starts}"),
            Status::ExpiringSoon { expires, days_left } => {
                write!(
                    f,
                    "expiring soon: {} left (last day {})",
                    plural(u64::from(days_left), "day", "days"),
                    last_day(expires)
                )
            }
            Status::InGrace { expired, days_left } => {
                write!(
                    f,
                    "expired on {expired}, in grace: fully usable for {days_left} more {}",
                    if days_left == 1 { "day" } else { "days" }
                )
            }
            Status::DemoMode { seats, expired } => {
                write!(
                    f,
                    "expired on {expired}, demo mode: {}",
                    plural(u64::from(seats), "seat", "seats")
                )
            }
            Status::Expired { expired } => write!(f, "expired on {expired}"),
            Status::Replaced { on } => write!(f, "replaced on {on}: enter the code valid from {on}"),
        }
    }
}

/// What the customer should do about `status`, if anything.
pub fn advice(status: &Status) -> Option<&'static str> {
    match status {
        // Replaced: the status words say it ("enter the code valid from D").
        Status::Valid | Status::NotYetValid { .. } => None,
        Status::ExpiringSoon { .. } => Some("ask the vendor for the renewal code"),
        Status::InGrace { .. } => Some("enter a renewal code"),
        Status::DemoMode { .. } => Some("enter a new code to leave demo mode"),
        Status::Expired { .. } => Some("enter a new code"),
        Status::Replaced { .. } => None,
    }
}

/// A number of users or seats: `25 named users`, `1 named user`, `unlimited concurrent
/// seats` (`what` is the plural; for exactly 1 its final `s` is dropped).
#[derive(Clone, Copy, Debug)]
pub struct Count<'a> {
    n: Option<u32>,
    what: &'a str,
}

/// `n` of `what`, or [`UNLIMITED`] `what`.
pub fn count(n: Option<u32>, what: &str) -> Count<'_> {
    Count { n, what }
}

impl Display for Count<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.n {
            Some(1) => write!(f, "1 {}", self.what.strip_suffix('s').unwrap_or(self.what)),
            Some(n) => write!(f, "{n} {}", self.what),
            None => write!(f, "{UNLIMITED} {}", self.what),
        }
    }
}

/// A limit alone: the number, or [`UNLIMITED`].
#[derive(Clone, Copy, Debug)]
pub struct Limit(pub Option<u32>);

impl Display for Limit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(n) => write!(f, "{n}"),
            None => f.write_str(UNLIMITED),
        }
    }
}

/// What happens after a time-limited license expires: `14 days of grace, then demo mode
/// with 2 seats`; see [`after_expiry`].
#[derive(Clone, Copy, Debug)]
pub struct AfterExpiry {
    grace_days: u16,
    demo_seats: u32,
}

/// What happens after `license` expires (for perpetual licenses: nothing to say, but the
/// words are still those of its grace days and demo seats).
pub fn after_expiry(license: &License) -> AfterExpiry {
    AfterExpiry {
        grace_days: license.grace_days,
        demo_seats: license.demo_seats,
    }
}

impl Display for AfterExpiry {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match (self.grace_days, self.demo_seats) {
            (0, 0) => f.write_str("expired: no grace period, no demo mode"),
            (0, s) => write!(f, "demo mode with {}", plural(u64::from(s), "seat", "seats")),
            (g, 0) => write!(
                f,
                "{} of grace, then expired",
                plural(u64::from(g), "day", "days")
            ),
            (g, s) => write!(
                f,
                "{} of grace, then demo mode with {}",
                plural(u64::from(g), "day", "days"),
                plural(u64::from(s), "seat", "seats")
            ),
        }
    }
}

/// The releases a license's maintenance covers: `every release`, or `releases built up to
/// 2027-11-21 inclusive`.
#[derive(Clone, Copy, Debug)]
pub struct Maintenance(pub Option<Date>);

impl Display for Maintenance {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("every release"),
            Some(m) => write!(f, "releases built up to {} inclusive", last_day(m)),
        }
    }
}

/// A machine binding: `a machine (cpu, disk, os; up to 1 may change)`.
#[derive(Clone, Copy, Debug)]
pub struct Machine<'a>(pub &'a MachineBinding);

impl Display for Machine<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a machine ({}; up to {} may change)",
            self.0.components(),
            self.0.tolerance()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    /// Finding 9: "1 days".
    #[test]
    fn one_day_one_seat_one_user() {
        assert_eq!(plural(1, "day", "days").to_string(), "1 day");
        assert_eq!(plural(0, "day", "days").to_string(), "0 days");
        assert_eq!(count(Some(1), "named users").to_string(), "1 named user");
        assert_eq!(count(Some(2), "named users").to_string(), "2 named users");
        let one = Status::InGrace {
            expired: Date::from_ymd(2027, 1, 15).unwrap(),
            days_left: 1,
        };
        assert_eq!(
            status(&one).to_string(),
            "expired on 2027-01-15, in grace: fully usable for 1 more day"
        );
        let demo = Status::DemoMode {
            seats: 1,
            expired: Date::from_ymd(2027, 1, 15).unwrap(),
        };
        assert_eq!(
            status(&demo).to_string(),
            "expired on 2027-01-15, demo mode: 1 seat"
        );
    }

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    #[test]
    fn every_status_has_words_and_every_unusable_one_advice() {
        let e = d(2027, 1, 15);
        let cases = [
            (Status::Valid, "valid", None),
            (
                Status::NotYetValid { starts: e },
                "not yet valid: starts on 2027-01-15",
                None,
            ),
            (
                Status::ExpiringSoon {
                    expires: e,
                    days_left: 1,
                },
                "expiring soon: 1 day left (last day 2027-01-14)",
                Some("ask the vendor for the renewal code"),
            ),
            (
                Status::InGrace {
                    expired: e,
                    days_left: 3,
                },
                "expired on 2027-01-15, in grace: fully usable for 3 more days",
                Some("enter a renewal code"),
            ),
            (
                Status::DemoMode { seats: 2, expired: e },
                "expired on 2027-01-15, demo mode: 2 seats",
                Some("enter a new code to leave demo mode"),
            ),
            (
                Status::Expired { expired: e },
                "expired on 2027-01-15",
                Some("enter a new code"),
            ),
        ];
        for (s, words, hint) in cases {
            assert_eq!(status(&s).to_string(), words);
            assert_eq!(advice(&s), hint);
        }
    }

    #[test]
    fn counts_limits_and_maintenance() {
        assert_eq!(count(Some(25), "named users").to_string(), "25 named users");
        assert_eq!(
            count(None, "concurrent seats").to_string(),
            "unlimited concurrent seats"
        );
        assert_eq!(Limit(None).to_string(), "unlimited");
        assert_eq!(Limit(Some(3)).to_string(), "3");
        assert_eq!(Maintenance(None).to_string(), "every release");
        assert_eq!(
            Maintenance(Some(d(2027, 11, 22))).to_string(),
            "releases built up to 2027-11-21 inclusive"
        );
    }
}
