//! Revocation lists: signed, strictly increasing sequence numbers, own expiry.

mod common;

use common::*;
use license_core::{Error as CoreError, License, RevocationEntry, RevokedRevisions};
use license_verify::{Error, Utc};

fn entry(license_id: u32, revisions: RevokedRevisions) -> RevocationEntry {
    RevocationEntry {
        license_id,
        revisions,
    }
}

const NOW_DAY: (u16, u8, u8) = (2026, 3, 1);

fn now() -> Utc {
    noon(d(NOW_DAY.0, NOW_DAY.1, NOW_DAY.2))
}

#[test]
fn a_revoked_code_is_refused_from_a_list_file() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let list_path = dir.path().join("revoked.bin");
    let list = revocation_list(
        1,
        d(2026, 2, 1),
        d(2026, 5, 1),
        &[entry(1001, RevokedRevisions::All)],
    );
    std::fs::write(&list_path, &list).unwrap();
    let v = verifier_with_state(&state);
    let code = issue(&subscription());
    assert!(v.verify_text_at(&code, now()).is_ok());
    let info = v.ingest_revocation_file_at(&list_path, now()).unwrap();
    assert_eq!((info.sequence, info.entries, info.expires), (1, 1, d(2026, 5, 1)));
    let e = v.verify_text_at(&code, now()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Revoked {
                license_id: 1001,
                revision: 1,
                list_sequence: 1
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("contact the vendor"));
    // The list lives on in the state file: deleting the list file un-revokes nothing.
    std::fs::remove_file(&list_path).unwrap();
    let restarted = verifier_with_state(&state);
    assert!(matches!(
        restarted.verify_text_at(&code, now()),
        Err(Error::Revoked { .. })
    ));
    assert_eq!(restarted.revocation_list().map(|i| i.sequence), Some(1));
    // Other licenses are not affected.
    let other = License {
        license_id: 2002,
        ..subscription()
    };
    let ok = restarted.verify_text_at(&issue(&other), now()).unwrap();
    assert!(
        ok.to_string()
            .contains("Revocation list:  number 1, 1 entries, current to 2026-04-30 inclusive")
    );
}

#[test]
fn revoking_old_revisions_keeps_the_reduced_code() {
    let v = verifier();
    let list = revocation_list(
        3,
        d(2026, 2, 1),
        d(2026, 5, 1),
        &[entry(1001, RevokedRevisions::UpTo(1))],
    );
    v.ingest_revocation_list_at(&list, now()).unwrap();
    assert!(matches!(
        v.verify_text_at(&issue(&subscription()), now()),
        Err(Error::Revoked { revision: 1, .. })
    ));
    let reduced = License {
        revision: 2,
        named_users: Some(10),
        ..subscription()
    };
    assert!(v.verify_text_at(&issue(&reduced), now()).is_ok());
}

#[test]
fn an_older_list_is_refused_the_same_list_again_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let v = verifier_with_state(&state);
    let newer = revocation_list(5, d(2026, 2, 1), d(2026, 5, 1), &[]);
    let older = revocation_list(
        4,
        d(2026, 1, 20),
        d(2026, 5, 1),
        &[entry(1001, RevokedRevisions::All)],
    );
    v.ingest_revocation_list_at(&newer, now()).unwrap();
    // Re-reading the installed list at every start-up changes nothing.
    assert_eq!(v.ingest_revocation_list_at(&newer, now()).unwrap().sequence, 5);
    for verifier in [&v, &verifier_with_state(&state)] {
        let e = verifier.ingest_revocation_list_at(&older, now()).unwrap_err();
        assert!(
            matches!(
                e,
                Error::RevocationListRollback {
                    sequence: 4,
                    installed: 5
                }
            ),
            "{e:?}"
        );
        assert!(e.to_string().contains("use the newest list from the vendor"));
    }
    // Same sequence number, other contents: refused.
    let conflicting = revocation_list(
        5,
        d(2026, 2, 1),
        d(2026, 5, 1),
        &[entry(7, RevokedRevisions::All)],
    );
    assert!(matches!(
        v.ingest_revocation_list_at(&conflicting, now()),
        Err(Error::RevocationListConflict { sequence: 5 })
    ));
    // A newer list replaces the installed one (each list is complete).
    let next = revocation_list(
        6,
        d(2026, 2, 20),
        d(2026, 6, 1),
        &[entry(1001, RevokedRevisions::All)],
    );
    assert_eq!(v.ingest_revocation_list_at(&next, now()).unwrap().sequence, 6);
    assert!(matches!(
        v.verify_text_at(&issue(&subscription()), now()),
        Err(Error::Revoked { list_sequence: 6, .. })
    ));
}

#[test]
fn an_expired_list_is_refused() {
    let v = verifier();
    let list = revocation_list(1, d(2026, 1, 1), d(2026, 3, 1), &[]);
    let e = v.ingest_revocation_list_at(&list, now()).unwrap_err();
    assert!(
        matches!(e, Error::RevocationListExpired { expires } if expires == d(2026, 3, 1)),
        "{e:?}"
    );
    assert!(e.to_string().contains("get a current list from the vendor"));
    // Installed while current, it stays in force after its expiry; the report says it is out of date.
    v.ingest_revocation_list_at(&list, noon(d(2026, 2, 1))).unwrap();
    let report = v
        .verify_text_at(&issue(&subscription()), now())
        .unwrap()
        .to_string();
    assert!(
        report.contains("out of date since 2026-03-01: install a current list"),
        "{report}"
    );
}

#[test]
fn a_list_signed_after_today_means_the_clock_is_before_its_issue_day() {
    let list = revocation_list(1, d(2026, 4, 1), d(2026, 6, 1), &[]);
    assert!(matches!(
        verifier().ingest_revocation_list_at(&list, now()),
        Err(Error::ClockBeforeIssue {
            what: "revocation list",
            ..
        })
    ));
}

#[test]
fn forged_altered_or_foreign_lists_are_refused() {
    let v = verifier();
    let foreign =
        license_core::sign_revocation_list(PRODUCT, 9, d(2026, 2, 1), d(2026, 5, 1), &[], &other_vendor())
            .unwrap();
    assert!(matches!(
        v.ingest_revocation_list_at(&foreign, now()),
        Err(Error::Code(CoreError::RevocationListUnknownKey { .. }))
    ));
    let mut altered = revocation_list(
        9,
        d(2026, 2, 1),
        d(2026, 5, 1),
        &[entry(1001, RevokedRevisions::All)],
    );
    altered[2] = 10; // the sequence number
    let e = v.ingest_revocation_list_at(&altered, now()).unwrap_err();
    assert!(
        matches!(e, Error::Code(CoreError::RevocationListBadSignature)),
        "{e:?}"
    );
    assert!(matches!(
        v.ingest_revocation_list_at(b"not a list", now()),
        Err(Error::Code(CoreError::InvalidRevocationList(_)))
    ));
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        v.ingest_revocation_file_at(dir.path().join("missing"), now()),
        Err(Error::Io { .. })
    ));
    assert_eq!(v.revocation_list(), None, "nothing was installed");
}
