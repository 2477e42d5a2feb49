//! `GET /portal/reports/notices[?q=...][&page=N][&format=csv]`: the renewal notices due
//! on the service's today (the API's `/api/v1/reports/notices`: the library's
//! `renewal_notices_due`), paged and searchable; the CSV is the API's.

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

const PATH: &str = "/portal/reports/notices";

/// A notice due.
pub struct Notice {
    /// License number.
    pub license: u32,
    /// Licensee.
    pub licensee: String,
    /// Reseller ("–": the vendor's own).
    pub reseller: String,
    /// What ends, in words.
    pub what: String,
    /// Its last day.
    pub last_day: String,
    /// The day the notice was due.
    pub notice_on: String,
    /// Days left.
    pub days_left: u32,
}

#[derive(Template)]
#[template(path = "reports_notices.html")]
struct NoticesPage {
    c: Chrome,
    f: FormState,
    heading: String,
    count: String,
    rows: Vec<Notice>,
    pager: Pager,
}

fn what_words(lang: crate::portal::i18n::Lang, what: &str) -> &'static str {
    match what {
        "subscription" => lang.t("kind.subscription"),
        "nfr" => lang.t("kind.nfr"),
        _ => lang.t("reports.notices.maintenance"),
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
    let ch = ch.titled(lang.t("reports.notices.title").to_owned());
    let (ch, rows) = match fetch(
        &app,
        ch,
        &q,
        format!("notices-{today}"),
        move |app| reports::notices(app, today),
        |r| license_issue::to_csv(r),
    )
    .await
    {
        Ok(x) => x,
        Err(done) => return *done,
    };
    let search: String = q.q.chars().take(100).collect();
    let rows: Vec<Notice> = rows
        .iter()
        .filter(|r| license_matches(&search, r.license_id, &r.licensee, r.reseller.as_deref()))
        .map(|r| Notice {
            license: r.license_id,
            licensee: r.licensee.clone(),
            reseller: r.reseller.clone().unwrap_or_else(|| "–".to_owned()),
            what: what_words(lang, r.what).to_owned(),
            last_day: lang.date(r.last_day),
            notice_on: lang.date(r.notice_on),
            days_left: r.days_left,
        })
        .collect();
    let count = lang.f("reports.notices.count", &[("count", &rows.len().to_string())]);
    let (f, rows, pager) = today_list(lang, PATH, search, &q, rows);
    render(
        StatusCode::OK,
        &NoticesPage {
            c: ch,
            f,
            heading: lang.f("reports.notices.heading", &[("day", &lang.date(today))]),
            count,
            rows,
            pager,
        },
    )
}
