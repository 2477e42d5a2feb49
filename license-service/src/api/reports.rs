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
use crate::ops::reports;

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
    let month = reports::month(&q.month)?;
    let csv = match q.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::field("format", "format is json or csv")),
    };
    blocking(&app, move |app| {
        let report = reports::caller_invoice(app, &c, month, q.reseller)?;
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
