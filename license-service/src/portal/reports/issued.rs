//! `GET /portal/reports/issued?month=YYYY-MM[&q=...][&page=N][&format=csv]`: the codes
//! issued in a month (the API's `/api/v1/reports/issued`: the library's issued report),
//! totals by kind and per reseller, and every code with its license, kind and reseller,
//! paged and searchable; the CSV is the API's.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_issue::Month;

use super::fetch::fetch;
use super::form::{FormState, ReportQuery, read};
use super::words::{kind_words, last_day_words, month_words};
use crate::api::app::App;
use crate::api::caller::Caller;
use crate::issuers::Issuers;
use crate::ops::reports;
use crate::portal::page::{Chrome, render};
use crate::portal::paging::{Pager, matches, page_number, page_of, url};

const PATH: &str = "/portal/reports/issued";

/// A code's row.
pub struct CodeLine {
    /// Issued on.
    pub date: String,
    /// License number.
    pub license: u32,
    /// Revision.
    pub revision: u32,
    /// Kind in words.
    pub kind: String,
    /// Operation (the library's name).
    pub operation: String,
    /// Licensee.
    pub licensee: String,
    /// Issuing reseller ("–": the vendor's own).
    pub reseller: String,
    /// Last day of the term.
    pub last_day: String,
}

#[derive(Template)]
#[template(path = "reports_issued.html")]
struct IssuedPage {
    c: Chrome,
    f: FormState,
    heading: String,
    totals: Vec<(String, u32, u32)>,
    resellers: Vec<(String, String, String, u32, u32, u32)>,
    count: String,
    rows: Vec<CodeLine>,
    pager: Pager,
}

/// The page (or its CSV).
pub async fn page<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> Response {
    let Query(q) = q.unwrap_or_default();
    let today = (app.today)();
    let ch = Chrome::of(&c, &headers, PATH);
    let lang = ch.lang;
    let (asked, mut f) = read(lang, PATH, &q, Month::of(today), (true, false, true));
    let title = lang.t("reports.issued.title").to_owned();
    let ch = ch.titled(title);
    let Ok(asked) = asked else {
        return render(
            StatusCode::BAD_REQUEST,
            &IssuedPage {
                c: ch,
                f,
                heading: String::new(),
                totals: Vec::new(),
                resellers: Vec::new(),
                count: String::new(),
                rows: Vec::new(),
                pager: Pager::none(),
            },
        );
    };
    let month = asked.month;
    let (ch, report) = match fetch(
        &app,
        ch,
        &q,
        format!("issued-{month}"),
        move |app| reports::issued(app, month),
        |r| r.to_csv(),
    )
    .await
    {
        Ok(x) => x,
        Err(done) => return *done,
    };
    let m = month.to_string();
    f.csv = url(PATH, &[("month", &m), ("format", "csv")]);
    let rows: Vec<CodeLine> = report
        .codes
        .iter()
        .filter(|r| {
            matches(
                &f.q,
                &[
                    &r.license_id.to_string(),
                    &r.licensee,
                    r.reseller.as_deref().unwrap_or(""),
                    &r.product,
                ],
            )
        })
        .map(|r| CodeLine {
            date: lang.date(r.date),
            license: r.license_id,
            revision: r.revision,
            kind: kind_words(lang, r.kind).to_owned(),
            operation: r.operation.to_owned(),
            licensee: r.licensee.clone(),
            reseller: r.reseller.clone().unwrap_or_else(|| "–".to_owned()),
            last_day: r.expires.map_or_else(
                || lang.t("license.perpetual").to_owned(),
                |e| last_day_words(lang, Some(e)),
            ),
        })
        .collect();
    let count = lang.f("reports.issued.count", &[("count", &rows.len().to_string())]);
    let search = f.q.clone();
    let (rows, pager) = page_of(lang, rows, page_number(q.page.as_deref()), |n| {
        url(PATH, &[("month", &m), ("q", &search), ("page", &n.to_string())])
    });
    render(
        StatusCode::OK,
        &IssuedPage {
            c: ch,
            heading: lang.f("reports.issued.heading", &[("month", &month_words(lang, month))]),
            totals: report
                .totals
                .iter()
                .map(|t| (kind_words(lang, t.kind).to_owned(), t.new_licenses, t.codes))
                .collect(),
            resellers: report
                .resellers
                .iter()
                .filter(|t| t.codes > 0)
                .map(|t| {
                    (
                        t.invoiced
                            .clone()
                            .unwrap_or_else(|| lang.t("reports.direct").to_owned()),
                        t.reseller
                            .clone()
                            .unwrap_or_else(|| lang.t("reports.direct").to_owned()),
                        kind_words(lang, t.kind).to_owned(),
                        t.new_licenses,
                        t.tickets,
                        t.codes,
                    )
                })
                .collect(),
            count,
            rows,
            pager,
            f,
        },
    )
}
