//! Every status a verified code can have, with the effective entitlements.

mod common;

use common::*;
use license_core::{Kind, License, Release, Status};

#[test]
fn valid_with_entitlements() {
    let v = verifier()
        .verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
        .unwrap();
    assert_eq!(v.status(), Status::Valid);
    assert_eq!(v.release(), Release::Covered);
    assert!(v.is_usable());
    assert!(v.has_module("crm") && v.has_module("budget") && v.has_module("bi"));
    assert!(!v.has_module("planning"), "not licensed");
    assert!(!v.has_module("payroll"), "unknown name");
    assert!(v.has_module_number(3) && !v.has_module_number(2));
    assert_eq!((v.named_users(), v.concurrent_seats()), (Some(25), Some(10)));
    assert_eq!(v.line().get(), 1);
    assert_eq!(v.kind(), Kind::Subscription);
    assert_eq!((v.license_id(), v.revision()), (1001, 1));
    assert_eq!((v.issued(), v.valid_from()), (d(2026, 1, 10), d(2026, 1, 15)));
    assert_eq!(
        (v.expires(), v.maintenance_ends()),
        (Some(d(2027, 1, 15)), Some(d(2027, 1, 15)))
    );
    assert_eq!(v.machine_match(), None, "bound to the database only");
    let report = v.to_string();
    for words in [
        "1001 revision 1 (subscription license, product line 1)",
        "25 named users, 10 concurrent seats",
        "crm, budget, bi",
        "from 2026-01-15 to 2027-01-14 inclusive, then 14 days of grace, then demo mode with 2 seats",
        "Status:           valid",
        "covered by maintenance",
        "database code",
    ] {
        assert!(report.contains(words), "{words:?} missing from\n{report}");
    }
}

#[test]
fn expiring_soon() {
    let v = verifier()
        .verify_text_at(&issue(&subscription()), noon(d(2027, 1, 3)))
        .unwrap();
    assert_eq!(
        v.status(),
        Status::ExpiringSoon {
            expires: d(2027, 1, 15),
            days_left: 12
        }
    );
    assert!(v.is_usable() && v.has_module("bi"));
    assert!(
        v.to_string()
            .contains("expiring soon: 12 days left (last day 2027-01-14)")
    );
}

#[test]
fn in_grace_with_days_left() {
    let v = verifier()
        .verify_text_at(&issue(&subscription()), noon(d(2027, 1, 20)))
        .unwrap();
    assert_eq!(
        v.status(),
        Status::InGrace {
            expired: d(2027, 1, 15),
            days_left: 9
        }
    );
    assert!(v.is_usable());
    assert_eq!(
        (v.named_users(), v.concurrent_seats()),
        (Some(25), Some(10)),
        "fully usable in grace"
    );
}

#[test]
fn demo_mode_with_its_seat_count() {
    let v = verifier()
        .verify_text_at(&issue(&subscription()), noon(d(2027, 2, 1)))
        .unwrap();
    assert_eq!(
        v.status(),
        Status::DemoMode {
            seats: 2,
            expired: d(2027, 1, 15)
        }
    );
    assert!(v.is_usable());
    assert_eq!((v.named_users(), v.concurrent_seats()), (Some(2), Some(2)));
    assert!(v.to_string().contains("demo mode: 2 seats"));
}

#[test]
fn expired_without_demo_mode() {
    let l = License {
        demo_seats: 0,
        ..subscription()
    };
    let v = verifier()
        .verify_text_at(&issue(&l), noon(d(2027, 2, 1)))
        .unwrap();
    assert_eq!(
        v.status(),
        Status::Expired {
            expired: d(2027, 1, 15)
        }
    );
    assert!(!v.is_usable());
    assert!(!v.has_module("crm"), "nothing is granted when expired");
    assert_eq!((v.named_users(), v.concurrent_seats()), (Some(0), Some(0)));
    assert!(v.modules().is_empty());
}

#[test]
fn not_yet_valid() {
    // Issued 2026-01-10, valid from 2026-01-15.
    let v = verifier()
        .verify_text_at(&issue(&subscription()), noon(d(2026, 1, 12)))
        .unwrap();
    assert_eq!(
        v.status(),
        Status::NotYetValid {
            starts: d(2026, 1, 15)
        }
    );
    assert!(!v.is_usable() && !v.has_module("crm"));
    assert!(v.to_string().contains("not yet valid: starts on 2026-01-15"));
}

#[test]
fn release_not_covered_by_maintenance() {
    // A perpetual license whose maintenance ended before this release was built.
    let l = License {
        kind: Kind::Full,
        expires: None,
        maintenance_ends: Some(d(2026, 5, 1)),
        ..subscription()
    };
    let v = verifier()
        .verify_text_at(&issue(&l), noon(d(2026, 7, 1)))
        .unwrap();
    assert_eq!(v.status(), Status::Valid, "the license itself stays valid");
    assert_eq!(
        v.release(),
        Release::NotCovered {
            maintenance_ended: d(2026, 5, 1)
        }
    );
    assert!(!v.is_usable() && !v.has_module("crm"));
    assert_eq!(v.named_users(), Some(0));
    assert!(
        v.to_string()
            .contains("NOT covered: maintenance ended on 2026-05-01")
    );
    // An older release, built while maintenance ran, may be used (perpetual fallback).
    let old_release = builder_for_release(d(2026, 4, 30)).build().unwrap();
    let v = old_release
        .verify_text_at(&issue(&l), noon(d(2026, 7, 1)))
        .unwrap();
    assert!(v.is_usable());
}

#[test]
fn verify_file_and_whitespace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("license.txt");
    std::fs::write(
        &path,
        format!("\n  {}\r\n", issue(&subscription()).to_lowercase()),
    )
    .unwrap();
    let v = verifier().verify_file_at(&path, noon(d(2026, 3, 1))).unwrap();
    assert_eq!(v.status(), Status::Valid);
}

/// Issue 19, item 6: the catalog's line names reach the host: configured with
/// `VerifierBuilder::lines`, the verification names its line and the report says it.
#[test]
fn line_names_from_the_catalog_name_the_line() {
    let v = builder()
        .lines(["standard", "expert"])
        .build()
        .unwrap()
        .verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
        .unwrap();
    assert_eq!(v.line_name(), Some("expert"));
    let report = v.to_string();
    assert!(
        report.contains("(subscription license, product line expert)"),
        "{report}"
    );
    // Without names (or without a name for this line): the number.
    let unnamed = builder()
        .lines(["standard"])
        .build()
        .unwrap()
        .verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
        .unwrap();
    assert_eq!(unnamed.line_name(), None);
    assert!(unnamed.to_string().contains("product line 1)"));
    assert!(builder().lines(vec!["x"; 17]).build().is_err());
}
