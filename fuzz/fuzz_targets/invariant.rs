//! The security invariant: random input never verifies against the vendor key, as
//! bytes or as text; the only codes that verify are the vendor-signed codes of the
//! golden vectors (which the seed corpus holds), and everything accepted re-encodes to
//! itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_core::{Format, Policy, UntrustedCode, sign_as};
use license_fuzz::{assert_round_trip, context, keys, machine, signed_codes, signing_key};

fn check(code: &UntrustedCode) {
    assert_round_trip(code);
    let m = machine();
    let ctx = context(&m);
    if let Ok(v) = code.verify(&keys(), &ctx) {
        // Accepted: it must be exactly what the vendor signs for that scope, and one of
        // the codes the vendor key signed for the golden vectors (the seed corpus).
        // In the code's own format: format-1 codes keep verifying and re-sign as format 1.
        let format = if code.as_bytes()[0] == 1 { Format::V1 } else { Format::V2 };
        let resigned = sign_as(format, v.license(), &ctx, &signing_key()).expect("a verified scope signs");
        assert_eq!(
            resigned.as_bytes(),
            code.as_bytes(),
            "a verified code is not the vendor's encoding"
        );
        assert!(
            signed_codes().iter().any(|c| c == code.as_bytes()),
            "random input verified: {code}"
        );
        let day = v.license().valid_from;
        let _ = v.evaluate(day, day, &Policy::default());
    }
}

fuzz_target!(init: {
    // Not vacuous: the golden codes do verify in this installation.
    let m = machine();
    let verified = signed_codes()
        .iter()
        .filter(|c| UntrustedCode::from_bytes(c).is_ok_and(|c| c.verify(&keys(), &context(&m)).is_ok()))
        .count();
    assert!(verified >= 3, "only {verified} golden codes verify: wrong fuzz context");
}, |data: &[u8]| {
    if let Ok(code) = UntrustedCode::from_bytes(data) {
        check(&code);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(code) = UntrustedCode::parse(text)
    {
        check(&code);
    }
});
