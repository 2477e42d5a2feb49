//! Business rules through the issuer, with exact dates.

use license_core::{
    Context, Date, Kind, ModuleSet, Policy, RevocationEntry, RevokedRevisions, Status, UntrustedCode,
    UntrustedRevocationList,
};

use crate::catalog::error::CatalogError;
use crate::issuer::error::OrderError;
use crate::ledger::error::LedgerError;
use crate::*;

fn d(y: u16, m: u8, day: u8) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

/// The demo product under the quarterly reduction rule (the rule of vendor-hosted
/// instances): these tests hold its dates; `lifecycle_tests` holds the contract-year rule
/// the on-premises demo catalog uses.
fn quarterly_demo() -> Catalog {
    let text = DEMO_CATALOG
        .replace(
            "reduction_policy = \"contract-year\"",
            "reduction_policy = \"quarterly\"",
        )
        .replace("reduction_notice_months = 3", "reduction_notice_days = 20");
    let c = Catalog::from_toml(&text, std::path::Path::new("quarterly demo")).unwrap();
    assert_eq!(
        c.reduction_policy(),
        calendar::ReductionPolicy::default_quarterly()
    );
    c
}

fn issuer() -> Issuer<MemoryLedger> {
    let mut catalogs = Catalogs::new();
    catalogs.insert(quarterly_demo());
    Issuer::new(catalogs, VendorKey::from_seed(&[7; 32]), MemoryLedger::new())
}

fn perpetual(users: u32, modules: &[&str]) -> NewLicense {
    let mut o = NewLicense::new("demo-erp", Kind::Full, Customer::new("ACME Corp"));
    o.line = Some("expert".into());
    o.named_users = Some(users);
    o.modules = modules.iter().map(|m| m.to_string()).collect();
    o.bind = BindTo::database("DB-JBW44-P5J45-44VPC-YCED6");
    o
}

fn subscription() -> NewLicense {
    let mut o = NewLicense::new("demo-erp", Kind::Subscription, Customer::new("ACME Corp"));
    o.line = Some("expert".into());
    o.named_users = Some(25);
    o.concurrent_seats = Some(10);
    o.modules = vec!["crm".into(), "budget".into(), "planning".into(), "bi".into()];
    o
}

/// The code verifies with license-core for its context and says what the ledger says.
fn assert_verifies(i: &Issued) {
    let keys = [VendorKey::from_seed(&[7; 32]).public_key()];
    let mut ctx = Context::new(&i.product, &i.licensee);
    if let Some(db) = &i.database {
        ctx = ctx.with_database(db);
    }
    let v = UntrustedCode::parse(&i.code)
        .unwrap()
        .verify(&keys, &ctx)
        .unwrap();
    assert_eq!(v.license(), &i.license);
}

#[test]
fn new_license_validation() {
    let mut is = issuer();
    let today = d(2026, 11, 22);
    let zero = NewLicense {
        named_users: Some(0),
        ..perpetual(1, &["crm"])
    };
    assert!(matches!(
        is.issue(&zero, today),
        Err(Error::Order(OrderError::NoUsersOrSeats))
    ));
    let mut early = subscription();
    early.term = Term::Until(today);
    assert!(
        matches!(is.issue(&early, today), Err(Error::Order(OrderError::EndsBeforeStart { expires, .. })) if expires == today)
    );
    early.term = Term::Until(d(2026, 11, 1));
    assert!(is.issue(&early, today).is_err(), "no expiry before issue");
    let mut backdated = subscription();
    backdated.valid_from = Some(d(2026, 11, 21));
    assert!(matches!(
        is.issue(&backdated, today),
        Err(Error::Order(OrderError::StartsBeforeIssue { .. }))
    ));
    let too_many = perpetual(5001, &["crm"]);
    assert!(matches!(
        is.issue(&too_many, today),
        Err(Error::Order(OrderError::OverLimit { max: 5000, .. }))
    ));
    let unlimited = NewLicense {
        named_users: None,
        ..perpetual(1, &["crm"])
    };
    assert!(
        is.issue(&unlimited, today).is_err(),
        "the catalog caps named users"
    );
    let unknown = perpetual(5, &["crm", "payroll"]);
    assert!(matches!(
        is.issue(&unknown, today),
        Err(Error::Catalog(CatalogError::UnknownModule { .. }))
    ));
    let mut timed_full = perpetual(5, &["crm"]);
    timed_full.term = Term::Months(12);
    assert!(matches!(
        is.issue(&timed_full, today),
        Err(Error::Order(OrderError::PerpetualHasNoTerm))
    ));
    let mut nobody = perpetual(5, &["crm"]);
    nobody.customer.licensee = "  ".into();
    assert!(is.issue(&nobody, today).is_err());
    assert!(
        is.ledger().records().unwrap().is_empty(),
        "nothing recorded for refused orders"
    );
    let ok = is.issue(&perpetual(40, &["crm", "bi"]), today).unwrap();
    assert_eq!(ok.license.license_id, 1001, "the catalog's first id");
    assert_eq!(ok.license.revision, 1);
    assert_eq!(
        ok.license.maintenance_ends,
        Some(d(2027, 11, 22)),
        "one catalog pack by default"
    );
    assert_verifies(&ok);
    let next = is.issue(&perpetual(3, &[]), today).unwrap();
    assert_eq!(next.license.license_id, 1002);
    assert_eq!(next.license.modules, ModuleSet::EMPTY);
}

