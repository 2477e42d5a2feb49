//! The issuing operations: each validates the order against the catalog and the
//! business rules, signs the code with the current key and records it in the ledger.

use std::collections::BTreeMap;
use std::fmt;

use license_core::{Context, Date, Kind, License, RevocationEntry, sign, sign_revocation_list};

use crate::Error;
use crate::calendar;
use crate::catalog::{Catalog, Catalogs};
use crate::history::LicenseHistory;
use crate::keys::VendorKey;
use crate::ledger::{Ledger, MaintenanceKind, Operation, Record};
use crate::order::{BindTo, Change, Customer, Issued, NewLicense, Reduction, Reissued, Term, Unbind};

/// Everything needed to sign and record one revision.
struct Draft {
    operation: Operation,
    product: String,
    customer: Customer,
    database: Option<String>,
    license: License,
    maintenance: Option<MaintenanceKind>,
    withdrawn: Option<u32>,
}

/// The vendor's issuing service: catalogs, the current signing key and a ledger.
#[derive(Debug)]
pub struct Issuer<L: Ledger> {
    catalogs: Catalogs,
    key: VendorKey,
    ledger: L,
}

impl<L: Ledger> Issuer<L> {
    /// An issuer signing with `key` and recording in `ledger`.
    pub fn new(catalogs: Catalogs, key: VendorKey, ledger: L) -> Issuer<L> {
        Issuer {
            catalogs,
            key,
            ledger,
        }
    }

    /// The ledger.
    pub fn ledger(&self) -> &L {
        &self.ledger
    }

    /// The catalogs.
    pub fn catalogs(&self) -> &Catalogs {
        &self.catalogs
    }

    /// The signing key's id.
    pub fn key_id(&self) -> u8 {
        self.key.id()
    }

    /// Give the ledger back.
    pub fn into_ledger(self) -> L {
        self.ledger
    }

    /// The history of one license.
    pub fn history(&self, license_id: u32) -> Result<LicenseHistory, Error> {
        let records = self.ledger.records_of(license_id)?;
        LicenseHistory::from_records(&records).ok_or(Error::UnknownLicense { license_id })
    }

    /// The histories of every license.
    pub fn histories(&self) -> Result<BTreeMap<u32, LicenseHistory>, Error> {
        Ok(LicenseHistory::all(&self.ledger.records()?))
    }

    // ----- new licenses -----

