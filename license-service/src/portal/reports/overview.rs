//! `GET /portal/reports`: the charts of the last 12 months up to the service's today —
//! licenses issued per month by kind (the library's issued report of each month, from one
//! read of the months' records) and subscriptions active on each month's last day (today
//! for this month; the library's rule of "active on a day" counted per day over one read
//! of the terms of the 12 months, see docs/SERVICE.md for the cost) — each with its
//! numbers in a table.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_core::Date;

use super::chart::{self, COLOURS, Chart};
use super::words::{kind_words, last_months, month_words, reading_day};
use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::issuers::Issuers;
use crate::ops::reports;
use crate::portal::page::{Chrome, error_page, render};

/// Months the charts cover.
pub const MONTHS: usize = 12;

/// A month's row of the issued table.
pub struct IssuedLine {
    /// The month's id (`2026-11`), for the table's cell ids.
    pub id: String,
    /// The month in words.
    pub month: String,
    /// New licenses per kind.
    pub kinds: Vec<u32>,
    /// Codes issued (all kinds, new and revised).
    pub codes: u32,
    /// Link to the month's report.
    pub link: String,
}

/// A month's row of the active table.
pub struct ActiveLine {
    /// The month's id.
    pub id: String,
    /// The month in words.
    pub month: String,
    /// The day counted, in words.
    pub day: String,
    /// Subscriptions active on it.
    pub count: usize,
}

#[derive(Template)]
#[template(path = "reports_overview.html")]
struct OverviewPage {
    c: Chrome,
    kinds: Vec<(&'static str, String)>,
    issued_chart: Chart,
    issued_label: String,
    issued: Vec<IssuedLine>,
    active_chart: Chart,
    active_label: String,
    active: Vec<ActiveLine>,
}

/// The page.
pub async fn page<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/reports");
    let lang = ch.lang;
    let today = (app.today)();
    let months = last_months(today, MONTHS);
    let m2 = months.clone();
    let result = blocking(&app, move |app| {
        let issued = reports::issued_by_month(app, &m2)?;
        let days: Vec<Date> = m2.iter().map(|m| reading_day(*m, today)).collect();
        let counts = reports::active_counts(app, &days)?;
        let active: Vec<(Date, usize)> = days.into_iter().zip(counts).collect();
        Ok((issued, active))
    })
    .await;
    let (issued, active) = match result {
        Ok(x) => x,
        Err(e) => return error_page(ch, &e),
    };
    let labels: Vec<String> = months.iter().map(|m| month_words(lang, *m)).collect();
    let kind_labels: Vec<&'static str> = issued
        .first()
        .map(|r| r.totals.iter().map(|t| t.kind).collect())
        .unwrap_or_default();
    let kinds: Vec<(&'static str, String)> = kind_labels
        .iter()
        .enumerate()
        .map(|(i, k)| (COLOURS[i % COLOURS.len()], kind_words(lang, k).to_owned()))
        .collect();
    let bars: Vec<Vec<(u32, String)>> = issued
        .iter()
        .zip(&labels)
        .map(|(r, month)| {
            r.totals
                .iter()
                .map(|t| {
                    let title = lang.f(
                        "reports.chart.bar",
                        &[
                            ("month", month),
                            ("kind", kind_words(lang, t.kind)),
                            ("count", &t.new_licenses.to_string()),
                        ],
                    );
                    (t.new_licenses, title)
                })
                .collect()
        })
        .collect();
    let issued_lines = issued
        .iter()
        .zip(&labels)
        .map(|(r, month)| IssuedLine {
            id: r.month.to_string(),
            month: month.clone(),
            kinds: r.totals.iter().map(|t| t.new_licenses).collect(),
            codes: r.totals.iter().map(|t| t.codes).sum(),
            link: format!("/portal/reports/issued?month={}", r.month),
        })
        .collect();
    let points: Vec<(u64, String)> = active
        .iter()
        .map(|(day, n)| {
            (
                *n as u64,
                lang.f(
                    "reports.chart.point",
                    &[("day", &lang.date(*day)), ("count", &n.to_string())],
                ),
            )
        })
        .collect();
    let active_lines = active
        .iter()
        .zip(months.iter().zip(&labels))
        .map(|((day, n), (m, month))| ActiveLine {
            id: m.to_string(),
            month: month.clone(),
            day: lang.date(*day),
            count: *n,
        })
        .collect();
    let (first, last) = (
        labels.first().cloned().unwrap_or_default(),
        labels.last().cloned().unwrap_or_default(),
    );
    let range = [("from", first.as_str()), ("to", last.as_str())];
    let title = lang.t("reports.title").to_owned();
    render(
        StatusCode::OK,
        &OverviewPage {
            c: ch.titled(title),
            kinds,
            issued_chart: chart::stacked(&labels, &bars),
            issued_label: lang.f("reports.issued.chart", &range),
            issued: issued_lines,
            active_chart: chart::line(&labels, &points),
            active_label: lang.f("reports.active.chart", &range),
            active: active_lines,
        },
    )
}
