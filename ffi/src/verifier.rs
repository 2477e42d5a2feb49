//! `lic_verifier`: verify codes, ingest revocation lists, keep the state file.

use std::ffi::c_char;

use license_verify::{RevocationListInfo, Utc, Verifier};

use crate::args::{self, Out};
use crate::boundary::{guard, guard_value};
use crate::config::lic_verifier_config;
use crate::handle::Handle;
use crate::license::lic_license;
use crate::result::lic_result;
use crate::types::lic_date;

/// Verifies license codes for one installation. Made by `lic_verifier_new` from a
/// configuration, once at start-up.
///
/// Thread safety: every function takes it as `const` and may be called from several
/// threads at once; the guards and state-file writes inside are serialized by a lock.
pub struct lic_verifier {
    _private: [u8; 0],
}

impl Handle for lic_verifier {
    type Inner = Verifier;
}

/// The installed revocation list.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lic_revocation_info {
    /// The list's sequence number (increases with every list the vendor publishes).
    pub sequence: u64,
    /// The day it was issued.
    pub issued: lic_date,
    /// The first day it is no longer current (its entries stay in force).
    pub expires: lic_date,
    /// How many licenses it revokes.
    pub entries: u64,
}

impl From<RevocationListInfo> for lic_revocation_info {
    fn from(i: RevocationListInfo) -> Self {
        lic_revocation_info {
            sequence: i.sequence,
            issued: i.issued.into(),
            expires: i.expires.into(),
            entries: i.entries as u64,
        }
    }
}

/// Build a verifier from `config`. The configuration is not consumed. A state file that is
/// corrupt or unreadable does not fail here: every verification reports it until it is
/// restored or `lic_verifier_reset_state` is called.
///
/// Returns `LIC_RESULT_CONFIG` when no key or no licensee was configured, or the state-file
/// secret is shorter than 16 bytes. Free the verifier with `lic_verifier_free`.
///
/// # Safety
/// `config` is a live handle not used by another thread during the call; `out_verifier`
/// points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_new(
    config: *const lic_verifier_config,
    out_verifier: *mut *mut lic_verifier,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { lic_verifier_config::get(config, "config") }?;
        let out = Out::new(out_verifier, "out_verifier")?;
        let v = c.build()?;
        // SAFETY: `out` is a writable pointer by the caller's contract.
        unsafe { out.write(lic_verifier::into_raw(v)) };
        Ok(())
    })
}

/// Free a verifier; NULL does nothing.
///
/// # Safety
/// `verifier` is NULL or a live handle no other thread is using, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_free(verifier: *mut lic_verifier) {
    // SAFETY: the caller's contract.
    guard_value((), || unsafe { lic_verifier::free(verifier) })
}

/// Verify `text` at the Unix time `now` (seconds, UTC), or at the system clock's time if
/// `now` is `None`.
///
/// # Safety
/// Pointers as for `lic_verifier_verify_text`.
unsafe fn verify_text(
    verifier: *const lic_verifier,
    text: *const c_char,
    text_len: usize,
    now: Option<i64>,
    out_license: *mut *mut lic_license,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let v = unsafe { lic_verifier::get(verifier, "verifier") }?;
        // SAFETY: the caller's contract.
        let text = unsafe { args::text(text, text_len, "text") }?;
        let out = Out::new(out_license, "out_license")?;
        let verification = v.verify_text_at(text, now.map_or_else(Utc::now, Utc))?;
        // SAFETY: `out` is a writable pointer by the caller's contract.
        unsafe { out.write(lic_license::into_raw(verification)) };
        Ok(())
    })
}

/// Verify a license code given as text (as the customer pasted it: dashes, spaces, line
/// breaks and lower case are accepted), at the system clock's time. On success
/// `*out_license` receives the verified license (free it with `lic_license_free`).
///
/// In order, the most specific cause first: the text must be free of typos and the code
/// well-formed, the state file usable, the clock not turned back, the code signed by a
/// configured key for this product, licensee, database and machine, not signed after
/// today, not revoked and not superseded by a higher revision already seen. A code that verifies may still
/// not be usable (expired, not yet valid, release not covered): see `lic_license_status`
/// and `lic_license_is_usable`.
///
/// # Safety
/// `verifier` is a live handle; `text` points to `text_len` readable bytes;
/// `out_license` to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_verify_text(
    verifier: *const lic_verifier,
    text: *const c_char,
    text_len: usize,
    out_license: *mut *mut lic_license,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { verify_text(verifier, text, text_len, None, out_license) }
}

