//! A product's signed revocation list, shared by the JSON API and the vendor's portal
//! page: the library's `publish_revocation_list_with`, with the serials of the reseller
//! certificates the vendor revoked; audited.

use license_core::Date;
use license_issue::RevocationList;

use crate::api::app::App;
use crate::error::ApiResult;
use crate::issuers::Issuers;
use crate::store::audit::AuditAction;

/// The days a list is current when the caller names none.
pub const DEFAULT_VALID_DAYS: u32 = 30;

/// Publish `product`'s revocation list on `today`, current for `valid_days`, audited as
/// `actor` of organisation `org`.
pub fn publish<I: Issuers>(
    app: &App<I>,
    actor: &str,
    org: i64,
    product: &str,
    today: Date,
    valid_days: Option<u32>,
) -> ApiResult<RevocationList> {
    // With the serials of the reseller certificates the vendor revoked.
    let certificates = app.store.revoked_serials(product)?;
    let list = app.issuers.with(|is| {
        is.publish_revocation_list_with(
            product,
            today,
            valid_days.unwrap_or(DEFAULT_VALID_DAYS),
            0,
            &certificates,
        )
    })?;
    app.store
        .audit(actor, org, AuditAction::PublishRevocations, product)?;
    Ok(list)
}
