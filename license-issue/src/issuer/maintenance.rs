//! Maintenance packs for perpetual licenses.

use license_core::{Date, Kind};

use super::Issuer;
use crate::catalog::calendar;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::Reissued;
use crate::ledger::store::{Ledger, MaintenanceKind};

impl<L: Ledger> Issuer<L> {
    /// Associate a maintenance pack with a perpetual license: 12 months (the catalog's
    /// pack) from today, or from the current maintenance end if it is still running.
    pub fn add_maintenance(
        &mut self,
        license_id: u32,
        kind: MaintenanceKind,
        today: Date,
    ) -> Result<Reissued, Error> {
        self.transact(
            None,
            |is| is.add_maintenance_now(license_id, kind, today),
            |_| None,
        )
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn add_maintenance_now(
        &mut self,
        license_id: u32,
        kind: MaintenanceKind,
        today: Date,
    ) -> Result<Reissued, Error> {
        let h = self.open(license_id, today)?;
        let catalog = self.catalogs.get(&h.product)?.clone();
        let current = self.current(&h, today)?;
        if current.license.kind != Kind::Full {
            return Err(Error::Order(OrderError::NotApplicable {
                license_id,
                kind: current.license.kind,
                what: "maintenance packs are for perpetual licenses; a time-limited license has maintenance for its term",
            }));
        }
        let ends = calendar::maintenance_after_pack(
            h.maintenance_anchor(),
            current.license.maintenance_ends,
            today,
            catalog.defaults.maintenance_months,
        );
        self.set_maintenance(license_id, kind, ends, today)
    }
}
