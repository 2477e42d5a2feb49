//! The printable machine fingerprint a customer sends: never panics; what it accepts
//! prints back to a text that parses to the same binding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_core::{MachineBinding, MachineFingerprint};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match MachineBinding::parse(text) {
        Ok(b) => {
            let printed = b.to_string();
            assert_eq!(MachineBinding::parse(&printed), Ok(b), "{printed}");
            assert!(b.tolerance() < b.components().len() && b.tolerance() <= MachineBinding::MAX_TOLERANCE);
            if b.digest_bits() > 8 {
                // Format 2: a majority must match.
                assert!(b.tolerance() <= (b.components().len() - 1) / 2);
            }
            // A machine with exactly the bound digests matches; an unknown machine never does.
            let m = b.matching_machine();
            assert!(b.check(&m).is_match());
            assert!(!b.check(&MachineFingerprint::unknown()).is_match());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
