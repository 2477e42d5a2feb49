//! Reseller's codes (format v2 delegation): parse + verify (chain, frames, code) + status
//! of a one-level and a two-level `reference` code, against bare `verify_strict` of the
//! signatures they contain (2 and 3), in the same run. Fixtures are license-core's test
//! fixtures (`tests/common`, `tests/reseller`), so the codes are the golden vectors'.
#![forbid(unsafe_code)]
#![allow(dead_code)]

#[path = "common/clock.rs"]
mod clock;
#[path = "../../license-core/tests/common/mod.rs"]
mod common;
#[path = "common/delegation_signatures.rs"]
mod delegation_signatures;
#[path = "../../license-core/tests/reseller/mod.rs"]
mod reseller;

use std::hint::black_box;

use clock::BenchClock;
use common::*;
use criterion::{Criterion, criterion_group, criterion_main};
use delegation_signatures::signatures;
use ed25519_dalek::VerifyingKey;
use license_core::*;
use reseller::*;

fn delegation(c: &mut Criterion<BenchClock>) {
    let machine = reference_machine();
    let ctx = reference_context(&machine);
    let keys = public_keys();
    let today = day(2027, 1, 1);
    let policy = Policy::default();
    let mut g = c.benchmark_group("delegation-verify");
    for (name, code) in [("one-level", reseller_code()), ("two-level", sub_code())] {
        let text = code.to_string();
        let sigs = signatures(&code, &ctx);
        eprintln!(
            "length: {name}: {} characters ({} with dashes), {} bytes, {} signatures",
            code.text_len(),
            text.len(),
            code.as_bytes().len(),
            sigs.len()
        );
        let verify = || {
            UntrustedDelegatedCode::parse(black_box(&text))
                .and_then(|c| c.verify(black_box(&keys), &ctx, |_| false))
                .map(|v| v.license().evaluate(today, today, &policy).is_usable())
        };
        assert_eq!(verify(), Ok(true));
        g.bench_function(format!("{name}: bare verify_strict x{}", sigs.len()), |b| {
            b.iter(|| {
                sigs.iter()
                    .all(|(k, m, s)| black_box(k).verify_strict(black_box(m), black_box(s)).is_ok())
            })
        });
        // The keys certified in the chain arrive as bytes: verifying under them includes
        // decompressing them, as any Ed25519 verification from bytes does.
        let carried: Vec<[u8; 32]> = sigs.iter().skip(1).map(|(k, _, _)| k.to_bytes()).collect();
        g.bench_function(
            format!(
                "{name}: bare verify_strict x{}, certified keys from bytes",
                sigs.len()
            ),
            |b| {
                b.iter(|| {
                    let first = &sigs[0];
                    first
                        .0
                        .verify_strict(black_box(&first.1), black_box(&first.2))
                        .is_ok()
                        && sigs[1..].iter().zip(&carried).all(|((_, m, s), k)| {
                            VerifyingKey::from_bytes(black_box(k))
                                .is_ok_and(|k| k.verify_strict(black_box(m), black_box(s)).is_ok())
                        })
                })
            },
        );
        g.bench_function(format!("{name}: ours (parse + verify + status)"), |b| {
            b.iter(verify)
        });
        g.bench_function(format!("{name}: ours (parse only)"), |b| {
            b.iter(|| UntrustedDelegatedCode::parse(black_box(&text)).is_ok())
        });
        let parsed = UntrustedDelegatedCode::parse(&text).expect("parses");
        g.bench_function(format!("{name}: ours (verify + status of a parsed code)"), |b| {
            b.iter(|| {
                black_box(&parsed)
                    .verify(black_box(&keys), &ctx, |_| false)
                    .map(|v| v.license().evaluate(today, today, &policy).is_usable())
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = clock::config();
    targets = delegation
}
criterion_main!(benches);
