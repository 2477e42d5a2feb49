//! The HTTP layer: thin handlers over [`Seats`], with tower layers for the body limit and
//! timeouts, a per-client rate limit, the admin API behind its own bearer token, and the
//! dashboard. Every error is JSON (`{"error": code, "message": ...}`) saying what to do.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use license_verify::seat_client::{LeaseClaims, api};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::book::{AuditEvent, LeaseId, LeaseRecord, Op, Refusal, Reply, ct_eq};
use crate::dashboard::{self, PageInfo};
use crate::error::Error;
use crate::keys::ServerKey;
use crate::license::SeatLicense;
use crate::ratelimit::RateLimiter;
use crate::store::Seats;

/// Largest request body accepted (bytes).
pub const DEFAULT_BODY_LIMIT: usize = 16 * 1024;
/// Longest a request may take.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Most audit entries one admin request returns.
pub const MAX_AUDIT_PAGE: u32 = 10_000;

/// Bounds of the HTTP layer.
#[derive(Clone, Copy, Debug)]
pub struct HttpLimits {
    /// Largest request body (bytes).
    pub body_limit: usize,
    /// Longest a request may take.
    pub request_timeout: Duration,
    /// Requests per second per client address.
    pub rate_per_client: u32,
    /// Burst per client address.
    pub burst_per_client: u32,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            body_limit: DEFAULT_BODY_LIMIT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            rate_per_client: 200,
            burst_per_client: 400,
        }
    }
}

/// The administrator's bearer token, kept only as its SHA-256 digest.
#[derive(Clone)]
pub struct AdminToken([u8; 32]);

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(***OMITTED***)")
    }
}

/// Shortest admin token accepted.
pub const MIN_ADMIN_TOKEN: usize = 16;

impl AdminToken {
    /// From the token's text (at least [`MIN_ADMIN_TOKEN`] characters).
    pub fn new(token: &str) -> Result<AdminToken, Error> {
        let token = token.trim();
        if token.len() < MIN_ADMIN_TOKEN {
            return Err(Error::Config(format!(
                "the admin token has {} characters; use at least {MIN_ADMIN_TOKEN}",
                token.len()
            )));
        }
        Ok(AdminToken(Sha256::digest(token.as_bytes()).into()))
    }

    fn matches(&self, presented: &str) -> bool {
        let d: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        ct_eq(&d, &self.0)
    }
}

/// The service's state, built once in `main` and shared by the handlers.
pub struct App {
    seats: Seats,
    key: ServerKey,
    product: String,
    licensee: String,
    status: Mutex<String>,
    admin: AdminToken,
    limiter: RateLimiter,
    limits: HttpLimits,
    allow_unbound: bool,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("product", &self.product)
            .finish_non_exhaustive()
    }
}

fn now_ms() -> i64 {
    license_verify::seat_client::now_ms()
}

impl App {
    /// The service over `seats`, signing with `key`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        seats: Seats,
        key: ServerKey,
        product: &str,
        licensee: &str,
        license_status: &str,
        admin: AdminToken,
        limits: HttpLimits,
        allow_unbound: bool,
    ) -> App {
        App {
            seats,
            key,
            product: product.into(),
            licensee: licensee.into(),
            status: Mutex::new(license_status.into()),
            admin,
            limiter: RateLimiter::new(limits.rate_per_client, limits.burst_per_client),
            limits,
            allow_unbound,
        }
    }

    /// The seats.
    pub const fn seats(&self) -> &Seats {
        &self.seats
    }

    /// The server's key.
    pub const fn key(&self) -> &ServerKey {
        &self.key
    }

    fn status_text(&self) -> String {
        self.status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Re-verify the license and apply its seat count (a refused or unusable code, or one
    /// naming another seat server: 0 seats).
    pub async fn recheck(&self, license: &SeatLicense) -> Result<(), Error> {
        let checked = license
            .check()
            .and_then(|g| g.check_server(&self.key.public(), self.allow_unbound).map(|()| g));
        let (limit, status) = match checked {
            Ok(g) => (g.seats, g.status),
            Err(e) => (Some(0), format!("not usable: {e}")),
        };
        *self
            .status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = status;
        self.seats.apply(Op::SetLimit(limit), now_ms()).await.map(|_| ())
    }
}

/// Run the housekeeping: expire leases every second, re-verify the license every
/// `recheck`, prune audit entries older than `audit_days` and usage older than 2 days hourly.
pub fn spawn_housekeeping(
    app: Arc<App>,
    license: Option<Arc<SeatLicense>>,
    recheck: Duration,
    audit_days: u32,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut last_check = Instant::now();
        let mut last_prune: Option<Instant> = None;
        loop {
            tick.tick().await;
            if let Err(e) = app.seats.apply(Op::Sweep, now_ms()).await {
                eprintln!("license-server: sweep: {e}");
            }
            if let Some(l) = &license
                && last_check.elapsed() >= recheck
            {
                last_check = Instant::now();
                if let Err(e) = app.recheck(l).await {
                    eprintln!("license-server: license recheck: {e}");
                }
            }
            if last_prune.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
                last_prune = Some(Instant::now());
                let now = now_ms();
                let audit_before = now - i64::from(audit_days) * crate::book::DAY_MS;
                if let Err(e) = app.seats.prune(audit_before, now - 2 * crate::book::DAY_MS).await {
                    eprintln!("license-server: prune: {e}");
                }
            }
        }
    });
}

