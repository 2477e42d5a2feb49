//! `GET /portal/reports/renewals[?q=...][&page=N][&format=csv]`: the renewals due on the
//! service's today (the API's `/api/v1/reports/renewals`: the library's
//! `renewals_overdue`), paged and searchable; the CSV is the API's.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::form::{FormState, ReportQuery, csv_download};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::error::ApiError;
use crate::issuers::Issuers;
use crate::ops::reports;
use crate::portal::page::{Chrome, error_page, render};
use crate::portal::paging::{Pager, matches, page_number, page_of, url};

const PATH: &str = "/portal/reports/renewals";

/// A renewal due.
pub struct Due {
    /// License number.
    pub license: u32,
    /// Licensee.
    pub licensee: String,
    /// Reseller ("–": the vendor's own).
    pub reseller: String,
    /// The term's last day.
    pub last_day: String,
    /// The day the renewal code was due.
    pub renew_by: String,
    /// Days late.
    pub days_late: u32,
    /// Due today, late, lapsed: in words.
    pub state: String,
}

#[derive(Template)]
#[template(path = "reports_renewals.html")]
struct RenewalsPage {
    c: Chrome,
    f: FormState,
    heading: String,
    count: String,
    rows: Vec<Due>,
    pager: Pager,
}

/// The state of a renewal in words.
fn state_words(lang: crate::portal::i18n::Lang, state: &str) -> &'static str {
    match state {
        "due today" => lang.t("reports.renewals.due_today"),
        "late" => lang.t("reports.renewals.late"),
        _ => lang.t("reports.renewals.lapsed"),
    }
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
    let ch = ch.titled(lang.t("reports.renewals.title").to_owned());
    let rows = match blocking(&app, move |app| reports::renewals(app, today)).await {
        Ok(r) => r,
        Err(e) => return error_page(ch, &e),
    };
    if q.format == "csv" {
        return match license_issue::to_csv(&rows) {
            Ok(body) => csv_download(&format!("renewals-{today}"), body),
            Err(e) => error_page(ch, &ApiError::from(e)),
        };
    }
    let search: String = q.q.chars().take(100).collect();
    let rows: Vec<Due> = rows
        .iter()
        .filter(|r| {
            matches(
                &search,
                &[
                    &r.license_id.to_string(),
                    &r.licensee,
                    r.reseller.as_deref().unwrap_or(""),
                ],
            )
        })
        .map(|r| Due {
            license: r.license_id,
            licensee: r.licensee.clone(),
            reseller: r.reseller.clone().unwrap_or_else(|| "–".to_owned()),
            last_day: lang.date(r.last_day),
            renew_by: lang.date(r.renew_by),
            days_late: r.days_late,
            state: state_words(lang, r.state).to_owned(),
        })
        .collect();
    let count = lang.f("reports.renewals.count", &[("count", &rows.len().to_string())]);
    let s2 = search.clone();
    let (rows, pager) = page_of(lang, rows, page_number(q.page.as_deref()), |n| {
        url(PATH, &[("q", &s2), ("page", &n.to_string())])
    });
    render(
        StatusCode::OK,
        &RenewalsPage {
            c: ch,
            f: FormState {
                action: PATH.to_owned(),
                q: search,
                show_q: true,
                csv: url(PATH, &[("format", "csv")]),
                ..FormState::default()
            },
            heading: lang.f("reports.renewals.heading", &[("day", &lang.date(today))]),
            count,
            rows,
            pager,
        },
    )
}