#[test]
fn trial_has_the_catalog_terms() {
    let mut is = issuer();
    let t = is
        .trial(
            "demo-erp",
            Customer::new("Prospect GmbH"),
            BindTo::nothing(),
            d(2026, 11, 22),
        )
        .unwrap();
    let l = t.license;
    assert_eq!(l.kind, Kind::Trial);
    assert_eq!(l.expires, Some(d(2026, 12, 22)), "30 days");
    assert_eq!(l.named_users, Some(10));
    assert_eq!(l.modules, Catalog::demo().unwrap().all_modules());
    assert_eq!(l.line.get(), 1, "expert");
    assert_eq!((l.grace_days, l.demo_seats), (0, 0));
    assert_eq!(t.operation, Operation::Trial);
    assert_verifies(&t);
}

#[test]
fn nfr_is_time_limited_all_modules_and_renews() {
    let mut is = issuer();
    let mut o = NewLicense::new("demo-erp", Kind::Nfr, Customer::new("Partner AG"));
    o.named_users = Some(5);
    let n = is.issue(&o, d(2026, 1, 15)).unwrap();
    // Every module, present and future (format 2's flag), not the catalog's six.
    assert_eq!(n.license.modules, ModuleSet::ALL);
    assert_verifies(&n);
    assert_eq!(n.license.expires, Some(d(2027, 1, 15)));
    // Due once the cancellation deadline (2026-10-15, 3 months before the end) has passed.
    assert_eq!(is.renewals_due(d(2026, 10, 15)).unwrap(), Vec::<u32>::new());
    assert_eq!(is.renewals_due(d(2026, 10, 16)).unwrap(), vec![1001]);
    let r = is.renew(1001, d(2026, 12, 18)).unwrap();
    assert_eq!(
        (r.license.valid_from, r.license.expires),
        (d(2027, 1, 15), Some(d(2028, 1, 15)))
    );
}

#[test]
fn upgrade_is_a_new_revision_effective_at_once() {
    let mut is = issuer();
    let day = d(2026, 3, 2);
    is.issue(&perpetual(40, &["crm"]), day).unwrap();
    let change = Change {
        named_users: Some(50),
        add_modules: vec!["bi".into()],
        ..Change::default()
    };
    let up = is.upgrade(1001, &change, d(2026, 5, 4)).unwrap();
    assert!(up.next_term.is_none());
    let l = up.now.license;
    assert_eq!((l.license_id, l.revision), (1001, 2));
    assert_eq!((l.valid_from, l.named_users), (d(2026, 5, 4), Some(50)));
    assert_eq!(l.modules, ModuleSet::EMPTY.with(0).with(3));
    assert_eq!(l.maintenance_ends, Some(d(2027, 3, 2)), "maintenance unchanged");
    assert_verifies(&up.now);
    let fewer = Change {
        named_users: Some(10),
        ..Change::default()
    };
    assert!(
        matches!(is.upgrade(1001, &fewer, d(2026, 5, 4)), Err(Error::Order(OrderError::ChangeReduces { what, .. })) if what.contains("fewer named users"))
    );
    assert!(
        matches!(
            is.upgrade(1001, &change, d(2026, 5, 4)),
            Err(Error::Order(OrderError::ChangeIsEmpty { license_id: 1001 }))
        ),
        "nothing new"
    );
    assert!(matches!(
        is.upgrade(9999, &change, day),
        Err(Error::Order(OrderError::UnknownLicense { license_id: 9999 }))
    ));
    // Standard -> Expert is an upgrade, Expert -> Standard a reduction.
    let mut std = perpetual(5, &["crm"]);
    std.line = Some("standard".into());
    is.issue(&std, day).unwrap();
    let to_expert = Change {
        line: Some("expert".into()),
        ..Change::default()
    };
    assert_eq!(
        is.upgrade(1002, &to_expert, day).unwrap().now.license.line.get(),
        1
    );
    let to_standard = Change {
        line: Some("standard".into()),
        ..Change::default()
    };
    assert!(is.upgrade(1002, &to_standard, day).is_err());
}

#[test]
fn reduction_dates_around_the_cutoff() {
    let fewer = Change {
        named_users: Some(20),
        ..Change::default()
    };
    // (order day, expected effective date): 21st, 20th, 19th, 12th, 11th, 10th day
    // before 1 January 2027, and 29 February 2028.
    let cases = [
        (d(2026, 12, 11), d(2027, 1, 1)),
        (d(2026, 12, 12), d(2027, 1, 1)),
        (d(2026, 12, 13), d(2027, 4, 1)),
        (d(2026, 12, 20), d(2027, 4, 1)),
        (d(2026, 12, 21), d(2027, 4, 1)),
        (d(2026, 12, 22), d(2027, 4, 1)),
        (d(2028, 2, 29), d(2028, 4, 1)),
    ];
    for (order, effective) in cases {
        let mut is = issuer();
        is.issue(&perpetual(40, &["crm"]), d(2026, 3, 2)).unwrap();
        let r = is.reduce(1001, &fewer, order).unwrap();
        assert_eq!(r.effective, effective, "ordered {order}");
        assert_eq!(r.cutoff, effective.saturating_add_days(-20));
        assert!(r.immediate.is_none());
        let l = r.scheduled.license;
        assert_eq!((l.revision, l.issued, l.valid_from), (2, order, effective));
        assert_eq!(l.named_users, Some(20));
        assert_verifies(&r.scheduled);
        // Before the start the reduced code is not yet valid; the old one is in force.
        let eval = license_core::evaluate(&l, order, order, &Policy::default());
        assert_eq!(eval.status, Status::NotYetValid { starts: effective });
        let h = is.history(1001).unwrap();
        assert_eq!(h.effective_on(order).unwrap().license.revision, 1);
        assert_eq!(h.effective_on(effective).unwrap().license.revision, 2);
    }
}

