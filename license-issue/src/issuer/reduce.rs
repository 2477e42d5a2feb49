//! Reductions (effective at the product's reduction date) and their withdrawal.

use license_core::{Date, Kind, License};

use super::validate::validate;
use super::{Draft, Issuer, customer_of};
use crate::catalog::calendar;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::{Change, Issued, Reduction};
use crate::ledger::store::{Ledger, Operation};

impl<L: Ledger> Issuer<L> {
    /// A reduction (or a mixed order), effective on the day the product's
    /// [`ReductionPolicy`](calendar::ReductionPolicy) gives:
    ///
    /// - `contract-year` (on-premises): the next contract anniversary (the license's first
    ///   day plus whole years) if ordered at least N months before it (default 3), else
    ///   the one after. The scope *and the maintenance* drop together: the reduced code
    ///   carries the next contract year's maintenance (to `anniversary + maintenance
    ///   months`, if maintenance runs to the anniversary), and a code in force whose
    ///   maintenance runs past the anniversary is re-issued with its maintenance ending
    ///   there, so releases built later are covered only by the reduced scope. For a
    ///   subscription whose term ends on the anniversary, the reduced code is the next
    ///   term's.
    /// - `quarterly` (instances the vendor hosts): the next calendar quarter start if
    ///   ordered at least 20 days before it, else the one after.
    ///
    /// A subscription or NFR license whose term ends on the reduction date is reduced from
    /// its next term: the reduced code is the next term's (under either policy). One whose
    /// term ends before the reduction date is refused ([`OrderError::ReductionAfterExpiry`](crate::OrderError::ReductionAfterExpiry)):
    /// the scope changes at renewal ([`Issuer::renew_with`]).
    ///
    /// Additions in the same order take effect at once, in a code valid until the
    /// reduction starts.
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
            return Err(Error::Order(OrderError::NextTermPending {
                license_id,
                revision: p.license.revision,
                starts: p.license.valid_from,
            }));
        }
        if !split.shrinks {
            return Err(Error::Order(OrderError::ReducesNothing { license_id }));
        }
        let policy = catalog.reduction_policy();
        let contract_start = h.contract_start().unwrap_or(current.license.valid_from);
        // The same dates a portal shows before the customer confirms.
        let (effective, cutoff) = h.reduction_dates(policy, today).unwrap_or_else(|| {
            let effective = policy.effective(today, contract_start);
            (effective, policy.cutoff(effective))
        });
        let contract_year = matches!(policy, calendar::ReductionPolicy::ContractYear { .. });
        // A subscription whose term ends on the reduction date (its contract anniversary,
        // or under `quarterly` a term ending on the quarter start) is reduced from the next
        // term on: the reduced code is the next term's.
        let next_term_reduced = next_term.is_none()
            && base.expires == Some(effective)
            && matches!(base.kind, Kind::Subscription | Kind::Nfr);
        if let Some(expires) = base.expires
            && effective >= expires
            && !next_term_reduced
        {
            return Err(Error::Order(OrderError::ReductionAfterExpiry {
                license_id,
                effective,
                expires,
            }));
        }
        let customer = customer_of(&h);
        let mut revision = h.max_revision();
        let mut next_revision = || {
            revision = revision.saturating_add(1);
            revision
        };
        // Under contract-year the maintenance of a perpetual license ends at the
        // anniversary for the scope given up.
        let cut_maintenance = |l: &mut License| {
            if contract_year && l.kind == Kind::Full && l.maintenance_ends.is_none_or(|m| m > effective) {
                l.maintenance_ends = Some(effective);
            }
        };
        let immediate = if split.grows {
            // The additions at once, in an interim code that ends where the reduced code
            // begins.
            let mut l = change.apply_part(&catalog, &current.license, true, false)?;
            l.revision = next_revision();
            l.issued = today;
            l.valid_from = today;
            l.expires = Some(l.expires.map_or(effective, |e| e.min(effective)));
            // Interim: from the reduction date it is "replaced", never in grace or demo
            // mode, so the larger scope ends there (format 2).
            l.interim = l.expires == Some(effective);
            cut_maintenance(&mut l);
            Some((l, Operation::Upgrade))
        } else {
            let mut l = current.license;
            cut_maintenance(&mut l);
            (l.maintenance_ends != current.license.maintenance_ends && next_term.is_none()).then(|| {
                l.revision = next_revision();
                l.issued = today;
                l.valid_from = today;
                (l, Operation::Reduce)
            })
        };
        let mut reduced = change.apply(&catalog, &base)?;
        reduced.revision = next_revision();
        reduced.issued = today;
        reduced.valid_from = effective;
        if next_term_reduced {
            let term = super::terms::term_of(&h, &catalog, base.kind)
                .unwrap_or(calendar::TermLength::Months(catalog.defaults.subscription_months));
            let (_, ends) = calendar::next_term(contract_start, effective, today, term);
            reduced.expires = Some(ends);
            if base.maintenance_ends == base.expires {
                reduced.maintenance_ends = Some(ends);
            }
        } else if contract_year
            && reduced.kind == Kind::Full
            && let Some(m) = base.maintenance_ends
            && m >= effective
        {
            // The reduced code carries the next contract year's maintenance.
            let next_year = calendar::advance(contract_start, effective, catalog.defaults.maintenance_months);
            reduced.maintenance_ends = Some(m.max(next_year));
        }
        if let Some((l, _)) = &immediate {
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
            Some((l, operation)) => Some(self.commit(&catalog, draft(l, operation), today)?),
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

    /// Withdraw a pending reduction, up to and including its cutoff (the last day it
    /// could have been ordered for the same start: 20 days before a quarter start, N
    /// months before a contract anniversary). Re-issues the scope before the reduction
    /// (with the additions of a mixed order, without their end date, and the maintenance
    /// it had before a contract-year reduction cut it) as a new revision, since the
    /// customer may already have entered the reduced code.
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
            .ok_or(Error::Order(OrderError::NoPendingReduction { license_id }))?;
        let effective = pending.license.valid_from;
        let policy = catalog.reduction_policy();
        if !policy.may_withdraw(effective, today) {
            return Err(Error::Order(OrderError::WithdrawalTooLate {
                license_id,
                effective,
                cutoff: policy.cutoff(effective),
            }));
        }
        // The scope in force the day before the reduction: the current code, or the next
        // term's if it was issued and starts before the reduction.
        let base = h
            .effective_on(effective.saturating_add_days(-1).max(today))
            .ok_or(Error::Order(OrderError::UnknownLicense { license_id }))?;
        let mut l = base.license;
        l.revision = h.max_revision().saturating_add(1);
        l.issued = today;
        l.valid_from = base.license.valid_from.max(today);
        // A time-limited license's maintenance is its term: it follows the end (a
        // reduction of the next term withdrawn keeps the next term, at the full scope).
        if l.kind != Kind::Full && l.maintenance_ends == l.expires {
            l.maintenance_ends = pending.license.expires;
        }
        l.expires = pending.license.expires;
        // No longer ends where a reduction begins.
        l.interim = false;
        if l.kind == Kind::Full {
            // The maintenance before the reduction cut it at the anniversary: the longest
            // of the revisions issued before the pending one (none = every release).
            l.maintenance_ends = h
                .revisions
                .iter()
                .filter(|r| !r.withdrawn && r.license.revision < pending.license.revision)
                .map(|r| r.license.maintenance_ends)
                .max_by(|a, b| match (a, b) {
                    (None, None) => std::cmp::Ordering::Equal,
                    (None, _) => std::cmp::Ordering::Greater,
                    (_, None) => std::cmp::Ordering::Less,
                    (Some(a), Some(b)) => a.cmp(b),
                })
                .unwrap_or(l.maintenance_ends);
        }
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
