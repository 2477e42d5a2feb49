//! The business rules that are about dates, as pure functions (no clock, no ledger).
//!
//! Every day is a whole UTC day; every end date is exclusive (the first day no longer
//! covered), as in `license-core`. People read the **last day** ([`last_day`]), so every
//! text for people shows `end - 1 day` with the words "last day".
//!
//! - **Reductions** follow the product's [`ReductionPolicy`] (catalog setting
//!   `reduction_policy`):
//!   - `contract-year` (on-premises: "a reduction lowers the maintenance and hotline scope
//!     from the next contract year, with 3 months' notice"): the reduction takes effect at
//!     the next contract anniversary `A` (the day the license started, plus whole years)
//!     if ordered on or before `A - N months` (N = `reduction_notice_months`, default 3),
//!     otherwise at the anniversary after. Example: a license that started on
//!     2025-01-01 has its anniversary on 2027-01-01; an order on 2026-10-01 takes effect
//!     on 2027-01-01, one on 2026-10-02 on 2028-01-01. A contract started on 29 February
//!     has its anniversaries on 28 February (29 February in leap years).
//!   - `quarterly` (instances the vendor hosts: "the number of users can be reduced to the
//!     start of each calendar quarter, with a notice of 20 days"): a calendar quarter
//!     start (1 January, 1 April, 1 July, 1 October). An order placed on day `D` takes
//!     effect at the next quarter start `Q` (strictly after `D`) if `Q - D >= 20` days,
//!     that is if `D` is on or before the cutoff `Q - 20 days`; otherwise at the quarter
//!     start after `Q`. Example: for 1 January 2027 the cutoff is 12 December 2026: an
//!     order on 12 December takes effect on 1 January, one on 13 December on 1 April.
//! - A pending reduction can be **withdrawn** up to and including its cutoff (the last day
//!   on which it could have been ordered for the same start): `effective - 20 days`
//!   (quarterly, "withdrawn until the 20-day period before the quarter begins") or
//!   `effective - N months` (contract-year: after the notice deadline the vendor has
//!   planned the next contract year on the reduced scope).
//! - A subscription's **renewal** code ("generated at the latest 4 weeks before expiry
//!   ... earlier is fine") can be issued from the day after the cancellation deadline
//!   (from then on a cancellation no longer stops the renewal) up to and including the
//!   last day of grace (`expires + grace_days - 1`); it must be issued by the "at the
//!   latest" day, `expires - 28 days` by default (catalog `renewal_latest_days`). If the
//!   deadline would fall after the at-the-latest day (no notice period), the window opens
//!   on the at-the-latest day. Earlier, any day of the term, only on request. The next
//!   term starts when the current one ends (or on the day of issue, if that is later: a
//!   code is never valid before it is signed) and ends a whole term after the current
//!   end, so a late renewal does not shift the billing dates.
//! - **One anniversary rule** ([`advance`]): terms, renewals, a cancellation that renews
//!   once more, reductions at a contract anniversary and maintenance packs count whole
//!   months from one anchor (the contract's first day), never from the previous end: a
//!   contract started on 29 February ends its terms on 28 February in common years and on
//!   29 February in leap years, the days of its anniversaries.
//! - **Cancellation** must be ordered at least 3 months before the term ends (on or
//!   before `expires - 3 months`) to stop the next renewal; a later cancellation lets the
//!   subscription renew once more and ends it after that term.
//! - A **maintenance pack** covers 12 months from the day it is bought; bought while
//!   maintenance still covers that day (`maintenance_ends > purchase`), it extends the
//!   current maintenance end by 12 months instead (by [`advance`], counted from the
//!   license's first day or from the purchase day of a pack bought after it lapsed).
//! - **Notices** ("a renewal notice goes out one month before maintenance expires") are
//!   due whole calendar months before the last day ([`notice_day`]): for a last day of
//!   2027-05-09, one month before is 2027-04-09; for 2027-03-31, 2027-02-28.

use license_core::{Date, days_in_month};

/// Days before a quarter start by which a quarterly reduction must be ordered (the
/// catalog's default `reduction_notice_days`).
pub const REDUCTION_NOTICE_DAYS: i64 = 20;
/// Months before a contract anniversary by which a contract-year reduction must be
/// ordered (the catalog's default `reduction_notice_months`).
pub const REDUCTION_NOTICE_MONTHS: u32 = 3;
/// Days before expiry by which a renewal code must be issued at the latest (4 weeks;
/// the catalog's default `renewal_latest_days`).
pub const RENEWAL_LATEST_DAYS: u32 = 28;
/// Calendar months before the last day at which a renewal notice is due (the catalog's
/// default `notice_months`).
pub const NOTICE_MONTHS: u32 = 1;
/// The default months before the end of a term by which a cancellation must be ordered
/// (the catalog's `cancellation_notice_months`).
pub const CANCELLATION_NOTICE_MONTHS: u32 = 3;

fn ymd(y: u16, m: u8, d: u8) -> Date {
    // Only called with valid calendar dates inside Date's range; the fallback is unreachable.
    Date::from_ymd(y, m, d).unwrap_or(Date::MAX)
}