#[test]
fn mixed_order_splits_and_the_old_code_is_revoked_from_the_start() {
    let mut is = issuer();
    is.issue(&perpetual(40, &["crm", "budget"]), d(2026, 3, 2))
        .unwrap();
    let mixed = Change {
        named_users: Some(30),
        add_modules: vec!["bi".into()],
        remove_modules: vec!["budget".into()],
        ..Change::default()
    };
    let today = d(2026, 11, 22);
    let r = is.reduce(1001, &mixed, today).unwrap();
    let now = r.immediate.clone().unwrap().license;
    assert_eq!(
        (now.revision, now.valid_from, now.expires),
        (2, today, Some(d(2027, 1, 1)))
    );
    assert_eq!(now.named_users, Some(40), "the reduction waits");
    assert_eq!(
        now.modules,
        ModuleSet::EMPTY.with(0).with(1).with(3),
        "the addition is immediate"
    );
    let later = r.scheduled.license;
    assert_eq!(
        (later.revision, later.valid_from, later.expires),
        (3, d(2027, 1, 1), None)
    );
    assert_eq!(later.named_users, Some(30));
    assert_eq!(later.modules, ModuleSet::EMPTY.with(0).with(3));
    // While pending, other changes are refused with a clear cause.
    assert!(matches!(
        is.rehost(
            1001,
            BindTo::database("DB-XBCB3-D56SS-K3RXM-4N75J"),
            Unbind::default(),
            today
        ),
        Err(Error::Order(OrderError::ReductionPending { revision: 3, .. }))
    ));
    // Revocation: the immediate code replaces the old one at once (the old one has no
    // end date, the bridge ends when the reduction starts); from the start the larger
    // revisions 1 and 2 are listed.
    assert_eq!(
        is.revocation_entries(d(2026, 12, 31)).unwrap(),
        vec![RevocationEntry {
            license_id: 1001,
            revisions: RevokedRevisions::UpTo(1)
        }]
    );
    assert_eq!(
        is.revocation_entries(d(2027, 1, 1)).unwrap(),
        vec![RevocationEntry {
            license_id: 1001,
            revisions: RevokedRevisions::UpTo(2)
        }]
    );
    // After the start, changes are possible again.
    let more = Change {
        named_users: Some(45),
        ..Change::default()
    };
    assert!(is.upgrade(1001, &more, d(2027, 1, 1)).is_ok());
}

#[test]
fn withdrawal_until_the_cutoff() {
    let fewer = Change {
        remove_modules: vec!["crm".into()],
        ..Change::default()
    };
    let mut is = issuer();
    is.issue(&perpetual(40, &["crm", "bi"]), d(2026, 3, 2)).unwrap();
    assert!(matches!(
        is.withdraw_reduction(1001, d(2026, 11, 22)),
        Err(Error::Order(OrderError::NoPendingReduction { .. }))
    ));
    is.reduce(1001, &fewer, d(2026, 11, 22)).unwrap();
    // The cutoff day itself is still in time.
    let w = is.withdraw_reduction(1001, d(2026, 12, 12)).unwrap();
    assert_eq!(w.license.revision, 3, "higher than the withdrawn revision 2");
    assert_eq!(w.license.modules, ModuleSet::EMPTY.with(0).with(3));
    assert_eq!(w.license.expires, None);
    let h = is.history(1001).unwrap();
    assert!(h.revisions[1].withdrawn);
    assert_eq!(h.effective_on(d(2027, 6, 1)).unwrap().license.revision, 3);
    // The withdrawn (smaller) code is listed so it cannot be replayed after the 3.
    assert_eq!(
        is.revocation_entries(d(2026, 12, 12)).unwrap()[0].revisions,
        RevokedRevisions::UpTo(2)
    );
    // One day after the cutoff: too late.
    let mut is = issuer();
    is.issue(&perpetual(40, &["crm", "bi"]), d(2026, 3, 2)).unwrap();
    is.reduce(1001, &fewer, d(2026, 11, 22)).unwrap();
    assert!(matches!(
        is.withdraw_reduction(1001, d(2026, 12, 13)),
        Err(Error::Order(OrderError::WithdrawalTooLate { cutoff, .. })) if cutoff == d(2026, 12, 12)
    ));
    // A mixed order withdrawn: the additions stay, without the bridge's end date.
    let mut is = issuer();
    is.issue(&perpetual(40, &["crm"]), d(2026, 3, 2)).unwrap();
    let mixed = Change {
        named_users: Some(20),
        add_modules: vec!["bi".into()],
        ..Change::default()
    };
    is.reduce(1001, &mixed, d(2026, 11, 22)).unwrap();
    let w = is.withdraw_reduction(1001, d(2026, 11, 30)).unwrap();
    assert_eq!((w.license.named_users, w.license.expires), (Some(40), None));
    assert!(w.license.modules.contains(3));
}

