//! The lifecycle rules of issue 13 through the issuer, with the exact dates of each finding.

use license_core::{Date, Kind};

use crate::issuer::error::OrderError;
use crate::*;

fn d(y: u16, m: u8, day: u8) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

fn issuer() -> Issuer<MemoryLedger> {
    let mut catalogs = Catalogs::new();
    catalogs.insert(Catalog::demo().unwrap());
    catalogs.insert(Catalog::demo_hosted().unwrap());
    Issuer::new(catalogs, VendorKey::from_seed(&[7; 32]), MemoryLedger::new())
}

/// Finding 6: NFR means every feature, the top line and all modules.
#[test]
fn nfr_defaults_to_the_top_line_and_every_module() {
    let mut is = issuer();
    let mut o = NewLicense::new("demo-erp", Kind::Nfr, Customer::new("Partner AG"));
    o.named_users = Some(5);
    let n = is.issue(&o, d(2026, 1, 15)).unwrap();
    let c = Catalog::demo().unwrap();
    assert_eq!(c.line_name(n.license.line), "expert");
    assert_eq!(n.license.modules, license_core::ModuleSet::ALL);
    assert_eq!(c.module_names(n.license.modules), ["all"]);
    // Removing a module from "all" leaves the catalog's other modules.
    let change = Change {
        remove_modules: vec!["bi".into()],
        ..Change::default()
    };
    let fewer = change.apply(&c, &n.license).unwrap();
    assert_eq!(fewer.modules, c.all_modules().without(c.module("bi").unwrap()));
    // A line named in the order still wins.
    o.line = Some("standard".into());
    assert_eq!(is.issue(&o, d(2026, 1, 15)).unwrap().license.line.get(), 0);
}

/// Finding 7: the contact-center vendor licenses concurrent agents only.
#[test]
fn a_concurrent_only_subscription_is_allowed() {
    let mut is = issuer();
    let mut o = NewLicense::new("demo-erp", Kind::Subscription, Customer::new("CC GmbH"));
    o.concurrent_seats = Some(40);
    let s = is.issue(&o, d(2026, 11, 22)).unwrap();
    assert_eq!(
        (s.license.named_users, s.license.concurrent_seats),
        (None, Some(40))
    );
    // Neither count limited: still refused (the catalog limits named users).
    o.concurrent_seats = None;
    assert!(is.issue(&o, d(2026, 11, 22)).is_err());
}

fn perpetual(
    product: &str,
    users: u32,
    modules: &[&str],
    bought: Date,
    is: &mut Issuer<MemoryLedger>,
) -> u32 {
    let mut o = NewLicense::new(product, Kind::Full, Customer::new("ACME Corp"));
    o.line = Some("expert".into());
    o.named_users = Some(users);
    o.modules = modules.iter().map(|m| m.to_string()).collect();
    o.bind = BindTo::database("DB-JBW44-P5J45-44VPC-YCED6");
    is.issue(&o, bought).unwrap().license.license_id
}

fn mixed() -> Change {
    Change {
        named_users: Some(30),
        remove_modules: vec!["bi".into()],
        add_modules: vec!["documents".into()],
        ..Change::default()
    }
}

/// Findings 1 and 2 on-premises: a full license bought on 2026-03-15 (40 users, crm and
/// bi, 12 months of maintenance), `reduce --users 30 --remove-modules bi --add-modules
/// documents` on 2026-12-01: the additions at once, in a code ending on the next contract
/// anniversary 2027-03-15 (notice deadline 2026-12-15); the reduced scope from then, with
/// the next contract year's maintenance.
#[test]
fn contract_year_mixed_order() {
    let mut is = issuer();
    let id = perpetual("demo-erp", 40, &["crm", "bi"], d(2026, 3, 15), &mut is);
    let r = is.reduce(id, &mixed(), d(2026, 12, 1)).unwrap();
    assert_eq!((r.effective, r.cutoff), (d(2027, 3, 15), d(2026, 12, 15)));
    let c = Catalog::demo().unwrap();
    let now = r.immediate.unwrap().license;
    assert_eq!(now.named_users, Some(40));
    assert_eq!(c.module_names(now.modules), ["crm", "bi", "documents"]);
    assert_eq!(
        (now.valid_from, now.expires),
        (d(2026, 12, 1), Some(d(2027, 3, 15)))
    );
    assert_eq!(now.maintenance_ends, Some(d(2027, 3, 15)));
    assert!(now.interim, "replaced on 2027-03-15: never grace or demo mode");
    let reduced = r.scheduled.license;
    assert!(!reduced.interim);
    assert_eq!(reduced.named_users, Some(30));
    assert_eq!(c.module_names(reduced.modules), ["crm", "documents"]);
    assert_eq!((reduced.valid_from, reduced.expires), (d(2027, 3, 15), None));
    assert_eq!(
        reduced.maintenance_ends,
        Some(d(2028, 3, 15)),
        "the next contract year"
    );
    assert_eq!(reduced.revision, now.revision + 1);
    // One day after the notice deadline: the anniversary after.
    let mut is = issuer();
    let id = perpetual("demo-erp", 40, &["crm", "bi"], d(2026, 3, 15), &mut is);
    assert_eq!(
        is.reduce(id, &mixed(), d(2026, 12, 16)).unwrap().effective,
        d(2028, 3, 15)
    );
}

