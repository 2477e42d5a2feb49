//! `lic_verifier_config`: everything a verifier is built from.

use std::ffi::c_char;
use std::path::PathBuf;

use license_core::{ComponentSet, Date, MAX_CONTEXT_FIELD, MachineFingerprint, Policy, PublicKey};
use license_verify::Verifier;

use crate::args::{self, Out};
use crate::boundary::{guard, guard_value};
use crate::fingerprint::lic_fingerprint;
use crate::handle::Handle;
use crate::result::{Failure, lic_result};
use crate::types::{date, lic_date};

/// The configuration a `lic_verifier` is built from: vendor keys, product id, build date
/// of this release, licensee, database code or machine fingerprint, module names, state
/// file, policy. Made by `lic_verifier_config_new`, filled by the `_set_`/`_add_`
/// functions, turned into a verifier by `lic_verifier_new` (the configuration stays
/// usable and must still be freed with `lic_verifier_config_free`).
///
/// Thread safety: not thread-safe; use it from one thread at a time.
pub struct lic_verifier_config {
    _private: [u8; 0],
}

enum Machine {
    Supplied(MachineFingerprint),
    Collect(Vec<u8>),
}

pub(crate) struct Config {
    keys: Vec<PublicKey>,
    product: String,
    build_date: Date,
    licensee: Option<String>,
    database: Option<String>,
    machine: Option<Machine>,
    modules: Vec<String>,
    lines: Vec<String>,
    tolerated: ComponentSet,
    state: Option<(PathBuf, Vec<u8>)>,
    notice_days: Option<u16>,
    clock_tolerance_secs: Option<u32>,
}

impl Handle for lic_verifier_config {
    type Inner = Config;
}

impl Config {
    /// The `license-verify` verifier for this configuration.
    pub(crate) fn build(&self) -> Result<Verifier, Failure> {
        let mut b = Verifier::builder(self.keys.clone(), self.product.clone(), self.build_date);
        if let Some(l) = &self.licensee {
            b = b.licensee(l.clone());
        }
        if let Some(d) = &self.database {
            b = b.database(d.clone());
        }
        match &self.machine {
            Some(Machine::Supplied(m)) => b = b.machine_fingerprint(*m),
            Some(Machine::Collect(key)) => b = b.fingerprint_app_key(key.clone()),
            None => {}
        }
        b = b.modules(self.modules.iter().cloned());
        b = b.lines(self.lines.iter().cloned());
        b = b.tolerate_unreadable(self.tolerated);
        if let Some((path, secret)) = &self.state {
            b = b.state_file(path.clone(), secret.clone());
        }
        if let Some(n) = self.notice_days {
            b = b.policy(Policy { notice_days: n });
        }
        if let Some(s) = self.clock_tolerance_secs {
            b = b.clock_tolerance_secs(s);
        }
        Ok(b.build()?)
    }
}

/// A product id, licensee or database code, checked against the format's limit.
fn context_field(s: &str) -> Result<String, Failure> {
    if s.len() > MAX_CONTEXT_FIELD {
        return Err(license_core::Error::ContextTooLong {
            max: MAX_CONTEXT_FIELD,
        }
        .into());
    }
    Ok(s.to_owned())
}

/// Start a configuration for `product` (the product id as in the vendor's catalog, at most
/// 255 bytes) and the build date of this release (for maintenance coverage).
///
/// Returns `LIC_RESULT_INVALID_DATE` for a date that does not exist and
/// `LIC_RESULT_CONTEXT_TOO_LONG` for a product id over 255 bytes.
///
/// # Safety
/// `product` points to `product_len` readable bytes; `out_config` to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_new(
    product: *const c_char,
    product_len: usize,
    build_date: lic_date,
    out_config: *mut *mut lic_verifier_config,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let product = unsafe { args::text(product, product_len, "product") }?;
        let out = Out::new(out_config, "out_config")?;
        let config = Config {
            keys: Vec::new(),
            product: context_field(product)?,
            build_date: date(build_date)?,
            licensee: None,
            database: None,
            machine: None,
            modules: Vec::new(),
            lines: Vec::new(),
            tolerated: ComponentSet::EMPTY,
            state: None,
            notice_days: None,
            clock_tolerance_secs: None,
        };
        // SAFETY: `out` is a writable pointer by the caller's contract.
        unsafe { out.write(lic_verifier_config::into_raw(config)) };
        Ok(())
    })
}

