//! A license's terms in brief: what "active on a day" reads of a license, derived from its
//! [`LicenseHistory`] (the one fold of its records). The SQL ledgers keep one such row per
//! license with a subscription term, rewritten in the transaction of every append, so the
//! report reads one short row per license instead of every record.

use license_core::{Date, Kind, License, ModuleSet, ProductLine};
use serde::{Deserialize, Serialize};

use crate::ledger::history::LicenseHistory;

/// The last day of the SQL ledgers' date range: the "no end" of a term in their columns.
pub(crate) const NO_END: Date = Date::MAX;

/// One revision's term and scope: what a report shows of the revision in force. Stored
/// as a JSON array, `[revision, kind, line, named users, concurrent seats, modules, first
/// day, end]`, the days counted from 1970-01-01 (a license's row holds every term of its
/// renewals: short entries keep the report's read small).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "TermEntry", from = "TermEntry")]
pub struct RevisionTerm {
    /// The revision.
    pub revision: u32,
    /// Full, trial, subscription or NFR.
    pub kind: Kind,
    /// Product line.
    pub line: ProductLine,
    /// Named users; `None` = not limited.
    pub named_users: Option<u32>,
    /// Concurrent seats; `None` = not limited.
    pub concurrent_seats: Option<u32>,
    /// Licensed modules.
    pub modules: ModuleSet,
    /// First day of validity.
    pub valid_from: Date,
    /// Exclusive end; `None` = perpetual.
    pub expires: Option<Date>,
}

/// [`RevisionTerm`] as stored.
type TermEntry = (
    u32,
    Kind,
    ProductLine,
    Option<u32>,
    Option<u32>,
    ModuleSet,
    u32,
    Option<u32>,
);

impl From<RevisionTerm> for TermEntry {
    fn from(t: RevisionTerm) -> TermEntry {
        (
            t.revision,
            t.kind,
            t.line,
            t.named_users,
            t.concurrent_seats,
            t.modules,
            t.valid_from.days_since_unix_epoch(),
            t.expires.map(Date::days_since_unix_epoch),
        )
    }
}

impl From<TermEntry> for RevisionTerm {
    fn from(e: TermEntry) -> RevisionTerm {
        RevisionTerm {
            revision: e.0,
            kind: e.1,
            line: e.2,
            named_users: e.3,
            concurrent_seats: e.4,
            modules: e.5,
            valid_from: day(e.6),
            expires: e.7.map(day),
        }
    }
}

impl RevisionTerm {
    fn of(l: &License) -> RevisionTerm {
        RevisionTerm {
            revision: l.revision,
            kind: l.kind,
            line: l.line,
            named_users: l.named_users,
            concurrent_seats: l.concurrent_seats,
            modules: l.modules,
            valid_from: l.valid_from,
            expires: l.expires,
        }
    }
}

/// A license's terms in brief: its names, its revocation and cancellation, and every
/// revision that is in force on some day, ascending (withdrawn revisions, and revisions a
/// higher one replaced from their first day, are never in force and are left out). Stored
/// as a JSON array, `[license id, product, licensee, reseller, revoked, cancelled ends,
/// [terms]]`, days counted from 1970-01-01.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "TermsEntry", from = "TermsEntry")]
pub struct LicenseTerms {
    /// The license id.
    pub license_id: u32,
    /// The product id.
    pub product: String,
    /// The current licensee.
    pub licensee: String,
    /// The reseller, if one sold it.
    pub reseller: Option<String>,
    /// When it was revoked.
    pub revoked: Option<Date>,
    /// If cancelled: the first day after the last paid term.
    pub cancelled_ends: Option<Date>,
    /// The revisions in force on some day, ascending.
    pub terms: Vec<RevisionTerm>,
}

/// [`LicenseTerms`] as stored.
type TermsEntry = (
    u32,
    String,
    String,
    Option<String>,
    Option<u32>,
    Option<u32>,
    Vec<RevisionTerm>,
);

