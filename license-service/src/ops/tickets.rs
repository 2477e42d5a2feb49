//! Ticket pools, shared by the JSON API (`api::tickets`) and the reseller's ticket page:
//! the pool files (`<home>/tickets.jsonl`, `<home>/service-tickets/reseller-<id>.jsonl`),
//! a reseller's signer, the tickets an organisation may still use, and passing a
//! reseller's tickets on to another reseller (its sub-reseller), whose frame is checked
//! before anything is passed. See `api::tickets` for the model.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Mutex;

use axum::http::StatusCode;
use license_core::{CertificateChain, Date, Kind};
use license_issue::{Ledger, NewLicense, ResellerSigner, TicketId, TicketPool};

use crate::api::app::App;
use crate::api::caller::Caller;
use crate::custody::CustodyError;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::permissions::Cell;
use crate::rights::OrgKind;
use crate::store::Org;
use crate::store::audit::AuditAction;
use crate::store::resellers::Custody;

/// One request at a time works on the pool files of this instance (each file is also
/// locked while open: another instance's request at the same moment is refused, retry).
pub static POOLS: Mutex<()> = Mutex::new(());

/// The directory of the pool files (refused when the service keeps none).
pub fn home<I: Issuers>(app: &App<I>) -> ApiResult<PathBuf> {
    app.settings.tickets_home.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_ticket_pool",
            "this service keeps no ticket pools (no home directory)",
        )
    })
}

/// The vendor's pool.
pub fn vendor_pool(home: &FsPath) -> ApiResult<TicketPool> {
    Ok(TicketPool::open(&home.join("tickets.jsonl"))?)
}

/// The file of reseller `org`'s own pool.
pub fn reseller_pool_path(home: &FsPath, org: i64) -> PathBuf {
    home.join("service-tickets").join(format!("reseller-{org}.jsonl"))
}

/// The reseller's signer with every live certificate it holds in the service.
pub fn signer_all<I: Issuers>(app: &App<I>, org: i64) -> ApiResult<ResellerSigner> {
    let row = app.store.reseller_key(org)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "no_certificate",
            "the reseller holds no certificate of the vendor in the service",
        )
    })?;
    if row.custody == Custody::Own {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "own_key",
            "the reseller keeps its own key: it works with its tickets offline (licensectl ticket import)",
        ));
    }
    let master = app
        .settings
        .master_key
        .as_ref()
        .ok_or_else(|| ApiError::internal("a reseller key is kept, but the service has no master key"))?;
    let key = master
        .open_key(&row.sealed, org)
        .map_err(|e: CustodyError| ApiError::internal(e.to_string()))?;
    let mut chains = Vec::new();
    for c in app
        .store
        .certificates(org)?
        .into_iter()
        .filter(|c| c.revoked_ms == 0)
    {
        let chain = CertificateChain::parse(&c.chain)
            .map_err(|e| ApiError::internal(format!("the stored certificate chain: {e}")))?;
        chains.push((c.product, chain));
    }
    Ok(ResellerSigner::new(key, chains)?)
}

/// Reseller `org` (a 400 naming `field` when there is none).
pub fn reseller_org<I: Issuers>(app: &App<I>, org: i64, field: &str) -> ApiResult<Org> {
    app.store
        .org(org)?
        .filter(|o| o.kind == OrgKind::Reseller)
        .ok_or_else(|| ApiError::field(field, format!("{field}: no such reseller")))
}

/// The ids of the tickets the ledger records as redeemed.
pub fn redeemed_ids<I: Issuers>(app: &App<I>) -> ApiResult<std::collections::BTreeSet<String>> {
    let records = app.issuers.with(|is| is.ledger().records())?;
    Ok(records.into_iter().filter_map(|r| r.ticket).collect())
}

/// A reseller's user needs the right to use tickets (a `right` cell).
pub fn need_tickets_right(c: &Caller) -> ApiResult<()> {
    if c.cell == Cell::Right && !c.user().is_some_and(|u| u.admin || u.rights.tickets) {
        return Err(ApiError::forbidden(
            "your administrator has not granted you the right to use tickets",
        ));
    }
    Ok(())
}

/// A ticket an organisation may still use.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TicketRow {
    /// Its id.
    pub ticket: String,
    /// The reseller it was created for.
    pub reseller: String,
    /// The product.
    pub product: String,
    /// The kind of license it redeems to.
    pub kind: Kind,
    /// The day it was created.
    pub created: Date,
    /// Whose pool holds it (`vendor`, or the reseller's name).
    pub held_by: String,
}

/// The tickets the caller's organisation may still use: the vendor every ticket of its
/// pool; a reseller those created for it and not handed on, and those in its own pool it
/// still holds. Blocking (the pool files).
pub fn list<I: Issuers>(app: &App<I>, c: &Caller) -> ApiResult<Vec<TicketRow>> {
    need_tickets_right(c)?;
    let (org, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    let home = home(app)?;
    let redeemed = redeemed_ids(app)?;
    let is_redeemed = |id: &TicketId| redeemed.contains(&id.to_string());
    let _one = POOLS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let vendor = vendor_pool(&home)?;
    let row = |t: &license_issue::Ticket, holder: &str| TicketRow {
        ticket: t.id.to_string(),
        reseller: t.reseller.clone(),
        product: t.order.product.clone(),
        kind: t.order.kind,
        created: t.created,
        held_by: holder.to_owned(),
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
    Ok(out)
}

/// Tickets passed on.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PassedOn {
    /// The receiving reseller's name.
    pub to: String,
    /// The tickets passed on.
    pub tickets: Vec<String>,
    /// How many the receiver's pool added.
    pub added: usize,
}

/// A reseller passes `count` of its open tickets to reseller `to` (its sub-reseller),
/// whose frame must admit them. Blocking (the pool files, the ledger).
pub fn pass_on<I: Issuers>(
    app: &App<I>,
    c: &Caller,
    to: i64,
    count: u32,
    today: Date,
) -> ApiResult<PassedOn> {
    need_tickets_right(c)?;
    let (org, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    if kind != OrgKind::Reseller {
        return Err(ApiError::forbidden("a reseller passes its tickets on"));
    }
    let actor = c.actor_name();
    let home = home(app)?;
    let me = reseller_org(app, org, "reseller")?;
    let to = reseller_org(app, to, "to")?;
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
        .take(count as usize)
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
    let export = own.pass_on(&to.name, count, is_redeemed, today)?;
    let mut their_pool = TicketPool::open(&reseller_pool_path(&home, to.id))?;
    let theirs = signer_all(app, to.id)?;
    let added = app
        .issuers
        .with_signer(theirs.into(), None, |is| their_pool.import(is, &export, today))?;
    app.store.audit(
        &actor,
        me.id,
        AuditAction::PassOnTickets,
        &format!("org:{} {}", to.id, export.tickets.len()),
    )?;
    Ok(PassedOn {
        to: to.name,
        tickets: export.tickets.iter().map(|t| t.id.to_string()).collect(),
        added: added.added,
    })
}

/// A ticket's scope as a new license to check (a licensee is needed to check it; the
/// binding is the one the frame may require).
fn placeholder(order: &NewLicense) -> NewLicense {
    let mut o = order.clone();
    o.customer.licensee = "ticket check".into();
    o
}
