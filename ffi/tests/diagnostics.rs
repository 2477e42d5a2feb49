//! `lic_set_diagnostic_callback` in a process where Rust code installed its own logger
//! first: the call says so (`LIC_RESULT_DIAGNOSTICS_UNAVAILABLE`) and the library's lines
//! go to that logger. (The callback itself is tested from C in `tests/c/test_api.c`.)

use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};

use license_ffi::{lic_log_level, lic_result, lic_set_diagnostic_callback};
use log::{LevelFilter, Log, Metadata, Record};

struct Counting(AtomicUsize);

impl Log for Counting {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn log(&self, _: &Record<'_>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    fn flush(&self) {}
}

static HOST_LOGGER: Counting = Counting(AtomicUsize::new(0));

unsafe extern "C" fn never(_: *mut c_void, _: lic_log_level, _: *const c_char, _: usize) {
    panic!("the callback must not be installed");
}

#[test]
fn another_logger_first_is_reported() {
    log::set_logger(&HOST_LOGGER).expect("first logger");
    log::set_max_level(LevelFilter::Info);
    // SAFETY: `never` is a valid callback for the whole process; user data is unused.
    let r = unsafe { lic_set_diagnostic_callback(Some(never), std::ptr::null_mut(), 3) };
    assert_eq!(r, lic_result::DiagnosticsUnavailable);
    log::info!(target: "license_verify", "a line for the host's logger");
    assert_eq!(HOST_LOGGER.0.load(Ordering::Relaxed), 1);
}
