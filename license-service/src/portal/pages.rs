//! The portal's handlers: each parses the form or query, calls the step the JSON API calls
//! (`crate::ops`, the library), and renders a page (or redirects after a change, so a
//! reload never repeats an order).

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use http_guard::web as guard;
use license_issue::{BindTo, Catalog, Change, Error, LicenseHistory, Order, OrderError};
use serde::Deserialize;

use super::change::{OnLicense, authorized, done, read_database_code, typed_groups};
use super::i18n::Lang;
use super::page::{Chrome, Form, Refusal, error_page, error_text, message, parse_id, render, see_other};
use super::paging::{self, Pager};
use super::respond::{LANG_COOKIE, PAGE_SIZE, lang_of};
use super::view::{self, LicenseView, license_view};
use crate::api::app::{App, SESSION_COOKIE, blocking, body_of};
use crate::api::caller::{Actor, Caller};
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::{accounts as acct, licenses as lic};
use crate::permissions::Cell;
use crate::rights::OrgKind;
use crate::store::audit::AuditAction;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    email: String,
    error: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    c: Chrome,
    company: String,
    email: String,
    error: String,
    field: String,
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    c: Chrome,
    token: String,
    error: String,
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    c: Chrome,
    email: String,
    error: String,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    c: Chrome,
    token: String,
    error: String,
    field: String,
}

/// A row of the license list.
struct Row {
    id: u32,
    product: String,
    kind: String,
    users: String,
    last_day: String,
    status: String,
}

#[derive(Template)]
#[template(path = "licenses.html")]
struct LicensesPage {
    c: Chrome,
    q: String,
    /// The vendor's company filter, kept by the search form ("" for none).
    company: String,
    count: String,
    rows: Vec<Row>,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "license.html")]
struct LicensePage {
    c: Chrome,
    v: LicenseView,
    notice: String,
    may_order: bool,
    users_label: String,
    activate_value: String,
    activate_error: String,
    groups: Vec<(String, bool)>,
    edit_error: String,
    reduce_error: String,
}

#[derive(Template)]
#[template(path = "reduce.html")]
struct ReducePage {
    c: Chrome,
    id: u32,
    text: String,
    named_users: String,
    remove: Vec<String>,
}

#[derive(Template)]
#[template(path = "trial.html")]
struct TrialPage {
    c: Chrome,
    products: Vec<(String, String)>,
    error: String,
}

/// `GET /portal/static/portal.css`.
pub(super) async fn css() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        )],
        super::respond::CSS,
    )
        .into_response()
}

/// `GET /portal/login`.
pub(super) async fn login_form(Extension(c): Extension<Caller>, headers: HeaderMap) -> Response {
    if c.user().is_some() {
        return see_other("/portal/licenses");
    }
    let ch = Chrome::of(&c, &headers, "/portal/login");
    let title = ch.lang.t("login.title").to_owned();
    render(
        StatusCode::OK,
        &LoginPage {
            c: ch.titled(title),
            email: String::new(),
            error: String::new(),
        },
    )
}

/// `POST /portal/login`: the API's login step; the session cookie as the API sets it.
pub(super) async fn login<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    req: Request,
) -> Response {
    let (headers, peer, body) = match body_of(req).await {
        Ok(x) => x,
        Err(e) => return error_page(Chrome::of(&c, &HeaderMap::new(), "/portal/login"), &e),
    };
    let ch = Chrome::of(&c, &headers, "/portal/login");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    let totp = Some(f.get("totp")).filter(|t| !t.trim().is_empty());
    let result = acct::login(
        &app,
        acct::LoginRequest {
            email: f.get("email"),
            password: f.get("password"),
            totp,
            peer: peer.map_or_else(|| "unknown".to_owned(), |p| p.ip().to_string()),
            old_session: guard::cookie(&headers, SESSION_COOKIE).map(str::to_owned),
        },
    )
    .await;
    match result {
        Ok((session, _csrf, _user)) => {
            let cookie = guard::set_cookie(
                &app.settings.web,
                SESSION_COOKIE,
                &session,
                app.settings.session_ms / 1000,
            );
            ([(header::SET_COOKIE, cookie)], Redirect::to("/portal/licenses")).into_response()
        }
        Err(e) => {
            let title = ch.lang.t("login.title").to_owned();
            let error = error_text(ch.lang, &e);
            render(
                e.status,
                &LoginPage {
                    c: ch.titled(title),
                    email: f.get("email"),
                    error,
                },
            )
        }
    }
}

