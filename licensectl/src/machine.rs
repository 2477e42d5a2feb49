//! Commands that need this machine, built on `license-verify`: `verify` (as the host
//! application would), `fingerprint` and `demo`.

use crate::output::{out, outln};
use std::fmt;

use license_core::{Date, ErrorKind, Kind, PublicKey, Status};
use license_issue::{
    BindTo, Catalog, Catalogs, Customer, Error, Issuer, KeyRing, MemoryLedger, NewLicense, Scope, VendorKey,
    parse_hex32,
};
use license_verify::fingerprint::{CollectedFingerprint, DEFAULT_TOLERANCE, Outcome};
use license_verify::{Utc, Verification, Verifier};
use serde_json::json;

use crate::VerifyArgs;
use crate::home::Home;
use crate::output;

/// An error of either side, or of the command line, with its exit code.
#[derive(Debug)]
pub enum Failure {
    /// From `license-issue` (keys, catalog, ledger, rules).
    Issue(Error),
    /// From `license-verify` (the code, this installation, the guards).
    Verify(license_verify::Error),
    /// A command line that lacks what the command needs (exit code 2).
    Usage(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Issue(e)
    }
}

impl From<license_core::Error> for Failure {
    fn from(e: license_core::Error) -> Self {
        Failure::Issue(Error::Core(e))
    }
}

impl From<license_verify::Error> for Failure {
    fn from(e: license_verify::Error) -> Self {
        Failure::Verify(e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Said with the command in the sentence, where the library says "rotate".
            Failure::Issue(Error::KeyFileMissing { path, id }) => write!(
                f,
                "the key ring lists key {id:#04x}, but its key file {} is missing: restore the file from your backup, \
                 or run `licensectl keygen --rotate` to start signing with a new key (codes signed with the lost key keep verifying)",
                path.display()
            ),
            Failure::Issue(e) => match hint(e) {
                Some(h) => write!(f, "{e} ({h})"),
                None => e.fmt(f),
            },
            Failure::Verify(e) => e.fmt(f),
            Failure::Usage(what) => f.write_str(what),
        }
    }
}

impl Failure {
    /// 1 invalid code, 2 usage, 3 files and corrupt data (see `main.rs`).
    pub fn exit_code(&self) -> u8 {
        use license_verify::Error as V;
        match self {
            Failure::Issue(e) => e.class().exit_code(),
            Failure::Usage(_) => 2,
            Failure::Verify(V::Code(e)) if e.kind() == ErrorKind::Usage => 2,
            Failure::Verify(V::Config(_)) => 2,
            Failure::Verify(e) if e.is_state_error() => 3,
            Failure::Verify(V::Io { .. } | V::NotText { .. }) => 3,
            Failure::Verify(_) => 1,
        }
    }
}

/// What to type: the library's messages say what to do in words, the tool adds its
/// commands and options.
fn hint(e: &Error) -> Option<String> {
    Some(match e {
        Error::KeyMissing { .. } => {
            "run `licensectl keygen` first, or point --home at your licensing directory".into()
        }
        Error::KeyExists { .. } => "use `licensectl keygen --rotate`".into(),
        Error::Catalog { .. } => {
            "`licensectl catalog --print-demo` prints a commented example; --catalog uses another file".into()
        }
        Error::UnknownLicense { .. } => "`licensectl report issued` lists them".into(),
        Error::ReductionPending { license_id, .. } => format!("`licensectl reduce {license_id} --withdraw`"),
        Error::NextTermPending { license_id, .. }
        | Error::NoPendingReduction { license_id }
        | Error::WithdrawalTooLate { license_id, .. }
        | Error::ReducesNothing { license_id } => format!("`licensectl upgrade {license_id}`"),
        Error::ChangeReduces { license_id, .. } => format!("`licensectl reduce {license_id}`"),
        Error::Io { .. } => "or point --home at your licensing directory".into(),
        Error::LedgerTorn(_) => "run `licensectl ledger repair`".into(),
        Error::LicenseIdsExhausted => "issue new licenses from a new licensing directory (--home)".into(),
        _ => return None,
    })
}

