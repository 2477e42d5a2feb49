//! The license dialog of a host application, as `docs/INTEGRATION.md` describes it: show
//! this installation's database code and machine fingerprint, accept a pasted code or a
//! file, show what it grants, explain each refusal with what to do, and let the user try
//! again. Text in, text out, so that it runs in a terminal (and in the test,
//! `tests/license_dialog.rs`, which drives it through its input).
//!
//! Run: `cargo run -p license-verify --example license_dialog -- <data-dir> "ACME Corp"`
//! (the data directory stands for the application's database and its state directory).

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use license_verify::license_core::{DatabaseCode, Date, PublicKey};
use license_verify::{Error, Verification, Verifier, fingerprint, new_database_code};

/// Pasted from `licensectl catalog export --format rust`: the product, the module names
/// in number order, and the vendor's public keys (this one is the `licensectl demo` key).
mod catalog {
    pub const PRODUCT: &str = "demo-erp";
    pub const MODULES: [&str; 6] = ["crm", "budget", "planning", "bi", "documents", "api"];
    pub const VENDOR_PUBLIC_KEYS: [[u8; 32]; 1] = [[
        0xea, 0x4a, 0x6c, 0x63, 0xe2, 0x9c, 0x52, 0x0a, 0xbe, 0xf5, 0x50, 0x7b, 0x13, 0x2e, 0xc5, 0xf9, 0x95,
        0x47, 0x76, 0xae, 0xbe, 0xbe, 0x7b, 0x92, 0x42, 0x1e, 0xea, 0x69, 0x14, 0x46, 0xd2, 0x2c,
    ]];
}

/// The day this release was built: maintenance must cover it.
const BUILD_DATE: (u16, u8, u8) = (2026, 11, 1);
/// The state file's integrity key: fixed per application, at least 16 bytes.
const STATE_SECRET: &[u8] = b"demo-erp state file key, v1";

/// What the dialog needs from the application.
pub struct Setup {
    /// The vendor's public keys.
    pub keys: Vec<PublicKey>,
    /// The licensee name the installation was registered with.
    pub licensee: String,
    /// Where the application keeps its data (here: the database code, the license file
    /// and the state file).
    pub data_dir: PathBuf,
}

/// This installation's database code: created once and kept with the application's data
/// (a real application stores it in its own database, in a settings table).
pub fn installation_database_code(data_dir: &Path) -> io::Result<DatabaseCode> {
    let path = data_dir.join("database-code");
    match std::fs::read_to_string(&path) {
        Ok(text) => DatabaseCode::parse(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A new installation: its data directory may not exist yet.
            std::fs::create_dir_all(data_dir).map_err(|e| naming(data_dir, e))?;
            let code = new_database_code()?;
            std::fs::write(&path, code.to_string()).map_err(|e| naming(&path, e))?;
            Ok(code)
        }
        Err(e) => Err(naming(&path, e)),
    }
}

/// An I/O error that names the file or directory it is about.
fn naming(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// What the user should do after a refusal, beyond the error's own message.
fn advice(e: &Error, database: &DatabaseCode, fingerprint: &str) -> String {
    use license_verify::license_core::Error as Code;
    match e {
        Error::Code(Code::WrongDatabase | Code::DatabaseCodeRequired) => {
            format!("Send this installation's database code to the vendor: {database}")
        }
        Error::Code(Code::WrongMachine(_) | Code::MachineFingerprintRequired) => {
            format!("Send this machine's fingerprint to the vendor: {fingerprint}")
        }
        Error::Code(
            Code::Typo { .. } | Code::TypoUnlocated | Code::InvalidCharacter { .. } | Code::TooShort,
        ) => "Paste the code again, or the file the vendor sent.".to_owned(),
        Error::ClockTurnedBack { .. } => "Correct the system clock, then try again.".to_owned(),
        Error::StateCorrupt { .. } | Error::StateUnreadable { .. } => {
            "Ask your administrator to restore the license state file or reset it with the vendor's help."
                .to_owned()
        }
        _ => "If this persists, contact the vendor with the message above.".to_owned(),
    }
}

/// Show what a verified code grants.
fn show(out: &mut impl Write, v: &Verification) -> io::Result<()> {
    writeln!(out, "License accepted.")?;
    write!(out, "{v}")?;
    if !v.is_usable() {
        writeln!(
            out,
            "The license is genuine but does not allow use now (see above)."
        )?;
    }
    Ok(())
}

/// The dialog: returns the accepted verification, or `None` when the user gives up
/// (an empty line or the end of the input).
pub fn dialog(
    setup: &Setup,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> io::Result<Option<Verification>> {
    let database = installation_database_code(&setup.data_dir)?;
    let collected = fingerprint::collect(catalog::PRODUCT.as_bytes());
    let fingerprint = collected.binding(fingerprint::DEFAULT_TOLERANCE).map_or_else(
        |_| "(none: ask for a code bound to the database)".to_owned(),
        |b| b.to_string(),
    );
    let (y, m, d) = BUILD_DATE;
    let build = Date::from_ymd(y, m, d).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let verifier = Verifier::builder(setup.keys.clone(), catalog::PRODUCT, build)
        .licensee(&setup.licensee)
        .database(database.to_string())
        .modules(catalog::MODULES)
        .state_file(setup.data_dir.join("license.state"), STATE_SECRET)
        .build()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let license_file = setup.data_dir.join("license.txt");

    writeln!(out, "License for {} ({})", catalog::PRODUCT, setup.licensee)?;
    writeln!(out, "  Database code:       {database}")?;
    writeln!(out, "  Machine fingerprint: {fingerprint}")?;
    if license_file.exists() {
        match verifier.verify_file(&license_file) {
            Ok(v) if v.is_usable() => {
                show(out, &v)?;
                return Ok(Some(v));
            }
            Ok(v) => show(out, &v)?,
            Err(e) => writeln!(out, "The installed license is refused: {e}")?,
        }
    }
    loop {
        writeln!(
            out,
            "Paste the license code, or the path of the file holding it (empty line: cancel):"
        )?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 || line.trim().is_empty() {
            writeln!(out, "No license entered.")?;
            return Ok(None);
        }
        let entered = line.trim();
        let text = match std::fs::read_to_string(entered) {
            Ok(file_text) => file_text,
            Err(_) => entered.to_owned(),
        };
        match verifier.verify_text(&text) {
            Ok(v) => {
                // Never replace a usable license with one that does not allow use today.
                if v.is_usable() || verifier.verify_file(&license_file).is_err() {
                    std::fs::write(&license_file, text.trim())?;
                }
                show(out, &v)?;
                return Ok(Some(v));
            }
            Err(e) => {
                writeln!(out, "Refused: {e}")?;
                writeln!(out, "{}", advice(&e, &database, &fingerprint))?;
            }
        }
    }
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), Some(licensee)) = (args.next(), args.next()) else {
        eprintln!("usage: license_dialog <data-dir> <licensee>");
        return std::process::ExitCode::from(2);
    };
    let keys = catalog::VENDOR_PUBLIC_KEYS
        .iter()
        .filter_map(|k| PublicKey::from_bytes(k).ok())
        .collect();
    let setup = Setup {
        keys,
        licensee: licensee.to_string_lossy().into_owned(),
        data_dir: PathBuf::from(dir),
    };
    match dialog(&setup, &mut io::stdin().lock(), &mut io::stdout().lock()) {
        Ok(Some(v)) if v.is_usable() => std::process::ExitCode::SUCCESS,
        Ok(_) => std::process::ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(3)
        }
    }
}
