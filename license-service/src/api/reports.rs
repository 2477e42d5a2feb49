//! Reports added for issue 21, item 3 beside those in `licenses.rs`: the invoice basis per
//! reseller (the library's `invoice`: codes created in the month by kind and the
//! subscriptions pro rata), over the ledger and the records imported from resellers'
//! exports; JSON, or CSV with the library's neutralized cells.

use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::app::{App, blocking};
use super::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::names;
use crate::permissions::Cell;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InvoiceQuery {
    month: String,
    #[serde(default)]
    reseller: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

/// `GET /api/v1/reports/invoice?month=YYYY-MM[&reseller=NAME][&format=csv]`: the
/// vendor's invoice basis per reseller (one reseller's with `reseller`); a reseller reads
/// its own section only.
pub(crate) async fn invoice<I: Issuers>(
    State(app): State<Arc<App<I>>>,
    Extension(c): Extension<Caller>,
    q: Result<Query<InvoiceQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Query(q) = q.map_err(|e| ApiError::field("query", e.body_text()))?;
    let month = license_issue::Month::parse(&q.month).map_err(|e| ApiError::field("month", e.to_string()))?;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::field("format", "format is json or csv")),
    };
    if let Some(r) = &q.reseller
        && let Some(why) = names::refused(r)
    {
        return Err(ApiError::field("reseller", format!("reseller is refused: {why}")));
    }
    if c.cell == Cell::Right && !c.user().is_some_and(|u| u.admin || u.rights.reports) {
        return Err(ApiError::forbidden(
            "your administrator has not granted you the right to read reports",
        ));
    }
    let (org, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    blocking(&app, move |app| {
        let report = crate::ops::reports::invoice(app, org, kind, month, q.reseller)?;
        Ok(if csv {
            (
                [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
                report.to_csv()?,
            )
                .into_response()
        } else {
            Json(report).into_response()
        })
    })
    .await
}
