//! The parsers of reseller's codes and certificate chains (text and bytes): never panic;
//! whatever they accept round-trips; nothing but the golden vectors' reseller codes
//! verifies (no signature can be forged).
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_core::{CertificateChain, Context, UntrustedDelegatedCode};
use license_fuzz::{LICENSEE, PRODUCT, keys, machine, signed_delegated_codes};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let machine = machine();
    let ctx = Context::new(PRODUCT, LICENSEE).with_machine(&machine);
    match mode % 4 {
        0 | 1 => {
            let parsed = if mode % 4 == 0 {
                let Ok(text) = std::str::from_utf8(input) else {
                    return;
                };
                UntrustedDelegatedCode::parse(text)
            } else {
                UntrustedDelegatedCode::from_bytes(input)
            };
            match parsed {
                Ok(code) => {
                    let again = UntrustedDelegatedCode::parse(&code.to_string()).expect("its own text parses");
                    assert_eq!(again.as_bytes(), code.as_bytes());
                    if code.verify(&keys(), &ctx, |_| false).is_ok() {
                        assert!(
                            signed_delegated_codes().iter().any(|c| c == code.as_bytes()),
                            "a reseller's code the keys never signed verified"
                        );
                    }
                }
                Err(e) => {
                    let _ = e.to_string();
                }
            }
        }
        _ => {
            let parsed = if mode % 4 == 2 {
                let Ok(text) = std::str::from_utf8(input) else {
                    return;
                };
                CertificateChain::parse(text)
            } else {
                CertificateChain::from_bytes(input)
            };
            if let Ok(chain) = parsed {
                let again = CertificateChain::parse(&chain.to_string()).expect("its own text parses");
                assert_eq!(again.as_bytes(), chain.as_bytes());
                let _ = chain.verify(&keys(), PRODUCT);
            } else if let Err(e) = parsed {
                let _ = e.to_string();
            }
        }
    }
});
