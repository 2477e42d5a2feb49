//! Orders as data, placed with an idempotency key: what a backend receives from its
//! portal and may receive twice (a retried request). The first placement issues and
//! records; every later one with the same key returns the first result, rebuilt from
//! the ledger's records of that order, and issues nothing.

use license_core::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Issuer;
use crate::catalog::calendar;
use crate::error::Error;
use crate::issuer::cancel::Cancellation;
use crate::issuer::order::{BindTo, Change, Customer, Issued, NewLicense, Reduction, Reissued, Unbind};
use crate::ledger::error::LedgerError;
use crate::ledger::store::{Ledger, MaintenanceKind, Operation, OrderRef, Record};

/// One order of any kind, as a backend receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "order", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Order {
    /// A new license ([`Issuer::issue`]).
    Issue(NewLicense),
    /// An additional order, effective at once ([`Issuer::upgrade`]).
    Upgrade {
        /// The license.
        license_id: u32,
        /// What to add.
        change: Change,
    },
    /// A reduction or mixed order ([`Issuer::reduce`]).
    Reduce {
        /// The license.
        license_id: u32,
        /// What to change.
        change: Change,
    },
    /// Withdraw a pending reduction ([`Issuer::withdraw_reduction`]).
    WithdrawReduction {
        /// The license.
        license_id: u32,
    },
    /// The next term ([`Issuer::renew`]).
    Renew {
        /// The license.
        license_id: u32,
    },
    /// No further renewal ([`Issuer::cancel`]).
    Cancel {
        /// The license.
        license_id: u32,
    },
    /// Recall the license ([`Issuer::revoke`]).
    Revoke {
        /// The license.
        license_id: u32,
        /// Why (kept in the ledger).
        #[serde(default)]
        reason: Option<String>,
    },
    /// A maintenance pack ([`Issuer::add_maintenance`]).
    Maintenance {
        /// The license.
        license_id: u32,
        /// One server or a site.
        kind: MaintenanceKind,
    },
    /// Another machine or database ([`Issuer::rehost`]).
    Rehost {
        /// The license.
        license_id: u32,
        /// The new parts of the binding.
        #[serde(default)]
        bind: BindTo,
        /// The parts to remove.
        #[serde(default)]
        unbind: Unbind,
    },
    /// Another licensee ([`Issuer::transfer`]).
    Transfer {
        /// The license.
        license_id: u32,
        /// The new licensee.
        to: Customer,
        /// The new parts of the binding.
        #[serde(default)]
        bind: BindTo,
        /// The parts to remove.
        #[serde(default)]
        unbind: Unbind,
    },
}

/// What an [`Order`] produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Outcome {
    /// A new code (issue, renew, withdrawal).
    Issued(Issued),
    /// A change effective at once (upgrade, maintenance, rehost, transfer).
    Reissued(Reissued),
    /// A reduction.
    Reduction(Reduction),
    /// A cancellation.
    Cancelled(Cancellation),
    /// A revocation.
    Revoked {
        /// The license.
        license_id: u32,
        /// The day.
        on: Date,
    },
}

impl Outcome {
    /// The license the order was for.
    pub fn license_id(&self) -> u32 {
        match self {
            Outcome::Issued(i) => i.license.license_id,
            Outcome::Reissued(r) => r.now.license.license_id,
            Outcome::Reduction(r) => r.scheduled.license.license_id,
            Outcome::Cancelled(c) => c.license_id,
            Outcome::Revoked { license_id, .. } => *license_id,
        }
    }
}

impl Order {
    /// The [`OrderRef`] of this order under `key`: the key and a digest of the order.
    pub fn reference(&self, key: &str) -> Result<OrderRef, Error> {
        let json = serde_json::to_vec(self).map_err(LedgerError::LedgerEncode)?;
        Ok(OrderRef {
            key: key.to_owned(),
            digest: hex::encode(&Sha256::digest(&json)[..16]),
        })
    }
}

pub(super) fn issued(r: &Record) -> Option<Issued> {
    Some(Issued {
        operation: r.operation,
        product: r.product.clone(),
        licensee: r.licensee.clone(),
        database: r.database.clone(),
        license: r.license,
        code: r.code.clone()?,
    })
}

