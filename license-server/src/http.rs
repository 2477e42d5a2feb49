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
use seat_protocol::proof::{self as holder_proof, GrantFields, ProofError, ProofOp};
use seat_protocol::{LeaseClaims, api};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::book::{AuditEvent, GrantProof, LeaseId, LeaseRecord, Op, Refusal, Reply, ct_eq};
use crate::conn::ConnLimits;
use crate::dashboard::{self, PageInfo};
use crate::error::Error;
use crate::holder::HolderProofs;
use crate::keys::ServerKey;
use crate::license::SeatLicense;
use crate::ratelimit::RateLimiter;
use crate::store::Seats;
use crate::web::{self, Sessions, WebPolicy};

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
    /// Connections: how many, and how long one may stay silent.
    pub connections: ConnLimits,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            body_limit: DEFAULT_BODY_LIMIT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            rate_per_client: 200,
            burst_per_client: 400,
            connections: ConnLimits::default(),
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
    web: WebPolicy,
    sessions: Sessions,
    proofs: HolderProofs,
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
        web: WebPolicy,
    ) -> App {
        App {
            seats,
            product: product.into(),
            licensee: licensee.into(),
            status: Mutex::new(license_status.into()),
            admin,
            limiter: RateLimiter::new(limits.rate_per_client, limits.burst_per_client),
            limits,
            allow_unbound,
            web,
            sessions: Sessions::default(),
            proofs: key.holder_proofs(false),
            key,
        }
    }

    /// Serve clients that send no holder proof (clients of before the proof), during a
    /// transition (`--accept-unproven-clients`; off by default). Their leases are not bound
    /// to a key: whoever knows the holder id and machine can re-claim them, as before.
    /// Leases bound to a holder key stay out of their reach.
    #[must_use]
    pub fn accept_unproven_clients(mut self, accept: bool) -> App {
        self.proofs = self.key.holder_proofs(accept);
        self
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

    /// Re-verify the license and apply its seat count. A verified code that grants no seats
    /// here (expired, revoked, naming another seat server) sets 0; a file that cannot be
    /// read or verified (absent for a moment, half written, corrupt) changes nothing: the
    /// last verified license stays in force, and the status says so until a readable,
    /// verified code says otherwise.
    pub async fn recheck(&self, license: &SeatLicense) -> Result<(), Error> {
        let checked = license
            .check()
            .and_then(|g| g.check_server(&self.key.public(), self.allow_unbound).map(|()| g));
        let limit = match checked {
            Ok(g) => {
                self.set_status(g.status);
                g.seats
            }
            Err(e) if e.keeps_last_license() => {
                let kept = {
                    let status = self.status_text();
                    let base = status.split(KEPT_NOTE).next().unwrap_or("").to_owned();
                    format!(
                        "{base}{KEPT_NOTE} since {}: {e})",
                        crate::dashboard::format_utc(now_ms())
                    )
                };
                eprintln!("license-server: license recheck: {e}; the last verified license stays in force");
                self.set_status(kept);
                return Ok(());
            }
            Err(e) => {
                self.set_status(format!("not usable: {e}"));
                Some(0)
            }
        };
        self.seats.apply(Op::SetLimit(limit), now_ms()).await.map(|_| ())
    }

    fn set_status(&self, status: String) {
        *self
            .status
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = status;
    }
}

/// Appended to the license status while the license file cannot be read or verified.
const KEPT_NOTE: &str = " (kept: the license file could not be read or verified";

/// Run the housekeeping: expire leases every second, re-verify the license every
/// `recheck`, prune audit entries older than `audit_days` or beyond
/// [`crate::book::AUDIT_MAX_ROWS`] and usage older than 2 days every minute.
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
            if last_prune.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
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
}

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: api::ErrorResponse {
                error: code.into(),
                message: message.into(),
                limit: None,
                server_ms: None,
            },
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
            Refusal::HolderElsewhere { .. } | Refusal::OtherHolderKey { .. } => {
                ApiError::new(StatusCode::CONFLICT, "holder_in_use", message)
            }
            _ => ApiError::invalid(message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|e| ApiError::invalid(format!("malformed JSON body: {e}")))
}

