//! The orders: issue, upgrade, reduce, renew, cancel, revoke, maintenance, rehost.

use license_core::Date;
use license_issue::{Customer, Ledger, MaintenanceKind, Unbind};
use serde_json::json;

use super::shared::{
    bind_to, issued_json, new_license, pick_catalog, print_issued, print_reissued, to_change,
};
use crate::args::{BindArgs, ChangeArgs, IssueArgs};
use crate::failure::Failure;
use crate::home::{Home, write_new};
use crate::output::{self, outln};

pub fn issue(home: &Home, a: &IssueArgs, today: license_core::Date, json: bool) -> Result<u8, Failure> {
    let mut issuer = home.issuer()?;
    let catalog = pick_catalog(issuer.catalogs(), a.scope.product.as_deref())?.clone();
    let mut order = new_license(
        &a.scope,
        &catalog,
        Customer {
            licensee: a.licensee.clone(),
            contact: a.contact.clone(),
            customer_ref: a.customer_ref.clone(),
            reseller: a.reseller.clone(),
            site: a.site.clone(),
            order_ref: a.order.clone(),
        },
    );
    if let Some((field, why)) = order.customer.refused_field() {
        let flag = match field {
            "order_ref" => "order".to_owned(),
            other => other.replace('_', "-"),
        };
        return Err(Failure::Usage(format!("--{flag} is refused: {why}")));
    }
    order.valid_from = a.valid_from;
    order.bind = bind_to(&a.bind, &catalog)?;
    let issued = issuer.issue(&order, today)?;
    print_reissued(&issued, None, &catalog, json)
}

/// `upgrade`: an additional order, effective at once.
pub fn upgrade(
    home: &Home,
    license_id: u32,
    change: &ChangeArgs,
    today: Date,
    json: bool,
) -> Result<u8, Failure> {
    let mut issuer = home.issuer()?;
    let product = issuer.history(license_id)?.product;
    let c = to_change(change, &[])?;
    let out = issuer.upgrade(license_id, &c, today)?;
    let catalog = issuer.catalogs().get(&product)?;
    print_reissued(&out.now, out.next_term.as_ref(), catalog, json)
}

pub fn reduce(
    home: &Home,
    license_id: u32,
    change: &ChangeArgs,
    remove: &[String],
    withdraw: bool,
    today: license_core::Date,
    json: bool,
) -> Result<u8, Failure> {
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
    let r = issuer.reduce(license_id, &to_change(change, remove)?, today)?;
    if json {
        output::json(&json!({
            "effective": r.effective,
            "policy": catalog.reduction_policy().name(),
            "withdrawal_cutoff": r.cutoff,
            "immediate": r.immediate.as_ref().map(|i| issued_json(i, &catalog)),
            "scheduled": issued_json(&r.scheduled, &catalog),
        }))?;
        return Ok(0);
    }
    let policy = catalog.reduction_policy();
    outln!(
        "Reduction ordered on {today}: effective {} ({} rule: ordered at least {}); can be withdrawn until {}.",
        r.effective,
        policy.name(),
        policy.notice_words(),
        r.cutoff
    );
    outln!();
    if let Some(i) = &r.immediate {
        let title = if i.operation == license_issue::Operation::Reduce {
            format!(
                "The scope in force, its maintenance ending on {} (last day {})",
                r.effective,
                r.effective.saturating_add_days(-1)
            )
        } else {
            format!(
                "Additions, effective now until {} (last day)",
                r.effective.saturating_add_days(-1)
            )
        };
        print_issued(&title, i, &catalog);
        outln!();
    }
    print_issued(
        &format!("Reduced scope, valid from {}", r.effective),
        &r.scheduled,
        &catalog,
    );
    Ok(0)
}

