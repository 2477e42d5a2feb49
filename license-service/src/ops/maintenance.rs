//! Maintenance packs, shared by the JSON API's rules and the portal: what a pack for one
//! server or for a whole site covers and the maintenance end it gives, before it is bought
//! (the library's `preview` of `Order::Maintenance` and `site_maintenance_plan`), and
//! buying it (`Order::Maintenance` for one server; the library's `add_site_maintenance`
//! for every license of the license's site).

use std::sync::Arc;

use license_core::Date;
use license_issue::{MaintenanceKind, Order, Outcome};

use super::licenses::{commit_change, need_right, owned};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::store::audit::AuditAction;

/// What a pack covers, before it is bought.
#[derive(Clone, Debug)]
pub struct Plan {
    /// One server or a site.
    pub kind: MaintenanceKind,
    /// The site (for a site pack).
    pub site: Option<String>,
    /// The licenses it covers: (number, product, licensee), by number.
    pub licenses: Vec<(u32, String, String)>,
    /// The new maintenance end (exclusive, as signed).
    pub ends: Date,
}

/// The site of license `license_id`, or why a site pack cannot be bought for it.
fn site_of<I: Issuers>(app: &App<I>, license_id: u32) -> ApiResult<String> {
    let h = app.issuers.with(|is| is.history(license_id))?;
    h.site.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
        ApiError::field(
            "kind",
            format!(
                "license {license_id} belongs to no site: a site pack covers the licenses of one site; buy a pack for this server, or ask the vendor to assign the license to its site"
            ),
        )
    })
}

/// What a pack of `kind` for license `license_id` would cover on `today`, and the new
/// maintenance end; every license a site pack covers must be the caller's (a site shared
/// with licenses it may not see is refused without naming them).
pub fn plan<I: Issuers>(
    app: &App<I>,
    c: &Caller,
    license_id: u32,
    kind: MaintenanceKind,
    today: Date,
) -> ApiResult<Plan> {
    owned(app, c, license_id)?;
    need_right(app, c)?;
    let (site, ids, ends) = match kind {
        MaintenanceKind::OneServer => {
            let order = Order::Maintenance { license_id, kind };
            let out = app.issuers.with(|is| is.preview(&order, today))?;
            let ends = match out {
                Outcome::Reissued(r) => r.now.license.maintenance_ends,
                _ => None,
            }
            .ok_or_else(|| ApiError::internal("a maintenance pack gave no maintenance end"))?;
            (None, vec![license_id], ends)
        }
        MaintenanceKind::Site => {
            let site = site_of(app, license_id)?;
            let (ids, ends) = app.issuers.with(|is| is.site_maintenance_plan(&site, today))?;
            for id in &ids {
                owned(app, c, *id).map_err(|_| {
                    ApiError::field(
                        "kind",
                        format!(
                            "the site {site} also has licenses of another customer: ask the vendor for this site pack"
                        ),
                    )
                })?;
            }
            (Some(site), ids, ends)
        }
    };
    let licenses = ids
        .into_iter()
        .map(|id| {
            let h = app.issuers.with(|is| is.history(id))?;
            Ok((id, h.product, h.licensee))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Plan {
        kind,
        site,
        licenses,
        ends,
    })
}

/// Buy a pack of `kind` for license `license_id` (for a site pack: every license of its
/// site, all of them the caller's, checked again as it is bought); audited per license.
/// The new codes, by license number (one for a one-server pack, placed with `key`).
pub async fn buy<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    license_id: u32,
    kind: MaintenanceKind,
    key: Option<String>,
) -> ApiResult<Vec<Outcome>> {
    let today = (app.today)();
    if kind == MaintenanceKind::OneServer {
        let c2 = c.clone();
        blocking(app, move |app| {
            owned(app, &c2, license_id)?;
            need_right(app, &c2)
        })
        .await?;
        let order = Order::Maintenance { license_id, kind };
        return Ok(vec![
            commit_change(app, c, license_id, key, AuditAction::Maintenance, order).await?,
        ]);
    }
    let c2 = c.clone();
    let actor = c.actor_name();
    let org = c.org().map_or(0, |o| o.0);
    blocking(app, move |app| {
        let p = plan(app, &c2, license_id, kind, today)?;
        let site = p.site.unwrap_or_default();
        let out = app.issuers.with(|is| is.add_site_maintenance(&site, today))?;
        for r in &out {
            let id = r.now.license.license_id;
            app.store.audit(
                &actor,
                org,
                AuditAction::MaintenanceSite,
                &format!("license:{id}"),
            )?;
        }
        Ok(out.into_iter().map(Outcome::Reissued).collect())
    })
    .await
}
