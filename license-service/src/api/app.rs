//! What every handler reaches: the application state, its settings, and the helpers
//! every handler uses (a blocking thread for the synchronous store and ledger, JSON bodies).

use std::sync::Arc;
use std::time::Duration;

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, StatusCode};
use http_guard::web::WebPolicy;

use crate::clock::Today;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::mail::Mailer;
use crate::permissions::Matrix;
use crate::store::Store;

/// The largest request body accepted (an order is a few hundred bytes).
pub const MAX_BODY: usize = 16 * 1024;
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "lk_svc_session";
/// The header a session's state-changing requests carry its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Settings of the HTTP layer and the accounts.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Host names answered to besides addresses, and TLS.
    pub web: WebPolicy,
    /// How long a session lasts (ms).
    pub session_ms: i64,
    /// How long an address-confirmation link is valid (ms).
    pub confirm_ms: i64,
    /// How long a password-reset link is valid (ms).
    pub reset_ms: i64,
    /// Longest a request may take.
    pub request_timeout: Duration,
    /// The vendor's name (its organisation).
    pub vendor_name: String,
    /// Which address ranges a registered webhook may reach besides public addresses
    /// (default: none; `license_notify::TargetPolicy`).
    pub webhook_policy: license_notify::TargetPolicy,
    /// Requests per account (a user or an API token) per minute, counted per instance
    /// (default 600); beyond, `429 rate_limited` with `Retry-After`.
    pub rate_per_account: Arc<http_guard::rate::RateLimiter>,
    /// Requests per client address per minute, counted per instance (default 1200).
    pub rate_per_address: Arc<http_guard::rate::RateLimiter>,
    /// The master key that seals the reseller keys the service keeps (`crate::custody`);
    /// without it, resellers keep their own keys and the service creates none.
    pub master_key: Option<Arc<crate::custody::MasterKey>>,
    /// Where the ticket pools are kept (the vendor's home: its pool `tickets.jsonl`, as
    /// `licensectl ticket` keeps it, and the resellers' pools under `service-tickets/`);
    /// without it, ticket routes are refused.
    pub tickets_home: Option<std::path::PathBuf>,
}

impl Settings {
    /// The defaults: sessions of 8 hours, confirmation links of 2 days, reset links of 30
    /// minutes, requests of at most 20 seconds, 600 requests a minute per account and
    /// 1200 per address.
    pub fn new(web: WebPolicy) -> Settings {
        Settings {
            web,
            session_ms: 8 * 3_600_000,
            confirm_ms: 48 * 3_600_000,
            reset_ms: 30 * 60_000,
            request_timeout: Duration::from_secs(20),
            vendor_name: "Vendor".into(),
            webhook_policy: license_notify::TargetPolicy::default(),
            rate_per_account: Arc::new(http_guard::rate::RateLimiter::new(600, Duration::from_secs(60))),
            rate_per_address: Arc::new(http_guard::rate::RateLimiter::new(1200, Duration::from_secs(60))),
            master_key: None,
            tickets_home: None,
        }
    }
}

/// Everything a handler reaches.
pub struct App<I> {
    /// Accounts, sessions, tokens, ownership, audit.
    pub store: Arc<Store>,
    /// The library's issuers over the ledger.
    pub issuers: I,
    /// The day orders are placed on.
    pub today: Today,
    /// The e-mail seam (`crate::mail`).
    pub mailer: Arc<dyn Mailer>,
    /// The permission matrix.
    pub matrix: Matrix,
    /// Settings.
    pub settings: Settings,
    /// The vendor's organisation.
    pub vendor_org: i64,
}

/// Run `f` on a blocking thread (the store and the ledger are synchronous).
pub async fn blocking<I: Issuers, T: Send + 'static>(
    app: &Arc<App<I>>,
    f: impl FnOnce(&App<I>) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let app = Arc::clone(app);
    tokio::task::spawn_blocking(move || f(&app))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}

/// A JSON body as `T` (400 `malformed_json` saying why).
pub fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not valid for this request: {e}"),
        )
    })
}

/// A posted request's headers, peer address and body (at most [`MAX_BODY`]; beyond, a 413).
pub async fn body_of(req: Request) -> ApiResult<(HeaderMap, Option<SocketAddr>, Bytes)> {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let headers = req.headers().clone();
    let body = axum::body::to_bytes(req.into_body(), MAX_BODY)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "the body is too large",
            )
        })?;
    Ok((headers, peer, body))
}