/// The moment a command acts at: `--date` at noon UTC, else the system clock.
fn moment(date: Option<Date>) -> Utc {
    match date {
        Some(d) => Utc(Utc::start_of(d).0 + 12 * 3600),
        None => Utc::now(),
    }
}

/// Module names by bit, for the verifier (index = module number).
fn module_names(catalog: &Catalog) -> Vec<String> {
    let modules = catalog.modules();
    let top = modules
        .iter()
        .map(|&(_, b)| usize::from(b) + 1)
        .max()
        .unwrap_or(0);
    let mut names = vec![String::new(); top];
    for (n, b) in modules {
        names[usize::from(b)] = n.to_owned();
    }
    names
}

fn verification_json(v: &Verification, catalog: Option<&Catalog>) -> serde_json::Value {
    json!({
        "valid": true,
        "usable": v.is_usable(),
        "status": v.status(),
        "status_words": license_verify::describe_status(&v.status()),
        "release": v.release(),
        "named_users": v.named_users(),
        "concurrent_seats": v.concurrent_seats(),
        "scope": Scope::new(v.license(), catalog),
        "machine": v.machine_match().map(|m| json!({
            "matched": m.matched.to_string(),
            "changed": m.changed.to_string(),
            "unknown": m.unknown.to_string(),
            "tolerance": m.tolerance,
        })),
    })
}

/// `licensectl verify`: the code against this machine, as the host application would.
pub fn verify(home: &Home, a: &VerifyArgs, date: Option<Date>, json: bool) -> Result<u8, Failure> {
    let now = moment(date);
    let keys: Vec<PublicKey> = match &a.public_key {
        Some(hex) => {
            let bytes = parse_hex32(hex)
                .ok_or_else(|| Failure::Usage("--public-key must be 64 hex digits".into()))?;
            vec![PublicKey::from_bytes(&bytes).map_err(Error::from)?]
        }
        None => KeyRing::open(&home.keys())?.public_keys(),
    };
    // A broken catalog is reported, not silently replaced by none (module names would
    // be missing from the check).
    let catalogs = home.catalogs()?;
    let product = match (&a.product, catalogs.only()) {
        (Some(p), _) => p.clone(),
        (None, Some(c)) => c.product().to_owned(),
        (None, None) => return Err(Failure::Usage("give the product id with --product".into())),
    };
    let catalog = catalogs.get(&product).ok();
    let mut builder = Verifier::builder(keys, &product, now.date())
        .licensee(&a.licensee)
        .fingerprint_app_key(product.as_bytes().to_vec());
    if let Some(c) = catalog {
        builder = builder.modules(module_names(c));
    }
    if let Some(db) = &a.database {
        builder = builder.database(db);
    }
    let verifier = builder.build()?;
    let v = verifier.verify_text_at(&a.code, now)?;
    if json {
        output::json(&verification_json(&v, catalog))?;
    } else {
        outln!(
            "VALID on this machine: signed by key {:#04x}.",
            v.verified().key_id()
        );
        if let Some(c) = catalog {
            outln!("Product line:     {}", c.line_name(v.line()));
        }
        out!("{v}");
    }
    Ok(if v.is_usable() { 0 } else { 1 })
}

/// `licensectl fingerprint`: this machine's fingerprint, per component.
pub fn fingerprint(product: &str, json: bool) -> Result<u8, Failure> {
    let collected = license_verify::fingerprint::collect(product.as_bytes());
    if json {
        output::json(&fingerprint_json(&collected))?;
    } else {
        out!("{collected}");
    }
    Ok(0)
}

fn fingerprint_json(c: &CollectedFingerprint) -> serde_json::Value {
    let components: Vec<_> = c
        .reports()
        .iter()
        .map(|r| {
            let outcome = match &r.outcome {
                Outcome::Read { source, values } => json!({"read": source, "values": values}),
                Outcome::Unknown(why) => json!({"unknown": why.to_string()}),
                other => json!({"other": format!("{other:?}")}),
            };
            json!({"component": r.component.name(), "outcome": outcome})
        })
        .collect();
    json!({
        "fingerprint": c.binding(DEFAULT_TOLERANCE).ok().map(|b| b.to_string()),
        "components": components,
    })
}