/// An error answer.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    body: api::ErrorResponse,
    www_authenticate: bool,
}

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: api::ErrorResponse {
                error: code.into(),
                message: message.into(),
                limit: None,
            },
            www_authenticate: false,
        }
    }

    fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", e.to_string())
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        let message = r.to_string();
        match r {
            Refusal::LimitReached { limit } => {
                let mut e = ApiError::new(StatusCode::CONFLICT, "limit_reached", message);
                e.body.limit = Some(limit);
                e
            }
            Refusal::UnknownLease { .. } => ApiError::new(StatusCode::BAD_REQUEST, "unknown_lease", message),
            Refusal::HolderElsewhere { .. } => ApiError::new(StatusCode::CONFLICT, "holder_in_use", message),
            _ => ApiError::invalid(message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, axum::Json(self.body)).into_response();
        if self.www_authenticate {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"license-server\", charset=\"UTF-8\""),
            );
        }
        resp
    }
}

type ApiResult<T> = Result<T, ApiError>;

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|e| ApiError::invalid(format!("malformed JSON body: {e}")))
}

fn lease_id(text: &str) -> ApiResult<LeaseId> {
    LeaseId::from_hex(text)
        .ok_or_else(|| ApiError::invalid("lease_id: 32 hex digits expected, as given at acquire"))
}

impl App {
    fn lease_response(
        &self,
        lease: &LeaseRecord,
        renewed: bool,
        in_use: u32,
        limit: Option<u32>,
    ) -> ApiResult<api::LeaseResponse> {
        let claims = LeaseClaims {
            server_key: self.key.public(),
            lease_id: lease.lease_id.0,
            issued_ms: now_ms(),
            expires_ms: lease.expires_ms,
            borrowed: lease.borrowed,
            holder: lease.holder.clone(),
            machine: lease.machine.clone(),
            product: self.product.clone(),
        };
        Ok(api::LeaseResponse {
            holder: lease.holder.clone(),
            lease_id: lease.lease_id.to_hex(),
            granted_ms: lease.granted_ms,
            expires_ms: lease.expires_ms,
            ttl_secs: lease.ttl_ms / 1000,
            borrowed: lease.borrowed,
            renewed,
            in_use,
            limit,
            token: self.key.sign(&claims)?,
        })
    }

    async fn lease_op(&self, op: Op) -> ApiResult<axum::Json<api::LeaseResponse>> {
        match self.seats.apply(op, now_ms()).await? {
            Reply::Lease {
                lease,
                renewed,
                in_use,
            } => {
                let limit = self.seats.current_limit();
                Ok(axum::Json(self.lease_response(&lease, renewed, in_use, limit)?))
            }
            Reply::Refused(r) => Err(r.into()),
            other => Err(Error::Store(format!("unexpected reply {other:?}")).into()),
        }
    }

