//! What every report page does first: read its rows off the async runtime, and answer a
//! `format=csv` query with the CSV download (or the error page) instead of the page.

use std::sync::Arc;

use axum::response::Response;

use super::form::{FormState, ReportQuery, csv_download};
use crate::api::app::{App, blocking};
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::portal::i18n::Lang;
use crate::portal::page::{Chrome, error_page};
use crate::portal::paging::{Pager, matches, page_number, page_of, url};

/// The report `read` gives, or the response that ends the request: the error page, or
/// the CSV (`csv`) downloaded as `name`.csv when `q` asks for it.
pub async fn fetch<I: Issuers, T: Send + 'static, E>(
    app: &Arc<App<I>>,
    ch: Chrome,
    q: &ReportQuery,
    name: String,
    read: impl FnOnce(&App<I>) -> ApiResult<T> + Send + 'static,
    csv: impl FnOnce(&T) -> Result<String, E>,
) -> Result<(Chrome, T), Box<Response>>
where
    ApiError: From<E>,
{
    let report = match blocking(app, read).await {
        Ok(r) => r,
        Err(e) => return Err(Box::new(error_page(ch, &e))),
    };
    if q.format == "csv" {
        return Err(Box::new(match csv(&report) {
            Ok(body) => csv_download(&name, body),
            Err(e) => error_page(ch, &ApiError::from(e)),
        }));
    }
    Ok((ch, report))
}

/// Whether a license's row (its number, licensee, reseller) matches the search `q`.
pub fn license_matches(q: &str, license: u32, licensee: &str, reseller: Option<&str>) -> bool {
    matches(q, &[&license.to_string(), licensee, reseller.unwrap_or("")])
}

/// Today's list at `path` (the notices, the renewals) searched for `search`: page
/// `q.page` of `rows` with its links, and the form above it (the search, the CSV link).
pub fn today_list<T>(
    lang: Lang,
    path: &str,
    search: String,
    q: &ReportQuery,
    rows: Vec<T>,
) -> (FormState, Vec<T>, Pager) {
    let (rows, pager) = page_of(lang, rows, page_number(q.page.as_deref()), |n| {
        url(path, &[("q", &search), ("page", &n.to_string())])
    });
    let f = FormState {
        action: path.to_owned(),
        q: search,
        show_q: true,
        csv: url(path, &[("format", "csv")]),
        ..FormState::default()
    };
    (f, rows, pager)
}
