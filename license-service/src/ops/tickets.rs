//! Ticket steps shared by the JSON API (`api::tickets`) and the portal: where the pools
//! are kept (the vendor's `<home>/tickets.jsonl`, one per reseller under
//! `<home>/service-tickets/`), a reseller's signer with its chains, and a customer
//! company redeeming a ticket (the library's `Issuer::redeem`, once per ticket).

use std::path::{Path as FsPath, PathBuf};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use license_core::{CertificateChain, License};
use license_issue::{BindTo, Customer, Error, ResellerSigner, TicketId, TicketPool};

use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::custody::CustodyError;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::permissions::Cell;
use crate::rights::OrgKind;
use crate::store::Owner;
use crate::store::resellers::Custody;

/// One request at a time works on the pool files of this instance (each file is also
/// locked while open: another instance's request at the same moment is refused, retry).
pub static POOLS: Mutex<()> = Mutex::new(());

/// The directory holding the pools (refused when the service keeps none).
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
        app.store
            .audit(&actor, org, "redeem_ticket", &format!("license:{license_id}"))?;
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
