//! The commands: parse arguments into library calls, print the outcome. One module per
//! group of commands; this one dispatches, `shared` holds what several of them use.

mod catalog;
mod inspect;
mod keys;
mod ledger;
mod machine;
mod orders;
mod reports;
mod reseller;
pub(crate) mod shared;
mod show;
mod tickets;

use license_issue::{Customer, Unbind};

use crate::args::{Cli, Command};
use crate::failure::Failure;
use crate::home::Home;
use crate::home::system_today;

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
            action: Some(crate::args::CatalogCommand::Export { format, product }),
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
            let change = shared::to_change(change, remove_modules)?;
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
            unbind_seat_server,
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
                        seat_server: *unbind_seat_server,
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
        Command::Show { license_id } => show::show(&home, *license_id, today, json),
        Command::Verify(args) => machine::verify(&home, args, cli.date, json),
        Command::Fingerprint { product, as_root } => {
            machine::fingerprint(&home, product.as_deref(), *as_root, json)
        }
        Command::Demo => machine::demo(cli.date, json),
        Command::Report { report } => reports::report(&home, report, today, json),
        Command::Ledger { action } => ledger::ledger(&home, action, json),
        Command::Reseller { action } => reseller::reseller(&home, action, today, json),
        Command::Ticket { action } => tickets::ticket(&home, action, today, json),
    }
}