impl From<LicenseTerms> for TermsEntry {
    fn from(t: LicenseTerms) -> TermsEntry {
        (
            t.license_id,
            t.product,
            t.licensee,
            t.reseller,
            t.revoked.map(Date::days_since_unix_epoch),
            t.cancelled_ends.map(Date::days_since_unix_epoch),
            t.terms,
        )
    }
}

impl From<TermsEntry> for LicenseTerms {
    fn from(e: TermsEntry) -> LicenseTerms {
        LicenseTerms {
            license_id: e.0,
            product: e.1,
            licensee: e.2,
            reseller: e.3,
            revoked: e.4.map(day),
            cancelled_ends: e.5.map(day),
            terms: e.6,
        }
    }
}

/// A stored day number as a date (beyond the last date: the last date).
fn day(d: u32) -> Date {
    Date::from_days_since_unix_epoch(d.min(Date::MAX.days_since_unix_epoch()))
}

impl LicenseTerms {
    /// The terms of `h`: a revision is kept when it is the one in force on its own first
    /// day ([`LicenseHistory::effective_on`]); one that is not is in force on no day (a
    /// higher revision started no later), so [`LicenseTerms::effective_on`] answers as the
    /// history does for every day.
    pub fn of(h: &LicenseHistory) -> LicenseTerms {
        let terms = h
            .revisions
            .iter()
            .filter(|r| {
                h.effective_on(r.license.valid_from)
                    .is_some_and(|e| e.license.revision == r.license.revision)
            })
            .map(|r| RevisionTerm::of(&r.license))
            .collect();
        LicenseTerms {
            license_id: h.license_id,
            product: h.product.clone(),
            licensee: h.licensee.clone(),
            reseller: h.reseller.clone(),
            revoked: h.revoked,
            cancelled_ends: h.cancelled.map(|(_, e)| e),
            terms,
        }
    }

    /// The revision in force on `day` (the same one as [`LicenseHistory::effective_on`]).
    pub fn effective_on(&self, day: Date) -> Option<&RevisionTerm> {
        crate::ledger::history::in_force(self.terms.iter(), |t| t.valid_from, day)
    }

    /// Whether the license was revoked on or before `day`.
    pub fn revoked_by(&self, day: Date) -> bool {
        crate::ledger::history::revoked_by(self.revoked, day)
    }

    /// The first day of its first subscription term and the (exclusive) end of its last
    /// one (`NO_END` for none); `None` without a subscription term. Every day on which
    /// the license is a subscription in force lies in this span (the revision in force
    /// then is one of `terms`): the SQL ledgers select the licenses of a day by it, and
    /// the report's rule decides.
    pub fn subscription_span(&self) -> Option<(Date, Date)> {
        let subs = self.terms.iter().filter(|t| t.kind == Kind::Subscription);
        let from = subs.clone().map(|t| t.valid_from).min()?;
        let until = subs.map(|t| t.expires.unwrap_or(NO_END)).max()?;
        Some((from, until))
    }

    /// Whether `day` lies in [`LicenseTerms::subscription_span`]: a necessary condition
    /// for being a subscription in force on `day`, never a sufficient one.
    pub fn may_be_active_on(&self, day: Date) -> bool {
        self.subscription_span()
            .is_some_and(|(from, until)| from <= day && day < until)
    }

