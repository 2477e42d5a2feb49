//! State file: missing, truncated, edited, unreadable and unwritable files each give a
//! defined result; none panics, none silently resets the guards.

mod common;

use std::fs;

use common::*;
use license_core::License;
use license_verify::{Error, Utc, Verifier};

fn upgrade() -> License {
    License {
        revision: 2,
        ..subscription()
    }
}

/// A state file that has seen revision 2 of license 1001.
fn seasoned(dir: &std::path::Path) -> std::path::PathBuf {
    let state = dir.join("license.state");
    verifier_with_state(&state)
        .verify_text_at(&issue(&upgrade()), noon(d(2026, 3, 1)))
        .unwrap();
    state
}

#[test]
fn missing_file_is_a_first_run_and_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let v = verifier_with_state(&state);
    assert_eq!(v.state_path(), Some(state.clone()));
    assert!(!state.exists(), "building writes nothing");
    v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
        .unwrap();
    assert!(state.exists());
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    // The state file and the installation's lock file, no temporary file.
    let mut names: Vec<String> = names.iter().map(|n| n.to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        ["license.state", "license.state.lock"],
        "no temporary file left"
    );
}

fn assert_refused_until_reset(state: &std::path::Path, expected_reason: &str) {
    let before = fs::read(state).unwrap();
    let v = verifier_with_state(state);
    for _ in 0..2 {
        let e = v
            .verify_text_at(&issue(&subscription()), noon(d(2026, 3, 2)))
            .unwrap_err();
        assert!(
            matches!(&e, Error::StateCorrupt { reason, .. } if reason.contains(expected_reason)),
            "{e:?}"
        );
        assert!(e.is_state_error());
        assert!(
            e.to_string()
                .contains("restore it from a backup, or have support reset it")
        );
    }
    assert!(matches!(
        v.check_clock_at(noon(d(2026, 3, 2))),
        Err(Error::StateCorrupt { .. })
    ));
    assert_eq!(
        fs::read(state).unwrap(),
        before,
        "the damaged file is left as it is, for support"
    );
    // Support resets explicitly: the guards start afresh (documented in docs/SECURITY.md).
    v.reset_state_at(noon(d(2026, 3, 2))).unwrap();
    assert!(
        v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 2)))
            .is_ok()
    );
}

#[test]
fn truncated_file_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let state = seasoned(dir.path());
    let bytes = fs::read(&state).unwrap();
    fs::write(&state, &bytes[..bytes.len() - 5]).unwrap();
    assert_refused_until_reset(&state, "integrity check failed");
    fs::write(&state, &bytes[..3]).unwrap();
    assert_refused_until_reset(&state, "cut short");
    fs::write(&state, b"").unwrap();
    assert_refused_until_reset(&state, "empty");
}

#[test]
fn edited_file_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let state = seasoned(dir.path());
    let mut bytes = fs::read(&state).unwrap();
    // Lower the recorded revision or the high-water mark: any byte edited is detected.
    bytes[7] ^= 0x01;
    fs::write(&state, &bytes).unwrap();
    assert_refused_until_reset(&state, "integrity check failed");
    fs::write(&state, b"{\"high_water\": 0}").unwrap();
    assert_refused_until_reset(&state, "not a license state file");
}

#[test]
fn a_file_for_another_secret_or_product_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let state = seasoned(dir.path());
    let v = builder()
        .state_file(&state, b"another-secret-0123456".to_vec())
        .build()
        .unwrap();
    assert!(matches!(
        v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 2))),
        Err(Error::StateCorrupt { .. })
    ));
}

#[test]
fn a_file_restored_from_backup_is_picked_up_without_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = seasoned(dir.path());
    let backup = fs::read(&state).unwrap();
    fs::write(&state, b"garbage").unwrap();
    let v = verifier_with_state(&state);
    assert!(v.verify_text_at(&issue(&upgrade()), noon(d(2026, 3, 2))).is_err());
    fs::write(&state, &backup).unwrap();
    assert!(v.verify_text_at(&issue(&upgrade()), noon(d(2026, 3, 2))).is_ok());
    // The restored guards are in force.
    assert!(matches!(
        v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 2))),
        Err(Error::Superseded { .. })
    ));
}

