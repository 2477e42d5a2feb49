//! A reseller's orders in the service, shared by the JSON API and the portal: the signer
//! of a reseller whose key the service keeps (its key opened from the sealed form, its live
//! certificate chain), and an order placed with it, so its codes carry its chain.

use std::sync::Arc;

use axum::http::StatusCode;
use license_core::CertificateChain;
use license_issue::{Order, Outcome, ResellerSigner};

use crate::api::app::{App, blocking};
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::store::Owner;
use crate::store::resellers::Custody;

/// The signer of reseller `org`'s orders for `product` in the service: its key (opened
/// from its sealed form) and its live certificate chain. Refused when the reseller has no
/// certificate for the product, or keeps its own key (it issues offline then).
pub fn signer_of<I: Issuers>(app: &App<I>, org: i64, product: &str) -> ApiResult<ResellerSigner> {
    let cert = app.store.certificate(org, product)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "no_certificate",
            format!("the vendor has not certified your organisation for {product} (or revoked it)"),
        )
    })?;
    let row = app
        .store
        .reseller_key(org)?
        .ok_or_else(|| ApiError::internal("a certified reseller without a key"))?;
    if row.custody == Custody::Own {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "own_key",
            "your organisation keeps its own key: it issues offline and the vendor imports its monthly export",
        ));
    }
    let master = app
        .settings
        .master_key
        .as_ref()
        .ok_or_else(|| ApiError::internal("a reseller key is kept, but the service has no master key"))?;
    let key = master
        .open_key(&row.sealed, org)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let chain = CertificateChain::parse(&cert.chain)
        .map_err(|e| ApiError::internal(format!("the stored certificate chain: {e}")))?;
    Ok(ResellerSigner::new(key, [(product.to_owned(), chain)])?)
}

/// Place a reseller's `order` signed with its key and chain (the library's
/// `Issuer::place` on an issuer over the same ledger).
pub async fn place_as_reseller<I: Issuers>(
    app: &Arc<App<I>>,
    org: i64,
    product: String,
    key: Option<String>,
    order: Order,
    new_owner: Option<Owner>,
) -> ApiResult<Outcome> {
    let today = (app.today)();
    blocking(app, move |app| {
        let signer = signer_of(app, org, &product)?;
        app.issuers
            .with_signer(signer.into(), new_owner, |is| {
                is.place(key.as_deref(), &order, today)
            })
            .map_err(ApiError::from)
    })
    .await
}