    /// Whether [`LicenseTerms::subscription_span`] meets the days `first..=last`: whether
    /// [`LicenseTerms::may_be_active_on`] holds for one of them.
    pub fn may_be_active_between(&self, first: Date, last: Date) -> bool {
        self.subscription_span()
            .is_some_and(|(from, until)| from <= last && first < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::store::{Operation, Record};

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    fn record(op: Operation, revision: u32, kind: Kind, from: Date, expires: Option<Date>) -> Record {
        let mut license = crate::test_support::license(7, kind);
        license.revision = revision;
        license.valid_from = from;
        license.issued = from;
        license.expires = expires;
        Record {
            recorded: from,
            operation: op,
            product: "demo-erp".into(),
            licensee: "Acme".into(),
            contact: None,
            customer_ref: None,
            reseller: Some("R1".into()),
            database: None,
            license,
            code: Some(format!("code-{revision}")),
            maintenance: None,
            withdrawn: None,
            ends: None,
            note: None,
            erased: false,
            site: None,
            order_ref: None,
            order: None,
            ticket: None,
        }
    }

    #[test]
    fn replaced_and_withdrawn_revisions_are_left_out() {
        let sub = Kind::Subscription;
        let mut withdraw = record(Operation::Withdraw, 4, sub, d(2026, 3, 1), Some(d(2027, 1, 1)));
        withdraw.code = Some("code-4b".into());
        withdraw.license.revision = 5;
        withdraw.withdrawn = Some(4);
        let records = [
            record(Operation::Issue, 1, sub, d(2026, 1, 1), Some(d(2027, 1, 1))),
            // An upgrade from the same day replaces revision 1 on every day.
            record(Operation::Upgrade, 2, sub, d(2026, 1, 1), Some(d(2027, 1, 1))),
            record(Operation::Upgrade, 3, sub, d(2026, 2, 1), Some(d(2027, 1, 1))),
            // A reduction from July, withdrawn in March (revision 5 restores the scope).
            record(Operation::Reduce, 4, sub, d(2026, 7, 1), Some(d(2027, 1, 1))),
            withdraw,
        ];
        let h = LicenseHistory::from_records(&records).unwrap();
        let t = LicenseTerms::of(&h);
        let revs: Vec<u32> = t.terms.iter().map(|t| t.revision).collect();
        assert_eq!(revs, [2, 3, 5]);
        for day in [
            d(2025, 12, 31),
            d(2026, 1, 1),
            d(2026, 2, 15),
            d(2026, 3, 1),
            d(2026, 8, 1),
        ] {
            assert_eq!(
                t.effective_on(day).map(|t| t.revision),
                h.effective_on(day).map(|r| r.license.revision),
                "{day}"
            );
        }
        assert_eq!(t.subscription_span(), Some((d(2026, 1, 1), d(2027, 1, 1))));
        assert!(t.may_be_active_on(d(2026, 12, 31)));
        assert!(!t.may_be_active_on(d(2027, 1, 1)));
        assert!(!t.may_be_active_on(d(2025, 12, 31)));
        assert_eq!(t.reseller.as_deref(), Some("R1"));
    }

    #[test]
    fn no_subscription_no_span_and_perpetual_terms_run_to_the_end() {
        let full = [record(Operation::Issue, 1, Kind::Full, d(2026, 1, 1), None)];
        let t = LicenseTerms::of(&LicenseHistory::from_records(&full).unwrap());
        assert_eq!(t.subscription_span(), None);
        assert!(!t.may_be_active_on(d(2026, 6, 1)));
        let sub = [record(
            Operation::Issue,
            1,
            Kind::Subscription,
            d(2026, 1, 1),
            None,
        )];
        let t = LicenseTerms::of(&LicenseHistory::from_records(&sub).unwrap());
        assert_eq!(t.subscription_span(), Some((d(2026, 1, 1), NO_END)));
        assert!(t.may_be_active_on(d(9000, 1, 1)));
    }

    #[test]
    fn json_round_trip_is_short() {
        let records = [record(
            Operation::Issue,
            1,
            Kind::Subscription,
            d(2026, 1, 1),
            Some(d(2027, 1, 1)),
        )];
        let t = LicenseTerms::of(&LicenseHistory::from_records(&records).unwrap());
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.len() < 150, "{json}");
        assert!(
            json.contains(r#"[[1,"subscription",1,10,null,0,20454,20819]]"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<LicenseTerms>(&json).unwrap(), t);
    }
}
