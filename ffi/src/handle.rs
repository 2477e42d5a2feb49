//! Opaque handles: how a C pointer maps to the Rust value behind it.
//!
//! Every handle type is an empty, non-`repr(C)` struct written out in full (cbindgen
//! does not expand macros, and emits such a struct as an incomplete C `struct`), tied
//! to its Rust type by an `impl Handle`. A handle is created by
//! `Box`ing the Rust value and is freed by turning the pointer back into that `Box`, so
//! all handle code goes through the four functions here and nowhere else.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::result::Failure;

/// Handles made by [`Handle::into_raw`] and not yet freed, of every type together: read by
/// `lic_debug_live_handles`, for the bindings' leak tests. One relaxed atomic add per
/// handle made and freed; nothing reads it on any other path.
static LIVE_HANDLES: AtomicUsize = AtomicUsize::new(0);

/// How many handles are live now (see [`LIVE_HANDLES`]).
pub(crate) fn live_handles() -> usize {
    LIVE_HANDLES.load(Ordering::Relaxed)
}

/// A C handle type and the Rust value it stands for.
pub(crate) trait Handle: Sized {
    /// The Rust value a pointer to `Self` points to.
    type Inner;

    /// Box `inner` and return it as a handle pointer, owned by the caller.
    fn into_raw(inner: Self::Inner) -> *mut Self {
        LIVE_HANDLES.fetch_add(1, Ordering::Relaxed);
        Box::into_raw(Box::new(inner)).cast::<Self>()
    }

    /// Borrow the value behind `ptr`, or fail with `NullArgument` naming `arg`.
    ///
    /// # Safety
    /// `ptr` is NULL or was returned by [`Handle::into_raw`] for this type and not freed,
    /// and no `&mut` to it is alive for `'a`.
    unsafe fn get<'a>(ptr: *const Self, arg: &'static str) -> Result<&'a Self::Inner, Failure> {
        // SAFETY: by the contract above, a non-NULL `ptr` is a live `Box<Self::Inner>`
        // allocation, so it is aligned and initialized; no `&mut` aliases it.
        unsafe { ptr.cast::<Self::Inner>().as_ref() }.ok_or_else(|| Failure::null(arg))
    }

    /// Borrow the value behind `ptr` mutably, or fail with `NullArgument` naming `arg`.
    ///
    /// # Safety
    /// `ptr` is NULL or was returned by [`Handle::into_raw`] for this type and not freed,
    /// and no other reference to it is alive for `'a` (the C caller does not use the
    /// handle from another thread meanwhile, as each `_mut` function documents).
    unsafe fn get_mut<'a>(ptr: *mut Self, arg: &'static str) -> Result<&'a mut Self::Inner, Failure> {
        // SAFETY: as in `get`, and the caller guarantees exclusive access.
        unsafe { ptr.cast::<Self::Inner>().as_mut() }.ok_or_else(|| Failure::null(arg))
    }

    /// Free the value behind `ptr`; NULL does nothing.
    ///
    /// # Safety
    /// `ptr` is NULL or was returned by [`Handle::into_raw`] for this type and not freed,
    /// and is not used again.
    unsafe fn free(ptr: *mut Self) {
        if !ptr.is_null() {
            // Counted before the drop, so that a panicking destructor (caught by the
            // caller's boundary) does not leave the handle counted as live.
            LIVE_HANDLES.fetch_sub(1, Ordering::Relaxed);
            // SAFETY: `ptr` came from `Box::into_raw` of a `Box<Self::Inner>` and is freed
            // only once, by the caller's contract.
            drop(unsafe { Box::from_raw(ptr.cast::<Self::Inner>()) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(non_camel_case_types)]
    struct test_handle {
        _private: [u8; 0],
    }

    impl Handle for test_handle {
        type Inner = Vec<u32>;
    }

    #[test]
    fn round_trip_and_null() {
        let p = test_handle::into_raw(vec![1, 2]);
        // SAFETY: `p` is live and not aliased.
        unsafe {
            test_handle::get_mut(p, "p").unwrap().push(3);
            assert_eq!(test_handle::get(p, "p").unwrap(), &[1, 2, 3]);
            test_handle::free(p);
            test_handle::free(std::ptr::null_mut());
        }
        // SAFETY: NULL is allowed.
        let e = unsafe { test_handle::get(std::ptr::null(), "config") }.unwrap_err();
        assert_eq!(e.code, crate::result::lic_result::NullArgument);
        assert!(e.message.contains("config"));
    }
}
