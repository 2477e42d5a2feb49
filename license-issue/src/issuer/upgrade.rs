//! Additional orders: more users, seats or modules, or a higher line, effective at once.

use license_core::Date;

use super::Issuer;
use crate::Error;
use crate::issuer::order::{Change, Reissued};
use crate::ledger::store::{Ledger, Operation};

impl<L: Ledger> Issuer<L> {
    /// An additional order (more users, seats or modules, a higher line), effective at
    /// once as a new revision. Anything that shrinks is refused: use [`Issuer::reduce`].
    ///
    /// A pending reduction does not hold an additional order up (it takes effect at
    /// once): the code in force is re-issued with the additions until the reduction's
    /// start, and the pending reduced code is re-issued with the additions from it
    /// (`next_term` of the result, still a reduction that can be withdrawn until its
    /// cutoff).
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
        if let Some(p) = h.pending_reduction(today) {
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
                return Err(Error::ReductionPending {
                    license_id,
                    revision: p.license.revision,
                    effective: p.license.valid_from,
                });
            }
        }
        let catalog = self.catalogs.get(&h.product)?.clone();
        let current = self.current(&h, today)?;
        let split = change.split(&catalog, &current.license)?;
        if split.shrinks {
            return Err(Error::ChangeReduces {
                license_id,
                what: change.describe_shrink(&catalog, &current.license)?,
            });
        }
        if !split.grows {
            return Err(Error::ChangeIsEmpty { license_id });
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
