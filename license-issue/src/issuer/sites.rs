//! Sites and orders: a license belongs to a customer's site and was issued in an order.
//! A site maintenance pack extends every license of one site at once; a reseller's order
//! is transferred to its end customer in one step.

use license_core::{Date, Kind};

use super::{Issuer, event};
use crate::catalog::calendar;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::{BindTo, Customer, Reissued, Unbind};
use crate::ledger::history::LicenseHistory;
use crate::ledger::store::{Ledger, MaintenanceKind, Operation, normalize_licensee};

fn same_name(a: &str, b: &str) -> bool {
    normalize_licensee(a) == normalize_licensee(b)
}

impl<L: Ledger> Issuer<L> {
    /// Assign a license to a customer's site (or move it to another site): recorded in
    /// the ledger, no new code.
    pub fn assign_site(&mut self, license_id: u32, site: &str, today: Date) -> Result<(), Error> {
        if site.trim().is_empty() {
            return Err(Error::Order(OrderError::EmptyName { what: "site" }));
        }
        // Through `transact` like every other operation: a concurrent change of the
        // license between the read and the append is a conflict, and it runs again.
        self.transact(
            None,
            |is| {
                let h = is.history(license_id)?;
                is.refuse_closed(&h, today)?;
                let latest = h
                    .latest()
                    .ok_or(Error::Order(OrderError::UnknownLicense { license_id }))?;
                let mut record = event(&h, latest, Operation::Site, today);
                record.site = Some(site.trim().to_owned());
                is.staged.push(record);
                Ok(())
            },
            |_| None,
        )
    }

    /// The open (not revoked, not erased) licenses of `site`, by id.
    pub fn licenses_of_site(&self, site: &str) -> Result<Vec<LicenseHistory>, Error> {
        Ok(self
            .histories()?
            .into_values()
            .filter(|h| h.revoked.is_none() && !h.erased)
            .filter(|h| h.site.as_deref().is_some_and(|s| same_name(s, site)))
            .collect())
    }

    /// What a site maintenance pack bought on `today` would cover, before it is bought:
    /// the licenses of `site` (by id) and their common new maintenance end (exclusive), with
    /// the same checks as [`Issuer::add_site_maintenance`].
    pub fn site_maintenance_plan(&self, site: &str, today: Date) -> Result<(Vec<u32>, Date), Error> {
        let licenses = self.licenses_of_site(site)?;
        if licenses.is_empty() {
            return Err(Error::Order(OrderError::NoLicenseAtSite {
                site: site.trim().to_owned(),
            }));
        }
        let mut running: Option<Date> = None;
        let mut anchor = today;
        let mut months = 0;
        for h in &licenses {
            let h = self.open(h.license_id, today)?;
            let current = self.current(&h, today)?;
            if current.license.kind != Kind::Full {
                return Err(Error::Order(OrderError::NotApplicable {
                    license_id: h.license_id,
                    kind: current.license.kind,
                    what: "maintenance packs are for perpetual licenses; a time-limited license has maintenance for its term",
                }));
            }
            months = months.max(self.catalogs.get(&h.product)?.defaults.maintenance_months);
            if let Some(m) = current.license.maintenance_ends
                && m > today
            {
                if running.is_none_or(|r| m > r) {
                    anchor = h.maintenance_anchor();
                }
                running = Some(running.map_or(m, |r| r.max(m)));
            }
        }
        let new_end = calendar::maintenance_after_pack(anchor, running, today, months);
        Ok((licenses.iter().map(|h| h.license_id).collect(), new_end))
    }

    /// A site maintenance pack ("for all servers of one site"): every perpetual license
    /// of `site` gets a new code with the same new maintenance end, 12 months (the
    /// catalog's pack) from today or from the latest maintenance end still running among
    /// them. Checked for every license before any code is issued; the codes are returned
    /// together, by license id.
    pub fn add_site_maintenance(&mut self, site: &str, today: Date) -> Result<Vec<Reissued>, Error> {
        let (licenses, new_end) = self.site_maintenance_plan(site, today)?;
        // Each license's new code is one batch of its own (recorded as it is issued).
        licenses
            .iter()
            .map(|&id| {
                self.transact(
                    None,
                    |is| is.set_maintenance(id, MaintenanceKind::Site, new_end, today),
                    |_| None,
                )
            })
            .collect()
    }

