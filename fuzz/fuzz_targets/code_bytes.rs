//! The binary decoder of license codes (payload and signature): never panics; what it
//! accepts re-encodes to exactly the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_core::UntrustedCode;
use license_fuzz::assert_round_trip;

fuzz_target!(|data: &[u8]| {
    match UntrustedCode::from_bytes(data) {
        Ok(code) => {
            assert_eq!(code.as_bytes(), data, "accepted bytes are kept as they are");
            assert_round_trip(&code);
            let _ = format!("{:?}", code.unverified_license());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
