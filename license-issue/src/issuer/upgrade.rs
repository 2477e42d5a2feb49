//! Additional orders: more users, seats or modules, or a higher line, effective at once.

use license_core::Date;

use super::Issuer;
use super::pending::held_up;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::{Change, Reissued};
use crate::ledger::store::{Ledger, Operation};

impl<L: Ledger> Issuer<L> {
    /// An additional order (more users, seats or modules, a higher line), effective at
    /// once as a new revision. Anything that shrinks is refused: use [`Issuer::reduce`].
    ///
    /// While a reduction is pending, the catalog's `while_reduction_pending` decides:
    /// under `refuse` (the default) a new count of named users or seats, or a module the
    /// reduction removes, is refused ([`OrderError::WithdrawReductionFirst`] up to the
    /// reduction's cutoff, [`OrderError::ReductionFixed`] after it; see `pending::held_up`).
    /// What is not held up (and everything under `apply-on-top`) takes effect at once:
    /// the code in force is re-issued with the additions until the reduction's start, and
    /// the pending reduced code is re-issued with the additions from it (`next_term` of
    /// the result, still a reduction that can be withdrawn until its cutoff).
    pub fn upgrade(&mut self, license_id: u32, change: &Change, today: Date) -> Result<Reissued, Error> {
        self.transact(None, |is| is.upgrade_now(license_id, change, today), |_| None)
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn upgrade_now(
        &mut self,
        license_id: u32,
        change: &Change,
        today: Date,
    ) -> Result<Reissued, Error> {
        let h = self.history(license_id)?;
        self.refuse_closed(&h, today)?;
        let pending = h.pending_reduction(today).cloned();
        if let Some(p) = &pending {
            // Only one pending code can be re-issued with the additions: a reduction that
            // starts within an already issued next term has that term's code before it.
            let others = h
                .revisions
                .iter()
                .filter(|r| r.license.valid_from > today && r.license.revision < p.license.revision)
                .filter(|r| {
                    h.effective_on(r.license.valid_from).map(|e| e.license.revision)
                        == Some(r.license.revision)
                });
            if others.count() > 0 {
                return Err(Error::Order(OrderError::ReductionPending {
                    license_id,
                    revision: p.license.revision,
                    effective: p.license.valid_from,
                }));
            }
        }
        let catalog = self.catalogs.get(&h.product)?.clone();
        let current = self.current(&h, today)?;
        let split = change.split(&catalog, &current.license)?;
        if split.shrinks {
            return Err(Error::Order(OrderError::ChangeReduces {
                license_id,
                what: change.describe_shrink(&catalog, &current.license)?,
            }));
        }
        let mut grows = split.grows;
        if let Some(p) = &pending {
            if let Some(what) = held_up(&catalog, change, &current.license, &p.license)? {
                let policy = catalog.reduction_policy();
                let (effective, revision) = (p.license.valid_from, p.license.revision);
                let cutoff = policy.cutoff(effective);
                return Err(if policy.may_withdraw(effective, today) {
                    Error::Order(OrderError::WithdrawReductionFirst {
                        license_id,
                        revision,
                        effective,
                        what,
                        cutoff,
                    })
                } else {
                    Error::Order(OrderError::ReductionFixed {
                        license_id,
                        revision,
                        effective,
                        what,
                        cutoff,
                    })
                });
            }
            // On top: a module the reduction removes, ordered again, grows the pending code.
            grows |= change.split(&catalog, &p.license)?.grows;
        }
        if !grows {
            return Err(Error::Order(OrderError::ChangeIsEmpty { license_id }));
        }
        let in_force = current.license;
        self.change_now(&h, &catalog, Operation::Upgrade, today, None, None, None, |l| {
            let mut out = change.apply_part(&catalog, l, true, false)?;
            if l.revision != in_force.revision {
                // A pending reduction or next term: the counts grow by what is added now.
                let grown =
                    |pending: Option<u32>, now: Option<u32>, new: Option<u32>| match (pending, now, new) {
                        (Some(p), Some(c), Some(n)) if n > c => Some(p.saturating_add(n - c)),
                        _ => pending,
                    };
                out.named_users = grown(l.named_users, in_force.named_users, change.named_users);
                out.concurrent_seats = grown(
                    l.concurrent_seats,
                    in_force.concurrent_seats,
                    change.concurrent_seats,
                );
            }
            Ok(out)
        })
    }
}
