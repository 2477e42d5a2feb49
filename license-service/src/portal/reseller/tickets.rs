//! `/portal/tickets`: a reseller's ticket pool (the tickets the vendor created for it and
//! those it received, still open), paged, and passing some on to another reseller (its
//! sub-reseller), whose frame must admit them: the API's steps (`ops::tickets::list`,
//! `pass_on`, as `GET /api/v1/tickets` and `POST /api/v1/tickets/pass-on`).

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::super::page::{Chrome, Form, Refusal, error_page, error_text, render};
use super::super::view::kind_words;
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::ApiResult;
use crate::issuers::Issuers;
use crate::ops::tickets as ops;
use crate::portal::paging::{self, ListQuery, Pager};

/// A ticket of the pool.
struct TicketView {
    ticket: String,
    product: String,
    kind: String,
    created: String,
    held_by: String,
}

#[derive(Template)]
#[template(path = "reseller_tickets.html")]
struct TicketsPage {
    c: Chrome,
    q: String,
    notice: String,
    error: String,
    field: String,
    count: String,
    rows: Vec<TicketView>,
    pager: Pager,
    to: String,
    pass_count: String,
}

/// What the page shows besides the pool.
#[derive(Default)]
struct Shown {
    notice: String,
    error: String,
    field: String,
    to: String,
    pass_count: String,
}

async fn page<I: Issuers>(
    app: &Arc<App<I>>,
    c: &Caller,
    headers: &HeaderMap,
    q: ListQuery,
    s: Shown,
    status: StatusCode,
) -> Response {
    let ch = Chrome::of(c, headers, "/portal/tickets");
    let lang = ch.lang;
    let c2 = c.clone();
    let rows = match blocking(app, move |app| ops::list(app, &c2)).await {
        Ok(r) => r,
        Err(e) => return error_page(ch, &e),
    };
    let search = q.search();
    let found: Vec<TicketView> = rows
        .into_iter()
        .filter(|t| paging::matches(&search, &[&t.ticket, &t.product]))
        .map(|t| TicketView {
            ticket: t.ticket,
            product: t.product,
            kind: kind_words(lang, t.kind.name()).to_owned(),
            created: lang.date(t.created),
            held_by: if t.held_by == "vendor" {
                lang.t("rsl.tickets.held.vendor").to_owned()
            } else {
                t.held_by
            },
        })
        .collect();
    let count = lang.f("rsl.tickets.count", &[("count", &found.len().to_string())]);
    let (rows, pager) = q.page_of(lang, "/portal/tickets", found);
    let title = lang.t("rsl.tickets.title").to_owned();
    render(
        status,
        &TicketsPage {
            c: ch.titled(title),
            q: search,
            notice: s.notice,
            error: s.error,
            field: s.field,
            count,
            rows,
            pager,
            to: s.to,
            pass_count: s.pass_count,
        },
    )
}

/// `GET /portal/tickets?q=...&page=N`.
pub(super) async fn list<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let Query(q) = q.unwrap_or_default();
    page(&app, &c, &headers, q, Shown::default(), StatusCode::OK).await
}

/// A whole number from 1 typed in `field` (`to` or `count`).
fn number(f: &Form, field: &str) -> ApiResult<u32> {
    f.get(field)
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| match field {
            "to" => Refusal::of(field).f("rsl.refuse.to_number", &[]),
            _ => Refusal::of(field).f("rsl.refuse.count_number", &[]),
        })
}

/// `POST /portal/tickets/pass-on`: `count` tickets to reseller number `to`.
pub(super) async fn pass_on<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/tickets");
    let f = match Form::parse(&body) {
        Ok(f) => f,
        Err(e) => return error_page(ch, &e),
    };
    let lang = ch.lang;
    let today = (app.today)();
    let parsed = number(&f, "to").and_then(|to| Ok((to, number(&f, "count")?)));
    let result = match parsed {
        Ok((to, count)) => {
            let c2 = c.clone();
            blocking(&app, move |app| {
                ops::pass_on(app, &c2, i64::from(to), count, today)
            })
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(out) => {
            let notice = lang.f(
                "rsl.tickets.done.passed",
                &[
                    ("count", &out.tickets.len().to_string()),
                    ("to", &out.to),
                    ("tickets", &out.tickets.join(", ")),
                ],
            );
            let s = Shown {
                notice,
                ..Shown::default()
            };
            page(&app, &c, &headers, ListQuery::default(), s, StatusCode::OK).await
        }
        Err(e) if e.kind == "forbidden" || e.kind == "unauthenticated" => error_page(ch, &e),
        Err(e) => {
            let s = Shown {
                error: error_text(lang, &e),
                field: e.field.clone().unwrap_or_default(),
                to: f.get("to"),
                pass_count: f.get("count"),
                ..Shown::default()
            };
            page(&app, &c, &headers, ListQuery::default(), s, e.status).await
        }
    }
}
