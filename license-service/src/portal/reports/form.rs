//! The reports' query (month, reseller, search, page, CSV) and the form above each report
//! that sets it: validated on the server, its error naming the field.

use license_issue::Month;
use serde::Deserialize;

use super::words::month_field;
use crate::names;
use crate::portal::i18n::Lang;

/// A report page's query string (any field may be absent).
#[derive(Deserialize, Default)]
pub struct ReportQuery {
    /// `YYYY-MM`.
    #[serde(default)]
    pub month: Option<String>,
    /// Search text.
    #[serde(default)]
    pub q: String,
    /// Page number, from 1.
    #[serde(default)]
    pub page: Option<String>,
    /// One reseller's report.
    #[serde(default)]
    pub reseller: String,
    /// `csv` for the download.
    #[serde(default)]
    pub format: String,
}

/// The form above a report, as the template shows it.
#[derive(Default)]
pub struct FormState {
    /// The page's path.
    pub action: String,
    /// The month field's value ("" when the page has none).
    pub month: String,
    /// The search field's value.
    pub q: String,
    /// The reseller field's value.
    pub reseller: String,
    /// The page has a month field.
    pub show_month: bool,
    /// The page has a reseller field.
    pub show_reseller: bool,
    /// The page has a search field.
    pub show_q: bool,
    /// The error ("" when none).
    pub error: String,
    /// The field in error.
    pub field: String,
    /// The CSV download of the whole report ("" when none).
    pub csv: String,
}

/// What a report's form asks for, validated.
pub struct Asked {
    /// The month.
    pub month: Month,
    /// One reseller, or every one.
    pub reseller: Option<String>,
}

/// Validate `q` for a page at `action` (with a month and/or a reseller field), the month
/// defaulting to `default`: what it asks, and the form to show either way.
pub fn read(
    lang: Lang,
    action: &str,
    q: &ReportQuery,
    default: Month,
    fields: (bool, bool, bool),
) -> (Result<Asked, ()>, FormState) {
    let (show_month, show_reseller, show_q) = fields;
    let mut f = FormState {
        action: action.to_owned(),
        month: q
            .month
            .clone()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| default.to_string())
            .chars()
            .take(20)
            .collect(),
        q: q.q.chars().take(100).collect(),
        reseller: q.reseller.chars().take(100).collect(),
        show_month,
        show_reseller,
        show_q,
        ..FormState::default()
    };
    let month = match month_field(lang, q.month.as_deref(), default) {
        Ok(m) => m,
        Err(text) => {
            f.error = text;
            f.field = "month".to_owned();
            return (Err(()), f);
        }
    };
    let reseller = Some(f.reseller.trim().to_owned()).filter(|r| !r.is_empty());
    if let Some(r) = &reseller
        && names::refused(r).is_some()
    {
        f.error = lang.f("reports.reseller.invalid", &[("given", r)]);
        f.field = "reseller".to_owned();
        return (Err(()), f);
    }
    (Ok(Asked { month, reseller }), f)
}

/// A report's CSV (the library's, as the API answers it) as a download named `name`.
pub fn csv_download(name: &str, body: String) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}