/// The first result of `order`, rebuilt from the records it produced.
fn replay(order: &Order, records: &[Record]) -> Option<Outcome> {
    let first = records.first()?;
    Some(match order {
        Order::Issue(_) | Order::Renew { .. } | Order::WithdrawReduction { .. } => {
            Outcome::Issued(issued(first)?)
        }
        Order::Upgrade { .. } | Order::Maintenance { .. } | Order::Rehost { .. } | Order::Transfer { .. } => {
            Outcome::Reissued(Reissued {
                now: issued(first)?,
                next_term: match records.get(1) {
                    Some(r) => Some(issued(r)?),
                    None => None,
                },
            })
        }
        Order::Reduce { .. } => {
            let scheduled = records.iter().find(|r| r.operation == Operation::Reduce)?;
            let immediate = records.iter().find(|r| r.operation == Operation::Upgrade);
            let effective = scheduled.license.valid_from;
            Outcome::Reduction(Reduction {
                effective,
                cutoff: calendar::reduction_cutoff(effective),
                immediate: match immediate {
                    Some(r) => Some(issued(r)?),
                    None => None,
                },
                scheduled: issued(scheduled)?,
            })
        }
        Order::Cancel { license_id } => {
            let ends = first.ends?;
            let term_ends = first.license.expires?;
            Outcome::Cancelled(Cancellation {
                license_id: *license_id,
                cancelled: first.recorded,
                ends,
                last_day: ends.saturating_add_days(-1),
                term_ends,
                renews_once_more: ends > term_ends,
                grace_days: first.license.grace_days,
                grace_last_day: (first.license.grace_days > 0)
                    .then(|| ends.saturating_add_days(i64::from(first.license.grace_days) - 1)),
                demo_seats: first.license.demo_seats,
            })
        }
        Order::Revoke { license_id, .. } => Outcome::Revoked {
            license_id: *license_id,
            on: first.recorded,
        },
    })
}

impl<L: Ledger> Issuer<L> {
    /// Place `order` on `today`. With a `key` (the portal's order number or request id),
    /// placing the same order again returns the first result and issues nothing: the
    /// records carry the key, and a ledger shared by several backend instances refuses
    /// a second set of records for it. The same key for a different order is refused
    /// ([`LedgerError::OrderKeyReused`](crate::LedgerError::OrderKeyReused)).
    pub fn place(&mut self, key: Option<&str>, order: &Order, today: Date) -> Result<Outcome, Error> {
        let reference = match key {
            Some(k) => Some(order.reference(k)?),
            None => None,
        };
        self.transact(
            reference.as_ref(),
            |is| is.run_order(order, today),
            |records| replay(order, records),
        )
    }

    /// What `order` would give on `today`, nothing recorded: the day a cancellation ends,
    /// the maintenance end a pack gives, before the customer confirms. The same checks and
    /// computation as [`Issuer::place`]; the records it would append are dropped.
    pub fn preview(&mut self, order: &Order, today: Date) -> Result<Outcome, Error> {
        self.staged.clear();
        self.read.set(None);
        let out = self.run_order(order, today);
        self.staged.clear();
        self.read.set(None);
        out
    }

    fn run_order(&mut self, order: &Order, today: Date) -> Result<Outcome, Error> {
        Ok(match order {
            Order::Issue(o) => Outcome::Issued(self.issue_now(o, today)?),
            Order::Upgrade { license_id, change } => {
                Outcome::Reissued(self.upgrade_now(*license_id, change, today)?)
            }
            Order::Reduce { license_id, change } => {
                Outcome::Reduction(self.reduce_now(*license_id, change, today)?)
            }
            Order::WithdrawReduction { license_id } => {
                Outcome::Issued(self.withdraw_reduction_now(*license_id, today)?)
            }
            Order::Renew { license_id } => {
                Outcome::Issued(self.renew_now(*license_id, None, today, false)?)
            }
            Order::Cancel { license_id } => Outcome::Cancelled(self.cancel_now(*license_id, today)?),
            Order::Revoke { license_id, reason } => {
                self.revoke_now(*license_id, reason.as_deref(), today)?;
                Outcome::Revoked {
                    license_id: *license_id,
                    on: today,
                }
            }
            Order::Maintenance { license_id, kind } => {
                Outcome::Reissued(self.add_maintenance_now(*license_id, *kind, today)?)
            }
            Order::Rehost {
                license_id,
                bind,
                unbind,
            } => Outcome::Reissued(self.rehost_now(*license_id, bind.clone(), *unbind, today)?),
            Order::Transfer {
                license_id,
                to,
                bind,
                unbind,
            } => {
                Outcome::Reissued(self.transfer_now(*license_id, to.clone(), bind.clone(), *unbind, today)?)
            }
        })
    }
}