/// `lic_verifier_verify_text` at the Unix time `now_unix` (seconds, UTC).
///
/// # Safety
/// As for `lic_verifier_verify_text`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_verify_text_at(
    verifier: *const lic_verifier,
    text: *const c_char,
    text_len: usize,
    now_unix: i64,
    out_license: *mut *mut lic_license,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { verify_text(verifier, text, text_len, Some(now_unix), out_license) }
}

/// Verify the code stored as text in the file at `path` (UTF-8).
///
/// # Safety
/// Pointers as for `lic_verifier_verify_file`.
unsafe fn verify_file(
    verifier: *const lic_verifier,
    path: *const c_char,
    path_len: usize,
    now: Option<i64>,
    out_license: *mut *mut lic_license,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let v = unsafe { lic_verifier::get(verifier, "verifier") }?;
        // SAFETY: the caller's contract.
        let path = unsafe { args::text(path, path_len, "path") }?;
        let out = Out::new(out_license, "out_license")?;
        let verification = v.verify_file_at(path, now.map_or_else(Utc::now, Utc))?;
        // SAFETY: `out` is a writable pointer by the caller's contract.
        unsafe { out.write(lic_license::into_raw(verification)) };
        Ok(())
    })
}

/// Verify the code stored as text in the file at `path` (a UTF-8 path), at the system
/// clock's time. Returns `LIC_RESULT_IO` when the file cannot be read and
/// `LIC_RESULT_NOT_TEXT` when it is not text; otherwise as `lic_verifier_verify_text`.
///
/// # Safety
/// `verifier` is a live handle; `path` points to `path_len` readable bytes;
/// `out_license` to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_verify_file(
    verifier: *const lic_verifier,
    path: *const c_char,
    path_len: usize,
    out_license: *mut *mut lic_license,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { verify_file(verifier, path, path_len, None, out_license) }
}

/// `lic_verifier_verify_file` at the Unix time `now_unix` (seconds, UTC).
///
/// # Safety
/// As for `lic_verifier_verify_file`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_verify_file_at(
    verifier: *const lic_verifier,
    path: *const c_char,
    path_len: usize,
    now_unix: i64,
    out_license: *mut *mut lic_license,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { verify_file(verifier, path, path_len, Some(now_unix), out_license) }
}

/// Install a revocation list from its bytes at the Unix time `now` (or the system clock).
///
/// # Safety
/// Pointers as for `lic_verifier_ingest_revocation_list`.
unsafe fn ingest_list(
    verifier: *const lic_verifier,
    list: *const u8,
    list_len: usize,
    now: Option<i64>,
    out_info: *mut lic_revocation_info,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let v = unsafe { lic_verifier::get(verifier, "verifier") }?;
        // SAFETY: the caller's contract.
        let bytes = unsafe { args::bytes(list, list_len, "list") }?;
        let out = Out::new(out_info, "out_info")?;
        let info = v.ingest_revocation_list_at(bytes, now.map_or_else(Utc::now, Utc))?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(info.into()) };
        Ok(())
    })
}

/// Install a revocation list (its binary form, as the vendor publishes it) at the system
/// clock's time. It must be signed by a configured vendor key, be current, and be newer
/// than the installed list (the installed list again is accepted and changes nothing).
/// Its entries are kept in the state file, so the list is needed only once. On success
/// `*out_info` describes the installed list.
///
/// # Safety
/// `verifier` is a live handle; `list` points to `list_len` readable bytes; `out_info` to
/// a writable `lic_revocation_info`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_ingest_revocation_list(
    verifier: *const lic_verifier,
    list: *const u8,
    list_len: usize,
    out_info: *mut lic_revocation_info,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { ingest_list(verifier, list, list_len, None, out_info) }
}

/// `lic_verifier_ingest_revocation_list` at the Unix time `now_unix` (seconds, UTC).
///
/// # Safety
/// As for `lic_verifier_ingest_revocation_list`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_ingest_revocation_list_at(
    verifier: *const lic_verifier,
    list: *const u8,
    list_len: usize,
    now_unix: i64,
    out_info: *mut lic_revocation_info,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { ingest_list(verifier, list, list_len, Some(now_unix), out_info) }
}

/// Install the revocation list stored in the file at `path` (UTF-8) or at `now_unix`.
///
/// # Safety
/// As for `lic_verifier_ingest_revocation_file`.
unsafe fn ingest_file(
    verifier: *const lic_verifier,
    path: *const c_char,
    path_len: usize,
    now_unix: Option<i64>,
    out_info: *mut lic_revocation_info,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let v = unsafe { lic_verifier::get(verifier, "verifier") }?;
        // SAFETY: the caller's contract.
        let path = unsafe { args::text(path, path_len, "path") }?;
        let out = Out::new(out_info, "out_info")?;
        let info = v.ingest_revocation_file_at(path, now_unix.map_or_else(Utc::now, Utc))?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(info.into()) };
        Ok(())
    })
}

