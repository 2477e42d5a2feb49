//! License steps shared by the JSON API and the portal: placing an order (texts checked
//! first), who may act on a license, the right a `right` cell needs, an order on an
//! existing license (authorized, placed, audited), the trial, the license file, a
//! license's history with its catalog, and the page of licenses a caller may see.

use std::sync::Arc;

use axum::http::StatusCode;
use license_core::{Date, Kind};
use license_issue::{BindTo, Catalog, Customer, Error, LicenseHistory, NewLicense, Order, Outcome};

use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult, Cause};
use crate::issuers::Issuers;
use crate::names;
use crate::permissions::Cell;
use crate::rights::OrgKind;
use crate::store::Owner;
use crate::store::audit::AuditAction;

/// The texts of an order people typed, checked before the library sees them (a 400
/// naming the field): the library's one rule for names (`Customer::refused_field`).
pub fn check_customer(c: &Customer) -> ApiResult<()> {
    match c.refused_field() {
        None => Ok(()),
        Some(("licensee", why)) => Err(ApiError::field(
            "customer.licensee",
            format!("the licensee name is refused: {why}"),
        )),
        Some((field, why)) => Err(ApiError::field(
            &format!("customer.{field}"),
            format!("customer.{field} is refused: {why}"),
        )),
    }
}

fn check_order(order: &Order) -> ApiResult<()> {
    match order {
        Order::Issue(n) => check_customer(&n.customer),
        Order::Transfer { to, .. } => check_customer(to).map_err(|mut e| {
            e.field = e.field.map(|f| f.replacen("customer.", "to.", 1));
            e
        }),
        Order::Revoke {
            reason: Some(reason), ..
        } => match names::refused(reason) {
            Some(why) => Err(ApiError::field("reason", format!("the reason is refused: {why}"))),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Place `order` (the ledger is synchronous: on a blocking thread).
pub async fn place<I: Issuers>(app: &Arc<App<I>>, key: Option<String>, order: Order) -> ApiResult<Outcome> {
    place_for(app, key, order, None).await
}

/// Place `order`; a new license it makes is `new_owner`'s (who hears of it: the outbox
/// rows are written in the order's transaction, see `crate::notify`).
pub async fn place_for<I: Issuers>(
    app: &Arc<App<I>>,
    key: Option<String>,
    order: Order,
    new_owner: Option<Owner>,
) -> ApiResult<Outcome> {
    check_order(&order)?;
    let today = (app.today)();
    blocking(app, move |app| {
        let place = |is: &mut license_issue::Issuer<I::Ledger>| is.place(key.as_deref(), &order, today);
        match new_owner {
            Some(owner) => app.issuers.with_for(owner, place),
            None => app.issuers.with(place),
        }
        .map_err(ApiError::from)
    })
    .await
}

/// The owner of a license if the caller may act on it: the vendor on every license, others
/// on their own (404 otherwise, the same answer as for a license that does not exist).
pub fn owned<I: Issuers>(app: &App<I>, c: &Caller, license_id: u32) -> ApiResult<Owner> {
    let owner = app.store.owner(license_id)?;
    match c.org() {
        Some((_, OrgKind::Vendor)) => Ok(owner.unwrap_or(Owner {
            license_id,
            company_id: 0,
            reseller_id: 0,
        })),
        _ => c.visible(owner),
    }
}

/// A reseller's frame as the vendor certified it (`None`: none stored).
pub fn reseller_frame<I: Issuers>(app: &App<I>, org: i64) -> ApiResult<Option<license_core::Frame>> {
    let Some(o) = app.store.org(org)? else {
        return Ok(None);
    };
    if o.frame.is_empty() {
        return Ok(None);
    }
    serde_json::from_str(&o.frame)
        .map(Some)
        .map_err(|e| ApiError::internal(format!("the reseller's stored frame: {e}")))
}

/// A `right` cell: a customer user needs the right to order; a reseller's user (and its
/// administrator) a frame.
pub fn need_right<I: Issuers>(app: &App<I>, c: &Caller) -> ApiResult<()> {
    if c.cell != Cell::Right {
        return Ok(());
    }
    let Some((org, kind)) = c.org() else {
        return Err(ApiError::unauthenticated());
    };
    let rights = c.rights(reseller_frame(app, org)?);
    let ok = match kind {
        OrgKind::Company => rights.order,
        OrgKind::Reseller => rights.frame.is_some(),
        OrgKind::Vendor => true,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "your administrator has not granted you the right to order",
        ))
    }
}

/// Before an order on license `license_id`: the caller may act on it (404 otherwise) and
/// holds the right its cell needs.
pub async fn authorize_change<I: Issuers>(app: &Arc<App<I>>, c: &Caller, license_id: u32) -> ApiResult<()> {
    let c = c.clone();
    blocking(app, move |app| {
        owned(app, &c, license_id)?;
        need_right(app, &c)
    })
    .await
}

/// An authorized order on an existing license: placed, and written to the audit log as
/// `action`.
pub async fn commit_change<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    license_id: u32,
    key: Option<String>,
    action: AuditAction,
    order: Order,
) -> ApiResult<Outcome> {
    let c2 = c.clone();
    // A reseller whose key the service keeps signs the changes of its licenses with its
    // key and chain too (the library then checks them against its certificate's frame).
    let reseller_signs = blocking(app, move |app| {
        let Some((org, OrgKind::Reseller)) = c2.org() else {
            return Ok(None);
        };
        let product = app.issuers.with(|is| is.history(license_id))?.product;
        let keeps = app
            .store
            .reseller_key(org)?
            .is_some_and(|k| k.custody == crate::store::resellers::Custody::Service);
        Ok((keeps && app.store.certificate(org, &product)?.is_some()).then_some((org, product)))
    })
    .await?;
    let outcome = match reseller_signs {
        Some((org, product)) => {
            check_order(&order)?;
            super::resellers::place_as_reseller(app, org, product, key, order, None).await?
        }
        None => place(app, key, order).await?,
    };
    let actor = c.actor_name();
    let org = c.org().map_or(0, |o| o.0);
    blocking(app, move |app| {
        Ok(app
            .store
            .audit(&actor, org, action, &format!("license:{license_id}"))?)
    })
    .await?;
    Ok(outcome)
}

