//! An example issuing service: the HTTP API a vendor's portal calls, over
//! `license-issue` (on the PostgreSQL ledger, or a ledger file for a quick local run).
//!
//! | method and path | body | what |
//! | --- | --- | --- |
//! | `POST /licenses` | a `NewLicense` | a new license; `201` with the outcome |
//! | `POST /licenses/{id}/upgrade` | a `Change` | an additional order, effective at once |
//! | `POST /licenses/{id}/reduce` | a `Change` | a reduction at the next quarter start |
//! | `POST /licenses/{id}/renew` | none | the next term's code |
//! | `POST /licenses/{id}/revoke` | `{"reason": ...}` or none | recall the license |
//! | `POST /orders` | an `Order` | any order, as data |
//! | `GET /licenses/{id}` | none | the code in force today and any pending ones |
//!
//! Every `POST` takes an `Idempotency-Key` header: the same order placed again with the
//! same key returns the first result and issues nothing. Errors are JSON,
//! `{"error": {"kind": "...", "message": "..."}}`, where `kind` is the library's error
//! kind (`unknown_license`, `no_users_or_seats`, ...) or one of the service's own
//! (`malformed_json`, `bad_path`, `body_too_large`, `unsupported_media_type`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::sync::{Arc, Mutex};

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use license_core::Date;
use license_issue::CatalogError;
use license_issue::LedgerError;
use license_issue::OrderError;
use license_issue::{
    Catalogs, Change, Error, ErrorClass, Issuer, Ledger, LicenseHistory, NewLicense, Order, Outcome, Scope,
    VendorKey,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_http::limit::RequestBodyLimitLayer;

/// The largest request body accepted (an order is a few hundred bytes).
pub const MAX_BODY: usize = 16 * 1024;

/// Where the issuers come from: a fresh `Issuer` per request over a shared ledger (a
/// connection pool), or one `Issuer` behind a lock (a ledger file).
pub trait Issuers: Send + Sync + 'static {
    /// The ledger.
    type Ledger: Ledger;
    /// Run `f` with an issuer.
    fn with<T>(&self, f: impl FnOnce(&mut Issuer<Self::Ledger>) -> T) -> T;
}

/// Issuers over a ledger handle that many threads share (clones of a `PgLedger`).
pub struct Pooled<L> {
    catalogs: Catalogs,
    key: VendorKey,
    ledger: L,
}

impl<L: Ledger + Clone + Send + Sync + 'static> Pooled<L> {
    /// Each request gets an issuer with these catalogs and key, over a clone of `ledger`.
    pub fn new(catalogs: Catalogs, key: VendorKey, ledger: L) -> Pooled<L> {
        Pooled {
            catalogs,
            key,
            ledger,
        }
    }
}

impl<L: Ledger + Clone + Send + Sync + 'static> Issuers for Pooled<L> {
    type Ledger = L;
    fn with<T>(&self, f: impl FnOnce(&mut Issuer<L>) -> T) -> T {
        f(&mut Issuer::new(
            self.catalogs.clone(),
            self.key.clone(),
            self.ledger.clone(),
        ))
    }
}

/// One issuer behind a lock (a ledger file, which one process holds).
pub struct Locked<L: Ledger>(Mutex<Issuer<L>>);

impl<L: Ledger + Send + 'static> Locked<L> {
    /// Requests take turns with `issuer`.
    pub fn new(issuer: Issuer<L>) -> Locked<L> {
        Locked(Mutex::new(issuer))
    }
}

impl<L: Ledger + Send + 'static> Issuers for Locked<L> {
    type Ledger = L;
    fn with<T>(&self, f: impl FnOnce(&mut Issuer<L>) -> T) -> T {
        // A panic while holding the lock leaves the issuer as consistent as the ledger.
        let mut guard = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
}

/// The day orders are placed on.
pub type Today = Arc<dyn Fn() -> Date + Send + Sync>;

/// Today in UTC from the system clock.
pub fn system_today() -> Today {
    Arc::new(|| {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Date::from_unix_seconds(secs)
    })
}

struct App<I> {
    issuers: I,
    today: Today,
}

/// An error response: `{"error": {"kind": ..., "message": ...}}` with its status.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match &e {
            Error::Order(OrderError::UnknownLicense { .. })
            | Error::Catalog(CatalogError::UnknownProduct { .. }) => StatusCode::NOT_FOUND,
            Error::Ledger(LedgerError::Conflict { .. })
            | Error::Ledger(LedgerError::OrderKeyReused { .. }) => StatusCode::CONFLICT,
            Error::Ledger(LedgerError::Backend(_)) => StatusCode::SERVICE_UNAVAILABLE,
            _ => match e.class() {
                ErrorClass::Data => StatusCode::INTERNAL_SERVER_ERROR,
                ErrorClass::Retry => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            },
        };
        ApiError::new(status, e.kind_name(), e.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        match r {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(_) => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the request body is larger than {MAX_BODY} bytes"),
            ),
            other => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not a valid order: {}", other.body_text()),
            ),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_path",
            format!("the license id in the path must be a number: {}", r.body_text()),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error": {"kind": self.kind, "message": self.message}})),
        )
            .into_response()
    }
}

/// The optional `Idempotency-Key` header.
fn order_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => match v.to_str() {
            Ok(k) if !k.trim().is_empty() && k.len() <= 200 => Ok(Some(k.trim().to_owned())),
            _ => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_idempotency_key",
                "the Idempotency-Key header must be 1 to 200 visible ASCII characters",
            )),
        },
    }
}

