//! The diagnostic callback: what the verifier decided and why, delivered to a C
//! function. `license-verify` writes its decisions through the `log` facade (see its
//! `diagnostics` module); this crate installs, on the first
//! `lic_set_diagnostic_callback`, a logger that hands those lines to the callback.
//! Lines carry no secrets: no keys, state secrets, digests, component values or code
//! texts.

use std::ffi::{c_char, c_void};
use std::sync::{OnceLock, RwLock};

use log::{LevelFilter, Log, Metadata, Record};

use crate::boundary::guard;
use crate::result::{Failure, lic_result};

/// How important a diagnostic line is.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum lic_log_level {
    /// Not used by this version (reserved for failures of the library itself).
    Error = 1,
    /// Needs the administrator: the clock is behind a time already seen, the state file
    /// cannot be used.
    Warn = 2,
    /// A decision: a code accepted (with its status) or refused (with why), a revocation
    /// list installed or refused.
    Info = 3,
    /// Details: which of several codes was used, the machine components read, the state
    /// file written.
    Debug = 4,
}

impl lic_log_level {
    fn from_log(level: log::Level) -> lic_log_level {
        match level {
            log::Level::Error => lic_log_level::Error,
            log::Level::Warn => lic_log_level::Warn,
            log::Level::Info => lic_log_level::Info,
            log::Level::Debug | log::Level::Trace => lic_log_level::Debug,
        }
    }

    fn filter(n: u32) -> Option<LevelFilter> {
        Some(match n {
            1 => LevelFilter::Error,
            2 => LevelFilter::Warn,
            3 => LevelFilter::Info,
            4 => LevelFilter::Debug,
            _ => return None,
        })
    }
}

/// A diagnostic callback: `message` is a NUL-terminated UTF-8 line of `len` bytes (no
/// newline), valid only during the call; `user_data` is the pointer given to
/// `lic_set_diagnostic_callback`. It is called on the thread that made the library call,
/// possibly on several threads at once, and must not call `lic_set_diagnostic_callback`.
pub type lic_diagnostic_fn = Option<
    unsafe extern "C" fn(user_data: *mut c_void, level: lic_log_level, message: *const c_char, len: usize),
>;

#[derive(Clone, Copy)]
struct Sink {
    callback: unsafe extern "C" fn(*mut c_void, lic_log_level, *const c_char, usize),
    /// The caller's pointer, kept as a number: this crate never dereferences it.
    user_data: usize,
}

static SINK: RwLock<Option<Sink>> = RwLock::new(None);

struct Forward;

static FORWARD: Forward = Forward;

impl Log for Forward {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("license")
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        // Copy the sink out: the callback runs without the lock held.
        let sink = *SINK.read().unwrap_or_else(|p| p.into_inner());
        let Some(sink) = sink else { return };
        let mut line = record.args().to_string().replace('\0', "?");
        let len = line.len();
        line.push('\0');
        // SAFETY: the caller of `lic_set_diagnostic_callback` promised a callback that
        // may be called with a NUL-terminated line of `len` bytes, valid for the call;
        // `line` lives until after the call returns.
        unsafe {
            (sink.callback)(
                sink.user_data as *mut c_void,
                lic_log_level::from_log(record.level()),
                line.as_ptr().cast::<c_char>(),
                len,
            );
        }
    }

    fn flush(&self) {}
}

/// Deliver the library's diagnostic lines up to `max_level` (`lic_log_level`: 1 error
/// to 4 debug) to `callback`, with `user_data`, for the whole process; a NULL
/// `callback` stops them. Replaces any earlier callback. Useful while integrating and
/// for support: the detail says why a code was refused, which code of a license file
/// was used, what the state file did.
///
/// Returns `LIC_RESULT_INVALID_ARGUMENT` for another level, and
/// `LIC_RESULT_DIAGNOSTICS_UNAVAILABLE` when Rust code in the same process installed
/// its own `log` logger first (the lines go to that logger instead).
///
/// # Safety
/// `callback`, if not NULL, must stay callable with `user_data` until it is replaced or
/// removed, from any thread that calls this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_set_diagnostic_callback(
    callback: lic_diagnostic_fn,
    user_data: *mut c_void,
    max_level: u32,
) -> lic_result {
    guard(|| {
        let filter = lic_log_level::filter(max_level)
            .ok_or_else(|| Failure::invalid(format!("{max_level} is not a lic_log_level (1 to 4)")))?;
        install()?;
        *SINK.write().unwrap_or_else(|p| p.into_inner()) = callback.map(|callback| Sink {
            callback,
            user_data: user_data as usize,
        });
        log::set_max_level(if callback.is_some() {
            filter
        } else {
            LevelFilter::Off
        });
        Ok(())
    })
}

/// Install the forwarding logger once per process.
fn install() -> Result<(), Failure> {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    if *INSTALLED.get_or_init(|| log::set_logger(&FORWARD).is_ok()) {
        Ok(())
    } else {
        Err(Failure::with_message(
            lic_result::DiagnosticsUnavailable,
            "another logger is installed in this process (Rust code called log::set_logger first): \
             the license library's diagnostics go to that logger",
        ))
    }
}
