//! Redeeming a ticket: the ticket's order, with the licensee and the installation, issued
//! through the ordinary issuer under the order key `ticket:<id>`.

use std::cell::Cell;

use license_core::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::TicketPool;
use super::error::TicketError;
use crate::channel::tickets::id::TicketId;
use crate::error::Error;
use crate::issuer::Issuer;
use crate::issuer::error::OrderError;
use crate::issuer::order::{BindTo, Customer, Issued};
use crate::ledger::error::LedgerError;
use crate::ledger::store::{Ledger, OrderRef, Record, normalize_licensee};

/// A ticket redeemed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Redemption {
    /// The ticket.
    pub ticket: TicketId,
    /// The code, bound to the installation.
    pub issued: Issued,
    /// Whether the ticket had been redeemed for this installation before: the same code
    /// again, nothing issued.
    pub again: bool,
}

/// The ledger's order key of a ticket's redemption.
pub(crate) fn order_key(id: &TicketId) -> String {
    format!("ticket:{id}")
}

/// The order key and a digest of what makes one installation: the licensee as the
/// signature compares it, and the binding.
fn reference(id: &TicketId, licensee: &str, bind: &BindTo) -> Result<OrderRef, Error> {
    let json =
        serde_json::to_vec(&(id, normalize_licensee(licensee), bind)).map_err(LedgerError::LedgerEncode)?;
    Ok(OrderRef {
        key: order_key(id),
        digest: hex::encode(&Sha256::digest(&json)[..16]),
    })
}

/// The same code again for the same installation; refused for another.
fn earlier(id: &TicketId, reference: &OrderRef, first: &Record) -> Result<Redemption, Error> {
    match (&first.order, &first.code) {
        (Some(o), Some(code)) if o == reference => Ok(Redemption {
            ticket: *id,
            issued: Issued {
                operation: first.operation,
                product: first.product.clone(),
                licensee: first.licensee.clone(),
                database: first.database.clone(),
                license: first.license,
                code: code.clone(),
            },
            again: true,
        }),
        _ => Err(TicketError::Redeemed {
            ticket: *id,
            licensee: first.licensee.clone(),
            on: first.recorded,
            license_id: first.license.license_id,
        }
        .into()),
    }
}