    fn check_admin(&self, headers: &HeaderMap) -> ApiResult<()> {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                if let Some(t) = v.strip_prefix("Bearer ") {
                    Some(t.trim().to_string())
                } else {
                    // HTTP Basic (browsers, for the dashboard): the password is the token.
                    let b64 = v.strip_prefix("Basic ")?;
                    let raw = base64::engine::general_purpose::STANDARD
                        .decode(b64.trim())
                        .ok()?;
                    let text = String::from_utf8(raw).ok()?;
                    text.split_once(':').map(|(_, p)| p.to_string())
                }
            });
        match presented {
            Some(t) if self.admin.matches(&t) => Ok(()),
            Some(_) => {
                let mut e = ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "the admin token is wrong",
                );
                e.www_authenticate = true;
                Err(e)
            }
            None => {
                let mut e = ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "this is an admin endpoint: send the admin token as `Authorization: Bearer <token>`",
                );
                e.www_authenticate = true;
                Err(e)
            }
        }
    }
}

async fn acquire(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<axum::Json<api::LeaseResponse>> {
    let req: api::AcquireRequest = parse(&body)?;
    app.lease_op(Op::Acquire {
        holder: req.holder,
        user: req.user,
        machine: req.machine,
        ttl_ms: req.ttl_secs.map(|s| i64::from(s) * 1000),
    })
    .await
}

async fn borrow(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<axum::Json<api::LeaseResponse>> {
    let req: api::BorrowRequest = parse(&body)?;
    app.lease_op(Op::Borrow {
        holder: req.holder,
        user: req.user,
        machine: req.machine,
        days: req.days,
    })
    .await
}

async fn heartbeat(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<axum::Json<api::LeaseResponse>> {
    let req: api::LeaseRequest = parse(&body)?;
    let lease_id = lease_id(&req.lease_id)?;
    app.lease_op(Op::Heartbeat {
        holder: req.holder,
        lease_id,
    })
    .await
}

async fn release_reply(app: &App, op: Op) -> ApiResult<axum::Json<api::ReleaseResponse>> {
    match app.seats.apply(op, now_ms()).await? {
        Reply::Released { removed, in_use } => Ok(axum::Json(api::ReleaseResponse { removed, in_use })),
        Reply::Refused(r) => Err(r.into()),
        other => Err(Error::Store(format!("unexpected reply {other:?}")).into()),
    }
}

async fn release(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<axum::Json<api::ReleaseResponse>> {
    let req: api::LeaseRequest = parse(&body)?;
    let lease_id = lease_id(&req.lease_id)?;
    release_reply(
        &app,
        Op::Release {
            holder: req.holder,
            lease_id,
        },
    )
    .await
}

async fn status(State(app): State<Arc<App>>) -> ApiResult<axum::Json<api::StatusResponse>> {
    let s = app.seats.snapshot(now_ms()).await?;
    Ok(axum::Json(api::StatusResponse {
        product: app.product.clone(),
        licensee: app.licensee.clone(),
        license_status: app.status_text(),
        in_use: s.in_use,
        limit: s.limit,
        peak: s.peak,
        server_key: app.key.public_hex(),
    }))
}

/// One holder, for administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderInfo {
    /// Holder id.
    pub holder: String,
    /// User.
    pub user: String,
    /// Client machine.
    pub machine: String,
    /// Granted (ms since the epoch).
    pub granted_ms: i64,
    /// Expires unless renewed (ms since the epoch).
    pub expires_ms: i64,
    /// Borrowed for days.
    pub borrowed: bool,
}

/// `GET /v1/admin/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminStatus {
    /// Product.
    pub product: String,
    /// Licensee.
    pub licensee: String,
    /// License status in words.
    pub license_status: String,
    /// Seats in use.
    pub in_use: u32,
    /// Licensed seats (`null` = not limited).
    pub limit: Option<u32>,
    /// Highest usage ever.
    pub peak: u32,
    /// Borrowed seats among those in use.
    pub borrowed: u32,
    /// Server key (hex).
    pub server_key: String,
}

/// `POST /v1/admin/release`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForceReleaseRequest {
    /// The holder whose seat to free.
    pub holder: String,
}

async fn admin_status(State(app): State<Arc<App>>, headers: HeaderMap) -> ApiResult<axum::Json<AdminStatus>> {
    app.check_admin(&headers)?;
    let s = app.seats.snapshot(now_ms()).await?;
    Ok(axum::Json(AdminStatus {
        product: app.product.clone(),
        licensee: app.licensee.clone(),
        license_status: app.status_text(),
        in_use: s.in_use,
        limit: s.limit,
        peak: s.peak,
        borrowed: u32::try_from(s.holders.iter().filter(|h| h.borrowed).count()).unwrap_or(u32::MAX),
        server_key: app.key.public_hex(),
    }))
}

async fn admin_holders(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
) -> ApiResult<axum::Json<Vec<HolderInfo>>> {
    app.check_admin(&headers)?;
    let s = app.seats.snapshot(now_ms()).await?;
    Ok(axum::Json(
        s.holders
            .into_iter()
            .map(|l| HolderInfo {
                holder: l.holder,
                user: l.user,
                machine: l.machine,
                granted_ms: l.granted_ms,
                expires_ms: l.expires_ms,
                borrowed: l.borrowed,
            })
            .collect(),
    ))
}

async fn admin_release(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<axum::Json<api::ReleaseResponse>> {
    app.check_admin(&headers)?;
    let req: ForceReleaseRequest = parse(&body)?;
    release_reply(&app, Op::ForceRelease { holder: req.holder }).await
}

#[derive(Debug, Deserialize)]
struct AuditQuery {
    limit: Option<u32>,
}

async fn admin_audit(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<Vec<AuditEvent>>> {
    app.check_admin(&headers)?;
    let Query(q) = query.map_err(|e| ApiError::invalid(format!("query: {e}")))?;
    let limit = q.limit.unwrap_or(100);
    if limit == 0 || limit > MAX_AUDIT_PAGE {
        return Err(ApiError::invalid(format!("limit: from 1 to {MAX_AUDIT_PAGE}")));
    }
    Ok(axum::Json(app.seats.audit(limit).await?))
}

async fn dashboard_page(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Err(e) = app.check_admin(&headers) {
        return e.into_response();
    }
    let now = now_ms();
    let page = async {
        let snap = app.seats.snapshot(now).await?;
        let (before, series) = app.seats.usage(now - crate::book::DAY_MS).await?;
        let status = app.status_text();
        let key = app.key.public_hex();
        let info = PageInfo {
            product: &app.product,
            licensee: &app.licensee,
            status: &status,
            server_key: &key,
        };
        Ok::<_, Error>(dashboard::render(&info, &snap, before, &series, now))
    };
    match page.await {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see docs/SERVER.md for the API",
    )
}

async fn rate_limit(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>()
        && !app.limiter.allow(peer.ip(), Instant::now())
    {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "more than {} requests per second from {}; slow down (heartbeat every third of the TTL)",
                app.limiter.rate(),
                peer.ip()
            ),
        )
        .into_response();
    }
    next.run(req).await
}

/// The routes with their layers.
pub fn router(app: Arc<App>) -> Router {
    let limits = app.limits;
    Router::new()
        .route("/", get(dashboard_page))
        .route("/v1/status", get(status))
        .route("/v1/leases/acquire", post(acquire))
        .route("/v1/leases/borrow", post(borrow))
        .route("/v1/leases/heartbeat", post(heartbeat))
        .route("/v1/leases/release", post(release))
        .route("/v1/admin/status", get(admin_status))
        .route("/v1/admin/holders", get(admin_holders))
        .route("/v1/admin/release", post(admin_release))
        .route("/v1/admin/audit", get(admin_audit))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), rate_limit))
        .layer(RequestBodyLimitLayer::new(limits.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .with_state(app)
}

/// Serve on `listener` until `shutdown` resolves; TLS when `tls` is given.
pub async fn serve(
    listener: std::net::TcpListener,
    app: Arc<App>,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let service = router(app).into_make_service_with_connect_info::<SocketAddr>();
    let handle = axum_server::Handle::new();
    let h = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        h.graceful_shutdown(Some(Duration::from_secs(5)));
    });
    let io = |e: std::io::Error| Error::Config(format!("cannot serve: {e}"));
    match tls {
        Some(config) => axum_server::from_tcp_rustls(listener, config)
            .map_err(io)?
            .handle(handle)
            .serve(service)
            .await
            .map_err(io),
        None => axum_server::from_tcp(listener)
            .map_err(io)?
            .handle(handle)
            .serve(service)
            .await
            .map_err(io),
    }
}
