//! Seat-server lease tokens (license-verify `seat_client`): parsing never panics; a token
//! that parses re-encodes to the same body; random input never verifies against a key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use license_verify::seat_client::{LeaseClaims, PinnedServerKey, UntrustedLeaseToken};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(token) = UntrustedLeaseToken::parse(text) else {
        return;
    };
    let claims: LeaseClaims = token.unverified_claims().clone();
    let body = claims.body().expect("a parsed token's fields fit");
    // Canonical: the body parsed is the body its claims encode.
    let reparsed = UntrustedLeaseToken::parse(&LeaseClaims::token_text(&body, &[0; 64])).expect("re-encoded token parses");
    assert_eq!(reparsed.unverified_claims(), &claims);
    // Unsigned random input never verifies (the pinned key is the one the token names).
    let pin = PinnedServerKey(claims.server_key);
    assert!(token.verify_at(&pin, &claims.product, &claims.holder, i64::MIN).is_err());
});