/// `POST /portal/logout`: the API's logout step; the cookie cleared.
pub(super) async fn logout<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
) -> Response {
    let Actor::User { session, user, .. } = c.actor.clone() else {
        return see_other("/portal/login");
    };
    if let Err(e) = acct::logout(&app, session, user).await {
        return error_page(Chrome::anonymous(Lang::En, "/portal/login"), &e);
    }
    let cookie = guard::set_cookie(&app.settings.web, SESSION_COOKIE, "", 0);
    ([(header::SET_COOKIE, cookie)], Redirect::to("/portal/login")).into_response()
}

/// Where the language switch may send the browser back to: a portal page of this service.
fn safe_back(back: &str) -> &str {
    let ok = back.starts_with("/portal/")
        && !back.contains("//")
        && !back.contains('\\')
        && back.chars().all(|c| c.is_ascii_graphic());
    if ok { back } else { "/portal/login" }
}

/// `POST /portal/language`: the user's language (stored with the account) and a cookie for
/// the pages before login.
pub(super) async fn language<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/login");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    let Some(lang) = Lang::parse(&f.get("lang")) else {
        return error_page(ch, &Refusal::of("lang").f("lang.unknown", &[]));
    };
    if let Some(user) = c.user() {
        let id = user.id;
        if let Err(e) = blocking(&app, move |app| Ok(app.store.set_language(id, lang.code())?)).await {
            return error_page(ch, &e);
        }
    }
    let cookie = guard::set_cookie(&app.settings.web, LANG_COOKIE, lang.code(), 365 * 86_400);
    let back = f.get("back");
    ([(header::SET_COOKIE, cookie)], Redirect::to(safe_back(&back))).into_response()
}

/// `GET /portal/register`.
pub(super) async fn register_form(Extension(c): Extension<Caller>, headers: HeaderMap) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/register");
    let title = ch.lang.t("register.title").to_owned();
    render(
        StatusCode::OK,
        &RegisterPage {
            c: ch.titled(title),
            company: String::new(),
            email: String::new(),
            error: String::new(),
            field: String::new(),
        },
    )
}

/// `POST /portal/register`: the API's registration step; the same answer whether the
/// address has an account or not.
pub(super) async fn register<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/register");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    let language = crate::notify::language_of(ch.lang.code());
    match acct::register(
        &app,
        f.get("company"),
        f.get("email"),
        f.get("password"),
        language,
    )
    .await
    {
        Ok(()) => {
            let lang = ch.lang;
            message(
                ch,
                StatusCode::OK,
                lang.t("register.sent.title"),
                lang.t("register.sent.text"),
                "/portal/login",
                lang.t("nav.login"),
            )
        }
        Err(e) => {
            let title = ch.lang.t("register.title").to_owned();
            let error = error_text(ch.lang, &e);
            render(
                e.status,
                &RegisterPage {
                    c: ch.titled(title),
                    company: f.get("company"),
                    email: f.get("email"),
                    error,
                    field: e.field.clone().unwrap_or_default(),
                },
            )
        }
    }
}

#[derive(Deserialize)]
pub(super) struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// `GET /portal/confirm?token=...`: where the mailed link lands; a button confirms (a GET
/// changes nothing, so a mail scanner opening the link confirms nothing).
pub(super) async fn confirm_form(
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<TokenQuery>, QueryRejection>,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/login");
    let title = ch.lang.t("confirm.title").to_owned();
    render(
        StatusCode::OK,
        &ConfirmPage {
            c: ch.titled(title),
            token: q.map(|Query(q)| q.token).unwrap_or_default(),
            error: String::new(),
        },
    )
}