impl<L: Ledger> Issuer<L> {
    /// Redeem ticket `id` of `pool` for `customer` (its licensee, contact and site; the
    /// reseller and references are the ticket's) and the installation `bind` (a database
    /// code, a machine, or both): issues the ticket's order with them, recorded with
    /// `ticket: Some(id)` and the ticket's reseller. Once per ticket: for the same
    /// installation again (licensee compared as the signature compares it, and the same
    /// binding) it returns the first code and issues nothing; for another it is refused
    /// with [`TicketError::Redeemed`]. Two redeemers at once are told apart by the
    /// ledger's order key: one issues, the other gets its code or the refusal.
    pub fn redeem(
        &mut self,
        pool: &TicketPool,
        id: &TicketId,
        customer: Customer,
        bind: BindTo,
        today: Date,
    ) -> Result<Redemption, Error> {
        let licensee = customer.licensee.as_str();
        let ticket = pool.get(id)?;
        if let Some((to, on)) = pool.passed_on(id) {
            return Err(TicketError::PassedOn {
                ticket: *id,
                to: to.to_owned(),
                on,
            }
            .into());
        }
        if ticket.imported.is_none()
            && let Some((reseller, on)) = pool.handed_over(id)
        {
            return Err(TicketError::HandedOver {
                ticket: *id,
                reseller: reseller.to_owned(),
                on,
            }
            .into());
        }
        if licensee.trim().is_empty() {
            return Err(Error::Order(OrderError::EmptyLicensee));
        }
        if bind.database.is_none() && bind.machine.is_none() {
            return Err(Error::Ticket(TicketError::NoInstallation));
        }
        let reference = reference(id, licensee, &bind)?;
        if let Some(first) = self.ledger().records_of_order(&reference.key)?.first() {
            return earlier(id, &reference, first);
        }
        let mut order = ticket.order.clone();
        order.customer.reseller = Some(ticket.reseller.clone());
        order.customer.licensee = customer.licensee.clone();
        order.customer.contact = customer.contact;
        order.customer.site = customer.site.or(order.customer.site);
        order.customer.customer_ref = customer.customer_ref.or(order.customer.customer_ref);
        order.bind = bind;
        let replayed = Cell::new(false);
        match self.issue_for_ticket(&reference, &order, &id.to_string(), today, &replayed) {
            Ok(issued) => Ok(Redemption {
                ticket: *id,
                issued,
                again: replayed.get(),
            }),
            // Another redeemer came first, for another installation.
            Err(Error::Ledger(LedgerError::OrderKeyReused { .. })) => {
                match self.ledger().records_of_order(&reference.key)?.first() {
                    Some(first) => earlier(id, &reference, first),
                    None => Err(Error::Ledger(LedgerError::Conflict { license_id: 0 })),
                }
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::channel::error::ChannelError;
    use license_core::{Date, Kind, MachineBinding};

    use super::*;
    use crate::catalog::product::{Catalog, Catalogs};
    use crate::channel::tickets::test_support::{day, issuer};
    use crate::channel::tickets::{Imported, Ticket, TicketExport};
    use crate::issuer::order::{Customer, NewLicense};
    use crate::keys::vendor::VendorKey;
    use crate::ledger::store::MemoryLedger;

    fn scope() -> NewLicense {
        let mut o = NewLicense::new("demo-erp", Kind::Subscription, Customer::default());
        o.line = Some("standard".into());
        o.named_users = Some(10);
        o.modules = vec!["crm".into()];
        o
    }

    fn pool(dir: &std::path::Path) -> TicketPool {
        TicketPool::open(&dir.join("tickets.jsonl")).unwrap()
    }

    fn create(issuer: &Issuer<MemoryLedger>, pool: &mut TicketPool, n: u32) -> Vec<Ticket> {
        pool.create(issuer, "Contoso", &scope(), n, day()).unwrap()
    }

    #[test]
    fn a_ticket_gives_one_code_the_same_again_and_refuses_another_installation() {
        let dir = tempfile::tempdir().unwrap();
        let mut issuer = issuer();
        let mut pool = pool(dir.path());
        let t = create(&issuer, &mut pool, 2);
        let first = issuer
            .redeem(
                &pool,
                &t[0].id,
                Customer::new("ACME Corp"),
                BindTo::database("DB-ZSNRK-1WQ6N-GHZP2-K95B9"),
                day(),
            )
            .unwrap();
        assert!(!first.again);
        assert_eq!(first.issued.license.named_users, Some(10));
        let records = issuer.ledger().records().unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].ticket.as_deref(), Some(t[0].id.to_string().as_str()));
        assert_eq!(records[0].reseller.as_deref(), Some("Contoso"));
        // The same installation a day later (licensee spelled differently): the same code.
        let again = issuer
            .redeem(
                &pool,
                &t[0].id,
                Customer::new(" acme  corp "),
                BindTo::database("DB-ZSNRK-1WQ6N-GHZP2-K95B9"),
                day().saturating_add_days(1),
            )
            .unwrap();
        assert!(again.again);
        assert_eq!(again.issued.code, first.issued.code);
        assert_eq!(issuer.ledger().records().unwrap().len(), 1, "nothing issued");
        // Another database, or another licensee: refused, naming the first redemption.
        for (licensee, db) in [
            ("ACME Corp", "DB-XBCB3-D56SS-K3RXM-4N75J"),
            ("Other Ltd", "DB-ZSNRK-1WQ6N-GHZP2-K95B9"),
        ] {
            let e = issuer
                .redeem(
                    &pool,
                    &t[0].id,
                    Customer::new(licensee),
                    BindTo::database(db),
                    day(),
                )
                .unwrap_err();
            match &e {
                Error::Ticket(TicketError::Redeemed {
                    licensee,
                    on,
                    license_id,
                    ..
                }) => {
                    assert_eq!((licensee.as_str(), *on), ("ACME Corp", day()));
                    assert_eq!(*license_id, first.issued.license.license_id);
                }
                other => panic!("{other:?}"),
            }
            assert!(
                e.to_string()
                    .contains("already redeemed on 2026-12-01 for ACME Corp"),
                "{e}"
            );
        }
        // The other ticket is still open and gives its own license.
        let second = issuer
            .redeem(
                &pool,
                &t[1].id,
                Customer::new("Other Ltd"),
                BindTo::database("DB-XBCB3-D56SS-K3RXM-4N75J"),
                day(),
            )
            .unwrap();
        assert_ne!(second.issued.license.license_id, first.issued.license.license_id);
    }

    #[test]
    fn a_machine_fingerprint_is_an_installation_too() {
        let dir = tempfile::tempdir().unwrap();
        let mut issuer = issuer();
        let mut pool = pool(dir.path());
        let t = create(&issuer, &mut pool, 1);
        let machine = |seed: u8| {
            let set = license_core::ComponentSet::from_bits(0b0111).unwrap();
            let digests =
                std::array::from_fn(|i| license_core::ComponentDigest::from_bytes([seed, i as u8, 7]));
            BindTo::machine(MachineBinding::new(set, digests, 1).unwrap())
        };
        let first = issuer
            .redeem(&pool, &t[0].id, Customer::new("ACME"), machine(1), day())
            .unwrap();
        assert!(first.issued.license.binding.machine.is_some());
        assert!(
            issuer
                .redeem(&pool, &t[0].id, Customer::new("ACME"), machine(1), day())
                .unwrap()
                .again
        );
        assert!(matches!(
            issuer.redeem(&pool, &t[0].id, Customer::new("ACME"), machine(2), day()),
            Err(Error::Ticket(TicketError::Redeemed { .. }))
        ));
    }

    #[test]
    fn refusals_before_issuing() {
        let dir = tempfile::tempdir().unwrap();
        let mut issuer = issuer();
        let mut pool = pool(dir.path());
        let t = create(&issuer, &mut pool, 1);
        let unknown = TicketId::from_random([1; 12]);
        assert!(matches!(
            issuer.redeem(
                &pool,
                &unknown,
                Customer::new("ACME"),
                BindTo::database("DB-SWXBS-0S6CH-NSJ2J-9FDYJ"),
                day()
            ),
            Err(Error::Ticket(TicketError::Unknown { .. }))
        ));
        assert!(matches!(
            issuer.redeem(&pool, &t[0].id, Customer::new("ACME"), BindTo::nothing(), day()),
            Err(Error::Ticket(TicketError::NoInstallation))
        ));
        assert!(matches!(
            issuer.redeem(
                &pool,
                &t[0].id,
                Customer::new(" "),
                BindTo::database("DB-SWXBS-0S6CH-NSJ2J-9FDYJ"),
                day()
            ),
            Err(Error::Order(OrderError::EmptyLicensee))
        ));
        // Handed to the reseller: the vendor no longer redeems it.
        let export = pool.export("Contoso", |_| false, day()).unwrap();
        assert_eq!(export.tickets.len(), 1);
        let e = issuer
            .redeem(
                &pool,
                &t[0].id,
                Customer::new("ACME"),
                BindTo::database("DB-SWXBS-0S6CH-NSJ2J-9FDYJ"),
                day(),
            )
            .unwrap_err();
        assert!(
            matches!(e, Error::Ticket(TicketError::HandedOver { .. })),
            "{e:?}"
        );
        assert!(issuer.ledger().records().unwrap().is_empty());
    }

    /// An issuer in the home of reseller `name`, certified by the vendor `vendor` with a
    /// frame of subscriptions of at most `users` named users and crm only.
    fn reseller_issuer(vendor: &VendorKey, name: &str, seed: u8, users: u32) -> Issuer<MemoryLedger> {
        use license_core::{Frame, IdRange, KindSet, LineSet, ModuleSet};
        let key = VendorKey::from_seed(&[seed; 32]);
        let catalog = Catalog::demo().unwrap();
        let lines = catalog
            .lines()
            .iter()
            .fold(LineSet::EMPTY, |s, &(_, n)| s.with(n));
        let crm = catalog.module("crm").unwrap();
        let mut frame = Frame::new(
            KindSet::EMPTY.with(Kind::Subscription),
            lines,
            ModuleSet::EMPTY.with(crm),
            Date::from_ymd(2028, 1, 1).unwrap(),
        );
        frame.named_users = Some(users);
        frame.license_ids = Some(IdRange {
            first: 500_000,
            last: 500_999,
        });
        let chain =
            crate::channel::reseller::certify(vendor, "demo-erp", key.public_key(), name, 7, frame, None)
                .unwrap();
        let signer = crate::keys::signer::ResellerSigner::new(key, [("demo-erp".to_owned(), chain)]).unwrap();
        let mut catalogs = Catalogs::new();
        catalogs.insert(catalog);
        Issuer::new(catalogs, signer, MemoryLedger::new())
    }

    #[test]
    fn the_reseller_redeems_what_it_imported_inside_its_frame() {
        let dir = tempfile::tempdir().unwrap();
        let vendor_key = VendorKey::from_seed(&[9; 32]);
        let issuer_v = issuer();
        let mut vendor = TicketPool::open(&dir.path().join("vendor.jsonl")).unwrap();
        let t = create(&issuer_v, &mut vendor, 3);
        let export = vendor.export("Contoso", |id| *id == t[2].id, day()).unwrap();
        assert_eq!(export.tickets.len(), 2, "a redeemed ticket is not exported");
        let text = export.to_json().unwrap();
        let mut reseller = TicketPool::open(&dir.path().join("reseller.jsonl")).unwrap();
        let parsed = TicketExport::parse(&text).unwrap();
        // Fabrikam's home refuses Contoso's tickets; the vendor's is no reseller's.
        let fabrikam = reseller_issuer(&vendor_key, "Fabrikam", 2, 50);
        for wrong in [&fabrikam, &issuer_v] {
            assert!(matches!(
                reseller.import(wrong, &parsed, day()),
                Err(Error::Ticket(TicketError::WrongReseller { .. }))
            ));
        }
        // A frame of 5 users refuses tickets of 10, before anything is imported.
        let narrow = reseller_issuer(&vendor_key, "Contoso", 3, 5);
        match reseller.import(&narrow, &parsed, day()) {
            Err(Error::Ticket(TicketError::OutsideScope { ticket, reason })) => {
                assert_eq!(ticket, t[0].id);
                assert!(
                    matches!(
                        reason.downcast_ref::<Error>(),
                        Some(Error::Channel(ChannelError::OutsideFrame { .. }))
                    ),
                    "{reason:?}"
                );
                assert!(reason.to_string().contains("10"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(reseller.tickets().count(), 0);
        let mut contoso = reseller_issuer(&vendor_key, "Contoso", 3, 50);
        // A reseller creates tickets for itself only; inside its frame only.
        assert!(matches!(
            reseller.create(&contoso, "Fabrikam", &scope(), 1, day()),
            Err(Error::Channel(ChannelError::ResellerMismatch { .. }))
        ));
        let mut wide = scope();
        wide.modules = vec!["bi".into()];
        assert!(matches!(
            reseller.create(&contoso, "Contoso", &wide, 1, day()),
            Err(Error::Channel(ChannelError::OutsideFrame { .. }))
        ));
        assert_eq!(
            reseller.import(&contoso, &parsed, day()).unwrap(),
            Imported { added: 2, already: 0 }
        );
        assert_eq!(
            reseller.import(&contoso, &parsed, day()).unwrap(),
            Imported { added: 0, already: 2 }
        );
        let r = contoso
            .redeem(
                &reseller,
                &t[0].id,
                Customer::new("ACME"),
                BindTo::database("DB-SWXBS-0S6CH-NSJ2J-9FDYJ"),
                day(),
            )
            .unwrap();
        assert_eq!(r.issued.licensee, "ACME");
        assert_eq!(
            r.issued.license.license_id, 500_000,
            "from the certificate's range"
        );
        let v = license_core::UntrustedDelegatedCode::parse(&r.issued.code)
            .unwrap()
            .verify(
                &[vendor_key.public_key()],
                &license_core::Context {
                    product: "demo-erp",
                    licensee: "ACME",
                    database: Some("DB-SWXBS-0S6CH-NSJ2J-9FDYJ"),
                    machine: None,
                },
                |_| false,
            )
            .unwrap();
        assert_eq!(v.issuer().name.as_str(), "Contoso");
        let records = contoso.ledger().records().unwrap();
        assert_eq!(records[0].ticket.as_deref(), Some(t[0].id.to_string().as_str()));
        assert_eq!(records[0].reseller.as_deref(), Some("Contoso"));
        // A file altered to widen a ticket it already holds is refused.
        let mut widened = parsed.clone();
        widened.tickets[0].order.named_users = Some(20);
        assert!(matches!(
            reseller.import(&contoso, &widened, day()),
            Err(Error::Ticket(TicketError::ImportConflict { .. }))
        ));
        for bad in ["", "{}", &text.replace("license-tickets", "other")] {
            assert!(matches!(
                TicketExport::parse(bad),
                Err(Error::Ticket(TicketError::Export { .. }))
            ));
        }
    }
}
