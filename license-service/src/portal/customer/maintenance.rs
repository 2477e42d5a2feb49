//! A maintenance pack for a perpetual license: for the one server it is bound to, or for
//! every server license of its site. The page first says which licenses the pack covers
//! and the new maintenance end (`ops::maintenance::plan`), then buys it on confirmation
//! (`ops::maintenance::buy`); each license page then shows the new end.

use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_issue::MaintenanceKind;
use license_issue::calendar::last_day;

use super::super::change::{OnLicense, done};
use super::super::i18n::Lang;
use super::super::page::{Chrome, Refusal, error_page, render};
use super::super::view::license_view;
use super::{Posted, field_error, license_for_change, posted, title};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::maintenance::{self as mnt, Plan};

#[derive(Template)]
#[template(path = "customer_maintenance.html")]
struct FormPage {
    c: Chrome,
    id: u32,
    now: String,
    site: String,
    kind: String,
    error: String,
}

#[derive(Template)]
#[template(path = "customer_maintenance_confirm.html")]
struct ConfirmPage {
    c: Chrome,
    id: u32,
    kind: String,
    text: String,
    /// (number, product, licensee) per license covered.
    licenses: Vec<(u32, String, String)>,
}

fn kind_of(text: &str) -> ApiResult<MaintenanceKind> {
    match text {
        "one-server" => Ok(MaintenanceKind::OneServer),
        "site" => Ok(MaintenanceKind::Site),
        _ => Err(Refusal::of("kind").f("customer.maintenance.choose", &[])),
    }
}

async fn form_page<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: &str,
    kind: String,
    error: String,
    status: StatusCode,
) -> Response {
    let (id, h, cat) = match license_for_change(app, c, headers, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let ch = Chrome::of(c, headers, &format!("/portal/licenses/{id}/maintenance"));
    let lang = ch.lang;
    let v = license_view(lang, &h, cat.as_ref(), (app.today)());
    let site = match &h.site {
        Some(s) => lang.f("customer.maintenance.site", &[("site", s)]),
        None => lang.t("customer.maintenance.no_site").to_owned(),
    };
    let t = title(lang, "customer.maintenance.title", &h);
    render(
        status,
        &FormPage {
            c: ch.titled(t),
            id,
            now: lang.f("customer.maintenance.now", &[("day", &v.maintenance)]),
            site,
            kind: if kind.is_empty() {
                "one-server".into()
            } else {
                kind
            },
            error,
        },
    )
}

/// `GET /portal/licenses/{id}/maintenance`: the choice of one server or the whole site,
/// with the maintenance end now and the license's site.
pub(super) async fn form<I: Issuers>(OnLicense { app, c, headers, id }: OnLicense<I>) -> Response {
    form_page(
        &app,
        &c,
        &headers,
        &id,
        String::new(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

fn confirm_page(ch: Chrome, id: u32, p: Plan) -> Response {
    let lang: Lang = ch.lang;
    let end = lang.date(last_day(p.ends));
    let text = match &p.site {
        Some(site) => lang.f(
            "customer.maintenance.confirm.site",
            &[
                ("site", site),
                ("count", &p.licenses.len().to_string()),
                ("day", &end),
            ],
        ),
        None => lang.f("customer.maintenance.confirm.one", &[("day", &end)]),
    };
    let t = lang.t("customer.maintenance.confirm.title").to_owned();
    render(
        StatusCode::OK,
        &ConfirmPage {
            c: ch.titled(t),
            id,
            kind: p.kind.name().to_owned(),
            text,
            licenses: p.licenses,
        },
    )
}

/// `POST /portal/licenses/{id}/maintenance` with `kind`: first the licenses covered and
/// the new maintenance end; with `confirm=yes` the pack is bought and the license page
/// shows the new end.
pub(super) async fn submit<I: Issuers>(
    OnLicense {
        app,
        c,
        headers,
        id: id_text,
    }: OnLicense<I>,
    body: Bytes,
) -> Response {
    let Posted { id, f, lang, .. } = match posted(&app, &c, &headers, &id_text, &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let ch = Chrome::of(&c, &headers, &format!("/portal/licenses/{id}/maintenance"));
    let kind_text = f.get("kind");
    let fail = |e: ApiError| {
        let error = field_error(lang, "customer.maintenance.kind", &e);
        (kind_text.clone(), error, e.status)
    };
    let kind = match kind_of(&kind_text) {
        Ok(k) => k,
        Err(e) => {
            let (k, error, status) = fail(e);
            return form_page(&app, &c, &headers, &id_text, k, error, status).await;
        }
    };
    if f.get("confirm") != "yes" {
        let today = (app.today)();
        let c2 = c.clone();
        return match blocking(&app, move |app| mnt::plan(app, &c2, id, kind, today)).await {
            Ok(p) => confirm_page(ch, id, p),
            Err(e) if e.kind == "not_found" => error_page(ch, &e),
            Err(e) => {
                let (k, error, status) = fail(e);
                form_page(&app, &c, &headers, &id_text, k, error, status).await
            }
        };
    }
    match mnt::buy(&app, &c, id, kind, None).await {
        Ok(_) => done(id, "maintenance"),
        Err(e) if e.kind == "not_found" => error_page(ch, &e),
        Err(e) => {
            let (k, error, status) = fail(e);
            form_page(&app, &c, &headers, &id_text, k, error, status).await
        }
    }
}
