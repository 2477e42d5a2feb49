//! Re-issuing the code in force (and an already issued next term) with one change:
//! shared by upgrades, maintenance packs, rehosting and transfers.

use license_core::{Date, License};

use super::validate::validate;
use super::{Draft, Issuer, customer_of};
use crate::catalog::product::Catalog;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::{Customer, Reissued};
use crate::ledger::history::LicenseHistory;
use crate::ledger::store::{Ledger, MaintenanceKind, Operation};

impl<L: Ledger> Issuer<L> {
    /// Apply `f` to the revision in force (effective today) and, if the next term was
    /// already renewed, to that term's revision too.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn change_now(
        &mut self,
        h: &LicenseHistory,
        catalog: &Catalog,
        operation: Operation,
        today: Date,
        customer: Option<Customer>,
        database: Option<Option<String>>,
        maintenance: Option<MaintenanceKind>,
        f: impl Fn(&License) -> Result<License, Error>,
    ) -> Result<Reissued, Error> {
        let current = self.current(h, today)?.clone();
        let next_term = h.pending(today).cloned();
        let customer = customer.unwrap_or_else(|| customer_of(h));
        let customer = Customer {
            reseller: customer.reseller.or_else(|| h.reseller.clone()),
            ..customer
        };
        let database = database.unwrap_or_else(|| h.database.clone());
        let mut revision = h.max_revision();
        let mut draft = |base: &License, valid_from: Date| -> Result<Draft, Error> {
            revision = revision
                .checked_add(1)
                .ok_or(Error::Order(OrderError::RevisionsExhausted {
                    license_id: h.license_id,
                }))?;
            let mut l = f(base)?;
            l.revision = revision;
            l.issued = today;
            l.valid_from = valid_from;
            Ok(Draft {
                operation,
                product: h.product.clone(),
                customer: customer.clone(),
                database: database.clone(),
                license: l,
                maintenance,
                withdrawn: None,
            })
        };
        let mut now_draft = draft(&current.license, today)?;
        let mut next_draft = match &next_term {
            Some(n) => Some(draft(&n.license, n.license.valid_from)?),
            None => None,
        };
        if let (Some(pending), Some(next)) = (&next_term, &mut next_draft)
            && pending.operation == Operation::Reduce
        {
            // Still the pending reduction (with the change): it can be withdrawn as before,
            // and the code in force now ends where it starts, as a mixed order's does.
            let effective = pending.license.valid_from;
            next.operation = Operation::Reduce;
            now_draft.license.expires =
                Some(now_draft.license.expires.map_or(effective, |e| e.min(effective)));
            // An interim code: replaced on the reduction date, never grace or demo mode.
            now_draft.license.interim = now_draft.license.expires == Some(effective);
        }
        // Validate both before recording either.
        validate(catalog, &now_draft.license, today)?;
        if let Some(n) = &next_draft {
            validate(catalog, &n.license, today)?;
        }
        let now = self.commit(catalog, now_draft, today)?;
        let next_term = match next_draft {
            Some(n) => Some(self.commit(catalog, n, today)?),
            None => None,
        };
        Ok(Reissued { now, next_term })
    }
}