/// Add a vendor public key (`key_len` must be 32: the Ed25519 key bytes). Several keys
/// allow key rotation: a code names its key by id.
///
/// Returns `LIC_RESULT_INVALID_KEY` for bytes that are not a usable Ed25519 key.
///
/// # Safety
/// `config` is a live handle not used by another thread during the call; `key` points to
/// `key_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_add_key(
    config: *mut lic_verifier_config,
    key: *const u8,
    key_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        // SAFETY: the caller's contract.
        let key = unsafe { args::bytes(key, key_len, "key") }?;
        let bytes: &[u8; 32] = key
            .try_into()
            .map_err(|_| Failure::invalid(format!("a public key has 32 bytes, not {key_len}")))?;
        c.keys.push(PublicKey::from_bytes(bytes)?);
        Ok(())
    })
}

/// Set the licensee as configured in the installation (required; at most 255 bytes).
///
/// # Safety
/// `config` is a live handle not used by another thread during the call; `licensee`
/// points to `licensee_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_set_licensee(
    config: *mut lic_verifier_config,
    licensee: *const c_char,
    licensee_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        // SAFETY: the caller's contract.
        let l = unsafe { args::text(licensee, licensee_len, "licensee") }?;
        c.licensee = Some(context_field(l)?);
        Ok(())
    })
}

/// Set the installation's database code (for codes bound to a database; at most 255
/// bytes).
///
/// # Safety
/// `config` is a live handle not used by another thread during the call; `database`
/// points to `database_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_set_database(
    config: *mut lic_verifier_config,
    database: *const c_char,
    database_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        // SAFETY: the caller's contract.
        let d = unsafe { args::text(database, database_len, "database") }?;
        c.database = Some(context_field(d)?);
        Ok(())
    })
}

/// Use this fingerprint for machine-bound codes instead of collecting one (the digests are
/// copied; the fingerprint may be freed afterwards). By default the verifier collects this
/// machine's fingerprint, keyed with the product id, the first time a machine-bound code
/// is verified.
///
/// # Safety
/// `config` is a live handle not used by another thread during the call; `fingerprint` a
/// live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_set_fingerprint(
    config: *mut lic_verifier_config,
    fingerprint: *const lic_fingerprint,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        // SAFETY: the caller's contract.
        let fp = unsafe { lic_fingerprint::get(fingerprint, "fingerprint") }?;
        c.machine = Some(Machine::Supplied(*fp.digests()));
        Ok(())
    })
}

/// Collect this machine's fingerprint with `app_key` (instead of the product id) when a
/// machine-bound code is verified. It must be the key the vendor's fingerprint tool used.
///
/// # Safety
/// `config` is a live handle not used by another thread during the call; `app_key` points
/// to `app_key_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_set_fingerprint_app_key(
    config: *mut lic_verifier_config,
    app_key: *const u8,
    app_key_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        // SAFETY: the caller's contract.
        let key = unsafe { args::bytes(app_key, app_key_len, "app_key") }?;
        c.machine = Some(Machine::Collect(key.to_vec()));
        Ok(())
    })
}

