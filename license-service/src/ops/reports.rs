//! The vendor's reports, shared by the JSON API (`GET /api/v1/reports/...`) and the
//! portal's report pages: each reads what the library's report needs from the ledger (and
//! the store, for the records imported from resellers' exports) and calls the library's
//! report function, which holds the rule. Run inside `blocking` (they read the database).

use license_core::Date;
use license_issue::{
    ActiveRow, Error, Invoice, IssuedReport, Ledger, Month, NoticeRow, ProRataReport, Record, RenewalRow,
};

use crate::api::app::App;
use crate::api::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::issuers::Issuers;
use crate::names;
use crate::permissions::Cell;
use crate::rights::OrgKind;

fn bounds(month: Month) -> ApiResult<(Date, Date)> {
    month
        .bounds()
        .ok_or_else(|| ApiError::field("month", format!("{month} is not a month")))
}

/// The codes issued in `month` by kind (the library's `issued_in_month` over the records
/// recorded in the month).
pub fn issued<I: Issuers>(app: &App<I>, month: Month) -> ApiResult<IssuedReport> {
    let (from, to) = bounds(month)?;
    Ok(app.issuers.with(|is| -> Result<_, Error> {
        let records = is.ledger().records_recorded(from, to)?;
        license_issue::issued_in_month(&records, is.catalogs(), month)
    })?)
}

/// The issued report of each of `months` (ascending), from one read of the records
/// recorded from the first month's first day until after the last: the library's
/// `issued_in_month` for each month.
pub fn issued_by_month<I: Issuers>(app: &App<I>, months: &[Month]) -> ApiResult<Vec<IssuedReport>> {
    let (Some(first), Some(last)) = (months.iter().min(), months.iter().max()) else {
        return Ok(Vec::new());
    };
    let (from, _) = bounds(*first)?;
    let (_, to) = bounds(*last)?;
    Ok(app.issuers.with(|is| -> Result<_, Error> {
        let records = is.ledger().records_recorded(from, to)?;
        months
            .iter()
            .map(|&m| license_issue::issued_in_month(&records, is.catalogs(), m))
            .collect()
    })?)
}

/// The subscriptions in force on `day`: the licenses the ledger selects by their terms in
/// brief (an index), and the library's rule (`active_on`) decides.
pub fn active<I: Issuers>(app: &App<I>, day: Date) -> ApiResult<Vec<ActiveRow>> {
    Ok(app.issuers.with(|is| -> Result<_, Error> {
        let terms = is.ledger().license_terms_active_on(day)?;
        Ok(license_issue::active_on(&terms, is.catalogs(), day))
    })?)
}

/// How many subscriptions are in force on each of `days`: one read of the licenses the
/// ledger selects for the days' span (`license_terms_active_between`, an index), and the
/// library's rule counted per day (`active_counts`, the rule of `active_on`).
pub fn active_counts<I: Issuers>(app: &App<I>, days: &[Date]) -> ApiResult<Vec<usize>> {
    let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) else {
        return Ok(Vec::new());
    };
    Ok(app.issuers.with(|is| -> Result<_, Error> {
        let terms = is.ledger().license_terms_active_between(first, last)?;
        Ok(license_issue::active_counts(&terms, days))
    })?)
}

/// The renewal notices due on `today` (the library's `renewal_notices_due` over every
/// history).
pub fn notices<I: Issuers>(app: &App<I>, today: Date) -> ApiResult<Vec<NoticeRow>> {
    Ok(app.issuers.with(|is| -> Result<_, Error> {
        let histories = is.histories()?;
        Ok(license_issue::renewal_notices_due(
            &histories,
            is.catalogs(),
            today,
        ))
    })?)
}

/// The renewals due on `today`: cancellation deadline passed, no code yet (the library's
/// `renewals_overdue` over every history).
pub fn renewals<I: Issuers>(app: &App<I>, today: Date) -> ApiResult<Vec<RenewalRow>> {
    Ok(app.issuers.with(|is| -> Result<_, Error> {
        let histories = is.histories()?;
        license_issue::renewals_overdue(&histories, is.catalogs(), today)
    })?)
}

/// The subscriptions of `month` pro rata, per reseller (one reseller's with `reseller`):
/// the library's `pro_rata` over every history.
pub fn pro_rata<I: Issuers>(app: &App<I>, month: Month, reseller: Option<&str>) -> ApiResult<ProRataReport> {
    Ok(app.issuers.with(|is| -> Result<_, Error> {
        let histories = is.histories()?;
        license_issue::pro_rata(&histories, is.catalogs(), month, reseller)
    })?)
}

/// The invoice basis of `month` as the organisation `org` of `kind` may read it: a
/// reseller its own section only, the vendor every reseller's (one reseller's with
/// `reseller`). The library's `invoice` over the ledger's records and those imported from
/// resellers' exports.
pub fn invoice<I: Issuers>(
    app: &App<I>,
    org: i64,
    kind: OrgKind,
    month: Month,
    reseller: Option<String>,
) -> ApiResult<Invoice> {
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
/// vendor's for every reseller or the one named ([`invoice`]), after the checks the
/// caller needs (a reseller name the service accepts; a user's right to read reports).
/// Blocking (the ledger).
pub fn caller_invoice<I: Issuers>(
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
    invoice(app, org, kind, month, reseller)
}
