//! GDPR erasure of a licensee's personal data, shared by the JSON API and the vendor's
//! portal page: the library's `Ledger::erase_licensee` replaces the licensee's name in
//! every ledger record with a random pseudonym. The codes already issued stay verifiable
//! (their signatures are untouched); re-signing one of the licenses needs the name again
//! (`422 erased`). The audit line names the pseudonym, never the name.

use crate::api::app::App;
use crate::error::ApiResult;
use crate::issuers::Issuers;
use crate::ops::accounts::check_name;
use crate::store::audit::AuditAction;

/// What an erasure did.
pub struct Erased {
    /// The ledger records changed.
    pub records: usize,
    /// The pseudonym now in the name's place.
    pub pseudonym: String,
}

/// The licensee's name as given must be a name (`licensee` named otherwise).
pub fn check(licensee: &str) -> ApiResult<()> {
    check_name("licensee", licensee)
}

/// Erase `licensee`'s name from the ledger, audited as `actor` of organisation `org`.
pub fn erase<I: Issuers>(app: &App<I>, actor: &str, org: i64, licensee: &str) -> ApiResult<Erased> {
    check(licensee)?;
    let pseudonym = license_issue::random_pseudonym()?;
    let records = app
        .issuers
        .with(|is| license_issue::Ledger::erase_licensee(is.ledger_mut(), licensee, &pseudonym))?;
    app.store.audit(actor, org, AuditAction::Erase, &pseudonym)?;
    Ok(Erased { records, pseudonym })
}
