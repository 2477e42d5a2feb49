//! A reseller's license transferred to its end customer, shared by the JSON API (`POST
//! /api/v1/licenses/{id}/transfer`) and the reseller's transfer page: the library's
//! `transfer` (a new code for the new licensee, bindings as given), placed as every change
//! of an existing license is (`licenses::authorize_change`, `commit_change`); with a
//! company, that company holds it afterwards.

use std::sync::Arc;

use license_issue::{BindTo, Customer, Order, Outcome, Unbind};

use super::licenses::{authorize_change, check_customer, commit_change};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::rights::OrgKind;
use crate::store::audit::AuditAction;

/// A transfer of one license.
pub struct Transfer {
    /// The license.
    pub license_id: u32,
    /// The new licensee.
    pub to: Customer,
    /// New bindings.
    pub bind: BindTo,
    /// Bindings removed.
    pub unbind: Unbind,
    /// The company that holds it afterwards.
    pub company: Option<i64>,
}

/// Transfer a license the caller may act on (404 otherwise) to a new licensee.
pub async fn transfer<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    t: Transfer,
    key: Option<String>,
) -> ApiResult<Outcome> {
    check_customer(&t.to)?;
    if let Some(company) = t.company {
        let ok = blocking(app, move |app| {
            Ok(app
                .store
                .org(company)?
                .is_some_and(|o| o.kind == OrgKind::Company))
        })
        .await?;
        if !ok {
            return Err(ApiError::field("company", "no such company"));
        }
    }
    authorize_change(app, c, t.license_id).await?;
    let order = Order::Transfer {
        license_id: t.license_id,
        to: t.to,
        bind: t.bind,
        unbind: t.unbind,
    };
    let out = commit_change(app, c, t.license_id, key, AuditAction::Transfer, order).await?;
    if let Some(company) = t.company {
        let id = out.license_id();
        blocking(app, move |app| Ok(app.store.set_company(id, company)?)).await?;
    }
    Ok(out)
}

/// Check the transfer of every license of `ids` to `to` before any is made (a whole
/// order, as the library's `transfer_order` checks every license before it issues a
/// code): the caller may change each, and the library's checks of the same order pass for
/// each (`Issuer::preview`, nothing recorded). The first refusal is returned, naming its
/// license, at the `license` field.
pub async fn check_all<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    ids: &[u32],
    to: &Customer,
) -> ApiResult<()> {
    check_customer(to)?;
    for &id in ids {
        authorize_change(app, c, id).await?;
    }
    let today = (app.today)();
    let (ids, to) = (ids.to_vec(), to.clone());
    blocking(app, move |app| {
        for license_id in ids {
            let order = Order::Transfer {
                license_id,
                to: to.clone(),
                bind: BindTo::default(),
                unbind: Unbind::default(),
            };
            if let Err(e) = app.issuers.with(|is| is.preview(&order, today)) {
                return Err(ApiError {
                    field: Some("license".to_owned()),
                    ..ApiError::from(e)
                });
            }
        }
        Ok(())
    })
    .await
}