#[test]
fn reduction_refused_when_the_term_ends_first() {
    let mut is = issuer();
    let mut o = subscription();
    o.term = Term::Months(1);
    is.issue(&o, d(2026, 11, 22)).unwrap();
    let fewer = Change {
        named_users: Some(5),
        ..Change::default()
    };
    assert!(matches!(
        is.reduce(1001, &fewer, d(2026, 11, 22)),
        Err(Error::Order(OrderError::ReductionAfterExpiry { effective, .. })) if effective == d(2027, 1, 1)
    ));
    assert!(matches!(
        is.reduce(1001, &Change::default(), d(2026, 11, 22)),
        Err(Error::Order(OrderError::ReducesNothing { license_id: 1001 }))
    ));
}

#[test]
fn renewal_on_the_first_and_last_allowed_day() {
    let start = d(2026, 11, 22);
    let expires = d(2027, 11, 22);
    // On the cancellation deadline (3 months before the end) a cancellation still stops
    // the renewal: not due yet.
    let mut is = issuer();
    is.issue(&subscription(), start).unwrap();
    assert!(matches!(
        is.renew(1001, d(2027, 8, 22)),
        Err(Error::Order(OrderError::RenewalTooEarly { opens, .. })) if opens == d(2027, 8, 23)
    ));
    // First day: the day after the deadline, well before the at-the-latest day (4 weeks
    // before expiry, 2027-10-25).
    let r = is.renew(1001, d(2027, 8, 23)).unwrap();
    let l = r.license;
    assert_eq!((l.revision, l.issued, l.valid_from), (2, d(2027, 8, 23), expires));
    assert_eq!(
        (l.expires, l.maintenance_ends),
        (Some(d(2028, 11, 22)), Some(d(2028, 11, 22)))
    );
    assert_verifies(&r);
    // Renewing again right away is early for the new term.
    assert!(matches!(
        is.renew(1001, d(2027, 10, 25)),
        Err(Error::Order(OrderError::RenewalTooEarly { expires, .. })) if expires == d(2028, 11, 22)
    ));
    // Last allowed day: the last day of the 14-day grace period; valid from that day.
    let mut is = issuer();
    is.issue(&subscription(), start).unwrap();
    let r = is.renew(1001, d(2027, 12, 5)).unwrap();
    assert_eq!(
        (r.license.valid_from, r.license.expires),
        (d(2027, 12, 5), Some(d(2028, 11, 22)))
    );
    // One day later the subscription has lapsed.
    let mut is = issuer();
    is.issue(&subscription(), start).unwrap();
    assert!(matches!(
        is.renew(1001, d(2027, 12, 6)),
        Err(Error::Order(OrderError::RenewalLapsed { closed, .. })) if closed == d(2027, 12, 6)
    ));
    // Full licenses are not renewed.
    is.issue(&perpetual(5, &["crm"]), start).unwrap();
    assert!(matches!(
        is.renew(1002, start),
        Err(Error::Order(OrderError::NotApplicable { .. }))
    ));
}

#[test]
fn cancel_versus_revoke() {
    let start = d(2026, 11, 22);
    // Cancelled by the deadline (3 months before the end): no renewal.
    let mut is = issuer();
    is.issue(&subscription(), start).unwrap();
    assert_eq!(is.cancel(1001, d(2027, 8, 22)).unwrap().ends, d(2027, 11, 22));
    assert!(matches!(
        is.cancel(1001, d(2027, 8, 22)),
        Err(Error::Order(OrderError::Cancelled { .. }))
    ));
    assert!(matches!(
        is.renew(1001, d(2027, 11, 1)),
        Err(Error::Order(OrderError::Cancelled { .. }))
    ));
    assert_eq!(is.renewals_due(d(2027, 11, 1)).unwrap(), Vec::<u32>::new());
    assert_eq!(
        is.revocation_entries(d(2027, 11, 1)).unwrap(),
        vec![],
        "a cancelled license is not revoked"
    );
    // Cancelled one day late: one more term.
    let mut is = issuer();
    is.issue(&subscription(), start).unwrap();
    assert_eq!(is.cancel(1001, d(2027, 8, 23)).unwrap().ends, d(2028, 11, 22));
    assert!(is.renew(1001, d(2027, 11, 1)).is_ok());
    assert!(matches!(
        is.renew(1001, d(2028, 11, 1)),
        Err(Error::Order(OrderError::Cancelled { .. }))
    ));
    // Revoked: listed with every revision, nothing more issued.
    is.revoke(1001, Some("order reversed"), d(2028, 1, 10)).unwrap();
    assert_eq!(
        is.revocation_entries(d(2028, 1, 10)).unwrap(),
        vec![RevocationEntry {
            license_id: 1001,
            revisions: RevokedRevisions::All
        }]
    );
    assert!(matches!(
        is.renew(1001, d(2028, 11, 1)),
        Err(Error::Order(OrderError::Revoked { .. }))
    ));
    assert!(matches!(
        is.revoke(1001, None, d(2028, 1, 11)),
        Err(Error::Order(OrderError::Revoked { .. }))
    ));
    let more = Change {
        named_users: Some(30),
        ..Change::default()
    };
    assert!(matches!(
        is.upgrade(1001, &more, d(2028, 1, 11)),
        Err(Error::Order(OrderError::Revoked { .. }))
    ));
    // A perpetual license is not cancelled.
    is.issue(&perpetual(5, &["crm"]), start).unwrap();
    assert!(matches!(
        is.cancel(1002, start),
        Err(Error::Order(OrderError::NotApplicable { .. }))
    ));
}

