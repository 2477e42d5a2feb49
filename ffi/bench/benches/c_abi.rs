//! The C ABI against Rust: the same verification through `lic_verifier_verify_text_at`
//! (plus `lic_license_free`, as a C caller does) and through `Verifier::verify_text_at`.
//! Target: the C ABI costs at most 1.03 times the Rust call.
//!
//! The C functions are called exactly as a C program calls them: through their
//! `extern "C"` symbols, with raw pointers, and through function pointers hidden from the
//! optimizer (`black_box`), so that neither LTO nor cross-crate inlining through the rlib
//! can fold them into this caller (a C program calls them through the PLT or a static
//! library, never inlined). The figure that decides PASS/FAIL is measured in
//! alternating pairs, which a machine whose load drifts does not bias.

use std::hint::black_box;
use std::ptr;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ed25519_dalek::SigningKey;
use license_core::{Binding, Context, Date, Kind, License, ModuleSet, ProductLine, PublicKey, sign};
use license_ffi::{
    lic_date, lic_license, lic_license_free, lic_result, lic_verifier, lic_verifier_config,
    lic_verifier_config_add_key, lic_verifier_config_add_module, lic_verifier_config_free,
    lic_verifier_config_new, lic_verifier_config_set_database, lic_verifier_config_set_licensee,
    lic_verifier_free, lic_verifier_new, lic_verifier_verify_text_at,
};
use license_verify::{Utc, Verifier};

/// The target: the C ABI costs at most this many times the Rust call.
const TARGET: f64 = 1.03;

type VerifyFn = unsafe extern "C" fn(
    *const lic_verifier,
    *const std::ffi::c_char,
    usize,
    i64,
    *mut *mut lic_license,
) -> lic_result;
type FreeFn = unsafe extern "C" fn(*mut lic_license);

/// The two C functions a verification calls, as opaque function pointers.
#[derive(Clone, Copy)]
struct CAbi {
    verify: VerifyFn,
    free: FreeFn,
}

impl CAbi {
    fn new() -> CAbi {
        // `black_box` makes the pointers opaque: every call below is an indirect call
        // into the library, as from C.
        CAbi {
            verify: black_box(lic_verifier_verify_text_at as VerifyFn),
            free: black_box(lic_license_free as FreeFn),
        }
    }
}

const PRODUCT: &str = "erp";
const LICENSEE: &str = "ACME Corp";
const DATABASE: &str = "DB-7F3A-22C1";
const MODULES: [&str; 4] = ["crm", "budget", "planning", "bi"];

fn day(y: u16, m: u8, d: u8) -> Date {
    Date::from_ymd(y, m, d).expect("date")
}

fn code(key: &SigningKey) -> String {
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
        binding: Binding::DATABASE,
        interim: false,
    };
    let ctx = Context::new(PRODUCT, LICENSEE).with_database(DATABASE);
    sign(&license, &ctx, key).expect("sign").to_string()
}

fn ok(r: lic_result) {
    assert_eq!(r, lic_result::Ok);
}

/// The same verifier as `rust_verifier`, built through the C ABI.
fn c_verifier(key: &[u8; 32]) -> *mut lic_verifier {
    let mut config: *mut lic_verifier_config = ptr::null_mut();
    let mut verifier: *mut lic_verifier = ptr::null_mut();
    let build = lic_date {
        year: 2026,
        month: 6,
        day: 1,
    };
    // SAFETY: every pointer is a live Rust string, array or local, with its length; the
    // config handle is used on this thread only and freed once.
    unsafe {
        ok(lic_verifier_config_new(
            PRODUCT.as_ptr().cast(),
            PRODUCT.len(),
            build,
            &mut config,
        ));
        ok(lic_verifier_config_add_key(config, key.as_ptr(), key.len()));
        ok(lic_verifier_config_set_licensee(
            config,
            LICENSEE.as_ptr().cast(),
            LICENSEE.len(),
        ));
        ok(lic_verifier_config_set_database(
            config,
            DATABASE.as_ptr().cast(),
            DATABASE.len(),
        ));
        for m in MODULES {
            ok(lic_verifier_config_add_module(config, m.as_ptr().cast(), m.len()));
        }
        ok(lic_verifier_new(config, &mut verifier));
        lic_verifier_config_free(config);
    }
    verifier
}

fn rust_verifier(key: PublicKey) -> Verifier {
    Verifier::builder(vec![key], PRODUCT, day(2026, 6, 1))
        .licensee(LICENSEE)
        .database(DATABASE)
        .modules(MODULES)
        .build()
        .expect("verifier")
}

