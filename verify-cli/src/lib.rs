//! The one verifying command line of the toolkit: `licensectl verify` (the vendor's
//! support desk) and `license-check verify` (the customer's shell) take the same options,
//! say the same words, write the same JSON and exit with the same codes, because both
//! parse [`VerifyArgs`] and call [`run`].
//!
//! - `--date D`: the day checked (noon UTC; default: now). A global option of each binary.
//!   With a state file, a check on a given day is **read-only**: the state is read and the
//!   guards report what they would say, but nothing is written (a day ahead would otherwise
//!   move the installation's clock guard and lock it out until that day).
//! - `--build-date D`: the build date of the release to check maintenance coverage for.
//!   Without it, coverage is **not checked** (and said so): a support desk checking a
//!   customer's code does not run the customer's release.
//! - `--state-file FILE --state-secret-file FILE`: the installation's state file and the
//!   application secret protecting it (the guards: clock, replay, revocation).
//! - `--revocation-list FILE` (repeatable): lists installed before the check, in order.
//! - `--catalog FILE`: the vendor's catalog file ([`Catalog`]): its module and line names
//!   show the code, and its product id is the product unless `--product` is given (which
//!   must then name the same product). Without it, the calling binary's [`Defaults`].
//! - Exit codes: [`EXIT_USABLE`] 0 usable now; [`EXIT_REFUSED`] 1 refused (typo, wrong
//!   key, licensee, database or machine, revoked, superseded, a bad state file or list);
//!   [`EXIT_USAGE`] 2 wrong command line; [`EXIT_NOT_USABLE`] 3 genuine but not usable now
//!   (not yet valid, expired, replaced, this release not covered).
//! - JSON (`--json`): one object, see [`verification_json`] and [`refusal_json`]: `usable`,
//!   `status` (a kebab-case word), `status_words`, `allowed_now`, `license`, `scheduled`,
//!   `issuer` (a reseller's code: `{reseller, serial, chain}`, else null),
//!   `revocation_list`, `first_run` (no state file was found: the guards started afresh,
//!   see `Verification::first_run`), and `errors`, a list of `{kind, message}` objects (empty when the
//!   code verified).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use clap::Args;
use license_verify::license_core::{Date, PublicKey, Release};
use license_verify::{Error, Utc, Verification, Verifier, describe_scope, describe_status};
use serde_json::{Value, json};

mod catalog;
pub mod fingerprint;
mod names;
pub use catalog::{Catalog, CatalogError, MAX_LINE, MAX_MODULE};
pub use names::Names;

/// Said when a state file was given with `--date`.
pub const READ_ONLY_LINE: &str =
    "State file:       only read (a day was given with --date): nothing was written";

/// Exit code: the code is genuine and usable now.
pub const EXIT_USABLE: u8 = 0;
/// Exit code: the code (or a file the check needs) was refused.
pub const EXIT_REFUSED: u8 = 1;
/// Exit code: the command line is wrong.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: the code is genuine but not usable now.
pub const EXIT_NOT_USABLE: u8 = 3;

/// The options of `verify`, shared by both binaries (`--date` and `--json` are global
/// options of each binary and passed to [`run`]).
#[derive(Args, Clone, Debug, Default)]
pub struct VerifyArgs {
    /// The license code(s) as text: several codes of one license (the code in force and a
    /// scheduled one) may be given; the one in force is used.
    #[arg(conflicts_with = "file")]
    pub codes: Vec<String>,
    /// A license file holding one or more codes (one per line or separated by blank lines).
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// The product id, as in the vendor's catalog.
    #[arg(long)]
    pub product: Option<String>,
    /// The vendor's catalog file (TOML): its product id, module names and line names.
    #[arg(long)]
    pub catalog: Option<PathBuf>,
    /// The licensee, exactly as configured in the installation.
    #[arg(long)]
    pub licensee: String,
    /// The installation's database code, for codes bound to a database.
    #[arg(long)]
    pub database: Option<String>,
    /// A vendor public key as 64 hex digits, or lines of `licensectl pubkey --format hex`
    /// (key id and key); repeat for several keys.
    #[arg(long = "key", visible_alias = "public-key")]
    pub keys: Vec<String>,
    /// Build date of the release to check maintenance coverage for (default: coverage is
    /// not checked).
    #[arg(long)]
    pub build_date: Option<Date>,
    /// Module names in module-number order, comma-separated (e.g. crm,budget,planning,bi).
    #[arg(long, value_delimiter = ',')]
    pub modules: Vec<String>,
    /// Product line names in line-number order, comma-separated (e.g. standard,expert).
    #[arg(long, value_delimiter = ',')]
    pub lines: Vec<String>,
    /// The application key the product uses for fingerprints, if not its product id.
    #[arg(long)]
    pub app_key: Option<String>,
    /// The installation's license state file (clock, replay and revocation guards). With
    /// --date it is only read: the guards say what they would, and nothing is written.
    #[arg(long, requires = "state_secret_file")]
    pub state_file: Option<PathBuf>,
    /// A file holding the application secret that protects the state file.
    #[arg(long, requires = "state_file")]
    pub state_secret_file: Option<PathBuf>,
    /// A signed revocation list to install before the check; repeat for several.
    #[arg(long = "revocation-list")]
    pub revocation_lists: Vec<PathBuf>,
}

