//! Rehosting (another machine or database) and transfer to another licensee.

use license_core::Date;

use super::Issuer;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::{BindTo, Customer, Reissued, Unbind};
use crate::ledger::store::{Ledger, Operation};

impl<L: Ledger> Issuer<L> {
    /// Bind the license to another machine or database (a rehost): a new revision; the
    /// old binding is superseded and listed on the next revocation list. The part of the
    /// binding `bind` does not replace is kept unless `unbind` removes it.
    pub fn rehost(
        &mut self,
        license_id: u32,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        self.transact(
            None,
            |is| is.rehost_now(license_id, bind.clone(), unbind, today),
            |_| None,
        )
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn rehost_now(
        &mut self,
        license_id: u32,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        if bind.database.is_none()
            && bind.machine.is_none()
            && bind.seat_server.is_none()
            && unbind.is_nothing()
        {
            return Err(Error::Order(OrderError::NothingToRehost));
        }
        self.rebind(license_id, None, Operation::Rehost, &bind, unbind, today)
    }

    /// Transfer the license to another licensee (a reseller's license to its end
    /// customer). The binding changes as with [`Issuer::rehost`]: the parts `bind` gives
    /// replace the old ones, the parts `unbind` names are removed, the rest is kept. The
    /// reseller stays recorded unless `to.reseller` names another.
    pub fn transfer(
        &mut self,
        license_id: u32,
        to: Customer,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        self.transact(
            None,
            |is| is.transfer_now(license_id, to.clone(), bind.clone(), unbind, today),
            |_| None,
        )
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn transfer_now(
        &mut self,
        license_id: u32,
        to: Customer,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        if to.licensee.trim().is_empty() {
            return Err(Error::Order(OrderError::EmptyLicensee));
        }
        self.rebind(license_id, Some(to), Operation::Transfer, &bind, unbind, today)
    }

    fn rebind(
        &mut self,
        license_id: u32,
        to: Option<Customer>,
        operation: Operation,
        bind: &BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        let h = self.open(license_id, today)?;
        let catalog = self.catalogs.get(&h.product)?.clone();
        let current = self.current(&h, today)?.license.binding;
        let (binding, database) = bind.rebind(unbind, current, h.database.as_deref())?;
        self.change_now(&h, &catalog, operation, today, to, Some(database), None, |l| {
            let mut out = *l;
            out.binding = binding;
            Ok(out)
        })
    }
}