fn bench(c: &mut Criterion) {
    let signing = SigningKey::from_bytes(&[7; 32]);
    let public = signing.verifying_key().to_bytes();
    let text = code(&signing);
    let now = Utc::start_of(day(2026, 3, 1)).0 + 3600;

    let rust = rust_verifier(PublicKey::from_bytes(&public).expect("key"));
    let c_abi = c_verifier(&public);
    let abi = CAbi::new();

    let mut g = c.benchmark_group("ffi/verify");
    g.bench_function("rust", |b| b.iter(|| verify_rust(&rust, black_box(&text), now)));
    g.bench_function("c-abi", |b| {
        b.iter(|| verify_c(abi, c_abi, black_box(&text), now))
    });
    g.finish();
    paired_ratio(&rust, abi, c_abi, &text, now);
    // SAFETY: created above, not used after this point.
    unsafe { lic_verifier_free(c_abi) };
}

/// One verification from Rust, as a Rust product makes it.
#[inline(never)]
fn verify_rust(rust: &Verifier, text: &str, now: i64) {
    black_box(rust.verify_text_at(black_box(text), Utc(now)).expect("verifies"));
}

/// One verification through the C ABI, as a C caller makes it.
#[inline(never)]
fn verify_c(abi: CAbi, verifier: *const lic_verifier, text: &str, now: i64) {
    let mut license: *mut lic_license = ptr::null_mut();
    // SAFETY: `verifier` is a live handle; the text pointer and length come from a live
    // `&str`; `license` is a local out-parameter, freed once right after; the function
    // pointers are the library's own functions with these exact signatures.
    unsafe {
        let r = (abi.verify)(verifier, text.as_ptr().cast(), text.len(), now, &mut license);
        assert_eq!(r, lic_result::Ok);
        (abi.free)(black_box(license));
    }
}

/// The mean of the middle 80% of sorted `values` (the 10% slowest and fastest dropped).
fn trimmed_mean(sorted: &[f64]) -> f64 {
    let cut = sorted.len() / 10;
    let kept = &sorted[cut..sorted.len() - cut];
    kept.iter().sum::<f64>() / kept.len() as f64
}

/// The two benches above run one after the other, so a machine whose load changes
/// (CI, other builds) skews their ratio. This measures both calls in alternating pairs
/// (the order swapped every pair), takes each pair's ratio c-abi/rust, and reports the
/// median and the 10%-trimmed mean of those ratios, plus the ratio of the two medians;
/// PASS/FAIL is judged on the median pair ratio against the target.
fn paired_ratio(rust: &Verifier, abi: CAbi, c_abi: *const lic_verifier, text: &str, now: i64) {
    const PAIRS: usize = 4000;
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let run_rust = || verify_rust(rust, black_box(text), now);
    let run_c = || verify_c(abi, c_abi, black_box(text), now);
    let mut t_rust: Vec<Duration> = Vec::with_capacity(PAIRS);
    let mut t_c: Vec<Duration> = Vec::with_capacity(PAIRS);
    for i in 0..PAIRS {
        if i % 2 == 0 {
            t_rust.push(time(&run_rust));
            t_c.push(time(&run_c));
        } else {
            t_c.push(time(&run_c));
            t_rust.push(time(&run_rust));
        }
    }
    let mut ratios: Vec<f64> = t_c
        .iter()
        .zip(&t_rust)
        .map(|(c, r)| c.as_secs_f64() / r.as_secs_f64())
        .collect();
    ratios.sort_unstable_by(f64::total_cmp);
    t_rust.sort_unstable();
    t_c.sort_unstable();
    let (r, c) = (t_rust[PAIRS / 2], t_c[PAIRS / 2]);
    let median_ratio = ratios[PAIRS / 2];
    let verdict = if median_ratio <= TARGET { "PASS" } else { "FAIL" };
    println!(
        "ffi/verify paired ({PAIRS} pairs): medians rust {:.2} µs, c-abi {:.2} µs (ratio {:.3}); \
         per-pair ratio c-abi/rust median {median_ratio:.3}, trimmed mean {:.3}; \
         target <= {TARGET}: {verdict}",
        r.as_secs_f64() * 1e6,
        c.as_secs_f64() * 1e6,
        c.as_secs_f64() / r.as_secs_f64(),
        trimmed_mean(&ratios),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
