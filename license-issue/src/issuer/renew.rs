//! Renewals of subscriptions and NFR licenses.

use license_core::{Date, Kind};

use super::{Draft, Issuer, customer_of, validate};
use crate::Error;
use crate::calendar::{self, RenewalWindow};
use crate::ledger::{Ledger, Operation};
use crate::order::Issued;

/// One renewal of [`Issuer::renew_due`]: the license and what came of it.
pub type RenewalOutcome = (u32, Result<Issued, Error>);

impl<L: Ledger> Issuer<L> {
    /// The next term's code of a subscription or NFR license: issuable from 4 weeks
    /// before the term ends until the last day of grace; valid from the end of the
    /// current term, for one catalog term. Refused after a cancellation that ends the
    /// subscription with the current term.
    pub fn renew(&mut self, license_id: u32, today: Date) -> Result<Issued, Error> {
        self.transact(None, |is| is.renew_now(license_id, today), |_| None)
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn renew_now(&mut self, license_id: u32, today: Date) -> Result<Issued, Error> {
        let h = self.history(license_id)?;
        self.refuse_closed(&h, today)?;
        let catalog = self.catalogs.get(&h.product)?.clone();
        let latest = h.latest().ok_or(Error::UnknownLicense { license_id })?.clone();
        let l = latest.license;
        let months = match l.kind {
            Kind::Subscription => catalog.defaults.subscription_months,
            Kind::Nfr => catalog.defaults.nfr_months,
            kind => {
                return Err(Error::NotApplicable {
                    license_id,
                    kind,
                    what: "only subscriptions and NFR licenses are renewed; issue a new license",
                });
            }
        };
        let Some(expires) = l.expires else {
            return Err(Error::NotApplicable {
                license_id,
                kind: l.kind,
                what: "it has no end date to renew from",
            });
        };
        if let Some((_, ends)) = h.cancelled
            && ends <= expires
        {
            return Err(Error::Cancelled { license_id, ends });
        }
        let window = RenewalWindow::new(expires, l.grace_days);
        if today < window.opens {
            return Err(Error::RenewalTooEarly {
                license_id,
                opens: window.opens,
                expires,
            });
        }
        if today >= window.closes {
            return Err(Error::RenewalLapsed {
                license_id,
                expires,
                closed: window.closes,
            });
        }
        let (valid_from, new_expires) = calendar::next_term(expires, today, months);
        let mut next = l;
        next.revision = h.max_revision().saturating_add(1);
        next.issued = today;
        next.valid_from = valid_from;
        next.expires = Some(new_expires);
        if l.maintenance_ends == l.expires {
            next.maintenance_ends = Some(new_expires);
        }
        validate(&catalog, &next, today)?;
        self.commit(
            &catalog,
            Draft {
                operation: Operation::Renew,
                product: h.product.clone(),
                customer: customer_of(&h),
                database: latest.database.clone(),
                license: next,
                maintenance: None,
                withdrawn: None,
            },
            today,
        )
    }

    /// Renew every license of [`Issuer::renewals_due`]: one failure does not stop the
    /// others. Each outcome, in license order; each success is recorded.
    pub fn renew_due(&mut self, today: Date) -> Result<Vec<RenewalOutcome>, Error> {
        let due = self.renewals_due(today)?;
        Ok(due.into_iter().map(|id| (id, self.renew(id, today))).collect())
    }

    /// Subscriptions and NFR licenses whose renewal window is open on `today` and that
    /// are neither cancelled (ending with this term) nor revoked: the automatic renewals
    /// to issue.
    pub fn renewals_due(&self, today: Date) -> Result<Vec<u32>, Error> {
        let mut due = Vec::new();
        for (id, h) in self.histories()? {
            if h.revoked.is_some() || h.erased {
                continue;
            }
            let Some(l) = h.latest().map(|r| r.license) else {
                continue;
            };
            let (true, Some(expires)) = (matches!(l.kind, Kind::Subscription | Kind::Nfr), l.expires) else {
                continue;
            };
            if h.cancelled.is_some_and(|(_, ends)| ends <= expires) {
                continue;
            }
            if RenewalWindow::new(expires, l.grace_days).contains(today) {
                due.push(id);
            }
        }
        Ok(due)
    }
}