#[test]
fn two_maintenance_packs_in_a_row() {
    let mut is = issuer();
    let mut o = perpetual(10, &["crm"]);
    o.maintenance_months = Some(0);
    let bought = d(2026, 3, 2);
    let l = is.issue(&o, bought).unwrap().license;
    assert_eq!(
        l.maintenance_ends,
        Some(d(2026, 3, 3)),
        "only releases of the purchase day"
    );
    let first = is
        .add_maintenance(1001, MaintenanceKind::OneServer, d(2026, 5, 10))
        .unwrap();
    assert_eq!(first.now.license.maintenance_ends, Some(d(2027, 5, 10)));
    assert_eq!(first.now.license.revision, 2);
    let second = is
        .add_maintenance(1001, MaintenanceKind::Site, d(2026, 9, 1))
        .unwrap();
    assert_eq!(
        second.now.license.maintenance_ends,
        Some(d(2028, 5, 10)),
        "extended again"
    );
    assert_eq!(second.now.license.binding, l.binding, "the binding stays");
    let h = is.history(1001).unwrap();
    assert_eq!(
        h.maintenance_packs,
        vec![
            (d(2026, 5, 10), MaintenanceKind::OneServer),
            (d(2026, 9, 1), MaintenanceKind::Site)
        ]
    );
    assert_eq!(
        is.revocation_entries(d(2026, 9, 1)).unwrap(),
        vec![],
        "smaller old codes are not listed"
    );
    assert_verifies(&second.now);
    is.issue(&subscription(), bought).unwrap();
    assert!(matches!(
        is.add_maintenance(1002, MaintenanceKind::OneServer, bought),
        Err(Error::Order(OrderError::NotApplicable { .. }))
    ));
}

#[test]
fn additional_order_while_a_reduction_is_pending_reissues_both_codes() {
    let mut is = issuer();
    is.issue(&perpetual(40, &["crm", "budget"]), d(2026, 11, 1))
        .unwrap();
    let fewer = Change {
        named_users: Some(30),
        ..Change::default()
    };
    let r = is.reduce(1001, &fewer, d(2026, 11, 22)).unwrap();
    assert_eq!(r.effective, d(2027, 1, 1));
    // After the cutoff (12 December), before the start: the order takes effect at once.
    let day = d(2026, 12, 20);
    let more = Change {
        named_users: Some(45),
        add_modules: vec!["bi".into()],
        ..Change::default()
    };
    let out = is.upgrade(1001, &more, day).unwrap();
    let now = out.now.license;
    assert_eq!(
        (now.revision, now.valid_from, now.expires),
        (3, day, Some(d(2027, 1, 1)))
    );
    assert_eq!(
        (now.named_users, now.modules),
        (Some(45), ModuleSet::EMPTY.with(0).with(1).with(3))
    );
    let later = out.next_term.expect("the pending reduction re-issued");
    assert_eq!(later.operation, Operation::Reduce);
    assert_eq!(
        (later.license.revision, later.license.valid_from),
        (4, d(2027, 1, 1))
    );
    assert_eq!(
        (later.license.named_users, later.license.modules),
        (Some(35), ModuleSet::EMPTY.with(0).with(1).with(3)),
        "the reduction keeps its 10 fewer users and gets the additions"
    );
    assert_verifies(&out.now);
    assert_verifies(&later);
    let h = is.history(1001).unwrap();
    assert_eq!(h.pending_reduction(day).map(|r| r.license.revision), Some(4));
    assert_eq!(h.effective_on(d(2027, 1, 1)).map(|r| r.license.revision), Some(4));
}

#[test]
fn rehost_and_transfer_supersede_the_old_binding() {
    let mut is = issuer();
    let day = d(2026, 11, 22);
    let mut o = perpetual(10, &["crm"]);
    o.customer.reseller = Some("Reseller One".into());
    o.customer.licensee = "Reseller One".into();
    is.issue(&o, day).unwrap();
    let moved = is
        .rehost(
            1001,
            BindTo::database("DB-R11AW-R900S-EG3R3-Q22T5"),
            Unbind::default(),
            d(2026, 12, 1),
        )
        .unwrap();
    assert_eq!(moved.now.license.revision, 2);
    assert_eq!(moved.now.database.as_deref(), Some("DB-R11AW-R900S-EG3R3-Q22T5"));
    assert_verifies(&moved.now);
    assert_eq!(
        is.revocation_entries(d(2026, 12, 1)).unwrap()[0].revisions,
        RevokedRevisions::UpTo(1)
    );
    let mut end = Customer::new("End Customer Ltd");
    end.customer_ref = Some("EC-42".into());
    let t = is
        .transfer(1001, end, BindTo::nothing(), Unbind::default(), d(2026, 12, 2))
        .unwrap();
    assert_eq!(
        (t.now.licensee.as_str(), t.now.license.revision),
        ("End Customer Ltd", 3)
    );
    assert_eq!(
        t.now.database.as_deref(),
        Some("DB-R11AW-R900S-EG3R3-Q22T5"),
        "binding kept"
    );
    assert_verifies(&t.now);
    let h = is.history(1001).unwrap();
    assert_eq!(
        h.reseller.as_deref(),
        Some("Reseller One"),
        "still invoiced to the reseller"
    );
    assert_eq!(h.licensee, "End Customer Ltd");
    assert_eq!(
        is.revocation_entries(d(2026, 12, 2)).unwrap()[0].revisions,
        RevokedRevisions::UpTo(2)
    );
}

