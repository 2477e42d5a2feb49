//! The smallest useful verifier: parse the reference code, verify it against the vendor
//! key for this installation (product, licensee, machine), and evaluate its status.
//! Built for `thumbv7em-none-eabihf` (Cortex-M4F) to measure license-core's flash cost;
//! see BENCHMARKS.md for the figures and the command.
//!
//! No allocator, no runtime crate: `_start` is the entry point the linker keeps. It is
//! the one item that needs `#[unsafe(no_mangle)]`, so `unsafe_code` is denied (not
//! forbidden) and allowed on that item alone; the function body is safe code.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), no_main)]
#![deny(unsafe_code)]

use core::hint::black_box;
use core::panic::PanicInfo;

use license_core::{Component, ComponentDigest, Context, Date, MachineFingerprint, Policy, PublicKey, UntrustedCode};

mod reference {
    include!(concat!(env!("OUT_DIR"), "/reference.rs"));
}

/// 0: not usable or refused; 1: usable. Kept alive through `black_box`.
fn check() -> u8 {
    let Ok(key) = PublicKey::from_bytes(black_box(&reference::PUBLIC_KEY)) else {
        return 0;
    };
    let mut machine = MachineFingerprint::unknown();
    for (i, d) in black_box(reference::MACHINE) {
        machine.add(Component::ALL[i % Component::ALL.len()], ComponentDigest::from_bytes(d));
    }
    let ctx = Context::new(black_box(reference::PRODUCT), black_box(reference::LICENSEE)).with_machine(&machine);
    let today = Date::from_days_since_unix_epoch(black_box(reference::TODAY_DAYS));
    match UntrustedCode::parse(black_box(reference::CODE)).and_then(|c| c.verify(&[key], &ctx)) {
        Ok(v) => u8::from(v.evaluate(today, today, &Policy::default()).is_usable()),
        Err(_) => 0,
    }
}

#[cfg(not(test))]
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
extern "C" fn _start() -> ! {
    black_box(check());
    loop {
        core::hint::spin_loop();
    }
}

#[cfg(not(test))]
#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

#[cfg(test)]
mod tests {
    /// On the host: the embedded check accepts the reference code (so the size measured
    /// is that of a verifier that works).
    #[test]
    fn reference_is_usable() {
        assert_eq!(super::check(), 1);
    }
}
