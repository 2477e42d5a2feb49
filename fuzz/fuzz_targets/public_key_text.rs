//! Vendor public keys as text (license-core's `PublicKey::from_hex`, what `--key` options
//! read): never panics, and a key that is read prints back (as `<id> <hex>`) to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_core::PublicKey;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match PublicKey::from_hex(text) {
        Ok(key) => {
            let hex: String = key.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(PublicKey::from_hex(&hex), Ok(key));
            assert_eq!(PublicKey::from_hex(&format!("{:02x} {hex}", key.id())), Ok(key));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
