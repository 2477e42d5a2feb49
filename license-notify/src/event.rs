//! The outbox's event model: what a row announces, to whom, and its stable id.
//!
//! An outbox row is one message to one destination: a webhook event to one endpoint, or
//! one e-mail to one address. Its `event_id` is stable: written once with the records it
//! describes, sent under it as often as needed (a receiver deduplicates by it), never
//! given to another message.

use std::collections::BTreeMap;

use license_issue::{Batch, LedgerError, Operation, OutboxRow, Record};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::NotifyError;

/// What an outbox row announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum EventKind {
    /// Webhook: a new license (issue, trial).
    LicenseCreated,
    /// Webhook: a new revision or an event of a license (upgrade, reduction, withdrawal,
    /// cancellation, maintenance, rehost, transfer, site).
    LicenseChanged,
    /// Webhook: a license revoked.
    LicenseRevoked,
    /// Webhook: the next term's code.
    LicenseRenewed,
    /// Webhook: a reseller's monthly report.
    ResellerReport,
    /// E-mail: confirm an address (a link with a single-use token).
    AddressConfirmation,
    /// E-mail: reset a password (a link with a single-use token).
    PasswordReset,
    /// E-mail: a new code, to the company's administrators.
    NewCode,
    /// E-mail: the next term's code.
    RenewalCode,
    /// E-mail: maintenance (or a term) ends in a month.
    RenewalNotice,
    /// E-mail: the reseller's monthly report.
    ResellerMonthlyReport,
    /// E-mail: an account was made for the address by its organisation's administrator
    /// (a link with a single-use token to set the password).
    Invitation,
    /// E-mail: someone tried to register with an address that has an account (a link to
    /// the password reset; no token).
    AccountExists,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 13] = [
        EventKind::LicenseCreated,
        EventKind::LicenseChanged,
        EventKind::LicenseRevoked,
        EventKind::LicenseRenewed,
        EventKind::ResellerReport,
        EventKind::AddressConfirmation,
        EventKind::PasswordReset,
        EventKind::NewCode,
        EventKind::RenewalCode,
        EventKind::RenewalNotice,
        EventKind::ResellerMonthlyReport,
        EventKind::Invitation,
        EventKind::AccountExists,
    ];

    /// The name in a webhook's `type` field and the message id of an e-mail's text:
    /// `license.created`, ..., `mail.new-code`, ...
    pub fn name(self) -> &'static str {
        match self {
            EventKind::LicenseCreated => "license.created",
            EventKind::LicenseChanged => "license.changed",
            EventKind::LicenseRevoked => "license.revoked",
            EventKind::LicenseRenewed => "license.renewed",
            EventKind::ResellerReport => "reseller.report",
            EventKind::AddressConfirmation => "mail.address-confirmation",
            EventKind::PasswordReset => "mail.password-reset",
            EventKind::NewCode => "mail.new-code",
            EventKind::RenewalCode => "mail.renewal-code",
            EventKind::RenewalNotice => "mail.renewal-notice",
            EventKind::ResellerMonthlyReport => "mail.reseller-monthly-report",
            EventKind::Invitation => "mail.invitation",
            EventKind::AccountExists => "mail.account-exists",
        }
    }

    /// Whether this kind is an e-mail (else a webhook event).
    pub fn is_email(self) -> bool {
        self.name().starts_with("mail.")
    }

    /// The e-mail's message id in the catalog (`new-code`, ...); `None` for webhooks.
    pub fn message_id(self) -> Option<&'static str> {
        self.name().strip_prefix("mail.")
    }

    /// The webhook event of a ledger operation.
    pub fn of_operation(op: Operation) -> EventKind {
        match op {
            Operation::Issue | Operation::Trial => EventKind::LicenseCreated,
            Operation::Revoke => EventKind::LicenseRevoked,
            Operation::Renew => EventKind::LicenseRenewed,
            _ => EventKind::LicenseChanged,
        }
    }
}

/// The languages of the mail texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    En,
    /// German.
    De,
}

impl Language {
    /// Every language of the catalog.
    pub const ALL: [Language; 2] = [Language::En, Language::De];

    /// `en`, `de`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
        }
    }
}

/// An e-mail recipient and the language of its texts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// The address.
    pub address: String,
    /// The language.
    pub language: Language,
}

/// How a row is delivered: its payload in the outbox (JSON, tagged by `channel`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "channel", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Delivery {
    /// A signed POST of `body` to the configured endpoint `endpoint`.
    Webhook {
        /// The endpoint's name (its URL and secret are the worker's configuration, never
        /// in the outbox).
        endpoint: String,
        /// What the event is.
        kind: EventKind,
        /// The exact JSON body sent (and signed): `{"id","type","created","data"}`.
        body: String,
    },
    /// A plain-text mail rendered from the message catalog when sent.
    Email {
        /// The recipient.
        to: Recipient,
        /// Which message.
        kind: EventKind,
        /// The message's placeholders.
        args: BTreeMap<String, String>,
    },
}

