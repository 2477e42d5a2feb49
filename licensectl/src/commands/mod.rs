//! The commands: parse arguments into library calls, print the outcome. One module per
//! group of commands; this one dispatches and holds what they share.

mod catalog;
mod inspect;
mod keys;
mod ledger;
mod orders;
mod reports;
mod reseller;
mod tickets;

use license_issue::{
    BindTo, Catalog, Catalogs, Change, Customer, Issued, NewLicense, Scope, Term, ToleranceChoice, Unbind,
    describe,
};
use serde::Serialize;
use serde_json::json;

use crate::home::Home;
use crate::home::system_today;
use crate::machine::Failure;
use crate::output::{self, outln};
use crate::{BindArgs, ChangeArgs, ScopeArgs};
use crate::{Cli, Command};

/// Run one command; the exit code on success (1 = a code that is not valid).
pub fn run(cli: &Cli) -> Result<u8, Failure> {
    let home = Home {
        dir: cli.home.clone(),
        catalog_file: cli.catalog.clone(),
    };
    let today = cli.date.unwrap_or_else(system_today);
    let json = cli.json;
    match &cli.command {
        Command::Keygen { rotate } => keys::keygen(&home, *rotate, today, json),
        Command::Pubkey { format } => keys::pubkey(&home, *format, json),
        Command::Catalog {
            action: Some(crate::CatalogCommand::Export { format, product }),
            ..
        } => catalog::export(&home, *format, product.as_deref()),
        Command::Catalog {
            action: None,
            init_demo,
            print_demo,
            product,
        } => catalog::catalog(&home, *init_demo, *print_demo, product.as_deref(), json),
        Command::Issue(args) => orders::issue(&home, args, today, json),
        Command::Upgrade { license_id, change } => orders::upgrade(&home, *license_id, change, today, json),
        Command::Reduce {
            license_id,
            change,
            remove_modules,
            withdraw,
        } => orders::reduce(&home, *license_id, change, remove_modules, *withdraw, today, json),
        Command::Renew {
            license_id,
            due,
            early,
            change,
            remove_modules,
        } => {
            let change = to_change(change, remove_modules);
            orders::renew(&home, *license_id, *due, *early, &change, today, json)
        }
        Command::Cancel { license_id } => orders::cancel(&home, *license_id, today, json),
        Command::Revoke {
            license_id,
            reason,
            list,
            valid_days,
            product,
        } => orders::revoke(
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
            orders::maintenance(&home, *license_id, site.as_deref(), today, json)
        }
        Command::Site { license_id, name } => orders::site(&home, *license_id, name, today, json),
        Command::Rehost {
            license_id,
            order,
            licenses,
            bind,
            unbind_database,
            unbind_machine,
            to,
            contact,
            customer_ref,
        } => {
            let to = to.as_ref().map(|licensee| Customer {
                licensee: licensee.clone(),
                contact: contact.clone(),
                customer_ref: customer_ref.clone(),
                ..Customer::default()
            });
            match (order, license_id, to) {
                (Some(order), _, Some(to)) => orders::transfer_order(&home, order, licenses, to, today, json),
                (_, Some(id), to) => orders::rehost(
                    &home,
                    *id,
                    bind,
                    Unbind {
                        database: *unbind_database,
                        machine: *unbind_machine,
                    },
                    to,
                    today,
                    json,
                ),
                // clap requires a license id or --order with --to.
                _ => Err(Failure::Usage(
                    "give a license id, or --order REF with --to LICENSEE".into(),
                )),
            }
        }
        Command::Inspect(args) => inspect::inspect(&home, args, today, json),
        Command::Show { license_id } => crate::show::show(&home, *license_id, today, json),
        Command::Verify(args) => crate::machine::verify(&home, args, cli.date, json),
        Command::Fingerprint { product } => crate::machine::fingerprint(&home, product.as_deref(), json),
        Command::Demo => crate::machine::demo(cli.date, json),
        Command::Report { report } => reports::report(&home, report, today, json),
        Command::Ledger { action } => ledger::ledger(&home, action, json),
        Command::Reseller { action } => reseller::reseller(&home, action, today, json),
        Command::Ticket { action } => tickets::ticket(&home, action, today, json),
    }
}

pub fn pick_catalog<'a>(catalogs: &'a Catalogs, product: Option<&str>) -> Result<&'a Catalog, Failure> {
    match product {
        Some(p) => Ok(catalogs.get(p)?),
        None => catalogs.only().ok_or_else(|| {
            Failure::Usage(format!(
                "several products have a catalog ({}): choose one with --product",
                catalogs.known()
            ))
        }),
    }
}

/// The binding an order asks for; the machine tolerance defaults to the catalog's.
pub fn bind_to(args: &BindArgs, catalog: &Catalog) -> Result<BindTo, Failure> {
    let machine = match &args.machine {
        None => None,
        Some(text) => {
            let binding = BindTo::machine_fingerprint(text, args.tolerance, catalog)?;
            let choice = ToleranceChoice::new(args.tolerance, catalog, binding.components().len());
            if choice.capped() {
                eprintln!("note: {choice}");
            }
            Some(binding)
        }
    };
    Ok(BindTo {
        database: args.database.clone(),
        machine,
    })
}

/// The new-license order `scope` describes for `customer` (unbound, valid from the day
/// of issue): `issue` adds its start day and binding, a ticket stays as it is.
pub fn new_license(scope: &ScopeArgs, catalog: &Catalog, customer: Customer) -> NewLicense {
    let mut order = NewLicense::new(catalog.product(), scope.kind.kind(), customer);
    order.line = scope.line.clone();
    order.named_users = scope.users;
    order.concurrent_seats = scope.seats;
    order.demo_seats = scope.demo_seats;
    order.modules = scope.modules.clone();
    order.term = match (scope.months, scope.days, scope.until) {
        (Some(m), _, _) => Term::Months(m),
        (_, Some(d), _) => Term::Days(d),
        (_, _, Some(u)) => Term::Until(u),
        _ => Term::Default,
    };
    order.grace_days = scope.grace_days;
    order.maintenance_months = scope.maintenance_months;
    order
}

pub fn to_change(c: &ChangeArgs, remove: &[String]) -> Change {
    Change {
        named_users: c.users,
        concurrent_seats: c.seats,
        add_modules: c.add_modules.clone(),
        remove_modules: remove.to_vec(),
        line: c.line.clone(),
    }
}

#[derive(Serialize)]
pub struct IssuedJson<'a> {
    operation: &'static str,
    product: &'a str,
    licensee: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'a str>,
    code: &'a str,
    scope: Scope,
}

pub fn issued_json<'a>(i: &'a Issued, catalog: &Catalog) -> IssuedJson<'a> {
    IssuedJson {
        operation: i.operation.name(),
        product: &i.product,
        licensee: &i.licensee,
        database: i.database.as_deref(),
        code: &i.code,
        scope: Scope::new(&i.license, Some(catalog)),
    }
}

pub fn print_issued(title: &str, i: &Issued, catalog: &Catalog) {
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

pub fn print_reissued(
    now: &Issued,
    next: Option<&Issued>,
    catalog: &Catalog,
    json: bool,
) -> Result<u8, Failure> {
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
