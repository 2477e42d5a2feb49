//! The commands: parse arguments into library calls, print the outcome.

use crate::output::{out, outln};
use license_core::{
    Component, ComponentSet, Context, Kind, License, MachineBinding, MachineFingerprint, PublicKey,
    UntrustedCode,
};
use license_issue::{
    BindTo, Catalog, Catalogs, Change, Customer, DEMO_CATALOG, Error, FileLedger, Issued, KeyRing, Ledger,
    MaintenanceKind, Month, NewLicense, PublicKeyFormat, Scope, Term, Unbind, describe, export_public_keys,
    parse_hex32,
};
use serde::Serialize;
use serde_json::json;

use crate::home::{Home, system_today, write_new};
use crate::machine::Failure;
use crate::output;
use crate::{
    BindArgs, ChangeArgs, Cli, Command, InspectArgs, IssueArgs, KeyFormat, KindArg, LedgerCommand,
    ReportCommand,
};

/// Run one command; the exit code on success (1 = a code that is not valid).
pub fn run(cli: &Cli) -> Result<u8, Failure> {
    let home = Home {
        dir: cli.home.clone(),
        catalog_file: cli.catalog.clone(),
    };
    let today = cli.date.unwrap_or_else(system_today);
    let json = cli.json;
    let vendor: Result<u8, Error> = match &cli.command {
        Command::Keygen { rotate } => keygen(&home, *rotate, today, json),
        Command::Pubkey { format } => pubkey(&home, *format, json),
        Command::Catalog {
            init_demo,
            print_demo,
            product,
        } => catalog(&home, *init_demo, *print_demo, product.as_deref(), json),
        Command::Issue(args) => issue(&home, args, today, json),
        Command::Upgrade { license_id, change } => {
            let mut issuer = home.issuer()?;
            let product = issuer.history(*license_id)?.product;
            let c = to_change(change, &[]);
            let out = issuer.upgrade(*license_id, &c, today)?;
            let catalog = issuer.catalogs().get(&product)?;
            print_reissued(&out.now, out.next_term.as_ref(), catalog, json)
        }
        Command::Reduce {
            license_id,
            change,
            remove_modules,
            withdraw,
        } => reduce(&home, *license_id, change, remove_modules, *withdraw, today, json),
        Command::Renew { license_id, due } => renew(&home, *license_id, *due, today, json),
        Command::Cancel { license_id } => {
            let mut issuer = home.issuer()?;
            let term_ends = issuer
                .history(*license_id)?
                .latest()
                .and_then(|r| r.license.expires);
            let ends = issuer.cancel(*license_id, today)?;
            let last_day = ends.saturating_add_days(-1);
            // Ordered after the notice deadline: the subscription renews once more.
            let renews_once_more = term_ends.is_some_and(|t| ends > t);
            if json {
                output::json(&json!({
                    "license_id": license_id, "cancelled": today, "ends": ends, "last_day": last_day,
                    "renews_once_more": renews_once_more,
                }))?;
            } else if let (true, Some(t)) = (renews_once_more, term_ends) {
                outln!(
                    "License {license_id} cancelled on {today}, after the notice deadline for the term ending {t}: \
                     it renews once more (`renew` issues that term's code) and ends after that; usable until {last_day} (last day)."
                );
            } else {
                outln!(
                    "License {license_id} cancelled on {today}: no further renewal; usable until {last_day} (last day)."
                );
            }
            Ok(0)
        }
        Command::Revoke {
            license_id,
            reason,
            list,
            valid_days,
            product,
        } => revoke(
            &home,
            *license_id,
            reason.as_deref(),
            *list,
            *valid_days,
            product.as_deref(),
            today,
            json,
        ),
        Command::Maintenance { license_id, site } => {
            let mut issuer = home.issuer()?;
            let kind = if *site {
                MaintenanceKind::Site
            } else {
                MaintenanceKind::OneServer
            };
            let product = issuer.history(*license_id)?.product;
            let out = issuer.add_maintenance(*license_id, kind, today)?;
            let catalog = issuer.catalogs().get(&product)?;
            print_reissued(&out.now, out.next_term.as_ref(), catalog, json)
        }
        Command::Rehost {
            license_id,
            bind,
            unbind_database,
            unbind_machine,
            to,
            contact,
            customer_ref,
        } => {
            let mut issuer = home.issuer()?;
            let product = issuer.history(*license_id)?.product;
            let catalog = issuer.catalogs().get(&product)?.clone();
            let bind_to = bind_to(bind, &catalog)?;
            let unbind = Unbind {
                database: *unbind_database,
                machine: *unbind_machine,
            };
            let out = match to {
                Some(licensee) => {
                    let customer = Customer {
                        licensee: licensee.clone(),
                        contact: contact.clone(),
                        customer_ref: customer_ref.clone(),
                        reseller: None,
                    };
                    issuer.transfer(*license_id, customer, bind_to, unbind, today)?
                }
                None => {
                    if bind.database.is_none()
                        && bind.machine.is_none()
                        && !unbind.database
                        && !unbind.machine
                    {
                        return Err(Error::InvalidOrder(
                            "give the new binding (--database or --machine), the part to remove \
                             (--unbind-database, --unbind-machine) or a new licensee (--to)"
                                .into(),
                        )
                        .into());
                    }
                    issuer.rehost(*license_id, bind_to, unbind, today)?
                }
            };
            print_reissued(&out.now, out.next_term.as_ref(), &catalog, json)
        }
        Command::Inspect(args) => inspect(&home, args, today, json),
        Command::Show { license_id } => crate::show::show(&home, *license_id, today, json),
        Command::Verify(args) => return crate::machine::verify(&home, args, cli.date, json),
        Command::Fingerprint { product } => return crate::machine::fingerprint(product, json),
        Command::Demo => return crate::machine::demo(cli.date, json),
        Command::Report { report } => run_report(&home, report, today, json),
        Command::Ledger { action } => ledger(&home, action, json),
    };
    vendor.map_err(Failure::from)
}

