//! Move and recovery: the license bound to another installation's database code (the
//! API's `POST /api/v1/licenses/{id}/activate`, the library's `rehost`), within the
//! catalog's moves per year; the page shows how many are left (the library's
//! `moves_left`, the count its refusal `too_many_moves` uses).

use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_issue::{BindTo, Error, LicenseHistory, MovesLeft, Order, OrderError, Unbind};

use super::super::change::{OnLicense, done, read_database_code, typed_groups};
use super::super::i18n::Lang;
use super::super::page::{Chrome, error_page, render};
use super::super::view::license_view;
use super::{Posted, field_error, license_for_change, posted, title};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::ApiError;
use crate::issuers::Issuers;
use crate::ops::licenses as lic;
use crate::store::audit::AuditAction;

#[derive(Template)]
#[template(path = "customer_move.html")]
struct MovePage {
    c: Chrome,
    id: u32,
    bound: String,
    moves: String,
    value: String,
    /// A refused code's groups as typed, the typo's marked (none before a refusal).
    groups: Vec<(String, bool)>,
    error: String,
}

/// What the form shows of the code typed: the text, its groups when refused, and why.
#[derive(Default)]
struct Typed {
    value: String,
    groups: Vec<(String, bool)>,
    error: String,
}

/// The moves left in words.
fn moves_words(lang: Lang, m: Option<MovesLeft>) -> String {
    match m {
        None => lang.t("customer.move.unlimited").to_owned(),
        Some(m) if m.left == 0 => lang.f(
            "customer.move.none_left",
            &[
                ("limit", &m.limit.to_string()),
                ("day", &m.next.map(|d| lang.date(d)).unwrap_or_default()),
            ],
        ),
        Some(m) => lang.f(
            "customer.move.left",
            &[("left", &m.left.to_string()), ("limit", &m.limit.to_string())],
        ),
    }
}

async fn page<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    (h, cat): (LicenseHistory, Option<license_issue::Catalog>),
    typed: Typed,
    status: StatusCode,
) -> Response {
    let id = h.license_id;
    let ch = Chrome::of(c, headers, &format!("/portal/licenses/{id}/move"));
    let lang = ch.lang;
    let today = (app.today)();
    let left = blocking(app, move |app| {
        Ok(app.issuers.with(|is| is.moves_left(id, today))?)
    })
    .await;
    let left = match left {
        Ok(l) => l,
        Err(e) => return error_page(ch, &e),
    };
    let v = license_view(lang, &h, cat.as_ref(), today);
    let t = title(lang, "customer.move.title", &h);
    render(
        status,
        &MovePage {
            c: ch.titled(t),
            id,
            bound: lang.f("customer.move.bound", &[("bound", &v.bound)]),
            moves: moves_words(lang, left),
            value: typed.value,
            groups: typed.groups,
            error: typed.error,
        },
    )
}

/// `GET /portal/licenses/{id}/move`: the form, with what the code is bound to now and the
/// moves left.
pub(super) async fn form<I: Issuers>(OnLicense { app, c, headers, id }: OnLicense<I>) -> Response {
    let (_, h, cat) = match license_for_change(&app, &c, &headers, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    page(&app, &c, &headers, (h, cat), Typed::default(), StatusCode::OK).await
}

/// Why the product's catalog refused the typed database code (the library's reader: a
/// typo is located in its group), as a field error on `database`.
fn refusal(lang: Lang, e: Error) -> ApiError {
    match e {
        Error::Order(OrderError::InvalidDatabaseCode {
            error: license_core::DatabaseCodeError::Typo { group },
            ..
        }) => ApiError::field(
            "database",
            lang.f("activate.typo", &[("group", &group.to_string())]),
        ),
        e => ApiError::from(e),
    }
}

/// `POST /portal/licenses/{id}/move` with `database`: the API's rehost to the new
/// database code; then the license page with the new code. Beyond the moves per year, the
/// library's refusal names the day the next move is possible, at the field.
pub(super) async fn submit<I: Issuers>(
    OnLicense { app, c, headers, id }: OnLicense<I>,
    body: Bytes,
) -> Response {
    let Posted { id, h, cat, f, lang } = match posted(&app, &c, &headers, &id, &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let typed = f.get("database");
    let mut groups = Vec::new();
    let result = async {
        if typed.trim().is_empty() {
            return Err(ApiError::field("database", lang.t("customer.move.empty")));
        }
        let t2 = typed.clone();
        let code = match blocking(&app, move |app| Ok(read_database_code(app, id, &t2)?)).await? {
            Ok(code) => code,
            Err(e) => {
                groups = typed_groups(&typed, &e);
                return Err(refusal(lang, e));
            }
        };
        let order = Order::Rehost {
            license_id: id,
            bind: BindTo::database(code),
            unbind: Unbind::default(),
        };
        lic::commit_change(&app, &c, id, None, AuditAction::Activate, order).await
    }
    .await;
    match result {
        Ok(_) => done(id, "move"),
        Err(e) => {
            let typed = Typed {
                value: typed,
                groups,
                error: field_error(lang, "customer.move.database", &e),
            };
            page(&app, &c, &headers, (h, cat), typed, e.status).await
        }
    }
}