#[test]
fn upgrade_after_renewal_reissues_the_next_term() {
    let mut is = issuer();
    is.issue(&subscription(), d(2026, 11, 22)).unwrap();
    is.renew(1001, d(2027, 11, 1)).unwrap();
    let more = Change {
        named_users: Some(30),
        ..Change::default()
    };
    let up = is.upgrade(1001, &more, d(2027, 11, 2)).unwrap();
    assert_eq!(
        (up.now.license.revision, up.now.license.expires),
        (3, Some(d(2027, 11, 22)))
    );
    let next = up.next_term.unwrap().license;
    assert_eq!(
        (next.revision, next.valid_from, next.expires),
        (4, d(2027, 11, 22), Some(d(2028, 11, 22)))
    );
    assert_eq!(next.named_users, Some(30));
    // A mixed order while the next term is issued: additions first.
    let mixed = Change {
        named_users: Some(20),
        add_modules: vec!["crm".into()],
        concurrent_seats: Some(11),
        ..Change::default()
    };
    assert!(matches!(
        is.reduce(1001, &mixed, d(2027, 11, 2)),
        Err(Error::Order(OrderError::NextTermPending { revision: 4, .. }))
    ));
}

#[test]
fn reduction_while_the_next_term_is_issued_cuts_the_reduced_code_from_it() {
    let fewer = Change {
        named_users: Some(20),
        ..Change::default()
    };
    // Effective within the next term (1 January 2028, the term starts 22 November 2027).
    let mut is = issuer();
    is.issue(&subscription(), d(2026, 11, 22)).unwrap();
    is.renew(1001, d(2027, 11, 1)).unwrap();
    let r = is.reduce(1001, &fewer, d(2027, 11, 2)).unwrap();
    let l = r.scheduled.license;
    assert_eq!(
        (l.revision, l.valid_from, l.expires, l.named_users),
        (3, d(2028, 1, 1), Some(d(2028, 11, 22)), Some(20))
    );
    assert_verifies(&r.scheduled);
    let h = is.history(1001).unwrap();
    let in_force = |day| {
        h.effective_on(day)
            .map(|r| (r.license.revision, r.license.named_users))
    };
    assert_eq!(in_force(d(2027, 11, 21)), Some((1, Some(25))));
    assert_eq!(
        in_force(d(2027, 12, 31)),
        Some((2, Some(25))),
        "the next term's code"
    );
    assert_eq!(in_force(d(2028, 1, 1)), Some((3, Some(20))));
    assert_eq!(
        is.revocation_entries(d(2028, 1, 1)).unwrap()[0].revisions,
        RevokedRevisions::UpTo(2),
        "the next term's larger code is listed from the start"
    );
    // Only one pending code can take additions: here two are pending, so upgrade waits.
    let more = Change {
        named_users: Some(30),
        ..Change::default()
    };
    let refused = is.upgrade(1001, &more, d(2027, 11, 3));
    assert!(matches!(
        refused,
        Err(Error::Order(OrderError::ReductionPending { revision: 3, .. }))
    ));
    assert_eq!(
        refused.unwrap_err().to_string(),
        "license 1001 has a reduction (revision 3) pending from 2028-01-01: withdraw it first and order the combined change"
    );
    // Withdrawn: the next term's scope again, from its start.
    let w = is.withdraw_reduction(1001, d(2027, 11, 3)).unwrap().license;
    assert_eq!(
        (w.revision, w.valid_from, w.expires, w.named_users),
        (4, d(2027, 11, 22), Some(d(2028, 11, 22)), Some(25))
    );

    // Effective before the next term starts (term ends 5 January 2028): one reduced code
    // from 1 January to the end of the next term.
    let mut is = issuer();
    let mut o = subscription();
    o.valid_from = Some(d(2027, 1, 5));
    is.issue(&o, d(2026, 11, 22)).unwrap();
    is.renew(1001, d(2027, 12, 8)).unwrap();
    let r = is.reduce(1001, &fewer, d(2027, 12, 10)).unwrap();
    let l = r.scheduled.license;
    assert_eq!(
        (l.revision, l.valid_from, l.expires, l.named_users),
        (3, d(2028, 1, 1), Some(d(2029, 1, 5)), Some(20))
    );
    let h = is.history(1001).unwrap();
    assert_eq!(
        h.effective_on(d(2028, 1, 20)).map(|r| r.license.revision),
        Some(3)
    );
    // An additional order meanwhile re-issues the code in force and the reduced one.
    let more = Change {
        named_users: Some(30),
        ..Change::default()
    };
    let up = is.upgrade(1001, &more, d(2027, 12, 20)).unwrap();
    assert_eq!(up.now.license.expires, Some(d(2028, 1, 1)));
    assert_eq!(up.next_term.map(|n| n.license.named_users), Some(Some(25)));
}

