//! `/portal/statements`: a reseller's monthly list of what it created and its statement of
//! subscriptions pro rata, from its section of the invoice basis the API offers it
//! (`ops::reports::caller_invoice`, as `GET /api/v1/reports/invoice`): a page, and each list as a
//! CSV download (the library's `to_csv`, cells neutralized).

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use license_issue::{Invoice, IssuedRow, Month, ProRataRow};
use serde::Deserialize;

use super::super::i18n::Lang;
use super::super::page::{Chrome, error_page, error_text, render};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::ops::reports;

#[derive(Deserialize, Default)]
pub(super) struct MonthQuery {
    #[serde(default)]
    month: Option<String>,
}

/// A code created in the month.
struct CreatedRow {
    day: String,
    license_id: u32,
    operation: String,
    kind: String,
    licensee: String,
    line: String,
    users: String,
    modules: String,
}

/// A subscription's days in the month.
struct ProRataView {
    license_id: u32,
    licensee: String,
    from: String,
    to: String,
    days: String,
    users: String,
    modules: String,
}

#[derive(Template)]
#[template(path = "reseller_statements.html")]
struct StatementsPage {
    c: Chrome,
    month: String,
    error: String,
    created_title: String,
    created: Vec<CreatedRow>,
    prorata_title: String,
    prorata: Vec<ProRataView>,
    totals: String,
}

/// The month asked for (this month when none).
fn month_of<I: Issuers>(app: &App<I>, q: &MonthQuery) -> ApiResult<Month> {
    match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => reports::month(m),
        None => reports::month(&(app.today)().to_string()[..7]),
    }
}

fn users(lang: Lang, n: Option<u32>) -> String {
    n.map_or_else(|| lang.t("license.unlimited").to_owned(), |n| n.to_string())
}

fn created_rows(lang: Lang, inv: &Invoice) -> Vec<CreatedRow> {
    inv.resellers
        .iter()
        .flat_map(|s| &s.codes)
        .map(|r| CreatedRow {
            day: lang.date(r.date),
            license_id: r.license_id,
            operation: r.operation.to_owned(),
            kind: r.kind.to_owned(),
            licensee: r.licensee.clone(),
            line: r.line.clone(),
            users: users(lang, r.named_users),
            modules: r.modules.join(", "),
        })
        .collect()
}

fn prorata_rows(lang: Lang, inv: &Invoice) -> Vec<ProRataView> {
    inv.resellers
        .iter()
        .flat_map(|s| &s.subscriptions)
        .map(|r| ProRataView {
            license_id: r.license_id,
            licensee: r.licensee.clone(),
            from: lang.date(r.from),
            to: lang.date(r.to),
            days: lang.f(
                "rsl.statements.days",
                &[
                    ("days", &r.days.to_string()),
                    ("of", &r.days_in_month.to_string()),
                ],
            ),
            users: users(lang, r.named_users),
            modules: r.modules.join(", "),
        })
        .collect()
}

/// The subscription lines' totals in words.
fn totals(lang: Lang, inv: &Invoice) -> String {
    let (mut subs, mut days, mut user_days) = (0u32, 0u32, 0u64);
    for l in inv.lines() {
        subs += l.subscriptions.unwrap_or(0);
        days += l.subscription_days.unwrap_or(0);
        user_days += l.user_days.unwrap_or(0);
    }
    lang.f(
        "rsl.statements.totals",
        &[
            ("subscriptions", &subs.to_string()),
            ("days", &days.to_string()),
            ("user_days", &user_days.to_string()),
        ],
    )
}

/// `GET /portal/statements?month=YYYY-MM`.
pub(super) async fn page<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<MonthQuery>, QueryRejection>,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/statements");
    let lang = ch.lang;
    let Query(q) = q.unwrap_or_default();
    let typed = q.month.clone().unwrap_or_default();
    let result = blocking(&app, move |app| {
        let month = month_of(app, &q)?;
        Ok((month, reports::caller_invoice(app, &c, month, None)?))
    })
    .await;
    let title = lang.t("rsl.statements.title").to_owned();
    match result {
        Ok((month, inv)) => {
            let m = month.to_string();
            render(
                StatusCode::OK,
                &StatementsPage {
                    c: ch.titled(title),
                    created_title: lang.f("rsl.statements.created", &[("month", &m)]),
                    prorata_title: lang.f("rsl.statements.prorata", &[("month", &m)]),
                    created: created_rows(lang, &inv),
                    prorata: prorata_rows(lang, &inv),
                    totals: totals(lang, &inv),
                    month: m,
                    error: String::new(),
                },
            )
        }
        Err(e) if e.field.as_deref() == Some("month") => render(
            e.status,
            &StatementsPage {
                c: ch.titled(title),
                error: error_text(lang, &e),
                month: typed,
                created_title: String::new(),
                created: Vec::new(),
                prorata_title: String::new(),
                prorata: Vec::new(),
                totals: String::new(),
            },
        ),
        Err(e) => error_page(ch, &e),
    }
}

/// A CSV download named after the month.
fn csv(name: &str, month: Month, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}-{month}.csv\"");
    let mut resp = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        )],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

async fn download<I: Issuers>(
    app: Arc<App<I>>,
    c: Caller,
    headers: HeaderMap,
    q: MonthQuery,
    name: &'static str,
    rows: fn(&Invoice) -> Result<String, license_issue::Error>,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/statements");
    let result = blocking(&app, move |app| {
        let month = month_of(app, &q)?;
        let inv = reports::caller_invoice(app, &c, month, None)?;
        Ok((month, rows(&inv).map_err(ApiError::from)?))
    })
    .await;
    match result {
        Ok((month, body)) => csv(name, month, body),
        Err(e) => error_page(ch, &e),
    }
}

fn created_csv_of(inv: &Invoice) -> Result<String, license_issue::Error> {
    let rows: Vec<IssuedRow> = inv.resellers.iter().flat_map(|s| s.codes.clone()).collect();
    license_issue::to_csv(&rows)
}

fn pro_rata_csv_of(inv: &Invoice) -> Result<String, license_issue::Error> {
    let rows: Vec<ProRataRow> = inv
        .resellers
        .iter()
        .flat_map(|s| s.subscriptions.clone())
        .collect();
    license_issue::to_csv(&rows)
}

/// `GET /portal/statements/created.csv?month=YYYY-MM`: the codes created in the month.
pub(super) async fn created_csv<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<MonthQuery>, QueryRejection>,
) -> Response {
    let Query(q) = q.unwrap_or_default();
    download(app, c, headers, q, "created", created_csv_of).await
}

/// `GET /portal/statements/pro-rata.csv?month=YYYY-MM`: the subscriptions pro rata.
pub(super) async fn pro_rata_csv<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<MonthQuery>, QueryRejection>,
) -> Response {
    let Query(q) = q.unwrap_or_default();
    download(app, c, headers, q, "pro-rata", pro_rata_csv_of).await
}
