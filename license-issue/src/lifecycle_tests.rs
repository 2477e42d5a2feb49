//! The lifecycle rules of issue 13 through the issuer, with the exact dates of each finding.

use license_core::{Date, Kind};

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
    assert_eq!(n.license.modules, c.all_modules());
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
