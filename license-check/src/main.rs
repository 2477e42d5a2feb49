//! `license-check`: print this machine's fingerprint, or check a license code against
//! this installation, from a shell.
//!
//! Exit status: 0 the code is valid and usable now; 1 the code was refused (the cause on
//! one line); 2 wrong command line; 3 the code is genuine but not usable now (not yet
//! valid, expired, or this release not covered by maintenance). Output cut short by the
//! reader (`license-check fingerprint ... | head -1`) is not an error: the status stays.
#![forbid(unsafe_code)]

use std::fmt::Display;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use license_verify::license_core::{Date, PublicKey};
use license_verify::{Utc, Verifier, fingerprint};

mod seat;

#[derive(Parser, Debug)]
#[command(
    name = "license-check",
    version,
    about = "Check a license code or print this machine's fingerprint"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print this machine's fingerprint (send it to the vendor) and which components were read.
    Fingerprint {
        /// The product id; the fingerprint is keyed with it unless --app-key is given.
        #[arg(long)]
        product: String,
        /// The application key the product uses for fingerprints, if not its product id.
        #[arg(long)]
        app_key: Option<String>,
        /// How many components may change before a code bound to this machine stops working.
        #[arg(long, default_value_t = fingerprint::DEFAULT_TOLERANCE)]
        tolerance: u8,
    },
    /// Check a license code against this installation and say what it grants.
    Verify(VerifyArgs),
    /// Take, renew, release or inspect a floating seat from a license-server.
    #[command(subcommand)]
    Seat(seat::SeatCommand),
}

#[derive(Args, Debug)]
struct VerifyArgs {
    /// The license code as text (or use --file).
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    code: Option<String>,
    /// A file holding the license code as text.
    #[arg(long)]
    file: Option<PathBuf>,
    /// The product id, as in the vendor's catalog.
    #[arg(long)]
    product: String,
    /// The licensee, as configured in the installation.
    #[arg(long)]
    licensee: String,
    /// The installation's database code, for codes bound to a database.
    #[arg(long)]
    database: Option<String>,
    /// A vendor public key as 64 hex digits; repeat for several keys.
    #[arg(long = "key", required = true, value_parser = parse_key)]
    keys: Vec<PublicKey>,
    /// Build date of the release to check maintenance coverage for (default: today).
    #[arg(long)]
    build_date: Option<Date>,
    /// Module names in module-number order, comma-separated (e.g. crm,budget,planning,bi).
    #[arg(long, value_delimiter = ',')]
    modules: Vec<String>,
    /// Check as of this day instead of today (YYYY-MM-DD, noon UTC).
    #[arg(long)]
    at: Option<Date>,
    /// The application key the product uses for fingerprints, if not its product id.
    #[arg(long)]
    app_key: Option<String>,
}

fn parse_key(hex: &str) -> Result<PublicKey, String> {
    let text = hex.trim();
    if text.len() != 64 {
        return Err(format!("a public key has 64 hex digits, not {}", text.len()));
    }
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text, &mut bytes)
        .map_err(|_| "a public key is written in hex digits 0-9, a-f".to_owned())?;
    PublicKey::from_bytes(&bytes).map_err(|e| e.to_string())
}

/// Why the command failed, with its exit status.
enum Failure {
    /// Exit 1: the code (or the file holding it) was refused.
    Refused(String),
    /// Exit 2: the command line is wrong.
    Usage(String),
}

impl Failure {
    fn exit(self) -> ExitCode {
        let (message, status) = match self {
            Failure::Refused(m) => (m, 1),
            Failure::Usage(m) => (m, 2),
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

fn verify(args: VerifyArgs) -> Result<ExitCode, Failure> {
    let keys = args.keys;
    let now = match args.at {
        Some(day) => Utc(Utc::start_of(day).0 + 12 * 3600),
        None => Utc::now(),
    };
    let build_date = args.build_date.unwrap_or(now.date());
    let mut builder = Verifier::builder(keys, &args.product, build_date)
        .licensee(&args.licensee)
        .modules(args.modules);
    if let Some(db) = &args.database {
        builder = builder.database(db);
    }
    if let Some(k) = &args.app_key {
        builder = builder.fingerprint_app_key(k.as_bytes());
    }
    // The builder only refuses its configuration: here, the command line.
    let verifier = builder.build().map_err(|e| Failure::Usage(e.to_string()))?;
    let result = match (&args.code, &args.file) {
        (Some(code), _) => verifier.verify_text_at(code, now),
        (None, Some(file)) => verifier.verify_file_at(file, now),
        (None, None) => return Err(Failure::Usage("give the code as text or with --file".to_owned())),
    };
    let verification = result.map_err(|e| Failure::Refused(e.to_string()))?;
    print(&verification)?;
    Ok(if verification.is_usable() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Fingerprint {
            product,
            app_key,
            tolerance,
        } => {
            let key = app_key.unwrap_or(product);
            print(fingerprint::collect(key.as_bytes()).describe(tolerance)).map(|()| ExitCode::SUCCESS)
        }
        Command::Verify(args) => verify(args),
        Command::Seat(cmd) => seat::run(cmd),
    };
    outcome.unwrap_or_else(Failure::exit)
}