#[test]
fn revocation_list_is_signed_and_verifies() {
    let mut is = issuer();
    is.issue(&subscription(), d(2026, 11, 22)).unwrap();
    is.issue(&subscription(), d(2026, 11, 22)).unwrap();
    is.revoke(1002, None, d(2026, 11, 23)).unwrap();
    let (bytes, entries) = is.revocation_list("demo-erp", 7, d(2026, 11, 23), 30).unwrap();
    assert_eq!(entries.len(), 1);
    let keys = [VendorKey::from_seed(&[7; 32]).public_key()];
    let list = UntrustedRevocationList::parse(&bytes)
        .unwrap()
        .verify(&keys, "demo-erp")
        .unwrap();
    assert_eq!((list.sequence(), list.expires()), (7, d(2026, 12, 23)));
    assert!(list.is_revoked(1002, 1) && !list.is_revoked(1001, 1));
    assert!(is.revocation_list("demo-erp", 8, d(2026, 11, 23), 0).is_err());
    assert!(
        is.revocation_list("no-such-product", 8, d(2026, 11, 23), 30)
            .is_err()
    );
}

#[test]
fn reports() {
    let mut is = issuer();
    let mut o = subscription();
    o.customer.reseller = Some("R1".into());
    is.issue(&o, d(2026, 11, 22)).unwrap(); // 1001
    is.trial("demo-erp", Customer::new("T"), BindTo::nothing(), d(2026, 11, 25))
        .unwrap(); // 1002
    is.issue(&perpetual(5, &["crm"]), d(2026, 11, 30)).unwrap(); // 1003
    let more = Change {
        named_users: Some(30),
        ..Change::default()
    };
    is.upgrade(1001, &more, d(2026, 12, 10)).unwrap();
    let records = is.ledger().records().unwrap();
    let catalogs = is.catalogs().clone();
    let nov = issued_in_month(&records, &catalogs, Month::parse("2026-11").unwrap()).unwrap();
    let count = |r: &IssuedReport, k: &str| {
        r.totals
            .iter()
            .find(|t| t.kind == k)
            .map(|t| (t.new_licenses, t.codes))
    };
    assert_eq!(count(&nov, "subscription"), Some((1, 1)));
    assert_eq!(count(&nov, "demo/trial"), Some((1, 1)));
    assert_eq!(count(&nov, "full"), Some((1, 1)));
    assert_eq!(count(&nov, "nfr"), Some((0, 0)));
    let dec = issued_in_month(&records, &catalogs, Month::parse("2026-12").unwrap()).unwrap();
    assert_eq!(count(&dec, "subscription"), Some((0, 1)));
    let csv = nov.to_csv().unwrap();
    assert_eq!(csv.lines().count(), 4);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("2026-11-22,1001,1,subscription,issue,demo-erp,ACME Corp,R1,")
    );
    assert!(csv.contains("crm budget planning bi"));

    let histories = is.histories().unwrap();
    let active = active_subscriptions(&histories, &catalogs, d(2026, 11, 21));
    assert!(active.is_empty());
    let active = active_subscriptions(&histories, &catalogs, d(2026, 12, 10));
    assert_eq!(active.len(), 1);
    assert_eq!((active[0].license_id, active[0].named_users), (1001, Some(30)));

    // November: 9 days (22nd to 30th); December: 9 days at 25 users, 22 at 30.
    let p = pro_rata(&histories, &catalogs, Month::parse("2026-11").unwrap(), None).unwrap();
    assert_eq!(p.rows.len(), 1);
    assert_eq!(
        (
            p.rows[0].from,
            p.rows[0].to,
            p.rows[0].days,
            p.rows[0].days_in_month
        ),
        (d(2026, 11, 22), d(2026, 11, 30), 9, 30)
    );
    let p = pro_rata(
        &histories,
        &catalogs,
        Month::parse("2026-12").unwrap(),
        Some("R1"),
    )
    .unwrap();
    let segs: Vec<(u32, Option<u32>)> = p.rows.iter().map(|r| (r.days, r.named_users)).collect();
    assert_eq!(segs, vec![(9, Some(25)), (22, Some(30))]);
    assert_eq!(p.resellers.len(), 1);
    assert_eq!(
        (
            p.resellers[0].subscriptions,
            p.resellers[0].days,
            p.resellers[0].user_days
        ),
        (1, 31, 9 * 25 + 22 * 30)
    );
    assert!(
        pro_rata(
            &histories,
            &catalogs,
            Month::parse("2026-12").unwrap(),
            Some("R2")
        )
        .unwrap()
        .rows
        .is_empty()
    );

    // Notices: the subscription ends 2027-11-22; the perpetual license's maintenance 2027-11-30.
    let n = renewal_notices(&histories, d(2027, 10, 23), 30);
    assert_eq!(
        n.iter().map(|r| (r.license_id, r.what)).collect::<Vec<_>>(),
        vec![(1001, "subscription")]
    );
    let n = renewal_notices(&histories, d(2027, 11, 1), 30);
    assert_eq!(
        n.iter()
            .map(|r| (r.license_id, r.what, r.days_left))
            .collect::<Vec<_>>(),
        vec![(1001, "subscription", 21), (1003, "maintenance", 29)]
    );
}

