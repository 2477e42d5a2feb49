//! Cancelling a subscription (the API's `POST /api/v1/licenses/{id}/cancel`, the
//! library's `Order::Cancel`): the page says until when it stays usable before the
//! customer confirms (the library's `preview` of the same order) and, after, the license
//! page says it again (its cancellation end).

use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_issue::{Cancellation, Order, Outcome};

use super::super::change::{OnLicense, done};
use super::super::i18n::Lang;
use super::super::page::{Chrome, error_page, error_text, render};
use super::{Posted, license_for_change, posted, title};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::issuers::Issuers;
use crate::ops::licenses as lic;
use crate::store::audit::AuditAction;

#[derive(Template)]
#[template(path = "customer_cancel.html")]
struct CancelPage {
    c: Chrome,
    id: u32,
    /// Until when it stays usable ("" when it cannot be cancelled).
    text: String,
    /// What happens after the last day.
    after: String,
    error: String,
}

/// Until when a cancellation keeps the license usable, and what then, in words.
fn words(lang: Lang, k: &Cancellation) -> (String, String) {
    let key = if k.renews_once_more {
        "customer.cancel.usable_once_more"
    } else {
        "customer.cancel.usable"
    };
    let text = lang.f(key, &[("day", &lang.date(k.last_day))]);
    let demo = k.demo_seats.to_string();
    let after = match k.grace_last_day {
        Some(g) if k.demo_seats > 0 => lang.f(
            "customer.cancel.after.grace_demo",
            &[("day", &lang.date(g)), ("demo", &demo)],
        ),
        Some(g) => lang.f("customer.cancel.after.grace", &[("day", &lang.date(g))]),
        None if k.demo_seats > 0 => lang.f("customer.cancel.after.demo", &[("demo", &demo)]),
        None => lang.t("customer.cancel.after.stop").to_owned(),
    };
    (text, after)
}

async fn page<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    id: &str,
    error: String,
    status: StatusCode,
) -> Response {
    let (id, h, _) = match license_for_change(app, c, headers, id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let ch = Chrome::of(c, headers, &format!("/portal/licenses/{id}/cancel"));
    let lang = ch.lang;
    let today = (app.today)();
    let preview = blocking(app, move |app| {
        Ok(app
            .issuers
            .with(|is| is.preview(&Order::Cancel { license_id: id }, today))?)
    })
    .await;
    let (text, after, error) = match preview {
        Ok(Outcome::Cancelled(k)) => {
            let (t, a) = words(lang, &k);
            (t, a, error)
        }
        Ok(_) => (String::new(), String::new(), error),
        Err(e) if e.kind == "not_found" => return error_page(ch, &e),
        // Not a subscription, cancelled already: why, instead of the button.
        Err(e) if error.is_empty() => (String::new(), String::new(), error_text(lang, &e)),
        Err(_) => (String::new(), String::new(), error),
    };
    let t = title(lang, "customer.cancel.title", &h);
    render(
        status,
        &CancelPage {
            c: ch.titled(t),
            id,
            text,
            after,
            error,
        },
    )
}

/// `GET /portal/licenses/{id}/cancel`: until when the subscription stays usable if
/// cancelled today, and the button.
pub(super) async fn form<I: Issuers>(OnLicense { app, c, headers, id }: OnLicense<I>) -> Response {
    page(&app, &c, &headers, &id, String::new(), StatusCode::OK).await
}

/// `POST /portal/licenses/{id}/cancel`: the API's cancellation; the license page then says
/// until when it is usable.
pub(super) async fn submit<I: Issuers>(
    OnLicense {
        app,
        c,
        headers,
        id: id_text,
    }: OnLicense<I>,
    body: Bytes,
) -> Response {
    let Posted { id, lang, .. } = match posted(&app, &c, &headers, &id_text, &body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    match lic::commit_change(
        &app,
        &c,
        id,
        None,
        AuditAction::Cancel,
        Order::Cancel { license_id: id },
    )
    .await
    {
        Ok(_) => done(id, "cancel"),
        Err(e) if e.kind == "not_found" => error_page(Chrome::of(&c, &headers, "/portal/licenses"), &e),
        Err(e) => {
            let status = e.status;
            page(&app, &c, &headers, &id_text, error_text(lang, &e), status).await
        }
    }
}
