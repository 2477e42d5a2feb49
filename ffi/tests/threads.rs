//! The thread-safety the header promises: one verifier and one seat pool used from several
//! threads at once, and the last error kept per thread.

mod common;

use std::ffi::c_char;
use std::ptr;

use common::*;
use license_core::{Context, sign};
use license_ffi::*;

struct Shared<T>(*const T);
// SAFETY: the handles below are documented as usable from several threads at once.
unsafe impl<T> Send for Shared<T> {}
// SAFETY: as above.
unsafe impl<T> Sync for Shared<T> {}

fn ok(r: lic_result) {
    assert_eq!(r, lic_result::Ok);
}

#[test]
fn one_verifier_and_one_pool_serve_several_threads() {
    let ctx = Context::new(PRODUCT, LICENSEE).with_database(DATABASE);
    let code = sign(&base_license(), &ctx, &vendor_key())
        .expect("sign")
        .to_string();
    let verifier = test_verifier();
    let mut pool = ptr::null_mut();
    // SAFETY: a local out-parameter; the pool is freed once.
    unsafe { ok(lic_seat_pool_new(3, 60, &mut pool)) };
    let v = Shared(verifier.cast_const());
    let p = Shared(pool.cast_const());
    std::thread::scope(|s| {
        for t in 0..4u64 {
            let (v, p, code) = (&v, &p, &code);
            s.spawn(move || {
                for i in 0..5 {
                    let mut license = ptr::null_mut();
                    let holder = format!("t{t}");
                    let mut lease = lic_lease {
                        expires_ms: 0,
                        in_use: 0,
                        renewed: false,
                    };
                    // SAFETY: shared handles documented as thread-safe; locals as out-params.
                    unsafe {
                        let text: *const c_char = code.as_ptr().cast();
                        ok(lic_verifier_verify_text_at(
                            v.0,
                            text,
                            code.len(),
                            NOW + i,
                            &mut license,
                        ));
                        lic_license_free(license);
                        let r = lic_seat_pool_acquire_at(
                            p.0,
                            holder.as_ptr().cast(),
                            holder.len(),
                            0,
                            &mut lease,
                        );
                        assert!(r == lic_result::Ok || r == lic_result::NoSeatAvailable, "{r:?}");
                    }
                }
            });
        }
    });
    let mut snapshot = ptr::null_mut();
    let (mut in_use, mut limit, mut peak) = (0, 0, 0);
    // SAFETY: live handles, freed once.
    unsafe {
        ok(lic_seat_pool_snapshot_at(pool, 0, &mut snapshot));
        ok(lic_seat_snapshot_usage(
            snapshot,
            &mut in_use,
            &mut limit,
            &mut peak,
        ));
        lic_seat_snapshot_free(snapshot);
        lic_seat_pool_free(pool);
        lic_verifier_free(verifier);
    }
    assert_eq!((in_use, limit, peak), (3, 3, 3));
}

fn last_error() -> String {
    let mut buf = [0 as c_char; 512];
    let mut len = 0;
    // SAFETY: a live buffer and length.
    ok(unsafe { lic_last_error_message(buf.as_mut_ptr(), buf.len(), &mut len) });
    String::from_utf8(buf[..len].iter().map(|&c| c as u8).collect()).expect("utf-8")
}

#[test]
fn the_last_error_belongs_to_the_calling_thread() {
    // SAFETY: NULL is reported, not dereferenced.
    let r = unsafe { lic_license_status(ptr::null(), ptr::null_mut()) };
    assert_eq!(r, lic_result::NullArgument);
    let here = last_error();
    assert!(here.contains("license"), "{here}");
    let there = std::thread::spawn(|| {
        // SAFETY: NULL is reported, not dereferenced.
        let r = unsafe { lic_seat_pool_new(1, 0, ptr::null_mut()) };
        assert_eq!(r, lic_result::NullArgument);
        last_error()
    })
    .join()
    .expect("thread");
    assert!(there.contains("out_pool"), "{there}");
    assert_eq!(last_error(), here);
}
