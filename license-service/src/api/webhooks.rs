//! Webhook endpoints: the vendor's administrator registers receivers of every license's
//! events, a reseller's administrator receivers of its own licenses' events. The URL is
//! checked by `license-notify` (`register_endpoint`: public addresses only unless the
//! service allows loopback or private ranges); the signing secret is shown once.

use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use license_notify::{NotifyError, OutboxStore, register_endpoint};
use serde::Deserialize;
use serde_json::{Value, json};

use super::app::{App, blocking, parse};
use super::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::notify::{VENDOR_OWNER, reseller_owner};
use crate::rights::OrgKind;
use crate::store::audit::AuditAction;

/// The owner name of the caller's endpoints (the vendor's or its reseller's).
fn owner(c: &Caller) -> ApiResult<String> {
    match c.org() {
        Some((_, OrgKind::Vendor)) => Ok(VENDOR_OWNER.to_owned()),
        Some((org, OrgKind::Reseller)) => Ok(reseller_owner(org)),
        Some((_, OrgKind::Company)) => Err(ApiError::forbidden("webhooks are the vendor's and resellers'")),
        None => Err(ApiError::unauthenticated()),
    }
}

fn outbox<I: Issuers>(app: &App<I>) -> ApiResult<&dyn OutboxStore> {
    app.issuers.outbox().ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "no_outbox",
            "this service runs without an outbox: webhooks cannot be registered",
        )
    })
}

fn notify_error(e: NotifyError) -> ApiError {
    match e {
        NotifyError::TargetRefused { .. }
        | NotifyError::BadUrl { .. }
        | NotifyError::WebhookTransport { .. } => ApiError::field("url", e.to_string()),
        other => ApiError::internal(other.to_string()),
    }
}

/// `GET /api/v1/webhooks`: the caller's organisation's endpoints (never their secrets).
pub(crate) async fn list<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
) -> ApiResult<Json<Value>> {
    let owner = owner(&c)?;
    blocking(&app, move |app| {
        let list = outbox(app)?.endpoints(Some(&owner)).map_err(notify_error)?;
        let rows: Vec<Value> = list
            .iter()
            .map(|e| json!({"id": e.id, "url": e.url, "created": e.created}))
            .collect();
        Ok(Json(json!({ "webhooks": rows })))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewWebhook {
    url: String,
}

/// `POST /api/v1/webhooks` with `{"url": "https://..."}`: a new endpoint; its signing
/// secret is in this answer only.
pub(crate) async fn create<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Response> {
    let w: NewWebhook = parse(&body)?;
    let owner = owner(&c)?;
    let actor = c.actor_name();
    let org = c.org().map_or(0, |o| o.0);
    blocking(&app, move |app| {
        let now = crate::clock::now_ms() / 1000;
        let (e, secret) = register_endpoint(outbox(app)?, &owner, &w.url, &app.settings.webhook_policy, now)
            .map_err(notify_error)?;
        app.store
            .audit(&actor, org, AuditAction::AddWebhook, &format!("webhook:{}", e.id))?;
        Ok((
            StatusCode::CREATED,
            Json(json!({"id": e.id, "url": e.url, "secret": secret.as_str()})),
        )
            .into_response())
    })
    .await
}

/// `POST /api/v1/webhooks/{id}/remove`: remove one of the organisation's endpoints
/// (another's answers 404).
pub(crate) async fn remove<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<i64>, PathRejection>,
) -> ApiResult<Json<Value>> {
    let Path(id) = id.map_err(|r| ApiError::new(StatusCode::BAD_REQUEST, "bad_path", r.body_text()))?;
    let owner = owner(&c)?;
    let actor = c.actor_name();
    let org = c.org().map_or(0, |o| o.0);
    blocking(&app, move |app| {
        let now = crate::clock::now_ms() / 1000;
        if !outbox(app)?
            .remove_endpoint(Some(&owner), id, now)
            .map_err(notify_error)?
        {
            return Err(ApiError::not_found("webhook"));
        }
        app.store
            .audit(&actor, org, AuditAction::RemoveWebhook, &format!("webhook:{id}"))?;
        Ok(Json(json!({"removed": id})))
    })
    .await
}
