//! The ratios of record for a shared, noisy machine: every ratio `BENCHMARKS.md` quotes
//! against a bare Ed25519 operation, measured in alternating short blocks (baseline,
//! candidate, candidate, baseline, ...) so that a load that comes and goes affects both
//! sides alike, and repeated in several **fresh processes**, because the address layout a
//! process happens to get moves the bare check itself by up to ±10 %. The figure of
//! record is the median over the processes with their range (lowest and highest process),
//! never the best run.
//!
//! ```sh
//! cargo run -p license-benches --release --bin paired-ratio -- [--processes P] [--rounds R]
//! ```
//!
//! Defaults: 7 processes, 200 rounds per candidate. Each process re-runs this binary with
//! `--one R` and prints one line per candidate: `ratio<TAB>name<TAB>median<TAB>q1<TAB>q3`.
#![forbid(unsafe_code)]
#![allow(dead_code)]

#[path = "../../../license-core/tests/common/mod.rs"]
mod common;
#[path = "../../benches/common/delegation_signatures.rs"]
mod delegation_signatures;
#[path = "../../../license-core/tests/reseller/mod.rs"]
mod reseller;

use std::hint::black_box;
use std::process::{Command, ExitCode};
use std::time::Instant;

use ed25519_dalek::Signer;
use license_benches::formats::Tokens;
use license_benches::{Claims, Error, Installation, Reference, batch};
use license_core::{Policy, UntrustedCode, UntrustedDelegatedCode, sign};

/// A timed operation: returns whether it gave the expected answer.
type Op<'a> = Box<dyn FnMut() -> bool + 'a>;

/// A candidate measured against its baseline.
struct Pair<'a> {
    name: &'static str,
    baseline: &'static str,
    /// Calls per timed block (fewer for operations that are themselves many verifications).
    block: u32,
    base: Op<'a>,
    candidate: Op<'a>,
}

fn time_block(f: &mut dyn FnMut() -> bool, block: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..block {
        black_box(f());
    }
    start.elapsed().as_nanos() as f64 / f64::from(block)
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// One process: every pair, `rounds` rounds each, one output line per pair.
fn one_process(rounds: usize) -> Result<(), Error> {
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
    let bare = || {
        key.verify_strict(black_box(&message), black_box(&signature))
            .is_ok()
    };
    let bare_verify = "bare verify_strict";

    // Reseller's codes: their own baseline, the bare checks of the signatures they contain.
    let machine = common::reference_machine();
    let dctx = common::reference_context(&machine);
    let dkeys = common::public_keys();
    let today = common::day(2027, 1, 1);
    let policy = Policy::default();
    let delegated = |code: license_core::DelegatedCode| {
        let sigs = delegation_signatures::signatures(&code, &dctx);
        (code.to_string(), sigs)
    };
    let (one_text, one_sigs) = delegated(reseller::reseller_code());
    let (two_text, two_sigs) = delegated(reseller::sub_code());
    let ours_delegated = |text: &str| {
        UntrustedDelegatedCode::parse(black_box(text))
            .and_then(|c| c.verify(black_box(&dkeys), &dctx, |_| false))
            .is_ok_and(|v| v.license().evaluate(today, today, &policy).is_usable())
    };
    let bare_all = |sigs: &[(ed25519_dalek::VerifyingKey, Vec<u8>, ed25519_dalek::Signature)]| {
        sigs.iter()
            .all(|(k, m, s)| black_box(k).verify_strict(black_box(m), black_box(s)).is_ok())
    };

    // Batch re-validation of 64 codes against the same 64 one by one.
    let ledger = batch::ledger(&r, 64)?;
    let batch_key = r.keys[0];

    let mut pairs: Vec<Pair<'_>> = vec![
        Pair {
            name: "ours: decode + verify + status",
            baseline: bare_verify,
            block: 16,
            base: Box::new(bare),
            candidate: Box::new(|| {
                UntrustedCode::parse(black_box(&r.code))
                    .and_then(|c| c.verify(black_box(&r.keys), &ctx))
                    .is_ok_and(|v| v.evaluate(r.today, r.build_date, &r.policy).is_usable())
            }),
        },
        Pair {
            name: "signed JSON key",
            baseline: bare_verify,
            block: 16,
            base: Box::new(bare),
            candidate: Box::new(|| status(t.json_key_verifier.verify(black_box(&t.json_key)))),
        },
        Pair {
            name: "PASETO v4.public",
            baseline: bare_verify,
            block: 16,
            base: Box::new(bare),
            candidate: Box::new(|| status(t.paseto_verifier.verify(black_box(&t.paseto)))),
        },
        Pair {
            name: "JWT EdDSA",
            baseline: bare_verify,
            block: 16,
            base: Box::new(bare),
            candidate: Box::new(|| status(t.jwt_verifier.verify(black_box(&t.jwt)))),
        },
        Pair {
            name: "reseller's code, one level: parse + verify + status",
            baseline: "bare verify_strict x2 (its signatures)",
            block: 8,
            base: Box::new(|| bare_all(&one_sigs)),
            candidate: Box::new(|| ours_delegated(&one_text)),
        },
        Pair {
            name: "reseller's code, two levels: parse + verify + status",
            baseline: "bare verify_strict x3 (its signatures)",
            block: 8,
            base: Box::new(|| bare_all(&two_sigs)),
            candidate: Box::new(|| ours_delegated(&two_text)),
        },
        Pair {
            name: "issuing: sign + text",
            baseline: "bare Ed25519 sign",
            block: 16,
            base: Box::new(|| {
                black_box(r.signing_key.sign(black_box(&message)));
                true
            }),
            candidate: Box::new(|| {
                sign(black_box(&r.license), &ctx, &r.signing_key).is_ok_and(|c| !c.to_string().is_empty())
            }),
        },
        Pair {
            name: "batch re-validation of 64 codes",
            baseline: "the 64 one by one",
            block: 1,
            base: Box::new(|| {
                batch::revalidate_one_by_one(black_box(&ledger), &r.keys).is_ok_and(|n| n == 64)
            }),
            candidate: Box::new(|| {
                batch::revalidate_batch(black_box(&ledger), &batch_key).is_ok_and(|n| n == 64)
            }),
        },
    ];
    for p in &mut pairs {
        if !(p.base)() || !(p.candidate)() {
            return Err(Error::Claims(format!(
                "{} or its baseline does not give the expected answer",
                p.name
            )));
        }
        let mut ratios = Vec::with_capacity(rounds * 2);
        for _ in 0..rounds {
            let b1 = time_block(p.base.as_mut(), p.block);
            let c1 = time_block(p.candidate.as_mut(), p.block);
            let c2 = time_block(p.candidate.as_mut(), p.block);
            let b2 = time_block(p.base.as_mut(), p.block);
            ratios.push(c1 / b1);
            ratios.push(c2 / b2);
        }
        ratios.sort_by(f64::total_cmp);
        println!(
            "ratio\t{}\t{}\t{:.4}\t{:.4}\t{:.4}",
            p.name,
            p.baseline,
            quantile(&ratios, 0.5),
            quantile(&ratios, 0.25),
            quantile(&ratios, 0.75),
        );
    }
    Ok(())
}

