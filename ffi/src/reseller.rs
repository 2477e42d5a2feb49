//! Reseller's codes: a verified license reports the reseller that issued it.

use std::ffi::c_char;

use crate::args::{Out, TextOut};
use crate::boundary::guard;
use crate::handle::Handle;
use crate::license::lic_license;
use crate::result::lic_result;

/// The reseller that issued the license: its display name (text out as described in the
/// introduction; empty for a code the vendor signed itself) and the depth of its
/// certificate chain (0 for the vendor's own code, 1 for a reseller the vendor
/// certified, 2 for its sub-reseller). `out_depth` is written only on success.
///
/// # Safety
/// `license` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL with
/// `buf_len` 0); `out_len` to a writable `size_t`; `out_depth` to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_reseller(
    license: *const lic_license,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
    out_depth: *mut u32,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let l = unsafe { lic_license::get(license, "license") }?;
        let depth = Out::new(out_depth, "out_depth")?;
        let out = TextOut::new(buf, buf_len, out_len)?;
        let (name, n) = match l.issuer() {
            Some(i) => (
                i.reseller().name.as_str(),
                u32::try_from(i.depth()).unwrap_or(u32::MAX),
            ),
            None => ("", 0),
        };
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { out.write(name) }?;
        // SAFETY: the caller's contract: `out_depth` is writable.
        unsafe { depth.write(n) };
        Ok(())
    })
}
