//! `lic_debug_live_handles` counts every handle type made and freed, and reads the same
//! after 100,000 create/free cycles. Alone in its test binary, so that no other test
//! makes handles while it counts.

use std::ptr;

use license_ffi::*;

const PRODUCT: &str = "demo-erp";
const LICENSEE: &str = "ACME Corp";

fn ok(r: lic_result) {
    assert_eq!(r, lic_result::Ok);
}

#[test]
fn live_handles_count_up_and_down_to_the_start() {
    let start = lic_debug_live_handles();
    let date = lic_date {
        year: 2026,
        month: 11,
        day: 1,
    };
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32])
        .verifying_key()
        .to_bytes();
    // SAFETY: every pointer passed is valid for the lengths given, out-pointers are
    // writable, and every handle is freed exactly once.
    unsafe {
        let mut config = ptr::null_mut();
        ok(lic_verifier_config_new(
            PRODUCT.as_ptr().cast(),
            PRODUCT.len(),
            date,
            &mut config,
        ));
        assert_eq!(lic_debug_live_handles(), start + 1);
        ok(lic_verifier_config_add_key(config, key.as_ptr(), key.len()));
        ok(lic_verifier_config_set_licensee(
            config,
            LICENSEE.as_ptr().cast(),
            LICENSEE.len(),
        ));
        let mut verifier = ptr::null_mut();
        ok(lic_verifier_new(config, &mut verifier));
        let mut fp = ptr::null_mut();
        ok(lic_fingerprint_new(PRODUCT.as_ptr(), PRODUCT.len(), &mut fp));
        let mut pool = ptr::null_mut();
        ok(lic_seat_pool_new(3, 60, &mut pool));
        let mut snapshot = ptr::null_mut();
        ok(lic_seat_pool_snapshot(pool, &mut snapshot));
        assert_eq!(lic_debug_live_handles(), start + 5);
        // A failed call makes no handle.
        let mut license = ptr::null_mut();
        assert_eq!(
            lic_verifier_verify_text(verifier, "ABCD".as_ptr().cast(), 4, &mut license),
            lic_result::CodeTooShort
        );
        assert!(license.is_null());
        assert_eq!(lic_debug_live_handles(), start + 5);
        lic_seat_snapshot_free(snapshot);
        lic_seat_pool_free(pool);
        lic_fingerprint_free(fp);
        lic_verifier_free(verifier);
        // NULL frees nothing and counts nothing.
        lic_verifier_free(ptr::null_mut());
        assert_eq!(lic_debug_live_handles(), start + 1);
        for _ in 0..100_000 {
            let mut v = ptr::null_mut();
            ok(lic_verifier_new(config, &mut v));
            lic_verifier_free(v);
        }
        lic_verifier_config_free(config);
    }
    assert_eq!(lic_debug_live_handles(), start);
}