impl App {
    /// A lease answer; `lease_id` is the id the client knows (a proven lease is stored under
    /// its lease key, never answered).
    fn lease_response(
        &self,
        lease: &LeaseRecord,
        lease_id: [u8; 16],
        renewed: bool,
        in_use: u32,
        limit: Option<u32>,
    ) -> ApiResult<api::LeaseResponse> {
        let claims = LeaseClaims {
            server_key: self.key.public(),
            lease_id,
            issued_ms: now_ms(),
            expires_ms: lease.expires_ms,
            borrowed: lease.borrowed,
            holder: lease.holder.clone(),
            machine: lease.machine.clone(),
            product: self.product.clone(),
        };
        Ok(api::LeaseResponse {
            holder: lease.holder.clone(),
            lease_id: hex::encode(lease_id),
            granted_ms: lease.granted_ms,
            expires_ms: lease.expires_ms,
            ttl_secs: lease.ttl_ms / 1000,
            borrowed: lease.borrowed,
            renewed,
            in_use,
            limit,
            token: self.key.sign(&claims)?,
            mac_key_box: None,
        })
    }

    /// The admin API: the token as `Authorization: Bearer <token>` only (a browser never
    /// sends that by itself, so no page can borrow an administrator's authority).
    fn check_admin(&self, headers: &HeaderMap) -> ApiResult<()> {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match presented {
            Some(t) if self.admin.matches(t) => Ok(()),
            Some(_) => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the admin token is wrong",
            )),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this is an admin endpoint: send the admin token as `Authorization: Bearer <token>` (the dashboard: log in at /login)",
            )),
        }
    }

    /// The dashboard session's CSRF token, if the request carries a live session cookie.
    fn session_csrf(&self, headers: &HeaderMap) -> Option<String> {
        web::cookie(headers, web::SESSION_COOKIE).and_then(|t| self.sessions.csrf(t, now_ms()))
    }
}

/// The 401 answers of the holder proof.
fn proof_error(e: ProofError) -> ApiError {
    match e {
        ProofError::Stale { server_ms, .. } => {
            let mut err = ApiError::new(StatusCode::UNAUTHORIZED, "stale_proof", e.to_string());
            err.body.server_ms = Some(server_ms);
            err
        }
        other => ApiError::new(StatusCode::UNAUTHORIZED, "bad_proof", other.to_string()),
    }
}

fn proof_required() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "proof_required",
        "this server takes only requests with the holder proof: update the client (or, during a transition, start the server with --accept-unproven-clients)",
    )
}

fn hex16(field: &'static str, text: &str) -> ApiResult<[u8; 16]> {
    holder_proof::hex_array(field, text)
        .map_err(|_| ApiError::invalid(format!("{field}: 32 hex digits expected")))
}

/// A grant request's fields, acquire or borrow.
struct GrantRequest {
    path_op: ProofOp,
    holder: String,
    user: String,
    machine: String,
    amount: u32,
    lease_id: Option<String>,
    dh: Option<String>,
    proof: Option<api::Proof>,
}

/// What the answer to a proven grant needs.
struct ProvenGrant {
    /// The new lease's id (answered when a new seat is granted).
    fresh: [u8; 16],
    /// The lease id the request named (answered when its own lease is given back).
    named: Option<[u8; 16]>,
    holder_key: [u8; 32],
    /// The client's X25519 key the MAC key is sealed to.
    dh: [u8; 32],
}

/// What a checked grant request becomes: the book's proof, and what the answer needs.
struct GrantCheck {
    proof: GrantProof,
    proven: Option<ProvenGrant>,
}

