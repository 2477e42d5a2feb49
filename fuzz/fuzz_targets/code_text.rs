//! The text parser of license codes: never panics; whatever it accepts round-trips;
//! its errors point inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_core::{Error, UntrustedCode};
use license_fuzz::assert_round_trip;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match UntrustedCode::parse(text) {
        Ok(code) => assert_round_trip(&code),
        Err(e) => {
            let _ = e.to_string();
            let chars = text.chars().count();
            match e {
                Error::InvalidCharacter { position, group, .. } => {
                    assert!(position < chars && group >= 1 && group <= chars / 5 + 1, "{e:?}");
                }
                Error::Typo { group } => assert!(group >= 1 && group <= chars / 5 + 1, "{e:?}"),
                _ => {}
            }
        }
    }
});