/// Append a module name: the first name added names module 0, the next module 1, and so
/// on (at most 64), as in the vendor's catalog. `lic_license_has_module` looks names up
/// here.
///
/// # Safety
/// `config` is a live handle not used by another thread during the call; `name` points
/// to `name_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_add_module(
    config: *mut lic_verifier_config,
    name: *const c_char,
    name_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        // SAFETY: the caller's contract.
        let n = unsafe { args::text(name, name_len, "name") }?;
        if c.modules.len() >= usize::from(license_core::ModuleSet::CAPACITY) {
            return Err(Failure::invalid("at most 64 module names"));
        }
        c.modules.push(n.to_owned());
        Ok(())
    })
}

/// Append a product line name: the first name added names line 0, the next line 1, and
/// so on (at most 16), as in the vendor's catalog (`licensectl catalog export` writes
/// them in this order). `lic_license_line_name` and `lic_license_describe` use them.
///
/// # Safety
/// `config` is a live handle not used by another thread during the call; `name` points
/// to `name_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_add_line(
    config: *mut lic_verifier_config,
    name: *const c_char,
    name_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        // SAFETY: the caller's contract.
        let n = unsafe { args::text(name, name_len, "name") }?;
        if c.lines.len() >= 16 {
            return Err(Failure::invalid("at most 16 product line names"));
        }
        c.lines.push(n.to_owned());
        Ok(())
    })
}

/// Tolerate the machine component `component_number` (a `lic_component`) when this process
/// merely cannot read it (the source exists, but not for the user the product runs as: the
/// hardware UUID and board serial are root-only on Linux): a bound component it cannot read
/// then counts neither as changed nor as unreadable, and the majority of all bound
/// components must still match (`docs/SECURITY.md`, the acceptance table's "tolerated"
/// rows). Call once per component. For a fingerprint set with
/// `lic_verifier_config_set_fingerprint`, every such component it has no value for is
/// tolerated.
///
/// Returns `LIC_RESULT_INVALID_ARGUMENT` for a number that is no component.
///
/// # Safety
/// `config` is a live handle not used by another thread during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_tolerate_unreadable(
    config: *mut lic_verifier_config,
    component_number: u32,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        let component = crate::types::component(component_number)?;
        c.tolerated = c.tolerated.with(component);
        Ok(())
    })
}

/// Keep the guards (clock high-water mark, highest revision per license, installed
/// revocation list) in a state file at `path` (UTF-8), integrity-protected with `secret`
/// (at least 16 bytes, fixed per application, e.g. built into the binary). Without a
/// state file the guards last only as long as the verifier.
///
/// # Safety
/// `config` is a live handle not used by another thread during the call; `path` points to
/// `path_len` readable bytes and `secret` to `secret_len`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_set_state_file(
    config: *mut lic_verifier_config,
    path: *const c_char,
    path_len: usize,
    secret: *const u8,
    secret_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        // SAFETY: the caller's contract.
        let p = unsafe { args::text(path, path_len, "path") }?;
        // SAFETY: the caller's contract.
        let s = unsafe { args::bytes(secret, secret_len, "secret") }?;
        c.state = Some((PathBuf::from(p), s.to_vec()));
        Ok(())
    })
}

/// Days before expiry from which the status is `LIC_STATUS_EXPIRING_SOON` (default 30).
///
/// # Safety
/// `config` is a live handle not used by another thread during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_set_notice_days(
    config: *mut lic_verifier_config,
    days: u16,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        c.notice_days = Some(days);
        Ok(())
    })
}

/// How far (seconds) the clock may be behind the latest time seen before it counts as
/// turned back (default 3600).
///
/// # Safety
/// `config` is a live handle not used by another thread during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_set_clock_tolerance(
    config: *mut lic_verifier_config,
    seconds: u32,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract: a live handle, used by this thread only.
        let c = unsafe { lic_verifier_config::get_mut(config, "config") }?;
        c.clock_tolerance_secs = Some(seconds);
        Ok(())
    })
}

/// Free a configuration; NULL does nothing.
///
/// # Safety
/// `config` is NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_verifier_config_free(config: *mut lic_verifier_config) {
    // SAFETY: the caller's contract.
    guard_value((), || unsafe { lic_verifier_config::free(config) })
}
