//! `report`: the ledger's reports as tables, CSV or JSON (each from the report's rows:
//! see `license_issue::ReportRow`).

use license_issue::{Ledger, LicenseHistory, Month, ReportRow, ResellerExport, to_csv, to_table};
use serde_json::json;

use crate::args::ReportCommand;
use crate::failure::Failure;
use crate::home::{Home, write_new};
use crate::output::{self, out, outln};

/// Print `rows` as a table.
pub(super) fn table<R: ReportRow>(rows: &[R]) {
    let (titles, body) = to_table(rows);
    output::table(&titles, &body);
}

pub fn report(
    home: &Home,
    report: &ReportCommand,
    today: license_core::Date,
    json: bool,
) -> Result<u8, Failure> {
    match report {
        ReportCommand::Export { month, out } => {
            return export(home, &Month::parse(month)?, out.as_deref(), today, json);
        }
        ReportCommand::Import { file } => return import(home, file, json),
        _ => {}
    }
    let catalogs = home.catalogs_or_warn();
    // The vendor's ledger and the resellers' imported records.
    let records = home.all_records()?;
    let histories = LicenseHistory::all(&records);
    // Renewals and notices are the issuer's to act on: the vendor's own licenses only (a
    // reseller renews the licenses it issued, in its home).
    let own_histories =
        || -> Result<_, Failure> { Ok(LicenseHistory::all(&home.open_ledger(false)?.records()?)) };
    let month_of = |m: &Option<String>| match m {
        Some(s) => Month::parse(s),
        None => Ok(Month::of(today)),
    };
    match report {
        ReportCommand::Export { .. } | ReportCommand::Import { .. } => {}
        ReportCommand::Issued {
            month,
            csv,
            by,
            reseller,
        } => {
            let by = match by {
                crate::args::IssuedByArg::Issue => license_issue::IssuedBy::Issue,
                crate::args::IssuedByArg::TermStart => license_issue::IssuedBy::TermStart,
            };
            let r =
                license_issue::issued_report(&records, &catalogs, month_of(month)?, by, reseller.as_deref())?;
            if json {
                output::json(&r)?;
            } else if *csv {
                out!("{}", r.to_csv()?);
            } else {
                outln!("Licenses issued in {}:", r.month);
                table(&r.totals);
                outln!();
                if r.resellers.iter().any(|t| t.reseller.is_some()) {
                    outln!("By reseller (invoiced: the first-level reseller; - : sold directly):");
                    table(&r.resellers);
                    outln!();
                }
                table(&r.codes);
            }
        }
        ReportCommand::Invoice { month, reseller, csv } => {
            let inv = license_issue::invoice(&records, &catalogs, month_of(month)?, reseller.as_deref())?;
            if json {
                output::json(&inv)?;
            } else if *csv {
                out!("{}", inv.to_csv()?);
            } else if inv.resellers.is_empty() {
                outln!("No reseller created codes or had subscriptions in {}.", inv.month);
            } else {
                for s in &inv.resellers {
                    outln!("Invoice basis of {} for {}:", s.invoiced, inv.month);
                    table(&s.lines);
                    if !s.codes.is_empty() {
                        outln!();
                        outln!("Codes created:");
                        table(&s.codes);
                    }
                    if !s.subscriptions.is_empty() {
                        outln!();
                        outln!("Subscription days:");
                        table(&s.subscriptions);
                    }
                    outln!();
                }
            }
        }
        ReportCommand::Active { day, csv } => {
            let day = day.unwrap_or(today);
            let rows = license_issue::active_subscriptions(&histories, &catalogs, day);
            if json {
                output::json(&json!({"day": day, "subscriptions": rows}))?;
            } else if *csv {
                out!("{}", to_csv(&rows)?);
            } else {
                outln!("Subscriptions active on {day}: {}", rows.len());
                table(&rows);
            }
        }
        ReportCommand::Prorata { month, reseller, csv } => {
            let r = license_issue::pro_rata(&histories, &catalogs, month_of(month)?, reseller.as_deref())?;
            if json {
                output::json(&r)?;
            } else if *csv {
                out!("{}", r.to_csv()?);
            } else {
                outln!(
                    "Pro-rata subscription days in {} (reseller - : sold directly):",
                    r.month
                );
                table(&r.rows);
                outln!();
                table(&r.resellers);
            }
        }
        ReportCommand::Renewals { csv } => {
            let rows = license_issue::renewals_overdue(&own_histories()?, &catalogs, today)?;
            if json {
                output::json(&json!({"day": today, "renewals": rows}))?;
            } else if *csv {
                out!("{}", to_csv(&rows)?);
            } else {
                outln!(
                    "Renewals due by {today} without a code (`licensectl renew --due` issues them): {}",
                    rows.len()
                );
                table(&rows);
            }
        }
        ReportCommand::Notices {
            days: Some(days),
            csv,
        } => {
            let rows = license_issue::renewal_notices(&own_histories()?, today, *days);
            if json {
                output::json(&json!({"day": today, "days": days, "notices": rows}))?;
            } else if *csv {
                out!("{}", to_csv(&rows)?);
            } else {
                outln!(
                    "Subscriptions and maintenance ending by {}: {}",
                    today.saturating_add_days(i64::from(*days)),
                    rows.len()
                );
                table(&rows);
            }
        }
        ReportCommand::Notices { days: None, csv } => {
            let rows = license_issue::renewal_notices_due(&own_histories()?, &catalogs, today);
            if json {
                output::json(&json!({"day": today, "notices": rows}))?;
            } else if *csv {
                out!("{}", to_csv(&rows)?);
            } else {
                outln!(
                    "Renewal notices due by {today} (the catalog's notice, in calendar months before the last day): {}",
                    rows.len()
                );
                table(&rows);
            }
        }
    }
    Ok(0)
}

