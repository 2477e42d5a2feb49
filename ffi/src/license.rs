//! `lic_license`: a verified license and what it grants on the day it was verified.

use std::ffi::c_char;

use license_core::{Date, Release, Status};
use license_verify::Verification;

use crate::args::{self, Out, TextOut};
use crate::boundary::{guard, guard_value};
use crate::handle::Handle;
use crate::result::{Failure, lic_result};
use crate::types::{NO_DATE, count, lic_date, lic_kind, lic_status};

/// A verified license: its scope, its status on the day it was verified and the
/// entitlements in effect then. Returned by `lic_verifier_verify_text` and
/// `lic_verifier_verify_file`; free it with `lic_license_free`.
///
/// It does not refer to the verifier: either may be freed first.
///
/// Thread safety: immutable; every function may be called from several threads at once.
pub struct lic_license {
    _private: [u8; 0],
}

impl Handle for lic_license {
    type Inner = Verification;
}

/// Read one value of the license behind `license` into `out`.
///
/// # Safety
/// `license` is NULL or a live handle; `out` is NULL or writable.
unsafe fn read<T>(
    license: *const lic_license,
    out: *mut T,
    out_name: &'static str,
    f: impl FnOnce(&Verification) -> Result<T, Failure>,
) -> lic_result {
    guard(|| {
        // SAFETY: forwarded contract.
        let l = unsafe { lic_license::get(license, "license") }?;
        let out = Out::new(out, out_name)?;
        let v = f(l)?;
        // SAFETY: forwarded contract: `out` is writable.
        unsafe { out.write(v) };
        Ok(())
    })
}

/// The status on the day of verification: not yet valid, valid, expiring soon, in grace,
/// demo mode or expired.
///
/// # Safety
/// `license` is a live handle; `out_status` points to a writable `lic_status`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_status(
    license: *const lic_license,
    out_status: *mut lic_status,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_status, "out_status", |l| Ok(l.status().into())) }
}

/// Days left in the current phase, counting the day of verification: until the first
/// valid day (not yet valid), until expiry (valid, expiring soon), until the end of grace
/// (in grace); 0 in demo mode and when expired; `LIC_UNLIMITED` for a perpetual license.
///
/// # Safety
/// `license` is a live handle; `out_days` points to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_days_left(
    license: *const lic_license,
    out_days: *mut u32,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_days, "out_days", |l| Ok(days_left(l))) }
}

fn days_left(l: &Verification) -> u32 {
    let until = |d: Date| u32::try_from(d.days_since(l.today())).unwrap_or(0);
    match l.status() {
        Status::NotYetValid { starts } => until(starts),
        Status::Valid => l.expires().map_or(crate::types::LIC_UNLIMITED, until),
        Status::ExpiringSoon { days_left, .. } | Status::InGrace { days_left, .. } => days_left,
        _ => 0,
    }
}

/// Whether the application may run now: a usable status (valid, expiring soon, in grace,
/// demo mode) and a release covered by maintenance.
///
/// # Safety
/// `license` is a live handle; `out_usable` points to a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_is_usable(
    license: *const lic_license,
    out_usable: *mut bool,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_usable, "out_usable", |l| Ok(l.is_usable())) }
}

/// Whether this verification was the **first run of this installation**: a state file is
/// configured but none was found, so the guards (clock, replay, revocation) started
/// afresh. Expected once after installing; later it means the state file was deleted or
/// moved, which a host should log or have support confirm (docs/SECURITY.md, "A deleted or
/// restored state file"). Always false without a state file.
///
/// # Safety
/// `license` is a live handle; `out_first_run` points to a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_first_run(
    license: *const lic_license,
    out_first_run: *mut bool,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_first_run, "out_first_run", |l| Ok(l.first_run())) }
}

/// Whether this release (by the build date given to the verifier) is covered by
/// maintenance. Releases built before the maintenance end stay licensed.
///
/// # Safety
/// `license` is a live handle; `out_covered` points to a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_release_covered(
    license: *const lic_license,
    out_covered: *mut bool,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        read(license, out_covered, "out_covered", |l| {
            Ok(matches!(l.release(), Release::Covered))
        })
    }
}

/// Named users allowed now: the licensed count, the demo seat count in demo mode, 0 when
/// the license is not usable; `LIC_UNLIMITED` when not limited.
///
/// # Safety
/// `license` is a live handle; `out_users` points to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_named_users(
    license: *const lic_license,
    out_users: *mut u32,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_users, "out_users", |l| Ok(count(l.named_users()))) }
}

/// Concurrent seats allowed now (the size of a seat pool), counted like
/// `lic_license_named_users`.
///
/// # Safety
/// `license` is a live handle; `out_seats` points to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_concurrent_seats(
    license: *const lic_license,
    out_seats: *mut u32,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        read(license, out_seats, "out_seats", |l| {
            Ok(count(l.concurrent_seats()))
        })
    }
}

/// The product line number (0 to 15; the vendor's catalog names them, e.g. 0 Standard,
/// 1 Expert).
///
/// # Safety
/// `license` is a live handle; `out_line` points to a writable `uint8_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_line(license: *const lic_license, out_line: *mut u8) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_line, "out_line", |l| Ok(l.line().get())) }
}

/// The kind: full, trial, subscription or NFR.
///
/// # Safety
/// `license` is a live handle; `out_kind` points to a writable `lic_kind`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_kind(
    license: *const lic_license,
    out_kind: *mut lic_kind,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_kind, "out_kind", |l| Ok(l.kind().into())) }
}

