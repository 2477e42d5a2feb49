//! `GET/POST /portal/vendor/revocations`: publish a product's signed revocation list (the
//! API's `POST /api/v1/revocations/{product}`, `ops::revocations`): the page shows what
//! the list contains (its number, days, the licenses and reseller certificates it
//! revokes) and the signed list in hex; `as=file` answers the signed list as a file to
//! download instead.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use license_core::RevokedRevisions;

use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::ApiError;
use crate::issuers::Issuers;
use crate::ops::revocations as ops;
use crate::portal::page::{Chrome, Form, Refusal, error_page, reason, render};

const HERE: &str = "/portal/vendor/revocations";

/// What a published list shows.
struct Published {
    title: String,
    issued: String,
    last_day: String,
    entries: Vec<String>,
    certificates: String,
    hex: String,
}

#[derive(Template)]
#[template(path = "vendor_revocations.html")]
struct RevocationsPage {
    c: Chrome,
    products: Vec<(String, String)>,
    product: String,
    valid_days: String,
    error: String,
    field: String,
    list: Option<Published>,
}

fn products<I: Issuers>(app: &App<I>) -> Vec<(String, String)> {
    app.issuers.with(|is| {
        is.catalogs()
            .iter()
            .map(|c| (c.product().to_owned(), c.name().unwrap_or(c.product()).to_owned()))
            .collect()
    })
}

fn page(
    ch: Chrome,
    products: Vec<(String, String)>,
    product: String,
    valid_days: String,
    e: Option<&ApiError>,
    list: Option<Published>,
) -> Response {
    let lang = ch.lang;
    let title = lang.t("vendor.revocations.title").to_owned();
    let (error, field) = e.map_or_else(Default::default, |e| {
        let field = e.field.clone().unwrap_or_default();
        let label = match field.as_str() {
            "valid_days" => lang.t("vendor.revocations.valid_days"),
            _ => lang.t("trial.product"),
        };
        (
            lang.f("vendor.error", &[("field", label), ("message", &reason(lang, e))]),
            field,
        )
    });
    render(
        e.map_or(StatusCode::OK, |e| e.status),
        &RevocationsPage {
            c: ch.titled(title),
            products,
            product,
            valid_days,
            error,
            field,
            list,
        },
    )
}

/// `GET /portal/vendor/revocations`.
pub(super) async fn form<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let ch = Chrome::of(&c, &headers, HERE);
    match blocking(&app, |app| Ok(products(app))).await {
        Ok(p) => page(
            ch,
            p,
            String::new(),
            ops::DEFAULT_VALID_DAYS.to_string(),
            None,
            None,
        ),
        Err(e) => error_page(ch, &e),
    }
}

/// `POST /portal/vendor/revocations` with `product`, `valid_days` and `as` (`page` or
/// `file`).
pub(super) async fn publish<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, HERE);
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    let (product, days) = (f.get("product"), f.get("valid_days"));
    let all = match blocking(&app, |app| Ok(products(app))).await {
        Ok(p) => p,
        Err(e) => return error_page(ch, &e),
    };
    let valid_days = if days.trim().is_empty() {
        None
    } else {
        match days.trim().parse::<u32>() {
            Ok(d) if d > 0 => Some(d),
            _ => {
                let e = Refusal::of("valid_days").f("vendor.refuse.days_number", &[]);
                return page(ch, all, product, days, Some(&e), None);
            }
        }
    };
    if !all.iter().any(|(p, _)| *p == product) {
        let e = Refusal::of("product").f("vendor.refuse.choose_product", &[]);
        return page(ch, all, product, days, Some(&e), None);
    }
    let today = (app.today)();
    let actor = c.actor_name();
    let org = c.org().map_or(0, |o| o.0);
    let p2 = product.clone();
    let list = match blocking(&app, move |app| {
        ops::publish(app, &actor, org, &p2, today, valid_days)
    })
    .await
    {
        Ok(l) => l,
        Err(e) => return page(ch, all, product, days, Some(&e), None),
    };
    if f.get("as") == "file" {
        let name = format!("{}-revocations-{}.bin", list.product, list.sequence);
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
        return (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/octet-stream"),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            list.bytes,
        )
            .into_response();
    }
    let lang = ch.lang;
    let shown = Published {
        title: lang.f(
            "vendor.revocations.published",
            &[
                ("product", &list.product),
                ("sequence", &list.sequence.to_string()),
            ],
        ),
        issued: lang.date(list.issued),
        last_day: lang.date(list.expires.saturating_add_days(-1)),
        entries: list
            .entries
            .iter()
            .map(|e| match e.revisions {
                RevokedRevisions::All => {
                    lang.f("vendor.revocations.all", &[("id", &e.license_id.to_string())])
                }
                RevokedRevisions::UpTo(r) => lang.f(
                    "vendor.revocations.upto",
                    &[("id", &e.license_id.to_string()), ("revision", &r.to_string())],
                ),
            })
            .collect(),
        certificates: list
            .certificates
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        hex: hex::encode(&list.bytes),
    };
    page(ch, all, product, days, None, Some(shown))
}
