//! `licensectl`: the vendor's command-line tool for keys, license codes, the ledger and
//! reports. Run `licensectl demo` for a first look, `licensectl --help` for the rest.
//!
//! Exit codes: 0 success; 1 a code that does not verify (or is not valid); 2 bad input
//! or an operation the business rules refuse; 3 a file that cannot be read or written,
//! a key file with unsafe permissions, or corrupt data (catalog, key ring, ledger).
//! `verify` exits as `license-check verify` does (crate `verify-cli`): 0 usable, 1 refused,
//! 2 wrong command line, 3 genuine but not usable now.
#![forbid(unsafe_code)]
// The doc comments of the clap structs are the help text, where `<home>` means a path.
#![allow(rustdoc::invalid_html_tags)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod args;
mod commands;
mod failure;
mod home;
mod output;

use std::process::ExitCode;

use clap::Parser;

use crate::args::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(&cli) {
        Ok(code) => match output::write_error() {
            Some(e) => {
                eprintln!("error: cannot write the output ({e}); what was recorded stays recorded");
                ExitCode::from(3)
            }
            None => ExitCode::from(code),
        },
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
