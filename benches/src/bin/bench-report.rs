//! Prints the ratio tables of the last criterion run and the code lengths, as Markdown
//! for `BENCHMARKS.md`.
//!
//! ```sh
//! cargo bench -p license-benches --bench core --bench compare
//! cargo run -p license-benches --release --bin bench-report [-- <criterion dir>]
//! ```
//! The criterion directory defaults to `$CARGO_TARGET_DIR/criterion`, else `target/criterion`.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use license_benches::{Reference, formats::Tokens, report};

fn run() -> Result<(), license_benches::Error> {
    let dir = std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| PathBuf::from("target"), PathBuf::from)
            .join("criterion")
    });
    let r = Reference::load()?;
    let tokens = Tokens::for_reference(&r)?;
    let lengths = tokens.lengths(&r);
    println!("### Length of the reference license, in characters\n");
    println!("| format | characters | ratio to ours |");
    println!("|---|---:|---:|");
    let ours = lengths[0].1 as f64;
    for (name, n) in &lengths {
        println!("| {name} | {n} | {:.2} |", *n as f64 / ours);
    }
    let shortest_other = lengths[1..].iter().map(|(_, n)| *n).min().unwrap_or(0);
    println!(
        "\nOurs is {:.3} of the shortest other format ({shortest_other} characters).",
        ours / shortest_other as f64
    );
    println!("\n### Times (medians of one criterion run, `{}`)", dir.display());
    println!("{}", report::markdown(&report::read(&dir)?));
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-report: {e}");
            ExitCode::FAILURE
        }
    }
}
