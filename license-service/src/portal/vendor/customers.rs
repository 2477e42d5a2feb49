//! `GET /portal/vendor/customers`: the customer companies (the API's
//! `GET /api/v1/companies`: the store's organisations of the kind), 20 a page, searchable
//! by name or number, each linking to its licenses.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::issuers::Issuers;
use crate::portal::page::{Chrome, error_page, render};
use crate::portal::paging::{self, ListQuery, Pager};
use crate::rights::OrgKind;

#[derive(Template)]
#[template(path = "vendor_customers.html")]
struct CustomersPage {
    c: Chrome,
    q: String,
    count: String,
    rows: Vec<(i64, String, String)>,
    pager: Pager,
}

/// `GET /portal/vendor/customers?q=&page=`.
pub(super) async fn list<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/vendor/customers");
    let Query(q) = q.unwrap_or_default();
    let lang = ch.lang;
    let search: String = q.q.trim().chars().take(100).collect();
    let orgs = match blocking(&app, |app| Ok(app.store.orgs(OrgKind::Company)?)).await {
        Ok(o) => o,
        Err(e) => return error_page(ch, &e),
    };
    let found: Vec<(i64, String, String)> = orgs
        .into_iter()
        .filter(|o| paging::matches(&search, &[&o.name]) || o.id.to_string() == search)
        .map(|o| {
            let link = lang.f("vendor.customers.licenses", &[("name", &o.name)]);
            (o.id, o.name, link)
        })
        .collect();
    let total = found.len();
    let (rows, pager) = q.page_of(lang, "/portal/vendor/customers", found);
    let title = lang.t("vendor.customers.title").to_owned();
    render(
        StatusCode::OK,
        &CustomersPage {
            c: ch.titled(title),
            q: search,
            count: lang.f("vendor.customers.count", &[("count", &total.to_string())]),
            rows,
            pager,
        },
    )
}
