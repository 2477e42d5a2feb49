//! The business rules every code must satisfy, whatever the operation.

use license_core::{Date, Kind, License};

use crate::catalog::product::Catalog;
use crate::error::Error;
use crate::issuer::error::OrderError;

/// The business rules every code must satisfy.
pub(crate) fn validate(catalog: &Catalog, l: &License, today: Date) -> Result<(), Error> {
    if l.named_users == Some(0) || l.concurrent_seats == Some(0) {
        return Err(Error::Order(OrderError::NoUsersOrSeats));
    }
    if l.issued != today {
        return Err(Error::Order(OrderError::NotIssuedToday {
            issued: l.issued,
            today,
        }));
    }
    if l.valid_from < l.issued {
        return Err(Error::Order(OrderError::StartsBeforeIssue {
            valid_from: l.valid_from,
            issued: l.issued,
        }));
    }
    match (l.kind, l.expires) {
        (Kind::Full, None) | (Kind::Full, Some(_)) => {}
        (kind, None) => {
            return Err(Error::Order(OrderError::NeedsEndDate { kind }));
        }
        _ => {}
    }
    if let Some(e) = l.expires
        && (e <= l.valid_from || e <= l.issued)
    {
        return Err(Error::Order(OrderError::EndsBeforeStart {
            expires: e,
            starts: l.valid_from,
        }));
    }
    let d = &catalog.defaults;
    let over = |what: &'static str, v: Option<u32>, max: Option<u32>| match (v, max) {
        (Some(v), Some(max)) if v > max => Err(Error::Order(OrderError::OverLimit {
            what,
            requested: v,
            max,
            product: catalog.product().to_owned(),
        })),
        (None, Some(max)) => Err(Error::Order(OrderError::MustBeLimited {
            what,
            product: catalog.product().to_owned(),
            max,
        })),
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
    // Every module, present and future, names no module the catalog lacks.
    if !unknown.is_empty() && !l.modules.is_all() {
        return Err(Error::Order(OrderError::ModulesNotInCatalog {
            product: catalog.product().to_owned(),
            bits: unknown.iter().collect(),
        }));
    }
    // A trial is the catalog's trial terms at most.
    super::trial_terms::within_trial_terms(catalog, l)
}