/// What the calling binary knows that the command line may leave out.
#[derive(Clone, Debug, Default)]
pub struct Defaults {
    /// Keys used when no `--key` is given (licensectl: its key ring).
    pub keys: Vec<PublicKey>,
    /// The product when no `--product` is given (licensectl: the only catalog's).
    pub product: Option<String>,
    /// Module names when no `--modules` is given (licensectl: the catalog's).
    pub modules: Vec<String>,
    /// Line names when no `--lines` is given (licensectl: the catalog's).
    pub lines: Vec<String>,
}

/// What to print and the exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// For standard output.
    pub stdout: String,
    /// For standard error (empty, or one `error: ...` line).
    pub stderr: String,
    /// The exit code.
    pub exit: u8,
}

/// Parse a public key written as 64 hex digits.
pub fn parse_key(text: &str) -> Result<PublicKey, String> {
    PublicKey::from_hex(text).map_err(|e| e.to_string())
}

/// Every key of one key option: one key per non-empty line, each as [`parse_key`] reads it
/// (so the lines `licensectl pubkey --format hex` prints are accepted as printed).
pub fn parse_keys(text: &str) -> Result<Vec<PublicKey>, String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(parse_key)
        .collect()
}

/// The moment checked: noon UTC of `date`, or now.
pub fn moment(date: Option<Date>) -> Utc {
    match date {
        Some(day) => Utc(Utc::start_of(day).0 + 12 * 3600),
        None => Utc::now(),
    }
}

/// Why a check did not reach a verdict on the code.
#[derive(Debug)]
enum Failure {
    Usage(String),
    Refused { kind: String, message: String },
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Refused {
            kind: error_kind(&e),
            message: e.to_string(),
        }
    }
}

/// A stable kebab-case name of a verifier error: the `license-core` error's name for code
/// errors (`wrong-licensee`, `typo`, `bad-signature`), else the verifier's (`revoked`,
/// `superseded`, `state-corrupt`, ...).
pub fn error_kind(e: &Error) -> String {
    match e.code_error() {
        Some(core) => kebab(&format!("{core:?}")),
        None => kebab(&format!("{e:?}")),
    }
}

