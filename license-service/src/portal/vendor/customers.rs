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
use serde::Deserialize;

use super::common::{Pager, enc, matches, paged};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::issuers::Issuers;
use crate::portal::page::{Chrome, error_page, render};
use crate::rights::OrgKind;

#[derive(Deserialize, Default)]
pub(super) struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
}

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
        .filter(|o| matches(&o.name, &search) || o.id.to_string() == search)
        .map(|o| {
            let link = lang.f("vendor.customers.licenses", &[("name", &o.name)]);
            (o.id, o.name, link)
        })
        .collect();
    let s2 = search.clone();
    let (rows, pager, total) = paged(found, q.page.unwrap_or(1), lang, |n| {
        format!("/portal/vendor/customers?q={}&page={n}", enc(&s2))
    });
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
