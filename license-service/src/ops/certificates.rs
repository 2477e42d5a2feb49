//! The vendor's certificates of its resellers (issue 21, item 3), shared by the JSON API
//! (`api::resellers`) and the vendor's portal pages: certify a reseller for a product with
//! a frame (the library's `certify` with the vendor's key), narrow the frame (a new
//! certificate inside the old one, by the library's `Frame::narrows`), revoke the
//! certificate (listed on the product's next revocation list). When a frame changes, the
//! reseller's users' rights are re-checked against it. Each step writes its audit line.

use axum::http::StatusCode;
use license_core::{CertificateChain, Frame, PublicKey};
use license_issue::{Signer, VendorKey};

use crate::api::app::App;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::rights::{OrgKind, frame_inside};
use crate::store::Org;
use crate::store::audit::AuditAction;
use crate::store::resellers::Custody;

/// Reseller `org` (any other organisation, or none, is the same `not_found`).
pub fn reseller<I: Issuers>(app: &App<I>, org: i64) -> ApiResult<Org> {
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

/// A certificate just made: what the API answers and the pages show.
pub struct Certified {
    /// The product.
    pub product: String,
    /// The new certificate's serial.
    pub serial: u32,
    /// Its chain.
    pub chain: CertificateChain,
    /// Who keeps the reseller's key.
    pub custody: Custody,
    /// The reseller's public key.
    pub subject: PublicKey,
    /// The reseller's users whose granted frame was no longer inside and was taken away.
    pub narrowed: Vec<i64>,
}

/// Certify `subject` as reseller `org` for `product` with `frame` under the vendor's key,
/// record it (replacing the live certificate) and re-check the reseller's users.
fn certify_and_record<I: Issuers>(
    app: &App<I>,
    org: &Org,
    product: &str,
    subject: PublicKey,
    custody: Custody,
    frame: Frame,
) -> ApiResult<Certified> {
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
    Ok(Certified {
        product: product.to_owned(),
        serial,
        chain,
        custody,
        subject,
        narrowed,
    })
}

/// A reseller's frame changed: every user of it whose granted frame is no longer inside
/// it loses that frame (it creates nothing until its administrator grants one inside);
/// the ids of the users changed.
pub fn recheck_users<I: Issuers>(app: &App<I>, org: i64, frame: &Frame) -> ApiResult<Vec<i64>> {
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

/// The product must be one of the service's catalogs (named in the error otherwise).
pub fn check_product<I: Issuers>(app: &App<I>, product: &str) -> ApiResult<()> {
    app.issuers
        .with(|is| is.catalogs().get(product).map(drop))
        .map_err(|e| ApiError::field("product", e.to_string()))
}

/// Certify reseller `org` for `product` with `frame` (its key the service's, or its own
/// `public_key`), audited as `actor`.
pub fn certify<I: Issuers>(
    app: &App<I>,
    actor: &str,
    org: i64,
    product: &str,
    frame: Frame,
    public_key: Option<&str>,
) -> ApiResult<Certified> {
    let org = reseller(app, org)?;
    let (subject, custody) = key_of(app, org.id, public_key)?;
    let out = certify_and_record(app, &org, product, subject, custody, frame)?;
    app.store.audit(
        actor,
        app.vendor_org,
        AuditAction::CertifyReseller,
        &format!("org:{} {product}:{}", org.id, out.serial),
    )?;
    Ok(out)
}

/// The frame a narrowing of reseller `org`'s live certificate for `product` would
/// certify: `wanted` when it lies inside the live one (the library's rule: every set a
/// subset, every limit at most as wide; a wider one is refused naming the limit), with
/// no deeper delegation than before.
pub fn narrowed_frame<I: Issuers>(app: &App<I>, org: i64, product: &str, wanted: Frame) -> ApiResult<Frame> {
    let old = live_frame(app, org, product)?;
    let mut wanted = wanted;
    frame_inside(&wanted, &old).map_err(|v| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "wider_frame",
            format!("the new frame is not inside the certified one: {v}"),
        )
    })?;
    wanted.delegation_depth = wanted.delegation_depth.min(old.delegation_depth);
    Ok(wanted)
}

/// The frame of reseller `org`'s live certificate for `product`.
pub fn live_frame<I: Issuers>(app: &App<I>, org: i64, product: &str) -> ApiResult<Frame> {
    let org = reseller(app, org)?;
    let live = app
        .store
        .certificate(org.id, product)?
        .ok_or_else(|| ApiError::not_found("certificate of this reseller for the product"))?;
    serde_json::from_str(&live.frame).map_err(|e| ApiError::internal(format!("the stored frame: {e}")))
}

/// Narrow reseller `org`'s frame for `product` to `wanted` (a new certificate inside the
/// live one); its users' rights re-checked.
pub fn narrow<I: Issuers>(
    app: &App<I>,
    actor: &str,
    org: i64,
    product: &str,
    wanted: Frame,
) -> ApiResult<Certified> {
    let frame = narrowed_frame(app, org, product, wanted)?;
    let org = reseller(app, org)?;
    // A certified reseller has its key stored (the service's or its own).
    let (subject, custody) = key_of(app, org.id, None)?;
    let out = certify_and_record(app, &org, product, subject, custody, frame)?;
    app.store.audit(
        actor,
        app.vendor_org,
        AuditAction::NarrowReseller,
        &format!("org:{} {product}:{}", org.id, out.serial),
    )?;
    Ok(out)
}

/// Revoke reseller `org`'s certificate for `product`: the service signs nothing more with
/// it, and the product's next revocation list names its serial; the serial.
pub fn revoke<I: Issuers>(app: &App<I>, actor: &str, org: i64, product: &str) -> ApiResult<u32> {
    let org = reseller(app, org)?;
    let serial = app
        .store
        .revoke_certificate(org.id, product)?
        .ok_or_else(|| ApiError::not_found("certificate of this reseller for the product"))?;
    app.store.audit(
        actor,
        app.vendor_org,
        AuditAction::RevokeReseller,
        &format!("org:{} {product}:{serial}", org.id),
    )?;
    Ok(serial)
}
