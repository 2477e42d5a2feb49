//! Accounts: registration, address confirmation, login (Argon2id, throttling per account
//! and per address, TOTP for the vendor's roles, a fresh session each time), logout,
//! password reset, users and their rights, API tokens, companies and resellers, the
//! audit log.

use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_guard::web as guard;
use serde::Deserialize;
use serde_json::{Value, json};

use super::app::{App, SESSION_COOKIE, blocking, body_of, parse};
use super::caller::{Actor, Caller};
use crate::auth::{password, secret, totp};
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::accounts::{self as ops, check_email, check_name};
use crate::ops::users as users_ops;
use crate::rights::{OrgKind, Rights};
use crate::store::audit::{AuditAction, AuditSearch};
use crate::store::{TokenInfo, User};

/// The scopes an API token may carry.
pub const SCOPES: [&str; 4] = ["orders", "reports", "audit", "tickets"];

const ACCEPTED: &str = "if the address can be used, a message with a link is on its way; check the mailbox";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Register {
    company: String,
    email: String,
    password: String,
    /// `en` (the default) or `de`: the administrator's pages and mails.
    #[serde(default)]
    language: Option<String>,
}

/// `POST /api/v1/register`: a company and its first user, its administrator. The answer
/// is the same whether the address has an account or not (the address's owner is told by
/// mail instead).
pub(crate) async fn register<I: Issuers>(State(app): State<Arc<App<I>>>, body: Bytes) -> ApiResult<Response> {
    let r: Register = parse(&body)?;
    let language = match r.language.as_deref() {
        Some(code) => ops::check_language(code)?,
        None => license_notify::Language::En,
    };
    ops::register(&app, r.company, r.email, r.password, language).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "status": ACCEPTED }))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    token: String,
}

/// `POST /api/v1/confirm`: confirm an address with its mailed single-use token.
pub(crate) async fn confirm<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let t: TokenBody = parse(&body)?;
    ops::confirm(&app, t.token).await?;
    Ok(Json(json!({"confirmed": true})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    email: String,
    password: String,
    #[serde(default)]
    totp: Option<String>,
}

/// `POST /api/v1/login`: a new session (any session the request carried is ended: the
/// session is rotated at every login). Failures are counted per account and per address;
/// over the bound, logins are refused for the window. The vendor's roles need the TOTP
/// code too.
pub(crate) async fn login<I: Issuers>(State(app): State<Arc<App<I>>>, req: Request) -> ApiResult<Response> {
    let old = guard::cookie(req.headers(), SESSION_COOKIE).map(str::to_owned);
    let (_, peer, body) = body_of(req).await?;
    let peer = peer.map_or_else(|| "unknown".to_owned(), |p| p.ip().to_string());
    let l: Login = parse(&body)?;
    let (session, csrf, user) = ops::login(
        &app,
        ops::LoginRequest {
            email: l.email,
            password: l.password,
            totp: l.totp,
            peer,
            old_session: old,
        },
    )
    .await?;
    let cookie = guard::set_cookie(
        &app.settings.web,
        SESSION_COOKIE,
        &session,
        app.settings.session_ms / 1000,
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(json!({"csrf": csrf, "role": user.role(), "user_id": user.id, "org_id": user.org_id})),
    )
        .into_response())
}

