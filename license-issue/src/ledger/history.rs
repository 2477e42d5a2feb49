//! A license's life folded from its ledger records: revisions, pending reductions,
//! cancellation, revocation.

use std::collections::BTreeMap;

use license_core::{Date, License, RevocationEntry, RevokedRevisions};

use crate::ledger::record::{MaintenanceKind, Operation, Record};

/// One issued revision of a license.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// The scope.
    pub license: License,
    /// The code's text form.
    pub code: String,
    /// What issued it.
    pub operation: Operation,
    /// The day it was issued.
    pub recorded: Date,
    /// The licensee it is signed for.
    pub licensee: String,
    /// The database code it is signed for, if bound to one.
    pub database: Option<String>,
    /// Whether a later withdrawal voided it (a pending reduction withdrawn).
    pub withdrawn: bool,
}

/// Everything the ledger knows about one license.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LicenseHistory {
    /// The license id.
    pub license_id: u32,
    /// The product id.
    pub product: String,
    /// The current licensee (after a transfer: the new one).
    pub licensee: String,
    /// Contact data of the current licensee.
    pub contact: Option<String>,
    /// The vendor's customer reference.
    pub customer_ref: Option<String>,
    /// The reseller, if one sold it.
    pub reseller: Option<String>,
    /// The database code of the latest revision.
    pub database: Option<String>,
    /// Every revision, ascending.
    pub revisions: Vec<Revision>,
    /// When a cancellation was ordered and the first day after the last paid term.
    pub cancelled: Option<(Date, Date)>,
    /// When it was revoked.
    pub revoked: Option<Date>,
    /// Maintenance packs associated: (day, kind).
    pub maintenance_packs: Vec<(Date, MaintenanceKind)>,
    /// Whether the licensee's data was erased.
    pub erased: bool,
    /// The customer's site it belongs to.
    pub site: Option<String>,
    /// The order it was issued in.
    pub order_ref: Option<String>,
}