/// Run `processes` fresh processes of this binary and print the median over them, with
/// the lowest and highest process, per candidate.
fn many_processes(processes: usize, rounds: usize) -> Result<(), Error> {
    let exe = std::env::current_exe().map_err(|e| Error::Claims(format!("this binary's path: {e}")))?;
    // (name, baseline) -> the per-process medians, in first-seen order.
    let mut rows: Vec<((String, String), Vec<f64>)> = Vec::new();
    for n in 1..=processes {
        let out = Command::new(&exe)
            .args(["--one", &rounds.to_string()])
            .output()
            .map_err(|e| Error::Claims(format!("run {}: {e}", exe.display())))?;
        if !out.status.success() {
            return Err(Error::Claims(format!(
                "process {n} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let [_, name, baseline, median, ..] = f[..] else {
                continue;
            };
            let median: f64 = median
                .parse()
                .map_err(|_| Error::Claims(format!("process {n} printed {line:?}")))?;
            let key = (name.to_owned(), baseline.to_owned());
            match rows.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(median),
                None => rows.push((key, vec![median])),
            }
        }
        eprintln!("paired-ratio: process {n} of {processes} done");
    }
    println!(
        "| candidate | baseline | median over {processes} processes | range (lowest – highest process) | per-process medians |"
    );
    println!("|---|---|---:|---:|---|");
    for ((name, baseline), mut v) in rows {
        v.sort_by(f64::total_cmp);
        let each: Vec<String> = v.iter().map(|x| format!("{x:.3}")).collect();
        println!(
            "| {name} | {baseline} | **{:.3}** | {:.3} – {:.3} | {} |",
            quantile(&v, 0.5),
            v[0],
            v[v.len() - 1],
            each.join(", ")
        );
    }
    Ok(())
}

/// `--one R`, or `[--processes P] [--rounds R]`.
fn parse(args: &[String]) -> Result<(Option<usize>, usize, usize), String> {
    let (mut one, mut processes, mut rounds) = (None, 7, 200);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut number = |what: &str| -> Result<usize, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .filter(|&v: &usize| v > 0)
                .ok_or_else(|| format!("{what} takes a positive number"))
        };
        match a.as_str() {
            "--one" => one = Some(number("--one")?),
            "--processes" => processes = number("--processes")?,
            "--rounds" => rounds = number("--rounds")?,
            other => {
                return Err(format!(
                    "unknown argument {other:?}: use [--processes P] [--rounds R]"
                ));
            }
        }
    }
    Ok((one, processes, rounds))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match parse(&args) {
        Err(usage) => {
            eprintln!("paired-ratio: {usage}");
            return ExitCode::from(2);
        }
        Ok((Some(rounds), _, _)) => one_process(rounds),
        Ok((None, processes, rounds)) => many_processes(processes, rounds),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("paired-ratio: {e}");
            ExitCode::FAILURE
        }
    }
}
