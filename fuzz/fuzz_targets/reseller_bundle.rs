//! The bundle a vendor sends a reseller (license-issue `ResellerBundle`: certificate chain,
//! catalog, vendor keys), as `licensectl reseller install` reads it: never panics; a bundle
//! that parses writes back to JSON that parses to the same bundle; its keys, catalog and
//! chain are read without a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use license_core::CertificateChain;
use license_issue::{Catalog, ResellerBundle};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match ResellerBundle::parse(text) {
        Ok(bundle) => {
            let again = bundle.to_json().expect("a bundle that parsed writes");
            assert_eq!(
                ResellerBundle::parse(&again).expect("a written bundle parses"),
                bundle,
                "bundle round trip"
            );
            let _ = bundle.keys().map_err(|e| e.to_string());
            let _ = Catalog::from_toml(&bundle.catalog, Path::new("fuzz")).map_err(|e| e.to_string());
            let _ = CertificateChain::parse(&bundle.chain).map_err(|e| e.to_string());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
