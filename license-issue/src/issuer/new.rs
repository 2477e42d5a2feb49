//! New licenses: full, subscription, NFR and trial.

use license_core::{Date, Kind, License};

use std::cell::Cell;

use super::validate::validate;
use super::{Draft, Issuer, commit_to};
use crate::catalog::product::Catalog;
use crate::channel::error::ChannelError;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::{BindTo, Customer, Issued, NewLicense, Term};
use crate::ledger::store::{Ledger, Operation, OrderRef};

impl<L: Ledger> Issuer<L> {
    /// Issue a new license of any kind (see [`NewLicense`] for the defaults).
    pub fn issue(&mut self, order: &NewLicense, today: Date) -> Result<Issued, Error> {
        self.transact(None, |is| is.issue_now(order, today), |_| None)
    }

    /// Check `order` as [`Issuer::issue`] would on `today`, without signing or recording
    /// anything: the catalog's rules and, in a reseller's home, the frame of its
    /// certificate. Returns the license it would issue (its id is only a guess). Ticket
    /// pools check a ticket's scope this way before creating or importing it.
    pub fn check_new(&self, order: &NewLicense, today: Date) -> Result<License, Error> {
        let catalog = self.catalogs.get(&order.product)?;
        let license = self.build_new(catalog, order, today)?;
        validate(catalog, &license, today)?;
        if let crate::keys::signer::Signer::Reseller(r) = &self.signer {
            let leaf = r.chain(&order.product)?.leaf();
            leaf.frame.admits(&license).map_err(|violation| {
                crate::keys::signer::in_catalog_words(
                    Error::Core(license_core::Error::Delegation(
                        license_core::DelegationError::OutsideFrame {
                            reseller: leaf.name,
                            violation,
                        },
                    )),
                    catalog,
                )
            })?;
        }
        Ok(license)
    }

