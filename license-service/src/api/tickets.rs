//! Ticket pools (issue 21, item 3) with the library's `TicketPool` and `Issuer::redeem`,
//! kept as `licensectl ticket` keeps them: the vendor's pool `<home>/tickets.jsonl`, and
//! one pool per reseller (`<home>/service-tickets/reseller-<id>.jsonl`) for the tickets it
//! received and redeems under its own key and chain, as its own home would.
//!
//! - create: the vendor (or its ERP with a `tickets` token) creates tickets for a reseller
//!   in its pool (`TicketPool::create`, the order checked as issuing it would be);
//! - pass on: a reseller hands tickets to another reseller (its sub-reseller): its tickets
//!   are handed over from the vendor's pool into its own (`export`, `import` under its
//!   key), then passed on (`pass_on`) and imported into the receiver's pool, whose frame
//!   is checked before anything is passed;
//! - redeem: a customer company redeems a ticket id with its installation: the pool
//!   holding it issues the bound code (`Issuer::redeem`, once per ticket), signed by the
//!   vendor for the vendor's pool and by the reseller (its chain) for a reseller's pool.

use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use license_issue::{BindTo, Customer, Error, NewLicense, TicketId, TicketPool};
use serde::Deserialize;
use serde_json::{Value, json};

use super::app::{App, blocking, parse};
use super::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::tickets::{
    self as pool, POOLS, home, reseller_org, reseller_pool_path, signer_all, vendor_pool,
};
use crate::permissions::Cell;
use crate::rights::OrgKind;
use crate::store::Owner;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Create {
    /// The reseller's organisation id.
    reseller: i64,
    count: u32,
    /// The scope: a new license without licensee and binding.
    order: NewLicense,
}

/// `POST /api/v1/tickets`: the vendor creates `count` tickets for a reseller.
pub(crate) async fn create<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Response> {
    let b: Create = parse(&body)?;
    let today = (app.today)();
    let actor = c.actor_name();
    let out = blocking(&app, move |app| {
        let home = home(app)?;
        let reseller = reseller_org(app, b.reseller, "reseller")?;
        let _one = POOLS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut pool = vendor_pool(&home)?;
        let tickets = app
            .issuers
            .with(|is| pool.create(is, &reseller.name, &b.order, b.count, today))?;
        let ids: Vec<String> = tickets.iter().map(|t| t.id.to_string()).collect();
        app.store.audit(
            &actor,
            app.vendor_org,
            "create_tickets",
            &format!("org:{} {}", reseller.id, ids.len()),
        )?;
        Ok(json!({"reseller": reseller.name, "product": b.order.product, "tickets": ids}))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// `GET /api/v1/tickets`: the tickets the caller's organisation may still use: the
/// vendor every ticket of its pool; a reseller those created for it and not handed on,
/// and those in its own pool it still holds.
pub(crate) async fn list<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
) -> ApiResult<Json<Value>> {
    let out = blocking(&app, move |app| pool::list(app, &c)).await?;
    Ok(Json(json!({ "tickets": out })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PassOn {
    /// The receiving reseller's organisation id.
    to: i64,
    count: u32,
}

/// `POST /api/v1/tickets/pass-on`: a reseller passes `count` of its open tickets to
/// another reseller (its sub-reseller), whose frame must admit them.
pub(crate) async fn pass_on<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    pool::need_tickets_right(&c)?;
    let b: PassOn = parse(&body)?;
    let today = (app.today)();
    let out = blocking(&app, move |app| pool::pass_on(app, &c, b.to, b.count, today)).await?;
    Ok(Json(json!(out)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Redeem {
    ticket: String,
    #[serde(default)]
    bind: BindTo,
}

/// `POST /api/v1/tickets/redeem`: a customer company redeems a ticket for its
/// installation; the license is the company's. Once per ticket (the same installation
/// again: the same code).
pub(crate) async fn redeem<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Response> {
    let (org, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    if kind != OrgKind::Company {
        return Err(ApiError::forbidden("a customer company redeems tickets"));
    }
    if c.cell == Cell::Right && !c.user().is_some_and(|u| u.admin || u.rights.order) {
        return Err(ApiError::forbidden(
            "your administrator has not granted you the right to order",
        ));
    }
    let b: Redeem = parse(&body)?;
    let id = TicketId::parse(&b.ticket).map_err(|e| ApiError::field("ticket", e.to_string()))?;
    let today = (app.today)();
    let actor = c.actor_name();
    let out = blocking(&app, move |app| {
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
                    is.redeem(&pool, &id, customer, b.bind, today)
                })?;
                (out, r.id)
            }
            None => {
                let pool = vendor_pool(&home)?;
                let reseller = pool.get(&id).map_err(Error::from)?.reseller.clone();
                let out = app
                    .issuers
                    .with(|is| is.redeem(&pool, &id, customer, b.bind, today))?;
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
        app.store
            .audit(&actor, org, "redeem_ticket", &format!("license:{license_id}"))?;
        Ok(json!({
            "ticket": redemption.ticket.to_string(),
            "again": redemption.again,
            "license_id": license_id,
            "code": redemption.issued.code,
            "license": redemption.issued.license,
        }))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}