#[test]
fn unreadable_file_is_a_distinct_error() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the file should be: it cannot be read (works even as root).
    let state = dir.path().join("license.state");
    fs::create_dir(&state).unwrap();
    let e = verifier_with_state(&state)
        .verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
        .unwrap_err();
    assert!(matches!(e, Error::StateUnreadable { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("give the application permission to read that file")
    );
}

#[test]
fn unwritable_file_is_a_distinct_error_and_the_guard_stays_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    // The parent "directory" is a file: nothing can be written there (works even as root).
    let blocker = dir.path().join("not-a-dir");
    fs::write(&blocker, b"").unwrap();
    let state = blocker.join("license.state");
    let v = verifier_with_state(&state);
    let e = v
        .verify_text_at(&issue(&upgrade()), noon(d(2026, 3, 1)))
        .unwrap_err();
    assert!(
        matches!(&e, Error::StateUnwritable { path, .. } if path == &state),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("let the application write to that file and its folder")
    );
    // The revision seen is kept in memory: the old code is still refused in this process.
    assert!(matches!(
        v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1))),
        Err(Error::Superseded { current: 2, .. })
    ));
    // Once the cause is fixed, the pending change is written.
    fs::remove_file(&blocker).unwrap();
    fs::create_dir(&blocker).unwrap();
    v.flush_state().unwrap();
    let restarted = verifier_with_state(&state);
    assert!(matches!(
        restarted.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1))),
        Err(Error::Superseded { current: 2, .. })
    ));
}

#[test]
fn two_instances_sharing_a_file_keep_the_stricter_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let a = verifier_with_state(&state);
    let b = verifier_with_state(&state);
    a.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
        .unwrap();
    b.verify_text_at(&issue(&upgrade()), noon(d(2026, 3, 1))).unwrap();
    let other = License {
        license_id: 2002,
        ..subscription()
    };
    // a writes again (a new license id): b's revision must survive the write.
    a.verify_text_at(&issue(&other), noon(d(2026, 3, 1))).unwrap();
    let c: Verifier = verifier_with_state(&state);
    assert!(matches!(
        c.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1))),
        Err(Error::Superseded { current: 2, .. })
    ));
}

#[test]
fn a_state_file_copied_from_another_installation_is_a_distinct_error() {
    let dir = tempfile::tempdir().unwrap();
    // Another installation of the same product (another licensee and database) has
    // seen revision 2 and a revocation list; its file is copied here.
    let theirs = dir.path().join("theirs.state");
    let other = builder()
        .licensee("Other Customer Ltd")
        .database("DB-9999-0000")
        .state_file(&theirs, SECRET)
        .build()
        .unwrap();
    let list = revocation_list(3, d(2026, 2, 1), d(2026, 6, 1), &[]);
    other
        .ingest_revocation_list_at(&list, noon(d(2026, 3, 1)))
        .unwrap();
    let ours = dir.path().join("license.state");
    fs::copy(&theirs, &ours).unwrap();
    let before = fs::read(&ours).unwrap();
    let v = verifier_with_state(&ours);
    for _ in 0..2 {
        let e = v
            .verify_text_at(&issue(&subscription()), noon(d(2026, 3, 2)))
            .unwrap_err();
        assert!(
            matches!(&e, Error::StateForeign { path } if path == &ours),
            "{e:?}"
        );
        assert!(e.is_state_error());
        assert!(e.to_string().contains("belongs to another installation"), "{e}");
    }
    assert!(matches!(
        v.check_clock_at(noon(d(2026, 3, 2))),
        Err(Error::StateForeign { .. })
    ));
    // Never a silent first run: the file is left as it was.
    assert_eq!(fs::read(&ours).unwrap(), before);
    // Support resets it: then it is this installation's.
    v.reset_state_at(noon(d(2026, 3, 2))).unwrap();
    v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 2)))
        .unwrap();
    // The licensee and database code written differently: the same installation.
    let same = builder()
        .licensee("  acme   CORP ")
        .database(DATABASE.to_lowercase().replace('-', ""))
        .state_file(&ours, SECRET)
        .build()
        .unwrap();
    same.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 2)))
        .unwrap();
}

#[test]
fn sibling_processes_see_each_others_revisions_and_revocations_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    // Two long-running verifiers of one installation (two processes sharing one file).
    let a = verifier_with_state(&state);
    let b = verifier_with_state(&state);
    let t = noon(d(2026, 3, 1));
    a.verify_text_at(&issue(&subscription()), t).unwrap();
    b.verify_text_at(&issue(&subscription()), t).unwrap();
    // a sees revision 2; b, already running, refuses revision 1 from its next verification.
    a.verify_text_at(&issue(&upgrade()), t).unwrap();
    assert!(matches!(
        b.verify_text_at(&issue(&subscription()), t),
        Err(Error::Superseded { current: 2, .. })
    ));
    // b installs a revocation list; a refuses the revoked code at once.
    let list = revocation_list(
        1,
        d(2026, 2, 1),
        d(2026, 6, 1),
        &[license_core::RevocationEntry {
            license_id: 1001,
            revisions: license_core::RevokedRevisions::All,
        }],
    );
    b.ingest_revocation_list_at(&list, t).unwrap();
    assert!(matches!(
        a.verify_text_at(&issue(&upgrade()), t),
        Err(Error::Revoked { .. })
    ));
    assert_eq!(a.revocation_list().map(|l| l.sequence), Some(1));
}