/// `POST /portal/confirm`: the API's confirmation step.
pub(super) async fn confirm<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/login");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    match acct::confirm(&app, f.get("token")).await {
        Ok(()) => {
            let lang = ch.lang;
            message(
                ch,
                StatusCode::OK,
                lang.t("confirm.done.title"),
                lang.t("confirm.done.text"),
                "/portal/login",
                lang.t("nav.login"),
            )
        }
        Err(e) => {
            let title = ch.lang.t("confirm.title").to_owned();
            let error = error_text(ch.lang, &e);
            render(
                e.status,
                &ConfirmPage {
                    c: ch.titled(title),
                    token: f.get("token"),
                    error,
                },
            )
        }
    }
}

fn forgot_page(ch: Chrome, status: StatusCode, email: String, error: String) -> Response {
    let title = ch.lang.t("forgot.title").to_owned();
    render(
        status,
        &ForgotPage {
            c: ch.titled(title),
            email,
            error,
        },
    )
}

/// `GET /portal/password/forgot`: the form asking for the reset link.
pub(super) async fn forgot_form(Extension(c): Extension<Caller>, headers: HeaderMap) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/password/forgot");
    forgot_page(ch, StatusCode::OK, String::new(), String::new())
}

/// `POST /portal/password/forgot`: the API's step; the same page whether the address has
/// an account or not (only a text that is no address at all is sent back to the form).
pub(super) async fn forgot<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/password/forgot");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    match acct::forgot(&app, f.get("email")).await {
        Ok(()) => {
            let l = ch.lang;
            let (title, text) = (l.t("forgot.sent.title"), l.t("forgot.sent.text"));
            message(ch, StatusCode::OK, title, text, "/portal/login", l.t("nav.login"))
        }
        Err(e) => {
            let error = error_text(ch.lang, &e);
            forgot_page(ch, e.status, f.get("email"), error)
        }
    }
}

/// The reset page's own address with its token, so the language switch comes back to a
/// page that still carries it.
fn reset_here(token: &str) -> String {
    match serde_urlencoded::to_string([("token", token)]) {
        Ok(q) if !token.is_empty() => format!("/portal/password/reset?{q}"),
        _ => "/portal/password/reset".to_owned(),
    }
}

fn reset_page(ch: Chrome, status: StatusCode, token: String, error: String, field: &str) -> Response {
    let title = ch.lang.t("reset.title").to_owned();
    render(
        status,
        &ResetPage {
            c: ch.titled(title),
            token,
            error,
            field: field.to_owned(),
        },
    )
}

/// `GET /portal/password/reset?token=...`: where the mailed reset (or invitation) link
/// lands: the form for the new password, the token in a hidden field (a GET changes
/// nothing and does not use the token up).
pub(super) async fn reset_form(
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<TokenQuery>, QueryRejection>,
) -> Response {
    let token = q.map(|Query(q)| q.token).unwrap_or_default();
    let ch = Chrome::of(&c, &headers, &reset_here(&token));
    reset_page(ch, StatusCode::OK, token, String::new(), "")
}

/// `POST /portal/password/reset`: the API's step sets the password; the two fields must
/// agree first (the second one named when they do not); a token that cannot be used gives
/// a page saying so, with the way to a new one.
pub(super) async fn reset<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(Chrome::of(&c, &headers, "/portal/password/reset"), &e),
    };
    let (token, pass) = (f.get("token"), f.get("password"));
    let ch = Chrome::of(&c, &headers, &reset_here(&token));
    if pass != f.get("password2") {
        let label = ch.lang.t("reset.password2");
        let error = ch.lang.f("reset.mismatch", &[("field", label)]);
        return reset_page(ch, StatusCode::BAD_REQUEST, token, error, "password2");
    }
    match acct::reset(&app, token.clone(), pass).await {
        Ok(()) => {
            let l = ch.lang;
            let (title, text) = (l.t("reset.done.title"), l.t("reset.done.text"));
            message(ch, StatusCode::OK, title, text, "/portal/login", l.t("nav.login"))
        }
        Err(e) if e.kind == "invalid_token" => {
            let l = ch.lang;
            let (title, text) = (l.t("reset.invalid.title"), l.t("reset.invalid.text"));
            let link_text = l.t("reset.invalid.link");
            message(ch, e.status, title, text, "/portal/password/forgot", link_text)
        }
        Err(e) => {
            let error = error_text(ch.lang, &e);
            let field = e.field.clone().unwrap_or_default();
            reset_page(ch, e.status, token, error, &field)
        }
    }
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
    /// The vendor's filter: one customer company's licenses.
    #[serde(default)]
    company: Option<i64>,
}