/// The first day of the calendar quarter containing `day`.
pub fn quarter_start(day: Date) -> Date {
    let (y, m, _) = day.ymd();
    ymd(y, (m - 1) / 3 * 3 + 1, 1)
}

/// The first quarter start strictly after `day`.
pub fn next_quarter_start(day: Date) -> Date {
    let q = quarter_start(day);
    q.add_months(3).unwrap_or(Date::MAX)
}

/// The day a quarterly reduction ordered on `order_day` takes effect (see the module
/// docs), with the default 20 days' notice.
pub fn reduction_effective(order_day: Date) -> Date {
    ReductionPolicy::default_quarterly().effective(order_day, order_day)
}

/// The last day on which a quarterly reduction taking effect on `effective` can be
/// ordered or withdrawn: `effective - 20 days`.
pub fn reduction_cutoff(effective: Date) -> Date {
    ReductionPolicy::default_quarterly().cutoff(effective)
}

/// Whether a quarterly reduction taking effect on `effective` can still be withdrawn on
/// `today`.
pub fn may_withdraw(effective: Date, today: Date) -> bool {
    today <= reduction_cutoff(effective)
}

/// The `n`-th anniversary of a contract that started on `start` (clamped to the month's
/// end: a contract started on 29 February has its anniversaries on 28 February except in
/// leap years). Counted from `start` each time, never from the previous anniversary.
pub fn anniversary(start: Date, n: u32) -> Date {
    start.add_months(n.saturating_mul(12)).unwrap_or(Date::MAX)
}

/// The end of a period of `months` months that follows one ending on `end`, in a contract
/// (or maintenance) that started on `anchor`: **the one anniversary rule**. Periods are
/// counted from the anchor each time, never from the previous end, so a contract started
/// on 29 February ends its terms on 28 February and, in leap years, on 29 February again
/// (2028-02-29, 2029-02-28, 2030-02-28, 2031-02-28, 2032-02-29), and every term end is
/// one of its anniversaries ([`anniversary`]). An `end` that is not `anchor` plus whole
/// months (a term of days, an end set by hand) is continued from itself.
///
/// Terms, renewals, cancellations that renew once more, reductions at a contract
/// anniversary and maintenance packs all use it.
pub fn advance(anchor: Date, end: Date, months: u32) -> Date {
    match months_from(anchor, end) {
        Some(k) => anchor.add_months(k.saturating_add(months)).unwrap_or(Date::MAX),
        None => end.add_months(months).unwrap_or(Date::MAX),
    }
}

/// Whether `end` is `anchor` plus whole months (clamped to the month's end), so that
/// [`advance`] counts from `anchor`.
pub fn counts_from(anchor: Date, end: Date) -> bool {
    months_from(anchor, end).is_some()
}

/// `k` such that `anchor + k months == end` (clamped to the month's end), if there is one.
pub fn months_from(anchor: Date, end: Date) -> Option<u32> {
    let (ay, am, _) = anchor.ymd();
    let (ey, em, _) = end.ymd();
    let k = (i64::from(ey) * 12 + i64::from(em)) - (i64::from(ay) * 12 + i64::from(am));
    let k = u32::try_from(k).ok()?;
    (anchor.add_months(k) == Some(end)).then_some(k)
}

/// The first anniversary of a contract started on `start` that is strictly after `day`
/// (the first anniversary if `day` is before the contract starts).
pub fn next_anniversary(start: Date, day: Date) -> Date {
    let (sy, _, _) = start.ymd();
    let (dy, _, _) = day.ymd();
    // Start one year before the year of `day` so the clamping never skips one.
    let mut n = u32::from(dy.saturating_sub(sy)).saturating_sub(1).max(1);
    loop {
        let a = anniversary(start, n);
        if a > day || a == Date::MAX {
            return a;
        }
        n += 1;
    }
}

/// When reductions of a product take effect (the catalog's `reduction_policy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReductionPolicy {
    /// On-premises: at the next contract anniversary ordered at least `notice_months`
    /// calendar months before it, else the one after. The scope and the maintenance
    /// drop together.
    ContractYear {
        /// Months of notice before the anniversary (default 3).
        notice_months: u32,
    },
    /// Instances the vendor hosts: at the next calendar quarter start ordered at least
    /// `notice_days` days before it, else the one after.
    Quarterly {
        /// Days of notice before the quarter start (default 20).
        notice_days: u32,
    },
}

impl Default for ReductionPolicy {
    /// `contract-year` with 3 months' notice: the toolkit is for on-premises software.
    fn default() -> Self {
        ReductionPolicy::ContractYear {
            notice_months: REDUCTION_NOTICE_MONTHS,
        }
    }
}

impl ReductionPolicy {
    /// `quarterly` with 20 days' notice.
    pub const fn default_quarterly() -> ReductionPolicy {
        ReductionPolicy::Quarterly {
            notice_days: REDUCTION_NOTICE_DAYS as u32,
        }
    }