impl App {
    fn check_grant(&self, g: &GrantRequest) -> ApiResult<GrantCheck> {
        let Some(p) = &g.proof else {
            if g.lease_id.is_some() || g.dh.is_some() || !self.proofs.accepts_unproven() {
                return Err(proof_required());
            }
            return Ok(GrantCheck {
                proof: GrantProof::Unproven,
                proven: None,
            });
        };
        let dh: [u8; 32] = holder_proof::hex_array("dh", g.dh.as_deref().unwrap_or("")).map_err(|_| {
            ApiError::invalid("dh: the client's X25519 key, 64 hex digits, is needed with a proof")
        })?;
        let named = g.lease_id.as_deref().map(|t| hex16("lease_id", t)).transpose()?;
        let grant = GrantFields {
            user: &g.user,
            machine: &g.machine,
            amount: g.amount,
            dh,
        };
        let proven = self
            .proofs
            .check(
                p,
                g.path_op,
                &g.holder,
                named.unwrap_or([0; 16]),
                Some(grant),
                now_ms(),
            )
            .map_err(proof_error)?;
        let mut fresh = [0u8; 16];
        getrandom::fill(&mut fresh).map_err(|e| ApiError::from(Error::Random(e.to_string())))?;
        Ok(GrantCheck {
            proof: GrantProof::Holder {
                fresh: LeaseId(holder_proof::lease_key(&proven.holder_key, &fresh)),
                own: named.map(|_| proven.lease_key),
            },
            proven: Some(ProvenGrant {
                fresh,
                named,
                holder_key: proven.holder_key,
                dh,
            }),
        })
    }

    async fn grant_op(&self, check: GrantCheck, op: Op) -> ApiResult<axum::Json<api::LeaseResponse>> {
        match self.seats.apply(op, now_ms()).await? {
            Reply::Lease {
                lease,
                renewed,
                in_use,
            } => {
                let limit = self.seats.current_limit();
                let Some(ProvenGrant {
                    fresh,
                    named,
                    holder_key,
                    dh,
                }) = check.proven
                else {
                    return Ok(axum::Json(self.lease_response(
                        &lease,
                        lease.lease_id.0,
                        renewed,
                        in_use,
                        limit,
                    )?));
                };
                // The lease id the client knows: the new one, or the one it named.
                let public = if renewed { named.unwrap_or(fresh) } else { fresh };
                let mut answer = self.lease_response(&lease, public, renewed, in_use, limit)?;
                let sealed = self
                    .proofs
                    .seal(&dh, &public, &holder_key, &lease.lease_id)
                    .map_err(proof_error)?;
                answer.mac_key_box = Some(hex::encode(sealed));
                Ok(axum::Json(answer))
            }
            Reply::Refused(r) => Err(r.into()),
            other => Err(Error::Store(format!("unexpected reply {other:?}")).into()),
        }
    }

    /// Check a lease request's proof: the lease key to look the lease up by, and the lease
    /// id to answer. Without a proof (`--accept-unproven-clients` only), a lease id names
    /// only a lease granted without one.
    fn check_lease_request(&self, req: &api::LeaseRequest, op: ProofOp) -> ApiResult<(LeaseId, [u8; 16])> {
        let named = hex16("lease_id", &req.lease_id)?;
        match &req.proof {
            Some(p) => {
                let proven = self
                    .proofs
                    .check(p, op, &req.holder, named, None, now_ms())
                    .map_err(proof_error)?;
                Ok((proven.lease_key, named))
            }
            None if !self.proofs.accepts_unproven() => Err(proof_required()),
            None if holder_proof::is_proven(&named) => Err(Refusal::UnknownLease {
                holder: req.holder.clone(),
            }
            .into()),
            None => Ok((LeaseId(named), named)),
        }
    }
}