/// `GET /portal/licenses?q=...&page=N`: the licenses the caller may see (the same as the
/// API's list), newest first, 20 a page, searchable by number or product.
pub(super) async fn licenses<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/licenses");
    let Query(q) = q.unwrap_or(Query(ListQuery {
        q: String::new(),
        page: None,
        company: None,
    }));
    let lang = ch.lang;
    let page = paging::page_or_first(q.page);
    let search = q.q.chars().take(100).collect::<String>();
    let today = (app.today)();
    let c2 = c.clone();
    let s2 = search.clone();
    let only = q.company.filter(|c| *c > 0);
    let result = blocking(&app, move |app| {
        let (company, reseller) = match c2.org() {
            Some((_, OrgKind::Vendor)) => (only.unwrap_or(0), 0),
            Some((org, OrgKind::Company)) => (org, 0),
            Some((org, OrgKind::Reseller)) => (0, org),
            None => return Err(ApiError::unauthenticated()),
        };
        let (total, ids) =
            app.store
                .license_page(company, reseller, &s2, paging::offset_of(page), PAGE_SIZE)?;
        let histories = app
            .issuers
            .with(|is| -> Result<Vec<(LicenseHistory, Option<Catalog>)>, Error> {
                ids.iter()
                    .map(|(id, product)| Ok((is.history(*id)?, is.catalogs().get(product).ok().cloned())))
                    .collect()
            })?;
        Ok((total, histories))
    })
    .await;
    let (total, histories) = match result {
        Ok(x) => x,
        Err(e) => return error_page(ch, &e),
    };
    let rows = histories
        .iter()
        .map(|(h, cat)| {
            let current = h.effective_on(today).or_else(|| h.revisions.last());
            let scope = current.map(|r| license_issue::Scope::new(&r.license, cat.as_ref()));
            Row {
                id: h.license_id,
                product: h.product.clone(),
                kind: scope
                    .as_ref()
                    .map_or("", |s| view::kind_words(lang, &s.kind))
                    .to_owned(),
                users: scope
                    .as_ref()
                    .and_then(|s| s.named_users)
                    .map_or_else(|| lang.t("license.unlimited").to_owned(), |n| n.to_string()),
                last_day: view::last_day_words(lang, scope.as_ref().and_then(|s| s.expires)),
                status: view::status_words(lang, h, today).to_owned(),
            }
        })
        .collect();
    let company = only.map(|c| c.to_string()).unwrap_or_default();
    let pager = Pager::at(lang, page, paging::pages(total), |n| {
        paging::url(
            "/portal/licenses",
            &[("company", &company), ("q", &search), ("page", &n.to_string())],
        )
    });
    let title = lang.t("licenses.title").to_owned();
    render(
        StatusCode::OK,
        &LicensesPage {
            c: ch.titled(title),
            count: lang.f("licenses.count", &[("count", &total.to_string())]),
            rows,
            pager,
            q: search,
            company,
        },
    )
}

#[derive(Deserialize)]
pub(super) struct DoneQuery {
    #[serde(default)]
    done: String,
}

/// What a license page shows besides the license (a notice, a form's error).
#[derive(Default)]
struct PageState {
    notice: String,
    activate_value: String,
    activate_error: String,
    groups: Vec<(String, bool)>,
    edit_error: String,
    reduce_error: String,
}

/// The license page's form an order's refusal is shown at.
#[derive(Clone, Copy)]
enum At {
    Activate,
    Edit,
    Reduce,
}

/// The license page again after a refused order: the refusal, in the page's language, at
/// the form `at`, the rest of `state` kept.
async fn refused<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: u32,
    mut state: PageState,
    at: At,
    e: ApiError,
) -> Response {
    let text = error_text(lang_of(headers, c.user()), &e);
    *match at {
        At::Activate => &mut state.activate_error,
        At::Edit => &mut state.edit_error,
        At::Reduce => &mut state.reduce_error,
    } = text;
    license_page(app, c, headers, id, state, e.status).await
}

