//! The issuing operations: each validates the order against the catalog and the
//! business rules, signs the code with the current key and records it in the ledger.
//! One module per operation; this one holds the `Issuer` and what they share.

use std::cell::Cell;
use std::collections::BTreeMap;

use license_core::{Context, Date, License};

use crate::catalog::product::{Catalog, Catalogs};
use crate::channel::error::ChannelError;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::{Customer, Issued};
use crate::issuer::validate::validate;
use crate::keys::signer::Signer;
use crate::ledger::error::LedgerError;
use crate::ledger::history::LicenseHistory;
use crate::ledger::store::{Batch, Ledger, MaintenanceKind, Operation, OrderRef, Record};

#[cfg(test)]
mod calendar_cycle_tests;
pub(crate) mod cancel;
pub(crate) mod error;
#[cfg(test)]
mod lifecycle_tests;
mod maintenance;
mod new;
mod pending;
pub(crate) mod place;
mod reduce;
pub(crate) mod rehost;
mod reissue;
pub(crate) mod renew;
pub(crate) mod revoke;
mod sites;
mod terms;
mod trial_terms;
mod upgrade;
pub(crate) mod validate;

pub(crate) mod order;
#[cfg(test)]
mod tests;

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

/// How often an operation is tried again after a concurrent order changed its license
/// between the read and the append ([`LedgerError::Conflict`](crate::LedgerError::Conflict)).
const ATTEMPTS: u32 = 128;

/// The issuing service: catalogs, the signer (the vendor's current key, or a reseller's
/// key with its certificate chains) and a ledger.
///
/// Each operation reads the license from the ledger, decides, signs and appends its
/// records in one [`Ledger::append_batch`]. If another issuer (another backend instance
/// on the same database) recorded for that license in between, the append is refused
/// and the operation runs again on a fresh read, so revisions and license ids stay
/// unique and gapless. One `Issuer` per thread; clone the ledger handle (a connection
/// pool) for each.
#[derive(Debug)]
pub struct Issuer<L: Ledger> {
    catalogs: Catalogs,
    signer: Signer,
    ledger: L,
    /// The records of the operation running, appended together at its end.
    staged: Vec<Record>,
    /// The license the running operation read, and how many records it had.
    read: Cell<Option<(u32, usize)>>,
}

