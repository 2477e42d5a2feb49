//! `lic_fingerprint`: this machine's fingerprint, collected or supplied by the host, and
//! its printable form for the vendor.

use std::ffi::c_char;
use std::fmt::Write as _;

use license_core::{Component, MachineFingerprint, mac_digest};
use license_verify::fingerprint::{self, CollectedFingerprint};

use crate::args::{self, Out, TextOut};
use crate::boundary::{guard, guard_value};
use crate::handle::Handle;
use crate::result::{Failure, lic_result};
use crate::types::component;

/// A machine fingerprint: per component, 24-bit digests keyed with an application key.
///
/// Made by `lic_fingerprint_collect` (read from this machine) or `lic_fingerprint_new`
/// (empty, filled by the host with `lic_fingerprint_add_component`/`_add_mac`, for hosts
/// that know their machine better, e.g. a container given a stable id).
///
/// Thread safety: the `const` functions may be called from several threads at once; the
/// `_add_` functions need exclusive access.
pub struct lic_fingerprint {
    _private: [u8; 0],
}

pub(crate) enum Fingerprint {
    Collected(Box<CollectedFingerprint>),
    Supplied {
        app_key: Vec<u8>,
        digests: Box<MachineFingerprint>,
    },
}

impl Fingerprint {
    pub(crate) fn digests(&self) -> &MachineFingerprint {
        match self {
            Fingerprint::Collected(c) => c.fingerprint(),
            Fingerprint::Supplied { digests, .. } => digests,
        }
    }
}

impl Handle for lic_fingerprint {
    type Inner = Fingerprint;
}

/// Read this machine's fingerprint, each component hashed with `app_key` (the key the
/// vendor's fingerprint tool uses; by default products use their product id). Never fails
/// for an unreadable component: it counts as unknown (see `lic_fingerprint_describe`).
/// Free the result with `lic_fingerprint_free`.
///
/// # Safety
/// `app_key` points to `app_key_len` readable bytes; `out_fingerprint` to a writable
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_fingerprint_collect(
    app_key: *const u8,
    app_key_len: usize,
    out_fingerprint: *mut *mut lic_fingerprint,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let key = unsafe { args::bytes(app_key, app_key_len, "app_key") }?;
        let out = Out::new(out_fingerprint, "out_fingerprint")?;
        let fp = Fingerprint::Collected(Box::new(fingerprint::collect(key)));
        // SAFETY: `out` is a writable pointer by the caller's contract.
        unsafe { out.write(lic_fingerprint::into_raw(fp)) };
        Ok(())
    })
}

/// An empty fingerprint (every component unknown) whose components the host adds itself,
/// hashed with `app_key`. Free it with `lic_fingerprint_free`.
///
/// # Safety
/// As for `lic_fingerprint_collect`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_fingerprint_new(
    app_key: *const u8,
    app_key_len: usize,
    out_fingerprint: *mut *mut lic_fingerprint,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let key = unsafe { args::bytes(app_key, app_key_len, "app_key") }?;
        let out = Out::new(out_fingerprint, "out_fingerprint")?;
        let fp = Fingerprint::Supplied {
            app_key: key.to_vec(),
            digests: Box::new(MachineFingerprint::unknown()),
        };
        // SAFETY: `out` is a writable pointer by the caller's contract.
        unsafe { out.write(lic_fingerprint::into_raw(fp)) };
        Ok(())
    })
}

fn supplied(fp: &mut Fingerprint) -> Result<(&[u8], &mut MachineFingerprint), Failure> {
    match fp {
        Fingerprint::Supplied { app_key, digests } => Ok((app_key, digests)),
        Fingerprint::Collected(_) => Err(Failure::invalid(
            "a collected fingerprint cannot be changed: start from lic_fingerprint_new",
        )),
    }
}

/// Add the raw value of `component` (a `lic_component`) as read by the host: an OS install
/// id, a hardware UUID or a CPU description, normalized and hashed as the format defines
/// (for network adapters use `lic_fingerprint_add_mac`). A value that carries no
/// information (empty, all zeros) leaves the component unknown, and so does a value
/// already added; `*out_added` says whether a digest was recorded. At most 8 values are
/// kept per component.
///
/// Returns `LIC_RESULT_INVALID_ARGUMENT` for an unknown component, for
/// `LIC_COMPONENT_NETWORK`, or for a fingerprint made by `lic_fingerprint_collect`.
///
/// # Safety
/// `fingerprint` is a live handle not used by another thread during the call; `value`
/// points to `value_len` readable bytes; `out_added` to a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_fingerprint_add_component(
    fingerprint: *mut lic_fingerprint,
    component_number: u32,
    value: *const c_char,
    value_len: usize,
    out_added: *mut bool,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let fp = unsafe { lic_fingerprint::get_mut(fingerprint, "fingerprint") }?;
        // SAFETY: the caller's contract.
        let value = unsafe { args::text(value, value_len, "value") }?;
        let out = Out::new(out_added, "out_added")?;
        let c = component(component_number)?;
        if c == Component::Network {
            return Err(Failure::invalid(
                "network adapters are added with lic_fingerprint_add_mac",
            ));
        }
        let (key, digests) = supplied(fp)?;
        let added = license_core::component_digest(key, c, value).is_some_and(|d| digests.add(c, d));
        // SAFETY: `out` is a writable `bool` by the caller's contract.
        unsafe { out.write(added) };
        Ok(())
    })
}

