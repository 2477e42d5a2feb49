//! `GET /portal/vendor/audit`: the whole audit log, newest first, 20 a page, filterable by
//! action and by actor; the filter and the page are read in SQL (`Store::audit_search`,
//! as `GET /api/v1/audit`), so the page costs the same however long the log has grown.

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
use crate::portal::respond::PAGE_SIZE;
use crate::store::audit::{AuditAction, AuditSearch};

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
    actions: Vec<(&'static str, bool)>,
    actor: String,
    error: String,
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
    let (action, actor) = (
        q.action.trim().to_owned(),
        q.actor.trim().chars().take(100).collect::<String>(),
    );
    let chosen = AuditAction::parse(&action);
    // An action the log does not know (only a hand-made URL has one) is named, not ignored.
    let error = if action.is_empty() || chosen.is_some() {
        String::new()
    } else {
        lang.f("vendor.audit.unknown", &[("action", &action)])
    };
    let search = AuditSearch {
        action: chosen,
        actor: actor.clone(),
        before: None,
    };
    let page = paging::page_or_first(q.page);
    let found = if error.is_empty() {
        let offset = paging::offset_of(page);
        blocking(&app, move |app| {
            Ok(app.store.audit_search(&search, offset, PAGE_SIZE, true)?)
        })
        .await
    } else {
        Ok((Vec::new(), Some(0)))
    };
    let (lines, total) = match found {
        Ok((lines, total)) => (lines, total.unwrap_or(0)),
        Err(e) => return error_page(ch, &e),
    };
    let rows = lines
        .into_iter()
        .map(|l| Line {
            at: when(lang, l.at_ms),
            actor: l.actor,
            org: l.org_id,
            action: l.action,
            subject: l.subject,
        })
        .collect();
    let pager = if error.is_empty() {
        Pager::at(lang, page, paging::pages(total), |n| {
            paging::url(
                "/portal/vendor/audit",
                &[("action", &action), ("actor", &actor), ("page", &n.to_string())],
            )
        })
    } else {
        Pager::none()
    };
    let title = lang.t("vendor.audit.title").to_owned();
    render(
        if error.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &AuditPage {
            c: ch.titled(title),
            actions: AuditAction::ALL
                .into_iter()
                .map(|a| (a.as_str(), Some(a) == chosen))
                .collect(),
            actor,
            error,
            count: lang.f("vendor.audit.count", &[("count", &total.to_string())]),
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
