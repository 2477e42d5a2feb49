//! Errors of an order refused by the business rules, or a license it names: the `Order` part of [`crate::Error`].

use crate::error::class::ErrorClass;
use license_core::{Date, Kind};

/// Why an order refused by the business rules, or a license it names could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OrderError {
    /// An order without a licensee name.
    #[error(
        "invalid order: the licensee name is empty: give the name the customer's installation is configured with"
    )]
    EmptyLicensee,
    /// An order binding to an empty database code.
    #[error(
        "invalid order: the database code is empty: give the code the customer's installation shows, or bind to no database"
    )]
    EmptyDatabaseCode,
    /// A database code that the library's reader refuses (the product's catalog takes the
    /// toolkit's database codes).
    #[error(
        "invalid order: {error}; if product {product} has database identifiers of its own, say so once in its catalog (database_codes = \"free-form\" under [defaults])"
    )]
    InvalidDatabaseCode {
        /// The product whose catalog asks for the toolkit's codes.
        product: String,
        /// Why the reader refused it (with the group of a typo).
        error: license_core::DatabaseCodeError,
    },
    /// A seat server's key that is not 64 hex digits.
    #[error(
        "invalid order: a seat server's key is 64 hex digits, as `license-server key` prints it on the customer's server (got {given_len} characters)"
    )]
    InvalidSeatServerKey {
        /// The length of what was given.
        given_len: usize,
    },
    /// A rehost or transfer that both replaces and removes one part of the binding.
    #[error("invalid order: give either a new {} or remove the {} binding, not both", .part.new_value(), .part.name())]
    ReplaceAndRemove {
        /// The part of the binding.
        part: BindingPart,
    },
    /// A rehost that changes nothing.
    #[error(
        "invalid order: give the new binding (a database code, machine fingerprint or seat server key) or the part to remove"
    )]
    NothingToRehost,
    /// A move beyond the catalog's limit of moves per year.
    #[error(
        "license {license_id} was moved {limit} times in the last 365 days, the most its catalog allows (max_moves_per_year): the next move is possible on {next}; until then the vendor decides"
    )]
    TooManyMoves {
        /// The license.
        license_id: u32,
        /// The catalog's limit.
        limit: u32,
        /// The first day a move is allowed again.
        next: Date,
    },
    /// Every license id is used.
    #[error(
        "invalid order: license ids are exhausted (the ledger's last id is 4294967295): keep this ledger for its licenses and issue new ones from a new ledger"
    )]
    LicenseIdsExhausted,
    /// A license whose revision numbers are used up.
    #[error(
        "invalid order: the revision numbers of license {license_id} are exhausted: issue a new license for the customer and revoke this one"
    )]
    RevisionsExhausted {
        /// The license.
        license_id: u32,
    },
    /// A code that would be valid before the day it is signed.
    #[error(
        "invalid order: valid-from {valid_from} is before the day of issue {issued}: a code cannot be valid before it is signed"
    )]
    StartsBeforeIssue {
        /// The first valid day asked for.
        valid_from: Date,
        /// The day of issue.
        issued: Date,
    },
    /// A term given for a perpetual (full) license.
    #[error(
        "invalid order: a full license is perpetual: order a subscription or trial for a time-limited license"
    )]
    PerpetualHasNoTerm,
    /// A term that ends after the last day the format can express.
    #[error("invalid order: the term ends beyond 9999-12-31: order a shorter term")]
    TermBeyondCalendar,
    /// A revocation list current for no day at all.
    #[error(
        "invalid order: a revocation list must be current for at least one day: give a positive number of days"
    )]
    ListValidity,
    /// Zero users or zero seats.
    #[error(
        "invalid order: a license must grant at least one user or seat: give a positive number (or none for no limit)"
    )]
    NoUsersOrSeats,
    /// A code dated another day than the day it is signed.
    #[error(
        "invalid order: the issue date {issued} is not today ({today}): sign codes on the day they are issued"
    )]
    NotIssuedToday {
        /// The issue date of the code.
        issued: Date,
        /// Today.
        today: Date,
    },
    /// A time-limited kind without an end date.
    #[error("invalid order: a {kind} license needs an end date: give a term")]
    NeedsEndDate {
        /// The kind.
        kind: Kind,
    },
    /// An end date not after the start.
    #[error(
        "invalid order: the license would expire on {expires}, not after it starts on {starts}: give a later end date"
    )]
    EndsBeforeStart {
        /// The end asked for.
        expires: Date,
        /// The first valid day.
        starts: Date,
    },
    /// No limit where the catalog sets a maximum.
    #[error("invalid order: {what} must be limited for product {product} (at most {max}): give a number")]
    MustBeLimited {
        /// "named users" or "concurrent seats".
        what: &'static str,
        /// The product.
        product: String,
        /// The catalog's maximum.
        max: u32,
    },
    /// Module numbers the catalog does not define.
    #[error(
        "invalid order: module bits {bits:?} are not in the catalog of {product}: use module names the catalog defines"
    )]
    ModulesNotInCatalog {
        /// The product.
        product: String,
        /// The module numbers.
        bits: Vec<u8>,
    },
    /// A change to a license whose first code is not valid yet.
    #[error(
        "invalid order: license {license_id} has no revision in force on {today} yet: change it once it has started"
    )]
    NotStarted {
        /// The license.
        license_id: u32,
        /// Today.
        today: Date,
    },
    /// More users or seats than the product allows.
    #[error(
        "{what} of {requested} exceeds the {max} the product {product} allows: lower it or raise the limit in the catalog"
    )]
    OverLimit {
        /// "named users", "concurrent seats", "demo seats" or "grace days".
        what: &'static str,
        /// The number ordered.
        requested: u32,
        /// The catalog's limit.
        max: u32,
        /// The product.
        product: String,
    },
    /// A term or maintenance length in months beyond [`crate::MAX_TERM_MONTHS`].
    #[error("{what} of {months} months is out of range: use 1 to {max} months (100 years)")]
    MonthsOutOfRange {
        /// Which length: "term", "maintenance".
        what: &'static str,
        /// The number given.
        months: u32,
        /// The most allowed.
        max: u32,
    },
    /// An additional order that lowers something.
    #[error(
        "this order reduces license {license_id} ({what}): order it as a reduction, effective on the product's next reduction date (contract anniversary or quarter start)"
    )]
    ChangeReduces {
        /// The license.
        license_id: u32,
        /// What it lowers, in words ("fewer named users, fewer modules").
        what: String,
    },
    /// An additional order that changes nothing.
    #[error("this order changes nothing on license {license_id}: it already has that scope")]
    ChangeIsEmpty {
        /// The license.
        license_id: u32,
    },
    /// A reduction that lowers nothing.
    #[error(
        "this order reduces nothing on license {license_id}: order additions as an additional order, effective at once"
    )]
    ReducesNothing {
        /// The license.
        license_id: u32,
    },
    /// No license with this id in the ledger.
    #[error(
        "license {license_id} is not in the ledger: check the license id (the issued-codes report lists them)"
    )]
    UnknownLicense {
        /// The id asked for.
        license_id: u32,
    },
    /// No open license belongs to this site.
    #[error("no license belongs to site '{site}': assign the licenses to the site first, or check its name")]
    NoLicenseAtSite {
        /// The site asked for.
        site: String,
    },
    /// No open license was issued in this order.
    #[error("no license was issued in order '{order_ref}': check the order reference")]
    UnknownOrder {
        /// The order reference asked for.
        order_ref: String,
    },
    /// A license chosen from an order is not part of it.
    #[error("license {license_id} is not part of order '{order_ref}': choose licenses of that order")]
    NotInOrder {
        /// The license chosen.
        license_id: u32,
        /// The order.
        order_ref: String,
    },
    /// A site or order name that is empty.
    #[error("the {what} name is empty: give a name")]
    EmptyName {
        /// `site` or `order`.
        what: &'static str,
    },
    /// The license was revoked: nothing more can be issued for it.
    #[error("license {license_id} was revoked on {on}: issue a new license instead")]
    Revoked {
        /// The license.
        license_id: u32,
        /// The day it was revoked.
        on: Date,
    },
    /// The subscription was cancelled and ends with its current term.
    #[error("license {license_id} was cancelled and ends on {ends}: issue a new subscription to continue")]
    Cancelled {
        /// The license.
        license_id: u32,
        /// First day after the last paid term.
        ends: Date,
    },
    /// A change while a reduction is waiting for its start date.
    #[error(
        "license {license_id} has a reduction (revision {revision}) pending from {effective}: withdraw it first and order the combined change"
    )]
    ReductionPending {
        /// The license.
        license_id: u32,
        /// The pending revision.
        revision: u32,
        /// The day it takes effect.
        effective: Date,
    },
    /// A change the catalog's `while_reduction_pending = "refuse"` holds up while a
    /// reduction is pending ("the number of users cannot be adjusted and reduced modules
    /// cannot be activated"), and the reduction can still be withdrawn.
    #[error(
        "license {license_id} has a reduction (revision {revision}) pending from {effective}, and while it is pending {what} cannot be changed: withdraw the reduction first (possible until {cutoff}, inclusive), then order the combined change"
    )]
    WithdrawReductionFirst {
        /// The license.
        license_id: u32,
        /// The pending revision.
        revision: u32,
        /// The day it takes effect.
        effective: Date,
        /// What the order would change ("the number of named users", "module bi (the
        /// reduction removes it)").
        what: String,
        /// The last day it can be withdrawn.
        cutoff: Date,
    },
    /// As [`OrderError::WithdrawReductionFirst`], after the reduction's withdrawal cutoff.
    #[error(
        "license {license_id} has a reduction (revision {revision}) pending from {effective} that could be withdrawn only until {cutoff}: {what} cannot be changed before it takes effect; order the change for {effective} or later"
    )]
    ReductionFixed {
        /// The license.
        license_id: u32,
        /// The pending revision.
        revision: u32,
        /// The day it takes effect.
        effective: Date,
        /// What the order would change.
        what: String,
        /// The last day it could be withdrawn.
        cutoff: Date,
    },
    /// A trial order beyond the catalog's trial terms (they are defaults an order may
    /// lower, never raise).
    #[error(
        "a trial of {product} may not exceed the catalog's trial terms: {what}; order a trial within them (or leave them out for the catalog's terms), or a subscription or NFR license for more"
    )]
    TrialBeyondCatalog {
        /// The product.
        product: String,
        /// Every part that exceeds, e.g. "90 usable days asked, at most 30; 50 named
        /// users asked, at most 10".
        what: String,
    },
    /// A mixed order (additions and reductions) while the next term's code is already issued.
    #[error(
        "license {license_id} already has its next term's code (revision {revision}, from {starts}): order the additions first as an additional order (it re-issues both codes), then the reduction"
    )]
    NextTermPending {
        /// The license.
        license_id: u32,
        /// The pending revision.
        revision: u32,
        /// The day it starts.
        starts: Date,
    },
    /// Withdrawal requested but nothing is pending.
    #[error(
        "license {license_id} has no pending reduction to withdraw: it has already taken effect or was withdrawn (the issued-codes report shows its revisions); to restore the larger scope, order it as an additional order"
    )]
    NoPendingReduction {
        /// The license.
        license_id: u32,
    },
    /// Withdrawal after the cutoff.
    #[error(
        "the reduction of license {license_id} effective {effective} can no longer be withdrawn: the cutoff was {cutoff}; once it has taken effect, order the larger scope again as an additional order (effective at once)"
    )]
    WithdrawalTooLate {
        /// The license.
        license_id: u32,
        /// The day the reduction takes effect.
        effective: Date,
        /// The last day a withdrawal was possible.
        cutoff: Date,
    },
    /// A reduction of a time-limited license that would start after the license ends.
    #[error(
        "license {license_id} ends on {expires}, before the reduction would take effect on {effective}: change the scope at renewal instead"
    )]
    ReductionAfterExpiry {
        /// The license.
        license_id: u32,
        /// When the reduction would take effect.
        effective: Date,
        /// When the license ends.
        expires: Date,
    },
    /// A renewal before the renewal window opens.
    #[error(
        "license {license_id} can be renewed from {opens}, once a cancellation no longer stops the renewal of the term ending on {expires}: try again then"
    )]
    RenewalTooEarly {
        /// The license.
        license_id: u32,
        /// First day of the window.
        opens: Date,
        /// The current term's end.
        expires: Date,
    },
    /// A renewal after the grace period: the subscription lapsed.
    #[error(
        "license {license_id} expired on {expires} and its grace period ended on {closed}: issue a new subscription instead"
    )]
    RenewalLapsed {
        /// The license.
        license_id: u32,
        /// The term's end.
        expires: Date,
        /// First day after the grace period.
        closed: Date,
    },
    /// An operation that does not apply to this kind of license.
    #[error("license {license_id} is a {kind} license: {what}")]
    NotApplicable {
        /// The license.
        license_id: u32,
        /// Its kind.
        kind: Kind,
        /// What cannot be done and why.
        what: &'static str,
    },
    /// The licensee's personal data was erased; the license cannot be re-signed.
    #[error(
        "the licensee data of license {license_id} was erased: re-signing needs the licensee name; issue a new license"
    )]
    Erased {
        /// The license.
        license_id: u32,
    },
    /// A machine fingerprint that does not parse.
    #[error("the machine fingerprint is invalid ({}): ask the customer to send it again", fingerprint_reason(.0))]
    Fingerprint(license_core::Error),
}