/// Add a network adapter's MAC address (`mac_len` must be 6). Addresses that are all
/// zero, multicast or locally administered (virtual adapters, VPNs, containers) are left
/// out; `*out_added` says whether a digest was recorded.
///
/// # Safety
/// `fingerprint` is a live handle not used by another thread during the call; `mac`
/// points to `mac_len` readable bytes; `out_added` to a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_fingerprint_add_mac(
    fingerprint: *mut lic_fingerprint,
    mac: *const u8,
    mac_len: usize,
    out_added: *mut bool,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let fp = unsafe { lic_fingerprint::get_mut(fingerprint, "fingerprint") }?;
        // SAFETY: the caller's contract.
        let mac = unsafe { args::bytes(mac, mac_len, "mac") }?;
        let out = Out::new(out_added, "out_added")?;
        let mac: [u8; 6] = mac
            .try_into()
            .map_err(|_| Failure::invalid(format!("a MAC address has 6 bytes, not {mac_len}")))?;
        let (key, digests) = supplied(fp)?;
        let added = mac_digest(key, mac).is_some_and(|d| digests.add(Component::Network, d));
        // SAFETY: `out` is a writable `bool` by the caller's contract.
        unsafe { out.write(added) };
        Ok(())
    })
}

/// The components with at least one digest, as a bit mask (bit `n` = `lic_component` `n`).
///
/// # Safety
/// `fingerprint` is a live handle; `out_mask` points to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_fingerprint_known_components(
    fingerprint: *const lic_fingerprint,
    out_mask: *mut u32,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let fp = unsafe { lic_fingerprint::get(fingerprint, "fingerprint") }?;
        let out = Out::new(out_mask, "out_mask")?;
        // SAFETY: `out` is a writable `uint32_t` by the caller's contract.
        unsafe { out.write(u32::from(fp.digests().known().bits())) };
        Ok(())
    })
}

/// The printable fingerprint the customer sends to the vendor (e.g. `1G5ZK-QH04M-TRF`),
/// allowing `tolerance` components to change later (0 to 3; reduced when fewer components
/// are known; 1 is usual). Text out as described in the introduction.
///
/// Returns `LIC_RESULT_INVALID_LICENSE` when no component could be read (bind to a
/// database code instead) and `LIC_RESULT_INVALID_ARGUMENT` for a tolerance above 3.
///
/// # Safety
/// `fingerprint` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL
/// with `buf_len` 0); `out_len` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_fingerprint_print(
    fingerprint: *const lic_fingerprint,
    tolerance: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let fp = unsafe { lic_fingerprint::get(fingerprint, "fingerprint") }?;
        let out = TextOut::new(buf, buf_len, out_len)?;
        let tolerance = checked_tolerance(tolerance)?;
        let text = fp.digests().binding(tolerance)?.to_string();
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { out.write(&text) }
    })
}

fn checked_tolerance(tolerance: u32) -> Result<u8, Failure> {
    u8::try_from(tolerance)
        .ok()
        .filter(|t| *t <= license_core::MachineBinding::MAX_TOLERANCE)
        .ok_or_else(|| Failure::invalid(format!("tolerance {tolerance} is above 3")))
}

/// A report in plain words for support: the printable fingerprint for `tolerance`, then one
/// line per component (read and from where, or unknown and why). Text out as described in
/// the introduction.
///
/// # Safety
/// As for `lic_fingerprint_print`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_fingerprint_describe(
    fingerprint: *const lic_fingerprint,
    tolerance: u32,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let fp = unsafe { lic_fingerprint::get(fingerprint, "fingerprint") }?;
        let out = TextOut::new(buf, buf_len, out_len)?;
        let tolerance = checked_tolerance(tolerance)?;
        let text = match fp {
            Fingerprint::Collected(c) => c.describe(tolerance).to_string(),
            Fingerprint::Supplied { digests, .. } => describe_supplied(digests, tolerance),
        };
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { out.write(&text) }
    })
}

fn describe_supplied(digests: &MachineFingerprint, tolerance: u8) -> String {
    let mut s = String::new();
    let _ = match digests.binding(tolerance) {
        Ok(b) => writeln!(s, "Machine fingerprint: {b}"),
        Err(e) => writeln!(s, "Machine fingerprint: none ({e})"),
    };
    for c in Component::ALL {
        let n = digests.digests(c).len();
        let _ = match n {
            0 => writeln!(s, "  {:<17} unknown: not supplied by the application", c.name()),
            1 => writeln!(s, "  {:<17} supplied by the application", c.name()),
            n => writeln!(s, "  {:<17} supplied by the application, {n} values", c.name()),
        };
    }
    s
}

/// Free a fingerprint; NULL does nothing.
///
/// # Safety
/// `fingerprint` is NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_fingerprint_free(fingerprint: *mut lic_fingerprint) {
    // SAFETY: the caller's contract.
    guard_value((), || unsafe { lic_fingerprint::free(fingerprint) })
}