/// The company's trial of `product`, on the catalog's trial terms; one per company and
/// product (a second is refused, `trial_taken`).
pub async fn trial<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    product: String,
    bind: BindTo,
) -> ApiResult<Outcome> {
    let (org, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    if kind != OrgKind::Company {
        return Err(ApiError::forbidden("trials are for customer companies"));
    }
    let c2 = c.clone();
    let p = product.clone();
    let company = blocking(app, move |app| {
        need_right(app, &c2)?;
        let company = app
            .store
            .org(org)?
            .ok_or_else(|| ApiError::not_found("company"))?;
        if !app.store.claim_trial(org, &p)? {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "trial_taken",
                format!("the company had its trial of {p} already; order a license"),
            ));
        }
        Ok(company)
    })
    .await?;
    let mut order = NewLicense::new(product.clone(), Kind::Trial, Customer::new(company.name.clone()));
    order.bind = bind;
    let new_owner = Owner {
        license_id: 0,
        company_id: org,
        reseller_id: 0,
    };
    let placed = place_for(
        app,
        Some(format!("trial:{org}:{product}")),
        Order::Issue(order),
        Some(new_owner),
    )
    .await;
    let actor = c.actor_name();
    let id = placed.as_ref().ok().map(Outcome::license_id);
    blocking(app, move |app| {
        app.store.settle_trial(org, &product, id)?;
        if let Some(id) = id {
            app.store.record_license(
                Owner {
                    license_id: id,
                    company_id: org,
                    reseller_id: 0,
                },
                &product,
            )?;
            app.store
                .audit(&actor, org, AuditAction::Trial, &format!("license:{id}"))?;
        }
        Ok(())
    })
    .await?;
    placed
}

/// The license file of a license the caller may see: the code in force and the pending
/// ones, blocks separated by blank lines, as the verifiers read a license file.
pub fn license_file<I: Issuers>(app: &App<I>, c: &Caller, license_id: u32, today: Date) -> ApiResult<String> {
    owned(app, c, license_id)?;
    let history = app.issuers.with(|is| is.history(license_id))?;
    let mut codes: Vec<&str> = history
        .effective_on(today)
        .map(|r| r.code.as_str())
        .into_iter()
        .collect();
    codes.extend(
        history
            .revisions
            .iter()
            .filter(|r| r.license.valid_from > today && !r.withdrawn)
            .map(|r| r.code.as_str()),
    );
    Ok(codes.join("\n\n") + "\n")
}

