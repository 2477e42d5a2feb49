//! Replay guard: a lower revision than one seen is refused as superseded; a reduction
//! that starts later replaces the current code only from its first day.

mod common;

use common::*;
use license_core::{License, Status};
use license_verify::{Error, PendingChange};

fn upgrade() -> License {
    License {
        revision: 2,
        named_users: Some(40),
        issued: d(2026, 3, 1),
        valid_from: d(2026, 3, 1),
        ..subscription()
    }
}

/// Ordered on 2026-05-20 (at least 20 days before the quarter): fewer users from 2026-07-01.
fn reduction() -> License {
    License {
        revision: 3,
        named_users: Some(15),
        issued: d(2026, 5, 20),
        valid_from: d(2026, 7, 1),
        ..upgrade()
    }
}

#[test]
fn an_upgrade_replaces_the_old_code_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let v = verifier_with_state(&state);
    let old = issue(&subscription());
    v.verify_text_at(&old, noon(d(2026, 2, 1))).unwrap();
    let new = v.verify_text_at(&issue(&upgrade()), noon(d(2026, 3, 1))).unwrap();
    assert_eq!(new.named_users(), Some(40));
    // The old, smaller code again: refused, also after a restart.
    for verifier in [&v, &verifier_with_state(&state)] {
        let e = verifier.verify_text_at(&old, noon(d(2026, 3, 2))).unwrap_err();
        assert!(
            matches!(e, Error::Superseded { license_id: 1001, revision: 1, current: 2, since: Some(s) } if s == d(2026, 3, 1)),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .contains("enter the newest code you received from the vendor")
        );
    }
    // The same code again is fine.
    assert!(v.verify_text_at(&issue(&upgrade()), noon(d(2026, 3, 3))).is_ok());
}

#[test]
fn a_reduction_next_quarter_takes_effect_on_its_day() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let larger = issue(&upgrade());
    let smaller = issue(&reduction());
    let v = verifier_with_state(&state);
    v.verify_text_at(&larger, noon(d(2026, 5, 1))).unwrap();
    // The reduction code arrives in May: not yet valid, recorded as pending.
    let pending = v.verify_text_at(&smaller, noon(d(2026, 5, 21))).unwrap();
    assert_eq!(
        pending.status(),
        Status::NotYetValid {
            starts: d(2026, 7, 1)
        }
    );
    let change = PendingChange {
        revision: 3,
        starts: d(2026, 7, 1),
    };
    assert_eq!(pending.pending_change(), Some(change));
    // Until the end of June the larger code keeps working, and says what is coming.
    let june = verifier_with_state(&state)
        .verify_text_at(&larger, noon(d(2026, 6, 30)))
        .unwrap();
    assert_eq!(june.status(), Status::Valid);
    assert_eq!(june.named_users(), Some(40));
    assert_eq!(june.pending_change(), Some(change));
    assert!(june.to_string().contains("revision 3 takes effect on 2026-07-01"));
    // From 1 July the larger code is superseded, though the reduction was never entered again.
    let e = verifier_with_state(&state)
        .verify_text_at(&larger, noon(d(2026, 7, 1)))
        .unwrap_err();
    assert!(
        matches!(e, Error::Superseded { revision: 2, current: 3, since: Some(s), .. } if s == d(2026, 7, 1)),
        "{e:?}"
    );
    let july = verifier_with_state(&state)
        .verify_text_at(&smaller, noon(d(2026, 7, 1)))
        .unwrap();
    assert_eq!((july.status(), july.named_users()), (Status::Valid, Some(15)));
    assert_eq!(july.pending_change(), None);
}

#[test]
fn a_withdrawn_reduction_is_replaced_by_a_newer_code() {
    let v = verifier();
    v.verify_text_at(&issue(&upgrade()), noon(d(2026, 5, 1))).unwrap();
    v.verify_text_at(&issue(&reduction()), noon(d(2026, 5, 21)))
        .unwrap();
    // Withdrawn before the cutoff: the vendor issues revision 4 with the larger scope, valid now.
    let withdrawn = License {
        revision: 4,
        issued: d(2026, 6, 5),
        valid_from: d(2026, 6, 5),
        ..upgrade()
    };
    let v4 = v.verify_text_at(&issue(&withdrawn), noon(d(2026, 6, 5))).unwrap();
    assert_eq!(v4.pending_change(), None);
    assert!(matches!(
        v.verify_text_at(&issue(&reduction()), noon(d(2026, 7, 1))),
        Err(Error::Superseded {
            revision: 3,
            current: 4,
            ..
        })
    ));
    assert_eq!(
        v.verify_text_at(&issue(&withdrawn), noon(d(2026, 7, 1)))
            .unwrap()
            .named_users(),
        Some(40)
    );
}

#[test]
fn licenses_are_tracked_separately() {
    let v = verifier();
    v.verify_text_at(&issue(&upgrade()), noon(d(2026, 3, 1))).unwrap();
    let other = License {
        license_id: 2002,
        revision: 1,
        ..subscription()
    };
    assert!(v.verify_text_at(&issue(&other), noon(d(2026, 3, 1))).is_ok());
}
