//! `/portal/customers`: a reseller's end customers, the licensees (and the companies that
//! hold them in the service) of the licenses it made or received, each with its licenses;
//! paged and searchable by name. The licenses are those the API's list shows the reseller
//! (`ops::licenses::visible_ids`), their licensees the ledger's.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_issue::Error;

use super::super::page::{Chrome, error_page, render};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::licenses::visible_ids;
use crate::portal::paging::{self, ListQuery, Pager};
use crate::rights::OrgKind;

/// An end customer.
struct CustomerRow {
    licensee: String,
    companies: String,
    count: usize,
    licenses: Vec<u32>,
}

#[derive(Template)]
#[template(path = "reseller_customers.html")]
struct CustomersPage {
    c: Chrome,
    q: String,
    count: String,
    rows: Vec<CustomerRow>,
    pager: Pager,
}

/// An end customer: its licensee name, the companies holding its licenses, their ids.
type Customer = (String, Vec<String>, Vec<u32>);

/// The end customers of the reseller, by name.
fn customers<I: Issuers>(app: &App<I>, c: &Caller) -> ApiResult<Vec<Customer>> {
    let Some((org, OrgKind::Reseller)) = c.org() else {
        return Err(ApiError::forbidden("the customers page is a reseller's"));
    };
    let ids = visible_ids(app, c)?.unwrap_or_default();
    let companies: BTreeMap<u32, i64> = app
        .store
        .licenses(0, org)?
        .into_iter()
        .map(|o| (o.license_id, o.company_id))
        .collect();
    let names: BTreeMap<i64, String> = app
        .store
        .orgs(OrgKind::Company)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let licensees = app.issuers.with(|is| -> Result<Vec<(u32, String)>, Error> {
        ids.iter()
            .map(|id| Ok((*id, is.history(*id)?.licensee)))
            .collect()
    })?;
    let mut by: BTreeMap<String, (Vec<String>, Vec<u32>)> = BTreeMap::new();
    for (id, licensee) in licensees {
        let e = by.entry(licensee).or_default();
        e.1.push(id);
        if let Some(name) = companies.get(&id).and_then(|c| names.get(c))
            && !e.0.contains(name)
        {
            e.0.push(name.clone());
        }
    }
    Ok(by.into_iter().map(|(l, (cs, ids))| (l, cs, ids)).collect())
}

/// `GET /portal/customers?q=...&page=N`.
pub(super) async fn list<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/customers");
    let lang = ch.lang;
    let Query(q) = q.unwrap_or_default();
    let search = q.search();
    let all = match blocking(&app, move |app| customers(app, &c)).await {
        Ok(x) => x,
        Err(e) => return error_page(ch, &e),
    };
    let found: Vec<CustomerRow> = all
        .into_iter()
        .filter(|(l, cs, _)| {
            paging::matches(&search, &[l]) || cs.iter().any(|c| paging::matches(&search, &[c]))
        })
        .map(|(licensee, cs, licenses)| CustomerRow {
            licensee,
            companies: cs.join(", "),
            count: licenses.len(),
            licenses,
        })
        .collect();
    let count = lang.f("rsl.customers.count", &[("count", &found.len().to_string())]);
    let (rows, pager) = q.page_of(lang, "/portal/customers", found);
    let title = lang.t("rsl.customers.title").to_owned();
    render(
        StatusCode::OK,
        &CustomersPage {
            c: ch.titled(title),
            q: search,
            count,
            rows,
            pager,
        },
    )
}
