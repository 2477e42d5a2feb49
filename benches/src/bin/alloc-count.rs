//! Counts the heap allocations of decode + verify + status of the reference code, and of
//! the one-level and two-level reseller's codes (license-core's delegation fixtures: the
//! codes of `v2-delegation.json`), with a counting global allocator (stats_alloc; no
//! unsafe code here). Exits non-zero if any allocation happens on those paths.
//!
//! ```sh
//! cargo run -p license-benches --release --bin alloc-count
//! ```
#![forbid(unsafe_code)]
#![allow(dead_code)]

#[path = "../../../license-core/tests/common/mod.rs"]
mod common;
#[path = "../../../license-core/tests/reseller/mod.rs"]
mod reseller;

use std::alloc::System;
use std::hint::black_box;
use std::process::ExitCode;

use license_benches::Reference;
use license_core::{Policy, UntrustedCode, UntrustedDelegatedCode};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const ROUNDS: usize = 1000;

fn main() -> ExitCode {
    let r = match Reference::load() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("alloc-count: {e}");
            return ExitCode::FAILURE;
        }
    };
    let ctx = r.context();
    let text = r.code.as_str();
    // Counted: everything a host does with a code it has in memory.
    let region = Region::new(GLOBAL);
    let mut usable = 0usize;
    for _ in 0..ROUNDS {
        let verified = UntrustedCode::parse(black_box(text)).and_then(|c| c.verify(black_box(&r.keys), &ctx));
        if let Ok(v) = verified {
            usable += usize::from(v.evaluate(r.today, r.build_date, &r.policy).is_usable());
        }
    }
    let stats = region.change();
    // A failing path must not allocate either (typo, bad signature).
    let mut typo = r.code.clone().into_bytes();
    typo[7] = if typo[7] == b'X' { b'Y' } else { b'X' };
    let typo = String::from_utf8(typo).unwrap_or_default();
    let region = Region::new(GLOBAL);
    let mut refused = 0usize;
    for _ in 0..ROUNDS {
        refused += usize::from(UntrustedCode::parse(black_box(&typo)).is_err());
    }
    let failing = region.change();
    println!(
        "decode + verify + status of the reference code, {ROUNDS} rounds: {} allocations, {} bytes \
         ({usable} usable); typo path: {} allocations ({refused} refused)",
        stats.allocations + stats.reallocations,
        stats.bytes_allocated,
        failing.allocations + failing.reallocations,
    );
    if usable != ROUNDS || refused != ROUNDS {
        eprintln!("alloc-count: the reference code did not behave as expected");
        return ExitCode::FAILURE;
    }
    if stats.allocations + stats.reallocations + failing.allocations + failing.reallocations != 0 {
        return ExitCode::FAILURE;
    }
    if resellers_codes() != 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Parse + verify (chain, frames, code) + status of the one-level and two-level reseller's
/// codes, then the refused paths (a typo, a revoked chain). Returns the allocations.
fn resellers_codes() -> u64 {
    let machine = common::reference_machine();
    let ctx = common::reference_context(&machine);
    let keys = common::public_keys();
    let today = common::day(2027, 1, 1);
    let policy = Policy::default();
    let mut total = 0;
    for (name, code) in [
        ("one-level", reseller::reseller_code()),
        ("two-level", reseller::sub_code()),
    ] {
        let text = code.to_string();
        let typo = text.replacen('0', "1", 1);
        let region = Region::new(GLOBAL);
        let mut usable = 0usize;
        for _ in 0..ROUNDS {
            let verified = UntrustedDelegatedCode::parse(black_box(&text))
                .and_then(|c| c.verify(black_box(&keys), &ctx, |_| false));
            if let Ok(v) = verified {
                usable += usize::from(v.license().evaluate(today, today, &policy).is_usable());
            }
        }
        let stats = region.change();
        let region = Region::new(GLOBAL);
        let mut refused = 0usize;
        for _ in 0..ROUNDS {
            refused += usize::from(UntrustedDelegatedCode::parse(black_box(&typo)).is_err());
            refused += usize::from(
                UntrustedDelegatedCode::parse(black_box(&text))
                    .and_then(|c| c.verify(&keys, &ctx, |serial| serial == 7))
                    .is_err(),
            );
        }
        let failing = region.change();
        let n =
            (stats.allocations + stats.reallocations + failing.allocations + failing.reallocations) as u64;
        println!(
            "parse + verify + status of the {name} reseller's code, {ROUNDS} rounds: {} allocations, {} bytes \
             ({usable} usable); typo and revoked paths: {} allocations ({refused} refused)",
            stats.allocations + stats.reallocations,
            stats.bytes_allocated,
            failing.allocations + failing.reallocations,
        );
        if usable != ROUNDS || refused != 2 * ROUNDS {
            eprintln!("alloc-count: the {name} reseller's code did not behave as expected");
            total += 1;
        }
        total += n;
    }
    total
}