fn keygen(home: &Home, rotate: bool, today: license_core::Date, json: bool) -> Result<u8, Error> {
    let dir = home.keys();
    let ring = if rotate {
        let mut ring = KeyRing::open(&dir)?;
        ring.rotate(today)?;
        ring
    } else {
        KeyRing::create(&dir, today)?
    };
    let entry = ring.current_entry().ok_or_else(|| Error::KeyRing {
        path: dir.clone(),
        reason: "no current key after generation".into(),
    })?;
    let hex = hex(&entry.public.to_bytes());
    let file = dir.join(&entry.file);
    if json {
        output::json(&json!({
            "key_id": format!("{:02x}", entry.id),
            "public_key": hex,
            "private_key_file": file,
            "keys_in_ring": ring.keys().len(),
        }))?;
    } else {
        outln!("Generated signing key {:#04x} (now the current key).", entry.id);
        output::rows(&[
            (
                "private key",
                format!(
                    "{} (PKCS#8 PEM, mode 0600; back it up, never share it)",
                    file.display()
                ),
            ),
            ("public key", hex),
            ("keys in ring", ring.keys().len().to_string()),
        ]);
        outln!("Embed the public keys in your product: licensectl pubkey --format rust|c|hex");
    }
    Ok(0)
}

fn pubkey(home: &Home, format: Option<KeyFormat>, json: bool) -> Result<u8, Error> {
    let ring = KeyRing::open(&home.keys())?;
    let keys = ring.public_keys();
    if let Some(f) = format {
        let f = match f {
            KeyFormat::Hex => PublicKeyFormat::Hex,
            KeyFormat::Rust => PublicKeyFormat::Rust,
            KeyFormat::C => PublicKeyFormat::C,
        };
        out!("{}", export_public_keys(&keys, f));
        return Ok(0);
    }
    let current = ring.current_entry().map(|e| e.id);
    if json {
        let list: Vec<_> = ring
            .keys()
            .iter()
            .map(|k| {
                json!({
                    "key_id": format!("{:02x}", k.id),
                    "public_key": hex(&k.public.to_bytes()),
                    "created": k.created,
                    "current": Some(k.id) == current,
                })
            })
            .collect();
        output::json(&list)?;
    } else {
        let body: Vec<Vec<String>> = ring
            .keys()
            .iter()
            .map(|k| {
                vec![
                    format!("{:02x}", k.id),
                    k.created.to_string(),
                    if Some(k.id) == current {
                        "yes".into()
                    } else {
                        String::new()
                    },
                    hex(&k.public.to_bytes()),
                ]
            })
            .collect();
        output::table(&["key id", "created", "current", "public key"], &body);
    }
    Ok(0)
}

