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
use license_issue::{BindTo, NewLicense};
use serde::Deserialize;
use serde_json::{Value, json};

use super::app::{App, blocking, parse};
use super::caller::Caller;
use crate::error::ApiResult;
use crate::issuers::Issuers;
use crate::ops::tickets::{self as pool, POOLS, home, reseller_org, vendor_pool};
use crate::store::audit::AuditAction;

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
            AuditAction::CreateTickets,
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
/// again: the same code). The step is `ops::redeem::redeem`, which the portal calls too.
pub(crate) async fn redeem<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Response> {
    crate::ops::redeem::may_redeem(&c)?;
    let b: Redeem = parse(&body)?;
    let r = crate::ops::redeem::redeem(&app, &c, &b.ticket, b.bind).await?;
    let out = json!({
        "ticket": r.ticket,
        "again": r.again,
        "license_id": r.license_id,
        "code": r.code,
        "license": r.license,
    });
    Ok((StatusCode::CREATED, Json(out)).into_response())
}
