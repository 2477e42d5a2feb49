//! Several codes of one license: the same result for every order (proptest over
//! permutations), the highest revision in force wins, a lower revision never wins again,
//! and an interim code ends where its successor begins ("replaced on D" when the successor
//! was never entered).

mod common;

use common::*;
use license_core::{License, Status};
use proptest::prelude::*;

fn rev(revision: u32, named_users: u32) -> License {
    License {
        revision,
        named_users: Some(named_users),
        issued: d(2026, 1, 10),
        ..subscription()
    }
}

/// Revision 1 (25 users), revision 2 (10 users, the reduction of the finding), revision 4
/// (an interim upgrade to 40 users until 2026-07-01) and revision 5 (the reduced code from
/// 2026-07-01, 20 users).
fn codes() -> Vec<String> {
    let interim = License {
        expires: Some(d(2026, 7, 1)),
        interim: true,
        ..rev(4, 40)
    };
    let reduced = License {
        valid_from: d(2026, 7, 1),
        ..rev(5, 20)
    };
    vec![
        issue(&rev(1, 25)),
        issue(&rev(2, 10)),
        issue(&interim),
        issue(&reduced),
    ]
}

fn outcome(texts: &[String], on: license_core::Date) -> (u32, Status, Option<u32>) {
    let dir = tempfile::tempdir().unwrap();
    let v = verifier_with_state(&dir.path().join("license.state"));
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let r = v.verify_texts_at(&refs, noon(on)).unwrap();
    (r.revision(), r.status(), r.named_users())
}

#[test]
fn the_finding_revision_2_wins_in_both_orders() {
    let (r1, r2) = (issue(&rev(1, 25)), issue(&rev(2, 10)));
    let on = d(2026, 3, 1);
    assert_eq!(
        outcome(&[r1.clone(), r2.clone()], on),
        (2, Status::Valid, Some(10))
    );
    assert_eq!(outcome(&[r2, r1], on), (2, Status::Valid, Some(10)));
}

#[test]
fn the_highest_revision_in_force_wins_and_the_interim_code_gives_way() {
    let all = codes();
    // Before the reduction's first day: the interim upgrade (revision 4).
    assert_eq!(outcome(&all, d(2026, 6, 30)), (4, Status::Valid, Some(40)));
    // From its first day: the reduced code, never grace or demo mode of the larger one.
    for on in [d(2026, 7, 1), d(2026, 7, 2), d(2026, 7, 15), d(2026, 7, 16)] {
        assert_eq!(outcome(&all, on), (5, Status::Valid, Some(20)), "{on}");
    }
    // Without the reduced code: "replaced on 2026-07-01", not grace, not demo mode.
    let without: Vec<String> = all[..3].to_vec();
    let (revision, status, users) = outcome(&without, d(2026, 7, 15));
    assert_eq!(
        (revision, status, users),
        (4, Status::Replaced { on: d(2026, 7, 1) }, Some(0))
    );
    let words = license_verify::describe_status(&status);
    assert_eq!(
        words,
        "replaced on 2026-07-01: enter the code valid from 2026-07-01"
    );
    // A lower revision never wins again: revision 1 alone, after revision 2 was seen.
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let v = verifier_with_state(&state);
    v.verify_texts_at(&[&all[1]], noon(d(2026, 3, 1))).unwrap();
    assert!(v.verify_texts_at(&[&all[0]], noon(d(2026, 3, 2))).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_order_gives_the_same_result(
        perm in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        day in prop_oneof![Just(d(2026, 3, 1)), Just(d(2026, 6, 30)), Just(d(2026, 7, 1)), Just(d(2026, 8, 1))],
        keep in 1usize..=4,
    ) {
        let all = codes();
        let subset: Vec<String> = all[..keep].to_vec();
        let canonical = outcome(&subset, day);
        let shuffled: Vec<String> = perm.iter().filter(|&&i| i < keep).map(|&i| all[i].clone()).collect();
        prop_assert_eq!(outcome(&shuffled, day), canonical);
    }
}