/// Place `order` on a blocking thread (the ledger is synchronous).
async fn place<I: Issuers>(app: Arc<App<I>>, key: Option<String>, order: Order) -> Result<Outcome, ApiError> {
    let today = (app.today)();
    tokio::task::spawn_blocking(move || app.issuers.with(|is| is.place(key.as_deref(), &order, today)))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
        .map_err(ApiError::from)
}

async fn create<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    headers: HeaderMap,
    body: Result<Json<NewLicense>, JsonRejection>,
) -> Result<(StatusCode, Json<Outcome>), ApiError> {
    let Json(order) = body?;
    let outcome = place(app, order_key(&headers)?, Order::Issue(order)).await?;
    Ok((StatusCode::CREATED, Json(outcome)))
}

/// An order with a `Change` for the license in the path.
async fn change<I: Issuers>(
    app: Arc<App<I>>,
    id: Result<Path<u32>, PathRejection>,
    headers: &HeaderMap,
    body: Result<Json<Change>, JsonRejection>,
    make: fn(u32, Change) -> Order,
) -> Result<Json<Outcome>, ApiError> {
    let (Path(license_id), Json(change)) = (id?, body?);
    Ok(Json(
        place(app, order_key(headers)?, make(license_id, change)).await?,
    ))
}

async fn upgrade<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
    body: Result<Json<Change>, JsonRejection>,
) -> Result<Json<Outcome>, ApiError> {
    change(app, id, &headers, body, |license_id, change| Order::Upgrade {
        license_id,
        change,
    })
    .await
}

async fn reduce<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
    body: Result<Json<Change>, JsonRejection>,
) -> Result<Json<Outcome>, ApiError> {
    change(app, id, &headers, body, |license_id, change| Order::Reduce {
        license_id,
        change,
    })
    .await
}

async fn renew<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<Outcome>, ApiError> {
    let Path(license_id) = id?;
    Ok(Json(
        place(app, order_key(&headers)?, Order::Renew { license_id }).await?,
    ))
}

/// The body of a revocation (optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Revocation {
    #[serde(default)]
    reason: Option<String>,
}

async fn revoke<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    id: Result<Path<u32>, PathRejection>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Outcome>, ApiError> {
    let Path(license_id) = id?;
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<Revocation>(&body)
            .map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                    format!("the body is not a valid revocation: {e}"),
                )
            })?
            .reason
    };
    Ok(Json(
        place(app, order_key(&headers)?, Order::Revoke { license_id, reason }).await?,
    ))
}

async fn order<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    headers: HeaderMap,
    body: Result<Json<Order>, JsonRejection>,
) -> Result<Json<Outcome>, ApiError> {
    let Json(order) = body?;
    Ok(Json(place(app, order_key(&headers)?, order).await?))
}

/// One code of a license, as `GET /licenses/{id}` shows it.
#[derive(Debug, Serialize)]
struct CodeView {
    revision: u32,
    code: String,
    valid_from: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<Date>,
    scope: Scope,
}

async fn show<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    id: Result<Path<u32>, PathRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Path(license_id) = id?;
    let today = (app.today)();
    let app2 = Arc::clone(&app);
    let (history, catalog) = tokio::task::spawn_blocking(move || {
        app2.issuers.with(
            |is| -> Result<(LicenseHistory, Option<license_issue::Catalog>), Error> {
                let h = is.history(license_id)?;
                let c = is.catalogs().get(&h.product).ok().cloned();
                Ok((h, c))
            },
        )
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))??;
    let view = |r: &license_issue::Revision| CodeView {
        revision: r.license.revision,
        code: r.code.clone(),
        valid_from: r.license.valid_from,
        expires: r.license.expires,
        scope: Scope::new(&r.license, catalog.as_ref()),
    };
    let current = history.effective_on(today).map(view);
    let pending: Vec<CodeView> = history
        .revisions
        .iter()
        .filter(|r| r.license.valid_from > today && !r.withdrawn)
        .map(view)
        .collect();
    Ok(Json(json!({
        "license_id": license_id,
        "product": history.product,
        "licensee": history.licensee,
        "revoked": history.revoked,
        "cancelled_ends": history.cancelled.map(|(_, ends)| ends),
        "current": current,
        "pending": pending,
    })))
}

/// A 413 from the body limit, as a JSON error like every other.
async fn json_limit(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the request body is larger than {MAX_BODY} bytes"),
        )
        .into_response();
    }
    response
}

/// The service's routes over `issuers`, placing orders on the day `today` returns.
pub fn router<I: Issuers>(issuers: I, today: Today) -> Router {
    let app = Arc::new(App { issuers, today });
    Router::new()
        .route("/licenses", post(create::<I>))
        .route("/licenses/{id}", get(show::<I>))
        .route("/licenses/{id}/upgrade", post(upgrade::<I>))
        .route("/licenses/{id}/reduce", post(reduce::<I>))
        .route("/licenses/{id}/renew", post(renew::<I>))
        .route("/licenses/{id}/revoke", post(revoke::<I>))
        .route("/orders", post(order::<I>))
        .fallback(|| async {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "no_such_route",
                "no such route: see license-issue/README.md",
            )
        })
        // The limit inside, so that its 413 passes through `json_limit` on the way out.
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(axum::middleware::map_response(json_limit))
        .with_state(app)
}
