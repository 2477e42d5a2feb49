//! `licensectl show ID`: the code in force for a license and any code scheduled to replace
//! it, in plain words ("see your current license code", as the vendor's portal shows it).

use license_core::Date;
use license_issue::OrderError;
use license_issue::{Catalog, Error, FileLedger, Ledger, LicenseHistory, Revision, Scope, describe};
use serde_json::json;

use crate::home::Home;
use crate::output::{self, outln};

fn operation_words(r: &Revision) -> &'static str {
    use license_issue::Operation as O;
    match r.operation {
        O::Issue => "new license",
        O::Trial => "trial",
        O::Upgrade => "additional order",
        O::Reduce => "reduction",
        O::Withdraw => "reduction withdrawn",
        O::Renew => "renewal",
        O::Maintenance => "maintenance pack",
        O::Rehost => "moved to another machine or database",
        O::Transfer => "transferred",
        _ => "change",
    }
}

fn revision_json(r: &Revision, catalog: Option<&Catalog>) -> serde_json::Value {
    json!({
        "revision": r.license.revision,
        "operation": r.operation.name(),
        "issued": r.recorded,
        "valid_from": r.license.valid_from,
        "last_day": r.license.expires.map(|e| e.saturating_add_days(-1)),
        "licensee": r.licensee,
        "database": r.database,
        "scope": Scope::new(&r.license, catalog),
        "code": r.code,
    })
}

fn print_revision(title: &str, r: &Revision, catalog: Option<&Catalog>, today: Date) {
    outln!(
        "{title}: revision {} ({}), issued {}",
        r.license.revision,
        operation_words(r),
        r.recorded
    );
    outln!();
    outln!("    {}", r.code);
    outln!();
    output::rows(&describe(&r.license, catalog, Some(today)));
}

/// The license's state on `today`: the code in force, the codes scheduled after it.
pub fn show(home: &Home, license_id: u32, today: Date, json: bool) -> Result<u8, crate::failure::Failure> {
    let mut records = if home.ledger().exists() {
        FileLedger::open(&home.ledger())?.records_of(license_id)?
    } else {
        Vec::new()
    };
    // A reseller's license the vendor imported (its ids never meet the vendor's).
    if records.is_empty() && license_issue::imports_ledger_path(&home.dir).exists() {
        records = home.open_imports(false)?.records_of(license_id)?;
    }
    let h = LicenseHistory::from_records(&records)
        .ok_or(Error::Order(OrderError::UnknownLicense { license_id }))?;
    let catalogs = home.catalogs_or_warn();
    let catalog = catalogs.get(&h.product).ok();
    let in_force = h.effective_on(today);
    let scheduled = h.scheduled(today);
    let state = if h.erased {
        Some("the licensee's personal data was erased".to_owned())
    } else {
        None
    }
    .into_iter()
    .chain(
        h.revoked
            .map(|d| format!("revoked on {d}: no code of it is valid")),
    )
    .chain(h.cancelled.map(|(on, ends)| {
        format!(
            "cancelled on {on}: no further renewal; the last paid day is {}",
            ends.saturating_add_days(-1)
        )
    }))
    .collect::<Vec<_>>();
    if json {
        output::json(&json!({
            "license_id": license_id,
            "product": h.product,
            "licensee": h.licensee,
            "database": h.database,
            "day": today,
            "in_force": in_force.map(|r| revision_json(r, catalog)),
            "scheduled": scheduled.iter().map(|r| revision_json(r, catalog)).collect::<Vec<_>>(),
            "revoked": h.revoked,
            "cancelled": h.cancelled.map(|(on, ends)| json!({"on": on, "ends": ends, "last_day": ends.saturating_add_days(-1)})),
            "notes": state,
        }))?;
        return Ok(0);
    }
    outln!(
        "License {license_id} of {} for {}{}, on {today}",
        h.product,
        h.licensee,
        h.database
            .as_deref()
            .map(|d| format!(", database {d}"))
            .unwrap_or_default()
    );
    for s in &state {
        outln!("Note: {s}.");
    }
    outln!();
    match in_force {
        Some(r) => print_revision("In force", r, catalog, today),
        None => outln!("No code is in force yet."),
    }
    for r in &scheduled {
        outln!();
        let replaces = in_force
            .map(|c| format!(", replaces revision {} that day", c.license.revision))
            .unwrap_or_default();
        print_revision(
            &format!("Scheduled from {}{replaces}", r.license.valid_from),
            r,
            catalog,
            today,
        );
    }
    Ok(0)
}
