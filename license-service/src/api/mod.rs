//! The HTTP layer: the routes (one table, [`routes`], which the router, the permission
//! matrix test and the OpenAPI document all read), the guards every request passes
//! (`http-guard`: Host, Origin, JSON only, head sizes, page-protection headers, JSON error
//! bodies; the body limit and the request timeout), and the authorization that runs
//! before every handler: the caller (a session cookie or an API token) and its cell of
//! the permission matrix.

pub mod accounts;
pub mod app;
pub mod caller;
pub mod licenses;
pub mod openapi;
pub mod reports;
pub mod resellers;
pub mod route;
pub mod serve;
pub mod tickets;
pub mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http_guard::web as guard;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::ApiError;
use crate::issuers::Issuers;
use app::{App, MAX_BODY, blocking};
pub use route::Route;
use route::r;

/// Every route of the service.
pub fn routes<I: Issuers>() -> Vec<Route<I>> {
    use accounts as a;
    use licenses as l;
    let mut v = vec![
        r(
            Method::POST,
            "/api/v1/register",
            "register a company and its administrator",
            post(a::register::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/confirm",
            "confirm an address with the mailed token",
            post(a::confirm::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/login",
            "log in: a session cookie and its CSRF token",
            post(a::login::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/password/forgot",
            "mail a password-reset token",
            post(a::forgot::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/password/reset",
            "set a password with a mailed token",
            post(a::reset::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/openapi.json",
            "this API as OpenAPI 3.1",
            get(openapi_document::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/logout",
            "end the session",
            post(a::logout::<I>),
        ),
        r(Method::GET, "/api/v1/me", "who is calling", get(a::me)),
        r(
            Method::GET,
            "/api/v1/users",
            "the users of the caller's organisation",
            get(a::users::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/users",
            "add a user with rights at most the caller's",
            post(a::add_user::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/tokens",
            "the organisation's API tokens",
            get(a::tokens::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/tokens",
            "a new scoped API token, shown once",
            post(a::create_token::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/tokens/{id}/revoke",
            "revoke an API token",
            post(a::revoke_token::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/companies",
            "the customer companies",
            get(a::companies::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/resellers",
            "the resellers and their frames",
            get(a::resellers::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/resellers",
            "a reseller with its frame and administrator",
            post(a::add_reseller::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/licenses",
            "the licenses the caller may see",
            get(l::list::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses",
            "a new license",
            post(l::create::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/licenses/{id}",
            "a license: code in force, scope, pending, history",
            get(l::show::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses/{id}/upgrade",
            "an additional order, effective at once",
            post(l::upgrade::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses/{id}/reduce",
            "a reduction at its effective day",
            post(l::reduce::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses/{id}/renew",
            "the next term's code",
            post(l::renew::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses/{id}/revoke",
            "recall a license",
            post(l::revoke::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses/{id}/withdraw",
            "withdraw the pending reduction",
            post(l::withdraw::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses/{id}/cancel",
            "cancel a subscription",
            post(l::cancel::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses/{id}/maintenance",
            "a maintenance pack for the server or the site",
            post(l::maintenance::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses/{id}/activate",
            "bind to a database code or fingerprint; move, recover",
            post(l::activate::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/licenses/{id}/transfer",
            "transfer to the end customer",
            post(l::transfer::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/licenses/{id}/file",
            "the license file to download",
            get(l::file::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/revocations/{product}",
            "publish the product's signed revocation list",
            post(l::publish_revocations::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/orders",
            "any order of the library, as data",
            post(l::order::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/trials",
            "the company's trial of a product (one each)",
            post(l::trial::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/erasures",
            "GDPR erasure of a licensee's personal data",
            post(a::erase::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/audit",
            "the audit log, newest first",
            get(a::audit::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/reports/active",
            "subscriptions active on a day",
            get(l::active::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/reports/pro-rata",
            "subscriptions pro rata in a month",
            get(l::pro_rata::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/reports/notices",
            "renewal notices due today",
            get(l::notices::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/reports/renewals",
            "renewals due without a code",
            get(l::renewals::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/reports/issued",
            "licenses issued in a month (JSON or CSV)",
            get(l::issued::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/resellers/{id}/certify",
            "certify a reseller for a product with a frame (its key kept here, or its own)",
            post(resellers::certify::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/resellers/{id}/narrow",
            "narrow a reseller's frame (a new certificate inside the old)",
            post(resellers::narrow::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/resellers/{id}/revoke",
            "revoke a reseller's certificate for a product",
            post(resellers::revoke::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/resellers/{id}/imports",
            "import a reseller's monthly export (every code verified)",
            post(resellers::import::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/tickets",
            "create a pool of tickets for a reseller",
            post(tickets::create::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/tickets",
            "the tickets the caller's organisation holds",
            get(tickets::list::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/tickets/pass-on",
            "pass tickets on to a sub-reseller",
            post(tickets::pass_on::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/tickets/redeem",
            "redeem a ticket for the company's installation",
            post(tickets::redeem::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/reports/invoice",
            "the invoice basis per reseller in a month (JSON or CSV)",
            get(reports::invoice::<I>),
        ),
        r(
            Method::GET,
            "/api/v1/webhooks",
            "the organisation's webhook endpoints",
            get(webhooks::list::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/webhooks",
            "register a webhook endpoint; its secret shown once",
            post(webhooks::create::<I>),
        ),
        r(
            Method::POST,
            "/api/v1/webhooks/{id}/remove",
            "remove a webhook endpoint",
            post(webhooks::remove::<I>),
        ),
    ];
    v.extend(crate::portal::routes::<I>());
    v
}

/// Every request: the head's size, `Host`, and for every state change (`POST`) a JSON
/// body and, when it carries an `Origin`, the service's own. Every answer gets the
/// page-protection headers.
async fn browser_guard<I: Issuers>(State(app): State<Arc<App<I>>>, req: Request, next: Next) -> Response {
    let web = &app.settings.web;
    let portal = crate::portal::is_portal(req.uri().path());
    let refused = (|| {
        guard::check_head(&req).map_err(|(s, k, m)| ApiError::new(s, k, m))?;
        let headers = req.headers();
        web.host_allowed(headers)
            .map_err(|m| ApiError::new(StatusCode::MISDIRECTED_REQUEST, "host_not_allowed", m))?;
        if req.method() == Method::GET || req.method() == Method::HEAD {
            return Ok(());
        }
        let empty = headers
            .get(axum::http::header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() == b"0");
        if portal {
            // The portal's forms: the service's own Origin on every post (browsers send
            // it with form posts), an urlencoded body.
            web.origin_allowed(headers, true)
                .map_err(|m| ApiError::new(StatusCode::FORBIDDEN, "cross_origin", m))?;
            if !guard::is_form(headers) && !empty {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "the portal's forms are sent as application/x-www-form-urlencoded",
                ));
            }
            return Ok(());
        }
        web.origin_allowed(headers, false)
            .map_err(|m| ApiError::new(StatusCode::FORBIDDEN, "cross_origin", m))?;
        if !guard::is_json(headers) && !empty {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        Ok(())
    })();
    let mut resp = match refused {
        Ok(()) => next.run(req).await,
        Err(e) if portal => crate::portal::refusal_page(req.headers(), req.uri().path(), &e),
        Err(e) => e.into_response(),
    };
    guard::protect(resp.headers_mut(), web.tls());
    if portal {
        crate::portal::protect(resp.headers_mut());
    }
    resp
}

/// The HTTP layers' own error answers (405, 408, 413, ...) as JSON errors.
async fn json_errors(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    match guard::http_layer_error(resp.status(), resp.headers(), "docs/SERVICE.md") {
        None => resp,
        Some((kind, message)) => {
            let mut out = ApiError::new(resp.status(), kind, message).into_response();
            for (k, v) in resp.headers() {
                if k != axum::http::header::CONTENT_TYPE && k != axum::http::header::CONTENT_LENGTH {
                    out.headers_mut().insert(k.clone(), v.clone());
                }
            }
            out
        }
    }
}

/// Before every handler: who calls (a session cookie, or `Authorization: Bearer` with an
/// API token; neither is anonymous), its cell of the permission matrix for this route,
/// and for a session's state changes its CSRF token. The handler gets the [`Caller`].
async fn authorize<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    matched: MatchedPath,
    mut req: Request,
    next: Next,
) -> Response {
    let route = format!("{} {}", req.method(), matched.as_str());
    let headers = req.headers().clone();
    let post = req.method() == Method::POST;
    let now = u64::try_from(crate::clock::now_ms()).unwrap_or(0);
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    if let Some(peer) = &peer
        && let Err(wait) = app.settings.rate_per_address.check(peer, now)
    {
        return rate_limited("this address", wait);
    }
    let portal = crate::portal::is_portal(matched.as_str());
    // A portal form carries the session's CSRF token in its `csrf` field: read the body
    // (bounded) for it, and hand the same bytes on to the handler.
    let mut form_csrf = None;
    if portal && post {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
            Ok(b) => b,
            Err(_) => {
                let e = ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "the form is too large",
                );
                return crate::portal::refusal_page(&headers, parts.uri.path(), &e);
            }
        };
        form_csrf = Some(
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .ok()
                .and_then(|f| f.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v))
                .unwrap_or_default(),
        );
        req = Request::from_parts(parts, axum::body::Body::from(bytes));
    }
    let path = req.uri().path().to_owned();
    let h2 = headers.clone();
    let resolved = blocking(&app, move |app| match form_csrf {
        Some(sent) => caller::resolve_sent(app, &h2, &route, Some(&sent)),
        None => caller::resolve(app, &h2, &route, post),
    })
    .await;
    let caller = match resolved {
        Ok(c) => c,
        Err(e) if portal => return crate::portal::refusal_page(&headers, &path, &e),
        Err(e) => return e.into_response(),
    };
    if !matches!(caller.actor, caller::Actor::Anonymous)
        && let Err(wait) = app.settings.rate_per_account.check(&caller.actor_name(), now)
    {
        return rate_limited("this account", wait);
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// `429 rate_limited` with `Retry-After`.
fn rate_limited(who: &str, wait_secs: u64) -> Response {
    let mut resp = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("too many requests from {who}: try again in {wait_secs} s"),
    )
    .into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&wait_secs.to_string()) {
        resp.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
    }
    resp
}

/// The service's routes over `app`, with every guard.
pub fn router<I: Issuers>(app: Arc<App<I>>) -> Router {
    let mut router = Router::new();
    for route in routes::<I>() {
        router = router.route(route.path, route.handler);
    }
    router
        .route_layer(middleware::from_fn_with_state(app.clone(), authorize::<I>))
        .fallback(|| async {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "no_such_route",
                "no such route: see docs/SERVICE.md or GET /api/v1/openapi.json",
            )
        })
        .layer(middleware::from_fn_with_state(app.clone(), browser_guard::<I>))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            app.settings.request_timeout,
        ))
        .layer(middleware::from_fn(json_errors))
        .with_state(app)
}

/// `GET /api/v1/openapi.json`: generated from [`routes`] and the matrix.
async fn openapi_document<I: Issuers>(State(app): State<Arc<App<I>>>) -> Json<serde_json::Value> {
    let table: Vec<(String, &'static str, &'static str)> = routes::<I>()
        .iter()
        .map(|r| (r.method.to_string(), r.path, r.summary))
        .collect();
    Json(openapi::build(&table, &app.matrix))
}