fn catalog(
    home: &Home,
    init_demo: bool,
    print_demo: bool,
    product: Option<&str>,
    json: bool,
) -> Result<u8, Error> {
    if print_demo {
        out!("{DEMO_CATALOG}");
        return Ok(0);
    }
    if init_demo {
        let path = home.catalog_dir().join("demo-erp.toml");
        write_new(&path, DEMO_CATALOG.as_bytes())?;
        outln!("Installed the demo catalog as {}.", path.display());
        return Ok(0);
    }
    let catalogs = home.catalogs_required()?;
    let c = pick_catalog(&catalogs, product)?;
    if json {
        let modules: Vec<_> = c
            .modules()
            .into_iter()
            .map(|(n, b)| json!({"name": n, "bit": b}))
            .collect();
        let lines: Vec<_> = c
            .lines()
            .into_iter()
            .map(|(n, b)| json!({"name": n, "number": b}))
            .collect();
        output::json(&json!({"product": c.product(), "name": c.name(), "modules": modules, "lines": lines}))?;
        return Ok(0);
    }
    outln!(
        "Product {}{}",
        c.product(),
        c.name().map(|n| format!(" ({n})")).unwrap_or_default()
    );
    let body: Vec<Vec<String>> = c
        .modules()
        .into_iter()
        .map(|(n, b)| vec![n.to_owned(), b.to_string()])
        .collect();
    output::table(&["module", "bit"], &body);
    let body: Vec<Vec<String>> = c
        .lines()
        .into_iter()
        .map(|(n, b)| vec![n.to_owned(), b.to_string()])
        .collect();
    output::table(&["line", "number"], &body);
    let d = &c.defaults;
    output::rows(&[
        (
            "grace days",
            format!("{} (orders: at most {})", d.grace_days, d.max_grace_days),
        ),
        (
            "demo seats",
            format!("{} (orders: at most {})", d.demo_seats, d.max_demo_seats),
        ),
        ("subscription term", format!("{} months", d.subscription_months)),
        (
            "cancellation notice",
            match d.cancellation_notice_months {
                0 => "none (any day before the end)".to_owned(),
                n => format!("{n} months before the end"),
            },
        ),
        ("maintenance pack", format!("{} months", d.maintenance_months)),
        (
            "trial",
            format!(
                "{} days, {} users",
                c.trial.days,
                output::limit(c.trial.named_users)
            ),
        ),
    ]);
    Ok(0)
}

fn pick_catalog<'a>(catalogs: &'a Catalogs, product: Option<&str>) -> Result<&'a Catalog, Error> {
    match product {
        Some(p) => catalogs.get(p),
        None => catalogs.only().ok_or_else(|| {
            Error::InvalidOrder(format!(
                "several products have a catalog ({}): choose one with --product",
                catalogs.known()
            ))
        }),
    }
}

/// The binding an order asks for; the machine tolerance defaults to the catalog's.
fn bind_to(args: &BindArgs, catalog: &Catalog) -> Result<BindTo, Error> {
    let machine = match &args.machine {
        None => None,
        Some(text) => {
            let parsed = MachineBinding::parse(text).map_err(Error::Fingerprint)?;
            let tolerance = args.tolerance.unwrap_or(catalog.defaults.machine_tolerance);
            let components: ComponentSet = parsed.components();
            let mut digests = [0u8; 4];
            for c in components.iter() {
                digests[usize::from(c.index())] = parsed.digest(c).unwrap_or(0);
            }
            // As license-core's `MachineFingerprint::binding`: with few components, keep a
            // majority that must match (an explicit --tolerance is taken as given).
            let tolerance = if args.tolerance.is_some() {
                tolerance
            } else {
                tolerance.min(components.len().saturating_sub(1) / 2)
            };
            Some(MachineBinding::new(components, digests, tolerance).map_err(Error::Fingerprint)?)
        }
    };
    Ok(BindTo {
        database: args.database.clone(),
        machine,
    })
}

