//! Clock-rollback guard: a distinct "clock turned back" result, never "expired".

mod common;

use common::*;
use license_core::Status;
use license_verify::{Error, Utc, Verifier};

#[test]
fn clock_more_than_an_hour_behind_the_high_water_mark() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let code = issue(&subscription());
    let late = noon(d(2027, 2, 1));
    // Demo mode on 2027-02-01 ...
    let v = verifier_with_state(&state);
    assert!(matches!(
        v.verify_text_at(&code, late).unwrap().status(),
        Status::DemoMode { .. }
    ));
    // ... and the clock is set back to a day when the license was valid: refused, in this
    // process and after a restart.
    let back = noon(d(2026, 12, 1));
    for verifier in [&v, &verifier_with_state(&state)] {
        let e = verifier.verify_text_at(&code, back).unwrap_err();
        assert!(
            matches!(e, Error::ClockTurnedBack { now, seen } if now == back && seen == late),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .contains("set the clock to the correct date and time")
        );
    }
}

#[test]
fn within_the_tolerance_is_fine_and_the_tolerance_is_configurable() {
    let code = issue(&subscription());
    let t = noon(d(2026, 3, 1));
    let v = verifier();
    v.verify_text_at(&code, t).unwrap();
    assert!(
        v.verify_text_at(&code, Utc(t.0 - 3600)).is_ok(),
        "one hour back: tolerated (time sync, DST-safe UTC)"
    );
    assert!(matches!(
        v.verify_text_at(&code, Utc(t.0 - 3601)),
        Err(Error::ClockTurnedBack { .. })
    ));
    let strict = builder().clock_tolerance_secs(60).build().unwrap();
    strict.verify_text_at(&code, t).unwrap();
    assert!(matches!(
        strict.verify_text_at(&code, Utc(t.0 - 61)),
        Err(Error::ClockTurnedBack { .. })
    ));
    assert!(strict.verify_text_at(&code, Utc(t.0 - 60)).is_ok());
}

#[test]
fn a_code_signed_after_today_means_the_clock_is_before_its_issue_day() {
    // Issued 2026-01-10; a first start with the clock on 2025-12-01: a fresh installation
    // with a wrong clock, not a clock turned back behind a time this installation saw.
    let e = verifier()
        .verify_text_at(&issue(&subscription()), noon(d(2025, 12, 1)))
        .unwrap_err();
    assert!(
        matches!(e, Error::ClockBeforeIssue { issued, what: "license code", .. } if issued == d(2026, 1, 10)),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("is before the day this license code was issued (2026-01-10)"),
        "{msg}"
    );
    assert!(!msg.contains("already seen"), "{msg}");
    // An hour before midnight UTC of the issue day is within the tolerance.
    let just_before = Utc(Utc::start_of(d(2026, 1, 10)).0 - 3600);
    assert!(
        verifier()
            .verify_text_at(&issue(&subscription()), just_before)
            .is_ok()
    );
}

#[test]
fn the_high_water_mark_is_written_periodically_and_check_clock_advances_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let code = issue(&subscription());
    let t = noon(d(2026, 3, 1));
    verifier_with_state(&state).verify_text_at(&code, t).unwrap();
    // A long-running application advances the mark without verifying again.
    let v = verifier_with_state(&state);
    let later = Utc(t.0 + 86_400);
    v.check_clock_at(later).unwrap();
    let restarted = verifier_with_state(&state);
    assert!(matches!(
        restarted.verify_text_at(&code, Utc(later.0 - 2 * 3600)),
        Err(Error::ClockTurnedBack { seen, .. }) if seen == later
    ));
    assert!(matches!(v.check_clock_at(t), Err(Error::ClockTurnedBack { .. })));
}

#[test]
fn a_clock_before_1970_reads_as_1970() {
    assert_eq!(Utc::start_of(license_core::Date::UNIX_EPOCH), Utc(0));
    let v: Verifier = verifier();
    assert!(matches!(
        v.verify_text_at(&issue(&subscription()), Utc(-5)),
        Err(Error::ClockBeforeIssue { .. })
    ));
}

#[test]
fn the_two_clock_messages_differ() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let code = issue(&subscription());
    let t = noon(d(2026, 3, 1));
    verifier_with_state(&state).verify_text_at(&code, t).unwrap();
    // Behind a time this installation saw (but after the issue day).
    let behind = verifier_with_state(&state)
        .verify_text_at(&code, noon(d(2026, 2, 1)))
        .unwrap_err();
    assert!(matches!(behind, Error::ClockTurnedBack { .. }), "{behind:?}");
    assert!(
        behind
            .to_string()
            .contains("behind a time already seen by this installation")
    );
    // Before the issue day, on a fresh installation.
    let before = verifier().verify_text_at(&code, noon(d(2025, 6, 1))).unwrap_err();
    assert!(matches!(before, Error::ClockBeforeIssue { .. }), "{before:?}");
    assert_ne!(behind.to_string(), before.to_string());
}
