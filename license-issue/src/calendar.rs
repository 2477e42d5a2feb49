//! The business rules that are about dates, as pure functions (no clock, no ledger).
//!
//! Every day is a whole UTC day; every end date is exclusive (the first day no longer
//! covered), as in `license-core`.
//!
//! - **Reductions** take effect at the start of a calendar quarter (1 January, 1 April,
//!   1 July, 1 October). An order placed on day `D` takes effect at the next quarter
//!   start `Q` (strictly after `D`) if `Q - D >= 20` days, that is if `D` is on or before
//!   the cutoff `Q - 20 days`; otherwise at the quarter start after `Q`. Example: for
//!   1 January 2027 the cutoff is 12 December 2026: an order on 12 December takes effect
//!   on 1 January, one on 13 December on 1 April.
//! - A pending reduction can be **withdrawn** up to and including its cutoff
//!   (`effective - 20 days`), the same day an order for that quarter start could still
//!   be placed.
//! - A subscription's **renewal** code can be issued from 28 days (4 weeks) before the
//!   term ends, up to and including the last day of the grace period
//!   (`expires + grace_days - 1`). The next term starts when the current one ends (or on
//!   the day of issue, if that is later: a code is never valid before it is signed) and
//!   ends a whole term after the current end, so a late renewal does not shift the
//!   billing dates.
//! - **Cancellation** must be ordered at least 3 months before the term ends (on or
//!   before `expires - 3 months`) to stop the next renewal; a later cancellation lets the
//!   subscription renew once more and ends it after that term.
//! - A **maintenance pack** covers 12 months from the day it is bought; bought while
//!   maintenance still covers that day (`maintenance_ends > purchase`), it extends the
//!   current maintenance end by 12 months instead.

use license_core::{Date, days_in_month};

/// Days before a quarter start by which a reduction must be ordered.
pub const REDUCTION_NOTICE_DAYS: i64 = 20;
/// Days before expiry from which a renewal code can be issued (4 weeks).
pub const RENEWAL_LEAD_DAYS: i64 = 28;
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

/// The day a reduction ordered on `order_day` takes effect (see the module docs).
pub fn reduction_effective(order_day: Date) -> Date {
    let next = next_quarter_start(order_day);
    if next.days_since(order_day) >= REDUCTION_NOTICE_DAYS {
        next
    } else {
        next.add_months(3).unwrap_or(Date::MAX)
    }
}

/// The last day on which a reduction taking effect on `effective` can be ordered or
/// withdrawn: `effective - 20 days`.
pub fn reduction_cutoff(effective: Date) -> Date {
    effective.saturating_add_days(-REDUCTION_NOTICE_DAYS)
}

/// Whether a reduction taking effect on `effective` can still be withdrawn on `today`.
pub fn may_withdraw(effective: Date, today: Date) -> bool {
    today <= reduction_cutoff(effective)
}

/// When a renewal code for a term ending on `expires` can be issued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenewalWindow {
    /// First day a renewal can be issued: `expires - 28 days`.
    pub opens: Date,
    /// First day it can no longer be issued: `expires + grace_days`.
    pub closes: Date,
}

impl RenewalWindow {
    /// The window of a term ending on `expires` with `grace_days` of grace.
    pub fn new(expires: Date, grace_days: u16) -> RenewalWindow {
        RenewalWindow {
            opens: expires.saturating_add_days(-RENEWAL_LEAD_DAYS),
            // At least the expiry day itself, so a license without grace can be renewed
            // up to its last valid day.
            closes: expires.saturating_add_days(i64::from(grace_days)),
        }
    }

    /// Whether `today` is inside the window.
    pub fn contains(&self, today: Date) -> bool {
        self.opens <= today && today < self.closes
    }
}

