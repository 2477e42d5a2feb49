//! Library-wide calls: version, names and messages of result codes and statuses, the last
//! error's detail.

use std::ffi::c_char;

use crate::args::TextOut;
use crate::boundary::{guard, guard_quiet, guard_value, last_error};
use crate::result::{Failure, lic_result};
use crate::types::lic_status;

static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version as a NUL-terminated string, e.g. "0.1.0": compare it with
/// `LIC_VERSION` to detect a header that does not match the linked library. The string
/// is static: do not free it.
#[unsafe(no_mangle)]
pub extern "C" fn lic_version() -> *const c_char {
    guard_value(VERSION.as_ptr().cast::<c_char>(), || {
        VERSION.as_ptr().cast::<c_char>()
    })
}

/// The C name of a result code as a static NUL-terminated string, e.g.
/// `"LIC_RESULT_TYPO"` for 104: stable (a code's name never changes), for logs and
/// support tickets. NULL for a number that is no result code of this library. Do not
/// free it.
#[unsafe(no_mangle)]
pub extern "C" fn lic_result_name(result: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        lic_result::from_u32(result).map_or(std::ptr::null(), |r| r.name_nul().as_ptr().cast::<c_char>())
    })
}

/// The C name of a status as a static NUL-terminated string, e.g. `"LIC_STATUS_IN_GRACE"`
/// for 4: stable, for logs. NULL for a number that is no `lic_status`. Do not free it.
/// (For the user, describe the status in words: `lic_license_describe`.)
#[unsafe(no_mangle)]
pub extern "C" fn lic_status_name(status: u32) -> *const c_char {
    guard_value(std::ptr::null(), || {
        lic_status::from_u32(status).map_or(std::ptr::null(), |s| s.name_nul().as_ptr().cast::<c_char>())
    })
}

/// Copy the fixed English message for `result` into `buf` (see "Text out" in the header's
/// introduction: `*out_len` receives the length without the NUL, also when the buffer is
/// too small).
///
/// Returns `LIC_RESULT_INVALID_ARGUMENT` for a number that is no result code.
///
/// # Safety
/// `buf` points to `buf_len` writable bytes (or is NULL with `buf_len` 0); `out_len`
/// points to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_result_message(
    result: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lic_result {
    guard(|| {
        let out = TextOut::new(buf, buf_len, out_len)?;
        let code = lic_result::from_u32(result)
            .ok_or_else(|| Failure::invalid(format!("{result} is not a result code of this library")))?;
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { out.write(code.message()) }
    })
}

/// Copy the full message of the last call that failed on the calling thread into `buf`:
/// what went wrong and what the user should do, with details the result code does not
/// carry (the group holding a typo, which machine components changed, the revision that
/// replaced a code, the file that could not be read). Empty if no call has failed on this
/// thread. Calls that succeed leave it unchanged, and this call never changes it, even
/// when it fails (so asking for the length first, with `buf_len` 0, keeps the message).
///
/// # Safety
/// As for `lic_result_message`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_last_error_message(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lic_result {
    guard_quiet(|| {
        let message = last_error();
        let out = TextOut::new(buf, buf_len, out_len)?;
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { out.write(&message) }
    })
}

/// For tests of bindings and host applications only (not for a product's logic): how many
/// handles of every type (`lic_verifier_config`, `lic_verifier`, `lic_license`,
/// `lic_fingerprint`, `lic_seat_pool`, `lic_seat_snapshot`, `lic_seat_client`) this
/// library has made and not yet freed, in the whole process. A leak test makes and frees
/// handles in a loop and checks that the count comes back to where it started.
#[unsafe(no_mangle)]
pub extern "C" fn lic_debug_live_handles() -> usize {
    guard_value(0, crate::handle::live_handles)
}

/// Test hook: panics inside the panic boundary, so a test can check that the panic comes
/// out as `LIC_RESULT_PANIC`. Present only in builds with the `test-hooks` feature
/// (this crate's own tests); never in a product build.
#[cfg(feature = "test-hooks")]
#[unsafe(no_mangle)]
pub extern "C" fn lic_test_force_panic() -> lic_result {
    guard(|| {
        let v: Vec<u8> = Vec::new();
        // An out-of-bounds index: a real panic from the standard library.
        let i = std::hint::black_box(3usize);
        if v[i] == 0 {
            return Ok(());
        }
        Ok(())
    })
}
