//! `GET/POST /portal/vendor/erasure`: GDPR erasure of a licensee's name (the API's
//! `POST /api/v1/erasures`, `ops::erasure`): the form, then a page saying what will be
//! erased and what is kept, then, confirmed, the erasure and what it changed.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::common::confirm_page;
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::ApiError;
use crate::issuers::Issuers;
use crate::ops::erasure as ops;
use crate::portal::page::{Chrome, Form, error_page, error_text, message, reason, render};

const HERE: &str = "/portal/vendor/erasure";

#[derive(Template)]
#[template(path = "vendor_erasure.html")]
struct ErasurePage {
    c: Chrome,
    licensee: String,
    error: String,
}

fn form_page(ch: Chrome, licensee: String, e: Option<&ApiError>) -> Response {
    let lang = ch.lang;
    let title = lang.t("vendor.erasure.title").to_owned();
    let error = e.map_or_else(String::new, |e| {
        lang.f(
            "vendor.error",
            &[
                ("field", lang.t("vendor.erasure.licensee")),
                ("message", &reason(lang, e)),
            ],
        )
    });
    render(
        e.map_or(StatusCode::OK, |e| e.status),
        &ErasurePage {
            c: ch.titled(title),
            licensee,
            error,
        },
    )
}

/// `GET /portal/vendor/erasure`.
pub(super) async fn form(Extension(c): Extension<Caller>, headers: HeaderMap) -> Response {
    form_page(Chrome::of(&c, &headers, HERE), String::new(), None)
}

/// `POST /portal/vendor/erasure` with `licensee`: first what will be erased and kept, then
/// with `confirm=yes` the erasure.
pub(super) async fn erase<I: Issuers>(
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
    let licensee = f.get("licensee").trim().to_owned();
    if let Err(e) = ops::check(&licensee) {
        return form_page(ch, licensee, Some(&e));
    }
    let lang = ch.lang;
    if f.get("confirm") != "yes" {
        let lines = vec![
            lang.f("vendor.erasure.what", &[("licensee", &licensee)]),
            lang.t("vendor.erasure.kept").to_owned(),
            lang.t("vendor.erasure.after").to_owned(),
        ];
        let title = lang.t("vendor.erasure.confirm").to_owned();
        return confirm_page(ch, title, lines, HERE.into(), f.0, HERE.into());
    }
    let actor = c.actor_name();
    let org = c.org().map_or(0, |o| o.0);
    let l2 = licensee.clone();
    match blocking(&app, move |app| ops::erase(app, &actor, org, &l2)).await {
        Ok(out) => {
            let text = lang.f(
                "vendor.erasure.done",
                &[
                    ("records", &out.records.to_string()),
                    ("pseudonym", &out.pseudonym),
                ],
            );
            let (title, link) = (lang.t("vendor.erasure.title"), lang.t("vendor.audit.title"));
            message(ch, StatusCode::OK, title, &text, "/portal/vendor/audit", link)
        }
        Err(e) if e.field.is_some() => form_page(ch, licensee, Some(&e)),
        Err(e) => {
            let text = error_text(lang, &e);
            let title = lang.t("vendor.erasure.title");
            message(ch, e.status, title, &text, HERE, title)
        }
    }
}