async fn acquire(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<axum::Json<api::LeaseResponse>> {
    let req: api::AcquireRequest = parse(&body)?;
    let g = GrantRequest {
        path_op: ProofOp::Acquire,
        holder: req.holder,
        user: req.user,
        machine: req.machine,
        amount: req.ttl_secs.unwrap_or(0),
        lease_id: req.lease_id,
        dh: req.dh,
        proof: req.proof,
    };
    let check = app.check_grant(&g)?;
    let op = Op::Acquire {
        holder: g.holder,
        user: g.user,
        machine: g.machine,
        ttl_ms: req.ttl_secs.map(|s| i64::from(s) * 1000),
        proof: check.proof,
    };
    app.grant_op(check, op).await
}

async fn borrow(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<axum::Json<api::LeaseResponse>> {
    let req: api::BorrowRequest = parse(&body)?;
    let g = GrantRequest {
        path_op: ProofOp::Borrow,
        holder: req.holder,
        user: req.user,
        machine: req.machine,
        amount: req.days,
        lease_id: req.lease_id,
        dh: req.dh,
        proof: req.proof,
    };
    let check = app.check_grant(&g)?;
    let op = Op::Borrow {
        holder: g.holder,
        user: g.user,
        machine: g.machine,
        days: req.days,
        proof: check.proof,
    };
    app.grant_op(check, op).await
}

async fn heartbeat(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<axum::Json<api::LeaseResponse>> {
    let req: api::LeaseRequest = parse(&body)?;
    let (lease_key, public) = app.check_lease_request(&req, ProofOp::Heartbeat)?;
    match app
        .seats
        .apply(
            Op::Heartbeat {
                holder: req.holder,
                lease_id: lease_key,
            },
            now_ms(),
        )
        .await?
    {
        Reply::Lease {
            lease,
            renewed,
            in_use,
        } => {
            let limit = app.seats.current_limit();
            Ok(axum::Json(
                app.lease_response(&lease, public, renewed, in_use, limit)?,
            ))
        }
        Reply::Refused(r) => Err(r.into()),
        other => Err(Error::Store(format!("unexpected reply {other:?}")).into()),
    }
}

/// `POST /v1/leases/check`: whether the holder still holds this lease, without renewing it
/// (`license-check seat status`). The answer is a lease with a fresh token, as a heartbeat's.
async fn check(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<axum::Json<api::LeaseResponse>> {
    let req: api::LeaseRequest = parse(&body)?;
    let (lease_key, public) = app.check_lease_request(&req, ProofOp::Check)?;
    let snap = app.seats.snapshot(now_ms()).await?;
    let held = snap
        .holders
        .iter()
        .find(|l| l.holder == req.holder && ct_eq(&l.lease_id.0, &lease_key.0));
    match held {
        Some(lease) => Ok(axum::Json(app.lease_response(
            lease,
            public,
            false,
            snap.in_use,
            snap.limit,
        )?)),
        None => Err(Refusal::UnknownLease { holder: req.holder }.into()),
    }
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
    let (lease_key, _) = app.check_lease_request(&req, ProofOp::Release)?;
    release_reply(
        &app,
        Op::Release {
            holder: req.holder,
            lease_id: lease_key,
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

#[derive(Debug, Deserialize)]
struct PageQuery {
    page: Option<usize>,
    /// `1`: the page reloads itself (the administrator asked for it).
    reload: Option<u8>,
}

fn see_other(location: &'static str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, HeaderValue::from_static(location))],
    )
        .into_response()
}

async fn dashboard_page(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    query: Result<Query<PageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let csrf = app.session_csrf(&headers);
    if csrf.is_none() {
        if headers.get(header::AUTHORIZATION).is_none() {
            return see_other("/login");
        }
        if let Err(e) = app.check_admin(&headers) {
            return e.into_response();
        }
    }
    let (page_no, reload) = match query {
        Ok(Query(q)) => (q.page.unwrap_or(0), q.reload == Some(1)),
        Err(e) => return ApiError::invalid(format!("query: {e}")).into_response(),
    };
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
            page: page_no,
            reload,
            csrf: csrf.as_deref(),
        };
        Ok::<_, Error>(dashboard::render(&info, &snap, before, &series, now))
    };
    match page.await {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

fn login_form(app: &App, failed: bool) -> Response {
    let csrf = match web::random_hex() {
        Ok(c) => c,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let status = if failed {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let cookie = web::set_cookie(&app.web, web::LOGIN_COOKIE, &csrf, 3600);
    (
        status,
        [(header::SET_COOKIE, cookie)],
        Html(dashboard::login_page(&csrf, failed)),
    )
        .into_response()
}

async fn login_get(State(app): State<Arc<App>>) -> Response {
    login_form(&app, false)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginForm {
    csrf: String,
    token: String,
}

fn parse_form<T: serde::de::DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    serde_urlencoded::from_bytes(body).map_err(|e| ApiError::invalid(format!("malformed form: {e}")))
}

fn csrf_refused() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "csrf",
        "the form's CSRF token does not match this browser's session: reload the page and try again",
    )
}

/// `POST /login` (urlencoded; exact `Origin` checked by [`browser_guard`]): the login
/// CSRF token must equal its cookie, the admin token must be right; then a session cookie.
async fn login_post(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let form: LoginForm = match parse_form(&body) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    match web::cookie(&headers, web::LOGIN_COOKIE) {
        Some(c) if web::same_secret(c, &form.csrf) => {}
        _ => return csrf_refused().into_response(),
    }
    if !app.admin.matches(form.token.trim()) {
        return login_form(&app, true);
    }
    let (session, _) = match app.sessions.create(now_ms()) {
        Ok(s) => s,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let mut resp = see_other("/");
    let h = resp.headers_mut();
    h.append(
        header::SET_COOKIE,
        web::set_cookie(&app.web, web::SESSION_COOKIE, &session, web::SESSION_MS / 1000),
    );
    h.append(
        header::SET_COOKIE,
        web::set_cookie(&app.web, web::LOGIN_COOKIE, "", 0),
    );
    resp
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionForm {
    csrf: String,
    holder: Option<String>,
}

/// The session's form, checked: the session cookie is live and the form's CSRF token is
/// the session's.
fn session_form(app: &App, headers: &HeaderMap, body: &[u8]) -> ApiResult<(String, SessionForm)> {
    let form: SessionForm = parse_form(body)?;
    let token = web::cookie(headers, web::SESSION_COOKIE)
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "log in at /login first"))?;
    match app.sessions.csrf(token, now_ms()) {
        Some(csrf) if web::same_secret(&csrf, &form.csrf) => Ok((token.to_owned(), form)),
        Some(_) => Err(csrf_refused()),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "the session has ended: log in again at /login",
        )),
    }
}

/// `POST /release` (the dashboard's release button).
async fn release_form(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let form = match session_form(&app, &headers, &body) {
        Ok((_, f)) => f,
        Err(e) => return e.into_response(),
    };
    let Some(holder) = form.holder else {
        return ApiError::invalid("holder: missing").into_response();
    };
    match release_reply(&app, Op::ForceRelease { holder }).await {
        Ok(_) => see_other("/"),
        Err(e) => e.into_response(),
    }
}

/// `POST /logout`.
async fn logout(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    match session_form(&app, &headers, &body) {
        Ok((token, _)) => {
            app.sessions.remove(&token);
            let mut resp = see_other("/login");
            resp.headers_mut().append(
                header::SET_COOKIE,
                web::set_cookie(&app.web, web::SESSION_COOKIE, "", 0),
            );
            resp
        }
        Err(e) => e.into_response(),
    }
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take this method; see docs/SERVER.md for the API",
    )
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

/// Every request: `Host` must name this server; a `POST` to the JSON API must be
/// `application/json` and, when it carries an `Origin`, come from the server's own; a form
/// post (`/login`, `/release`, `/logout`) must be urlencoded and carry exactly the server's
/// own `Origin`. Every answer gets the page-protection headers. See [`crate::web`].
async fn browser_guard(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let refused = (|| {
        check_head(&req)?;
        let headers = req.headers();
        app.web
            .host_allowed(headers)
            .map_err(|m| ApiError::new(StatusCode::MISDIRECTED_REQUEST, "host_not_allowed", m))?;
        if req.method() != axum::http::Method::POST {
            return Ok(());
        }
        let api = req.uri().path().starts_with("/v1/");
        app.web
            .origin_allowed(headers, !api)
            .map_err(|m| ApiError::new(StatusCode::FORBIDDEN, "cross_origin", m))?;
        if api && !web::is_json(headers) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        if !api && !web::is_form(headers) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "this form takes `application/x-www-form-urlencoded`",
            ));
        }
        Ok(())
    })();
    let mut resp = match refused {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    };
    http_guard::web::protect(resp.headers_mut(), app.web.tls());
    resp
}

/// The bounds on a request's head (414 and 431 beyond), `http_guard`'s.
pub use http_guard::web::{MAX_HEADER_BYTES, MAX_HEADERS, MAX_URI_BYTES};

/// Refuse oversized request targets and headers with a JSON answer, well below hyper's own
/// parse limits (whose answers have no body).
fn check_head(req: &Request) -> Result<(), ApiError> {
    http_guard::web::check_head(req).map_err(|(status, code, message)| ApiError::new(status, code, message))
}

/// Every error answer is JSON: the answers of the HTTP layers (405 from routing, 408 from
/// the timeout, 413 from the body limit, ...) that are not are replaced by
/// `{"error","message"}` for their status. Pages (`text/html`) stay as they are.
async fn json_errors(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    match http_guard::web::http_layer_error(resp.status(), resp.headers(), "docs/SERVER.md") {
        None => resp,
        Some((code, message)) => {
            let mut out = ApiError::new(resp.status(), code, message).into_response();
            for (k, v) in resp.headers() {
                if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
                    out.headers_mut().insert(k.clone(), v.clone());
                }
            }
            out
        }
    }
}

