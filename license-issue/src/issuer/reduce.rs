//! Reductions (effective at a quarter start) and their withdrawal.

use license_core::{Date, License};

use super::{Draft, Issuer, customer_of, validate};
use crate::Error;
use crate::calendar;
use crate::ledger::{Ledger, Operation};
use crate::order::{Change, Issued, Reduction};

impl<L: Ledger> Issuer<L> {
    /// A reduction (or a mixed order): the reduced scope takes effect at the next
    /// quarter start if ordered at least 20 days before it, else at the one after (see
    /// [`calendar`]). Additions in the same order take effect at once, in a code valid
    /// until the reduction starts.
    ///
    /// If the next term's code is already issued, the reduced code is cut from it: valid
    /// from the reduction's start to the end of the next term (it supersedes that code).
    /// A mixed order then is refused: order the additions with [`Issuer::upgrade`] first.
    pub fn reduce(&mut self, license_id: u32, change: &Change, today: Date) -> Result<Reduction, Error> {
        self.transact(None, |is| is.reduce_now(license_id, change, today), |_| None)
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn reduce_now(
        &mut self,
        license_id: u32,
        change: &Change,
        today: Date,
    ) -> Result<Reduction, Error> {
        let h = self.open(license_id, today)?;
        let next_term = h.pending(today).cloned();
        let catalog = self.catalogs.get(&h.product)?.clone();
        let current = self.current(&h, today)?.clone();
        // The scope and end the reduced code starts from: the next term's if issued.
        let base = next_term.as_ref().unwrap_or(&current).license;
        let split = change.split(&catalog, &current.license)?;
        if let (Some(p), true) = (&next_term, split.grows) {
            return Err(Error::NextTermPending {
                license_id,
                revision: p.license.revision,
                starts: p.license.valid_from,
            });
        }
        if !split.shrinks {
            return Err(Error::ReducesNothing { license_id });
        }
        let effective = calendar::reduction_effective(today);
        let cutoff = calendar::reduction_cutoff(effective);
        if let Some(expires) = base.expires
            && effective >= expires
        {
            return Err(Error::ReductionAfterExpiry {
                license_id,
                effective,
                expires,
            });
        }
        let customer = customer_of(&h);
        let mut revision = h.max_revision();
        let mut next_revision = || {
            revision = revision.saturating_add(1);
            revision
        };
        let immediate = if split.grows {
            let mut l = change.apply_part(&catalog, &current.license, true, false)?;
            l.revision = next_revision();
            l.issued = today;
            l.valid_from = today;
            l.expires = Some(l.expires.map_or(effective, |e| e.min(effective)));
            Some(l)
        } else {
            None
        };
        let mut reduced = change.apply(&catalog, &base)?;
        reduced.revision = next_revision();
        reduced.issued = today;
        reduced.valid_from = effective;
        if let Some(l) = &immediate {
            validate(&catalog, l, today)?;
        }
        validate(&catalog, &reduced, today)?;
        let draft = |license: License, operation| Draft {
            operation,
            product: h.product.clone(),
            customer: customer.clone(),
            database: h.database.clone(),
            license,
            maintenance: None,
            withdrawn: None,
        };
        let immediate = match immediate {
            Some(l) => Some(self.commit(&catalog, draft(l, Operation::Upgrade), today)?),
            None => None,
        };
        let scheduled = self.commit(&catalog, draft(reduced, Operation::Reduce), today)?;
        Ok(Reduction {
            effective,
            cutoff,
            immediate,
            scheduled,
        })
    }

    /// Withdraw a pending reduction, up to and including its cutoff (20 days before it
    /// takes effect). Re-issues the scope before the reduction (with the additions of a
    /// mixed order, without their end date) as a new revision, since the customer may
    /// already have entered the reduced code.
    pub fn withdraw_reduction(&mut self, license_id: u32, today: Date) -> Result<Issued, Error> {
        self.transact(None, |is| is.withdraw_reduction_now(license_id, today), |_| None)
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn withdraw_reduction_now(&mut self, license_id: u32, today: Date) -> Result<Issued, Error> {
        let h = self.history(license_id)?;
        self.refuse_closed(&h, today)?;
        let catalog = self.catalogs.get(&h.product)?.clone();
        let pending = h
            .pending_reduction(today)
            .cloned()
            .ok_or(Error::NoPendingReduction { license_id })?;
        let effective = pending.license.valid_from;
        if !calendar::may_withdraw(effective, today) {
            return Err(Error::WithdrawalTooLate {
                license_id,
                effective,
                cutoff: calendar::reduction_cutoff(effective),
            });
        }
        // The scope in force the day before the reduction: the current code, or the next
        // term's if it was issued and starts before the reduction.
        let base = h
            .effective_on(effective.saturating_add_days(-1).max(today))
            .ok_or(Error::UnknownLicense { license_id })?;
        let mut l = base.license;
        l.revision = h.max_revision().saturating_add(1);
        l.issued = today;
        l.valid_from = base.license.valid_from.max(today);
        l.expires = pending.license.expires;
        validate(&catalog, &l, today)?;
        self.commit(
            &catalog,
            Draft {
                operation: Operation::Withdraw,
                product: h.product.clone(),
                customer: customer_of(&h),
                database: h.database.clone(),
                license: l,
                maintenance: None,
                withdrawn: Some(pending.license.revision),
            },
            today,
        )
    }
}
