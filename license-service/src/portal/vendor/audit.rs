//! `GET /portal/vendor/audit`: the audit log as the API gives it (`GET /api/v1/audit`:
//! the store's newest lines, at most 1,000), 20 a page, filterable by action and by actor.

use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use license_core::Date;
use serde::Deserialize;

use crate::api::app::{App, blocking};
use crate::api::caller::Caller;
use crate::issuers::Issuers;
use crate::portal::i18n::Lang;
use crate::portal::page::{Chrome, error_page, render};
use crate::portal::paging::{self, Pager};

/// The most lines the API gives (and the page reads).
const MOST: i64 = 1000;

#[derive(Deserialize, Default)]
pub(super) struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    page: Option<i64>,
}

struct Line {
    at: String,
    actor: String,
    org: i64,
    action: String,
    subject: String,
}

#[derive(Template)]
#[template(path = "vendor_audit.html")]
struct AuditPage {
    c: Chrome,
    actions: Vec<(String, bool)>,
    actor: String,
    count: String,
    rows: Vec<Line>,
    pager: Pager,
}

/// A moment (ms since the epoch) as the day in the reader's language and the UTC time.
fn when(lang: Lang, at_ms: i64) -> String {
    let secs = at_ms.div_euclid(1000);
    let day = Date::from_unix_seconds(secs);
    let in_day = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        lang.date(day),
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

/// `GET /portal/vendor/audit?action=&actor=&page=`.
pub(super) async fn list<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    headers: HeaderMap,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Response {
    let ch = Chrome::of(&c, &headers, "/portal/vendor/audit");
    let Query(q) = q.unwrap_or_default();
    let lang = ch.lang;
    let lines = match blocking(&app, |app| Ok(app.store.audit_log(0, MOST)?)).await {
        Ok(l) => l,
        Err(e) => return error_page(ch, &e),
    };
    let mut actions: Vec<String> = lines.iter().map(|l| l.action.clone()).collect();
    actions.sort_unstable();
    actions.dedup();
    let (action, actor) = (q.action.trim().to_owned(), q.actor.trim().to_owned());
    let found: Vec<Line> = lines
        .into_iter()
        .filter(|l| (action.is_empty() || l.action == action) && paging::matches(&actor, &[&l.actor]))
        .map(|l| Line {
            at: when(lang, l.at_ms),
            actor: l.actor,
            org: l.org_id,
            action: l.action,
            subject: l.subject,
        })
        .collect();
    let total = found.len();
    let (rows, pager) = paging::page_of(lang, found, q.page.unwrap_or(1), |n| {
        paging::url(
            "/portal/vendor/audit",
            &[("action", &action), ("actor", &actor), ("page", &n.to_string())],
        )
    });
    let title = lang.t("vendor.audit.title").to_owned();
    render(
        StatusCode::OK,
        &AuditPage {
            c: ch.titled(title),
            actions: actions
                .into_iter()
                .map(|a| {
                    let on = a == action;
                    (a, on)
                })
                .collect(),
            actor,
            count: lang.f(
                "vendor.audit.count",
                &[("count", &total.to_string()), ("most", &MOST.to_string())],
            ),
            rows,
            pager,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_is_its_day_in_the_readers_language_and_the_utc_time() {
        // 2026-11-02 13:04:05 UTC
        let ms = (Date::from_ymd(2026, 11, 2).unwrap().unix_seconds() + 13 * 3600 + 4 * 60 + 5) * 1000;
        assert_eq!(when(Lang::En, ms), "2026-11-02 13:04:05 UTC");
        assert_eq!(when(Lang::De, ms), "02.11.2026 13:04:05 UTC");
    }
}
