//! Cancelling a subscription: no further renewal, usable to the end of the paid term.

use license_core::Date;

use serde::Serialize;

use super::{Issuer, event};
use crate::catalog::calendar;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::ledger::store::{Ledger, Operation};

/// A cancellation recorded by [`Issuer::cancel`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Cancellation {
    /// The license.
    pub license_id: u32,
    /// The day it was ordered.
    pub cancelled: Date,
    /// The first day after the last paid term (exclusive end).
    pub ends: Date,
    /// The last usable day (the day before `ends`).
    pub last_day: Date,
    /// The end of the term running when it was ordered.
    pub term_ends: Date,
    /// Ordered after the notice deadline of the running term: the subscription renews
    /// once more (its next term's code is still issued) and ends after that term.
    pub renews_once_more: bool,
    /// What the code does after the last paid day, as signed: days of full use (grace)...
    pub grace_days: u16,
    /// ... the last day of that grace (`None` without grace) ...
    pub grace_last_day: Option<Date>,
    /// ... then demo mode with this many seats until a new code is entered (0: none, the
    /// product stops).
    pub demo_seats: u32,
}

impl Cancellation {
    /// What happens after the last paid day, in plain words: "then 14 days of grace (to
    /// 2027-03-27) and demo mode with 2 seats until a new code is entered".
    pub fn after_words(&self) -> String {
        use license_core::words::plural;
        let grace = self.grace_last_day.map(|g| {
            format!(
                "{} of grace (fully usable to {g})",
                plural(u64::from(self.grace_days), "day", "days")
            )
        });
        let demo = (self.demo_seats > 0).then(|| {
            format!(
                "demo mode with {} until a new code is entered",
                plural(u64::from(self.demo_seats), "seat", "seats")
            )
        });
        match (grace, demo) {
            (None, None) => "then the product stops until a new code is entered".to_owned(),
            (Some(g), None) => format!("then {g}, then the product stops"),
            (None, Some(d)) => format!("then {d}"),
            (Some(g), Some(d)) => format!("then {g}, then {d}"),
        }
    }
}

impl<L: Ledger> Issuer<L> {
    /// Cancel a subscription or NFR license: no further renewal; usable to the end of
    /// the paid term. The code keeps what it was signed with after that day (the
    /// product's grace days, then its demo mode): the cancellation says so
    /// ([`Cancellation::after_words`]) instead of promising an end the code does not
    /// keep; a vendor who wants the product to stop on the last paid day sells the
    /// subscription without grace and demo mode (catalog or order). Ordered later than the catalog's `cancellation_notice_months` before
    /// the term ends, the subscription renews once more (see
    /// [`calendar::cancellation_ends`] and [`Cancellation::renews_once_more`]).
    pub fn cancel(&mut self, license_id: u32, today: Date) -> Result<Cancellation, Error> {
        self.transact(None, |is| is.cancel_now(license_id, today), |_| None)
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn cancel_now(&mut self, license_id: u32, today: Date) -> Result<Cancellation, Error> {
        let h = self.history(license_id)?;
        self.refuse_closed(&h, today)?;
        if let Some((_, ends)) = h.cancelled {
            return Err(Error::Order(OrderError::Cancelled { license_id, ends }));
        }
        let catalog = self.catalogs.get(&h.product)?.clone();
        let latest = h
            .latest()
            .ok_or(Error::Order(OrderError::UnknownLicense { license_id }))?;
        let l = latest.license;
        let Some(term) = super::terms::term_of(&h, &catalog, l.kind) else {
            return Err(Error::Order(OrderError::NotApplicable {
                license_id,
                kind: l.kind,
                what: "only subscriptions and NFR licenses are cancelled; revoke it to recall it",
            }));
        };
        let expires = l.expires.ok_or(Error::Order(OrderError::NotApplicable {
            license_id,
            kind: l.kind,
            what: "it has no end date",
        }))?;
        let ends = calendar::cancellation_ends(
            h.contract_start().unwrap_or(l.valid_from),
            expires,
            today,
            term,
            catalog.defaults.cancellation_notice_months,
        );
        let mut record = event(&h, latest, Operation::Cancel, today);
        record.ends = Some(ends);
        self.staged.push(record);
        Ok(Cancellation {
            license_id,
            cancelled: today,
            ends,
            last_day: ends.saturating_add_days(-1),
            term_ends: expires,
            renews_once_more: ends > expires,
            grace_days: l.grace_days,
            grace_last_day: (l.grace_days > 0).then(|| ends.saturating_add_days(i64::from(l.grace_days) - 1)),
            demo_seats: l.demo_seats,
        })
    }
}