    /// The catalog word: `contract-year` or `quarterly`.
    pub const fn name(self) -> &'static str {
        match self {
            ReductionPolicy::ContractYear { .. } => "contract-year",
            ReductionPolicy::Quarterly { .. } => "quarterly",
        }
    }

    /// The notice in plain words: "3 months before the contract anniversary", "20 days
    /// before the quarter start".
    pub fn notice_words(self) -> String {
        match self {
            ReductionPolicy::ContractYear { notice_months } => format!(
                "{} before the contract anniversary",
                plural(u64::from(notice_months), "month", "months")
            ),
            ReductionPolicy::Quarterly { notice_days } => format!(
                "{} before the quarter start",
                plural(u64::from(notice_days), "day", "days")
            ),
        }
    }

    /// The day a reduction ordered on `order_day` takes effect, for a contract that
    /// started on `contract_start` (only `contract-year` uses it).
    pub fn effective(self, order_day: Date, contract_start: Date) -> Date {
        match self {
            ReductionPolicy::ContractYear { .. } => {
                let mut a = next_anniversary(contract_start, order_day);
                while order_day > self.cutoff(a) && a != Date::MAX {
                    a = next_anniversary(contract_start, a);
                }
                a
            }
            ReductionPolicy::Quarterly { notice_days } => {
                let next = next_quarter_start(order_day);
                if next.days_since(order_day) >= i64::from(notice_days) {
                    next
                } else {
                    next.add_months(3).unwrap_or(Date::MAX)
                }
            }
        }
    }

    /// The last day on which a reduction taking effect on `effective` can be ordered, and
    /// a pending one withdrawn: `effective - N months` or `effective - N days`.
    pub fn cutoff(self, effective: Date) -> Date {
        match self {
            ReductionPolicy::ContractYear { notice_months } => sub_months(effective, notice_months),
            ReductionPolicy::Quarterly { notice_days } => {
                effective.saturating_add_days(-i64::from(notice_days))
            }
        }
    }

    /// Whether a pending reduction taking effect on `effective` can still be withdrawn on
    /// `today` (up to and including its cutoff).
    pub fn may_withdraw(self, effective: Date, today: Date) -> bool {
        today <= self.cutoff(effective)
    }
}

/// The last day covered by an exclusive end (`end - 1 day`): what people read.
pub fn last_day(end: Date) -> Date {
    end.saturating_add_days(-1)
}

/// "until 2027-03-13 (last day)" for an exclusive end of 2027-03-14.
pub fn until_words(end: Date) -> String {
    format!("until {} (last day)", last_day(end))
}

/// `n` with the singular or plural noun: "1 day", "2 days", "1 seat", "0 seats".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    license_core::words::plural(n, one, many).to_string()
}

/// The day a notice is due `months` calendar months before the last day covered by the
/// exclusive `end` ("one month before the expiration date"), clamped to the month's end.
pub fn notice_day(end: Date, months: u32) -> Date {
    sub_months(last_day(end), months)
}

/// When a renewal code for a term ending on `expires` can be issued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenewalWindow {
    /// First day a renewal is issued without being asked for: the day after the
    /// cancellation deadline (a cancellation from then on no longer stops it), at the
    /// latest on [`RenewalWindow::latest`].
    pub opens: Date,
    /// The day by which the renewal must be out ("at the latest 4 weeks before expiry"):
    /// `expires - latest_days`.
    pub latest: Date,
    /// First day it can no longer be issued: `expires + grace_days`.
    pub closes: Date,
}

impl RenewalWindow {
    /// The window of a term ending on `expires` with `grace_days` of grace, a
    /// cancellation notice of `notice_months` months and the renewal due `latest_days`
    /// before expiry at the latest.
    pub fn new(expires: Date, grace_days: u16, notice_months: u32, latest_days: u32) -> RenewalWindow {
        let latest = expires.saturating_add_days(-i64::from(latest_days));
        let after_deadline = cancellation_deadline(expires, notice_months).saturating_add_days(1);
        RenewalWindow {
            opens: after_deadline.min(latest),
            latest,
            // At least the expiry day itself, so a license without grace can be renewed
            // up to its last valid day.
            closes: expires.saturating_add_days(i64::from(grace_days)),
        }
    }

    /// Whether a renewal is due (issued without being asked for) on `today`.
    pub fn contains(&self, today: Date) -> bool {
        self.opens <= today && today < self.closes
    }

    /// Whether a renewal asked for on `today` can be issued: any day of the term that
    /// started on `term_start`, or inside the window.
    pub fn allows_on_request(&self, term_start: Date, today: Date) -> bool {
        term_start <= today && today < self.closes
    }

    /// Whether `today` is after the at-the-latest day: a renewal not issued by now is late.
    pub fn overdue(&self, today: Date) -> bool {
        today > self.latest
    }
}

/// How long one term is: whole months (subscriptions: the catalog's
/// `subscription_months`) or days (an NFR license issued for so many days).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TermLength {
    /// Whole calendar months, counted by [`advance`].
    Months(u32),
    /// Days.
    Days(u32),
}