/// Whether the caller may place orders on its licenses (the upgrade route's cell, and the
/// right a `right` cell needs).
fn may_order<I: Issuers>(app: &App<I>, c: &Caller) -> bool {
    let Some(role) = c.role() else { return false };
    let cell = app
        .matrix
        .cell("POST /portal/licenses/{id}/upgrade", role.column());
    let c2 = Caller {
        actor: c.actor.clone(),
        cell: cell.clone(),
    };
    cell != Cell::No && lic::need_right(app, &c2).is_ok()
}

async fn license_page<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: u32,
    state: PageState,
    status: StatusCode,
) -> Response {
    let ch = Chrome::of(c, headers, &format!("/portal/licenses/{id}"));
    let lang = ch.lang;
    let today = (app.today)();
    let c2 = c.clone();
    let result = blocking(app, move |app| {
        let (h, cat) = lic::history(app, &c2, id)?;
        Ok((h, cat, may_order(app, &c2)))
    })
    .await;
    let (h, cat, may_order) = match result {
        Ok(x) => x,
        Err(e) => return error_page(ch, &e),
    };
    let v = license_view(lang, &h, cat.as_ref(), today);
    let title = lang.f(
        "license.title",
        &[("id", &id.to_string()), ("product", &h.product)],
    );
    let users_label = lang.f("edit.users", &[("now", &v.users)]);
    render(
        status,
        &LicensePage {
            c: ch.titled(title),
            v,
            notice: state.notice,
            may_order,
            users_label,
            activate_value: state.activate_value,
            activate_error: state.activate_error,
            groups: state.groups,
            edit_error: state.edit_error,
            reduce_error: state.reduce_error,
        },
    )
}

/// `GET /portal/licenses/{id}`: a license the caller may see (else the same 404 page as
/// for a number no license has).
pub(super) async fn license<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    Path(id): Path<String>,
    q: Result<Query<DoneQuery>, QueryRejection>,
) -> Response {
    let id = match parse_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(Chrome::of(&c, &headers, "/portal/licenses"), &e),
    };
    let lang = lang_of(&headers, c.user());
    let notice = match q.ok().map(|Query(q)| q.done).as_deref() {
        Some("activate") => lang.t("license.done.activate"),
        Some("upgrade") => lang.t("license.done.upgrade"),
        Some("reduce") => lang.t("license.done.reduce"),
        Some("withdraw") => lang.t("license.done.withdraw"),
        Some("trial") => lang.t("license.done.trial"),
        Some("created") => lang.t("license.done.created"),
        Some("move") => lang.t("customer.done.move"),
        Some("line") => lang.t("customer.done.line"),
        Some("maintenance") => lang.t("customer.done.maintenance"),
        Some("cancel") => lang.t("customer.done.cancel"),
        Some("redeemed") => lang.t("customer.done.redeemed"),
        _ => "",
    };
    let state = PageState {
        notice: notice.to_owned(),
        ..PageState::default()
    };
    license_page(&app, &c, &headers, id, state, StatusCode::OK).await
}

/// Before an order from a license page: the number, the caller's right to act on it (the
/// same 404 as the API), and the form.
async fn order_form<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: &str,
    body: &Bytes,
) -> Result<(u32, Form), Response> {
    let id = authorized(app, c, headers, id).await?;
    let f = Form::parse(body).map_err(|e| error_page(Chrome::of(c, headers, "/portal/licenses"), &e))?;
    Ok((id, f))
}