/// The routes with their layers.
pub fn router(app: Arc<App>) -> Router {
    let limits = app.limits;
    Router::new()
        .route("/", get(dashboard_page))
        .route("/login", get(login_get).post(login_post))
        .route("/logout", post(logout))
        .route("/release", post(release_form))
        .route("/v1/status", get(status))
        .route("/v1/leases/acquire", post(acquire))
        .route("/v1/leases/borrow", post(borrow))
        .route("/v1/leases/heartbeat", post(heartbeat))
        .route("/v1/leases/release", post(release))
        .route("/v1/leases/check", post(check))
        .route("/v1/admin/status", get(admin_status))
        .route("/v1/admin/holders", get(admin_holders))
        .route("/v1/admin/release", post(admin_release))
        .route("/v1/admin/audit", get(admin_audit))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), rate_limit))
        .layer(middleware::from_fn_with_state(app.clone(), browser_guard))
        .layer(RequestBodyLimitLayer::new(limits.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(middleware::from_fn(json_errors))
        .with_state(app)
}

/// Serve on `listener` until `shutdown` resolves; TLS when `tls` is given. Connections are
/// bounded by `app`'s [`ConnLimits`] (`crate::conn`) before any byte of HTTP is read.
pub async fn serve(
    listener: std::net::TcpListener,
    app: Arc<App>,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let conn_limits = app.limits.connections;
    let service = router(app).into_make_service_with_connect_info::<SocketAddr>();
    http_guard::serve::serve(listener, service, conn_limits, tls, shutdown)
        .await
        .map_err(|e| Error::Config(format!("cannot serve: {e}")))
}
