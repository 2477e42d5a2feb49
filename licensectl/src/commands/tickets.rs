//! `ticket create | redeem | export | import | report`: ticket pools (the library's
//! `TicketPool`, `Issuer::redeem` and `ticket_report`).

use std::fs;

use license_core::Date;
use license_core::words::plural;
use license_issue::{Customer, Error, TicketExport, TicketId, ticket_report, to_csv};
use serde_json::json;

use super::shared::{bind_to, issued_json, new_license, pick_catalog, print_issued};
use crate::args::TicketCommand;
use crate::failure::Failure;
use crate::home::{Home, write_new};
use crate::output::{self, out, outln};

pub fn ticket(home: &Home, action: &TicketCommand, today: Date, json: bool) -> Result<u8, Failure> {
    match action {
        TicketCommand::Create {
            reseller,
            count,
            scope,
            customer_ref,
            order,
        } => {
            let issuer = home.issuer()?;
            let catalog = pick_catalog(issuer.catalogs(), scope.product.as_deref())?.clone();
            let customer = Customer {
                customer_ref: customer_ref.clone(),
                order_ref: order.clone(),
                ..Customer::default()
            };
            let order = new_license(scope, &catalog, customer);
            let mut pool = home.open_tickets()?;
            let tickets = pool.create(&issuer, reseller, &order, *count, today)?;
            let ids: Vec<String> = tickets.iter().map(|t| t.id.to_string()).collect();
            if json {
                output::json(&json!({
                    "reseller": reseller,
                    "product": catalog.product(),
                    "created": today,
                    "tickets": ids,
                }))?;
            } else {
                outln!(
                    "Created {} for {reseller} ({}, {}):",
                    plural(ids.len() as u64, "ticket", "tickets"),
                    catalog.product(),
                    order.kind
                );
                for id in &ids {
                    outln!("{id}");
                }
            }
            Ok(0)
        }
        TicketCommand::Redeem {
            ticket,
            licensee,
            bind,
            contact,
        } => {
            let id = TicketId::parse(ticket).map_err(Error::from)?;
            let pool = home.open_tickets()?;
            let mut issuer = home.issuer()?;
            let product = pool.get(&id).map_err(Error::from)?.order.product.clone();
            let catalog = issuer.catalogs().get(&product)?.clone();
            let bind = bind_to(bind, &catalog)?;
            let customer = Customer {
                licensee: licensee.clone(),
                contact: contact.clone(),
                ..Customer::default()
            };
            let r = issuer.redeem(&pool, &id, customer, bind, today)?;
            if json {
                output::json(&json!({
                    "ticket": r.ticket,
                    "again": r.again,
                    "issued": issued_json(&r.issued, &catalog),
                }))?;
            } else {
                let title = if r.again {
                    format!("Ticket {id} was redeemed for this installation before; the same code")
                } else {
                    format!("Ticket {id} redeemed")
                };
                print_issued(&title, &r.issued, &catalog);
            }
            Ok(0)
        }
        TicketCommand::PassOn { to, count, out } => {
            let records = home.all_records()?;
            let mut pool = home.open_tickets()?;
            let redeemed = |id: &TicketId| {
                let id = id.to_string();
                records.iter().any(|r| r.ticket.as_deref() == Some(id.as_str()))
            };
            let export = pool.pass_on(to, *count, redeemed, today)?;
            let text = export.to_json()?;
            match out {
                Some(path) => {
                    write_new(path, format!("{text}\n").as_bytes())?;
                    if json {
                        output::json(&json!({
                            "to": to,
                            "file": path,
                            "tickets": export.tickets.len(),
                        }))?;
                    } else {
                        outln!(
                            "Passed {} on to {to}, written to {}; {to} imports them (`licensectl ticket import`) and redeems them in its own licensing directory, not here.",
                            plural(export.tickets.len() as u64, "ticket", "tickets"),
                            path.display()
                        );
                    }
                }
                None => outln!("{text}"),
            }
            Ok(0)
        }
        TicketCommand::Export { reseller, out } => {
            let records = home.all_records()?;
            let mut pool = home.open_tickets()?;
            let redeemed = |id: &TicketId| {
                let id = id.to_string();
                records.iter().any(|r| r.ticket.as_deref() == Some(id.as_str()))
            };
            let export = pool.export(reseller, redeemed, today)?;
            let text = export.to_json()?;
            match out {
                Some(path) => {
                    write_new(path, format!("{text}\n").as_bytes())?;
                    if json {
                        output::json(&json!({
                            "reseller": reseller,
                            "file": path,
                            "tickets": export.tickets.len(),
                        }))?;
                    } else {
                        outln!(
                            "Wrote {} of {reseller} to {}; redeem them in {reseller}'s licensing directory (`licensectl ticket import`), not here.",
                            plural(export.tickets.len() as u64, "open ticket", "open tickets"),
                            path.display()
                        );
                    }
                }
                None => outln!("{text}"),
            }
            Ok(0)
        }
        TicketCommand::Import { file } => {
            let text = fs::read_to_string(file).map_err(|source| Error::Io {
                path: file.clone(),
                source,
            })?;
            let export = TicketExport::parse(&text)?;
            let issuer = home.issuer()?;
            let mut pool = home.open_tickets()?;
            let imported = pool.import(&issuer, &export, today)?;
            let name = &export.reseller;
            if json {
                output::json(&imported)?;
            } else {
                outln!(
                    "Imported {} of {name} ({} already in the pool).",
                    plural(imported.added as u64, "ticket", "tickets"),
                    imported.already
                );
            }
            Ok(0)
        }
        TicketCommand::Report { reseller, csv } => {
            let records = home.all_records()?;
            let pool = home.open_tickets()?;
            let r = ticket_report(&pool, &records, reseller.as_deref());
            if json {
                output::json(&r)?;
            } else if *csv {
                out!("{}", to_csv(&r.tickets)?);
            } else {
                outln!(
                    "Tickets per reseller (received: from the reseller above; passed on: to a sub-reseller; open: not redeemed; handed over: to be redeemed by the reseller):"
                );
                super::reports::table(&r.resellers);
                outln!();
                super::reports::table(&r.tickets);
            }
            Ok(0)
        }
    }
}