/// `POST /portal/licenses/{id}/activate` with `database`: the code read by the product's
/// catalog (the library's reader, which locates a typo's group), then the API's
/// activation (`rehost`).
pub(super) async fn activate<I: Issuers>(
    OnLicense { app, c, headers, id }: OnLicense<I>,
    body: Bytes,
) -> Response {
    let (id, f) = match order_form(&app, &c, &headers, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let lang = lang_of(&headers, c.user());
    let typed = f.get("database");
    let t2 = typed.clone();
    let read = blocking(&app, move |app| Ok(read_database_code(app, id, &t2)?)).await;
    let mut state = PageState {
        activate_value: typed.clone(),
        ..PageState::default()
    };
    let code = match read {
        Err(e) => return error_page(Chrome::of(&c, &headers, "/portal/licenses"), &e),
        Ok(Err(e @ Error::Order(OrderError::InvalidDatabaseCode { error, .. }))) => {
            state.activate_error = match error {
                license_core::DatabaseCodeError::Typo { group } => {
                    lang.f("activate.typo", &[("group", &group.to_string())])
                }
                _ => lang.f("error.other", &[("message", &error.to_string())]),
            };
            state.groups = typed_groups(&typed, &e);
            return license_page(&app, &c, &headers, id, state, StatusCode::BAD_REQUEST).await;
        }
        Ok(Err(e)) => return refused(&app, &c, &headers, id, state, At::Activate, e.into()).await,
        Ok(Ok(code)) => code,
    };
    let order = Order::Rehost {
        license_id: id,
        bind: BindTo {
            database: Some(code),
            ..BindTo::default()
        },
        unbind: license_issue::Unbind::default(),
    };
    match lic::commit_change(&app, &c, id, None, AuditAction::Activate, order).await {
        Ok(_) => done(id, "activate"),
        Err(e) => refused(&app, &c, &headers, id, state, At::Activate, e).await,
    }
}

fn users_field(text: &str) -> ApiResult<Option<u32>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>()
        .map(Some)
        .map_err(|_| Refusal::of("named_users").f("order.users_number", &[]))
}