    /// Issue a new license of any kind (see [`NewLicense`] for the defaults).
    pub fn issue(&mut self, order: &NewLicense, today: Date) -> Result<Issued, Error> {
        let catalog = self.catalogs.get(&order.product)?;
        let license = self.build_new(catalog, order, today)?;
        let operation = if order.kind == Kind::Trial {
            Operation::Trial
        } else {
            Operation::Issue
        };
        commit_to(
            &self.key,
            &mut self.ledger,
            catalog,
            Draft {
                operation,
                product: order.product.clone(),
                customer: order.customer.clone(),
                database: order.bind.database.clone(),
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
        let first = catalog.first_license_id();
        match self.ledger.last_license_id()? {
            None => Ok(first),
            Some(last) => last
                .checked_add(1)
                .map(|n| n.max(first))
                .ok_or_else(|| Error::InvalidOrder(
                    "license ids are exhausted (the ledger's last id is 4294967295): keep this ledger for its licenses and issue new ones from a new licensing directory (--home)".into(),
                )),
        }
    }

    fn build_new(&self, catalog: &Catalog, order: &NewLicense, today: Date) -> Result<License, Error> {
        if order.customer.licensee.trim().is_empty() {
            return Err(Error::InvalidOrder("the licensee name is empty".into()));
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
                Kind::Nfr => catalog.all_modules(),
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
            return Err(Error::InvalidOrder(format!(
                "valid-from {valid_from} is before the day of issue {today}: a code cannot be valid before it is signed"
            )));
        }
        if let Term::Months(m) = order.term
            && !(1..=crate::MAX_TERM_MONTHS).contains(&m)
        {
            return Err(Error::MonthsOutOfRange {
                what: "term",
                months: m,
                max: crate::MAX_TERM_MONTHS,
            });
        }
        if let Some(m) = order.maintenance_months
            && m > crate::MAX_TERM_MONTHS
        {
            return Err(Error::MonthsOutOfRange {
                what: "maintenance",
                months: m,
                max: crate::MAX_TERM_MONTHS,
            });
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
                return Err(Error::InvalidOrder(
                    "a full license is perpetual: order a subscription or trial for a time-limited license"
                        .into(),
                ));
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
            (_, None) => return Err(Error::InvalidOrder("the term ends beyond 9999-12-31".into())),
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
        Ok(License {
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
        })
    }

    // ----- changes effective at once -----

    /// An additional order (more users, seats or modules, a higher line), effective at
    /// once as a new revision. Anything that shrinks is refused: use [`Issuer::reduce`].
    ///
    /// A pending reduction does not hold an additional order up (it takes effect at
    /// once): the code in force is re-issued with the additions until the reduction's
    /// start, and the pending reduced code is re-issued with the additions from it
    /// (`next_term` of the result, still a reduction that can be withdrawn until its
    /// cutoff).
    pub fn upgrade(&mut self, license_id: u32, change: &Change, today: Date) -> Result<Reissued, Error> {
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
            return Err(Error::WrongChange(format!(
                "this order reduces license {license_id} ({}): order it with `reduce`, effective next quarter",
                change.describe_shrink(&catalog, &current.license)?
            )));
        }
        if !split.grows {
            return Err(Error::WrongChange(format!(
                "this order changes nothing on license {license_id}: it already has that scope"
            )));
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

    /// Associate a maintenance pack with a perpetual license: 12 months (the catalog's
    /// pack) from today, or from the current maintenance end if it is still running.
    pub fn add_maintenance(
        &mut self,
        license_id: u32,
        kind: MaintenanceKind,
        today: Date,
    ) -> Result<Reissued, Error> {
        let h = self.open(license_id, today)?;
        let catalog = self.catalogs.get(&h.product)?.clone();
        let current = self.current(&h, today)?;
        if current.license.kind != Kind::Full {
            return Err(Error::NotApplicable {
                license_id,
                kind: current.license.kind,
                what: "maintenance packs are for perpetual licenses; a time-limited license has maintenance for its term",
            });
        }
        let months = catalog.defaults.maintenance_months;
        self.change_now(
            &h,
            &catalog,
            Operation::Maintenance,
            today,
            None,
            None,
            Some(kind),
            |l| {
                let mut out = *l;
                out.maintenance_ends = Some(calendar::maintenance_after_pack(
                    l.maintenance_ends,
                    today,
                    months,
                ));
                Ok(out)
            },
        )
    }

    /// Bind the license to another machine or database (a rehost): a new revision; the
    /// old binding is superseded and listed on the next revocation list. The part of the
    /// binding `bind` does not replace is kept unless `unbind` removes it.
    pub fn rehost(
        &mut self,
        license_id: u32,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        if bind.database.is_none() && bind.machine.is_none() && !unbind.database && !unbind.machine {
            return Err(Error::InvalidOrder(
                "give the new binding (a database code or machine fingerprint) or the part to remove".into(),
            ));
        }
        self.rebind(license_id, None, Operation::Rehost, &bind, unbind, today)
    }

    /// Transfer the license to another licensee (a reseller's license to its end
    /// customer). The binding changes as with [`Issuer::rehost`]: the parts `bind` gives
    /// replace the old ones, the parts `unbind` names are removed, the rest is kept. The
    /// reseller stays recorded unless `to.reseller` names another.
    pub fn transfer(
        &mut self,
        license_id: u32,
        to: Customer,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        if to.licensee.trim().is_empty() {
            return Err(Error::InvalidOrder("the new licensee name is empty".into()));
        }
        self.rebind(license_id, Some(to), Operation::Transfer, &bind, unbind, today)
    }

    fn rebind(
        &mut self,
        license_id: u32,
        to: Option<Customer>,
        operation: Operation,
        bind: &BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        let h = self.open(license_id, today)?;
        let catalog = self.catalogs.get(&h.product)?.clone();
        let current = self.current(&h, today)?.license.binding;
        let (binding, database) = bind.rebind(unbind, current, h.database.as_deref())?;
        self.change_now(&h, &catalog, operation, today, to, Some(database), None, |l| {
            let mut out = *l;
            out.binding = binding;
            Ok(out)
        })
    }

    /// Apply `f` to the revision in force (effective today) and, if the next term was
    /// already renewed, to that term's revision too.
    #[allow(clippy::too_many_arguments)]
    fn change_now(
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
                .ok_or_else(|| Error::InvalidOrder(
                    "this license's revision numbers are exhausted: issue a new license for the customer and revoke this one".into(),
                ))?;
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

    // ----- reductions -----

    /// A reduction (or a mixed order): the reduced scope takes effect at the next
    /// quarter start if ordered at least 20 days before it, else at the one after (see
    /// [`calendar`]). Additions in the same order take effect at once, in a code valid
    /// until the reduction starts.
    ///
    /// If the next term's code is already issued, the reduced code is cut from it: valid
    /// from the reduction's start to the end of the next term (it supersedes that code).
    /// A mixed order then is refused: order the additions with [`Issuer::upgrade`] first.
    pub fn reduce(&mut self, license_id: u32, change: &Change, today: Date) -> Result<Reduction, Error> {
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
            return Err(Error::WrongChange(format!(
                "this order reduces nothing on license {license_id}: order additions with `upgrade`, effective at once"
            )));
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

    // ----- subscriptions -----

    /// The next term's code of a subscription or NFR license: issuable from 4 weeks
    /// before the term ends until the last day of grace; valid from the end of the
    /// current term, for one catalog term. Refused after a cancellation that ends the
    /// subscription with the current term.
    pub fn renew(&mut self, license_id: u32, today: Date) -> Result<Issued, Error> {
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
        let window = catalog.renewal_window(expires, l.grace_days);
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

    /// Cancel a subscription or NFR license: no further renewal; usable to the end of
    /// the paid term. Ordered later than the catalog's `cancellation_notice_months` before
    /// the term ends, the subscription renews once more (see
    /// [`calendar::cancellation_ends`]). Returns the first day after the last paid term
    /// (exclusive end; compare with the current term's end to see whether it renews once
    /// more).
    pub fn cancel(&mut self, license_id: u32, today: Date) -> Result<Date, Error> {
        let h = self.history(license_id)?;
        self.refuse_closed(&h, today)?;
        if let Some((_, ends)) = h.cancelled {
            return Err(Error::Cancelled { license_id, ends });
        }
        let catalog = self.catalogs.get(&h.product)?.clone();
        let latest = h.latest().ok_or(Error::UnknownLicense { license_id })?;
        let l = latest.license;
        let months = match l.kind {
            Kind::Subscription => catalog.defaults.subscription_months,
            Kind::Nfr => catalog.defaults.nfr_months,
            kind => {
                return Err(Error::NotApplicable {
                    license_id,
                    kind,
                    what: "only subscriptions and NFR licenses are cancelled; revoke it to recall it",
                });
            }
        };
        let expires = l.expires.ok_or(Error::NotApplicable {
            license_id,
            kind: l.kind,
            what: "it has no end date",
        })?;
        let ends = calendar::cancellation_ends(
            expires,
            today,
            months,
            catalog.defaults.cancellation_notice_months,
        );
        let mut record = event(&h, latest, Operation::Cancel, today);
        record.ends = Some(ends);
        self.ledger.append(&record)?;
        Ok(ends)
    }

    /// Revoke a license (the purchase undone or exchanged): nothing more is issued for
    /// it and every revision is listed on the next revocation list.
    pub fn revoke(&mut self, license_id: u32, reason: Option<&str>, today: Date) -> Result<(), Error> {
        let h = self.history(license_id)?;
        if let Some(on) = h.revoked {
            return Err(Error::Revoked { license_id, on });
        }
        let latest = h.latest().ok_or(Error::UnknownLicense { license_id })?;
        let mut record = event(&h, latest, Operation::Revoke, today);
        record.note = reason.map(str::to_owned);
        self.ledger.append(&record)
    }

    // ----- revocation lists -----

    /// The entries of a revocation list published on `today` (see
    /// [`LicenseHistory::revocation_entry`]).
    pub fn revocation_entries(&self, today: Date) -> Result<Vec<RevocationEntry>, Error> {
        Ok(self
            .histories()?
            .values()
            .filter_map(|h| h.revocation_entry(today))
            .collect())
    }

    /// The earliest pending reduction of `product` after `today`: (license id, the day it
    /// takes effect). A revocation list must not stay current past that day, or the old,
    /// larger code would be accepted until the next list.
    pub fn next_reduction_start(&self, product: &str, today: Date) -> Result<Option<(u32, Date)>, Error> {
        Ok(self
            .histories()?
            .values()
            .filter(|h| h.product == product && h.revoked.is_none())
            .filter_map(|h| {
                h.pending_reduction(today)
                    .map(|r| (h.license_id, r.license.valid_from))
            })
            .min_by_key(|&(_, day)| day))
    }

    /// Build and sign the revocation list of `product` (lists are per product: the
    /// product id is part of the signature, and license ids and sequence numbers count
    /// per product): `sequence` must be higher than the last published one's; the list
    /// is current from `today` for `valid_days` days.
    pub fn revocation_list(
        &self,
        product: &str,
        sequence: u64,
        today: Date,
        valid_days: u32,
    ) -> Result<(Vec<u8>, Vec<RevocationEntry>), Error> {
        if valid_days == 0 {
            return Err(Error::InvalidOrder(
                "a revocation list must be valid for at least one day".into(),
            ));
        }
        self.catalogs.get(product)?;
        let entries: Vec<RevocationEntry> = self
            .histories()?
            .values()
            .filter(|h| h.product == product)
            .filter_map(|h| h.revocation_entry(today))
            .collect();
        let expires = today.saturating_add_days(i64::from(valid_days));
        let bytes = sign_revocation_list(
            product,
            sequence,
            today,
            expires,
            &entries,
            self.key.signing_key(),
        )?;
        Ok((bytes, entries))
    }

    // ----- helpers -----

    /// The history of a license that can still be changed.
    fn open(&self, license_id: u32, today: Date) -> Result<LicenseHistory, Error> {
        let h = self.history(license_id)?;
        self.refuse_closed(&h, today)?;
        if let Some(p) = h.pending_reduction(today) {
            return Err(Error::ReductionPending {
                license_id,
                revision: p.license.revision,
                effective: p.license.valid_from,
            });
        }
        Ok(h)
    }

    fn refuse_closed(&self, h: &LicenseHistory, _today: Date) -> Result<(), Error> {
        if let Some(on) = h.revoked {
            return Err(Error::Revoked {
                license_id: h.license_id,
                on,
            });
        }
        if h.erased {
            return Err(Error::Erased {
                license_id: h.license_id,
            });
        }
        Ok(())
    }

    fn current<'h>(&self, h: &'h LicenseHistory, today: Date) -> Result<&'h crate::Revision, Error> {
        h.effective_on(today).ok_or(Error::InvalidOrder(format!(
            "license {} has no revision in force on {today} yet: change it once it has started",
            h.license_id
        )))
    }

    /// Validate, sign and record.
    fn commit(&mut self, catalog: &Catalog, draft: Draft, today: Date) -> Result<Issued, Error> {
        commit_to(&self.key, &mut self.ledger, catalog, draft, today)
    }
}

/// Validate, sign with `key` and record in `ledger`.
fn commit_to<L: Ledger>(
    key: &VendorKey,
    ledger: &mut L,
    catalog: &Catalog,
    draft: Draft,
    today: Date,
) -> Result<Issued, Error> {
    validate(catalog, &draft.license, today)?;
    let ctx = Context {
        product: &draft.product,
        licensee: &draft.customer.licensee,
        database: draft.database.as_deref(),
        machine: None,
    };
    let signed = sign(&draft.license, &ctx, key.signing_key())?;
    // Sized up front: the text form is written symbol by symbol.
    let mut code = String::with_capacity(signed.text_len() + signed.text_len() / 5);
    fmt::Write::write_fmt(&mut code, format_args!("{signed}"))
        .map_err(|_| Error::LedgerEncode("code text".into()))?;
    let record = Record {
        recorded: today,
        operation: draft.operation,
        product: draft.product.clone(),
        licensee: draft.customer.licensee.clone(),
        contact: draft.customer.contact,
        customer_ref: draft.customer.customer_ref,
        reseller: draft.customer.reseller,
        database: draft.database.clone(),
        license: draft.license,
        code: Some(code.clone()),
        maintenance: draft.maintenance,
        withdrawn: draft.withdrawn,
        ends: None,
        note: None,
        erased: false,
    };
    ledger.append(&record)?;
    Ok(Issued {
        operation: draft.operation,
        product: draft.product,
        licensee: draft.customer.licensee,
        database: draft.database,
        license: draft.license,
        code,
    })
}

fn customer_of(h: &LicenseHistory) -> Customer {
    Customer {
        licensee: h.licensee.clone(),
        contact: h.contact.clone(),
        customer_ref: h.customer_ref.clone(),
        reseller: h.reseller.clone(),
    }
}

/// A record without a code.
fn event(h: &LicenseHistory, rev: &crate::Revision, operation: Operation, today: Date) -> Record {
    Record {
        recorded: today,
        operation,
        product: h.product.clone(),
        licensee: h.licensee.clone(),
        contact: h.contact.clone(),
        customer_ref: h.customer_ref.clone(),
        reseller: h.reseller.clone(),
        database: rev.database.clone(),
        license: rev.license,
        code: None,
        maintenance: None,
        withdrawn: None,
        ends: None,
        note: None,
        erased: h.erased,
    }
}

/// The business rules every code must satisfy.
pub(crate) fn validate(catalog: &Catalog, l: &License, today: Date) -> Result<(), Error> {
    if l.named_users == Some(0) || l.concurrent_seats == Some(0) {
        return Err(Error::InvalidOrder(
            "a license must grant at least one user or seat: give a positive number (or none for no limit)"
                .into(),
        ));
    }
    if l.issued != today {
        return Err(Error::InvalidOrder(format!(
            "the issue date {} is not today ({today})",
            l.issued
        )));
    }
    if l.valid_from < l.issued {
        return Err(Error::InvalidOrder(format!(
            "valid-from {} is before the day of issue {}",
            l.valid_from, l.issued
        )));
    }
    match (l.kind, l.expires) {
        (Kind::Full, None) | (Kind::Full, Some(_)) => {}
        (kind, None) => {
            return Err(Error::InvalidOrder(format!("a {kind} license needs an end date")));
        }
        _ => {}
    }
    if let Some(e) = l.expires
        && (e <= l.valid_from || e <= l.issued)
    {
        return Err(Error::InvalidOrder(format!(
            "the license would expire on {e}, not after it starts on {}: give a later end date",
            l.valid_from
        )));
    }
    let d = &catalog.defaults;
    let over = |what: &'static str, v: Option<u32>, max: Option<u32>| match (v, max) {
        (Some(v), Some(max)) if v > max => Err(Error::OverLimit {
            what,
            requested: v,
            max,
            product: catalog.product().to_owned(),
        }),
        (None, Some(max)) => Err(Error::InvalidOrder(format!(
            "{what} must be limited for product {} (at most {max})",
            catalog.product()
        ))),
        _ => Ok(()),
    };
    // A catalog maximum means the license must be limited in that count, unless the
    // other count limits it: a concurrent-agents subscription needs no named users.
    let over_or_other = |what, v: Option<u32>, max: Option<u32>, other: Option<u32>| match (v, other) {
        (None, Some(_)) => Ok(()),
        _ => over(what, v, max),
    };
    over_or_other(
        "named users",
        l.named_users,
        d.max_named_users,
        l.concurrent_seats,
    )?;
    over_or_other(
        "concurrent seats",
        l.concurrent_seats,
        d.max_concurrent_seats,
        l.named_users,
    )?;
    over("demo seats", Some(l.demo_seats), Some(d.max_demo_seats))?;
    over(
        "grace days",
        Some(u32::from(l.grace_days)),
        Some(u32::from(d.max_grace_days)),
    )?;
    let unknown = license_core::ModuleSet::from_bits(l.modules.bits() & !catalog.all_modules().bits());
    if !unknown.is_empty() {
        return Err(Error::InvalidOrder(format!(
            "module bits {:?} are not in the catalog of {}",
            unknown.iter().collect::<Vec<_>>(),
            catalog.product()
        )));
    }
    Ok(())
}
