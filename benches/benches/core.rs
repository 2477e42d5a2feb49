//! license-core against bare Ed25519, in one run: decode + verify + status of the
//! `reference` code against `verify_strict` of its signed message; issuing against a
//! bare sign; batch re-validation of a backend's ledger against one by one.
//!
//! Ratios: `cargo run -p license-benches --release --bin bench-report` (BENCHMARKS.md).
#![forbid(unsafe_code)]

#[path = "common/clock.rs"]
mod clock;

use std::hint::black_box;

use clock::BenchClock;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ed25519_dalek::Signer;
use license_benches::{Reference, batch};
use license_core::{UntrustedCode, sign};

fn fixture() -> Reference {
    Reference::load().expect("the reference case of the golden vectors")
}

fn verify(c: &mut Criterion<BenchClock>) {
    let r = fixture();
    let ctx = r.context();
    let code = r.untrusted().expect("reference parses");
    // The exact message and signature the reference code carries: same length, same key.
    let message = batch::signed_message(&code, &ctx).expect("message");
    let signature = batch::signature_of(&code);
    let key = *r.keys[0].verifying_key();
    key.verify_strict(&message, &signature)
        .expect("reference signature");
    let text = r.code.as_str();

    let mut g = c.benchmark_group("verify");
    g.bench_function("bare verify_strict", |b| {
        b.iter(|| {
            black_box(&key)
                .verify_strict(black_box(&message), black_box(&signature))
                .is_ok()
        })
    });
    g.bench_function("ours: decode + verify + status", |b| {
        b.iter(|| {
            UntrustedCode::parse(black_box(text))
                .and_then(|c| c.verify(black_box(&r.keys), &ctx))
                .map(|v| v.evaluate(r.today, r.build_date, &r.policy).is_usable())
        })
    });
    g.bench_function("ours: decode text only", |b| {
        b.iter(|| UntrustedCode::parse(black_box(text)))
    });
    g.bench_function("ours: verify + status of a decoded code", |b| {
        b.iter(|| {
            black_box(&code)
                .verify(black_box(&r.keys), &ctx)
                .map(|v| v.evaluate(r.today, r.build_date, &r.policy).is_usable())
        })
    });
    g.finish();
}

fn issue(c: &mut Criterion<BenchClock>) {
    let r = fixture();
    let ctx = r.context();
    let code = r.untrusted().expect("reference parses");
    let message = batch::signed_message(&code, &ctx).expect("message");
    let mut g = c.benchmark_group("core-issue");
    g.bench_function("bare sign", |b| {
        b.iter(|| r.signing_key.sign(black_box(&message)))
    });
    g.bench_function("ours: sign", |b| {
        b.iter(|| sign(black_box(&r.license), &ctx, &r.signing_key))
    });
    g.bench_function("ours: sign + text", |b| {
        b.iter(|| sign(black_box(&r.license), &ctx, &r.signing_key).map(|c| c.to_string()))
    });
    g.finish();
}

fn revalidate(c: &mut Criterion<BenchClock>) {
    let r = fixture();
    let mut g = c.benchmark_group("revalidate");
    for n in [64usize, 256] {
        let ledger = batch::ledger(&r, n).expect("ledger");
        assert_eq!(batch::revalidate_one_by_one(&ledger, &r.keys).ok(), Some(n));
        assert_eq!(batch::revalidate_batch(&ledger, &r.keys[0]).ok(), Some(n));
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new("one-by-one (verify_strict)", n),
            &ledger,
            |b, l| b.iter(|| batch::revalidate_one_by_one(black_box(l), &r.keys)),
        );
        g.bench_with_input(BenchmarkId::new("batch (verify_batch)", n), &ledger, |b, l| {
            b.iter(|| batch::revalidate_batch(black_box(l), &r.keys[0]))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = clock::config();
    targets = verify, issue, revalidate
}
criterion_main!(benches);