pub fn renew(
    home: &Home,
    id: Option<u32>,
    _due: bool,
    early: bool,
    change: &license_issue::Change,
    today: license_core::Date,
    json: bool,
) -> Result<u8, Failure> {
    let mut issuer = home.issuer()?;
    if let Some(id) = id {
        let r = issuer.renew_with(id, change, early, today)?;
        let catalog = issuer.catalogs().get(&r.product)?.clone();
        if json {
            output::json(&[issued_json(&r, &catalog)])?;
        } else {
            print_issued("Renewed", &r, &catalog);
        }
        return Ok(0);
    }
    // --due: one failure does not stop the others; the failures are listed per license
    // at the end.
    let mut renewed = Vec::new();
    let mut failed: Vec<(u32, Failure)> = Vec::new();
    for (id, outcome) in issuer.renew_due(today)? {
        match outcome.and_then(|r| Ok((issuer.catalogs().get(&r.product)?.clone(), r))) {
            Ok((catalog, r)) => {
                if !json {
                    if !renewed.is_empty() {
                        outln!();
                    }
                    print_issued("Renewed", &r, &catalog);
                }
                renewed.push((r, catalog));
            }
            Err(e) => failed.push((id, e.into())),
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
    Ok(failed.iter().map(|(_, e)| e.exit_code()).max().unwrap_or(0))
}

/// `cancel`: no further renewal.
pub fn cancel(home: &Home, license_id: u32, today: Date, json: bool) -> Result<u8, Failure> {
    let c = home.issuer()?.cancel(license_id, today)?;
    if json {
        output::json(&c)?;
    } else if c.renews_once_more {
        outln!(
            "License {license_id} cancelled on {today}, after the notice deadline for the term ending {}: \
             it renews once more (`renew` issues that term's code) and ends after that; paid until {} (last day), {}.",
            c.term_ends,
            c.last_day,
            c.after_words()
        );
    } else {
        outln!(
            "License {license_id} cancelled on {today}: no further renewal; paid until {} (last day), {}.",
            c.last_day,
            c.after_words()
        );
    }
    Ok(0)
}

#[allow(clippy::too_many_arguments)]
pub fn revoke(
    home: &Home,
    id: Option<u32>,
    reason: Option<&str>,
    list: bool,
    valid_days: u32,
    product: Option<&str>,
    today: license_core::Date,
    json: bool,
) -> Result<u8, Failure> {
    let mut issuer = home.issuer()?;
    let imported = match license_issue::imports_ledger_path(&home.dir).exists() {
        true => home.open_imports(true)?.records()?,
        false => Vec::new(),
    };
    if let (Some(id), false) = (id, list) {
        let own = issuer.history(id).is_ok();
        if !own && !home.is_reseller() && imported.iter().any(|r| r.license.license_id == id) {
            // A license imported from a reseller's export: revoked with the imports.
            let record = license_issue::revoke_imported(&imported, id, reason, today)?;
            home.open_imports(true)?.append(&record)?;
            if json {
                output::json(&json!({"license_id": id, "revoked": today, "reseller": record.reseller}))?;
            } else {
                outln!(
                    "License {id} (imported from reseller {}) revoked on {today}: it will be listed on the next revocation list (licensectl revoke --list).",
                    record.reseller.as_deref().unwrap_or("?")
                );
            }
            return Ok(0);
        }
        issuer.revoke(id, reason, today)?;
        if home.is_reseller() {
            let route = license_issue::ResellerRevocation::new(id, today);
            if json {
                output::json(&route)?;
            } else {
                outln!(
                    "{} (licensectl report export --month {})",
                    route.words(),
                    route.export_month
                );
            }
        } else if json {
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
                Failure::Usage(format!(
                    "revocation lists are per product: name one with --product (the catalogs define {})",
                    issuer.catalogs().known()
                ))
            })?,
    };
    // Numbers are allocated by the ledger; list files already in revocations/ (say,
    // from a restored backup of an older ledger) are never numbered over.
    let at_least = home.highest_revocation_file(&product)?.saturating_add(1);
    let certificates = home.certificates()?.revoked(&product);
    let list = issuer.publish_revocation_list_including(
        &product,
        today,
        valid_days,
        at_least,
        &certificates.resellers,
        &certificates.sub_resellers,
        &imported,
    )?;
    if let Some((license_id, starts)) = list.shortened_by {
        eprintln!(
            "note: current for {} instead of {valid_days}: license {license_id}'s reduction starts on {starts}; publish the next list that day",
            license_core::words::plural(
                u64::try_from(list.expires.days_since(today)).unwrap_or(0),
                "day",
                "days"
            )
        );
    }
    let (sequence, bytes, entries, expires) = (list.sequence, &list.bytes, &list.entries, list.expires);
    let path = home.revocations_of(&product).join(format!("list-{sequence}.bin"));
    write_new(&path, bytes)?;
    if json {
        output::json(&json!({
            "product": product, "sequence": sequence, "issued": today, "expires": expires,
            "file": path, "bytes": bytes.len(), "entries": entries, "certificates": list.certificates,
            "sub_certificates": list.sub_certificates,
            "version": bytes.first(),
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
        if !list.certificates.is_empty() {
            let serials: Vec<String> = list.certificates.iter().map(u32::to_string).collect();
            outln!(
                "Reseller certificates revoked (every code under them): {}.",
                serials.join(", ")
            );
        }
        if !list.sub_certificates.is_empty() {
            let pairs: Vec<String> = list
                .sub_certificates
                .iter()
                .map(|p| format!("{} under {}", p.sub_reseller, p.reseller))
                .collect();
            outln!(
                "Sub-reseller certificates revoked (every code under them): {}. The list is of format version 3: installations whose software reads only versions 1 and 2 refuse it (\"unsupported format version: update the software\") and keep the list they have.",
                pairs.join(", ")
            );
        }
    }
    Ok(0)
}

/// `maintenance`: a maintenance pack for a perpetual license.
pub fn maintenance(
    home: &Home,
    license_id: Option<u32>,
    site: Option<&str>,
    today: Date,
    json: bool,
) -> Result<u8, Failure> {
    let mut issuer = home.issuer()?;
    if let Some(site) = site {
        let out = issuer.add_site_maintenance(site, today)?;
        return print_several(
            &issuer,
            &out,
            &format!("Site maintenance pack for '{site}'"),
            json,
        );
    }
    let Some(license_id) = license_id else {
        return Err(Failure::Usage("give the license id or --site NAME".into()));
    };
    let product = issuer.history(license_id)?.product;
    let out = issuer.add_maintenance(license_id, MaintenanceKind::OneServer, today)?;
    let catalog = issuer.catalogs().get(&product)?;
    print_reissued(&out.now, out.next_term.as_ref(), catalog, json)
}

/// Several licenses re-issued in one order (a site pack, an order transferred): the codes
/// listed together.
fn print_several<L: license_issue::Ledger>(
    issuer: &license_issue::Issuer<L>,
    out: &[license_issue::Reissued],
    title: &str,
    json: bool,
) -> Result<u8, Failure> {
    if json {
        let mut list = Vec::new();
        for r in out {
            let catalog = issuer.catalogs().get(&r.now.product)?;
            list.push(json!({
                "license_id": r.now.license.license_id,
                "now": issued_json(&r.now, catalog),
                "next_term": r.next_term.as_ref().map(|n| issued_json(n, catalog)),
            }));
        }
        output::json(&list)?;
        return Ok(0);
    }
    outln!(
        "{title}: {}",
        license_core::words::plural(out.len() as u64, "new code", "new codes")
    );
    for r in out {
        outln!();
        let catalog = issuer.catalogs().get(&r.now.product)?;
        print_reissued(&r.now, r.next_term.as_ref(), catalog, false)?;
    }
    Ok(0)
}

/// `site ID NAME`: assign a license to a site.
pub fn site(home: &Home, license_id: u32, name: &str, today: Date, json: bool) -> Result<u8, Failure> {
    home.issuer()?.assign_site(license_id, name, today)?;
    if json {
        output::json(&json!({"license_id": license_id, "site": name.trim()}))?;
    } else {
        outln!("License {license_id} belongs to site '{}'.", name.trim());
    }
    Ok(0)
}

/// `rehost --order REF --to LICENSEE [--licenses a,b]`: the order to its end customer.
pub fn transfer_order(
    home: &Home,
    order: &str,
    only: &[u32],
    to: Customer,
    today: Date,
    json: bool,
) -> Result<u8, Failure> {
    let mut issuer = home.issuer()?;
    let licensee = to.licensee.clone();
    let out = issuer.transfer_order(order, only, to, today)?;
    print_several(
        &issuer,
        &out,
        &format!("Order '{order}' transferred to {licensee}"),
        json,
    )
}

/// `rehost`: another machine or database, or (`to`) another licensee.
#[allow(clippy::too_many_arguments)]
pub fn rehost(
    home: &Home,
    license_id: u32,
    bind: &BindArgs,
    unbind: Unbind,
    to: Option<Customer>,
    today: Date,
    json: bool,
) -> Result<u8, Failure> {
    let mut issuer = home.issuer()?;
    let product = issuer.history(license_id)?.product;
    let catalog = issuer.catalogs().get(&product)?.clone();
    let bind_to = bind_to(bind, &catalog)?;
    let out = match to {
        Some(customer) => issuer.transfer(license_id, customer, bind_to, unbind, today)?,
        None => {
            if bind.database.is_none()
                && bind.machine.is_none()
                && bind.seat_server.is_none()
                && unbind.is_nothing()
            {
                return Err(Failure::Usage(
                    "give the new binding (--database, --machine or --seat-server), the part to \
                     remove (--unbind-database, --unbind-machine, --unbind-seat-server) or a new \
                     licensee (--to)"
                        .into(),
                ));
            }
            issuer.rehost(license_id, bind_to, unbind, today)?
        }
    };
    print_reissued(&out.now, out.next_term.as_ref(), &catalog, json)
}