fn issue(home: &Home, a: &IssueArgs, today: license_core::Date, json: bool) -> Result<u8, Error> {
    let mut issuer = home.issuer()?;
    let catalog = pick_catalog(issuer.catalogs(), a.product.as_deref())?.clone();
    let kind = match a.kind {
        KindArg::Full => Kind::Full,
        KindArg::Trial => Kind::Trial,
        KindArg::Subscription => Kind::Subscription,
        KindArg::Nfr => Kind::Nfr,
    };
    let mut order = NewLicense::new(
        catalog.product(),
        kind,
        Customer {
            licensee: a.licensee.clone(),
            contact: a.contact.clone(),
            customer_ref: a.customer_ref.clone(),
            reseller: a.reseller.clone(),
        },
    );
    order.line = a.line.clone();
    order.named_users = a.users;
    order.concurrent_seats = a.seats;
    order.demo_seats = a.demo_seats;
    order.modules = a.modules.clone();
    order.valid_from = a.valid_from;
    order.term = match (a.months, a.days, a.until) {
        (Some(m), _, _) => Term::Months(m),
        (_, Some(d), _) => Term::Days(d),
        (_, _, Some(u)) => Term::Until(u),
        _ => Term::Default,
    };
    order.grace_days = a.grace_days;
    order.maintenance_months = a.maintenance_months;
    order.bind = bind_to(&a.bind, &catalog)?;
    let issued = issuer.issue(&order, today)?;
    print_reissued(&issued, None, &catalog, json)
}

fn to_change(c: &ChangeArgs, remove: &[String]) -> Change {
    Change {
        named_users: c.users,
        concurrent_seats: c.seats,
        add_modules: c.add_modules.clone(),
        remove_modules: remove.to_vec(),
        line: c.line.clone(),
    }
}

#[derive(Serialize)]
struct IssuedJson<'a> {
    operation: &'static str,
    product: &'a str,
    licensee: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'a str>,
    code: &'a str,
    scope: Scope,
}

fn issued_json<'a>(i: &'a Issued, catalog: &Catalog) -> IssuedJson<'a> {
    IssuedJson {
        operation: i.operation.name(),
        product: &i.product,
        licensee: &i.licensee,
        database: i.database.as_deref(),
        code: &i.code,
        scope: Scope::new(&i.license, Some(catalog)),
    }
}

fn print_issued(title: &str, i: &Issued, catalog: &Catalog) {
    outln!(
        "{title}: license {}, revision {} ({}) for {}{}",
        i.license.license_id,
        i.license.revision,
        i.operation.name(),
        i.licensee,
        i.database
            .as_deref()
            .map(|d| format!(", database {d}"))
            .unwrap_or_default()
    );
    outln!();
    outln!("    {}", i.code);
    outln!();
    output::rows(&describe(&i.license, Some(catalog), None));
}

fn print_reissued(now: &Issued, next: Option<&Issued>, catalog: &Catalog, json: bool) -> Result<u8, Error> {
    if json {
        match next {
            None => output::json(&issued_json(now, catalog))?,
            Some(n) => output::json(
                &json!({"now": issued_json(now, catalog), "next_term": issued_json(n, catalog)}),
            )?,
        }
        return Ok(0);
    }
    print_issued("Issued", now, catalog);
    if let Some(n) = next {
        outln!();
        let title = if n.operation == license_issue::Operation::Reduce {
            format!(
                "Pending reduction (from {}) re-issued with the same additions",
                n.license.valid_from
            )
        } else {
            "Next term re-issued with the same change".to_owned()
        };
        print_issued(&title, n, catalog);
    }
    Ok(0)
}

fn reduce(
    home: &Home,
    license_id: u32,
    change: &ChangeArgs,
    remove: &[String],
    withdraw: bool,
    today: license_core::Date,
    json: bool,
) -> Result<u8, Error> {
    let mut issuer = home.issuer()?;
    let product = issuer.history(license_id)?.product;
    let catalog = issuer.catalogs().get(&product)?.clone();
    if withdraw {
        let w = issuer.withdraw_reduction(license_id, today)?;
        if json {
            output::json(&issued_json(&w, &catalog))?;
        } else {
            print_issued("Reduction withdrawn; scope re-issued", &w, &catalog);
        }
        return Ok(0);
    }
    let r = issuer.reduce(license_id, &to_change(change, remove), today)?;
    if json {
        output::json(&json!({
            "effective": r.effective,
            "withdrawal_cutoff": r.cutoff,
            "immediate": r.immediate.as_ref().map(|i| issued_json(i, &catalog)),
            "scheduled": issued_json(&r.scheduled, &catalog),
        }))?;
        return Ok(0);
    }
    outln!(
        "Reduction ordered on {today}: effective {} (can be withdrawn until {}).",
        r.effective,
        r.cutoff
    );
    outln!();
    if let Some(i) = &r.immediate {
        print_issued(
            &format!("Additions, effective now until {}", r.effective),
            i,
            &catalog,
        );
        outln!();
    }
    print_issued(
        &format!("Reduced scope, valid from {}", r.effective),
        &r.scheduled,
        &catalog,
    );
    Ok(0)
}