#[test]
fn concurrent_writers_under_the_lock_lose_no_update() {
    // Eight threads, each its own verifier (as separate processes would be), each
    // admitting its own license id: every one is in the file afterwards.
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let t = noon(d(2026, 3, 1));
    std::thread::scope(|s| {
        for i in 0..8u32 {
            let state = state.clone();
            s.spawn(move || {
                let v = verifier_with_state(&state);
                let l = License {
                    license_id: 5000 + i,
                    revision: 3,
                    ..subscription()
                };
                v.verify_text_at(&issue(&l), t).unwrap();
            });
        }
    });
    let check = verifier_with_state(&state);
    for i in 0..8u32 {
        let old = License {
            license_id: 5000 + i,
            revision: 2,
            ..subscription()
        };
        assert!(
            matches!(
                check.verify_text_at(&issue(&old), t),
                Err(Error::Superseded { current: 3, .. })
            ),
            "license {}",
            5000 + i
        );
    }
}

#[test]
fn without_a_state_file_the_guards_last_for_the_process() {
    let v = verifier();
    assert_eq!(v.state_path(), None);
    v.verify_text_at(&issue(&upgrade()), noon(d(2026, 3, 1))).unwrap();
    assert!(matches!(
        v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1))),
        Err(Error::Superseded { .. })
    ));
    assert!(
        verifier()
            .verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
            .is_ok()
    );
    v.flush_state().unwrap();
    v.reset_state_at(noon(d(2026, 3, 1))).unwrap();
}

/// docs/SECURITY.md, "A deleted or restored state file": a missing state file is a first
/// run. Deleting it resets the replay guard, the clock guard and the installed revocation
/// list; the clock still cannot go back before the code's issue day, and installing the
/// vendor's list again revokes again.
#[test]
fn a_deleted_state_file_resets_the_guards_as_documented() {
    use license_core::{RevocationEntry, RevokedRevisions};

    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let old = issue(&subscription());
    let new = issue(&upgrade());
    let revoked = License {
        license_id: 3003,
        ..subscription()
    };
    let revoked_code = issue(&revoked);
    let list = revocation_list(
        1,
        d(2026, 2, 1),
        d(2026, 9, 1),
        &[RevocationEntry {
            license_id: 3003,
            revisions: RevokedRevisions::All,
        }],
    );
    let late = noon(d(2026, 8, 1));
    let early = noon(d(2026, 2, 1));

    // Before: every guard is in force.
    let v = verifier_with_state(&state);
    v.verify_text_at(&new, late).unwrap();
    v.ingest_revocation_list_at(&list, late).unwrap();
    let guarded = verifier_with_state(&state);
    assert!(matches!(
        guarded.verify_text_at(&old, late),
        Err(Error::Superseded { .. })
    ));
    assert!(matches!(
        guarded.verify_text_at(&revoked_code, late),
        Err(Error::Revoked { .. })
    ));
    assert!(matches!(
        guarded.verify_text_at(&new, early),
        Err(Error::ClockTurnedBack { .. })
    ));

    // The file is deleted: the next start is a first run, with no error.
    fs::remove_file(&state).unwrap();
    let fresh = verifier_with_state(&state);
    assert!(
        fresh.revocation_list().is_none(),
        "the installed list is forgotten"
    );
    // The replay guard is reset: the older, superseded code works again ...
    assert_eq!(fresh.verify_text_at(&old, late).unwrap().revision(), 1);
    // ... so is the revocation: the revoked code works until the list is installed again ...
    assert!(fresh.verify_text_at(&revoked_code, late).is_ok());
    fs::remove_file(&state).unwrap();
    // ... and the clock guard: the clock may be set back to any day after the issue day ...
    let fresh = verifier_with_state(&state);
    assert!(fresh.verify_text_at(&new, early).is_ok());
    // ... but not before the day the code was signed (upgrade(): issued 2026-01-10).
    fs::remove_file(&state).unwrap();
    let fresh = verifier_with_state(&state);
    let before_issue = noon(d(2026, 1, 5));
    assert!(matches!(
        fresh.verify_text_at(&new, before_issue),
        Err(Error::ClockBeforeIssue { .. })
    ));
    // Installing the vendor's list again (shipped with every update) revokes again.
    fresh.ingest_revocation_list_at(&list, late).unwrap();
    assert!(matches!(
        fresh.verify_text_at(&revoked_code, late),
        Err(Error::Revoked { .. })
    ));
}