impl TermLength {
    /// The end of the term that follows one ending on `end`, in a contract that started
    /// on `anchor`.
    pub fn after(self, anchor: Date, end: Date) -> Date {
        match self {
            TermLength::Months(m) => advance(anchor, end, m),
            TermLength::Days(n) => end.saturating_add_days(i64::from(n)),
        }
    }

    /// The length of the term from `from` to `to`: whole months if it is, else days.
    pub fn between(from: Date, to: Date) -> TermLength {
        match months_from(from, to) {
            Some(k) if k > 0 => TermLength::Months(k),
            _ => TermLength::Days(u32::try_from(to.days_since(from)).unwrap_or(0)),
        }
    }
}

/// The next term of a subscription that started on `contract_start` and whose current
/// term ends on `expires`, renewed on `today`: `(valid_from, expires)`. The end follows
/// [`TermLength::after`] (counted from the contract start).
pub fn next_term(contract_start: Date, expires: Date, today: Date, term: TermLength) -> (Date, Date) {
    let valid_from = expires.max(today);
    (valid_from, term.after(contract_start, expires))
}

/// The same day of the month `months` months earlier (clamped to the month's end).
pub fn sub_months(day: Date, months: u32) -> Date {
    let (y, m, d) = day.ymd();
    let total = i64::from(y) * 12 + i64::from(m) - 1 - i64::from(months);
    let year = u16::try_from(total.div_euclid(12)).unwrap_or(0);
    let month = (total.rem_euclid(12) + 1) as u8;
    if year < 1970 {
        return Date::UNIX_EPOCH;
    }
    ymd(year, month, d.min(days_in_month(year, month)))
}

/// The last day a cancellation of a term ending on `expires` (exclusive) stops the next
/// renewal: `expires - notice_months` months, or with no notice (0) the term's last day.
pub fn cancellation_deadline(expires: Date, notice_months: u32) -> Date {
    match notice_months {
        0 => expires.saturating_add_days(-1),
        n => sub_months(expires, n),
    }
}

/// The day a subscription cancelled on `ordered` ends (exclusive), given the contract's
/// start, its current term end, term length and notice: the current end if ordered by the
/// deadline, else one term later (by [`advance`]).
pub fn cancellation_ends(
    contract_start: Date,
    expires: Date,
    ordered: Date,
    term: TermLength,
    notice_months: u32,
) -> Date {
    if ordered <= cancellation_deadline(expires, notice_months) {
        expires
    } else {
        term.after(contract_start, expires)
    }
}

/// Maintenance end after a pack of `months` bought on `purchase`, given the current
/// maintenance end (exclusive; `None` = no maintenance so far) and the day the license's
/// maintenance is counted from (`anchor`, its first day): a running maintenance is
/// extended by [`advance`], a lapsed one starts again on the purchase day.
pub fn maintenance_after_pack(anchor: Date, current_end: Option<Date>, purchase: Date, months: u32) -> Date {
    match current_end {
        Some(end) if end > purchase => advance(anchor, end, months),
        _ => purchase.add_months(months).unwrap_or(Date::MAX),
    }
}

/// The first day of a month and the first day of the next month.
pub fn month_bounds(year: u16, month: u8) -> Option<(Date, Date)> {
    let first = Date::from_ymd(year, month, 1).ok()?;
    Some((first, first.add_months(1)?))
}