fn renew(
    home: &Home,
    id: Option<u32>,
    due: bool,
    today: license_core::Date,
    json: bool,
) -> Result<u8, Error> {
    let mut issuer = home.issuer()?;
    let ids = match (id, due) {
        (Some(id), _) => vec![id],
        (None, _) => issuer.renewals_due(today)?,
    };
    if let Some(id) = id {
        let r = issuer.renew(id, today)?;
        let catalog = issuer.catalogs().get(&r.product)?.clone();
        if json {
            output::json(&[issued_json(&r, &catalog)])?;
        } else {
            print_issued("Renewed", &r, &catalog);
        }
        return Ok(0);
    }
    // --due: one failure does not stop the others; each success is printed as it is
    // recorded, the failures are listed per license at the end.
    let mut renewed = Vec::new();
    let mut failed: Vec<(u32, Error)> = Vec::new();
    for id in ids {
        let issued = issuer
            .renew(id, today)
            .and_then(|r| Ok((issuer.catalogs().get(&r.product)?.clone(), r)));
        match issued {
            Ok((catalog, r)) => {
                if !json {
                    if !renewed.is_empty() {
                        outln!();
                    }
                    print_issued("Renewed", &r, &catalog);
                }
                renewed.push((r, catalog));
            }
            Err(e) => failed.push((id, e)),
        }
    }
    if json {
        let list: Vec<_> = renewed.iter().map(|(r, c)| issued_json(r, c)).collect();
        output::json(&list)?;
    } else if renewed.is_empty() && failed.is_empty() {
        outln!("No renewals due on {today}.");
    }
    for (id, e) in &failed {
        eprintln!("error: license {id} was not renewed: {e}");
    }
    if !failed.is_empty() {
        eprintln!(
            "error: {} of {} renewals due failed (listed above); the others were issued and recorded",
            failed.len(),
            failed.len() + renewed.len()
        );
    }
    Ok(failed
        .iter()
        .map(|(_, e)| e.class().exit_code())
        .max()
        .unwrap_or(0))
}

#[allow(clippy::too_many_arguments)]
fn revoke(
    home: &Home,
    id: Option<u32>,
    reason: Option<&str>,
    list: bool,
    valid_days: u32,
    product: Option<&str>,
    today: license_core::Date,
    json: bool,
) -> Result<u8, Error> {
    let mut issuer = home.issuer()?;
    if let (Some(id), false) = (id, list) {
        issuer.revoke(id, reason, today)?;
        if json {
            output::json(&json!({"license_id": id, "revoked": today}))?;
        } else {
            outln!(
                "License {id} revoked on {today}: it will be listed on the next revocation list (licensectl revoke --list)."
            );
        }
        return Ok(0);
    }
    let product = match product {
        Some(p) => issuer.catalogs().get(p)?.product().to_owned(),
        None => issuer
            .catalogs()
            .only()
            .map(|c| c.product().to_owned())
            .ok_or_else(|| {
                Error::InvalidOrder(format!(
                    "revocation lists are per product: name one with --product (the catalogs define {})",
                    issuer.catalogs().known()
                ))
            })?,
    };
    // Current no longer than until the next reduction starts: from then on the list must
    // name the old, larger code.
    let mut valid_days = valid_days;
    if let Some((license_id, starts)) = issuer.next_reduction_start(&product, today)? {
        let until = u32::try_from(starts.days_since(today)).unwrap_or(u32::MAX).max(1);
        if until < valid_days {
            eprintln!(
                "note: current for {until} days instead of {valid_days}: license {license_id}'s reduction starts on {starts}; publish the next list that day"
            );
            valid_days = until;
        }
    }
    let sequence = home.next_revocation_sequence(&product)?;
    let (bytes, entries) = issuer.revocation_list(&product, sequence, today, valid_days)?;
    let path = home.revocations_of(&product).join(format!("list-{sequence}.bin"));
    // Recorded first: a list that fails to be written leaves a gap, never a reuse.
    home.record_revocation_sequence(&product, sequence)?;
    write_new(&path, &bytes)?;
    let expires = today.saturating_add_days(i64::from(valid_days));
    if json {
        output::json(&json!({
            "product": product, "sequence": sequence, "issued": today, "expires": expires,
            "file": path, "bytes": bytes.len(), "entries": entries,
        }))?;
    } else {
        outln!(
            "Revocation list {sequence} of {product} signed: {} entries, current until {expires}, {} bytes, written to {}.",
            entries.len(),
            bytes.len(),
            path.display()
        );
        let body: Vec<Vec<String>> = entries
            .iter()
            .map(|e| vec![e.license_id.to_string(), e.revisions.to_string()])
            .collect();
        if !body.is_empty() {
            output::table(&["license", "revoked"], &body);
        }
    }
    Ok(0)
}

