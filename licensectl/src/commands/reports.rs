//! `report`: the ledger's reports as tables, CSV or JSON (each from the report's rows:
//! see `license_issue::ReportRow`).

use license_issue::{Ledger, LicenseHistory, Month, ReportRow, to_csv, to_table};
use serde_json::json;

use crate::ReportCommand;
use crate::home::Home;
use crate::machine::Failure;
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
    let ledger = home.open_ledger(true)?;
    let catalogs = home.catalogs_or_warn();
    let records = ledger.records()?;
    let histories = LicenseHistory::all(&records);
    let month_of = |m: &Option<String>| match m {
        Some(s) => Month::parse(s),
        None => Ok(Month::of(today)),
    };
    match report {
        ReportCommand::Issued { month, csv, by } => {
            let by = match by {
                crate::IssuedByArg::Issue => license_issue::IssuedBy::Issue,
                crate::IssuedByArg::TermStart => license_issue::IssuedBy::TermStart,
            };
            let r = license_issue::issued_in_month_by(&records, &catalogs, month_of(month)?, by)?;
            if json {
                output::json(&r)?;
            } else if *csv {
                out!("{}", r.to_csv()?);
            } else {
                outln!("Licenses issued in {}:", r.month);
                table(&r.totals);
                outln!();
                table(&r.codes);
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
            let rows = license_issue::renewals_overdue(&histories, &catalogs, today)?;
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
            let rows = license_issue::renewal_notices(&histories, today, *days);
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
            let rows = license_issue::renewal_notices_due(&histories, &catalogs, today);
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
