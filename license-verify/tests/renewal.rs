//! Renewal codes entered early: the current code and the next term's code side by side
//! (USE-CASES §3: the renewal arrives at least 4 weeks before expiry and is valid from the
//! old expiry). The host keeps both; the current one is used until the renewal starts.

mod common;

use common::*;
use license_core::{License, Status};
use license_verify::{Error, PendingChange, Verifier};

/// The next term: revision 2, issued 4 weeks before the end, valid from the old expiry.
fn renewal() -> License {
    License {
        revision: 2,
        issued: d(2026, 12, 18),
        valid_from: d(2027, 1, 15),
        expires: Some(d(2028, 1, 15)),
        maintenance_ends: Some(d(2028, 1, 15)),
        ..subscription()
    }
}

fn before_expiry() -> license_verify::Utc {
    noon(d(2026, 12, 20))
}

fn after_expiry() -> license_verify::Utc {
    noon(d(2027, 1, 20))
}

fn scheduled() -> Option<PendingChange> {
    Some(PendingChange {
        revision: 2,
        starts: d(2027, 1, 15),
    })
}

fn assert_current_with_renewal_pending(v: &Verifier, codes: &[&str]) {
    let now = v.verify_texts_at(codes, before_expiry()).unwrap();
    assert!(now.is_usable(), "{now}");
    assert_eq!(now.license().revision, 1);
    assert!(matches!(now.status(), Status::ExpiringSoon { .. }), "{now}");
    assert_eq!(now.pending_change(), scheduled());
    assert!(
        now.to_string()
            .contains("Scheduled:        revision 2 takes effect on 2027-01-15"),
        "{now}"
    );
}

#[test]
fn the_renewal_alone_is_not_usable_before_its_term() {
    let dir = tempfile::tempdir().unwrap();
    let v = verifier_with_state(&dir.path().join("license.state"));
    // Why several codes are needed: the renewal on its own does not run the product yet.
    let alone = v.verify_text_at(&issue(&renewal()), before_expiry()).unwrap();
    assert!(!alone.is_usable());
    assert!(matches!(alone.status(), Status::NotYetValid { .. }));
}

#[test]
fn current_code_and_renewal_use_the_current_then_the_renewal() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let (old, new) = (issue(&subscription()), issue(&renewal()));
    // Either order: the current code is used, the renewal is reported as scheduled.
    assert_current_with_renewal_pending(&verifier_with_state(&state), &[&old, &new]);
    assert_current_with_renewal_pending(&verifier_with_state(&state), &[&new, &old]);

    // After the old expiry (a restart): the renewal is used, the old code is superseded.
    let v = verifier_with_state(&state);
    for codes in [[&old, &new], [&new, &old]] {
        let later = v
            .verify_texts_at(&codes.map(String::as_str), after_expiry())
            .unwrap();
        assert_eq!(later.license().revision, 2);
        assert_eq!(later.status(), Status::Valid);
        assert!(later.is_usable() && later.pending_change().is_none(), "{later}");
    }
    assert!(matches!(
        v.verify_text_at(&old, after_expiry()),
        Err(Error::Superseded {
            revision: 1,
            current: 2,
            ..
        })
    ));
}

#[test]
fn a_fresh_installation_after_the_old_expiry_uses_the_renewal() {
    let dir = tempfile::tempdir().unwrap();
    let v = verifier_with_state(&dir.path().join("license.state"));
    let (old, new) = (issue(&subscription()), issue(&renewal()));
    let later = v.verify_texts_at(&[&old, &new], after_expiry()).unwrap();
    assert_eq!((later.license().revision, later.status()), (2, Status::Valid));
}

#[test]
fn refused_codes_are_skipped_and_the_first_error_is_kept() {
    let v = verifier();
    let good = issue(&subscription());
    let foreign = issue_with(&subscription(), &other_vendor());
    let typo = format!("{}X", &good[..good.len() - 1]);
    let ok = v.verify_texts_at(&[&foreign, &good], before_expiry()).unwrap();
    assert_eq!(ok.license().revision, 1);
    let e = v
        .verify_texts_at(&[&foreign, &typo], before_expiry())
        .unwrap_err();
    assert!(matches!(e, Error::Code(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        v.verify_text_at(&foreign, before_expiry())
            .unwrap_err()
            .to_string()
    );
    assert_eq!(
        v.verify_texts_at(&[], before_expiry()).unwrap_err().to_string(),
        v.verify_text_at("", before_expiry()).unwrap_err().to_string()
    );
}

#[test]
fn a_license_file_holds_several_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (issue(&subscription()), issue(&renewal()));
    // A code wrapped over lines (as pasted from an e-mail) next to one on a single line.
    let groups: Vec<&str> = old.split('-').collect();
    let (head, tail) = groups.split_at(groups.len() / 2);
    let wrapped = format!("{}-\n  {}", head.join("-"), tail.join("-"));
    for text in [
        format!("{old}\n{new}\n"),
        format!("{new}\r\n\r\n{old}\r\n"),
        format!("\n{wrapped}\n\n  {new}  \n\n"),
    ] {
        let state = dir.path().join("license.state");
        let _ = std::fs::remove_file(&state);
        let path = dir.path().join("license.txt");
        std::fs::write(&path, &text).unwrap();
        let v = verifier_with_state(&state);
        let now = v.verify_file_at(&path, before_expiry()).unwrap();
        assert_eq!(
            (now.license().revision, now.pending_change()),
            (1, scheduled()),
            "{text}"
        );
        let later = v.verify_file_at(&path, after_expiry()).unwrap();
        assert_eq!(later.license().revision, 2, "{text}");
    }
    // A file with one code behaves as before; a blank file is refused like an empty code.
    let path = dir.path().join("one.txt");
    std::fs::write(&path, format!("{wrapped}\n")).unwrap();
    assert_eq!(
        verifier()
            .verify_file_at(&path, before_expiry())
            .unwrap()
            .license()
            .revision,
        1
    );
    std::fs::write(&path, "\n \n").unwrap();
    assert_eq!(
        verifier()
            .verify_file_at(&path, before_expiry())
            .unwrap_err()
            .to_string(),
        verifier()
            .verify_text_at("\n \n", before_expiry())
            .unwrap_err()
            .to_string()
    );
}
