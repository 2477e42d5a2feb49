//! The issuing operations: each validates the order against the catalog and the
//! business rules, signs the code with the current key and records it in the ledger.
//! One module per operation; this one holds the `Issuer` and what they share.

use std::collections::BTreeMap;
use std::fmt;

use license_core::{Context, Date, License, sign};

use crate::Error;
use crate::catalog::{Catalog, Catalogs};
use crate::history::LicenseHistory;
use crate::keys::VendorKey;
use crate::ledger::{Ledger, MaintenanceKind, Operation, Record};
use crate::order::{Customer, Issued};

mod cancel;
mod maintenance;
mod new;
mod reduce;
mod rehost;
mod reissue;
mod renew;
mod revoke;
mod upgrade;
mod validate;

pub use cancel::Cancellation;
pub use renew::RenewalOutcome;
pub use revoke::RevocationList;
pub(crate) use validate::validate;

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
        h.effective_on(today).ok_or(Error::NotStarted {
            license_id: h.license_id,
            today,
        })
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
    // Writing into a String cannot fail.
    let _ = fmt::Write::write_fmt(&mut code, format_args!("{signed}"));
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
