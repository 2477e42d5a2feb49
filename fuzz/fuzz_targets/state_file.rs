//! The verifier's state file (license-verify): whatever the file holds, building a
//! verifier and verifying the reference code gives a result or a typed error, never a
//! panic. The file format is `"LVST" || 1 || postcard(guards) || HMAC-SHA256 tag`
//! (see license-verify/src/state.rs); to reach the decoder behind the tag, the target
//! tags the bodies itself with the application secret, as only the host could.
//!
//! First input byte, low bits: 0 the raw file; 1 a tagged body; 2 a tagged body made of
//! a real state file's body cut at a point and continued with the input. High bit: a
//! full verification of the reference code (Ed25519, guards, state written back);
//! otherwise the cheaper clock check and revocation-list query, which decode and
//! validate the same state.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use license_core::{Date, UntrustedCode};
use license_fuzz::{LICENSEE, PRODUCT, STATE_HEADER_LEN, STATE_SECRET, keys, machine, signed_codes, tag_state};
use license_verify::{Utc, Verifier};

const SECRET: &[u8] = STATE_SECRET;

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        // tmpfs where there is one: the verifier fsyncs what it writes.
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        // Directories of earlier runs whose process is gone (libFuzzer exits without
        // running destructors).
        for entry in std::fs::read_dir(&base).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let pid = name.to_str().and_then(|n| n.strip_prefix("license-fuzz-state-"));
            if pid.is_some_and(|p| !std::path::Path::new("/proc").join(p).exists()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let dir = base.join(format!("license-fuzz-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("fuzz state directory");
        dir.join("license.state")
    })
}

fn reference() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let code = UntrustedCode::from_bytes(&signed_codes()[0]).expect("the reference code");
        code.to_string()
    })
}

fn now() -> Utc {
    let code = UntrustedCode::parse(reference()).expect("the reference code");
    Utc(Utc::start_of(code.unverified_license().valid_from).0 + 3600)
}

fn verify_with_state(file: &[u8], full: bool) -> Result<(), license_verify::Error> {
    std::fs::write(path(), file).expect("write the state file");
    let build_date = Date::from_ymd(2026, 11, 1).expect("date");
    let verifier = Verifier::builder(keys().to_vec(), PRODUCT, build_date)
        .licensee(LICENSEE)
        .machine_fingerprint(machine())
        .state_file(path().clone(), SECRET)
        .build()?;
    if full {
        verifier.verify_text_at(reference(), now()).map(|_| ())
    } else {
        let _ = verifier.revocation_list();
        verifier.check_clock_at(now())
    }
}

fn tagged(body: &[u8]) -> Vec<u8> {
    tag_state(body)
}

/// The body of the state file a first verification of the reference code writes.
fn real_body() -> &'static [u8] {
    static BODY: OnceLock<Vec<u8>> = OnceLock::new();
    BODY.get_or_init(|| {
        let _ = std::fs::remove_file(path());
        let build_date = Date::from_ymd(2026, 11, 1).expect("date");
        let verifier = Verifier::builder(keys().to_vec(), PRODUCT, build_date)
            .licensee(LICENSEE)
            .machine_fingerprint(machine())
            .state_file(path().clone(), SECRET)
            .build()
            .expect("a verifier with a fresh state file");
        verifier
            .verify_text_at(reference(), now())
            .expect("the reference verifies");
        let _ = verifier.flush_state();
        let file = std::fs::read(path()).expect("the verifier wrote its state");
        assert_eq!(
            tagged(&file[STATE_HEADER_LEN..file.len() - 32]),
            file,
            "the documented tag is the verifier's"
        );
        file[STATE_HEADER_LEN..file.len() - 32].to_vec()
    })
}

fuzz_target!(init: {
    // The real state file round-trips: verifying again with it succeeds.
    let body = real_body().to_vec();
    verify_with_state(&tagged(&body), true).expect("a real state file is accepted");
}, |data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let file = match (mode & 0x7f) % 3 {
        0 => rest.to_vec(),
        1 => tagged(rest),
        _ => {
            let Some((&cut, tail)) = rest.split_first() else {
                return;
            };
            let body = real_body();
            let mut spliced = body[..usize::from(cut) % (body.len() + 1)].to_vec();
            spliced.extend_from_slice(tail);
            tagged(&spliced)
        }
    };
    if let Err(e) = verify_with_state(&file, mode & 0x80 != 0) {
        let _ = e.to_string();
    }
});