impl OrderError {
    /// A stable name for the kind of error: the variant's name in snake case.
    pub fn kind_name(&self) -> &'static str {
        match self {
            OrderError::EmptyLicensee => "empty_licensee",
            OrderError::EmptyDatabaseCode => "empty_database_code",
            OrderError::InvalidDatabaseCode { .. } => "invalid_database_code",
            OrderError::InvalidSeatServerKey { .. } => "invalid_seat_server_key",
            OrderError::ReplaceAndRemove { .. } => "replace_and_remove",
            OrderError::NothingToRehost => "nothing_to_rehost",
            OrderError::TooManyMoves { .. } => "too_many_moves",
            OrderError::LicenseIdsExhausted => "license_ids_exhausted",
            OrderError::RevisionsExhausted { .. } => "revisions_exhausted",
            OrderError::StartsBeforeIssue { .. } => "starts_before_issue",
            OrderError::PerpetualHasNoTerm => "perpetual_has_no_term",
            OrderError::TermBeyondCalendar => "term_beyond_calendar",
            OrderError::ListValidity => "list_validity",
            OrderError::NoUsersOrSeats => "no_users_or_seats",
            OrderError::NotIssuedToday { .. } => "not_issued_today",
            OrderError::NeedsEndDate { .. } => "needs_end_date",
            OrderError::EndsBeforeStart { .. } => "ends_before_start",
            OrderError::MustBeLimited { .. } => "must_be_limited",
            OrderError::ModulesNotInCatalog { .. } => "modules_not_in_catalog",
            OrderError::NotStarted { .. } => "not_started",
            OrderError::OverLimit { .. } => "over_limit",
            OrderError::MonthsOutOfRange { .. } => "months_out_of_range",
            OrderError::ChangeReduces { .. } => "change_reduces",
            OrderError::ChangeIsEmpty { .. } => "change_is_empty",
            OrderError::ReducesNothing { .. } => "reduces_nothing",
            OrderError::UnknownLicense { .. } => "unknown_license",
            OrderError::NoLicenseAtSite { .. } => "no_license_at_site",
            OrderError::UnknownOrder { .. } => "unknown_order",
            OrderError::NotInOrder { .. } => "not_in_order",
            OrderError::EmptyName { .. } => "empty_name",
            OrderError::Revoked { .. } => "revoked",
            OrderError::Cancelled { .. } => "cancelled",
            OrderError::ReductionPending { .. } => "reduction_pending",
            OrderError::WithdrawReductionFirst { .. } => "withdraw_reduction_first",
            OrderError::ReductionFixed { .. } => "reduction_fixed",
            OrderError::TrialBeyondCatalog { .. } => "trial_beyond_catalog",
            OrderError::NextTermPending { .. } => "next_term_pending",
            OrderError::NoPendingReduction { .. } => "no_pending_reduction",
            OrderError::WithdrawalTooLate { .. } => "withdrawal_too_late",
            OrderError::ReductionAfterExpiry { .. } => "reduction_after_expiry",
            OrderError::RenewalTooEarly { .. } => "renewal_too_early",
            OrderError::RenewalLapsed { .. } => "renewal_lapsed",
            OrderError::NotApplicable { .. } => "not_applicable",
            OrderError::Erased { .. } => "erased",
            OrderError::Fingerprint(_) => "fingerprint",
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        ErrorClass::Usage
    }
}

