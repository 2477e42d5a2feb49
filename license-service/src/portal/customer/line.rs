//! The line upgrade: the license moved to a higher product line, effective at once (the
//! API's `POST /api/v1/licenses/{id}/upgrade` with `line`, the library's `Order::Upgrade`);
//! the license page then shows the new code.

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_issue::{Catalog, Change, LicenseHistory, Order};

use super::super::change::{OnLicense, done};
use super::super::page::{Chrome, render};
use super::super::view::license_view;
use super::{Posted, field_error, license_for_change, posted, title};
use crate::api::app::App;
use crate::api::caller::Caller;
use crate::error::ApiError;
use crate::issuers::Issuers;
use crate::ops::licenses as lic;
use crate::store::audit::AuditAction;

#[derive(Template)]
#[template(path = "customer_line.html")]
struct LinePage {
    c: Chrome,
    id: u32,
    now: String,
    /// (name, the license's line now)
    lines: Vec<(String, bool)>,
    error: String,
}

fn page<I: Issuers>(
    app: &App<I>,
    c: &Caller,
    headers: &HeaderMap,
    (h, cat): (LicenseHistory, Option<Catalog>),
    error: String,
    status: StatusCode,
) -> Response {
    let id = h.license_id;
    let ch = Chrome::of(c, headers, &format!("/portal/licenses/{id}/line"));
    let lang = ch.lang;
    let v = license_view(lang, &h, cat.as_ref(), (app.today)());
    let lines = cat
        .as_ref()
        .map(|cat| {
            cat.lines()
                .into_iter()
                .map(|(n, _)| (n.to_owned(), n == v.line))
                .collect()
        })
        .unwrap_or_default();
    let t = title(lang, "customer.line.title", &h);
    render(
        status,
        &LinePage {
            c: ch.titled(t),
            id,
            now: lang.f("customer.line.now", &[("line", &v.line)]),
            lines,
            error,
        },
    )
}

/// `GET /portal/licenses/{id}/line`: the catalog's lines, the license's marked.
pub(super) async fn form<I: Issuers>(OnLicense { app, c, headers, id }: OnLicense<I>) -> Response {
    match license_for_change(&app, &c, &headers, &id).await {
        Ok((_, h, cat)) => page(&app, &c, &headers, (h, cat), String::new(), StatusCode::OK),
        Err(r) => r,
    }
}

/// `POST /portal/licenses/{id}/line` with `line`: the API's additional order with the new
/// line (the library refuses a line that is not higher, naming why, at the field).
pub(super) async fn submit<I: Issuers>(
    OnLicense { app, c, headers, id }: OnLicense<I>,
    body: Bytes,
) -> Response {
    let Posted { id, h, cat, f, lang } = match posted(&app, &c, &headers, &id, &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let line = f.get("line");
    let result = if line.trim().is_empty() {
        Err(ApiError::field("line", lang.t("customer.line.empty")))
    } else {
        let change = Change {
            line: Some(line),
            ..Change::default()
        };
        let order = Order::Upgrade {
            license_id: id,
            change,
        };
        lic::commit_change(&app, &c, id, None, AuditAction::Upgrade, order).await
    };
    match result {
        Ok(_) => done(id, "line"),
        Err(e) => {
            let error = field_error(lang, "customer.line.label", &e);
            page(&app, &c, &headers, (h, cat), error, e.status)
        }
    }
}