/// `POST /portal/licenses/{id}/upgrade` with `named_users` and `add_module`s: the API's
/// additional order, effective at once; the page then shows the new code.
pub(super) async fn upgrade<I: Issuers>(
    OnLicense { app, c, headers, id }: OnLicense<I>,
    body: Bytes,
) -> Response {
    let (id, f) = match order_form(&app, &c, &headers, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let result = async {
        let change = Change {
            named_users: users_field(&f.get("named_users"))?,
            add_modules: f.all("add_module"),
            ..Change::default()
        };
        lic::commit_change(
            &app,
            &c,
            id,
            None,
            AuditAction::Upgrade,
            Order::Upgrade {
                license_id: id,
                change,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => done(id, "upgrade"),
        Err(e) => refused(&app, &c, &headers, id, PageState::default(), At::Edit, e).await,
    }
}

/// `POST /portal/licenses/{id}/reduce` with `named_users` and `remove_module`s: first the
/// day it takes effect and the last day it can be withdrawn (the library's reduction
/// dates), then with `confirm=yes` the API's reduction.
pub(super) async fn reduce<I: Issuers>(
    OnLicense { app, c, headers, id }: OnLicense<I>,
    body: Bytes,
) -> Response {
    let (id, f) = match order_form(&app, &c, &headers, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let ch = Chrome::of(&c, &headers, &format!("/portal/licenses/{id}"));
    let lang = ch.lang;
    let fail = |e| refused(&app, &c, &headers, id, PageState::default(), At::Reduce, e);
    let users = match users_field(&f.get("named_users")) {
        Ok(u) => u,
        Err(e) => return fail(e).await,
    };
    let remove = f.all("remove_module");
    if f.get("confirm") != "yes" {
        let today = (app.today)();
        let c2 = c.clone();
        let dates = blocking(&app, move |app| {
            let (h, cat) = lic::history(app, &c2, id)?;
            let cat = cat.ok_or_else(|| ApiError::not_found("product"))?;
            h.reduction_dates(cat.reduction_policy(), today)
                .ok_or_else(|| ApiError::not_found("license"))
        })
        .await;
        return match dates {
            Ok((effective, cutoff)) => {
                let text = lang.f(
                    "reduce.preview.text",
                    &[
                        ("day", &lang.date(effective)),
                        ("last", &lang.date(license_issue::calendar::last_day(effective))),
                        ("cutoff", &lang.date(cutoff)),
                    ],
                );
                let title = lang.t("reduce.preview.title").to_owned();
                render(
                    StatusCode::OK,
                    &ReducePage {
                        c: ch.titled(title),
                        id,
                        text,
                        named_users: users.map(|u| u.to_string()).unwrap_or_default(),
                        remove,
                    },
                )
            }
            Err(e) => fail(e).await,
        };
    }
    let change = Change {
        named_users: users,
        remove_modules: remove,
        ..Change::default()
    };
    match lic::commit_change(
        &app,
        &c,
        id,
        None,
        AuditAction::Reduce,
        Order::Reduce {
            license_id: id,
            change,
        },
    )
    .await
    {
        Ok(_) => done(id, "reduce"),
        Err(e) => fail(e).await,
    }
}

/// `POST /portal/licenses/{id}/withdraw`: the API's withdrawal of the pending reduction.
pub(super) async fn withdraw<I: Issuers>(
    OnLicense { app, c, headers, id }: OnLicense<I>,
    body: Bytes,
) -> Response {
    let (id, _) = match order_form(&app, &c, &headers, &id, &body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match lic::commit_change(
        &app,
        &c,
        id,
        None,
        AuditAction::WithdrawReduction,
        Order::WithdrawReduction { license_id: id },
    )
    .await
    {
        Ok(_) => done(id, "withdraw"),
        Err(e) => refused(&app, &c, &headers, id, PageState::default(), At::Reduce, e).await,
    }
}

fn products<I: Issuers>(app: &App<I>) -> Vec<(String, String)> {
    app.issuers.with(|is| {
        is.catalogs()
            .iter()
            .map(|c| (c.product().to_owned(), c.name().unwrap_or(c.product()).to_owned()))
            .collect()
    })
}

fn trial_page(products: Vec<(String, String)>, ch: Chrome, error: String, status: StatusCode) -> Response {
    let title = ch.lang.t("trial.title").to_owned();
    render(
        status,
        &TrialPage {
            c: ch.titled(title),
            products,
            error,
        },
    )
}

/// `GET /portal/trial`: the trial form (a company's administrator, or a user with the
/// right to order).
pub(super) async fn trial_form<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/trial");
    let checked = blocking(&app, move |app| {
        lic::need_right(app, &c)?;
        Ok(products(app))
    })
    .await;
    match checked {
        Ok(products) => trial_page(products, ch, String::new(), StatusCode::OK),
        Err(e) => error_page(ch, &e),
    }
}

/// `POST /portal/trial` with `product`: the API's trial step (one per company and
/// product).
pub(super) async fn trial<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/trial");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    match lic::trial(&app, &c, f.get("product"), BindTo::default()).await {
        Ok(outcome) => see_other(&format!("/portal/licenses/{}?done=trial", outcome.license_id())),
        Err(e) if e.kind == "forbidden" => error_page(ch, &e),
        Err(e) => {
            let error = error_text(ch.lang, &e);
            match blocking(&app, |app| Ok(products(app))).await {
                Ok(products) => trial_page(products, ch, error, e.status),
                Err(e) => error_page(ch, &e),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "new_license.html")]
struct NewLicensePage {
    c: Chrome,
    frame: String,
    error: String,
    field: String,
    products: Vec<(String, String)>,
    product: String,
    kinds: Vec<(&'static str, &'static str)>,
    kind: String,
    licensee: String,
    lines: Vec<String>,
    line: String,
    users_label: String,
    named_users: String,
    modules: Vec<(String, bool)>,
    database: String,
}

/// What the new-license form offers the caller: the products, the kinds its frame allows
/// (every kind for the vendor), the first product's lines and modules, and its frame.
struct Offer {
    products: Vec<(String, String)>,
    kinds: Vec<license_core::Kind>,
    lines: Vec<String>,
    modules: Vec<(String, u8)>,
    frame: Option<license_core::Frame>,
}

fn offer<I: Issuers>(app: &App<I>, c: &Caller) -> ApiResult<Offer> {
    lic::need_right(app, c)?;
    let frame = match c.org() {
        Some((org, OrgKind::Reseller)) => {
            let rights = c.rights(lic::reseller_frame(app, org)?);
            Some(rights.frame.ok_or_else(|| {
                ApiError::forbidden("your administrator has not granted you a frame to create licenses in")
            })?)
        }
        _ => None,
    };
    let (lines, modules) = app.issuers.with(|is| {
        is.catalogs().iter().next().map_or_else(Default::default, |c| {
            (
                c.lines().into_iter().map(|(n, _)| n.to_owned()).collect(),
                c.modules().into_iter().map(|(n, b)| (n.to_owned(), b)).collect(),
            )
        })
    });
    let kinds = license_core::Kind::ALL
        .into_iter()
        .filter(|k| frame.is_none_or(|f| f.kinds.contains(*k)))
        .collect();
    Ok(Offer {
        products: products(app),
        kinds,
        lines,
        modules,
        frame,
    })
}

fn new_license_page(
    ch: Chrome,
    o: Offer,
    f: &Form,
    error: String,
    field: String,
    status: StatusCode,
) -> Response {
    let lang = ch.lang;
    let frame = o.frame.map_or_else(String::new, |fr| {
        let names: Vec<String> = o
            .modules
            .iter()
            .filter(|(_, b)| fr.modules.contains(*b))
            .map(|(n, _)| n.clone())
            .collect();
        lang.f(
            "new.frame",
            &[
                (
                    "users",
                    &fr.named_users
                        .map_or_else(|| lang.t("license.unlimited").to_owned(), |n| n.to_string()),
                ),
                ("modules", &names.join(", ")),
                ("until", &lang.date(fr.not_after)),
            ],
        )
    });
    let users_label = match o.frame.and_then(|fr| fr.named_users) {
        Some(max) => lang.f("new.users.max", &[("max", &max.to_string())]),
        None => lang.t("new.users").to_owned(),
    };
    let chosen = f.all("module");
    let title = lang.t("new.title").to_owned();
    render(
        status,
        &NewLicensePage {
            c: ch.titled(title),
            frame,
            error,
            field,
            products: o.products,
            product: f.get("product"),
            kinds: o
                .kinds
                .iter()
                .map(|k| (k.name(), view::kind_words(lang, k.name())))
                .collect(),
            kind: f.get("kind"),
            licensee: f.get("licensee"),
            lines: o.lines,
            line: f.get("line"),
            users_label,
            named_users: f.get("named_users"),
            modules: o
                .modules
                .into_iter()
                .map(|(m, _)| {
                    let on = chosen.contains(&m);
                    (m, on)
                })
                .collect(),
            database: f.get("database"),
        },
    )
}

/// `GET /portal/licenses/new`: a reseller (inside its frame, named on the page) or the
/// vendor creates a license.
pub(super) async fn new_license_form<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/licenses/new");
    match blocking(&app, move |app| offer(app, &c)).await {
        Ok(o) => new_license_page(
            ch,
            o,
            &Form(Vec::new()),
            String::new(),
            String::new(),
            StatusCode::OK,
        ),
        Err(e) => error_page(ch, &e),
    }
}

/// `POST /portal/licenses/new`: the API's creation step (a reseller's order checked against
/// its rights, refused naming the limit).
pub(super) async fn new_license<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/licenses/new");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    let order = (|| {
        let kind = license_core::Kind::ALL
            .into_iter()
            .find(|k| k.name() == f.get("kind"))
            .ok_or_else(|| Refusal::of("kind").f("order.choose_kind", &[]))?;
        let mut order = license_issue::NewLicense::new(
            f.get("product"),
            kind,
            license_issue::Customer::new(f.get("licensee").trim()),
        );
        order.line = Some(f.get("line")).filter(|l| !l.is_empty());
        order.named_users = users_field(&f.get("named_users"))?;
        order.modules = f.all("module");
        let db = f.get("database");
        if !db.trim().is_empty() {
            order.bind.database = Some(db);
        }
        Ok(order)
    })();
    let result = match order {
        Ok(order) => lic::create(&app, &c, order, None, None).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(outcome) => see_other(&format!("/portal/licenses/{}?done=created", outcome.license_id())),
        Err(e) => {
            let c2 = c.clone();
            match blocking(&app, move |app| offer(app, &c2)).await {
                Ok(o) => {
                    let error = error_text(ch.lang, &e);
                    let field = e.field.clone().unwrap_or_default();
                    new_license_page(ch, o, &f, error, field, e.status)
                }
                Err(e2) => error_page(ch, &e2),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_switch_only_goes_back_to_portal_pages() {
        assert_eq!(safe_back("/portal/licenses/7"), "/portal/licenses/7");
        for bad in [
            "https://evil.test/",
            "//evil.test/portal/",
            "/portal/\\evil",
            "/api/v1/me",
            "/portal//x",
        ] {
            assert_eq!(safe_back(bad), "/portal/login", "{bad}");
        }
    }
}