/// One message of the outbox: its stable id and how it is delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The stable id (`evt_` and 32 hex digits).
    pub event_id: String,
    /// What, to whom.
    pub delivery: Delivery,
}

/// The outbox's `kind` column of a delivery.
const WEBHOOK: &str = "webhook";
const EMAIL: &str = "email";

/// A stable id from the parts that make a message unique.
pub fn stable_id(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    format!("evt_{}", hex::encode(&h.finalize()[..16]))
}

/// A new random id (for messages that belong to no record, e.g. a password reset).
pub fn random_id() -> Result<String, NotifyError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| NotifyError::Random(e.to_string()))?;
    Ok(format!("evt_{}", hex::encode(b)))
}

impl Event {
    /// A webhook event `kind` for `endpoint`, its body `{"id","type","created","data"}`
    /// (`created` in Unix seconds).
    pub fn webhook(
        event_id: String,
        endpoint: &str,
        kind: EventKind,
        created: i64,
        data: serde_json::Value,
    ) -> Event {
        let body = serde_json::json!({
            "id": event_id,
            "type": kind.name(),
            "created": created,
            "data": data,
        })
        .to_string();
        Event {
            event_id,
            delivery: Delivery::Webhook {
                endpoint: endpoint.to_owned(),
                kind,
                body,
            },
        }
    }

    /// An e-mail `kind` to `to` with its placeholders.
    pub fn email(event_id: String, to: &Recipient, kind: EventKind, args: BTreeMap<String, String>) -> Event {
        Event {
            event_id,
            delivery: Delivery::Email {
                to: to.clone(),
                kind,
                args,
            },
        }
    }

    /// The row to write to the outbox.
    pub fn to_row(&self) -> Result<OutboxRow, license_issue::Error> {
        Ok(OutboxRow {
            event_id: self.event_id.clone(),
            kind: match self.delivery {
                Delivery::Webhook { .. } => WEBHOOK,
                Delivery::Email { .. } => EMAIL,
            }
            .to_owned(),
            payload: serde_json::to_string(&self.delivery).map_err(LedgerError::LedgerEncode)?,
        })
    }

    /// Read a row of the outbox.
    pub fn from_row(event_id: &str, kind: &str, payload: &str) -> Result<Event, NotifyError> {
        let bad = |reason: String| NotifyError::BadPayload {
            event_id: event_id.to_owned(),
            reason,
        };
        let delivery: Delivery = serde_json::from_str(payload).map_err(|e| bad(e.to_string()))?;
        let expected = match delivery {
            Delivery::Webhook { .. } => WEBHOOK,
            Delivery::Email { .. } => EMAIL,
        };
        if kind != expected {
            return Err(bad(format!(
                "the row's kind '{kind}' is not its payload's '{expected}'"
            )));
        }
        Ok(Event {
            event_id: event_id.to_owned(),
            delivery,
        })
    }
}

/// An account's e-mail (address confirmation, password reset, invitation, or the
/// notice that the address has an account) with its `link` (for the first three a
/// single-use token's, which the service makes and checks) valid for `valid_minutes`
/// (the texts say `{expires_hours}` or `{expires_minutes}`); a new random id. Queue it
/// with [`crate::OutboxStore::enqueue`]. Other kinds are refused.
pub fn account_email(
    kind: EventKind,
    to: &Recipient,
    link: &str,
    valid_minutes: u32,
) -> Result<Event, NotifyError> {
    if !matches!(
        kind,
        EventKind::AddressConfirmation
            | EventKind::PasswordReset
            | EventKind::Invitation
            | EventKind::AccountExists
    ) {
        return Err(NotifyError::Message {
            message: kind.name().to_owned(),
            language: to.language.code().to_owned(),
            reason: "not an account's e-mail (confirmation, reset, invitation, account exists)".into(),
        });
    }
    let args: BTreeMap<String, String> = [
        ("link".to_owned(), link.to_owned()),
        ("expires_hours".to_owned(), valid_minutes.div_ceil(60).to_string()),
        ("expires_minutes".to_owned(), valid_minutes.to_string()),
    ]
    .into_iter()
    .collect();
    Ok(Event::email(random_id()?, to, kind, args))
}

/// Who hears about a batch of ledger records.
#[derive(Clone, Debug, Default)]
pub struct Audience {
    /// Webhook endpoints (names in the worker's configuration) that get every license
    /// event.
    pub endpoints: Vec<String>,
    /// The company's administrators: each new code (and renewal code) by e-mail.
    pub admins: Vec<Recipient>,
}

