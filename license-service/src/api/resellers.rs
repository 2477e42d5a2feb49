//! Resellers' certificates and keys (issue 21, item 3): the vendor's administrator
//! certifies a reseller for a product with a frame (the library's `certify` with the
//! vendor's key), narrows the frame (a new certificate inside the old one, by the
//! library's `Frame::narrows`) or revokes the certificate (listed on the product's next
//! revocation list). A reseller working in the portal gets a key the service creates and
//! keeps sealed (`crate::custody`), and its licenses made here are signed with that key
//! and its chain, so the frame is enforced before signing and at every offline
//! verification; a reseller that keeps its own key gets its certificate as the library's
//! bundle and its monthly export is imported here (the library's `check_import`).
//! When a frame narrows, the reseller's users' rights are re-checked against it.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use license_core::Frame;
use license_issue::{
    CertificateRevocationSet, Error, Ledger, Record, ResellerBundle, ResellerExport, Signer,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::app::{App, blocking, parse};
use super::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::certificates as certs;
use crate::store::audit::AuditAction;
use crate::store::resellers::Custody;

fn org_id(id: Result<Path<i64>, PathRejection>) -> ApiResult<i64> {
    id.map(|Path(id)| id).map_err(|r| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_path",
            format!("the reseller id in the path must be a number: {}", r.body_text()),
        )
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Certify {
    product: String,
    frame: Frame,
    /// A reseller that keeps its own key: its public key (hex). Absent: the service
    /// creates and keeps the reseller's key.
    #[serde(default)]
    public_key: Option<String>,
}

/// `POST /api/v1/resellers/{id}/certify`: the vendor's administrator certifies the
/// reseller for a product with a frame.
pub(crate) async fn certify<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> ApiResult<Response> {
    let b: Certify = parse(&body)?;
    let org = org_id(id)?;
    let actor = c.actor_name();
    let out = blocking(&app, move |app| {
        let out = certs::certify(app, &actor, org, &b.product, b.frame, b.public_key.as_deref())?;
        answer(app, &out)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

fn answer<I: Issuers>(app: &App<I>, c: &certs::Certified) -> ApiResult<Value> {
    let (product, chain, custody, subject) = (c.product.as_str(), &c.chain, c.custody, c.subject);
    let mut out = json!({
        "product": product,
        "serial": c.serial,
        "chain": chain.to_string(),
        "custody": custody,
        "public_key": hex::encode(subject.to_bytes()),
        "users_narrowed": c.narrowed,
    });
    if custody == Custody::Own {
        // What the reseller installs offline (licensectl reseller install).
        let bundle = app.issuers.with(|is| -> Result<String, Error> {
            let Signer::Vendor(key) = is.signer() else {
                return Err(Error::Channel(license_issue::ChannelError::VendorOnly {
                    what: "a bundle",
                }));
            };
            ResellerBundle::new(chain, is.catalogs().get(product)?, &[key.public_key()]).to_json()
        })?;
        out["bundle"] = json!(bundle);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Narrow {
    product: String,
    frame: Frame,
}

/// `POST /api/v1/resellers/{id}/narrow`: a new certificate with a frame inside the live
/// one's (a wider one is refused naming the limit); the reseller's users' rights are
/// re-checked against it.
pub(crate) async fn narrow<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let b: Narrow = parse(&body)?;
    let org = org_id(id)?;
    let actor = c.actor_name();
    blocking(&app, move |app| {
        let out = certs::narrow(app, &actor, org, &b.product, b.frame)?;
        Ok(Json(answer(app, &out)?))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Revoke {
    product: String,
}

/// `POST /api/v1/resellers/{id}/revoke`: the reseller's certificate for the product is
/// revoked: the service signs nothing more with it, and the product's next revocation
/// list names its serial (every code signed under it is then refused offline).
pub(crate) async fn revoke<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let b: Revoke = parse(&body)?;
    let org = org_id(id)?;
    let actor = c.actor_name();
    blocking(&app, move |app| {
        let serial = certs::revoke(app, &actor, org, &b.product)?;
        Ok(Json(
            json!({"product": b.product, "serial": serial, "revoked": true}),
        ))
    })
    .await
}

/// `POST /api/v1/resellers/{id}/imports`: the monthly export (the file's text as the
/// body's `export`) of a reseller that keeps its own key: every record verified by the
/// library's `check_import` (its code through its chain against the vendor's key, inside
/// the frame, not revoked), then the new ones kept.
pub(crate) async fn import<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<i64>, PathRejection>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Import {
        export: String,
    }
    let b: Import = parse(&body)?;
    let org = org_id(id)?;
    let actor = c.actor_name();
    blocking(&app, move |app| {
        let org = certs::reseller(app, org)?;
        let export = ResellerExport::parse(&b.export, std::path::Path::new("the request's export"))
            .map_err(|e| ApiError::field("export", format!("the export cannot be read: {e}")))?;
        if export.reseller != org.name {
            return Err(ApiError::field(
                "export",
                format!("the export is {}'s, not {}'s", export.reseller, org.name),
            ));
        }
        let mut revoked = BTreeMap::new();
        for r in &export.records {
            if !revoked.contains_key(&r.product) {
                revoked.insert(
                    r.product.clone(),
                    CertificateRevocationSet {
                        resellers: app.store.revoked_serials(&r.product)?,
                        sub_resellers: Vec::new(),
                    },
                );
            }
        }
        let imported: Vec<Record> = app
            .store
            .imported()?
            .iter()
            .map(|t| {
                serde_json::from_str(t).map_err(|e| ApiError::internal(format!("an imported record: {e}")))
            })
            .collect::<ApiResult<_>>()?;
        let plan = app.issuers.with(|is| -> Result<_, Error> {
            let Signer::Vendor(key) = is.signer() else {
                return Err(Error::Channel(license_issue::ChannelError::VendorOnly {
                    what: "imports",
                }));
            };
            let own = is.ledger().records()?;
            license_issue::check_import(&export, &[key.public_key()], &revoked, &own, &imported, None)
        })?;
        let rows: Vec<String> = plan
            .new
            .iter()
            .map(|r| serde_json::to_string(r).map_err(|e| ApiError::internal(e.to_string())))
            .collect::<ApiResult<_>>()?;
        app.store.add_imported(org.id, &rows)?;
        app.store.audit(
            &actor,
            app.vendor_org,
            AuditAction::ImportExport,
            &format!("org:{} {}", org.id, export.month),
        )?;
        Ok(Json(json!({
            "reseller": export.reseller,
            "month": export.month,
            "imported": plan.new.len(),
            "already_imported": plan.already,
        })))
    })
    .await
}