/// Verification context for `inspect --verify`: flags first, then the ledger.
struct Found {
    product: Option<String>,
    licensee: Option<String>,
    database: Option<String>,
}

fn from_ledger(home: &Home, l: &License) -> Result<Found, Error> {
    let mut found = Found {
        product: None,
        licensee: None,
        database: None,
    };
    if !home.ledger().exists() {
        return Ok(found);
    }
    let ledger = FileLedger::open(&home.ledger())?;
    if let Some(r) = ledger
        .records_of(l.license_id)?
        .into_iter()
        .find(|r| r.code.is_some() && r.license == *l)
    {
        found = Found {
            product: Some(r.product),
            licensee: Some(r.licensee),
            database: r.database,
        };
    }
    Ok(found)
}

fn inspect(home: &Home, a: &InspectArgs, today: license_core::Date, json: bool) -> Result<u8, Error> {
    let code = UntrustedCode::parse(&a.code)?;
    let l = *code.unverified_license();
    let ledger = from_ledger(home, &l)?;
    let product = a.product.clone().or(ledger.product);
    let catalogs = home.catalogs_or_warn();
    let catalog = match &product {
        Some(p) => catalogs.get(p).ok().cloned(),
        None => catalogs.only().cloned(),
    };
    let verify = a.verify || a.public_key.is_some();
    let mut rows = describe(&l, catalog.as_ref(), Some(today));
    rows.insert(0, ("key id", format!("{:#04x}", code.key_id())));
    if !verify {
        if json {
            output::json(&json!({
                "verified": false,
                "key_id": code.key_id(),
                "scope": Scope::new(&l, catalog.as_ref()),
            }))?;
        } else {
            outln!("UNVERIFIED: decoded without checking the signature; grant nothing from it.");
            output::rows(&rows);
        }
        return Ok(0);
    }
    let keys: Vec<PublicKey> = match &a.public_key {
        Some(hex) => {
            let bytes = parse_hex32(hex)
                .ok_or_else(|| Error::InvalidOrder("--public-key must be 64 hex digits".into()))?;
            vec![PublicKey::from_bytes(&bytes)?]
        }
        None => KeyRing::open(&home.keys())?.public_keys(),
    };
    let product = product
        .or_else(|| catalog.as_ref().map(|c| c.product().to_owned()))
        .ok_or_else(|| Error::InvalidOrder("the product is unknown: give --product".into()))?;
    let licensee = a.licensee.clone().or(ledger.licensee).ok_or_else(|| {
        Error::InvalidOrder("the licensee is unknown (not in this ledger): give --licensee".into())
    })?;
    let database = a.database.clone().or(ledger.database);
    // The vendor checks the signature here, not the customer's machine: the machine
    // fingerprint the code names stands in for it.
    let mut machine = MachineFingerprint::unknown();
    if let Some(b) = l.binding.machine {
        for c in Component::ALL {
            if let Some(d) = b.digest(c) {
                machine.add(c, d);
            }
        }
    }
    let mut ctx = Context::new(&product, &licensee).with_machine(&machine);
    if let Some(db) = &database {
        ctx = ctx.with_database(db);
    }
    let verified = code.verify(&keys, &ctx)?;
    let listed = revocation_status(&a.revocation_lists, &keys, &product, verified.license())?;
    if json {
        output::json(&json!({
            "verified": true,
            "key_id": verified.key_id(),
            "product": product,
            "licensee": licensee,
            "database": database,
            "scope": Scope::new(verified.license(), catalog.as_ref()),
            "revocation": listed.as_ref().map(|(word, sequence, words)| json!({
                "status": word,
                "list_sequence": sequence,
                "words": words,
            })),
        }))?;
    } else {
        outln!(
            "VERIFIED: signed by key {:#04x} for product {product}, licensee {licensee}{}.",
            verified.key_id(),
            database.map(|d| format!(", database {d}")).unwrap_or_default()
        );
        if l.binding.machine.is_some() {
            outln!("(The machine binding is checked on the customer's machine: licensectl verify.)");
        }
        if let Some((_, _, words)) = &listed {
            outln!("{words}");
        } else if !a.revocation_lists.is_empty() {
            outln!("Not on the revocation list given.");
        }
        output::rows(&rows);
    }
    Ok(if listed.is_some() { 1 } else { 0 })
}

