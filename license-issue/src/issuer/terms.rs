//! How long one term of a time-limited license is, for its renewals: the one rule renew,
//! cancel (renewing once more) and a reduction of the next term follow.

use license_core::Kind;

use crate::catalog::calendar::TermLength;
use crate::catalog::product::Catalog;
use crate::ledger::history::LicenseHistory;

/// One term of license `h` of kind `kind`: a subscription's is the catalog's
/// `subscription_months` (its "12-month terms"); an NFR license's is its own first term
/// (*"NFR terms may be longer or shorter than subscriptions"*): a 6-month NFR renews for 6
/// months, one of 90 days for 90 days; the catalog's `nfr_months` only when the first term
/// is unknown. `None` for kinds that are not renewed.
pub(crate) fn term_of(h: &LicenseHistory, catalog: &Catalog, kind: Kind) -> Option<TermLength> {
    match kind {
        Kind::Subscription => Some(TermLength::Months(catalog.defaults.subscription_months)),
        Kind::Nfr => Some(
            h.revisions
                .iter()
                .min_by_key(|r| r.license.revision)
                .and_then(|r| {
                    r.license
                        .expires
                        .map(|e| TermLength::between(r.license.valid_from, e))
                })
                .filter(|t| *t != TermLength::Days(0))
                .unwrap_or(TermLength::Months(catalog.defaults.nfr_months)),
        ),
        Kind::Full | Kind::Trial => None,
    }
}

#[cfg(test)]
mod tests {
    use license_core::{Date, Kind};

    use crate::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    fn issuer() -> Issuer<MemoryLedger> {
        let mut catalogs = Catalogs::new();
        catalogs.insert(Catalog::demo().unwrap());
        Issuer::new(catalogs, VendorKey::from_seed(&[7; 32]), MemoryLedger::new())
    }

    fn nfr(term: Term) -> NewLicense {
        let mut o = NewLicense::new("demo-erp", Kind::Nfr, Customer::new("Partner AG"));
        o.named_users = Some(5);
        o.term = term;
        o
    }

    /// "NFR terms may be longer or shorter than subscriptions": a 6-month NFR renews for 6
    /// months (was: the catalog's 12), one of 90 days for 90 days, one issued with the
    /// catalog's term for 12 months; a subscription for the catalog's 12 months.
    #[test]
    fn an_nfr_license_renews_for_its_own_term() {
        let mut is = issuer();
        let start = d(2026, 3, 31);
        let six = is.issue(&nfr(Term::Months(6)), start).unwrap().license;
        assert_eq!(six.expires, Some(d(2026, 9, 30)));
        let r = is.renew_early(six.license_id, d(2026, 9, 1)).unwrap();
        assert_eq!(
            (r.license.valid_from, r.license.expires),
            (d(2026, 9, 30), Some(d(2027, 3, 31))),
            "six months counted from the start: back to the 31st"
        );
        let days = is.issue(&nfr(Term::Days(90)), start).unwrap().license;
        assert_eq!(days.expires, Some(d(2026, 6, 29)));
        let r = is.renew_early(days.license_id, d(2026, 6, 1)).unwrap();
        assert_eq!(r.license.expires, Some(d(2026, 9, 27)));
        let default = is.issue(&nfr(Term::Default), start).unwrap().license;
        let r = is.renew_early(default.license_id, d(2027, 3, 1)).unwrap();
        assert_eq!(r.license.expires, Some(d(2028, 3, 31)));
        // Cancelled after the deadline: the 6-month NFR runs one more 6-month term.
        let c = is.cancel(six.license_id, d(2027, 1, 15)).unwrap();
        assert_eq!(c.ends, d(2027, 9, 30));
        let mut sub = NewLicense::new("demo-erp", Kind::Subscription, Customer::new("ACME"));
        sub.named_users = Some(5);
        sub.term = Term::Months(6);
        let s = is.issue(&sub, start).unwrap().license;
        let r = is.renew_early(s.license_id, d(2026, 9, 1)).unwrap();
        assert_eq!(
            r.license.expires,
            Some(d(2027, 9, 30)),
            "subscriptions: 12-month terms"
        );
    }
}
