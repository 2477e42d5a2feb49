//! Database codes: creating one for an installation, and reading one typed by a person.

use std::ffi::c_char;

use license_core::DatabaseCode;

use crate::args::{self, TextOut};
use crate::boundary::guard;
use crate::result::{Failure, lic_result};

/// Create a new database code for this installation from the operating system's random
/// source, e.g. `DB-B80ZZ-01W25-SE82D-XMET2` (26 characters; a 27-byte buffer is always
/// enough). Text out as described in the introduction.
///
/// Create it once, when the product is installed or its database created, store it in
/// that database, and show it in the license dialog: the customer sends it to the vendor,
/// who issues a code bound to it; pass it to `lic_verifier_config_set_database` at every
/// start. A new code at each start would orphan the license.
///
/// Returns `LIC_RESULT_RANDOM_UNAVAILABLE` if the operating system offers no random
/// source.
///
/// # Safety
/// `buf` points to `buf_len` writable bytes (or is NULL with `buf_len` 0); `out_len` to a
/// writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_database_code_new(
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lic_result {
    guard(|| {
        let out = TextOut::new(buf, buf_len, out_len)?;
        let code = license_verify::new_database_code().map_err(|e| {
            Failure::with_message(
                lic_result::RandomUnavailable,
                format!(
                    "the operating system's random source failed ({e}): a database code cannot be created"
                ),
            )
        })?;
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { out.write(code.text().as_str()) }
    })
}

/// Read a database code as a person typed or pasted it (`DB-` may be missing; case,
/// dashes, spaces and `O`/`I`/`L` for `0`/`1` are forgiven) and write its canonical
/// form (26 characters). Text in and out as described in the introduction.
///
/// Returns `LIC_RESULT_DATABASE_CODE_INVALID` for a text that is no database code; the
/// detailed message (`lic_last_error_message`) says why: the group holding a typo, a
/// character that cannot be part of a code, or the wrong number of characters.
///
/// # Safety
/// `text` points to `text_len` readable bytes; `buf` to `buf_len` writable bytes (or is
/// NULL with `buf_len` 0); `out_len` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_database_code_normalize(
    text: *const c_char,
    text_len: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let typed = unsafe { args::text(text, text_len, "text") }?;
        let out = TextOut::new(buf, buf_len, out_len)?;
        let code = DatabaseCode::parse(typed)
            .map_err(|e| Failure::with_message(lic_result::DatabaseCodeInvalid, e.to_string()))?;
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { out.write(code.text().as_str()) }
    })
}