/// The database code the demo falls back to where no machine component can be read.
const DEMO_DATABASE: &str = "DEMO-DB-0001";

/// `licensectl demo`: the reference license for this machine, with the built-in demo
/// catalog and a throwaway key, verified through license-verify.
pub fn demo(date: Option<Date>, json: bool) -> Result<u8, Failure> {
    let now = moment(date);
    let today = now.date();
    let catalog = Catalog::demo()?;
    let product = catalog.product().to_owned();
    let key = VendorKey::generate()?;
    let public = key.public_key();
    let collected = license_verify::fingerprint::collect(product.as_bytes());
    let (bind, note) = match collected.binding(catalog.defaults.machine_tolerance) {
        Ok(b) => (BindTo::machine(b), None),
        Err(_) => (
            BindTo::database(DEMO_DATABASE),
            Some(format!(
                "no component of this machine's fingerprint could be read (a bare container?), so the demo binds to the database code {DEMO_DATABASE} instead"
            )),
        ),
    };
    let mut catalogs = Catalogs::new();
    catalogs.insert(catalog.clone());
    let mut issuer = Issuer::new(catalogs, key, MemoryLedger::new());
    let mut order = NewLicense::new(&product, Kind::Subscription, Customer::new("ACME Corp"));
    order.line = Some("expert".into());
    order.named_users = Some(25);
    order.concurrent_seats = Some(10);
    order.demo_seats = Some(2);
    order.grace_days = Some(14);
    order.modules = ["crm", "budget", "planning", "bi"].map(String::from).to_vec();
    order.bind = bind.clone();
    let issued = issuer.issue(&order, today)?;

    let mut builder = Verifier::builder(vec![public], &product, today)
        .licensee("ACME Corp")
        .fingerprint_app_key(product.as_bytes().to_vec())
        .modules(module_names(&catalog));
    if let Some(db) = &bind.database {
        builder = builder.database(db);
    }
    let v = builder.build()?.verify_text_at(&issued.code, now)?;

    if json {
        output::json(&json!({
            "key_id": format!("{:02x}", public.id()),
            "public_key": hex::encode(public.to_bytes()),
            "machine": fingerprint_json(&collected),
            "note": note,
            "code": issued.code,
            "verification": verification_json(&v, Some(&catalog)),
        }))?;
        return Ok(if v.is_usable() { 0 } else { 1 });
    }
    outln!("licensectl demo: the reference license for this machine");
    outln!("(built-in catalog {product}, a throwaway signing key that is not saved)");
    outln!();
    outln!("1. The vendor's key");
    output::rows(&[
        ("key id", format!("{:#04x}", public.id())),
        ("public key", hex::encode(public.to_bytes())),
    ]);
    outln!();
    outln!("2. This machine, as the customer's installation collects it");
    for line in collected.to_string().lines() {
        outln!("  {line}");
    }
    if let Some(n) = &note {
        outln!("  Note: {n}.");
    }
    outln!();
    outln!(
        "3. The code the vendor issues: a {}-month Expert subscription for ACME Corp",
        catalog.defaults.subscription_months
    );
    outln!();
    outln!("    {}", issued.code);
    outln!();
    outln!(
        "   {} characters; license {}, revision {}.",
        issued.code.chars().filter(|c| *c != '-').count(),
        issued.license.license_id,
        issued.license.revision
    );
    outln!();
    outln!("4. Verified on this machine through license-verify: what it grants");
    outln!("  Product line:     {}", catalog.line_name(v.line()));
    for line in v.to_string().lines() {
        outln!("  {line}");
    }
    outln!();
    let ok = v.is_usable() && matches!(v.status(), Status::Valid | Status::ExpiringSoon { .. });
    outln!(
        "{}",
        if ok {
            "The license is valid here. Next: `licensectl keygen`, `licensectl catalog --init-demo`, `licensectl issue ...`."
        } else {
            "The license did not come out usable here: see the status above."
        }
    );
    Ok(if ok { 0 } else { 1 })
}
