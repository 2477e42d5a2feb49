//! Vendor key files (PKCS#8 PEM) and hex public keys (license-issue): never panic; a key
//! that loads writes back to a file that loads as the same key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_issue::{VendorKey, parse_hex32};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(key) = VendorKey::from_pkcs8_pem(text) {
        let pem = key.to_pkcs8_pem().expect("a loaded key writes");
        let again = VendorKey::from_pkcs8_pem(&pem).expect("a written key loads");
        assert_eq!(again.public_key(), key.public_key());
        assert!(
            !format!("{key:?}").contains(&pem[40..60]),
            "Debug must not show the secret"
        );
    }
    if let Some(bytes) = parse_hex32(text) {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(parse_hex32(&hex), Some(bytes));
    }
});
