//! Redeeming a ticket (the API's `POST /api/v1/tickets/redeem`, the step
//! `ops::redeem::redeem`): a customer company's administrator, or its user with the right
//! to order, types the ticket id and the installation's database code; the new license's
//! page then shows its code.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_issue::BindTo;

use super::super::i18n::Lang;
use super::super::page::{Chrome, Form, error_page, render, see_other};
use super::field_error;
use crate::api::app::App;
use crate::api::caller::Caller;
use crate::error::ApiError;
use crate::issuers::Issuers;
use crate::ops::redeem as tickets;

#[derive(Template)]
#[template(path = "customer_redeem.html")]
struct RedeemPage {
    c: Chrome,
    ticket: String,
    database: String,
    error: String,
    /// The field the error is about (`ticket`, `database`; "" for none).
    field: String,
}

fn page(
    ch: Chrome,
    ticket: String,
    database: String,
    error: String,
    field: &str,
    status: StatusCode,
) -> Response {
    let t = ch.lang.t("customer.redeem.title").to_owned();
    render(
        status,
        &RedeemPage {
            c: ch.titled(t),
            ticket,
            database,
            error,
            field: field.to_owned(),
        },
    )
}

/// `GET /portal/tickets/redeem`: the form.
pub(super) async fn form(Extension(c): Extension<Caller>, headers: HeaderMap) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/tickets/redeem");
    if let Err(e) = tickets::may_redeem(&c) {
        return error_page(ch, &e);
    }
    page(
        ch,
        String::new(),
        String::new(),
        String::new(),
        "",
        StatusCode::OK,
    )
}

/// Which field an error of the redemption is about: the ticket id (mistyped, unknown,
/// redeemed or handed on), the database code, or none.
fn field_of(e: &ApiError) -> &'static str {
    match e.field.as_deref() {
        Some("ticket") => "ticket",
        Some(f) if f.starts_with("bind") || f == "database" => "database",
        _ if e.kind == "ticket_no_installation" || e.kind.contains("database") => "database",
        _ if e.kind.starts_with("ticket_") && !e.kind.starts_with("ticket_pool") => "ticket",
        _ => "",
    }
}

fn error_words(lang: Lang, e: &ApiError, field: &str) -> String {
    match field {
        "ticket" => field_error(lang, "customer.redeem.ticket", e),
        "database" => field_error(lang, "customer.redeem.database", e),
        _ => super::super::page::error_text(lang, e),
    }
}

/// `POST /portal/tickets/redeem` with `ticket` and `database`: the API's redemption; the
/// license page of the new license (its code) after it.
pub(super) async fn submit<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/tickets/redeem");
    if let Err(e) = tickets::may_redeem(&c) {
        return error_page(ch, &e);
    }
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(Chrome::of(&c, &headers, "/portal/licenses"), &e),
    };
    let (ticket, database) = (f.get("ticket"), f.get("database"));
    let result = if ticket.trim().is_empty() {
        Err(ApiError::field("ticket", ch.lang.t("customer.redeem.empty")))
    } else {
        let bind = if database.trim().is_empty() {
            BindTo::default()
        } else {
            BindTo::database(database.trim())
        };
        tickets::redeem(&app, &c, ticket.trim(), bind).await
    };
    match result {
        Ok(r) => see_other(&format!("/portal/licenses/{}?done=redeemed", r.license_id)),
        Err(e) if matches!(e.kind, "forbidden" | "unauthenticated") => error_page(ch, &e),
        Err(e) => {
            let field = field_of(&e);
            let error = error_words(ch.lang, &e, field);
            page(ch, ticket, database, error, field, e.status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_error_is_shown_at_the_ticket_field_and_an_installation_error_at_the_code() {
        let unknown = ApiError::from(license_issue::Error::from(
            license_issue::TicketError::NoInstallation,
        ));
        assert_eq!(field_of(&unknown), "database");
        assert_eq!(field_of(&ApiError::field("ticket", "mistyped")), "ticket");
        assert_eq!(field_of(&ApiError::internal("disk")), "");
    }
}