/// A part of a license's binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BindingPart {
    /// The database code.
    Database,
    /// The machine fingerprint.
    Machine,
    /// The seat server's key.
    SeatServer,
}

impl BindingPart {
    /// `database`, `machine` or `seat-server`.
    pub fn name(self) -> &'static str {
        match self {
            BindingPart::Database => "database",
            BindingPart::Machine => "machine",
            BindingPart::SeatServer => "seat-server",
        }
    }

    fn new_value(self) -> &'static str {
        match self {
            BindingPart::Database => "database code",
            BindingPart::Machine => "machine fingerprint",
            BindingPart::SeatServer => "seat server key",
        }
    }
}

/// The reader's refusal of a fingerprint in a fingerprint's words (license-core's text
/// reader speaks of a license code).
fn fingerprint_reason(e: &license_core::Error) -> String {
    use license_core::Error as E;
    match e {
        E::Empty => "nothing was entered".to_owned(),
        E::TooShort => "too short: part of it is missing".to_owned(),
        E::TooLong { max } => format!("too long for a fingerprint (at most {max} characters)"),
        E::InvalidCharacter { character, group, .. } => format!(
            "'{}' in group {group} cannot be part of a fingerprint",
            character.escape_debug()
        ),
        E::Typo { group } => format!("typo in group {group} of the fingerprint"),
        E::TypoUnlocated => "the fingerprint has typos, or a character is missing or extra".to_owned(),
        other => other.to_string(),
    }
}
