//! What the vendor's pages share: the confirmation page shown before every change (their
//! lists page with `crate::portal::paging`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use crate::portal::page::{Chrome, render};

#[derive(Template)]
#[template(path = "vendor_confirm.html")]
/// The page before a change: what it will do (and keep), the form again with
/// `confirm=yes`, and the way back.
struct ConfirmPage {
    c: Chrome,
    lines: Vec<String>,
    action: String,
    fields: Vec<(String, String)>,
    button: String,
    back: String,
}

/// The confirmation page of a change posted to `action` with `fields`.
pub(super) fn confirm_page(
    ch: Chrome,
    title: String,
    lines: Vec<String>,
    action: String,
    fields: Vec<(String, String)>,
    back: String,
) -> Response {
    let button = ch.lang.t("vendor.confirm.button").to_owned();
    render(
        StatusCode::OK,
        &ConfirmPage {
            c: ch.titled(title),
            lines,
            action,
            fields: fields
                .into_iter()
                .filter(|(k, _)| k != "csrf" && k != "confirm")
                .collect(),
            button,
            back,
        },
    )
}