impl<L: Ledger> Issuer<L> {
    /// An issuer signing with `signer` (a [`crate::VendorKey`] or a
    /// [`crate::ResellerSigner`]) and recording in `ledger`.
    pub fn new(catalogs: Catalogs, signer: impl Into<Signer>, ledger: L) -> Issuer<L> {
        Issuer {
            catalogs,
            signer: signer.into(),
            ledger,
            staged: Vec::new(),
            read: Cell::new(None),
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
        self.signer.key_id()
    }

    /// Who signs.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// Sign with `signer` from now on; the signer replaced is returned. A backend that
    /// holds one issuer over its ledger signs a reseller's orders with the reseller's key
    /// and chain this way, then puts the vendor's key back.
    pub fn replace_signer(&mut self, signer: impl Into<Signer>) -> Signer {
        std::mem::replace(&mut self.signer, signer.into())
    }

    /// The ledger, for its own operations that are no order (a GDPR erasure,
    /// [`Ledger::erase_licensee`]); every order goes through the issuer.
    pub fn ledger_mut(&mut self) -> &mut L {
        &mut self.ledger
    }

    /// Give the ledger back.
    pub fn into_ledger(self) -> L {
        self.ledger
    }

    /// The history of one license.
    pub fn history(&self, license_id: u32) -> Result<LicenseHistory, Error> {
        let records = self.ledger.records_of(license_id)?;
        self.read.set(Some((license_id, records.len())));
        LicenseHistory::from_records(&records).ok_or(Error::Order(OrderError::UnknownLicense { license_id }))
    }

    /// The histories of every license.
    pub fn histories(&self) -> Result<BTreeMap<u32, LicenseHistory>, Error> {
        Ok(LicenseHistory::all(&self.ledger.records()?))
    }

    /// The history of a license that can still be changed.
    fn open(&self, license_id: u32, today: Date) -> Result<LicenseHistory, Error> {
        let h = self.history(license_id)?;
        self.refuse_closed(&h, today)?;
        if let Some(p) = h.pending_reduction(today) {
            return Err(Error::Order(OrderError::ReductionPending {
                license_id,
                revision: p.license.revision,
                effective: p.license.valid_from,
            }));
        }
        Ok(h)
    }

    fn refuse_closed(&self, h: &LicenseHistory, _today: Date) -> Result<(), Error> {
        if let Some(on) = h.revoked {
            return Err(Error::Order(OrderError::Revoked {
                license_id: h.license_id,
                on,
            }));
        }
        if h.erased {
            return Err(Error::Order(OrderError::Erased {
                license_id: h.license_id,
            }));
        }
        Ok(())
    }

    fn current<'h>(
        &self,
        h: &'h LicenseHistory,
        today: Date,
    ) -> Result<&'h crate::ledger::history::Revision, Error> {
        h.effective_on(today).ok_or(Error::Order(OrderError::NotStarted {
            license_id: h.license_id,
            today,
        }))
    }

    /// Validate, sign and record.
    fn commit(&mut self, catalog: &Catalog, draft: Draft, today: Date) -> Result<Issued, Error> {
        commit_to(&self.signer, &mut self.staged, catalog, draft, today)
    }

    /// Run `op` (which reads through [`Issuer::history`] and stages its records) and
    /// append what it staged as one batch; on [`LedgerError::Conflict`](crate::LedgerError::Conflict) run it again on a
    /// fresh read. With an order key: if the ledger already holds that order's records,
    /// `replay` rebuilds the first result from them and nothing is issued (a key reused
    /// for a different order is refused).
    pub(crate) fn transact<T>(
        &mut self,
        order: Option<&OrderRef>,
        mut op: impl FnMut(&mut Self) -> Result<T, Error>,
        replay: impl Fn(&[Record]) -> Option<T>,
    ) -> Result<T, Error> {
        // The order's earlier records, if it was placed before: its first result.
        let replayed = |this: &Self| -> Result<Option<T>, Error> {
            let Some(o) = order else { return Ok(None) };
            let done = this.ledger.records_of_order(&o.key)?;
            match done.first() {
                None => Ok(None),
                Some(first) if first.order.as_ref() != Some(o) => {
                    Err(Error::Ledger(LedgerError::OrderKeyReused { key: o.key.clone() }))
                }
                Some(_) => replay(&done)
                    .map(Some)
                    .ok_or(Error::Ledger(LedgerError::OrderKeyReused { key: o.key.clone() })),
            }
        };
        let mut attempt = 0;
        loop {
            self.staged.clear();
            self.read.set(None);
            let out = op(self);
            let mut records = std::mem::take(&mut self.staged);
            // A retried order usually fails its checks on today's state (its change is
            // already in): look for its first result before reporting that.
            let out = match out {
                Ok(out) => out,
                Err(e) => return replayed(self)?.ok_or(e),
            };
            let Some(first) = records.first() else {
                return Ok(out);
            };
            let (license_id, expected) = match self.read.get() {
                Some((id, n)) if id == first.license.license_id => (id, n),
                _ => (first.license.license_id, 0),
            };
            for r in &mut records {
                r.order = order.cloned();
            }
            // Ledgers refuse a second batch with the same order key (a conflict), so the
            // first placement needs no look-up beforehand.
            match self.ledger.append_batch(&Batch {
                license_id,
                expected,
                records: &records,
            }) {
                Ok(()) => return Ok(out),
                Err(Error::Ledger(LedgerError::Conflict { .. })) if attempt + 1 < ATTEMPTS => {
                    if let Some(first) = replayed(self)? {
                        return Ok(first);
                    }
                    attempt += 1;
                    // Let the other writer finish; spread the retries of many.
                    std::thread::sleep(std::time::Duration::from_micros(
                        50 * u64::from(attempt) + u64::from(license_id % 7) * 20,
                    ));
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// Validate, sign with `signer` and stage the record for the operation's batch.
fn commit_to(
    signer: &Signer,
    staged: &mut Vec<Record>,
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
    // A reseller's code names its reseller: the ledger row is the one it is invoiced for.
    let reseller = match signer.reseller(&draft.product)? {
        None => draft.customer.reseller,
        Some(own) => match draft.customer.reseller {
            Some(given) if given != own => {
                return Err(Error::Channel(ChannelError::ResellerMismatch {
                    given,
                    signer: own,
                }));
            }
            _ => Some(own),
        },
    };
    let code = signer
        .sign(&draft.license, &ctx)
        .map_err(|e| crate::keys::signer::in_catalog_words(e, catalog))?;
    let record = Record {
        recorded: today,
        operation: draft.operation,
        product: draft.product.clone(),
        licensee: draft.customer.licensee.clone(),
        contact: draft.customer.contact,
        customer_ref: draft.customer.customer_ref,
        reseller,
        database: draft.database.clone(),
        license: draft.license,
        code: Some(code.clone()),
        maintenance: draft.maintenance,
        withdrawn: draft.withdrawn,
        ends: None,
        note: None,
        erased: false,
        order: None,
        ticket: None,
        site: draft.customer.site,
        order_ref: draft.customer.order_ref,
    };
    staged.push(record);
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
        site: h.site.clone(),
        order_ref: h.order_ref.clone(),
    }
}

/// A record without a code.
pub(crate) fn event(
    h: &LicenseHistory,
    rev: &crate::ledger::history::Revision,
    operation: Operation,
    today: Date,
) -> Record {
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
        order: None,
        ticket: None,
        site: h.site.clone(),
        order_ref: h.order_ref.clone(),
    }
}
