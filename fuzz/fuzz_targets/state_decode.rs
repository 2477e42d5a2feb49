//! The verifier's state-file decoder alone (license-verify's `check_state_bytes`, the
//! code behind every state-file load), without files or signatures, so it can run
//! millions of times: whatever the bytes, a typed error or an accepted state, never a
//! panic. First input byte: even, the rest is the whole file; odd, the rest is a body
//! the target tags with the application secret, as only the host could (that reaches the
//! decoder behind the integrity check). `state_file` covers the same decoder through a
//! whole verifier, far more slowly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_fuzz::{PRODUCT, STATE_SECRET, installation_id, tag_state};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let file = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        tag_state(rest)
    };
    if let Err(e) = license_verify::check_state_bytes(&file, STATE_SECRET, PRODUCT, installation_id()) {
        let _ = e.to_string();
    }
});