/// `POST /api/v1/logout`: end the session; its cookie is worth nothing afterwards.
pub(crate) async fn logout<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
) -> ApiResult<Response> {
    let Actor::User { session, user, .. } = c.actor else {
        return Err(ApiError::unauthenticated());
    };
    ops::logout(&app, session, user).await?;
    let cookie = guard::set_cookie(&app.settings.web, SESSION_COOKIE, "", 0);
    Ok(([(header::SET_COOKIE, cookie)], Json(json!({"logged_out": true}))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Forgot {
    email: String,
}

/// `POST /api/v1/password/forgot`: mail a single-use reset token if the address has an
/// account; the same answer either way.
pub(crate) async fn forgot<I: Issuers>(State(app): State<Arc<App<I>>>, body: Bytes) -> ApiResult<Response> {
    let f: Forgot = parse(&body)?;
    ops::forgot(&app, f.email).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "status": ACCEPTED }))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reset {
    token: String,
    password: String,
}

/// `POST /api/v1/password/reset`: a new password with a mailed single-use token (it also
/// confirms the address, and ends every session of the account).
pub(crate) async fn reset<I: Issuers>(State(app): State<Arc<App<I>>>, body: Bytes) -> ApiResult<Json<Value>> {
    let r: Reset = parse(&body)?;
    ops::reset(&app, r.token, r.password).await?;
    Ok(Json(json!({"password_set": true})))
}

fn user_json(u: &User) -> Value {
    json!({"id": u.id, "email": u.email, "role": u.role(), "confirmed": u.confirmed, "rights": u.rights, "org_id": u.org_id})
}

/// `GET /api/v1/me`.
pub(crate) async fn me(Extension(c): Extension<Caller>) -> ApiResult<Json<Value>> {
    Ok(Json(match &c.actor {
        Actor::User { user, .. } => user_json(user),
        Actor::Token { info, kind } => json!({"token": info, "org_kind": kind}),
        Actor::Anonymous => return Err(ApiError::unauthenticated()),
    }))
}

fn org_of(c: &Caller) -> ApiResult<(i64, OrgKind)> {
    users_ops::org_of(c)
}

/// `GET /api/v1/users`: the users of the caller's organisation.
pub(crate) async fn users<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
) -> ApiResult<Json<Value>> {
    let users = users_ops::list(&app, &c).await?;
    Ok(Json(
        json!({"users": users.iter().map(user_json).collect::<Vec<_>>()}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUser {
    email: String,
    #[serde(default)]
    admin: bool,
    #[serde(default)]
    rights: Rights,
}

/// `POST /api/v1/users`: an administrator adds a user to its organisation with rights at
/// most its own (a reseller user's frame inside the reseller's). The user gets a mailed
/// token to set its password; a vendor user also a TOTP secret, shown once here.
pub(crate) async fn add_user<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Response> {
    let n: NewUser = parse(&body)?;
    let (id, totp_secret) = users_ops::add(
        &app,
        &c,
        users_ops::NewUser {
            email: n.email,
            admin: n.admin,
            rights: n.rights,
        },
    )
    .await?;
    let mut out = json!({"id": id});
    if !totp_secret.is_empty() {
        out["totp_secret"] = json!(totp_secret);
        out["totp_uri"] = json!(totp::uri(&totp_secret, "user"));
    }
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// `GET /api/v1/tokens`.
pub(crate) async fn tokens<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
) -> ApiResult<Json<Value>> {
    let (org, _) = org_of(&c)?;
    blocking(&app, move |app| {
        let t: Vec<TokenInfo> = app.store.tokens_of(org)?;
        Ok(Json(json!({ "tokens": t })))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    name: String,
    scopes: Vec<String>,
}

/// `POST /api/v1/tokens`: a token for machines (an ERP, a shop), with scopes; the token is
/// in this answer only (the service keeps its SHA-256).
pub(crate) async fn create_token<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Response> {
    let (org, _) = org_of(&c)?;
    let t: NewToken = parse(&body)?;
    check_name("name", &t.name)?;
    if let Some(bad) = t.scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        return Err(ApiError::field(
            "scopes",
            format!("unknown scope {bad:?}; the scopes are {}", SCOPES.join(", ")),
        ));
    }
    let actor = c.actor_name();
    let (id, token) = blocking(&app, move |app| {
        let (id, token) = app.store.create_token(org, t.name.trim(), &t.scopes)?;
        app.store
            .audit(&actor, org, AuditAction::CreateToken, &format!("token:{id}"))?;
        Ok((id, token))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "token": token}))).into_response())
}

/// `POST /api/v1/tokens/{id}/revoke`.
pub(crate) async fn revoke_token<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    id: Result<Path<i64>, PathRejection>,
) -> ApiResult<Json<Value>> {
    let (org, _) = org_of(&c)?;
    let Path(id) = id.map_err(|r| ApiError::new(StatusCode::BAD_REQUEST, "bad_path", r.body_text()))?;
    let actor = c.actor_name();
    blocking(&app, move |app| {
        if !app.store.revoke_token(org, id)? {
            return Err(ApiError::not_found("token"));
        }
        app.store
            .audit(&actor, org, AuditAction::RevokeToken, &format!("token:{id}"))?;
        Ok(Json(json!({"revoked": true})))
    })
    .await
}

/// `GET /api/v1/companies`.
pub(crate) async fn companies<I: Issuers>(State(app): State<Arc<App<I>>>) -> ApiResult<Json<Value>> {
    blocking(&app, |app| {
        Ok(Json(json!({"companies": app.store.orgs(OrgKind::Company)?})))
    })
    .await
}

/// `GET /api/v1/resellers`.
pub(crate) async fn resellers<I: Issuers>(State(app): State<Arc<App<I>>>) -> ApiResult<Json<Value>> {
    blocking(&app, |app| {
        Ok(Json(json!({"resellers": app.store.orgs(OrgKind::Reseller)?})))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewReseller {
    name: String,
    frame: license_core::Frame,
    admin_email: String,
}

/// `POST /api/v1/resellers`: the vendor's administrator certifies a reseller's frame (the
/// library's `Frame`) and names its administrator, who gets a mailed token.
pub(crate) async fn add_reseller<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Response> {
    let n: NewReseller = parse(&body)?;
    check_name("name", &n.name)?;
    check_email(&n.admin_email)?;
    if license_core::ResellerName::new(n.name.trim()).is_err() {
        return Err(ApiError::field("name", "a reseller's name has 1 to 32 bytes"));
    }
    let actor = c.actor_name();
    let id = blocking(&app, move |app| {
        let frame = serde_json::to_string(&n.frame).map_err(|e| ApiError::internal(e.to_string()))?;
        let unusable = password::hash(&secret::token("")?)?;
        let (org, user) = app
            .store
            .create_org_with_admin(
                OrgKind::Reseller,
                n.name.trim(),
                &frame,
                &n.admin_email,
                &unusable,
                &Rights::default(),
            )?
            .ok_or_else(|| ApiError::new(StatusCode::CONFLICT, "duplicate", "that address has an account"))?;
        ops::invite(app, c.user(), user, &n.admin_email)?;
        app.store.audit(
            &actor,
            app.vendor_org,
            AuditAction::AddReseller,
            &format!("org:{org}"),
        )?;
        Ok(org)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    before: Option<i64>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    actor: Option<String>,
}

/// `GET /api/v1/audit?limit=N&before=ID&action=A&actor=TEXT`: the newest lines (at most
/// 1,000 per call), of one action and of actors containing `actor` if given. The answer's
/// `next_before` reads the next older page (`null` once a page comes back short), so a
/// client walks the whole log however long it is.
pub(crate) async fn audit<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = q.map_err(|e| ApiError::field("limit", e.body_text()))?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let search = AuditSearch {
        action: q.action.as_deref().map(audit_action).transpose()?,
        actor: q.actor.unwrap_or_default().chars().take(100).collect(),
        before: q.before,
    };
    blocking(&app, move |app| {
        let (lines, _) = app.store.audit_search(&search, 0, limit, false)?;
        let full = i64::try_from(lines.len()).unwrap_or(i64::MAX) == limit;
        let next_before = lines.last().filter(|_| full).map(|l| l.id);
        Ok(Json(json!({"audit": lines, "next_before": next_before})))
    })
    .await
}

/// The action a query names, or a field error listing the actions there are.
fn audit_action(name: &str) -> ApiResult<AuditAction> {
    AuditAction::parse(name.trim()).ok_or_else(|| {
        let names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        ApiError::field(
            "action",
            format!("no such action {name:?}; the log knows {}", names.join(", ")),
        )
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Erasure {
    licensee: String,
}

/// `POST /api/v1/erasures` with `{"licensee": ...}`: GDPR erasure of a licensee's personal
/// data in the ledger (the library's `Ledger::erase_licensee` with a random pseudonym); the
/// codes stay verifiable, re-signing them needs the name again.
pub(crate) async fn erase<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let e: Erasure = parse(&body)?;
    crate::ops::erasure::check(&e.licensee)?;
    let actor = c.actor_name();
    let org = c.org().map_or(0, |o| o.0);
    blocking(&app, move |app| {
        let out = crate::ops::erasure::erase(app, &actor, org, &e.licensee)?;
        Ok(Json(
            json!({"records_changed": out.records, "pseudonym": out.pseudonym}),
        ))
    })
    .await
}
