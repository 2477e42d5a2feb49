//! The C ABI of `license-verify`, for products written in C and C++.
//!
//! The header `include/license_ffi.h` is generated from this crate with cbindgen (see
//! `tests/header.rs`) and committed. The C++ wrapper `include/license_ffi.hpp` adds RAII
//! handles on top. Conventions, which the header repeats:
//!
//! - **Handles** are opaque pointers created by `lic_*_new` (or returned by a call such
//!   as `lic_verifier_verify_text`) and released by the matching `lic_*_free`;
//!   `lic_*_free(NULL)` does nothing. Calls that do not change a handle take it as
//!   `const`. Each handle's documentation says whether it may be used from several
//!   threads at once.
//! - **Results**: every call that can fail returns a `lic_result`; `LIC_RESULT_OK` is 0.
//!   The numbers are stable and never reused. `lic_result_message` gives a fixed message
//!   per code, `lic_last_error_message` the detailed message of the thread's last failure.
//! - **Out-parameters** are written only when the call returns `LIC_RESULT_OK`, with one
//!   documented exception: the needed length of a text buffer is also reported with
//!   `LIC_RESULT_BUFFER_TOO_SMALL`.
//! - **Text in** is a pointer and a length in bytes (no NUL needed), and must be UTF-8;
//!   **text out** goes into a caller's buffer, NUL-terminated, with the length reported.
//! - **Pointers** are checked for NULL (`LIC_RESULT_NULL_ARGUMENT`); a pointer that is not
//!   NULL must be valid, as in any C library. Enumerations passed in are plain integers,
//!   checked (`LIC_RESULT_INVALID_ARGUMENT`).
//! - **No panic crosses the boundary**: each function body runs inside `catch_unwind` and
//!   a panic (a bug) becomes `LIC_RESULT_PANIC`. Build with `panic = "unwind"` (the
//!   default); with `panic = "abort"` a bug aborts the process instead.
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![deny(missing_docs)]
// The C names (`lic_verifier`, `lic_result`...) are the ABI.
#![allow(non_camel_case_types)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod args;
mod boundary;
mod config;
mod dbcode;
mod diagnostics;
mod fingerprint;
mod general;
mod handle;
mod license;
mod reseller;
mod result;
mod seat_client;
mod seats;
mod types;
mod verifier;

pub use config::*;
pub use dbcode::*;
pub use diagnostics::*;
pub use fingerprint::*;
pub use general::*;
pub use license::*;
pub use reseller::*;
pub use result::lic_result;
pub use seat_client::*;
pub use seats::*;
pub use types::{LIC_UNLIMITED, lic_component, lic_date, lic_kind, lic_status};
pub use verifier::*;

// Compile-time proof that every handle documented as usable from several threads at once
// is `Send + Sync` (`Sync` for the concurrent `const` calls, `Send` because it may be freed
// on another thread than the one that made it): the Rust values behind `lic_verifier`,
// `lic_license`, `lic_seat_pool`, `lic_seat_snapshot` and `lic_fingerprint`, and the
// `license-verify` types they hold. A change that made one of them `!Send` or `!Sync`
// (an `Rc`, a `RefCell`, a raw pointer) stops the build here instead of racing in C.
const _: fn() = || {
    fn assert<T: Send + Sync>() {}
    assert::<license_verify::Verifier>();
    assert::<license_verify::Verification>();
    assert::<license_verify::SeatPool>();
    assert::<license_verify::SeatSnapshot>();
    assert::<license_verify::fingerprint::CollectedFingerprint>();
    assert::<<verifier::lic_verifier as handle::Handle>::Inner>();
    assert::<<license::lic_license as handle::Handle>::Inner>();
    assert::<<seats::lic_seat_pool as handle::Handle>::Inner>();
    assert::<<seats::lic_seat_snapshot as handle::Handle>::Inner>();
    assert::<<fingerprint::lic_fingerprint as handle::Handle>::Inner>();
    assert::<<seat_client::lic_seat_client as handle::Handle>::Inner>();
    // Not thread-safe, but it may be built on one thread and passed to another.
    fn assert_send<T: Send>() {}
    assert_send::<<config::lic_verifier_config as handle::Handle>::Inner>();
};