/// A license the caller may see: its history and its product's catalog (404 for one it
/// may not see, as for one that does not exist).
pub fn history<I: Issuers>(
    app: &App<I>,
    c: &Caller,
    license_id: u32,
) -> ApiResult<(LicenseHistory, Option<Catalog>)> {
    owned(app, c, license_id)?;
    Ok(app
        .issuers
        .with(|is| -> Result<(LicenseHistory, Option<Catalog>), Error> {
            let h = is.history(license_id)?;
            let c = is.catalogs().get(&h.product).ok().cloned();
            Ok((h, c))
        })?)
}

/// The licenses the caller may see: `None` for every one (the vendor), else their ids.
pub fn visible_ids<I: Issuers>(app: &App<I>, c: &Caller) -> ApiResult<Option<Vec<u32>>> {
    Ok(match c.org() {
        Some((_, OrgKind::Vendor)) => None,
        Some((org, OrgKind::Company)) => {
            Some(app.store.licenses(org, 0)?.iter().map(|o| o.license_id).collect())
        }
        Some((org, OrgKind::Reseller)) => {
            Some(app.store.licenses(0, org)?.iter().map(|o| o.license_id).collect())
        }
        None => return Err(ApiError::unauthenticated()),
    })
}

/// A new license (for `company`, when given). A reseller's order must lie inside the
/// caller's rights (the library's `Frame::admits` on the license `check_new` would issue),
/// refused naming the limit otherwise (`outside_rights`). The license is recorded as the
/// company's and, for a reseller, as made by it.
pub async fn create<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    order: NewLicense,
    company: Option<i64>,
    key: Option<String>,
) -> ApiResult<Outcome> {
    check_customer(&order.customer)?;
    let (org, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    let c2 = c.clone();
    let order2 = order.clone();
    let today = (app.today)();
    let company = blocking(app, move |app| {
        if let Some(company) = company
            && app.store.org(company)?.is_none_or(|o| o.kind != OrgKind::Company)
        {
            return Err(ApiError::field("company", "no such company"));
        }
        if kind == OrgKind::Reseller {
            let rights = c2.rights(reseller_frame(app, org)?);
            // The license the reseller's own signer would issue (its id range).
            let signer = super::resellers::signer_of(app, org, &order2.product)?;
            let license = app
                .issuers
                .with_signer(signer.into(), None, |is| is.check_new(&order2, today))?;
            rights.admits(&license).map_err(|v| match v {
                Some(v) => ApiError {
                    cause: Some(Cause::Outside(v)),
                    ..ApiError::new(
                        StatusCode::FORBIDDEN,
                        "outside_rights",
                        format!("the order lies outside your rights: {v}"),
                    )
                },
                None => ApiError::forbidden(
                    "your administrator has not granted you a frame to create licenses in",
                ),
            })?;
        }
        Ok(company.unwrap_or(0))
    })
    .await?;
    let new_owner = Owner {
        license_id: 0,
        company_id: company,
        reseller_id: if kind == OrgKind::Reseller { org } else { 0 },
    };
    // A reseller's license is signed with its key and certificate chain.
    let outcome = if kind == OrgKind::Reseller {
        let product = order.product.clone();
        let order = Order::Issue(order.clone());
        check_order(&order)?;
        super::resellers::place_as_reseller(app, org, product, key, order, Some(new_owner)).await?
    } else {
        place_for(app, key, Order::Issue(order.clone()), Some(new_owner)).await?
    };
    let owner = Owner {
        license_id: outcome.license_id(),
        ..new_owner
    };
    let actor = c.actor_name();
    blocking(app, move |app| {
        app.store.record_license(owner, &order.product)?;
        app.store.audit(
            &actor,
            org,
            AuditAction::Issue,
            &format!("license:{}", owner.license_id),
        )?;
        Ok(())
    })
    .await?;
    Ok(outcome)
}