    /// Issue `order` as the redemption of `ticket` under the order key of `reference`,
    /// its record carrying the ticket id; `replayed` is set when the ledger already held
    /// that order (a concurrent redeemer of the same installation came first).
    pub(crate) fn issue_for_ticket(
        &mut self,
        reference: &OrderRef,
        order: &NewLicense,
        ticket: &str,
        today: Date,
        replayed: &Cell<bool>,
    ) -> Result<Issued, Error> {
        self.transact(
            Some(reference),
            |is| {
                let out = is.issue_now(order, today)?;
                for r in &mut is.staged {
                    r.ticket = Some(ticket.to_owned());
                }
                Ok(out)
            },
            |records| {
                replayed.set(true);
                records.first().and_then(super::place::issued)
            },
        )
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn issue_now(&mut self, order: &NewLicense, today: Date) -> Result<Issued, Error> {
        let catalog = self.catalogs.get(&order.product)?;
        let license = self.build_new(catalog, order, today)?;
        let database = order
            .bind
            .database
            .as_deref()
            .map(|d| catalog.database_code(d))
            .transpose()?;
        let operation = if order.kind == Kind::Trial {
            Operation::Trial
        } else {
            Operation::Issue
        };
        commit_to(
            &self.signer,
            &mut self.staged,
            catalog,
            Draft {
                operation,
                product: order.product.clone(),
                customer: order.customer.clone(),
                database,
                license,
                maintenance: None,
                withdrawn: None,
            },
            today,
        )
    }

    /// Issue a trial with the catalog's trial terms (e.g. 30 days, 10 users, every
    /// module, the Expert line), from today.
    pub fn trial(
        &mut self,
        product: &str,
        customer: Customer,
        bind: BindTo,
        today: Date,
    ) -> Result<Issued, Error> {
        let mut order = NewLicense::new(product, Kind::Trial, customer);
        order.bind = bind;
        self.issue(&order, today)
    }

    fn next_license_id(&self, catalog: &Catalog) -> Result<u32, Error> {
        // A reseller's licenses take ids only from its certificate's range, so they never
        // share an id (a revocation entry, a row of the vendor's import) with another's.
        let range = self.signer.license_ids(catalog.product())?;
        let id = match range {
            None => self.ledger.new_license_id(catalog.first_license_id())?,
            Some(r) => self.ledger.new_license_id_in(r)?,
        };
        if let Some(r) = range
            && !r.contains(id)
        {
            return Err(Error::Channel(ChannelError::LicenseIdRangeUsed {
                reseller: self.signer.reseller(catalog.product())?.unwrap_or_default(),
                first: r.first,
                last: r.last,
            }));
        }
        // A new license: no record of it yet (another order taking this id first is a
        // conflict, and the order runs again with the next one).
        self.read.set(Some((id, 0)));
        Ok(id)
    }

    fn build_new(&self, catalog: &Catalog, order: &NewLicense, today: Date) -> Result<License, Error> {
        if order.customer.licensee.trim().is_empty() {
            return Err(Error::Order(OrderError::EmptyLicensee));
        }
        let trial = order.kind == Kind::Trial;
        let d = &catalog.defaults;
        let line = match (&order.line, trial) {
            (Some(name), _) => catalog.line(name)?,
            (None, true) => match &catalog.trial.line {
                Some(name) => catalog.line(name)?,
                None => catalog.default_line(),
            },
            // NFR means every feature: the top line (and every module, below).
            (None, false) if order.kind == Kind::Nfr => catalog.top_line(),
            (None, false) => catalog.default_line(),
        };
        let modules = if !order.modules.is_empty() {
            catalog.module_set(&order.modules)?
        } else {
            match order.kind {
                Kind::Trial => catalog.module_choice(&catalog.trial.modules)?,
                // Every module, present and future (format 2's "all modules" flag).
                Kind::Nfr => license_core::ModuleSet::ALL,
                Kind::Full | Kind::Subscription => license_core::ModuleSet::EMPTY,
            }
        };
        let (named_users, concurrent_seats) =
            if trial && order.named_users.is_none() && order.concurrent_seats.is_none() {
                (catalog.trial.named_users, catalog.trial.concurrent_seats)
            } else {
                (order.named_users, order.concurrent_seats)
            };
        let valid_from = order.valid_from.unwrap_or(today);
        if valid_from < today {
            return Err(Error::Order(OrderError::StartsBeforeIssue {
                valid_from,
                issued: today,
            }));
        }
        if let Term::Months(m) = order.term
            && !(1..=crate::catalog::product::MAX_TERM_MONTHS).contains(&m)
        {
            return Err(Error::Order(OrderError::MonthsOutOfRange {
                what: "term",
                months: m,
                max: crate::catalog::product::MAX_TERM_MONTHS,
            }));
        }
        if let Some(m) = order.maintenance_months
            && m > crate::catalog::product::MAX_TERM_MONTHS
        {
            return Err(Error::Order(OrderError::MonthsOutOfRange {
                what: "maintenance",
                months: m,
                max: crate::catalog::product::MAX_TERM_MONTHS,
            }));
        }
        let default_months = match order.kind {
            Kind::Full => None,
            Kind::Subscription => Some(d.subscription_months),
            Kind::Nfr => Some(d.nfr_months),
            Kind::Trial => None,
        };
        let expires = match (order.kind, order.term) {
            (Kind::Full, Term::Default) => None,
            (Kind::Full, _) => {
                return Err(Error::Order(OrderError::PerpetualHasNoTerm));
            }
            (Kind::Trial, Term::Default) => {
                Some(valid_from.saturating_add_days(i64::from(catalog.trial.days)))
            }
            (_, Term::Default) => default_months.and_then(|m| valid_from.add_months(m)),
            (_, Term::Months(m)) => valid_from.add_months(m),
            (_, Term::Days(n)) => valid_from.checked_add_days(i64::from(n)),
            (_, Term::Until(day)) => Some(day),
        };
        let expires = match (order.kind, expires) {
            (Kind::Full, e) => e,
            (_, Some(e)) => Some(e),
            (_, None) => return Err(Error::Order(OrderError::TermBeyondCalendar)),
        };
        let maintenance_ends = match order.kind {
            Kind::Full => match order.maintenance_months.unwrap_or(d.maintenance_months) {
                // Without maintenance: only releases available on the day of purchase.
                0 => today.checked_add_days(1),
                m => valid_from.add_months(m),
            },
            // Time-limited licenses: maintenance for the term.
            _ => expires,
        };
        let l = License {
            license_id: self.next_license_id(catalog)?,
            revision: 1,
            kind: order.kind,
            line,
            named_users,
            concurrent_seats,
            demo_seats: order.demo_seats.unwrap_or(if trial { 0 } else { d.demo_seats }),
            modules,
            issued: today,
            valid_from,
            expires,
            grace_days: order.grace_days.unwrap_or(if trial { 0 } else { d.grace_days }),
            maintenance_ends,
            binding: order.bind.binding()?,
            interim: false,
        };
        Ok(l)
    }
}