/// Quarterly (vendor-hosted): the same mixed order on 2026-12-01 takes effect on
/// 1 January 2027 (cutoff 12 December); maintenance is not touched.
#[test]
fn quarterly_mixed_order() {
    let mut is = issuer();
    let id = perpetual("demo-erp-hosted", 40, &["crm", "bi"], d(2026, 3, 15), &mut is);
    let r = is.reduce(id, &mixed(), d(2026, 12, 1)).unwrap();
    assert_eq!((r.effective, r.cutoff), (d(2027, 1, 1), d(2026, 12, 12)));
    let now = r.immediate.unwrap().license;
    assert_eq!(now.expires, Some(d(2027, 1, 1)));
    assert!(now.interim);
    assert_eq!(now.maintenance_ends, Some(d(2027, 3, 15)));
    assert_eq!(r.scheduled.license.maintenance_ends, Some(d(2027, 3, 15)));
    assert_eq!(r.scheduled.license.valid_from, d(2027, 1, 1));
    // Withdrawal until the cutoff.
    assert!(matches!(
        is.withdraw_reduction(id, d(2026, 12, 13)),
        Err(Error::Order(OrderError::WithdrawalTooLate { cutoff, .. })) if cutoff == d(2026, 12, 12)
    ));
    assert_eq!(
        is.withdraw_reduction(id, d(2026, 12, 12))
            .unwrap()
            .license
            .named_users,
        Some(40)
    );
}

/// A pure reduction of a perpetual license with maintenance prepaid past the anniversary:
/// the code in force is re-issued with its maintenance ending at the anniversary, the
/// reduced code keeps the prepaid maintenance; withdrawn until the notice deadline, the
/// old maintenance comes back.
#[test]
fn contract_year_reduction_cuts_the_maintenance_of_the_larger_scope() {
    let mut is = issuer();
    let mut o = NewLicense::new("demo-erp", Kind::Full, Customer::new("ACME Corp"));
    o.named_users = Some(40);
    o.maintenance_months = Some(24);
    o.bind = BindTo::database("DB-ZSNRK-1WQ6N-GHZP2-K95B9");
    let id = is.issue(&o, d(2026, 3, 15)).unwrap().license.license_id;
    let fewer = Change {
        named_users: Some(30),
        ..Change::default()
    };
    let r = is.reduce(id, &fewer, d(2026, 12, 15)).unwrap();
    assert_eq!(r.effective, d(2027, 3, 15), "notice on the deadline");
    let cut = r.immediate.unwrap();
    assert_eq!(cut.operation, Operation::Reduce);
    assert_eq!(cut.license.named_users, Some(40));
    assert_eq!(
        cut.license.expires, None,
        "still perpetual for the releases it covers"
    );
    assert_eq!(cut.license.maintenance_ends, Some(d(2027, 3, 15)));
    assert_eq!(r.scheduled.license.maintenance_ends, Some(d(2028, 3, 15)));
    // Withdrawal: on the deadline only (it was ordered on it).
    assert!(matches!(
        is.withdraw_reduction(id, d(2026, 12, 16)),
        Err(Error::Order(OrderError::WithdrawalTooLate { cutoff, .. })) if cutoff == d(2026, 12, 15)
    ));
    let mut is2 = issuer();
    let id2 = is2.issue(&o, d(2026, 3, 15)).unwrap().license.license_id;
    is2.reduce(id2, &fewer, d(2026, 9, 1)).unwrap();
    let w = is2.withdraw_reduction(id2, d(2026, 12, 15)).unwrap();
    assert_eq!(w.license.named_users, Some(40));
    assert_eq!(
        w.license.maintenance_ends,
        Some(d(2028, 3, 15)),
        "the prepaid maintenance again"
    );
    assert_eq!(w.license.valid_from, d(2026, 12, 15));
}

/// A subscription's contract year is its term: a reduction with 3 months' notice takes
/// effect with the next term, whose code it is.
#[test]
fn contract_year_reduction_of_a_subscription_is_the_next_term() {
    let mut is = issuer();
    let mut o = NewLicense::new("demo-erp", Kind::Subscription, Customer::new("ACME Corp"));
    o.named_users = Some(25);
    let id = is.issue(&o, d(2026, 11, 22)).unwrap().license.license_id;
    let fewer = Change {
        named_users: Some(20),
        ..Change::default()
    };
    let r = is.reduce(id, &fewer, d(2027, 8, 22)).unwrap();
    assert_eq!(r.effective, d(2027, 11, 22));
    assert!(r.immediate.is_none());
    let l = r.scheduled.license;
    assert_eq!(
        (l.valid_from, l.expires),
        (d(2027, 11, 22), Some(d(2028, 11, 22)))
    );
    assert_eq!(l.maintenance_ends, l.expires);
    // Too late for this anniversary: the next one, after this license's next term.
    let mut is = issuer();
    let id = is.issue(&o, d(2026, 11, 22)).unwrap().license.license_id;
    assert!(matches!(
        is.reduce(id, &fewer, d(2027, 8, 23)),
        Err(Error::Order(OrderError::ReductionAfterExpiry { effective, .. })) if effective == d(2028, 11, 22)
    ));
}

/// An additional order while a reduction is pending: the code in force is re-issued with
/// the additions as an interim code ending on the reduction date.
#[test]
fn upgrade_while_a_reduction_is_pending_is_interim() {
    let mut is = issuer();
    let id = perpetual("demo-erp", 40, &["crm", "bi"], d(2026, 3, 15), &mut is);
    let fewer = Change {
        named_users: Some(30),
        ..Change::default()
    };
    is.reduce(id, &fewer, d(2026, 12, 1)).unwrap();
    let more = Change {
        add_modules: vec!["api".into()],
        ..Change::default()
    };
    let out = is.upgrade(id, &more, d(2026, 12, 2)).unwrap();
    assert_eq!(out.now.license.expires, Some(d(2027, 3, 15)));
    assert!(out.now.license.interim);
    let next = out.next_term.unwrap().license;
    assert_eq!((next.valid_from, next.interim), (d(2027, 3, 15), false));
}
