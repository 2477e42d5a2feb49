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

use super::fetch::{fetch, license_matches, today_list};
use super::form::{FormState, ReportQuery};
use crate::api::app::App;
use crate::api::caller::Caller;
use crate::issuers::Issuers;
use crate::ops::reports;
use crate::portal::page::{Chrome, render};
use crate::portal::paging::Pager;

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
    let (ch, rows) = match fetch(
        &app,
        ch,
        &q,
        format!("renewals-{today}"),
        move |app| reports::renewals(app, today),
        |r| license_issue::to_csv(r),
    )
    .await
    {
        Ok(x) => x,
        Err(done) => return *done,
    };
    let search: String = q.q.chars().take(100).collect();
    let rows: Vec<Due> = rows
        .iter()
        .filter(|r| license_matches(&search, r.license_id, &r.licensee, r.reseller.as_deref()))
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
    let (f, rows, pager) = today_list(lang, PATH, search, &q, rows);
    render(
        StatusCode::OK,
        &RenewalsPage {
            c: ch,
            f,
            heading: lang.f("reports.renewals.heading", &[("day", &lang.date(today))]),
            count,
            rows,
            pager,
        },
    )
}
