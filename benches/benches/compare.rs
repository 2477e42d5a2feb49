//! The `reference` scope in four formats, side by side in one run: our code, a signed
//! JSON key (`key/<payload>.<signature>`), PASETO v4.public and a JWT (EdDSA). Each
//! verify is decode + signature + claims + product/licensee/machine check + status;
//! the baseline is a bare `verify_strict` of our signed message. Lengths are printed
//! first (and by `bench-report`).
#![forbid(unsafe_code)]

#[path = "common/clock.rs"]
mod clock;

use std::hint::black_box;

use clock::BenchClock;
use criterion::{Criterion, criterion_group, criterion_main};
use ed25519_dalek::Signer;
use license_benches::formats::{Jwt, Paseto, SignedJsonKey, Tokens};
use license_benches::{Installation, Reference, batch};
use license_core::{UntrustedCode, sign};

fn fixture() -> (Reference, Tokens) {
    let r = Reference::load().expect("the reference case of the golden vectors");
    let t = Tokens::for_reference(&r).expect("tokens");
    (r, t)
}

fn verify(c: &mut Criterion<BenchClock>) {
    let (r, t) = fixture();
    for (name, n) in t.lengths(&r) {
        eprintln!("length: {name}: {n} characters");
    }
    let ctx = r.context();
    let code = r.untrusted().expect("reference parses");
    let message = batch::signed_message(&code, &ctx).expect("message");
    let signature = batch::signature_of(&code);
    let key = *r.keys[0].verifying_key();
    let inst = Installation {
        product: &r.product,
        licensee: &r.licensee,
        machine: Some(&r.machine),
    };
    let status = |claims: Result<license_benches::Claims, license_benches::Error>| {
        claims
            .and_then(|c| c.check(&inst, r.today, r.build_date, &r.policy))
            .map(|e| e.is_usable())
    };
    // Every format accepts its token and grants the same status.
    let ours = UntrustedCode::parse(&r.code)
        .and_then(|c| c.verify(&r.keys, &ctx))
        .map(|v| v.evaluate(r.today, r.build_date, &r.policy))
        .expect("ours verifies");
    for claims in [
        t.json_key_verifier.verify(&t.json_key),
        t.paseto_verifier.verify(&t.paseto),
        t.jwt_verifier.verify(&t.jwt),
    ] {
        let claims = claims.expect("token verifies");
        assert_eq!(claims, t.claims);
        assert_eq!(claims.license().expect("scope"), r.license);
        assert_eq!(
            claims.check(&inst, r.today, r.build_date, &r.policy).ok(),
            Some(ours)
        );
    }

    let mut g = c.benchmark_group("compare-verify");
    g.bench_function("bare verify_strict", |b| {
        b.iter(|| {
            black_box(&key)
                .verify_strict(black_box(&message), black_box(&signature))
                .is_ok()
        })
    });
    g.bench_function("ours", |b| {
        b.iter(|| {
            UntrustedCode::parse(black_box(&r.code))
                .and_then(|c| c.verify(black_box(&r.keys), &ctx))
                .map(|v| v.evaluate(r.today, r.build_date, &r.policy).is_usable())
        })
    });
    g.bench_function(SignedJsonKey::NAME, |b| {
        b.iter(|| status(t.json_key_verifier.verify(black_box(&t.json_key))))
    });
    g.bench_function(Paseto::NAME, |b| {
        b.iter(|| status(t.paseto_verifier.verify(black_box(&t.paseto))))
    });
    g.bench_function(Jwt::NAME, |b| {
        b.iter(|| status(t.jwt_verifier.verify(black_box(&t.jwt))))
    });
    g.finish();
}

fn issue(c: &mut Criterion<BenchClock>) {
    let (r, t) = fixture();
    let ctx = r.context();
    let code = r.untrusted().expect("reference parses");
    let message = batch::signed_message(&code, &ctx).expect("message");
    let mut g = c.benchmark_group("compare-issue");
    g.bench_function("bare sign", |b| {
        b.iter(|| r.signing_key.sign(black_box(&message)))
    });
    g.bench_function("ours", |b| {
        b.iter(|| sign(black_box(&r.license), &ctx, &r.signing_key).map(|c| c.to_string()))
    });
    g.bench_function(SignedJsonKey::NAME, |b| {
        b.iter(|| SignedJsonKey::sign(black_box(&t.claims), &r.signing_key))
    });
    g.bench_function(Paseto::NAME, |b| {
        b.iter(|| Paseto::sign(black_box(&t.claims), &r.signing_key))
    });
    g.bench_function(Jwt::NAME, |b| {
        b.iter(|| Jwt::sign(black_box(&t.claims), &r.signing_key))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = clock::config();
    targets = verify, issue
}
criterion_main!(benches);