/// Install the revocation list stored in the file at `path` (UTF-8), at the system
/// clock's time. As `lic_verifier_ingest_revocation_list`, plus `LIC_RESULT_IO` when the
/// file cannot be read.
///
/// # Safety
/// `verifier` is a live handle; `path` points to `path_len` readable bytes; `out_info` to
/// a writable `lic_revocation_info`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_ingest_revocation_file(
    verifier: *const lic_verifier,
    path: *const c_char,
    path_len: usize,
    out_info: *mut lic_revocation_info,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { ingest_file(verifier, path, path_len, None, out_info) }
}

/// `lic_verifier_ingest_revocation_file` at the Unix time `now_unix` (seconds, UTC).
///
/// # Safety
/// As for `lic_verifier_ingest_revocation_file`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_ingest_revocation_file_at(
    verifier: *const lic_verifier,
    path: *const c_char,
    path_len: usize,
    now_unix: i64,
    out_info: *mut lic_revocation_info,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { ingest_file(verifier, path, path_len, Some(now_unix), out_info) }
}

/// The installed revocation list: `*out_installed` says whether there is one, and if so
/// `*out_info` describes it (otherwise `*out_info` is left unchanged).
///
/// # Safety
/// `verifier` is a live handle; `out_installed` points to a writable `bool` and
/// `out_info` to a writable `lic_revocation_info`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_revocation_list(
    verifier: *const lic_verifier,
    out_installed: *mut bool,
    out_info: *mut lic_revocation_info,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let v = unsafe { lic_verifier::get(verifier, "verifier") }?;
        let installed = Out::new(out_installed, "out_installed")?;
        let out = Out::new(out_info, "out_info")?;
        let info = v.revocation_list();
        // SAFETY: both are writable by the caller's contract.
        unsafe {
            installed.write(info.is_some());
            if let Some(i) = info {
                out.write(i.into());
            }
        }
        Ok(())
    })
}

/// Check the clock at `now_unix`, or at the system clock's time (read inside the panic
/// boundary).
///
/// # Safety
/// `verifier` is a live handle.
unsafe fn check_clock(verifier: *const lic_verifier, now_unix: Option<i64>) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let v = unsafe { lic_verifier::get(verifier, "verifier") }?;
        Ok(v.check_clock_at(now_unix.map_or_else(Utc::now, Utc))?)
    })
}

/// For long-running applications: check the clock against the latest time seen and
/// advance it (call it now and then, e.g. hourly), at the Unix time `now_unix`.
/// Returns `LIC_RESULT_CLOCK_TURNED_BACK` if the clock is behind.
///
/// # Safety
/// `verifier` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_check_clock_at(
    verifier: *const lic_verifier,
    now_unix: i64,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { check_clock(verifier, Some(now_unix)) }
}

/// `lic_verifier_check_clock_at` at the system clock's time.
///
/// # Safety
/// `verifier` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_check_clock(verifier: *const lic_verifier) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { check_clock(verifier, None) }
}

/// Write to the state file any change not yet written (after `LIC_RESULT_STATE_UNWRITABLE`,
/// once the cause is fixed).
///
/// # Safety
/// `verifier` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_flush_state(verifier: *const lic_verifier) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let v = unsafe { lic_verifier::get(verifier, "verifier") }?;
        Ok(v.flush_state()?)
    })
}

/// Reset the state at `now_unix`, or at the system clock's time.
///
/// # Safety
/// `verifier` is a live handle.
unsafe fn reset_state(verifier: *const lic_verifier, now_unix: Option<i64>) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let v = unsafe { lic_verifier::get(verifier, "verifier") }?;
        Ok(v.reset_state_at(now_unix.map_or_else(Utc::now, Utc))?)
    })
}

/// For support only: start the guards afresh at the system clock's time, as on a first
/// run, and write the state file. This forgets the highest revisions seen and the
/// installed revocation list (install the current list again afterwards).
///
/// # Safety
/// `verifier` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_reset_state(verifier: *const lic_verifier) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { reset_state(verifier, None) }
}

/// `lic_verifier_reset_state` at the Unix time `now_unix` (seconds, UTC).
///
/// # Safety
/// `verifier` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_reset_state_at(
    verifier: *const lic_verifier,
    now_unix: i64,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { reset_state(verifier, Some(now_unix)) }
}
