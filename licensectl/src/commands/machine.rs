//! Commands that need this machine, built on `license-verify`: `verify` (as the host
//! application would), `fingerprint` and `demo`.

use crate::output::{out, outln};

use license_core::{Date, Kind, Status};
use license_issue::{
    BindTo, Catalog, Catalogs, Customer, Issuer, MemoryLedger, NewLicense, ToleranceChoice, VendorKey,
};
use license_verify::fingerprint::{CollectedFingerprint, DEFAULT_TOLERANCE, Outcome};
use license_verify::{Utc, Verifier};
use serde_json::json;

use crate::failure::Failure;
use crate::home::Home;
use crate::output;

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

/// Line names by number (index = line number).
fn line_names(catalog: &Catalog) -> Vec<String> {
    let lines = catalog.lines();
    let top = lines.iter().map(|&(_, n)| usize::from(n) + 1).max().unwrap_or(0);
    let mut names: Vec<String> = (0..top).map(|n| format!("line {n}")).collect();
    for (n, b) in lines {
        names[usize::from(b)] = n.to_owned();
    }
    names
}

fn names(catalog: &Catalog) -> verify_cli::Names {
    verify_cli::Names {
        modules: module_names(catalog),
        lines: line_names(catalog),
    }
}

/// `licensectl verify`: the code against this machine, as the host application would,
/// through the toolkit's one verifying command line (`verify-cli`, the same as
/// `license-check verify`). The key ring (when no `--key` is given), the only catalog's
/// product and the catalog's module and line names fill what the command line leaves out.
pub fn verify(
    home: &Home,
    a: &verify_cli::VerifyArgs,
    date: Option<Date>,
    json: bool,
) -> Result<u8, Failure> {
    // A broken catalog is reported, not silently replaced by none (module names would
    // be missing from the check).
    let catalogs = home.catalogs()?;
    let product = a
        .product
        .clone()
        .or_else(|| catalogs.only().map(|c| c.product().to_owned()));
    let catalog = product.as_deref().and_then(|p| catalogs.get(p).ok());
    let keys = if a.keys.is_empty() && (home.keys().exists() || home.is_reseller()) {
        home.vendor_keys()?
    } else {
        Vec::new()
    };
    let names = catalog.map(names).unwrap_or_default();
    let defaults = verify_cli::Defaults {
        keys,
        product,
        modules: names.modules,
        lines: names.lines,
    };
    let o = verify_cli::run(a, date, json, &defaults);
    out!("{}", o.stdout);
    if !o.stderr.is_empty() {
        eprint!("{}", o.stderr);
    }
    Ok(o.exit)
}

/// `licensectl fingerprint`: this machine's fingerprint, per component.
/// `fingerprint`: this machine's fingerprint keyed for a product, as `issue` picks it:
/// `--product`, else the only catalog's product (the demo product when there is none),
/// with the catalog's machine tolerance; says which product keyed it.
/// `licensectl fingerprint`: run as root, what only root reads is left out unless `as_root`
/// (the same choice as `license-check fingerprint`, through `verify_cli::fingerprint`).
pub fn fingerprint(
    home: &crate::home::Home,
    product: Option<&str>,
    as_root: bool,
    json: bool,
) -> Result<u8, Failure> {
    let catalogs = home.catalogs()?;
    let (product, catalog, why) = match product {
        Some(p) => (p.to_owned(), catalogs.get(p).ok().cloned(), "--product"),
        None if catalogs.iter().next().is_none() => {
            let demo = Catalog::demo()?;
            (
                demo.product().to_owned(),
                Some(demo),
                "no catalog in the licensing directory: the demo product",
            )
        }
        None => {
            let c = crate::commands::shared::pick_catalog(&catalogs, None)?;
            (c.product().to_owned(), Some(c.clone()), "the only catalog")
        }
    };
    let (collected, root_only) = verify_cli::fingerprint::for_the_product(
        license_verify::fingerprint::collect(product.as_bytes()),
        as_root,
    );
    let default = catalog
        .as_ref()
        .map_or(DEFAULT_TOLERANCE, |c| c.defaults.machine_tolerance);
    let choice = ToleranceChoice::with_default(None, default, collected.fingerprint().known().len());
    if json {
        let mut v = fingerprint_json(&collected, choice.applied);
        v["product"] = json!(product);
        v["app_key"] = json!(product);
        v["tolerance"] = json!({"applied": choice.applied, "asked": choice.asked, "capped": choice.capped(), "why": choice.to_string()});
        v["root_only"] = json!({"components": root_only.components().to_string(), "what": root_only.word()});
        output::json(&v)?;
    } else {
        out!("{}", collected.describe(choice.applied));
        outln!("Keyed for product {product} ({why}; the app key is the product id).");
        outln!("Tolerance: {choice}.");
        if root_only != verify_cli::fingerprint::RootOnly::None {
            outln!("{root_only}");
        }
    }
    Ok(0)
}

fn fingerprint_json(c: &CollectedFingerprint, tolerance: u8) -> serde_json::Value {
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
        "fingerprint": c.binding(tolerance).ok().map(|b| b.to_string()),
        "components": components,
    })
}

/// The database code the demo falls back to where no machine component can be read.
const DEMO_DATABASE: &str = "DB-0BPBY-9319G-CCN5V-6VBBT";

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
            "machine": fingerprint_json(&collected, catalog.defaults.machine_tolerance),
            "note": note,
            "code": issued.code,
            "verification": verify_cli::verification_json(&v, &names(&catalog), false),
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
    for line in verify_cli::verification_text(&v, &names(&catalog), false).lines() {
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
