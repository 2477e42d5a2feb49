//! The invoice basis per reseller, shared by the JSON API (`GET /api/v1/reports/invoice`)
//! and the reseller's statement pages: the library's `invoice` (the codes created in the
//! month by kind and the subscriptions pro rata) over the ledger and the records imported
//! from resellers' exports. A reseller reads its own section only.

use license_issue::{Error, Invoice, Ledger, Month, Record};

use crate::api::app::App;
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::names;
use crate::permissions::Cell;
use crate::rights::OrgKind;

/// A month given as `YYYY-MM` (a 400 naming `month`).
pub fn month(text: &str) -> ApiResult<Month> {
    Month::parse(text.trim()).map_err(|e| ApiError::field("month", e.to_string()))
}

/// A reseller's user needs the right to read reports (a `right` cell).
pub fn need_reports_right(c: &Caller) -> ApiResult<()> {
    if c.cell == Cell::Right && !c.user().is_some_and(|u| u.admin || u.rights.reports) {
        return Err(ApiError::forbidden(
            "your administrator has not granted you the right to read reports",
        ));
    }
    Ok(())
}

/// The invoice basis of `month`: a reseller's own section (whatever `reseller` says), the
/// vendor's for every reseller or the one named. Blocking (the ledger).
pub fn invoice<I: Issuers>(
    app: &App<I>,
    c: &Caller,
    month: Month,
    reseller: Option<String>,
) -> ApiResult<Invoice> {
    if let Some(r) = &reseller
        && let Some(why) = names::refused(r)
    {
        return Err(ApiError::field("reseller", format!("reseller is refused: {why}")));
    }
    need_reports_right(c)?;
    let (org, kind) = c.org().ok_or_else(ApiError::unauthenticated)?;
    let reseller = match kind {
        OrgKind::Reseller => Some(
            app.store
                .org(org)?
                .ok_or_else(|| ApiError::not_found("reseller"))?
                .name,
        ),
        _ => reseller,
    };
    let imported: Vec<Record> = app
        .store
        .imported()?
        .iter()
        .map(|t| serde_json::from_str(t).map_err(|e| ApiError::internal(format!("an imported record: {e}"))))
        .collect::<ApiResult<_>>()?;
    Ok(app.issuers.with(|is| -> Result<_, Error> {
        let mut records = is.ledger().records()?;
        records.extend(imported);
        license_issue::invoice(&records, is.catalogs(), month, reseller.as_deref())
    })?)
}