/// The "first run" signal: a verification that finds no state file says so, the next one
/// (the file now written) does not; a deleted file says it again; no state file, never.
#[test]
fn a_missing_state_file_is_reported_as_a_first_run() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let code = issue(&subscription());
    let v = verifier_with_state(&state);
    let first = v.verify_text_at(&code, noon(d(2026, 3, 1))).unwrap();
    assert!(first.first_run());
    assert!(
        first.to_string().contains("FIRST RUN of this installation"),
        "{first}"
    );
    let second = v.verify_text_at(&code, noon(d(2026, 3, 2))).unwrap();
    assert!(!second.first_run());
    assert!(!second.to_string().contains("FIRST RUN"));
    // Another process of the installation, later: the file is there.
    assert!(
        !verifier_with_state(&state)
            .verify_texts_at(&[code.as_str()], noon(d(2026, 3, 3)))
            .unwrap()
            .first_run()
    );
    // Deleted (or moved away): the same process and a new one both say so.
    fs::remove_file(&state).unwrap();
    assert!(v.verify_text_at(&code, noon(d(2026, 3, 4))).unwrap().first_run());
    fs::remove_file(&state).unwrap();
    // Several codes at once: the first verified creates the file, the result still says so.
    let renewal = issue(&upgrade());
    assert!(
        verifier_with_state(&state)
            .verify_texts_at(&[code.as_str(), renewal.as_str()], noon(d(2026, 3, 5)))
            .unwrap()
            .first_run()
    );
    assert!(
        !verifier()
            .verify_text_at(&code, noon(d(2026, 3, 1)))
            .unwrap()
            .first_run()
    );
}

/// The values the guards keep, as the state file holds them: a verifier reading the file
/// (read-only, so reading changes nothing) sees them through what it refuses.
fn state_bytes(path: &std::path::Path) -> Vec<u8> {
    fs::read(path).unwrap()
}

/// `verify --date`: a read-only state file is read and its guards applied, but nothing a
/// verification on another day observes is written: not the clock (a day ahead would lock
/// the installation out until that day), not a revision, not a revocation list. A missing
/// file is not created.
#[test]
fn a_read_only_state_file_is_never_written() {
    use license_core::{RevocationEntry, RevokedRevisions};

    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("license.state");
    let read_only = |p: &std::path::Path| {
        builder()
            .state_file(p, SECRET)
            .state_read_only(true)
            .build()
            .unwrap()
    };
    // Missing: a first run, and no file afterwards.
    let v = read_only(&state);
    assert!(
        v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
            .unwrap()
            .first_run()
    );
    v.flush_state().unwrap();
    assert!(!state.exists(), "a read-only state file is not created");

    // A real installation ran on 2026-03-01 at 07:00.
    let seven = Utc(Utc::start_of(d(2026, 3, 1)).0 + 7 * 3600);
    verifier_with_state(&state)
        .verify_text_at(&issue(&subscription()), seven)
        .unwrap();
    let before = state_bytes(&state);

    // Diagnostics: noon of the same day, a day years ahead, a higher revision and a list.
    let v = read_only(&state);
    assert!(
        !v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
            .unwrap()
            .first_run()
    );
    v.verify_text_at(&issue(&upgrade()), noon(d(2030, 1, 1))).unwrap();
    let list = revocation_list(
        1,
        d(2026, 2, 1),
        d(2030, 9, 1),
        &[RevocationEntry {
            license_id: 1001,
            revisions: RevokedRevisions::UpTo(1),
        }],
    );
    v.ingest_revocation_list_at(&list, noon(d(2030, 1, 1))).unwrap();
    v.check_clock_at(noon(d(2030, 1, 2))).unwrap();
    v.flush_state().unwrap();
    // Within the verifier the guards hold as usual (what the check reports) ...
    assert!(matches!(
        v.verify_text_at(&issue(&subscription()), noon(d(2030, 1, 2))),
        Err(Error::Superseded { .. } | Error::Revoked { .. })
    ));
    // ... but the file holds exactly what it held: the guard values are unchanged.
    assert_eq!(
        state_bytes(&state),
        before,
        "a read-only verification wrote the state file"
    );
    // So the real run at 07:08 the same morning is not refused as a clock turned back,
    // and revision 1 (neither superseded nor revoked in the file) still verifies.
    let eight = Utc(seven.0 + 8 * 60);
    let real = verifier_with_state(&state);
    let v1 = real.verify_text_at(&issue(&subscription()), eight).unwrap();
    assert_eq!(v1.revision(), 1);
    assert!(real.revocation_list().is_none());
}