/// The next term of a subscription whose current term ends on `expires`, renewed on
/// `today`, `months` long: `(valid_from, expires)`.
pub fn next_term(expires: Date, today: Date, months: u32) -> (Date, Date) {
    let valid_from = expires.max(today);
    (valid_from, expires.add_months(months).unwrap_or(Date::MAX))
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

/// The day a subscription cancelled on `ordered` ends (exclusive), given its current term
/// end, term length and notice: the current end if ordered by the deadline, else one
/// term later.
pub fn cancellation_ends(expires: Date, ordered: Date, term_months: u32, notice_months: u32) -> Date {
    if ordered <= cancellation_deadline(expires, notice_months) {
        expires
    } else {
        expires.add_months(term_months).unwrap_or(Date::MAX)
    }
}

/// Maintenance end after a pack of `months` bought on `purchase`, given the current
/// maintenance end (exclusive; `None` = no maintenance so far).
pub fn maintenance_after_pack(current_end: Option<Date>, purchase: Date, months: u32) -> Date {
    let base = match current_end {
        Some(end) if end > purchase => end,
        _ => purchase,
    };
    base.add_months(months).unwrap_or(Date::MAX)
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
        let w = RenewalWindow::new(expires, 14);
        assert_eq!(w.opens, d(2027, 10, 25));
        assert!(!w.contains(d(2027, 10, 24)), "the day before the window");
        assert!(
            w.contains(d(2027, 10, 25)),
            "first allowed day: 4 weeks before expiry"
        );
        assert!(w.contains(d(2027, 12, 5)), "last allowed day: last day of grace");
        assert!(!w.contains(d(2027, 12, 6)), "grace over");
        // Without grace the last allowed day is the last valid day.
        let w0 = RenewalWindow::new(expires, 0);
        assert!(w0.contains(d(2027, 11, 21)));
        assert!(!w0.contains(expires));
        assert_eq!(
            next_term(expires, d(2027, 10, 25), 12),
            (expires, d(2028, 11, 22))
        );
        // Renewed in grace: valid from the day of issue, same billing end.
        assert_eq!(
            next_term(expires, d(2027, 12, 5), 12),
            (d(2027, 12, 5), d(2028, 11, 22))
        );
        // A term ending on 29 February renews to 28 February.
        assert_eq!(next_term(d(2028, 2, 29), d(2028, 2, 1), 12).1, d(2029, 2, 28));
    }

    #[test]
    fn cancellation_three_months_before_the_end() {
        let expires = d(2027, 11, 22);
        assert_eq!(cancellation_deadline(expires, 3), d(2027, 8, 22));
        assert_eq!(cancellation_ends(expires, d(2027, 8, 22), 12, 3), expires);
        assert_eq!(cancellation_ends(expires, d(2027, 8, 23), 12, 3), d(2028, 11, 22));
        assert_eq!(cancellation_deadline(d(2027, 5, 31), 3), d(2027, 2, 28));
        assert_eq!(cancellation_deadline(d(2027, 2, 15), 3), d(2026, 11, 15));
        // No notice: any day of the term stops the next renewal.
        assert_eq!(cancellation_ends(expires, d(2027, 11, 21), 12, 0), expires);
        assert_eq!(
            cancellation_ends(expires, d(2027, 11, 22), 12, 0),
            d(2028, 11, 22)
        );
        assert_eq!(sub_months(d(2028, 5, 31), 3), d(2028, 2, 29));
    }

    #[test]
    fn two_maintenance_packs_in_a_row() {
        let bought = d(2026, 3, 2);
        // Perpetual license without maintenance: only releases of the purchase day.
        let without = bought.saturating_add_days(1);
        let first = maintenance_after_pack(Some(without), d(2026, 5, 10), 12);
        assert_eq!(first, d(2027, 5, 10), "12 months from the day the pack is bought");
        let second = maintenance_after_pack(Some(first), d(2026, 9, 1), 12);
        assert_eq!(second, d(2028, 5, 10), "a second pack extends the running one");
        // Bought after maintenance lapsed: 12 months from the new purchase day.
        assert_eq!(
            maintenance_after_pack(Some(second), d(2028, 6, 1), 12),
            d(2029, 6, 1)
        );
        // Bought on the last covered day: still running, extends.
        assert_eq!(
            maintenance_after_pack(Some(second), d(2028, 5, 9), 12),
            d(2029, 5, 10)
        );
        assert_eq!(maintenance_after_pack(None, d(2028, 2, 29), 12), d(2029, 2, 28));
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
                let new = maintenance_after_pack(Some(end), purchase, 12);
                prop_assert!(new > purchase && new > end.min(new));
                prop_assert_eq!(new, end.max(purchase).add_months(12).unwrap());
                prop_assert!(maintenance_after_pack(Some(new), purchase, 12) > new, "a second pack extends again");
            }

            #[test]
            fn renewal_window_is_28_days_before_to_end_of_grace(expires in any_day(), grace in 0u16..60) {
                let w = RenewalWindow::new(expires, grace);
                prop_assert_eq!(expires.days_since(w.opens), 28);
                prop_assert_eq!(w.closes.days_since(expires), i64::from(grace));
                let (from, to) = next_term(expires, w.opens, 12);
                prop_assert_eq!(from, expires);
                prop_assert!(to > from);
            }
        }
    }
}
