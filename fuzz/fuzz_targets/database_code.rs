//! Database codes as typed (license-core's `DatabaseCode::parse`): never panics; a text
//! that parses re-reads as the same code from its canonical form, and the canonical
//! form is 26 characters starting with `DB-`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_core::{DATABASE_CODE_LEN, DatabaseCode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match DatabaseCode::parse(text) {
        Ok(code) => {
            let canonical = code.text();
            let canonical = canonical.as_str();
            assert_eq!(canonical.len(), DATABASE_CODE_LEN);
            assert!(canonical.starts_with("DB-"));
            assert_eq!(DatabaseCode::parse(canonical), Ok(code), "canonical form re-reads");
            assert_eq!(DatabaseCode::from_random(*code.as_bytes()), code);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