impl LicenseHistory {
    /// Fold the records of one license (in ledger order); `None` if there are none.
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a Record>) -> Option<LicenseHistory> {
        let mut h: Option<LicenseHistory> = None;
        for r in records {
            let h = h.get_or_insert_with(|| LicenseHistory {
                license_id: r.license.license_id,
                product: r.product.clone(),
                licensee: r.licensee.clone(),
                contact: None,
                customer_ref: None,
                reseller: None,
                database: None,
                revisions: Vec::new(),
                cancelled: None,
                revoked: None,
                maintenance_packs: Vec::new(),
                erased: false,
                site: None,
                order_ref: None,
            });
            h.site = r.site.clone().or(h.site.take());
            h.order_ref = r.order_ref.clone().or(h.order_ref.take());
            h.licensee = r.licensee.clone();
            h.contact = r.contact.clone();
            h.customer_ref = r.customer_ref.clone().or(h.customer_ref.take());
            h.reseller = r.reseller.clone().or(h.reseller.take());
            h.erased |= r.erased;
            if let Some(code) = &r.code {
                h.database = r.database.clone();
                h.revisions.push(Revision {
                    license: r.license,
                    code: code.clone(),
                    operation: r.operation,
                    recorded: r.recorded,
                    licensee: r.licensee.clone(),
                    database: r.database.clone(),
                    withdrawn: false,
                });
            }
            match r.operation {
                Operation::Withdraw => {
                    if let Some(w) = r.withdrawn {
                        for rev in h.revisions.iter_mut().filter(|v| v.license.revision == w) {
                            rev.withdrawn = true;
                        }
                    }
                }
                Operation::Cancel => h.cancelled = Some((r.recorded, r.ends.unwrap_or(r.recorded))),
                // Revoked by the vendor and by its reseller (whose export arrives later): the
                // first revocation counts.
                Operation::Revoke => h.revoked = Some(h.revoked.map_or(r.recorded, |d| d.min(r.recorded))),
                Operation::Maintenance => h
                    .maintenance_packs
                    .push((r.recorded, r.maintenance.unwrap_or(MaintenanceKind::OneServer))),
                _ => {}
            }
        }
        if let Some(h) = &mut h {
            h.revisions.sort_by_key(|r| r.license.revision);
        }
        h
    }

    /// Group records by license id.
    pub fn all(records: &[Record]) -> BTreeMap<u32, LicenseHistory> {
        let mut by_id: BTreeMap<u32, Vec<&Record>> = BTreeMap::new();
        for r in records {
            by_id.entry(r.license.license_id).or_default().push(r);
        }
        by_id
            .into_iter()
            .filter_map(|(id, rs)| LicenseHistory::from_records(rs).map(|h| (id, h)))
            .collect()
    }

    fn live(&self) -> impl DoubleEndedIterator<Item = &Revision> {
        self.revisions.iter().filter(|r| !r.withdrawn)
    }

    /// The highest revision not withdrawn (may start in the future).
    pub fn latest(&self) -> Option<&Revision> {
        self.live().next_back()
    }

    /// The revision in force on `day`: the highest one not withdrawn that has started.
    pub fn effective_on(&self, day: Date) -> Option<&Revision> {
        in_force(self.live(), |r| r.license.valid_from, day)
    }

    /// The first day of the contract: revision 1's first day (contract years and their
    /// anniversaries count from it).
    pub fn contract_start(&self) -> Option<Date> {
        self.revisions.iter().map(|r| r.license.valid_from).min()
    }

    /// The day a reduction ordered on `today` takes effect under `policy`, and the last day
    /// it can be withdrawn (its cutoff), counted from the contract start (`None`: no
    /// revision yet). What `Issuer::reduce` applies, and what a portal shows before the
    /// customer confirms.
    pub fn reduction_dates(
        &self,
        policy: crate::catalog::calendar::ReductionPolicy,
        today: Date,
    ) -> Option<(Date, Date)> {
        let effective = policy.effective(today, self.contract_start()?);
        Some((effective, policy.cutoff(effective)))
    }

    /// The day the running maintenance is counted from (the anchor of
    /// [`calendar::advance`](crate::calendar::advance)): the contract start, or the
    /// purchase day of the latest maintenance pack bought after the maintenance had lapsed
    /// (such a pack starts a new count; one bought while it runs extends it).
    pub fn maintenance_anchor(&self) -> Date {
        let mut anchor = self.contract_start().unwrap_or(Date::UNIX_EPOCH);
        let mut end: Option<Date> = None;
        for r in self.live() {
            if r.operation == Operation::Maintenance && end.is_some_and(|e| e <= r.recorded) {
                anchor = r.recorded;
            }
            end = r.license.maintenance_ends;
        }
        anchor
    }

    /// Whether the license was revoked before its contract's first month was over (a
    /// storno: the purchase undone). A storno is not invoiced: no codes, no days
    /// ([`crate::invoice`], [`crate::pro_rata`]).
    pub fn storno(&self) -> bool {
        match (self.revoked, self.contract_start()) {
            (Some(on), Some(start)) => on < start.add_months(1).unwrap_or(Date::MAX),
            _ => false,
        }
    }

    /// The highest revision ever issued (withdrawn ones included): the next one must be higher.
    pub fn max_revision(&self) -> u32 {
        self.revisions
            .iter()
            .map(|r| r.license.revision)
            .max()
            .unwrap_or(0)
    }

    /// A revision issued but not yet in force on `today` (a scheduled reduction or a
    /// renewal for the next term).
    pub fn pending(&self, today: Date) -> Option<&Revision> {
        self.latest().filter(|r| r.license.valid_from > today)
    }

    /// The revisions issued but not yet in force on `day`, above the one in force, by
    /// first day (a scheduled reduction, the next term's renewal): each replaces the code
    /// in force on its first day.
    pub fn scheduled(&self, day: Date) -> Vec<&Revision> {
        let floor = self.effective_on(day).map_or(0, |r| r.license.revision);
        let mut v: Vec<&Revision> = self
            .live()
            .filter(|r| r.license.valid_from > day && r.license.revision > floor)
            .collect();
        v.sort_by_key(|r| (r.license.valid_from, r.license.revision));
        v
    }

    /// A reduction not yet in force on `today`.
    pub fn pending_reduction(&self, today: Date) -> Option<&Revision> {
        self.pending(today).filter(|r| r.operation == Operation::Reduce)
    }

    /// Whether the license was revoked on or before `day`.
    pub fn revoked_by(&self, day: Date) -> bool {
        revoked_by(self.revoked, day)
    }

    /// What the revocation list published on `day` must say about this license: every
    /// revision if revoked; otherwise revisions up to the highest superseded one that
    /// grants something the revision in force does not (a larger scope, a longer term,
    /// another machine or database, another licensee), so the old code stops working
    /// after a reduction, a rehost or a transfer. Superseded revisions that grant less
    /// (an upgrade's predecessor) are not listed.
    pub fn revocation_entry(&self, day: Date) -> Option<RevocationEntry> {
        if self.revoked_by(day) {
            return Some(RevocationEntry {
                license_id: self.license_id,
                revisions: RevokedRevisions::All,
            });
        }
        let current = self.effective_on(day)?;
        let dangerous = self
            .revisions
            .iter()
            .filter(|r| r.license.revision < current.license.revision)
            .filter(|r| r.withdrawn || grants_more(r, current))
            .map(|r| r.license.revision)
            .max()?;
        Some(RevocationEntry {
            license_id: self.license_id,
            revisions: RevokedRevisions::UpTo(dangerous),
        })
    }
}

/// The revision in force on `day` among `live` (the revisions not withdrawn, ascending):
/// the highest one that has started. The one rule for [`LicenseHistory::effective_on`] and
/// [`crate::LicenseTerms::effective_on`].
pub(crate) fn in_force<'a, T>(
    mut live: impl DoubleEndedIterator<Item = &'a T>,
    valid_from: impl Fn(&T) -> Date,
    day: Date,
) -> Option<&'a T> {
    live.rfind(|r| valid_from(r) <= day)
}

/// Whether a license revoked on `revoked` is revoked on `day`.
pub(crate) fn revoked_by(revoked: Option<Date>, day: Date) -> bool {
    revoked.is_some_and(|d| d <= day)
}

/// Whether `old` grants anything `new` does not.
fn grants_more(old: &Revision, new: &Revision) -> bool {
    let (o, n) = (&old.license, &new.license);
    let more = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => a > b,
        _ => false,
    };
    let later = |a: Option<Date>, b: Option<Date>| match (a, b) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => a > b,
        _ => false,
    };
    more(o.named_users, n.named_users)
        || more(o.concurrent_seats, n.concurrent_seats)
        || o.demo_seats > n.demo_seats
        || !n.modules.is_superset_of(o.modules)
        || o.line.get() > n.line.get()
        || later(o.expires, n.expires)
        || later(o.maintenance_ends, n.maintenance_ends)
        || o.binding != n.binding
        || old.database != new.database
        || crate::ledger::record::normalize_licensee(&old.licensee)
            != crate::ledger::record::normalize_licensee(&new.licensee)
}