/// `WrongLicensee` -> `wrong-licensee`; `Typo { group: 2 }` -> `typo`.
fn kebab(debug: &str) -> String {
    let name: String = debug.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The status as one kebab-case word: `valid`, `expiring-soon`, `in-grace`, `demo-mode`,
/// `not-yet-valid`, `expired`, ... (the tag `license-core` writes in JSON).
pub fn status_word(v: &Verification) -> String {
    match serde_json::to_value(v.status()) {
        Ok(Value::Object(m)) => m
            .get("status")
            .and_then(Value::as_str)
            .map_or_else(|| kebab(&format!("{:?}", v.status())), str::to_owned),
        _ => kebab(&format!("{:?}", v.status())),
    }
}

/// Run `verify` with the options given, `date` (the day checked) and `json`.
pub fn run(args: &VerifyArgs, date: Option<Date>, json: bool, defaults: &Defaults) -> Output {
    let checked = args.build_date.is_some();
    match check(args, date, defaults) {
        Ok((v, names)) => {
            let exit = if v.is_usable() {
                EXIT_USABLE
            } else {
                EXIT_NOT_USABLE
            };
            let read_only = date.is_some() && args.state_file.is_some();
            let stdout = if json {
                let mut value = verification_json(&v, &names, checked);
                value["state_read_only"] = Value::Bool(read_only);
                json_line(&value)
            } else {
                let mut text = verification_text(&v, &names, checked);
                if read_only {
                    text.push_str(READ_ONLY_LINE);
                    text.push('\n');
                }
                text
            };
            Output {
                stdout,
                stderr: String::new(),
                exit,
            }
        }
        Err(failure) => {
            let (kind, message, exit) = match failure {
                Failure::Usage(m) => ("usage".to_owned(), m, EXIT_USAGE),
                Failure::Refused { kind, message } => (kind, message, EXIT_REFUSED),
            };
            Output {
                stdout: if json {
                    json_line(&refusal_json(&kind, &message))
                } else {
                    String::new()
                },
                stderr: format!("error: {message}\n"),
                exit,
            }
        }
    }
}

fn json_line(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}

/// Read the catalog file given with `--catalog`, if any, and check that `--product`, if
/// given, names its product. The error is a message for a wrong command line (exit
/// [`EXIT_USAGE`]).
pub fn read_catalog(path: Option<&Path>, product: Option<&str>) -> Result<Option<Catalog>, String> {
    let Some(path) = path else {
        return Ok(None);
    };
    let catalog = Catalog::read(path).map_err(|e| e.to_string())?;
    match product {
        Some(p) if p != catalog.product => Err(format!(
            "--product {p} is not the product of the catalog file {} ({}): give the catalog file of {p}, or leave out --product",
            path.display(),
            catalog.product
        )),
        _ => Ok(Some(catalog)),
    }
}

fn check(
    args: &VerifyArgs,
    date: Option<Date>,
    defaults: &Defaults,
) -> Result<(Verification, Names), Failure> {
    let catalog = read_catalog(args.catalog.as_deref(), args.product.as_deref()).map_err(Failure::Usage)?;
    let product = args
        .product
        .clone()
        .or_else(|| catalog.as_ref().map(|c| c.product.clone()))
        .or_else(|| defaults.product.clone())
        .ok_or_else(|| Failure::Usage("give the product id with --product or --catalog".to_owned()))?;
    let keys = if args.keys.is_empty() {
        defaults.keys.clone()
    } else {
        let mut keys = Vec::new();
        for k in &args.keys {
            keys.extend(parse_keys(k).map_err(|e| Failure::Usage(format!("--key {k}: {e}")))?);
        }
        keys
    };
    if keys.is_empty() {
        return Err(Failure::Usage(
            "give the vendor's public key with --key (64 hex digits)".to_owned(),
        ));
    }
    if args.codes.is_empty() && args.file.is_none() {
        return Err(Failure::Usage(
            "give the license code as text or the license file with --file".to_owned(),
        ));
    }
    // The command line's names, else the catalog file's, else the calling binary's.
    let fallback = catalog.map_or_else(
        || Names {
            modules: defaults.modules.clone(),
            lines: defaults.lines.clone(),
        },
        |c| c.names(),
    );
    let names = Names {
        modules: if args.modules.is_empty() {
            fallback.modules
        } else {
            args.modules.clone()
        },
        lines: if args.lines.is_empty() {
            fallback.lines
        } else {
            args.lines.clone()
        },
    };
    let now = moment(date);
    // Without a build date every release counts as covered, and the output says that
    // coverage was not checked.
    let build_date = args.build_date.unwrap_or(Date::UNIX_EPOCH);
    let mut builder = Verifier::builder(keys, &product, build_date)
        .licensee(&args.licensee)
        .modules(names.modules.clone())
        .lines(names.lines.clone())
        .fingerprint_app_key(args.app_key.as_deref().unwrap_or(&product).as_bytes().to_vec());
    if let Some(db) = &args.database {
        builder = builder.database(db);
    }
    if let (Some(path), Some(secret)) = (&args.state_file, &args.state_secret_file) {
        let mut bytes = fs::read(secret).map_err(|e| Failure::Refused {
            kind: "io".to_owned(),
            message: format!(
                "cannot read the state secret file {} ({e}): check the path and the permissions",
                secret.display()
            ),
        })?;
        while bytes.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            bytes.pop();
        }
        // A day given on the command line never moves the installation's guards.
        builder = builder.state_file(path, bytes).state_read_only(date.is_some());
    }
    let verifier = builder.build().map_err(|e| match e {
        // The builder refuses only its configuration: here, the command line.
        Error::Config(_) => Failure::Usage(e.to_string()),
        other => Failure::from(other),
    })?;
    for list in &args.revocation_lists {
        verifier.ingest_revocation_file_at(list, now)?;
    }
    let v = match &args.file {
        Some(path) => verifier.verify_file_at(path, now)?,
        None => {
            let codes: Vec<&str> = args.codes.iter().map(String::as_str).collect();
            verifier.verify_texts_at(&codes, now)?
        }
    };
    Ok((v, names))
}

