//! A ledger record and what it names (the operation, the maintenance kind, the order's
//! key), and the licensee's normal form: plain data, which the ledger trait (`store`), a
//! license's history (`history`) and its terms (`terms`) all read.

use license_core::{Date, License};
use serde::{Deserialize, Serialize};

/// What happened in one ledger record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Operation {
    /// A new license (full, subscription or NFR).
    Issue,
    /// A new trial license with the catalog's trial terms.
    Trial,
    /// An additional order, effective at once (also the immediate part of a mixed order).
    Upgrade,
    /// A reduction, valid from its contract anniversary or quarter start.
    Reduce,
    /// A pending reduction withdrawn: the pre-reduction scope re-issued.
    Withdraw,
    /// The next term of a subscription or NFR license.
    Renew,
    /// No further renewal; usable to the end of the paid term (no code).
    Cancel,
    /// Recalled: listed on the next revocation list (no code).
    Revoke,
    /// A maintenance pack associated with a perpetual license.
    Maintenance,
    /// Bound to another machine or database.
    Rehost,
    /// Transferred to another licensee (a reseller's license to its end customer).
    Transfer,
    /// Assigned to a customer's site (no code).
    Site,
}

impl Operation {
    /// The lowercase name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Issue => "issue",
            Operation::Trial => "trial",
            Operation::Upgrade => "upgrade",
            Operation::Reduce => "reduce",
            Operation::Withdraw => "withdraw",
            Operation::Renew => "renew",
            Operation::Cancel => "cancel",
            Operation::Revoke => "revoke",
            Operation::Maintenance => "maintenance",
            Operation::Rehost => "rehost",
            Operation::Transfer => "transfer",
            Operation::Site => "site",
        }
    }

    /// Whether this operation creates a new license (rather than a revision of one).
    pub fn is_new_license(self) -> bool {
        matches!(self, Operation::Issue | Operation::Trial)
    }
}

/// The two kinds of maintenance pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MaintenanceKind {
    /// Covers the one server the license is bound to.
    OneServer,
    /// Covers every server of one site.
    Site,
}

impl MaintenanceKind {
    /// `one-server` or `site`.
    pub fn name(self) -> &'static str {
        match self {
            MaintenanceKind::OneServer => "one-server",
            MaintenanceKind::Site => "site",
        }
    }
}

/// One ledger record: a code issued, or an event without a code (cancel, revoke).
///
/// Personal data is limited to `licensee` and `contact`; both are replaced by
/// [`Ledger::erase_licensee`](crate::Ledger::erase_licensee) while the accounting numbers stay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The day of the operation (UTC).
    pub recorded: Date,
    /// What happened.
    pub operation: Operation,
    /// The product id.
    pub product: String,
    /// The licensee the code is signed for (a pseudonym after erasure).
    pub licensee: String,
    /// Optional contact or address of the licensee (personal data; erasable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The vendor's customer number or order reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_ref: Option<String>,
    /// The reseller that sold (and is invoiced for) the license.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reseller: Option<String>,
    /// The database code the license is bound to (signed, not carried in the code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The scope of the revision issued (for events: of the revision affected).
    pub license: License,
    /// The code's text form; `None` for events that issue no code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The kind of maintenance pack, for [`Operation::Maintenance`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<MaintenanceKind>,
    /// For [`Operation::Withdraw`]: the withdrawn revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<u32>,
    /// For [`Operation::Cancel`]: the first day after the last paid term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<Date>,
    /// Free text (a revocation's reason, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the licensee's personal data was erased.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub erased: bool,
    /// The customer's site the license belongs to (a site maintenance pack covers every
    /// license of one site).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The order the license was issued in (a reseller's order, transferred as a whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_ref: Option<String>,
    /// The order this record was issued for, when it was placed with an idempotency key
    /// (see [`crate::Issuer::place`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderRef>,
    /// The ticket this code redeemed (see [`crate::TicketPool`]); `None` for every code
    /// that is not a ticket's redemption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

/// An order's idempotency key, and a digest of what was ordered (the same key placed
/// again for a different order is refused).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRef {
    /// The caller's key (e.g. the portal's order number).
    pub key: String,
    /// The first 16 bytes of SHA-256 of the order's JSON, in hex.
    pub digest: String,
}

/// The licensee as the signature compares it: white space collapsed, ASCII case folded.
pub fn normalize_licensee(s: &str) -> String {
    s.split_ascii_whitespace()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}