/// Days shared by the half-open ranges `[a0, a1)` and `[b0, b1)`.
pub fn overlap_days(a0: Date, a1: Date, b0: Date, b1: Date) -> u32 {
    let from = a0.max(b0);
    let to = a1.min(b1);
    u32::try_from(to.days_since(from)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    #[test]
    fn quarters() {
        assert_eq!(quarter_start(d(2026, 11, 22)), d(2026, 10, 1));
        assert_eq!(quarter_start(d(2026, 1, 1)), d(2026, 1, 1));
        assert_eq!(quarter_start(d(2026, 6, 30)), d(2026, 4, 1));
        assert_eq!(next_quarter_start(d(2026, 11, 22)), d(2027, 1, 1));
        assert_eq!(next_quarter_start(d(2026, 1, 1)), d(2026, 4, 1), "strictly after");
        assert_eq!(next_quarter_start(d(2026, 9, 30)), d(2026, 10, 1));
    }

    /// The cutoff for 1 January 2027 is 12 December 2026 (20 days before).
    #[test]
    fn reduction_around_the_20_day_cutoff_across_the_year_boundary() {
        let q = d(2027, 1, 1);
        assert_eq!(reduction_cutoff(q), d(2026, 12, 12));
        // 21st, 20th day before: next quarter. 19th day before: the quarter after.
        assert_eq!(reduction_effective(d(2026, 12, 11)), q);
        assert_eq!(reduction_effective(d(2026, 12, 12)), q);
        assert_eq!(reduction_effective(d(2026, 12, 13)), d(2027, 4, 1));
        // 12th, 11th and 10th day before the quarter start: all too late for it.
        assert_eq!(reduction_effective(d(2026, 12, 20)), d(2027, 4, 1));
        assert_eq!(reduction_effective(d(2026, 12, 21)), d(2027, 4, 1));
        assert_eq!(reduction_effective(d(2026, 12, 22)), d(2027, 4, 1));
        // The last day of the year and the quarter start itself.
        assert_eq!(reduction_effective(d(2026, 12, 31)), d(2027, 4, 1));
        assert_eq!(reduction_effective(d(2027, 1, 1)), d(2027, 4, 1));
    }

    #[test]
    fn reduction_cutoffs_of_every_quarter() {
        assert_eq!(reduction_cutoff(d(2026, 4, 1)), d(2026, 3, 12));
        assert_eq!(reduction_cutoff(d(2026, 7, 1)), d(2026, 6, 11));
        assert_eq!(reduction_cutoff(d(2026, 10, 1)), d(2026, 9, 11));
        assert_eq!(reduction_effective(d(2026, 9, 11)), d(2026, 10, 1));
        assert_eq!(reduction_effective(d(2026, 9, 12)), d(2027, 1, 1));
        assert_eq!(reduction_effective(d(2026, 6, 11)), d(2026, 7, 1));
        assert_eq!(reduction_effective(d(2026, 6, 12)), d(2026, 10, 1));
    }

    #[test]
    fn reduction_on_29_february() {
        // 2028 is a leap year: 29 February is 32 days before 1 April.
        assert_eq!(reduction_effective(d(2028, 2, 29)), d(2028, 4, 1));
        assert_eq!(reduction_cutoff(d(2028, 4, 1)), d(2028, 3, 12));
        assert_eq!(reduction_effective(d(2028, 3, 12)), d(2028, 4, 1));
        assert_eq!(reduction_effective(d(2028, 3, 13)), d(2028, 7, 1));
        // 10th to 12th day before 1 April 2028.
        for day in [20, 21, 22] {
            assert_eq!(reduction_effective(d(2028, 3, day)), d(2028, 7, 1));
        }
        assert!(may_withdraw(d(2028, 4, 1), d(2028, 2, 29)));
    }

    #[test]
    fn withdrawal_until_the_cutoff_inclusive() {
        let q = d(2027, 1, 1);
        assert!(may_withdraw(q, d(2026, 11, 22)));
        assert!(may_withdraw(q, d(2026, 12, 12)));
        assert!(!may_withdraw(q, d(2026, 12, 13)));
        assert!(!may_withdraw(q, q));
    }

    #[test]
    fn renewal_window_first_and_last_day() {
        let expires = d(2027, 11, 22);
        let w = RenewalWindow::new(expires, 14, 3, 28);
        // The cancellation deadline is 2027-08-22: from the day after, it is due.
        assert_eq!(w.opens, d(2027, 8, 23));
        assert_eq!(w.latest, d(2027, 10, 25), "at the latest 4 weeks before expiry");
        assert!(!w.contains(d(2027, 8, 22)), "a cancellation today still stops it");
        assert!(w.contains(d(2027, 8, 23)));
        assert!(w.contains(d(2027, 10, 25)));
        assert!(w.contains(d(2027, 12, 5)), "last allowed day: last day of grace");
        assert!(!w.contains(d(2027, 12, 6)), "grace over");
        // Earlier on request: any day of the term.
        assert!(w.allows_on_request(d(2026, 11, 22), d(2026, 11, 22)));
        assert!(!w.allows_on_request(d(2026, 11, 22), d(2026, 11, 21)));
        assert!(!w.allows_on_request(d(2026, 11, 22), d(2027, 12, 6)));
        assert!(!w.overdue(d(2027, 10, 25)), "due today, not late yet");
        assert!(w.overdue(d(2027, 10, 26)));
        // Without grace the last allowed day is the last valid day; without a notice
        // period the window opens on the at-the-latest day.
        let w0 = RenewalWindow::new(expires, 0, 0, 28);
        assert_eq!(w0.opens, d(2027, 10, 25));
        assert!(w0.contains(d(2027, 11, 21)));
        assert!(!w0.contains(expires));
        assert_eq!(
            next_term(d(2026, 11, 22), expires, d(2027, 10, 25), TermLength::Months(12)),
            (expires, d(2028, 11, 22))
        );
        // Renewed in grace: valid from the day of issue, same billing end.
        assert_eq!(
            next_term(d(2026, 11, 22), expires, d(2027, 12, 5), TermLength::Months(12)),
            (d(2027, 12, 5), d(2028, 11, 22))
        );
        // A term ending on 29 February renews to 28 February, and back to 29 February
        // in the next leap year when the contract started on 29 February.
        let leap = d(2024, 2, 29);
        assert_eq!(
            next_term(leap, d(2028, 2, 29), d(2028, 2, 1), TermLength::Months(12)).1,
            d(2029, 2, 28)
        );
        assert_eq!(
            next_term(leap, d(2031, 2, 28), d(2031, 2, 1), TermLength::Months(12)).1,
            d(2032, 2, 29)
        );
        // A contract started on 28 February stays on 28 February.
        let feb28 = d(2027, 2, 28);
        assert_eq!(
            next_term(feb28, d(2031, 2, 28), d(2031, 2, 1), TermLength::Months(12)).1,
            d(2032, 2, 28)
        );
    }

    /// Finding 3: `renew` on 2027-02-01 for a term ending 2027-03-14 was refused ("can be
    /// renewed from 2027-02-15"); the renewal must be out by 2027-02-14 at the latest.
    #[test]
    fn renewal_is_due_once_the_cancellation_deadline_has_passed() {
        let w = RenewalWindow::new(d(2027, 3, 14), 14, 3, 28);
        assert_eq!(w.opens, d(2026, 12, 15), "cancellation deadline 2026-12-14");
        assert_eq!(w.latest, d(2027, 2, 14));
        assert!(w.contains(d(2027, 2, 1)));
        assert!(!w.overdue(d(2027, 2, 1)));
        assert!(w.overdue(d(2027, 2, 15)), "a run on 2027-02-15 is late");
        assert!(!w.contains(d(2026, 12, 14)));
        // A catalog asking for 6 weeks.
        assert_eq!(
            RenewalWindow::new(d(2027, 3, 14), 14, 3, 42).latest,
            d(2027, 1, 31)
        );
    }

    #[test]
    fn cancellation_three_months_before_the_end() {
        let expires = d(2027, 11, 22);
        assert_eq!(cancellation_deadline(expires, 3), d(2027, 8, 22));
        assert_eq!(
            cancellation_ends(
                d(2026, 11, 22),
                expires,
                d(2027, 8, 22),
                TermLength::Months(12),
                3
            ),
            expires
        );
        assert_eq!(
            cancellation_ends(
                d(2026, 11, 22),
                expires,
                d(2027, 8, 23),
                TermLength::Months(12),
                3
            ),
            d(2028, 11, 22)
        );
        assert_eq!(cancellation_deadline(d(2027, 5, 31), 3), d(2027, 2, 28));
        assert_eq!(cancellation_deadline(d(2027, 2, 15), 3), d(2026, 11, 15));
        // No notice: any day of the term stops the next renewal.
        assert_eq!(
            cancellation_ends(
                d(2026, 11, 22),
                expires,
                d(2027, 11, 21),
                TermLength::Months(12),
                0
            ),
            expires
        );
        assert_eq!(
            cancellation_ends(
                d(2026, 11, 22),
                expires,
                d(2027, 11, 22),
                TermLength::Months(12),
                0
            ),
            d(2028, 11, 22)
        );
        assert_eq!(sub_months(d(2028, 5, 31), 3), d(2028, 2, 29));
    }

    #[test]
    fn two_maintenance_packs_in_a_row() {
        let bought = d(2026, 3, 2);
        // Perpetual license without maintenance: only releases of the purchase day.
        let without = bought.saturating_add_days(1);
        let first = maintenance_after_pack(bought, Some(without), d(2026, 5, 10), 12);
        assert_eq!(first, d(2027, 5, 10), "12 months from the day the pack is bought");
        let second = maintenance_after_pack(bought, Some(first), d(2026, 9, 1), 12);
        assert_eq!(second, d(2028, 5, 10), "a second pack extends the running one");
        // Bought after maintenance lapsed: 12 months from the new purchase day.
        assert_eq!(
            maintenance_after_pack(bought, Some(second), d(2028, 6, 1), 12),
            d(2029, 6, 1)
        );
        // Bought on the last covered day: still running, extends.
        assert_eq!(
            maintenance_after_pack(bought, Some(second), d(2028, 5, 9), 12),
            d(2029, 5, 10)
        );
        assert_eq!(
            maintenance_after_pack(bought, None, d(2028, 2, 29), 12),
            d(2029, 2, 28)
        );
        // Maintenance counted from 29 February comes back to 29 February in leap years.
        let leap = d(2028, 2, 29);
        assert_eq!(
            maintenance_after_pack(leap, Some(d(2031, 2, 28)), d(2030, 6, 1), 12),
            d(2032, 2, 29)
        );
    }

    #[test]
    fn months_and_overlaps() {
        assert_eq!(month_bounds(2028, 2), Some((d(2028, 2, 1), d(2028, 3, 1))));
        assert_eq!(month_bounds(2026, 12), Some((d(2026, 12, 1), d(2027, 1, 1))));
        assert_eq!(month_bounds(2026, 13), None);
        let (m0, m1) = (d(2026, 11, 1), d(2026, 12, 1));
        assert_eq!(overlap_days(d(2026, 11, 22), d(2027, 11, 22), m0, m1), 9);
        assert_eq!(overlap_days(d(2025, 11, 22), d(2026, 11, 22), m0, m1), 21);
        assert_eq!(overlap_days(d(2026, 12, 1), d(2027, 1, 1), m0, m1), 0);
        assert_eq!(overlap_days(d(2026, 1, 1), d(2027, 1, 1), m0, m1), 30);
    }

    fn contract_year() -> ReductionPolicy {
        ReductionPolicy::default()
    }

    #[test]
    fn anniversaries() {
        let start = d(2025, 1, 1);
        assert_eq!(anniversary(start, 2), d(2027, 1, 1));
        assert_eq!(next_anniversary(start, d(2026, 12, 1)), d(2027, 1, 1));
        assert_eq!(
            next_anniversary(start, d(2027, 1, 1)),
            d(2028, 1, 1),
            "strictly after"
        );
        assert_eq!(
            next_anniversary(start, d(2024, 6, 1)),
            d(2026, 1, 1),
            "before the start"
        );
        let leap = d(2024, 2, 29);
        assert_eq!(next_anniversary(leap, d(2024, 2, 29)), d(2025, 2, 28));
        assert_eq!(next_anniversary(leap, d(2027, 3, 1)), d(2028, 2, 29));
        assert_eq!(next_anniversary(leap, d(2028, 2, 28)), d(2028, 2, 29));
        assert_eq!(next_anniversary(leap, d(2028, 2, 29)), d(2029, 2, 28));
    }

    /// Finding 1: on-premises reductions take effect at the next contract anniversary
    /// with 3 months' notice. The example orders on 2026-12-01.
    #[test]
    fn contract_year_notice_on_the_day_and_one_day_late() {
        let p = contract_year();
        let start = d(2025, 1, 1);
        assert_eq!(p.cutoff(d(2027, 1, 1)), d(2026, 10, 1));
        assert_eq!(
            p.effective(d(2026, 10, 1), start),
            d(2027, 1, 1),
            "notice on the day"
        );
        assert_eq!(p.effective(d(2026, 10, 2), start), d(2028, 1, 1), "one day late");
        assert_eq!(p.effective(d(2026, 12, 1), start), d(2028, 1, 1));
        assert_eq!(
            p.effective(d(2026, 1, 1), start),
            d(2027, 1, 1),
            "on an anniversary"
        );
        // A license bought on 2026-03-15: the 2026-12-01 order is in time for 2027-03-15.
        assert_eq!(p.effective(d(2026, 12, 1), d(2026, 3, 15)), d(2027, 3, 15));
        assert_eq!(p.effective(d(2026, 12, 15), d(2026, 3, 15)), d(2027, 3, 15));
        assert_eq!(p.effective(d(2026, 12, 16), d(2026, 3, 15)), d(2028, 3, 15));
        // Ordered in the first contract year, even on the day the license starts.
        assert_eq!(p.effective(d(2026, 6, 1), d(2026, 6, 1)), d(2027, 6, 1));
        assert_eq!(p.effective(d(2027, 3, 2), d(2026, 6, 1)), d(2028, 6, 1));
        // Another notice period.
        let six = ReductionPolicy::ContractYear { notice_months: 6 };
        assert_eq!(six.effective(d(2026, 7, 1), start), d(2027, 1, 1));
        assert_eq!(six.effective(d(2026, 7, 2), start), d(2028, 1, 1));
        assert_eq!(p.name(), "contract-year");
        assert_eq!(p.notice_words(), "3 months before the contract anniversary");
        assert_eq!(
            ReductionPolicy::ContractYear { notice_months: 1 }.notice_words(),
            "1 month before the contract anniversary"
        );
    }

    #[test]
    fn contract_year_notice_across_a_year_end() {
        let p = contract_year();
        // Anniversary 2027-03-15, deadline 2026-12-15: the notice period spans 31 December.
        let start = d(2024, 3, 15);
        assert_eq!(p.cutoff(d(2027, 3, 15)), d(2026, 12, 15));
        assert_eq!(p.effective(d(2026, 12, 15), start), d(2027, 3, 15));
        assert_eq!(p.effective(d(2026, 12, 16), start), d(2028, 3, 15));
        assert_eq!(p.effective(d(2026, 12, 31), start), d(2028, 3, 15));
        assert_eq!(p.effective(d(2027, 1, 1), start), d(2028, 3, 15));
        // Anniversary on 1 January: the deadline is 1 October of the year before.
        assert_eq!(p.effective(d(2026, 9, 30), d(2020, 1, 1)), d(2027, 1, 1));
        assert_eq!(p.effective(d(2026, 10, 2), d(2020, 1, 1)), d(2028, 1, 1));
    }

    #[test]
    fn contract_year_from_29_february() {
        let p = contract_year();
        let start = d(2024, 2, 29);
        // Anniversaries 2025..2027 fall on 28 February, 2028 on 29 February.
        assert_eq!(p.effective(d(2024, 11, 28), start), d(2025, 2, 28));
        assert_eq!(p.effective(d(2024, 11, 29), start), d(2026, 2, 28));
        assert_eq!(p.cutoff(d(2028, 2, 29)), d(2027, 11, 29));
        assert_eq!(p.effective(d(2027, 11, 29), start), d(2028, 2, 29));
        assert_eq!(p.effective(d(2027, 11, 30), start), d(2029, 2, 28));
        // Ordered on 29 February itself.
        assert_eq!(p.effective(d(2028, 2, 29), start), d(2029, 2, 28));
        assert_eq!(p.effective(d(2028, 2, 29), d(2020, 6, 1)), d(2028, 6, 1));
        assert_eq!(p.effective(d(2028, 2, 29), d(2020, 5, 28)), d(2029, 5, 28));
        // A deadline clamped to the month's end: 31 May - 3 months = 28 February.
        let may = d(2025, 5, 31);
        assert_eq!(p.cutoff(d(2027, 5, 31)), d(2027, 2, 28));
        assert_eq!(p.effective(d(2027, 2, 28), may), d(2027, 5, 31));
        assert_eq!(p.effective(d(2027, 3, 1), may), d(2028, 5, 31));
    }

    #[test]
    fn contract_year_withdrawal_until_the_notice_deadline() {
        let p = contract_year();
        let a = d(2027, 1, 1);
        assert!(p.may_withdraw(a, d(2026, 9, 1)));
        assert!(p.may_withdraw(a, d(2026, 10, 1)), "on the deadline");
        assert!(!p.may_withdraw(a, d(2026, 10, 2)), "one day after");
        assert!(!p.may_withdraw(a, a));
        // Quarterly: until 20 days before the quarter start.
        let q = ReductionPolicy::default_quarterly();
        assert!(q.may_withdraw(a, d(2026, 12, 12)));
        assert!(!q.may_withdraw(a, d(2026, 12, 13)));
        assert_eq!(
            q.effective(d(2026, 12, 1), d(2020, 5, 5)),
            a,
            "no anniversary used"
        );
        assert_eq!(q.notice_words(), "20 days before the quarter start");
    }

    #[test]
    fn notices_in_calendar_months_and_last_days() {
        // Maintenance to 2027-05-09 (exclusive end 2027-05-10): notice on 2027-04-09.
        assert_eq!(notice_day(d(2027, 5, 10), 1), d(2027, 4, 9));
        // Last day 31 March: one month before is 28 February, not 30 days before (1 March).
        assert_eq!(notice_day(d(2027, 4, 1), 1), d(2027, 2, 28));
        assert_eq!(notice_day(d(2028, 3, 30), 1), d(2028, 2, 29));
        assert_eq!(notice_day(d(2027, 1, 1), 1), d(2026, 11, 30));
        assert_eq!(last_day(d(2027, 3, 14)), d(2027, 3, 13));
        assert_eq!(until_words(d(2027, 3, 14)), "until 2027-03-13 (last day)");
        assert_eq!(plural(1, "day", "days"), "1 day");
        assert_eq!(plural(14, "day", "days"), "14 days");
        assert_eq!(plural(0, "seat", "seats"), "0 seats");
        assert_eq!(plural(1, "seat", "seats"), "1 seat");
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn any_day() -> impl Strategy<Value = Date> {
            // 2020-01-01 .. 2099-12-31
            (18_262u32..47_482).prop_map(Date::from_days_since_unix_epoch)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            /// The effective date is the earliest quarter start at least 20 days ahead.
            #[test]
            fn reduction_is_the_first_quarter_start_20_days_ahead(order in any_day()) {
                let e = reduction_effective(order);
                prop_assert_eq!(quarter_start(e), e);
                prop_assert!(e.days_since(order) >= REDUCTION_NOTICE_DAYS);
                let earlier = sub_months(e, 3);
                prop_assert!(earlier <= order || earlier.days_since(order) < REDUCTION_NOTICE_DAYS);
                prop_assert!(may_withdraw(e, order));
            }

            #[test]
            fn maintenance_pack_covers_twelve_months_from_the_later_of_purchase_and_end(
                purchase in any_day(), end in any_day(),
            ) {
                let new = maintenance_after_pack(end, Some(end), purchase, 12);
                prop_assert!(new > purchase && new > end.min(new));
                prop_assert_eq!(new, end.max(purchase).add_months(12).unwrap());
                prop_assert!(maintenance_after_pack(end, Some(new), purchase, 12) > new, "a second pack extends again");
            }

            #[test]
            fn renewal_is_due_at_the_latest_28_days_before_expiry(expires in any_day(), grace in 0u16..60, notice in 0u32..7) {
                let w = RenewalWindow::new(expires, grace, notice, 28);
                prop_assert_eq!(expires.days_since(w.latest), 28);
                prop_assert!(w.opens <= w.latest);
                prop_assert!(w.opens > cancellation_deadline(expires, notice) || w.opens == w.latest);
                prop_assert_eq!(w.closes.days_since(expires), i64::from(grace));
                let (from, to) = next_term(expires, expires, w.opens, TermLength::Months(12));
                prop_assert_eq!(from, expires);
                prop_assert!(to > from);
            }

            /// The earliest anniversary whose notice deadline is on or after the order.
            #[test]
            fn contract_year_is_the_first_anniversary_with_notice(
                order in any_day(), start in any_day(), months in 0u32..13,
            ) {
                let p = ReductionPolicy::ContractYear { notice_months: months };
                let e = p.effective(order, start);
                prop_assert!(e > order);
                prop_assert!(order <= p.cutoff(e));
                prop_assert!(p.may_withdraw(e, order));
                let mut n = 1;
                while anniversary(start, n) < e {
                    let a = anniversary(start, n);
                    prop_assert!(a <= order || order > p.cutoff(a), "{a} was in time");
                    n += 1;
                }
                prop_assert_eq!(anniversary(start, n), e);
            }
        }
    }
}
