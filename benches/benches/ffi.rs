//! The C ABI against Rust: the same verification through `lic_verifier_verify_text_at`
//! (plus `lic_license_free`, as a C caller does) and through `Verifier::verify_text_at`.
//! Target: the C ABI costs at most 1.03 times the Rust call.
//!
//! The C functions are called from Rust, exactly as a C program calls them: through
//! their `extern "C"` symbols, with raw pointers. That needs `unsafe` here (each block
//! says why it is sound); everything else in the benches crate is safe code.

use std::hint::black_box;
use std::ptr;
use std::time::Instant;

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

const PRODUCT: &str = "erp";
const LICENSEE: &str = "ACME Corp";
const DATABASE: &str = "DB-7F3A-22C1";
const MODULES: [&str; 4] = ["crm", "budget", "resources", "bi"];

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

    let mut g = c.benchmark_group("ffi/verify");
    g.bench_function("rust", |b| {
        b.iter(|| black_box(rust.verify_text_at(black_box(&text), Utc(now)).expect("verifies")))
    });
    g.bench_function("c-abi", |b| b.iter(|| verify_c(c_abi, black_box(&text), now)));
    g.finish();
    paired_ratio(&rust, c_abi, &text, now);
    // SAFETY: created above, not used after this point.
    unsafe { lic_verifier_free(c_abi) };
}

/// One verification through the C ABI, as a C caller makes it.
fn verify_c(verifier: *const lic_verifier, text: &str, now: i64) {
    let mut license: *mut lic_license = ptr::null_mut();
    // SAFETY: `verifier` is a live handle; the text pointer and length come from a live
    // `&str`; `license` is a local out-parameter, freed once right after.
    unsafe {
        let r = lic_verifier_verify_text_at(verifier, text.as_ptr().cast(), text.len(), now, &mut license);
        assert_eq!(r, lic_result::Ok);
        lic_license_free(black_box(license));
    }
}

/// The two benches above run one after the other, so a machine whose load changes
/// (CI, other builds) skews their ratio. This measures both calls in alternating pairs
/// and prints the ratio of the medians, which such drift does not bias.
fn paired_ratio(rust: &Verifier, c_abi: *const lic_verifier, text: &str, now: i64) {
    const PAIRS: usize = 4000;
    let mut t_rust = Vec::with_capacity(PAIRS);
    let mut t_c = Vec::with_capacity(PAIRS);
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let run_rust = || {
        black_box(rust.verify_text_at(black_box(text), Utc(now)).expect("verifies"));
    };
    let run_c = || verify_c(c_abi, black_box(text), now);
    for i in 0..PAIRS {
        if i % 2 == 0 {
            t_rust.push(time(&run_rust));
            t_c.push(time(&run_c));
        } else {
            t_c.push(time(&run_c));
            t_rust.push(time(&run_rust));
        }
    }
    t_rust.sort_unstable();
    t_c.sort_unstable();
    let (r, c) = (t_rust[PAIRS / 2], t_c[PAIRS / 2]);
    println!(
        "ffi/verify paired medians: rust {:.2} µs, c-abi {:.2} µs, ratio c-abi/rust {:.3} (target <= 1.03)",
        r.as_secs_f64() * 1e6,
        c.as_secs_f64() * 1e6,
        c.as_secs_f64() / r.as_secs_f64()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
