//! A noise-robust cross-check of the criterion ratios for shared machines: each
//! candidate and the bare `verify_strict` baseline run in alternating short blocks
//! (baseline, candidate, candidate, baseline, ...), and the ratio is taken per pair of
//! neighbouring blocks, so a load that comes and goes affects both sides alike. Prints
//! the median ratio and its interquartile range per candidate.
//!
//! ```sh
//! cargo run -p license-benches --release --bin paired-ratio [-- ROUNDS]
//! ```
#![forbid(unsafe_code)]

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use license_benches::formats::Tokens;
use license_benches::{Claims, Error, Installation, Reference, batch};
use license_core::UntrustedCode;

const BLOCK: u32 = 16;

/// A named verification that returns whether the reference is usable.
type Candidate<'a> = (&'static str, Box<dyn FnMut() -> bool + 'a>);

fn time_block(f: &mut dyn FnMut() -> bool) -> f64 {
    let start = Instant::now();
    for _ in 0..BLOCK {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / f64::from(BLOCK)
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn run() -> Result<(), Error> {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1500);
    let r = Reference::load()?;
    let t = Tokens::for_reference(&r)?;
    let ctx = r.context();
    let code = r.untrusted()?;
    let message = batch::signed_message(&code, &ctx)?;
    let signature = batch::signature_of(&code);
    let key = *r.keys[0].verifying_key();
    let inst = Installation {
        product: &r.product,
        licensee: &r.licensee,
        machine: Some(&r.machine),
    };
    let status = |c: Result<Claims, Error>| {
        c.and_then(|c| c.check(&inst, r.today, r.build_date, &r.policy))
            .is_ok_and(|e| e.is_usable())
    };
    let mut bare = || {
        key.verify_strict(black_box(&message), black_box(&signature))
            .is_ok()
    };
    let mut candidates: Vec<Candidate<'_>> = vec![
        (
            "ours: decode + verify + status",
            Box::new(|| {
                UntrustedCode::parse(black_box(&r.code))
                    .and_then(|c| c.verify(black_box(&r.keys), &ctx))
                    .is_ok_and(|v| v.evaluate(r.today, r.build_date, &r.policy).is_usable())
            }),
        ),
        (
            "signed JSON key",
            Box::new(|| status(t.json_key_verifier.verify(black_box(&t.json_key)))),
        ),
        (
            "PASETO v4.public",
            Box::new(|| status(t.paseto_verifier.verify(black_box(&t.paseto)))),
        ),
        (
            "JWT EdDSA",
            Box::new(|| status(t.jwt_verifier.verify(black_box(&t.jwt)))),
        ),
    ];
    println!("| candidate | median ratio to bare verify_strict | interquartile range | pairs |");
    println!("|---|---:|---:|---:|");
    for (name, f) in &mut candidates {
        if !f() {
            return Err(Error::Claims(format!("{name} does not accept the reference")));
        }
        let mut ratios = Vec::with_capacity(rounds * 2);
        for _ in 0..rounds {
            let b1 = time_block(&mut bare);
            let c1 = time_block(f.as_mut());
            let c2 = time_block(f.as_mut());
            let b2 = time_block(&mut bare);
            ratios.push(c1 / b1);
            ratios.push(c2 / b2);
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "| {name} | {:.4} | {:.4} – {:.4} | {} |",
            quantile(&ratios, 0.5),
            quantile(&ratios, 0.25),
            quantile(&ratios, 0.75),
            ratios.len()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("paired-ratio: {e}");
            ExitCode::FAILURE
        }
    }
}
