//! license-verify: what the host application pays at start-up, and the seat pool.
//!
//! - `startup/*`: build a `Verifier` (loading the state file), collect this machine's
//!   fingerprint, verify a code bound to this machine, update the guards. The state
//!   file is not rewritten (same `now`, same revision), as on most start-ups; the
//!   write, when due, is a disk fsync and is measured separately.
//! - `fingerprint/collect`: the fingerprint alone (target: at most 0.5 ms).
//! - `seats/acquire+release`: one thread, one holder (target: at least 1 M/s).
#![forbid(unsafe_code)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ed25519_dalek::SigningKey;
use license_core::{Binding, Context, Date, Kind, License, ModuleSet, ProductLine, PublicKey, sign};
use license_verify::{SeatPool, Utc, Verifier, fingerprint};

const PRODUCT: &str = "erp";
const LICENSEE: &str = "ACME Corp";
const SECRET: &[u8] = b"erp-state-secret-for-benches";

fn day(y: u16, m: u8, d: u8) -> Date {
    Date::from_ymd(y, m, d).expect("date")
}

/// A subscription bound to this machine (to the database if nothing could be read here).
fn code_for_this_machine(key: &SigningKey) -> (String, bool) {
    let here = fingerprint::collect(PRODUCT.as_bytes());
    let binding = here.binding(fingerprint::DEFAULT_TOLERANCE).ok();
    let license = License {
        license_id: 1001,
        revision: 1,
        kind: Kind::Subscription,
        line: ProductLine::new(1).expect("line"),
        named_users: Some(25),
        concurrent_seats: Some(10),
        demo_seats: 2,
        modules: ModuleSet::first(4),
        issued: day(2026, 1, 10),
        valid_from: day(2026, 1, 15),
        expires: Some(day(2027, 1, 15)),
        grace_days: 14,
        maintenance_ends: Some(day(2027, 1, 15)),
        binding: binding.map_or(Binding::DATABASE, Binding::machine),
        interim: false,
    };
    let ctx = Context::new(PRODUCT, LICENSEE).with_database("DB-7F3A-22C1");
    (
        sign(&license, &ctx, key).expect("sign").to_string(),
        binding.is_some(),
    )
}

fn verifier(keys: &[PublicKey], state: Option<&PathBuf>) -> Verifier {
    let mut b = Verifier::builder(keys.to_vec(), PRODUCT, day(2026, 6, 1))
        .licensee(LICENSEE)
        .database("DB-7F3A-22C1")
        .modules(["crm", "budget", "planning", "bi"]);
    if let Some(path) = state {
        b = b.state_file(path, SECRET);
    }
    b.build().expect("verifier")
}

fn startup(c: &mut Criterion) {
    let key = SigningKey::from_bytes(&[7; 32]);
    let keys = [PublicKey::from(key.verifying_key())];
    let (code, machine_bound) = code_for_this_machine(&key);
    assert!(
        machine_bound,
        "no fingerprint component readable on this host: the bench would not collect one"
    );
    let now = Utc(Utc::start_of(day(2026, 3, 1)).0 + 12 * 3600);
    let dir = std::env::temp_dir().join(format!("license-verify-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let state = dir.join("license.state");
    // First run: creates the state file.
    assert!(
        verifier(&keys, Some(&state))
            .verify_text_at(&code, now)
            .expect("verifies")
            .is_usable()
    );

    let mut g = c.benchmark_group("license-verify");
    g.bench_function("startup: build + fingerprint + verify + state file", |b| {
        b.iter(|| {
            let v = verifier(black_box(&keys), Some(&state));
            v.verify_text_at(black_box(&code), now)
                .map(|l| l.has_module("bi"))
        })
    });
    g.bench_function("startup: build + fingerprint + verify (no state file)", |b| {
        b.iter(|| {
            let v = verifier(black_box(&keys), None);
            v.verify_text_at(black_box(&code), now)
                .map(|l| l.has_module("bi"))
        })
    });
    let warm = verifier(&keys, None);
    let _ = warm.this_machine();
    g.bench_function("verify only (fingerprint cached, no state file)", |b| {
        b.iter(|| {
            warm.verify_text_at(black_box(&code), now)
                .map(|l| l.has_module("bi"))
        })
    });
    // The high-water mark advances by more than the write interval each time: a write
    // (temporary file, fsync, rename, directory fsync) on every call.
    let writer = verifier(&keys, Some(&state));
    let mut t = now.0;
    g.bench_function("verify + state file write (fsync)", |b| {
        b.iter(|| {
            t += license_verify::HIGH_WATER_WRITE_INTERVAL_SECS;
            writer
                .verify_text_at(black_box(&code), Utc(t))
                .map(|l| l.is_usable())
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

fn fingerprint_collect(c: &mut Criterion) {
    let mut g = c.benchmark_group("license-verify");
    g.bench_function("fingerprint: collect", |b| {
        b.iter(|| fingerprint::collect(black_box(PRODUCT.as_bytes())))
    });
    g.finish();
}

fn seats(c: &mut Criterion) {
    let pool = SeatPool::new(Some(100), Duration::from_secs(60));
    let t0 = Instant::now();
    // A pool with other holders in it, as at a contact center at noon.
    for i in 0..50 {
        pool.acquire(&format!("agent-{i:03}"), t0).expect("seat");
    }
    let mut g = c.benchmark_group("license-verify");
    g.throughput(Throughput::Elements(1));
    g.bench_function("seats: acquire + release (one thread, 50 held)", |b| {
        b.iter(|| {
            let lease = pool.acquire(black_box("agent-login"), t0);
            pool.release(black_box("agent-login"));
            lease.map(|l| l.in_use)
        })
    });
    g.bench_function("seats: heartbeat", |b| {
        b.iter(|| pool.heartbeat(black_box("agent-007"), t0).map(|l| l.in_use))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = startup, fingerprint_collect, seats
}
criterion_main!(benches);