/// Whether the revocation lists in `paths` (each verified with `keys` for `product`)
/// revoke this revision: `("revoked" | "superseded", list number, plain words)`.
fn revocation_status(
    paths: &[std::path::PathBuf],
    keys: &[PublicKey],
    product: &str,
    l: &license_core::License,
) -> Result<Option<(&'static str, u64, String)>, Error> {
    let mut found = None;
    for path in paths {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let list = license_core::UntrustedRevocationList::parse(&bytes)?.verify(keys, product)?;
        let Some(entry) = list.entry(l.license_id) else {
            continue;
        };
        if !entry.covers(l.license_id, l.revision) {
            continue;
        }
        let seq = list.sequence();
        found = Some(match entry.revisions {
            license_core::RevokedRevisions::All => (
                "revoked",
                seq,
                format!(
                    "REVOKED: revocation list {seq} revokes license {} (every revision); the installation refuses this code.",
                    l.license_id
                ),
            ),
            license_core::RevokedRevisions::UpTo(last) => (
                "superseded",
                seq,
                format!(
                    "SUPERSEDED: revocation list {seq} revokes revisions up to {last} of license {}, replaced by a later revision; the installation refuses this code.",
                    l.license_id
                ),
            ),
        });
    }
    Ok(found)
}

fn run_report(
    home: &Home,
    report: &ReportCommand,
    today: license_core::Date,
    json: bool,
) -> Result<u8, Error> {
    let ledger = home.open_ledger(true)?;
    let catalogs = home.catalogs_or_warn();
    let records = ledger.records()?;
    let histories = license_issue::LicenseHistory::all(&records);
    let month_of = |m: &Option<String>| match m {
        Some(s) => Month::parse(s),
        None => Ok(Month::of(today)),
    };
    match report {
        ReportCommand::Issued { month, csv } => {
            let r = license_issue::issued_in_month(&records, &catalogs, month_of(month)?)?;
            if json {
                output::json(&r)?;
            } else if *csv {
                out!("{}", r.to_csv());
            } else {
                outln!("Licenses issued in {}:", r.month);
                let body: Vec<Vec<String>> = r
                    .totals
                    .iter()
                    .map(|t| vec![t.kind.into(), t.new_licenses.to_string(), t.codes.to_string()])
                    .collect();
                output::table(&["kind", "new licenses", "codes issued"], &body);
                outln!();
                let body: Vec<Vec<String>> = r
                    .codes
                    .iter()
                    .map(|c| {
                        vec![
                            c.date.to_string(),
                            c.license_id.to_string(),
                            c.revision.to_string(),
                            c.kind.into(),
                            c.operation.into(),
                            c.licensee.clone(),
                            c.line.clone(),
                            output::limit(c.named_users),
                            c.modules.join(","),
                        ]
                    })
                    .collect();
                output::table(
                    &[
                        "date",
                        "license",
                        "rev",
                        "kind",
                        "operation",
                        "licensee",
                        "line",
                        "users",
                        "modules",
                    ],
                    &body,
                );
            }
        }
        ReportCommand::Active { day, csv } => {
            let day = day.unwrap_or(today);
            let rows = license_issue::active_subscriptions(&histories, &catalogs, day);
            if json {
                output::json(&json!({"day": day, "subscriptions": rows}))?;
            } else if *csv {
                out!("{}", license_issue::active_csv(&rows));
            } else {
                outln!("Subscriptions active on {day}: {}", rows.len());
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.license_id.to_string(),
                            r.licensee.clone(),
                            r.reseller.clone().unwrap_or_default(),
                            r.line.clone(),
                            output::limit(r.named_users),
                            output::limit(r.concurrent_seats),
                            output::day(r.expires),
                            output::day(r.cancelled_ends),
                        ]
                    })
                    .collect();
                output::table(
                    &[
                        "license",
                        "licensee",
                        "reseller",
                        "line",
                        "users",
                        "seats",
                        "expires",
                        "cancelled, ends",
                    ],
                    &body,
                );
            }
        }
        ReportCommand::Prorata { month, reseller, csv } => {
            let r = license_issue::pro_rata(&histories, &catalogs, month_of(month)?, reseller.as_deref())?;
            if json {
                output::json(&r)?;
            } else if *csv {
                out!("{}", r.to_csv());
            } else {
                outln!("Pro-rata subscription days in {}:", r.month);
                let body: Vec<Vec<String>> = r
                    .rows
                    .iter()
                    .map(|x| {
                        vec![
                            x.reseller.clone().unwrap_or_else(|| "(direct)".into()),
                            x.license_id.to_string(),
                            x.licensee.clone(),
                            x.from.to_string(),
                            x.to.to_string(),
                            format!("{}/{}", x.days, x.days_in_month),
                            output::limit(x.named_users),
                            output::limit(x.concurrent_seats),
                        ]
                    })
                    .collect();
                output::table(
                    &[
                        "reseller", "license", "licensee", "from", "to", "days", "users", "seats",
                    ],
                    &body,
                );
                outln!();
                let body: Vec<Vec<String>> = r
                    .resellers
                    .iter()
                    .map(|t| {
                        vec![
                            t.reseller.clone().unwrap_or_else(|| "(direct)".into()),
                            t.subscriptions.to_string(),
                            t.days.to_string(),
                            t.user_days.to_string(),
                        ]
                    })
                    .collect();
                output::table(&["reseller", "subscriptions", "days", "user-days"], &body);
            }
        }
        ReportCommand::Notices { days, csv } => {
            let days = days
                .or_else(|| catalogs.only().map(|c| u32::from(c.defaults.notice_days)))
                .unwrap_or(30);
            let rows = license_issue::renewal_notices(&histories, today, days);
            if json {
                output::json(&json!({"day": today, "days": days, "notices": rows}))?;
            } else if *csv {
                out!("{}", license_issue::notices_csv(&rows));
            } else {
                outln!(
                    "Subscriptions and maintenance ending by {}: {}",
                    today.saturating_add_days(i64::from(days)),
                    rows.len()
                );
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.license_id.to_string(),
                            r.licensee.clone(),
                            r.reseller.clone().unwrap_or_default(),
                            r.what.into(),
                            r.ends.to_string(),
                            r.days_left.to_string(),
                        ]
                    })
                    .collect();
                output::table(
                    &["license", "licensee", "reseller", "what", "ends", "days left"],
                    &body,
                );
            }
        }
    }
    Ok(0)
}