/// What a webhook says about one record (no personal data beyond the licensee's name,
/// no secret: the code is what the customer receives anyway).
pub fn record_data(r: &Record) -> serde_json::Value {
    serde_json::json!({
        "license_id": r.license.license_id,
        "revision": r.license.revision,
        "operation": r.operation.name(),
        "product": r.product,
        "licensee": r.licensee,
        "customer_ref": r.customer_ref,
        "reseller": r.reseller,
        "kind": r.license.kind.name(),
        "recorded": r.recorded.to_string(),
        "valid_from": r.license.valid_from.to_string(),
        "expires": r.license.expires.map(|d| d.to_string()),
        "maintenance_ends": r.license.maintenance_ends.map(|d| d.to_string()),
        "code": r.code,
    })
}

/// The placeholders of a code's e-mail.
fn code_args(r: &Record, code: &str) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    a.insert("licensee".into(), r.licensee.clone());
    a.insert("license".into(), r.license.license_id.to_string());
    a.insert("product".into(), r.product.clone());
    a.insert("code".into(), code.to_owned());
    a.insert("valid_from".into(), r.license.valid_from.to_string());
    a.insert(
        "expires".into(),
        r.license
            .expires
            .map_or_else(|| "-".to_owned(), |d| calendar_last_day(d).to_string()),
    );
    a
}

fn calendar_last_day(d: license_core::Date) -> license_core::Date {
    license_issue::calendar::last_day(d)
}

/// The outbox rows of a batch: a webhook event per record and endpoint, and an e-mail
/// per record with a code and administrator (`renewal-code` for a renewal, else
/// `new-code`). Ids are stable: the same record position, channel and destination give
/// the same id, so a batch that is retried after a conflict gets ids that no committed
/// row has. Made for [`license_issue::WithOutbox`]'s closure.
pub fn batch_events(
    batch: &Batch<'_>,
    audience: &Audience,
    created: i64,
) -> Result<Vec<OutboxRow>, license_issue::Error> {
    let mut rows = Vec::new();
    for (i, r) in batch.records.iter().enumerate() {
        let position = format!("{}/{}", batch.license_id, batch.expected + i);
        let kind = EventKind::of_operation(r.operation);
        for e in &audience.endpoints {
            let id = stable_id(&["webhook", &position, e]);
            rows.push(Event::webhook(id, e, kind, created, record_data(r)).to_row()?);
        }
        if let Some(code) = &r.code {
            let mail = if r.operation == Operation::Renew {
                EventKind::RenewalCode
            } else {
                EventKind::NewCode
            };
            for a in &audience.admins {
                let id = stable_id(&["email", &position, &a.address]);
                rows.push(Event::email(id, a, mail, code_args(r, code)).to_row()?);
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_distinct_names_and_mails_have_message_ids() {
        let names: std::collections::BTreeSet<&str> = EventKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), EventKind::ALL.len());
        for k in EventKind::ALL {
            assert_eq!(k.is_email(), k.message_id().is_some(), "{k:?}");
        }
        assert_eq!(
            EventKind::of_operation(Operation::Trial),
            EventKind::LicenseCreated
        );
        assert_eq!(
            EventKind::of_operation(Operation::Cancel),
            EventKind::LicenseChanged
        );
    }

    #[test]
    fn a_row_reads_back_and_a_mismatched_kind_is_refused() {
        let e = Event::webhook(
            stable_id(&["a"]),
            "erp",
            EventKind::LicenseRevoked,
            7,
            serde_json::json!({"x": 1}),
        );
        let row = e.to_row().unwrap();
        assert_eq!(
            Event::from_row(&row.event_id, &row.kind, &row.payload).unwrap(),
            e
        );
        assert!(matches!(
            Event::from_row(&row.event_id, "email", &row.payload),
            Err(NotifyError::BadPayload { .. })
        ));
        let body: serde_json::Value = match &e.delivery {
            Delivery::Webhook { body, .. } => serde_json::from_str(body).unwrap(),
            Delivery::Email { .. } => unreachable!(),
        };
        assert_eq!(body["id"], e.event_id.as_str());
        assert_eq!(body["type"], "license.revoked");
    }

    #[test]
    fn stable_ids_differ_by_every_part() {
        assert_ne!(stable_id(&["ab", "c"]), stable_id(&["a", "bc"]));
        assert_eq!(stable_id(&["x"]), stable_id(&["x"]));
        assert_eq!(stable_id(&["x"]).len(), 4 + 32);
        assert_ne!(random_id().unwrap(), random_id().unwrap());
    }
}