#[test]
fn erased_licensee_keeps_numbers_and_blocks_resigning() {
    let mut is = issuer();
    let mut o = subscription();
    o.customer.contact = Some("1 Main Street, Springfield".into());
    is.issue(&o, d(2026, 11, 22)).unwrap();
    let mut is = Issuer::new(is.catalogs().clone(), VendorKey::from_seed(&[7; 32]), {
        let mut l = is.into_ledger();
        assert_eq!(l.erase_licensee("acme corp", "customer-0001").unwrap(), 1);
        l
    });
    let h = is.history(1001).unwrap();
    assert_eq!(
        (h.licensee.as_str(), h.contact.as_deref(), h.erased),
        ("customer-0001", None, true)
    );
    assert_eq!(h.revisions[0].license.named_users, Some(25));
    assert!(matches!(
        is.renew(1001, d(2027, 11, 1)),
        Err(Error::Order(OrderError::Erased { .. }))
    ));
}

#[test]
fn report_csv_neutralizes_formulas_and_keeps_wide_names() {
    let mut is = issuer();
    let today = d(2026, 11, 22);
    for name in [
        "=HYPERLINK(\"http://evil\",\"click\")",
        "株式会社エーシーエム",
        "@SUM(A1)",
    ] {
        let mut o = subscription();
        o.customer = Customer::new(name);
        is.issue(&o, today).unwrap();
    }
    let records = is.ledger().records().unwrap();
    let report = issued_in_month(&records, is.catalogs(), Month::of(today)).unwrap();
    let csv = report.to_csv().unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[1].contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\","),
        "{csv}"
    );
    assert!(lines[2].contains(",株式会社エーシーエム,"), "{csv}");
    assert!(lines[3].contains(",'@SUM(A1),"), "{csv}");
    // The JSON keeps the names as they are: only the spreadsheet form is guarded.
    assert_eq!(report.codes[0].licensee, "=HYPERLINK(\"http://evil\",\"click\")");
}

#[test]
fn a_retried_order_returns_the_first_result_and_issues_nothing() {
    let mut is = issuer();
    let today = d(2026, 11, 22);
    let order = Order::Issue(subscription());
    let first = is.place(Some("portal-1"), &order, today).unwrap();
    let again = is.place(Some("portal-1"), &order, today).unwrap();
    assert_eq!(first, again);
    assert_eq!(is.ledger().records().unwrap().len(), 1);
    // Another key: another license.
    let other = is.place(Some("portal-2"), &order, today).unwrap();
    assert_ne!(other.license_id(), first.license_id());
    // The same key for another order is refused.
    let upgrade = Order::Upgrade {
        license_id: first.license_id(),
        change: Change {
            named_users: Some(30),
            ..Change::default()
        },
    };
    assert!(matches!(
        is.place(Some("portal-1"), &upgrade, today),
        Err(Error::Ledger(LedgerError::OrderKeyReused { .. }))
    ));
    let up = is.place(Some("portal-3"), &upgrade, today).unwrap();
    assert_eq!(is.place(Some("portal-3"), &upgrade, today).unwrap(), up);
    let Outcome::Reissued(r) = &up else {
        panic!("{up:?}")
    };
    assert_eq!(r.now.license.revision, 2);
    // Reductions and cancellations replay the same way.
    let reduce = Order::Reduce {
        license_id: first.license_id(),
        change: Change {
            named_users: Some(20),
            ..Change::default()
        },
    };
    let red = is.place(Some("portal-4"), &reduce, today).unwrap();
    assert_eq!(is.place(Some("portal-4"), &reduce, today).unwrap(), red);
    let cancel = Order::Cancel {
        license_id: other.license_id(),
    };
    let c = is.place(Some("portal-5"), &cancel, today).unwrap();
    assert_eq!(is.place(Some("portal-5"), &cancel, today).unwrap(), c);
    assert_eq!(is.ledger().records().unwrap().len(), 5);
    // Orders are data: they round-trip through JSON as a portal sends them.
    let json = serde_json::to_string(&reduce).unwrap();
    assert_eq!(serde_json::from_str::<Order>(&json).unwrap(), reduce);
}

#[test]
fn a_stale_read_is_a_conflict_and_nothing_is_recorded() {
    let mut ledger = MemoryLedger::new();
    let mut is = issuer();
    let issued = is.issue(&subscription(), d(2026, 11, 22)).unwrap();
    let record = is.ledger().records().unwrap()[0].clone();
    ledger.append(&record).unwrap();
    let stale = Batch {
        license_id: issued.license.license_id,
        expected: 0,
        records: std::slice::from_ref(&record),
    };
    assert!(matches!(
        ledger.append_batch(&stale),
        Err(Error::Ledger(LedgerError::Conflict { .. }))
    ));
    assert_eq!(ledger.records().unwrap().len(), 1);
}
