//! Renewals of subscriptions and NFR licenses.

use license_core::{Date, Kind};

use super::validate::validate;
use super::{Draft, Issuer, customer_of};
use crate::catalog::calendar;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::{Change, Issued};
use crate::ledger::store::{Ledger, Operation};

/// One renewal of [`Issuer::renew_due`]: the license and what came of it.
pub type RenewalOutcome = (u32, Result<Issued, Error>);

impl<L: Ledger> Issuer<L> {
    /// The next term's code of a subscription or NFR license ("generated at the latest
    /// 4 weeks before expiry ... earlier is fine"): issuable from the day after the
    /// cancellation deadline (a cancellation then no longer stops the renewal) until the
    /// last day of grace, and due by the catalog's at-the-latest day (see
    /// [`calendar::RenewalWindow`]); valid from the end of the current term, for one
    /// catalog term. Refused after a cancellation that ends the subscription with the
    /// current term. Earlier only on request: [`Issuer::renew_early`].
    pub fn renew(&mut self, license_id: u32, today: Date) -> Result<Issued, Error> {
        self.transact(None, |is| is.renew_now(license_id, None, today, false), |_| None)
    }

    /// [`Issuer::renew`] on request, on any day of the current term (even before the
    /// cancellation deadline, when the customer asks for the code early).
    pub fn renew_early(&mut self, license_id: u32, today: Date) -> Result<Issued, Error> {
        self.transact(None, |is| is.renew_now(license_id, None, today, true), |_| None)
    }

    /// [`Issuer::renew`] (or, with `early`, [`Issuer::renew_early`]) with the next term's
    /// scope: the change (fewer or more users and seats, modules removed or added, another
    /// line) applies from the first day of the next term. This is "a reduction at
    /// renewal", the advice of [`OrderError::ReductionAfterExpiry`]: no notice period applies,
    /// since the current term is not touched.
    pub fn renew_with(
        &mut self,
        license_id: u32,
        change: &Change,
        early: bool,
        today: Date,
    ) -> Result<Issued, Error> {
        self.transact(
            None,
            |is| is.renew_now(license_id, Some(change), today, early),
            |_| None,
        )
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn renew_now(
        &mut self,
        license_id: u32,
        change: Option<&Change>,
        today: Date,
        early: bool,
    ) -> Result<Issued, Error> {
        let h = self.history(license_id)?;
        self.refuse_closed(&h, today)?;
        let catalog = self.catalogs.get(&h.product)?.clone();
        let latest = h
            .latest()
            .ok_or(Error::Order(OrderError::UnknownLicense { license_id }))?
            .clone();
        let l = latest.license;
        let Some(term) = super::terms::term_of(&h, &catalog, l.kind) else {
            return Err(Error::Order(OrderError::NotApplicable {
                license_id,
                kind: l.kind,
                what: "only subscriptions and NFR licenses are renewed; issue a new license",
            }));
        };
        let Some(expires) = l.expires else {
            return Err(Error::Order(OrderError::NotApplicable {
                license_id,
                kind: l.kind,
                what: "it has no end date to renew from",
            }));
        };
        if let Some((_, ends)) = h.cancelled
            && ends <= expires
        {
            return Err(Error::Order(OrderError::Cancelled { license_id, ends }));
        }
        let window = catalog.renewal_window(expires, l.grace_days);
        if today < window.opens && !(early && window.allows_on_request(l.valid_from, today)) {
            return Err(Error::Order(OrderError::RenewalTooEarly {
                license_id,
                opens: window.opens,
                expires,
            }));
        }
        if today >= window.closes {
            return Err(Error::Order(OrderError::RenewalLapsed {
                license_id,
                expires,
                closed: window.closes,
            }));
        }
        let contract_start = h.contract_start().unwrap_or(l.valid_from);
        let (valid_from, new_expires) = calendar::next_term(contract_start, expires, today, term);
        let mut next = match change {
            Some(c) => c.apply(&catalog, &l)?,
            None => l,
        };
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
            if self
                .catalogs
                .get(&h.product)?
                .renewal_window(expires, l.grace_days)
                .contains(today)
            {
                due.push(id);
            }
        }
        Ok(due)
    }
}
