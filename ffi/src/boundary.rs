//! The panic boundary every `extern "C"` body runs inside, and the per-thread detail of
//! the last failure.

use std::borrow::Cow;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::result::{Failure, lic_result};

thread_local! {
    /// The full message of the last failed call on this thread.
    static LAST_ERROR: RefCell<Cow<'static, str>> = const { RefCell::new(Cow::Borrowed("")) };
}

fn record(message: Cow<'static, str>) {
    // `try_with` fails only while the thread is being torn down; the code still reaches
    // the caller then, only the detail is lost.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = message;
        }
    });
}

/// The message of the last failure on this thread ("" if none).
pub(crate) fn last_error() -> String {
    LAST_ERROR
        .try_with(|slot| slot.try_borrow().map(|s| s.to_string()).unwrap_or_default())
        .unwrap_or_default()
}

/// Run `body`, turning its error into a result code and a panic into
/// [`lic_result::Panic`]. The failure's message is kept for `lic_last_error_message`.
///
/// Why `AssertUnwindSafe` is right here (unwind safety is about logical consistency,
/// not memory safety: no `unsafe` code relies on it):
/// - Out-parameters: bodies write them only as their last step, after every fallible
///   or panicking call, so a panic leaves the caller's outputs untouched.
/// - Handles: a panic does NOT poison them for later calls. `license-verify` recovers a
///   poisoned `Mutex` with `unwrap_or_else(|p| p.into_inner())` (in `Verifier` and
///   `SeatPool`), so the next call sees whatever state the panicking call left. That is
///   sound because `license-verify` updates its locked state (guards, seats) only by
///   whole-value assignments between which its invariants hold; at worst a change made
///   in memory is missing from the state file until a later call writes it. The handles this crate mutates without a lock
///   (`lic_verifier_config`, `lic_fingerprint` `_add_` calls) are `&mut` to one caller,
///   who gets `LIC_RESULT_PANIC` and keeps a valid, possibly partly updated value.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> lic_result {
    boundary(true, body)
}

/// [`guard`] that leaves the last error as it is (for `lic_last_error_message`, so that
/// asking for its length does not replace it).
pub(crate) fn guard_quiet(body: impl FnOnce() -> Result<(), Failure>) -> lic_result {
    boundary(false, body)
}

fn boundary(keep_failure: bool, body: impl FnOnce() -> Result<(), Failure>) -> lic_result {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => lic_result::Ok,
        Ok(Err(failure)) => {
            if keep_failure {
                record(failure.message);
            }
            failure.code
        }
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            drop_payload(payload);
            if keep_failure {
                record(Cow::Owned(format!(
                    "internal error in the license library (a panic was caught: {what}): please report it"
                )));
            }
            lic_result::Panic
        }
    }
}

/// Drop a panic payload; a payload whose destructor panics too is leaked, not unwound.
fn drop_payload(payload: Box<dyn std::any::Any + Send>) {
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        std::mem::forget(again);
    }
}

/// Run `body` for a function that returns no result code (`_free`, getters of fixed
/// values): a panic yields `fallback`.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(v) => v,
        Err(payload) => {
            drop_payload(payload);
            fallback
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_panics_become_codes() {
        assert_eq!(guard(|| Ok(())), lic_result::Ok);
        assert_eq!(
            guard(|| Err(Failure::with_message(
                lic_result::BadSignature,
                lic_result::BadSignature.message()
            ))),
            lic_result::BadSignature
        );
        assert_eq!(last_error(), lic_result::BadSignature.message());
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let r = guard(|| panic!("boom {}", 42));
        let v = guard_value(7u32, || panic!("boom"));
        std::panic::set_hook(prev);
        assert_eq!(r, lic_result::Panic);
        assert!(last_error().contains("boom 42"), "{}", last_error());
        assert_eq!(v, 7);
    }

    #[test]
    fn last_error_is_per_thread() {
        let _ = guard(|| Err(Failure::with_message(lic_result::Io, "here")));
        std::thread::spawn(|| assert_eq!(last_error(), ""))
            .join()
            .unwrap();
        assert_eq!(last_error(), "here");
    }
}