fn ledger(home: &Home, action: &LedgerCommand, json: bool) -> Result<u8, Error> {
    let mut ledger = home.open_ledger(true)?;
    match action {
        LedgerCommand::Check => {
            let records = ledger.records()?;
            let licenses = license_issue::LicenseHistory::all(&records).len();
            let torn = ledger.torn().cloned();
            if json {
                output::json(&json!({
                    "file": ledger.path(),
                    "records": records.len(),
                    "licenses": licenses,
                    "torn": torn.as_ref().map(|t| json!({"line": t.line, "bytes": t.bytes, "preview": t.preview})),
                }))?;
            } else {
                outln!(
                    "{}: {} complete records, {licenses} licenses{}",
                    ledger.path().display(),
                    records.len(),
                    if torn.is_some() {
                        "; the last record is torn (see the warning)"
                    } else {
                        "; intact"
                    }
                );
            }
            match torn {
                Some(t) => Err(Error::LedgerTorn(t)),
                None => Ok(0),
            }
        }
        LedgerCommand::Repair => {
            match ledger.repair()? {
                Some(side) => outln!(
                    "The torn record was moved to {}; the ledger now ends with its last complete record. Re-issue the operation that was interrupted.",
                    side.display()
                ),
                None => outln!("Nothing to repair: the ledger is intact."),
            }
            Ok(0)
        }
        LedgerCommand::Erase { licensee, pseudonym } => {
            let pseudonym = match pseudonym {
                Some(p) => p.clone(),
                None => {
                    let mut b = [0u8; 6];
                    getrandom::fill(&mut b).map_err(|e| Error::Random(e.to_string()))?;
                    format!("erased-{}", hex(&b))
                }
            };
            let n = ledger.erase_licensee(licensee, &pseudonym)?;
            if json {
                output::json(&json!({"records_changed": n, "pseudonym": pseudonym}))?;
            } else if n == 0 {
                outln!("No record names that licensee; nothing changed.");
            } else {
                outln!("Erased the licensee's personal data from {n} records; they now name '{pseudonym}'.");
            }
            Ok(0)
        }
    }
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