/// The license id (the same across re-issues).
///
/// # Safety
/// `license` is a live handle; `out_id` points to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_id(license: *const lic_license, out_id: *mut u32) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_id, "out_id", |l| Ok(l.license_id())) }
}

/// The revision of this code (incremented by every re-issue).
///
/// # Safety
/// `license` is a live handle; `out_revision` points to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_revision(
    license: *const lic_license,
    out_revision: *mut u32,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_revision, "out_revision", |l| Ok(l.revision())) }
}

/// The day the code was signed.
///
/// # Safety
/// `license` is a live handle; `out_date` points to a writable `lic_date`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_issued(
    license: *const lic_license,
    out_date: *mut lic_date,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_date, "out_date", |l| Ok(l.issued().into())) }
}

/// The first valid day.
///
/// # Safety
/// `license` is a live handle; `out_date` points to a writable `lic_date`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_valid_from(
    license: *const lic_license,
    out_date: *mut lic_date,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_date, "out_date", |l| Ok(l.valid_from().into())) }
}

/// The first day no longer valid; `{0, 0, 0}` for a perpetual license.
///
/// # Safety
/// `license` is a live handle; `out_date` points to a writable `lic_date`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_expires(
    license: *const lic_license,
    out_date: *mut lic_date,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        read(license, out_date, "out_date", |l| {
            Ok(l.expires().map_or(NO_DATE, Into::into))
        })
    }
}

/// The end of maintenance: releases built before this day are covered; `{0, 0, 0}` when
/// every release is covered.
///
/// # Safety
/// `license` is a live handle; `out_date` points to a writable `lic_date`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_maintenance_ends(
    license: *const lic_license,
    out_date: *mut lic_date,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        read(license, out_date, "out_date", |l| {
            Ok(l.maintenance_ends().map_or(NO_DATE, Into::into))
        })
    }
}

/// The day the license was verified for (the status and entitlements are for this day).
///
/// # Safety
/// `license` is a live handle; `out_date` points to a writable `lic_date`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_today(
    license: *const lic_license,
    out_date: *mut lic_date,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_date, "out_date", |l| Ok(l.today().into())) }
}

/// The modules usable now as a bit mask (bit `n` = module `n`; 0 when not usable).
///
/// # Safety
/// `license` is a live handle; `out_mask` points to a writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_modules(license: *const lic_license, out_mask: *mut u64) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { read(license, out_mask, "out_mask", |l| Ok(l.modules().bits())) }
}

/// Whether the module named `name` (as given to `lic_verifier_config_add_module`) may be
/// used now: licensed, and the license usable. Returns `LIC_RESULT_UNKNOWN_MODULE` for a
/// name the configuration does not list (a typo in the application, not a "no").
///
/// # Safety
/// `license` is a live handle; `name` points to `name_len` readable bytes; `out_has` to a
/// writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_has_module(
    license: *const lic_license,
    name: *const c_char,
    name_len: usize,
    out_has: *mut bool,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let l = unsafe { lic_license::get(license, "license") }?;
        // SAFETY: the caller's contract.
        let name = unsafe { args::text(name, name_len, "name") }?;
        let out = Out::new(out_has, "out_has")?;
        if !l.module_names().iter().any(|m| m == name) {
            return Err(Failure::with_message(
                lic_result::UnknownModule,
                format!("the module name {name:?} is not among the names given to the verifier"),
            ));
        }
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(l.has_module(name)) };
        Ok(())
    })
}

/// A later revision of this license that is already known and takes effect on a later
/// day (a reduction next quarter): `*out_pending` says whether there is one; if so
/// `*out_revision` and `*out_starts` receive its revision and first day (otherwise they
/// are left unchanged). From that day this code is refused as superseded.
///
/// # Safety
/// `license` is a live handle; the out pointers are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_pending_change(
    license: *const lic_license,
    out_pending: *mut bool,
    out_revision: *mut u32,
    out_starts: *mut lic_date,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let l = unsafe { lic_license::get(license, "license") }?;
        let pending = Out::new(out_pending, "out_pending")?;
        let revision = Out::new(out_revision, "out_revision")?;
        let starts = Out::new(out_starts, "out_starts")?;
        let change = l.pending_change();
        // SAFETY: all three are writable by the caller's contract.
        unsafe {
            pending.write(change.is_some());
            if let Some(c) = change {
                revision.write(c.revision);
                starts.write(c.starts.into());
            }
        }
        Ok(())
    })
}

/// The product line's name as configured with `lic_verifier_config_add_line` (from the
/// vendor's catalog); an empty text when the line has no configured name (then use
/// `lic_license_line`). Text out as described in the introduction.
///
/// # Safety
/// `license` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL with
/// `buf_len` 0); `out_len` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_line_name(
    license: *const lic_license,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let l = unsafe { lic_license::get(license, "license") }?;
        let out = TextOut::new(buf, buf_len, out_len)?;
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { out.write(l.line_name().unwrap_or("")) }
    })
}

/// What the license grants, in plain words (one `Label: value` line per item: kind, line,
/// users, seats, modules by name, dates, status), for the customer to read. Text out as
/// described in the introduction.
///
/// # Safety
/// `license` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL with
/// `buf_len` 0); `out_len` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_describe(
    license: *const lic_license,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let l = unsafe { lic_license::get(license, "license") }?;
        let out = TextOut::new(buf, buf_len, out_len)?;
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { out.write(&l.to_string()) }
    })
}

/// Free a license; NULL does nothing.
///
/// # Safety
/// `license` is NULL or a live handle no other thread is using, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_license_free(license: *mut lic_license) {
    // SAFETY: the caller's contract.
    guard_value((), || unsafe { lic_license::free(license) })
}
