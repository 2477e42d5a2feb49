//! Issue 20, items 2 and 3: one anniversary rule for terms, renewals, cancellations,
//! reductions and maintenance, checked for every start day of a leap cycle (1,461 days,
//! 2028-01-01 to 2031-12-31) against a reference computation written out here (the
//! Gregorian leap rule and "the same month and day, 28 February for 29 February in a
//! common year"), and the two orders the audit saw refused.

use license_core::{Date, Kind};

use crate::catalog::calendar::{
    ReductionPolicy, TermLength, anniversary, cancellation_ends, maintenance_after_pack, next_anniversary,
    next_term,
};
use crate::*;

fn d(y: u16, m: u8, day: u8) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

// ---- The reference computation (independent of `Date::add_months` and `calendar`). ----

fn is_leap(y: u16) -> bool {
    y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))
}

fn days_in(y: u16, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The anniversary `years` after `start`: the same month and day, or the month's last day
/// if that day does not exist (29 February in a common year: 28 February).
fn ref_anniversary(start: Date, years: u16) -> Date {
    let (y, m, day) = start.ymd();
    let y = y + years;
    d(y, m, day.min(days_in(y, m)))
}

/// The same day `months` calendar months earlier, or the month's last day.
fn ref_months_before(day: Date, months: u8) -> Date {
    let (mut y, mut m, dd) = day.ymd();
    for _ in 0..months {
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    d(y, m, dd.min(days_in(y, m)))
}

/// Every start day of one leap cycle: 2028-01-01 .. 2031-12-31.
fn leap_cycle() -> Vec<Date> {
    let first = d(2028, 1, 1);
    let days: Vec<Date> = (0..1461).map(|i| first.saturating_add_days(i)).collect();
    assert_eq!(days.last(), Some(&d(2031, 12, 31)));
    days
}

#[test]
fn the_reference_knows_29_february() {
    assert_eq!(ref_anniversary(d(2028, 2, 29), 1), d(2029, 2, 28));
    assert_eq!(ref_anniversary(d(2028, 2, 29), 4), d(2032, 2, 29));
    assert_eq!(ref_anniversary(d(2029, 2, 28), 3), d(2032, 2, 28));
    assert_eq!(ref_months_before(d(2032, 2, 29), 3), d(2031, 11, 29));
    assert_eq!(ref_months_before(d(2031, 5, 31), 3), d(2031, 2, 28));
    assert_eq!(ref_months_before(d(2032, 1, 15), 3), d(2031, 10, 15));
    assert_eq!(leap_cycle().len(), 1461);
}

/// The calendar's functions, for every start day: anniversaries, renewed terms (eight in a
/// row), a cancellation that renews once more, maintenance packs extending a running
/// maintenance, and the contract-year reduction date on its notice deadline and the day
/// after.
#[test]
fn every_start_day_of_a_leap_cycle_calendar_rules() {
    let policy = ReductionPolicy::default();
    for s in leap_cycle() {
        let mut end = ref_anniversary(s, 1);
        for n in 1..=8u16 {
            let a = ref_anniversary(s, n);
            assert_eq!(anniversary(s, u32::from(n)), a, "anniversary {n} of {s}");
            assert_eq!(next_anniversary(s, a.saturating_add_days(-1)), a, "{s} {n}");
            // Renewal on the at-the-latest day and in grace: same end.
            assert_eq!(end, a, "term {n} of {s}");
            let (from, to) = next_term(s, end, end.saturating_add_days(-28), TermLength::Months(12));
            assert_eq!((from, to), (a, ref_anniversary(s, n + 1)), "renewal {n} of {s}");
            assert_eq!(
                next_term(s, end, end.saturating_add_days(5), TermLength::Months(12)).1,
                to
            );
            // Cancelled one day after the deadline: renews once more.
            let deadline = ref_months_before(a, 3);
            assert_eq!(cancellation_ends(s, a, deadline, TermLength::Months(12), 3), a);
            assert_eq!(
                cancellation_ends(s, a, deadline.saturating_add_days(1), TermLength::Months(12), 3),
                ref_anniversary(s, n + 1),
                "cancellation in year {n} of {s}"
            );
            // A maintenance pack bought the day before maintenance ends.
            assert_eq!(
                maintenance_after_pack(s, Some(a), a.saturating_add_days(-1), 12),
                ref_anniversary(s, n + 1),
                "maintenance pack {n} of {s}"
            );
            // Reductions at the anniversary: in time on the deadline, one day later the
            // anniversary after.
            assert_eq!(policy.cutoff(a), deadline, "deadline of {a}");
            assert_eq!(policy.effective(deadline, s), a, "reduction year {n} of {s}");
            assert_eq!(
                policy.effective(deadline.saturating_add_days(1), s),
                ref_anniversary(s, n + 1),
                "late reduction year {n} of {s}"
            );
            end = to;
        }
    }
}

fn issuer() -> Issuer<MemoryLedger> {
    let mut catalogs = Catalogs::new();
    catalogs.insert(Catalog::demo().unwrap());
    catalogs.insert(Catalog::demo_hosted().unwrap());
    Issuer::new(catalogs, VendorKey::from_seed(&[7; 32]), MemoryLedger::new())
}

fn subscription(product: &str, start: Date) -> NewLicense {
    let mut o = NewLicense::new(product, Kind::Subscription, Customer::new("ACME Corp"));
    o.line = Some("expert".into());
    o.named_users = Some(45);
    o.modules = vec!["crm".into(), "bi".into()];
    o.valid_from = Some(start);
    o
}

fn fewer_users(n: u32) -> Change {
    Change {
        named_users: Some(n),
        ..Change::default()
    }
}

/// Through the issuer, for every start day: a subscription issued on it, renewed three
/// times on the at-the-latest day (each term ends on an anniversary), then a reduction in
/// the fourth contract year ordered on its notice deadline (effective at the fourth
/// anniversary, the reduced code being the fifth term's), after a refused one ordered
/// after an earlier reduction's deadline would have passed.
#[test]
fn every_start_day_of_a_leap_cycle_terms_renewals_and_reductions() {
    for s in leap_cycle() {
        let mut is = issuer();
        let id = is
            .issue(&subscription("demo-erp", s), s)
            .unwrap()
            .license
            .license_id;
        for n in 1..=3u16 {
            let ends = ref_anniversary(s, n);
            let r = is.renew(id, ends.saturating_add_days(-28)).unwrap();
            assert_eq!(r.license.valid_from, ends, "renewal {n} of {s}");
            assert_eq!(
                r.license.expires,
                Some(ref_anniversary(s, n + 1)),
                "renewal {n} of {s}"
            );
        }
        let fourth = ref_anniversary(s, 4);
        let deadline = ref_months_before(fourth, 3);
        let late = is.reduce(id, &fewer_users(30), deadline.saturating_add_days(1));
        assert!(
            matches!(late, Err(Error::Order(OrderError::ReductionAfterExpiry { effective, expires, .. }))
                if effective == ref_anniversary(s, 5) && expires == fourth),
            "{s}: {late:?}"
        );
        let r = is.reduce(id, &fewer_users(30), deadline).unwrap();
        assert_eq!(r.effective, fourth, "{s}");
        assert_eq!(r.cutoff, deadline, "{s}");
        assert_eq!(r.scheduled.license.valid_from, fourth, "{s}");
        assert_eq!(r.scheduled.license.expires, Some(ref_anniversary(s, 5)), "{s}");
        assert_eq!(r.scheduled.license.named_users, Some(30));
    }
}

/// Through the issuer, for every start day: a perpetual license with 12 months of
/// maintenance, a server pack bought the day before maintenance ends, four years running
/// (each ends on an anniversary), then a reduction at the fifth anniversary whose reduced
/// code carries the sixth contract year's maintenance.
#[test]
fn every_start_day_of_a_leap_cycle_maintenance() {
    for s in leap_cycle() {
        let mut is = issuer();
        let mut o = NewLicense::new("demo-erp", Kind::Full, Customer::new("ACME Corp"));
        o.line = Some("expert".into());
        o.named_users = Some(40);
        o.modules = vec!["crm".into(), "bi".into()];
        o.bind = BindTo::database("DB-JBW44-P5J45-44VPC-YCED6");
        let l = is.issue(&o, s).unwrap().license;
        assert_eq!(l.maintenance_ends, Some(ref_anniversary(s, 1)), "{s}");
        for n in 1..=4u16 {
            let ends = ref_anniversary(s, n);
            let pack = is
                .add_maintenance(
                    l.license_id,
                    MaintenanceKind::OneServer,
                    ends.saturating_add_days(-1),
                )
                .unwrap();
            assert_eq!(
                pack.now.license.maintenance_ends,
                Some(ref_anniversary(s, n + 1)),
                "pack {n} of {s}"
            );
        }
        let fifth = ref_anniversary(s, 5);
        let r = is
            .reduce(l.license_id, &fewer_users(20), ref_months_before(fifth, 3))
            .unwrap();
        assert_eq!(r.effective, fifth, "{s}");
        assert_eq!(
            r.scheduled.license.maintenance_ends,
            Some(ref_anniversary(s, 6)),
            "{s}"
        );
    }
}

/// A maintenance that lapsed and starts again with a pack bought on 29 February is
/// counted from that day: it comes back to 29 February in the next leap year.
#[test]
fn maintenance_restarted_on_29_february_returns_to_it() {
    let mut is = issuer();
    let mut o = NewLicense::new("demo-erp", Kind::Full, Customer::new("ACME Corp"));
    o.line = Some("expert".into());
    o.named_users = Some(40);
    o.maintenance_months = Some(0);
    o.bind = BindTo::database("DB-JBW44-P5J45-44VPC-YCED6");
    let id = is.issue(&o, d(2027, 6, 10)).unwrap().license.license_id;
    let mut ends = Vec::new();
    for day in [d(2028, 2, 29), d(2029, 2, 1), d(2030, 2, 1), d(2031, 2, 1)] {
        let r = is.add_maintenance(id, MaintenanceKind::OneServer, day).unwrap();
        ends.push(r.now.license.maintenance_ends.unwrap());
    }
    assert_eq!(
        ends,
        [d(2029, 2, 28), d(2030, 2, 28), d(2031, 2, 28), d(2032, 2, 29)]
    );
}

/// Item 3 of the issue: a subscription started on 29 February, renewed every year, is
/// reduced in its fourth contract year: ordered on 2031-11-28 (in time for 2032-02-29,
/// whose notice deadline is 2031-11-29), the term ends on 2032-02-29, not 2032-02-28.
#[test]
fn a_subscription_started_on_29_february_is_reduced_in_its_fourth_year() {
    let mut is = issuer();
    let start = d(2028, 2, 29);
    let id = is
        .issue(&subscription("demo-erp", start), start)
        .unwrap()
        .license
        .license_id;
    let mut ends = Vec::new();
    for day in [d(2029, 1, 20), d(2030, 1, 20), d(2031, 1, 20)] {
        ends.push(is.renew(id, day).unwrap().license.expires.unwrap());
    }
    assert_eq!(ends, [d(2030, 2, 28), d(2031, 2, 28), d(2032, 2, 29)]);
    let r = is.reduce(id, &fewer_users(30), d(2031, 11, 28)).unwrap();
    assert_eq!(r.effective, d(2032, 2, 29));
    assert_eq!(r.cutoff, d(2031, 11, 29));
    assert_eq!(r.scheduled.license.valid_from, d(2032, 2, 29));
    assert_eq!(r.scheduled.license.expires, Some(d(2033, 2, 28)));
    assert_eq!(r.scheduled.license.named_users, Some(30));
}

/// Item 2 of the issue: a hosted subscription issued 2026-01-01 (term ends 2027-01-01),
/// `reduce --users 30` ordered 2026-12-12 (the cutoff for 2027-01-01): the reduced code is
/// the next term's, 2027-01-01 to 2028-01-01.
#[test]
fn a_hosted_reduction_on_the_quarter_start_the_term_ends_on_reduces_the_next_term() {
    let mut is = issuer();
    let start = d(2026, 1, 1);
    let id = is
        .issue(&subscription("demo-erp-hosted", start), start)
        .unwrap()
        .license
        .license_id;
    let r = is.reduce(id, &fewer_users(30), d(2026, 12, 12)).unwrap();
    assert_eq!(r.effective, d(2027, 1, 1));
    assert_eq!(r.cutoff, d(2026, 12, 12));
    assert!(r.immediate.is_none());
    assert_eq!(r.scheduled.license.valid_from, d(2027, 1, 1));
    assert_eq!(r.scheduled.license.expires, Some(d(2028, 1, 1)));
    assert_eq!(r.scheduled.license.named_users, Some(30));
    // It can be withdrawn until the cutoff: the next term keeps the full scope.
    let w = is.withdraw_reduction(id, d(2026, 12, 12)).unwrap();
    assert_eq!(w.license.named_users, Some(45));
    assert_eq!(w.license.expires, Some(d(2028, 1, 1)));
    assert_eq!(w.license.maintenance_ends, Some(d(2028, 1, 1)));
    // Another subscription: one day later the reduction is for 1 April, after the term:
    // refused, with the advice to change the scope at renewal, which `renew_with` follows.
    let id = is
        .issue(&subscription("demo-erp-hosted", start), start)
        .unwrap()
        .license
        .license_id;
    let late = is.reduce(id, &fewer_users(30), d(2026, 12, 13));
    assert!(
        matches!(late, Err(Error::Order(OrderError::ReductionAfterExpiry { effective, expires, .. }))
            if effective == d(2027, 4, 1) && expires == d(2027, 1, 1)),
        "{late:?}"
    );
    let renewed = is
        .renew_with(id, &fewer_users(30), false, d(2026, 12, 13))
        .unwrap();
    assert_eq!(renewed.license.valid_from, d(2027, 1, 1));
    assert_eq!(renewed.license.expires, Some(d(2028, 1, 1)));
    assert_eq!(renewed.license.named_users, Some(30));
    assert_eq!(renewed.license.modules, r.scheduled.license.modules);
}

/// `renew_with` takes the next term's scope: fewer users and a module removed, or more;
/// the current term's code is untouched; an unknown module is refused as in any order.
#[test]
fn renewal_with_the_next_terms_scope() {
    let mut is = issuer();
    let start = d(2026, 3, 15);
    let first = is.issue(&subscription("demo-erp", start), start).unwrap();
    let id = first.license.license_id;
    let change = Change {
        named_users: Some(20),
        remove_modules: vec!["bi".into()],
        ..Change::default()
    };
    let r = is.renew_with(id, &change, false, d(2027, 2, 1)).unwrap();
    let c = Catalog::demo().unwrap();
    assert_eq!(r.license.named_users, Some(20));
    assert_eq!(
        r.license.modules,
        license_core::ModuleSet::EMPTY.with(c.module("crm").unwrap())
    );
    assert_eq!(
        (r.license.valid_from, r.license.expires),
        (d(2027, 3, 15), Some(d(2028, 3, 15)))
    );
    assert_eq!(
        is.history(id)
            .unwrap()
            .effective_on(d(2027, 3, 14))
            .unwrap()
            .license,
        first.license
    );
    let bad = Change {
        add_modules: vec!["nonsense".into()],
        ..Change::default()
    };
    assert!(is.renew_with(id, &bad, true, d(2027, 4, 1)).is_err());
    let more = is.renew_with(id, &fewer_users(60), true, d(2027, 4, 1)).unwrap();
    assert_eq!(more.license.named_users, Some(60));
    assert_eq!(more.license.expires, Some(d(2029, 3, 15)));
}
