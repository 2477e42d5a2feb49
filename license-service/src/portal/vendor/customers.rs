//! `GET /portal/vendor/customers`: the customer companies (the store's organisations of
//! the kind, as the API's `GET /api/v1/companies`), 20 a page, searchable by name or
//! number in SQL (`Store::orgs_page`), each linking to its licenses.

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
use crate::portal::paging::{ListQuery, Pager};
use crate::portal::respond::PAGE_SIZE;
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
    let search = q.search();
    let (s, offset) = (search.clone(), q.offset());
    let found = blocking(&app, move |app| {
        Ok(app.store.orgs_page(OrgKind::Company, &s, offset, PAGE_SIZE)?)
    })
    .await;
    let (orgs, total) = match found {
        Ok(x) => x,
        Err(e) => return error_page(ch, &e),
    };
    let rows = orgs
        .into_iter()
        .map(|o| {
            let link = lang.f("vendor.customers.licenses", &[("name", &o.name)]);
            (o.id, o.name, link)
        })
        .collect();
    let pager = q.pager(lang, "/portal/vendor/customers", total);
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