/// `report export` in a reseller's home: the month's codes of its ledger.
fn export(
    home: &Home,
    month: &Month,
    out: Option<&std::path::Path>,
    today: license_core::Date,
    json: bool,
) -> Result<u8, Failure> {
    let name = license_issue::reseller_name(&home.reseller())?;
    let signer = home.reseller().signer()?;
    let records = home.open_ledger(true)?.records()?;
    let export = ResellerExport::of_month(&name, &signer, &records, *month, today)?;
    let text = export.to_text()?;
    match out {
        None => out!("{text}"),
        Some(path) => {
            write_new(path, text.as_bytes())?;
            if json {
                output::json(&json!({
                    "reseller": name, "month": month, "records": export.records.len(), "file": path,
                }))?;
            } else {
                outln!(
                    "Exported {} of {name} for {month} to {}: send the file to the vendor.",
                    license_core::words::plural(export.records.len() as u64, "record", "records"),
                    path.display()
                );
            }
        }
    }
    Ok(0)
}

/// `report import` at the vendor: verify every record, then add the new ones.
fn import(home: &Home, file: &std::path::Path, json: bool) -> Result<u8, Failure> {
    let export = ResellerExport::load(file)?;
    // The vendor's key ring; in a reseller's home (importing its sub-resellers' exports,
    // the basis of its own invoices to them) the vendor keys its bundle brought.
    let keys = home.vendor_keys()?;
    let mut revoked = std::collections::BTreeMap::new();
    for r in &export.records {
        if !revoked.contains_key(&r.product) {
            revoked.insert(r.product.clone(), home.revoked_certificates(&r.product, &keys)?);
        }
    }
    let own = home.open_ledger(true)?.records()?;
    // Tickets a reseller redeemed offline must be ones the vendor handed it.
    let tickets = match home.dir.join("tickets.jsonl").exists() {
        true => Some(home.open_tickets()?),
        false => None,
    };
    let mut imports = home.open_imports(true)?;
    let plan = license_issue::check_import(
        &export,
        &keys,
        &revoked,
        &own,
        &imports.records()?,
        tickets.as_ref(),
    )?;
    // Sub-reseller serials are unique per reseller (the vendor revokes sub-resellers by
    // them): registered before any record is added, and a serial given twice refuses it all.
    let registered = home
        .certificates()?
        .register_sub_certificates(&plan.sub_certificates)?;
    for r in &plan.new {
        imports.append(r)?;
    }
    if json {
        output::json(&json!({
            "reseller": export.reseller, "month": export.month,
            "imported": plan.new.len(), "already_imported": plan.already,
            "sub_resellers_registered": registered,
        }))?;
    } else {
        outln!(
            "Imported {} of {}'s {} for {} ({} imported before); every code verified.",
            plan.new.len(),
            export.reseller,
            license_core::words::plural(export.records.len() as u64, "record", "records"),
            export.month,
            plan.already
        );
        if registered > 0 {
            outln!(
                "Registered {} (see licensectl reseller list).",
                license_core::words::plural(
                    registered as u64,
                    "new sub-reseller certificate",
                    "new sub-reseller certificates"
                )
            );
        }
    }
    Ok(0)
}
