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
use license_core::{CertificateChain, Frame, PublicKey};
use license_issue::{
    CertificateRevocationSet, Error, Ledger, Record, ResellerBundle, ResellerExport, Signer, VendorKey,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::app::{App, blocking, parse};
use super::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::rights::{OrgKind, frame_inside};
use crate::store::Org;
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

fn reseller<I: Issuers>(app: &App<I>, org: i64) -> ApiResult<Org> {
    app.store
        .org(org)?
        .filter(|o| o.kind == OrgKind::Reseller)
        .ok_or_else(|| ApiError::not_found("reseller"))
}

fn vendor_only() -> ApiError {
    ApiError::internal("the service's issuer signs with a reseller's key: it must hold the vendor's")
}

fn frame_json(frame: &Frame) -> ApiResult<String> {
    serde_json::to_string(frame).map_err(|e| ApiError::internal(e.to_string()))
}

fn custody_error(e: crate::custody::CustodyError) -> ApiError {
    ApiError::internal(e.to_string())
}

/// The reseller's public key: the one stored, or a new key the service creates and keeps
/// sealed (`own` absent), or the reseller's own public key (`own` given), stored.
fn key_of<I: Issuers>(app: &App<I>, org: i64, own: Option<&str>) -> ApiResult<(PublicKey, Custody)> {
    if let Some(row) = app.store.reseller_key(org)? {
        let pk = PublicKey::from_hex(&row.public_key)
            .map_err(|e| ApiError::internal(format!("the reseller's stored public key: {e}")))?;
        if let Some(given) = own
            && !given.trim().eq_ignore_ascii_case(&row.public_key)
        {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "key_differs",
                "the reseller already has another key with the service; certify that one",
            ));
        }
        return Ok((pk, row.custody));
    }
    match own {
        Some(hex) => {
            let pk = PublicKey::from_hex(hex.trim())
                .map_err(|e| ApiError::field("public_key", format!("public_key is not a public key: {e}")))?;
            app.store
                .add_reseller_key(org, Custody::Own, &hex::encode(pk.to_bytes()), &[])?;
            // Another instance may have stored one first: take what is stored.
            key_of(app, org, Some(hex))
        }
        None => {
            let master = app.settings.master_key.as_ref().ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "no_master_key",
                    "this service keeps no reseller keys (no master key): give the reseller's own public_key",
                )
            })?;
            let key = VendorKey::generate()?;
            let sealed = master.seal_key(&key, org).map_err(custody_error)?;
            app.store.add_reseller_key(
                org,
                Custody::Service,
                &hex::encode(key.public_key().to_bytes()),
                &sealed,
            )?;
            key_of(app, org, None)
        }
    }
}

/// Certify `subject` as reseller `org` for `product` with `frame` under the vendor's key,
/// record it (replacing the live certificate) and re-check the reseller's users.
fn certify_and_record<I: Issuers>(
    app: &App<I>,
    org: &Org,
    product: &str,
    subject: PublicKey,
    frame: Frame,
) -> ApiResult<(u32, CertificateChain, Vec<i64>)> {
    let serial = app.store.next_serial(product)?;
    let chain = app.issuers.with(|is| -> ApiResult<CertificateChain> {
        is.catalogs().get(product)?;
        let Signer::Vendor(key) = is.signer() else {
            return Err(vendor_only());
        };
        Ok(license_issue::certify(
            key, product, subject, &org.name, serial, frame, None,
        )?)
    })?;
    app.store
        .record_certificate(org.id, product, serial, &chain.to_string(), &frame_json(&frame)?)
        .map_err(|e| match e {
            crate::error::StoreError::Duplicate(_) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                "another certification took the serial at the same time; retry",
            ),
            e => e.into(),
        })?;
    let narrowed = recheck_users(app, org.id, &frame)?;
    Ok((serial, chain, narrowed))
}

/// A reseller's frame changed: every user of it whose granted frame is no longer inside
/// it loses that frame (it creates nothing until its administrator grants one inside);
/// the ids of the users changed.
pub(crate) fn recheck_users<I: Issuers>(app: &App<I>, org: i64, frame: &Frame) -> ApiResult<Vec<i64>> {
    let mut changed = Vec::new();
    for u in app.store.users_of(org)? {
        if u.admin {
            continue;
        }
        if let Some(f) = &u.rights.frame
            && frame_inside(f, frame).is_err()
        {
            let mut rights = u.rights.clone();
            rights.frame = None;
            app.store.set_rights(u.id, &rights)?;
            changed.push(u.id);
        }
    }
    Ok(changed)
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
        let org = reseller(app, org)?;
        let (subject, custody) = key_of(app, org.id, b.public_key.as_deref())?;
        let (serial, chain, narrowed) = certify_and_record(app, &org, &b.product, subject, b.frame)?;
        app.store.audit(
            &actor,
            app.vendor_org,
            "certify_reseller",
            &format!("org:{} {}:{serial}", org.id, b.product),
        )?;
        answer(app, &b.product, serial, &chain, custody, subject, narrowed)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

fn answer<I: Issuers>(
    app: &App<I>,
    product: &str,
    serial: u32,
    chain: &CertificateChain,
    custody: Custody,
    subject: PublicKey,
    narrowed: Vec<i64>,
) -> ApiResult<Value> {
    let mut out = json!({
        "product": product,
        "serial": serial,
        "chain": chain.to_string(),
        "custody": custody,
        "public_key": hex::encode(subject.to_bytes()),
        "users_narrowed": narrowed,
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
        let org = reseller(app, org)?;
        let live = app
            .store
            .certificate(org.id, &b.product)?
            .ok_or_else(|| ApiError::not_found("certificate of this reseller for the product"))?;
        let old: Frame = serde_json::from_str(&live.frame)
            .map_err(|e| ApiError::internal(format!("the stored frame: {e}")))?;
        let mut wanted = b.frame;
        // The library's rule (every set a subset, every limit at most as wide), and no
        // deeper delegation than before.
        frame_inside(&wanted, &old).map_err(|v| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "wider_frame",
                format!("the new frame is not inside the certified one: {v}"),
            )
        })?;
        wanted.delegation_depth = wanted.delegation_depth.min(old.delegation_depth);
        // A certified reseller has its key stored (the service's or its own).
        let (subject, custody) = key_of(app, org.id, None)?;
        let (serial, chain, narrowed) = certify_and_record(app, &org, &b.product, subject, wanted)?;
        app.store.audit(
            &actor,
            app.vendor_org,
            "narrow_reseller",
            &format!("org:{} {}:{serial}", org.id, b.product),
        )?;
        Ok(Json(answer(
            app, &b.product, serial, &chain, custody, subject, narrowed,
        )?))
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
        let org = reseller(app, org)?;
        let serial = app
            .store
            .revoke_certificate(org.id, &b.product)?
            .ok_or_else(|| ApiError::not_found("certificate of this reseller for the product"))?;
        app.store.audit(
            &actor,
            app.vendor_org,
            "revoke_reseller",
            &format!("org:{} {}:{serial}", org.id, b.product),
        )?;
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
        let org = reseller(app, org)?;
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
            "import_export",
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
