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
use license_issue::{BindTo, Ledger, NewLicense, TicketId, TicketPool};
use serde::Deserialize;
use serde_json::{Value, json};

use super::app::{App, blocking, parse};
use super::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::tickets::{POOLS, home, reseller_pool_path, signer_all, vendor_pool};
use crate::permissions::Cell;
use crate::rights::OrgKind;
use crate::store::Org;

fn reseller_org<I: Issuers>(app: &App<I>, org: i64, field: &str) -> ApiResult<Org> {
    app.store
        .org(org)?
        .filter(|o| o.kind == OrgKind::Reseller)
        .ok_or_else(|| ApiError::field(field, format!("{field}: no such reseller")))
}

/// The ids of the tickets the ledger records as redeemed.
fn redeemed_ids<I: Issuers>(app: &App<I>) -> ApiResult<std::collections::BTreeSet<String>> {
    let records = app.issuers.with(|is| is.ledger().records())?;
    Ok(records.into_iter().filter_map(|r| r.ticket).collect())
}

/// A reseller's user needs the right to use tickets (a `right` cell).
fn need_tickets_right(c: &Caller) -> ApiResult<()> {
    if c.cell == Cell::Right && !c.user().is_some_and(|u| u.admin || u.rights.tickets) {
        return Err(ApiError::forbidden(
            "your administrator has not granted you the right to use tickets",
        ));
    }
    Ok(())
}

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
    need_tickets_right(&c)?;
    let (org, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    blocking(&app, move |app| {
        let home = home(app)?;
        let redeemed = redeemed_ids(app)?;
        let is_redeemed = |id: &TicketId| redeemed.contains(&id.to_string());
        let _one = POOLS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let vendor = vendor_pool(&home)?;
        let row = |t: &license_issue::Ticket, holder: &str| {
            json!({"ticket": t.id.to_string(), "reseller": t.reseller, "product": t.order.product,
                   "kind": t.order.kind, "created": t.created, "held_by": holder})
        };
        let mut out = Vec::new();
        match kind {
            OrgKind::Vendor => {
                for t in vendor.tickets() {
                    out.push(row(t, "vendor"));
                }
            }
            OrgKind::Reseller => {
                let me = app
                    .store
                    .org(org)?
                    .ok_or_else(|| ApiError::not_found("reseller"))?;
                for t in vendor.tickets().filter(|t| {
                    t.reseller == me.name && vendor.handed_over(&t.id).is_none() && !is_redeemed(&t.id)
                }) {
                    out.push(row(t, "vendor"));
                }
                let path = reseller_pool_path(&home, org);
                if path.exists() {
                    let own = TicketPool::open(&path)?;
                    for t in own.held(&is_redeemed) {
                        out.push(row(t, &me.name));
                    }
                }
            }
            OrgKind::Company => return Err(ApiError::forbidden("tickets are the vendor's and resellers'")),
        }
        Ok(Json(json!({ "tickets": out })))
    })
    .await
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
    need_tickets_right(&c)?;
    let b: PassOn = parse(&body)?;
    let (org, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    if kind != OrgKind::Reseller {
        return Err(ApiError::forbidden("a reseller passes its tickets on"));
    }
    let today = (app.today)();
    let actor = c.actor_name();
    blocking(&app, move |app| {
        let home = home(app)?;
        let me = reseller_org(app, org, "reseller")?;
        let to = reseller_org(app, b.to, "to")?;
        if to.id == me.id {
            return Err(ApiError::field("to", "pass tickets on to another reseller"));
        }
        let mine = signer_all(app, me.id)?;
        let theirs = signer_all(app, to.id)?;
        let redeemed = redeemed_ids(app)?;
        let is_redeemed = |id: &TicketId| redeemed.contains(&id.to_string());
        let _one = POOLS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // The tickets the vendor created for this reseller come into its own pool first
        // (handed over: the vendor's pool redeems them no more).
        let mut vendor = vendor_pool(&home)?;
        let mut own = TicketPool::open(&reseller_pool_path(&home, me.id))?;
        if vendor
            .tickets()
            .any(|t| t.reseller == me.name && vendor.handed_over(&t.id).is_none() && !is_redeemed(&t.id))
        {
            let export = vendor.export(&me.name, is_redeemed, today)?;
            app.issuers
                .with_signer(mine.into(), None, |is| own.import(is, &export, today))?;
        }
        // The receiver's frame is checked before anything is passed on.
        let taking: Vec<NewLicense> = own
            .held(&is_redeemed)
            .take(b.count as usize)
            .map(|t| {
                let mut o = t.order.clone();
                o.customer.reseller = Some(to.name.clone());
                o
            })
            .collect();
        let theirs_product_check = app.issuers.with_signer(theirs.into(), None, |is| {
            taking
                .iter()
                .try_for_each(|o| is.check_new(&placeholder(o), today).map(drop))
        });
        theirs_product_check.map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.kind_name(),
                format!("{} cannot take these tickets: {e}", to.name),
            )
        })?;
        let export = own.pass_on(&to.name, b.count, is_redeemed, today)?;
        let mut their_pool = TicketPool::open(&reseller_pool_path(&home, to.id))?;
        let theirs = signer_all(app, to.id)?;
        let added = app
            .issuers
            .with_signer(theirs.into(), None, |is| their_pool.import(is, &export, today))?;
        app.store.audit(
            &actor,
            me.id,
            "pass_on_tickets",
            &format!("org:{} {}", to.id, export.tickets.len()),
        )?;
        Ok(Json(json!({
            "to": to.name,
            "tickets": export.tickets.iter().map(|t| t.id.to_string()).collect::<Vec<_>>(),
            "added": added.added,
        })))
    })
    .await
}

/// A ticket's scope as a new license to check (a licensee is needed to check it; the
/// binding is the one the frame may require).
fn placeholder(order: &NewLicense) -> NewLicense {
    let mut o = order.clone();
    o.customer.licensee = "ticket check".into();
    o
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
/// again: the same code). The step is `ops::tickets::redeem`, which the portal calls too.
pub(crate) async fn redeem<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Response> {
    crate::ops::tickets::may_redeem(&c)?;
    let b: Redeem = parse(&body)?;
    let r = crate::ops::tickets::redeem(&app, &c, &b.ticket, b.bind).await?;
    let out = json!({
        "ticket": r.ticket,
        "again": r.again,
        "license_id": r.license_id,
        "code": r.code,
        "license": r.license,
    });
    Ok((StatusCode::CREATED, Json(out)).into_response())
}
