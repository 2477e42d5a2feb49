//! What several commands share: choosing the catalog, turning arguments into orders, and
//! printing an issued or re-issued code.

use license_issue::{
    BindTo, Catalog, Catalogs, Change, Customer, Issued, NewLicense, Scope, SeatServerKey, Term,
    ToleranceChoice, describe,
};
use serde::Serialize;
use serde_json::json;

use crate::args::{BindArgs, ChangeArgs, ScopeArgs};
use crate::failure::Failure;
use crate::output::{self, outln};

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
        seat_server: seat_server_key(args.seat_server.as_deref())?,
    })
}

/// A seat server's key as given on the command line (`--seat-server`).
fn seat_server_key(text: Option<&str>) -> Result<Option<SeatServerKey>, Failure> {
    Ok(text.map(str::parse).transpose()?)
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

pub fn to_change(c: &ChangeArgs, remove: &[String]) -> Result<Change, Failure> {
    Ok(Change {
        named_users: c.users,
        concurrent_seats: c.seats,
        add_modules: c.add_modules.clone(),
        remove_modules: remove.to_vec(),
        line: c.line.clone(),
        seat_server: seat_server_key(c.seat_server.as_deref())?,
    })
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
