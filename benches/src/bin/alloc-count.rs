//! Counts the heap allocations of decode + verify + status of the reference code, with
//! a counting global allocator (stats_alloc; no unsafe code here). Exits non-zero if
//! any allocation happens on that path.
//!
//! ```sh
//! cargo run -p license-benches --release --bin alloc-count
//! ```
#![forbid(unsafe_code)]

use std::alloc::System;
use std::hint::black_box;
use std::process::ExitCode;

use license_benches::Reference;
use license_core::UntrustedCode;
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
    ExitCode::SUCCESS
}
