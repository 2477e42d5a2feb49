//! A customer company redeeming a ticket (the library's `Issuer::redeem`, once per
//! ticket), shared by the JSON API (`api::tickets`) and the portal's redeem page; the pools
//! it reads are `ops::tickets`'.

use std::sync::Arc;

use license_core::License;
use license_issue::{BindTo, Customer, Error, TicketId, TicketPool};

use super::tickets::{POOLS, home, reseller_pool_path, signer_all, vendor_pool};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::permissions::Cell;
use crate::rights::OrgKind;
use crate::store::Owner;
use crate::store::audit::AuditAction;

/// Whether the caller may redeem tickets: a customer company's administrator, or its
/// user with the right to order (a `right` cell).
pub fn may_redeem(c: &Caller) -> ApiResult<()> {
    let (_, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    if kind != OrgKind::Company {
        return Err(ApiError::forbidden("a customer company redeems tickets"));
    }
    if c.cell == Cell::Right && !c.user().is_some_and(|u| u.admin || u.rights.order) {
        return Err(ApiError::forbidden(
            "your administrator has not granted you the right to order",
        ));
    }
    Ok(())
}

/// A redeemed ticket: the license it gave the company.
pub struct Redeemed {
    /// The ticket's id.
    pub ticket: String,
    /// The same installation redeemed it before: the same code again.
    pub again: bool,
    /// The license's number.
    pub license_id: u32,
    /// The code.
    pub code: String,
    /// The signed license.
    pub license: License,
}

/// A customer company redeems ticket `ticket` (its id as typed) for its installation
/// (`bind`); the license is the company's. The pool holding it issues the code: a
/// reseller's pool that received it and did not pass it on (signed with that reseller's
/// key and chain), else the vendor's. Once per ticket (the same installation again: the
/// same code). A ticket id that does not parse is refused naming the `ticket` field.
pub async fn redeem<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    ticket: &str,
    bind: BindTo,
) -> ApiResult<Redeemed> {
    may_redeem(c)?;
    let (org, _) = c.org().ok_or_else(ApiError::unauthenticated)?;
    let id = TicketId::parse(ticket).map_err(|e| ApiError::field("ticket", e.to_string()))?;
    let today = (app.today)();
    let actor = c.actor_name();
    blocking(app, move |app| {
        let home = home(app)?;
        let company = app
            .store
            .org(org)?
            .ok_or_else(|| ApiError::not_found("company"))?;
        let customer = Customer::new(company.name.clone());
        let _one = POOLS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // A reseller's pool that holds it (received, not passed on), else the vendor's.
        let mut holder = None;
        for r in app.store.orgs(OrgKind::Reseller)? {
            let path = reseller_pool_path(&home, r.id);
            if !path.exists() {
                continue;
            }
            let pool = TicketPool::open(&path)?;
            if pool.get(&id).is_ok() && pool.passed_on(&id).is_none() {
                holder = Some((r, pool));
                break;
            }
        }
        let (redemption, reseller_id) = match holder {
            Some((r, pool)) => {
                let signer = signer_all(app, r.id)?;
                let out = app.issuers.with_signer(signer.into(), None, |is| {
                    is.redeem(&pool, &id, customer, bind, today)
                })?;
                (out, r.id)
            }
            None => {
                let pool = vendor_pool(&home)?;
                let reseller = pool.get(&id).map_err(Error::from)?.reseller.clone();
                let out = app
                    .issuers
                    .with(|is| is.redeem(&pool, &id, customer, bind, today))?;
                let reseller_id = app
                    .store
                    .orgs(OrgKind::Reseller)?
                    .into_iter()
                    .find(|o| o.name == reseller)
                    .map_or(0, |o| o.id);
                (out, reseller_id)
            }
        };
        let license_id = redemption.issued.license.license_id;
        app.store.record_license(
            Owner {
                license_id,
                company_id: org,
                reseller_id,
            },
            &redemption.issued.product,
        )?;
        app.store.audit(
            &actor,
            org,
            AuditAction::RedeemTicket,
            &format!("license:{license_id}"),
        )?;
        Ok(Redeemed {
            ticket: redemption.ticket.to_string(),
            again: redemption.again,
            license_id,
            code: redemption.issued.code,
            license: redemption.issued.license,
        })
    })
    .await
}
