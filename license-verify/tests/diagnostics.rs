//! The `log` lines the verifier writes at its decisions (target `license_verify`): what
//! was decided and why, and never a key, the state secret, the code text or a digest.

mod common;

use std::sync::Mutex;

use common::*;
use log::{Level, LevelFilter, Log, Metadata, Record};

struct Capture(Mutex<Vec<(Level, String, String)>>);

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &Record<'_>) {
        let line = (
            record.level(),
            record.target().to_string(),
            record.args().to_string(),
        );
        self.0.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));

fn take() -> Vec<(Level, String, String)> {
    std::mem::take(&mut *CAPTURE.0.lock().unwrap())
}

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// One test function: the logger is global to the process.
#[test]
fn decisions_are_logged_without_secrets() {
    log::set_logger(&CAPTURE).unwrap();
    log::set_max_level(LevelFilter::Debug);
    let dir = tempfile::tempdir().unwrap();
    let verifier = verifier_with_state(&dir.path().join("license.state"));
    let now = noon(d(2026, 3, 1));
    let good = issue(&subscription());
    let forged = issue_with(&subscription(), &other_vendor());

    verifier.verify_text_at(&good, now).unwrap();
    let lines = take();
    let accepted = lines
        .iter()
        .find(|(_, _, m)| m.contains("license 1001 revision 1 accepted"))
        .unwrap_or_else(|| panic!("no acceptance line in {lines:?}"));
    assert_eq!(accepted.0, Level::Info);
    assert_eq!(accepted.1, "license_verify");
    assert!(accepted.2.starts_with("erp: "), "{accepted:?}");
    assert!(
        lines
            .iter()
            .any(|(l, _, m)| *l == Level::Debug && m.contains("state file written")),
        "{lines:?}"
    );
    let mut all = lines;

    assert!(verifier.verify_text_at(&forged, now).is_err());
    let lines = take();
    assert!(
        lines
            .iter()
            .any(|(l, _, m)| *l == Level::Info && m.contains("refused") && m.contains("key")),
        "{lines:?}"
    );
    all.extend(lines);

    // Several codes: which one was used.
    let rev2 = issue(&license_core::License {
        revision: 2,
        ..subscription()
    });
    verifier.verify_texts_at(&[&forged, &rev2], now).unwrap();
    let lines = take();
    assert!(
        lines.iter().any(|(l, _, m)| *l == Level::Debug
            && m.contains("using license 1001 revision 2 of 2 code(s) (1 refused)")),
        "{lines:?}"
    );
    all.extend(lines);

    // The clock turned back: a warning (the administrator's matter, not a new code).
    assert!(verifier.verify_text_at(&rev2, noon(d(2026, 2, 1))).is_err());
    let lines = take();
    assert!(
        lines
            .iter()
            .any(|(l, _, m)| *l == Level::Warn && m.contains("clock")),
        "{lines:?}"
    );
    all.extend(lines);

    // A revocation list installed.
    let list = revocation_list(1, d(2026, 2, 28), d(2026, 4, 1), &[]);
    verifier.ingest_revocation_list_at(&list, now).unwrap();
    let lines = take();
    assert!(
        lines
            .iter()
            .any(|(_, _, m)| m.contains("revocation list 1 in force")),
        "{lines:?}"
    );
    all.extend(lines);

    // Nothing secret in any line.
    let secret = String::from_utf8_lossy(SECRET).into_owned();
    let public = hex(vendor().verifying_key().as_bytes());
    let private = hex(vendor().as_bytes());
    for (_, _, m) in &all {
        for forbidden in [
            secret.as_str(),
            public.as_str(),
            private.as_str(),
            good.as_str(),
            forged.as_str(),
        ] {
            assert!(
                !m.contains(forbidden),
                "a log line carries a secret or a code: {m}"
            );
        }
        // No code group either (5 characters of the code text).
        assert!(!m.contains(&good[..11]), "{m}");
    }
}