fn opt_date(d: Option<Date>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

fn last_day(d: Option<Date>) -> Value {
    opt_date(d.map(|d| d.saturating_add_days(-1)))
}

/// The JSON of a verified code (`errors` is empty).
pub fn verification_json(v: &Verification, names: &Names, coverage_checked: bool) -> Value {
    let l = v.license();
    let release = match (coverage_checked, v.release()) {
        (false, _) => json!({"release": "not-checked"}),
        (true, Release::Covered) => json!({"release": "covered"}),
        (true, Release::NotCovered { maintenance_ended }) => {
            json!({"release": "not-covered", "maintenance_ended": maintenance_ended.to_string()})
        }
    };
    let usable_modules: Vec<String> = if v.is_usable() {
        names.modules(l)
    } else {
        Vec::new()
    };
    json!({
        "usable": v.is_usable(),
        "status": status_word(v),
        "status_words": describe_status(&v.status()),
        "status_detail": status_detail(v),
        "release": release,
        "allowed_now": {
            "named_users": v.named_users(),
            "concurrent_seats": v.concurrent_seats(),
            "modules": usable_modules,
        },
        "license": {
            "license_id": l.license_id,
            "revision": l.revision,
            "key_id": v.verified().key_id(),
            "kind": l.kind.to_string(),
            "line": l.line.get(),
            "line_name": names.line(l),
            "named_users": l.named_users,
            "concurrent_seats": l.concurrent_seats,
            "demo_seats": l.demo_seats,
            "modules": names.modules(l),
            "all_modules": l.modules.is_all(),
            "issued": l.issued.to_string(),
            "valid_from": l.valid_from.to_string(),
            "expires": opt_date(l.expires),
            "last_day": last_day(l.expires),
            "grace_days": l.grace_days,
            "maintenance_ends": opt_date(l.maintenance_ends),
            "maintenance_last_day": last_day(l.maintenance_ends),
            "database_bound": l.binding.database,
            "machine_bound": l.binding.machine.is_some(),
        },
        "scheduled": v.pending_change().map(|p| json!({"revision": p.revision, "starts": p.starts.to_string()})),
        "issuer": v.issuer().map(|i| json!({
            "reseller": i.reseller().name,
            "serial": i.reseller().serial,
            "chain": i.chain().iter().map(|r| json!({"name": r.name, "serial": r.serial})).collect::<Vec<_>>(),
        })),
        "revocation_list": v.revocation_list().map(|r| json!({
            "sequence": r.sequence,
            "issued": r.issued.to_string(),
            "expires": r.expires.to_string(),
            "entries": r.entries,
            "current": v.today() < r.expires,
        })),
        "day": v.today().to_string(),
        "first_run": v.first_run(),
        "errors": [],
    })
}

/// The status as signed into the JSON by `license-core`: `{"status": "in-grace",
/// "expired": "2027-01-01", "days_left": 3}`.
fn status_detail(v: &Verification) -> Value {
    serde_json::to_value(v.status()).unwrap_or(Value::Null)
}

/// The JSON of a refusal: `usable: false`, no status, one error.
pub fn refusal_json(kind: &str, message: &str) -> Value {
    json!({
        "usable": false,
        "status": Value::Null,
        "errors": [{"kind": kind, "message": message}],
    })
}

/// The text of a verified code: the verdict, the scope and what is allowed now.
pub fn verification_text(v: &Verification, names: &Names, coverage_checked: bool) -> String {
    let mut s = String::new();
    let l = v.license();
    let verdict = if v.is_usable() {
        "USABLE now"
    } else {
        "GENUINE but NOT usable now"
    };
    let _ = writeln!(
        s,
        "{verdict}: license {} revision {}, signed by key {:#04x}.",
        l.license_id,
        l.revision,
        v.verified().key_id()
    );
    let _ = writeln!(s, "Product line:     {}", names.line(l));
    let _ = write!(
        s,
        "{}",
        describe_scope(l, &names.modules).with_lines(&names.lines)
    );
    let _ = writeln!(s, "Status:           {}", describe_status(&v.status()));
    let _ = match (coverage_checked, v.release()) {
        (false, _) => writeln!(
            s,
            "This release:     coverage not checked (give the release's build date to check it)"
        ),
        (true, Release::Covered) => writeln!(s, "This release:     covered by maintenance"),
        (true, Release::NotCovered { maintenance_ended }) => writeln!(
            s,
            "This release:     NOT covered: maintenance ended on {maintenance_ended}; use a release built before that day, or renew maintenance"
        ),
    };
    let count = |n: Option<u32>, one: &str, many: &str| match n {
        None => format!("unlimited {many}"),
        Some(1) => format!("1 {one}"),
        Some(n) => format!("{n} {many}"),
    };
    let modules = if v.is_usable() {
        names.modules(l)
    } else {
        Vec::new()
    };
    let _ = writeln!(
        s,
        "Allowed now:      {}, {}; modules: {}",
        count(v.named_users(), "named user", "named users"),
        count(v.concurrent_seats(), "concurrent seat", "concurrent seats"),
        if modules.is_empty() {
            "none".to_owned()
        } else {
            modules.join(", ")
        }
    );
    if let Some(m) = v.machine_match() {
        let _ = writeln!(s, "This machine:     matches ({})", m.matched);
    }
    if let Some(p) = v.pending_change() {
        let _ = writeln!(
            s,
            "Scheduled:        revision {} takes effect on {}; it replaces this code that day",
            p.revision, p.starts
        );
    }
    if let Some(i) = v.issuer() {
        // The signing reseller first, then who certified it, up to the vendor.
        let chain: Vec<String> = i
            .chain()
            .iter()
            .rev()
            .map(|r| format!("{} (certificate {})", r.name, r.serial))
            .collect();
        let _ = writeln!(
            s,
            "Issued by:        reseller {}, certified by the vendor",
            chain.join(", certified by ")
        );
    }
    if v.first_run() {
        let _ = writeln!(s, "{}", license_verify::FIRST_RUN_LINE);
    }
    if let Some(r) = v.revocation_list() {
        let _ = write!(
            s,
            "Revocation list:  number {}, {}",
            r.sequence,
            license_verify::license_core::words::plural(r.entries as u64, "entry", "entries")
        );
        let _ = if v.today() >= r.expires {
            writeln!(s, ", out of date since {}: install a current list", r.expires)
        } else {
            writeln!(s, ", current to {} inclusive", r.expires.saturating_add_days(-1))
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_kebab_case_names() {
        assert_eq!(kebab("WrongLicensee"), "wrong-licensee");
        assert_eq!(kebab("Typo { group: 2 }"), "typo");
        assert_eq!(kebab("Code(BadSignature)"), "code");
        assert_eq!(
            error_kind(&Error::Code(license_verify::license_core::Error::BadSignature)),
            "bad-signature"
        );
        assert_eq!(
            error_kind(&Error::Revoked {
                license_id: 1,
                revision: 1,
                list_sequence: 2
            }),
            "revoked"
        );
    }

    #[test]
    fn keys_are_64_hex_digits() {
        assert!(parse_key("ab").unwrap_err().contains("64 hex digits"));
        assert!(parse_key(&"g".repeat(64)).unwrap_err().contains("hex digits"));
    }

    #[test]
    fn refusals_have_no_status_and_one_error() {
        let v = refusal_json("usage", "give the product id");
        assert_eq!(v["usable"], false);
        assert!(v["status"].is_null());
        assert_eq!(v["errors"][0]["kind"], "usage");
    }
}