    /// Transfer the licenses of order `order_ref` (all of them, or the ones in `only`) to
    /// another licensee, as [`Issuer::transfer`] does one license: bindings kept, the
    /// order reference kept. Checked for every license before any code is issued.
    pub fn transfer_order(
        &mut self,
        order_ref: &str,
        only: &[u32],
        to: Customer,
        today: Date,
    ) -> Result<Vec<Reissued>, Error> {
        if order_ref.trim().is_empty() {
            return Err(Error::Order(OrderError::EmptyName { what: "order" }));
        }
        let in_order: Vec<u32> = self
            .histories()?
            .into_values()
            .filter(|h| h.revoked.is_none() && !h.erased)
            .filter(|h| h.order_ref.as_deref().is_some_and(|o| same_name(o, order_ref)))
            .map(|h| h.license_id)
            .collect();
        if in_order.is_empty() {
            return Err(Error::Order(OrderError::UnknownOrder {
                order_ref: order_ref.trim().to_owned(),
            }));
        }
        let chosen: Vec<u32> = if only.is_empty() {
            in_order
        } else {
            for id in only {
                if !in_order.contains(id) {
                    return Err(Error::Order(OrderError::NotInOrder {
                        license_id: *id,
                        order_ref: order_ref.trim().to_owned(),
                    }));
                }
            }
            let mut v = only.to_vec();
            v.sort_unstable();
            v.dedup();
            v
        };
        for id in &chosen {
            self.open(*id, today)?;
        }
        let to = Customer {
            order_ref: to.order_ref.or_else(|| Some(order_ref.trim().to_owned())),
            ..to
        };
        chosen
            .iter()
            .map(|id| self.transfer(*id, to.clone(), BindTo::default(), Unbind::default(), today))
            .collect()
    }

    /// A new revision with maintenance to `ends` (a pack of `kind`), and the already
    /// issued next term's too.
    pub(super) fn set_maintenance(
        &mut self,
        license_id: u32,
        kind: MaintenanceKind,
        ends: Date,
        today: Date,
    ) -> Result<Reissued, Error> {
        let h = self.open(license_id, today)?;
        let catalog = self.catalogs.get(&h.product)?.clone();
        self.change_now(
            &h,
            &catalog,
            Operation::Maintenance,
            today,
            None,
            None,
            Some(kind),
            |l| {
                let mut out = *l;
                out.maintenance_ends = Some(ends);
                Ok(out)
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use license_core::{Date, Kind};

    use crate::catalog::product::{Catalog, Catalogs, DEMO_CATALOG};
    use crate::issuer::Issuer;
    use crate::issuer::order::{Customer, NewLicense};
    use crate::issuer::place::{Order, Outcome};
    use crate::keys::vendor::VendorKey;
    use crate::ledger::store::{Ledger, MaintenanceKind, MemoryLedger};

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    fn issuer() -> Issuer<MemoryLedger> {
        let mut catalogs = Catalogs::new();
        catalogs.insert(Catalog::from_toml(DEMO_CATALOG, std::path::Path::new("demo")).unwrap());
        Issuer::new(catalogs, VendorKey::from_seed(&[7; 32]), MemoryLedger::new())
    }

    fn server(is: &mut Issuer<MemoryLedger>, site: &str, day: Date) -> u32 {
        let mut o = NewLicense::new(
            "demo-erp",
            Kind::Full,
            Customer {
                site: Some(site.into()),
                ..Customer::new("ACME Corp")
            },
        );
        o.named_users = Some(5);
        is.issue(&o, day).unwrap().license.license_id
    }

    fn maintenance(is: &Issuer<MemoryLedger>, id: u32, day: Date) -> Option<Date> {
        is.history(id)
            .unwrap()
            .effective_on(day)
            .unwrap()
            .license
            .maintenance_ends
    }

    #[test]
    fn the_plan_of_a_site_pack_is_what_the_pack_applies_and_previews_record_nothing() {
        let mut is = issuer();
        let berlin = [
            server(&mut is, "Berlin", d(2026, 1, 10)),
            server(&mut is, "berlin ", d(2026, 3, 10)),
        ];
        let hamburg = server(&mut is, "Hamburg", d(2026, 1, 10));
        let today = d(2026, 6, 1);
        let records = is.ledger().records().unwrap().len();
        let (ids, ends) = is.site_maintenance_plan("Berlin", today).unwrap();
        assert_eq!(ids, berlin.to_vec());
        // A one-server preview and a cancellation's preview: nothing recorded.
        let one = Order::Maintenance {
            license_id: hamburg,
            kind: MaintenanceKind::OneServer,
        };
        let Outcome::Reissued(r) = is.preview(&one, today).unwrap() else {
            panic!("a maintenance pack reissues")
        };
        assert!(is.preview(&Order::Cancel { license_id: hamburg }, today).is_err());
        assert_eq!(is.ledger().records().unwrap().len(), records);
        let hamburg_before = maintenance(&is, hamburg, today);
        assert!(r.now.license.maintenance_ends > hamburg_before);

        let out = is.add_site_maintenance("Berlin", today).unwrap();
        assert_eq!(out.len(), 2);
        for id in berlin {
            assert_eq!(maintenance(&is, id, today), Some(ends), "license {id}");
        }
        assert_eq!(maintenance(&is, hamburg, today), hamburg_before);
        // The previewed one-server pack is what placing it gives.
        let Outcome::Reissued(placed) = is.place(None, &one, today).unwrap() else {
            panic!("a maintenance pack reissues")
        };
        assert_eq!(
            placed.now.license.maintenance_ends,
            r.now.license.maintenance_ends
        );
    }
}
