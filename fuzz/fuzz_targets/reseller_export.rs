//! A reseller's monthly ledger export (license-issue `ResellerExport`), as the vendor's
//! `report import` reads it: never panics; a file that parses writes back to a file that
//! parses to the same export; checking it for import never panics, and with a vendor key
//! the input cannot hold codes for, never accepts a record.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use license_issue::{ChannelError, Error, ResellerExport, VendorKey, check_import};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match ResellerExport::parse(text, Path::new("fuzz.jsonl")) {
        Ok(export) => {
            let again = export.to_text().expect("an export that parsed writes");
            let back = ResellerExport::parse(&again, Path::new("fuzz.jsonl")).expect("a written export parses");
            assert_eq!(back, export, "export round trip");
            // A key of its own: no input is signed by it.
            let keys = [VendorKey::from_seed(&[0x5a; 32]).public_key()];
            match check_import(&export, &keys, &std::collections::BTreeMap::new(), &[], &[], None) {
                Ok(plan) => assert!(plan.new.is_empty() && plan.already == 0, "nothing verifies"),
                Err(e @ Error::Channel(ChannelError::ImportRefused { .. })) => {
                    let _ = e.to_string();
                }
                Err(e) => {
                    let _ = e.to_string();
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
