//! The license portal (issue 22): the HTML face of the service. The same routes table,
//! sessions, CSRF tokens, permission matrix and Origin check as the JSON API, and the same
//! steps (`crate::ops`), rendered as server-side pages (askama templates in `templates/`)
//! that work without JavaScript. Forms post urlencoded with the session's CSRF token in a
//! `csrf` field (checked before the handler runs, as the API checks `X-CSRF-Token`); every
//! portal post must carry the service's own `Origin`. The pages' CSP allows no script and
//! styles only from the service (`/portal/static/portal.css`).
//!
//! Texts in English and German from one catalog ([`i18n`]), in the user's language.

mod change;
mod customer;
mod error_texts;
pub mod i18n;
pub mod page;
mod pages;
mod paging;
mod reports;
mod reseller;
pub mod respond;
mod vendor;
pub mod view;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

use crate::api::route::{Route, r};
use crate::error::ApiError;
use crate::issuers::Issuers;
pub use respond::{CSS, LANG_COOKIE, PAGE_SIZE, html, lang_of};

/// The pages' Content-Security-Policy: no script at all, styles from the service only.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/// Whether a path is the portal's.
pub fn is_portal(path: &str) -> bool {
    path == "/portal" || path.starts_with("/portal/")
}

/// The portal's routes (added to the service's one table, so the permission matrix covers
/// them).
pub fn routes<I: Issuers>() -> Vec<Route<I>> {
    use axum::http::Method;
    use axum::routing::{get, post};
    use pages as p;
    let mut all = vec![
        r(
            Method::GET,
            "/portal/static/portal.css",
            "the portal's style sheet",
            get(p::css),
        ),
        r(
            Method::GET,
            "/portal/login",
            "page: the login form",
            get(p::login_form),
        ),
        r(Method::POST, "/portal/login", "page: log in", post(p::login::<I>)),
        r(
            Method::POST,
            "/portal/logout",
            "page: log out",
            post(p::logout::<I>),
        ),
        r(
            Method::POST,
            "/portal/language",
            "page: switch the language",
            post(p::language::<I>),
        ),
        r(
            Method::GET,
            "/portal/register",
            "page: the registration form",
            get(p::register_form),
        ),
        r(
            Method::POST,
            "/portal/register",
            "page: register a company",
            post(p::register::<I>),
        ),
        r(
            Method::GET,
            "/portal/confirm",
            "page: the mailed confirmation link lands here",
            get(p::confirm_form),
        ),
        r(
            Method::POST,
            "/portal/confirm",
            "page: confirm the address",
            post(p::confirm::<I>),
        ),
        r(
            Method::GET,
            "/portal/password/forgot",
            "page: ask for a password reset link",
            get(p::forgot_form),
        ),
        r(
            Method::POST,
            "/portal/password/forgot",
            "page: mail a reset link (the same answer for any address)",
            post(p::forgot::<I>),
        ),
        r(
            Method::GET,
            "/portal/password/reset",
            "page: the mailed reset link lands here",
            get(p::reset_form),
        ),
        r(
            Method::POST,
            "/portal/password/reset",
            "page: set a new password",
            post(p::reset::<I>),
        ),
        r(
            Method::GET,
            "/portal/licenses",
            "page: the licenses, paged and searchable",
            get(p::licenses::<I>),
        ),
        r(
            Method::GET,
            "/portal/licenses/new",
            "page: create a license (a reseller inside its frame)",
            get(p::new_license_form::<I>),
        ),
        r(
            Method::POST,
            "/portal/licenses/new",
            "page: create a license",
            post(p::new_license::<I>),
        ),
        r(
            Method::GET,
            "/portal/licenses/{id}",
            "page: a license",
            get(p::license::<I>),
        ),
        r(
            Method::POST,
            "/portal/licenses/{id}/activate",
            "page: activate with a database code",
            post(p::activate::<I>),
        ),
        r(
            Method::POST,
            "/portal/licenses/{id}/upgrade",
            "page: order more users, modules",
            post(p::upgrade::<I>),
        ),
        r(
            Method::POST,
            "/portal/licenses/{id}/reduce",
            "page: a reduction, its effective day shown first",
            post(p::reduce::<I>),
        ),
        r(
            Method::POST,
            "/portal/licenses/{id}/withdraw",
            "page: withdraw the pending reduction",
            post(p::withdraw::<I>),
        ),
        r(
            Method::GET,
            "/portal/trial",
            "page: the trial form",
            get(p::trial_form::<I>),
        ),
        r(
            Method::POST,
            "/portal/trial",
            "page: start a trial",
            post(p::trial::<I>),
        ),
    ];
    // The pages by audience add their routes here, each folder its own `routes()`.
    all.extend(customer::routes());
    all.extend(reseller::routes());
    all.extend(vendor::routes());
    all.extend(reports::routes());
    all
}

/// A refusal before the handler (no session, the matrix, the CSRF token, the Origin) as a
/// page, with its status.
pub fn refusal_page(headers: &HeaderMap, path: &str, e: &ApiError) -> Response {
    let lang = lang_of(headers, None);
    page::error_page(page::Chrome::anonymous(lang, path), e)
}

/// The portal's CSP on an answer (after the service's headers, which it replaces).
pub fn protect(headers: &mut HeaderMap) {
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
}
