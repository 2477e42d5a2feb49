//! `license-check`: print this machine's fingerprint, or check a license code against
//! this installation, from a shell.
//!
//! `verify` is the toolkit's one verifying command line (crate `verify-cli`, the same as
//! `licensectl verify`): the same options, words, JSON and exit codes. Exit status: 0 the
//! code is valid and usable now; 1 the code was refused (the cause on one line); 2 wrong
//! command line; 3 the code is genuine but not usable now (not yet valid, expired,
//! replaced, or this release not covered by maintenance). Output cut short by the
//! reader (`license-check fingerprint ... | head -1`) is not an error: the status stays.
#![forbid(unsafe_code)]

use std::fmt::Display;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use license_verify::fingerprint;
use license_verify::license_core::{Date, MachineBinding};
use verify_cli::VerifyArgs;

mod seat;

#[derive(Parser, Debug)]
#[command(
    name = "license-check",
    version,
    about = "Check a license code or print this machine's fingerprint",
    after_help = "Exit codes of verify: 0 usable now; 1 refused; 2 wrong command line; 3 genuine but not usable now (not yet valid, expired, replaced, or this release not covered)."
)]
struct Cli {
    /// The day checked (YYYY-MM-DD, noon UTC; default: now). With --state-file the state
    /// is then only read: the guards say what they would, and nothing is written.
    #[arg(long, global = true, alias = "at")]
    date: Option<Date>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print this machine's fingerprint (send it to the vendor) and which components were read.
    Fingerprint {
        /// The product id; the fingerprint is keyed with it unless --app-key is given.
        #[arg(long, required_unless_present = "catalog")]
        product: Option<String>,
        /// The vendor's catalog file (TOML), for the product id when --product is not given.
        #[arg(long)]
        catalog: Option<std::path::PathBuf>,
        /// The application key the product uses for fingerprints, if not its product id.
        #[arg(long)]
        app_key: Option<String>,
        /// How many components may change before a code bound to this machine stops working.
        #[arg(long, default_value_t = fingerprint::DEFAULT_TOLERANCE)]
        tolerance: u8,
        /// Run as root: also bind what only root can read (hardware UUID, board serial).
        /// Only for a product that itself runs as root; by default a fingerprint taken as
        /// root holds what the product reads as a service user.
        #[arg(long)]
        as_root: bool,
    },
    /// Check a license code against this installation and say what it grants.
    Verify(Box<VerifyArgs>),
    /// Take, renew, release or inspect a floating seat from a license-server.
    #[command(subcommand)]
    Seat(Box<seat::SeatCommand>),
}

/// Why the command failed, with its exit status.
enum Failure {
    /// Exit 1: refused (a seat request, or the output could not be written).
    Refused(String),
    /// Exit 2: the command line is wrong.
    Usage(String),
}

impl Failure {
    fn exit(self) -> ExitCode {
        let (message, status) = match self {
            Failure::Refused(m) => (m, verify_cli::EXIT_REFUSED),
            Failure::Usage(m) => (m, verify_cli::EXIT_USAGE),
        };
        eprintln!("error: {message}");
        ExitCode::from(status)
    }
}

/// Print `what` to stdout. A reader that stopped reading (closed pipe) is not an error; any
/// other write failure is reported (exit 1).
fn print(what: impl Display) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match write!(out, "{what}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Failure::Refused(format!("cannot write the output ({e})")))
        }
        _ => Ok(()),
    }
}

/// `verify`: the shared verifying command line (the same as `licensectl verify`).
fn verify(args: &VerifyArgs, date: Option<Date>, json: bool) -> Result<ExitCode, Failure> {
    let out = verify_cli::run(args, date, json, &verify_cli::Defaults::default());
    print(&out.stdout)?;
    if !out.stderr.is_empty() {
        eprint!("{}", out.stderr);
    }
    Ok(ExitCode::from(out.exit))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Fingerprint {
            product,
            catalog,
            app_key,
            tolerance,
            as_root,
        } => fingerprint_command(product, catalog.as_deref(), app_key, tolerance, as_root),
        Command::Verify(args) => verify(&args, cli.date, cli.json),
        Command::Seat(cmd) => seat::run(*cmd),
    };
    outcome.unwrap_or_else(Failure::exit)
}

/// `fingerprint`: this machine's fingerprint and the components read.
fn fingerprint_command(
    product: Option<String>,
    catalog: Option<&std::path::Path>,
    app_key: Option<String>,
    tolerance: u8,
    as_root: bool,
) -> Result<ExitCode, Failure> {
    let catalog = verify_cli::read_catalog(catalog, product.as_deref()).map_err(Failure::Usage)?;
    let product = product
        .or_else(|| catalog.map(|c| c.product))
        .ok_or_else(|| Failure::Usage("give the product id with --product or --catalog".to_owned()))?;
    let key = app_key.unwrap_or(product);
    let read = fingerprint::collect(key.as_bytes());
    // Run as root, the command reads what the product (a service user) cannot: by default
    // the fingerprint holds only what the product will read.
    let (collected, root_only) = verify_cli::fingerprint::for_the_product(read, as_root);
    let root_note = match root_only {
        verify_cli::fingerprint::RootOnly::None => String::new(),
        note => format!("{note}\n"),
    };
    // The same cap as every tool that makes a binding, said with its reason.
    let known = collected.fingerprint().known().len();
    let cap = MachineBinding::majority_tolerance(known);
    let note = if tolerance > cap {
        format!(
            "Tolerance: {cap} of {known} components may change (asked: {tolerance}; capped so that a majority of the {known} components read must still match).\n"
        )
    } else {
        String::new()
    };
    print(format_args!("{}{note}{root_note}", collected.describe(tolerance))).map(|()| ExitCode::SUCCESS)
}
