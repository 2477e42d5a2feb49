//! E-mail and webhook delivery for a licensing backend (crate `license-service`): the
//! outbox its ledger writes in the same transaction as the records (license-issue's
//! `Ledger::append_batch_with_outbox`), the event model, a delivery worker that sends
//! each event at least once under a stable id, signed webhooks that refuse private and
//! special addresses, plain-text mails in English and German from one message catalog,
//! a mail throttle, and the renewal, notice and monthly-report jobs that run once across
//! instances. `docs/NOTIFY.md` describes the scheme.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod endpoints;
mod error;
mod event;
mod jobs;
mod mail;
mod outbox;
mod webhook;
mod worker;

pub use endpoints::register_endpoint;
pub use error::NotifyError;
pub use event::{
    Audience, Delivery, Event, EventKind, Language, Recipient, account_email, batch_events, random_id,
    record_data, stable_id,
};
pub use jobs::{JOB_LEASE_SECS, JobReport, next_month, run_notices, run_renewals, run_reseller_reports};
pub use mail::catalog::{CATALOG_FILES, Message, MessageCatalog, Rendered, parse_catalog, placeholders};
pub use mail::smtp::{Mailer, SmtpConfig, SmtpSecurity};
pub use mail::throttle::{Throttle, ThrottleConfig};
pub use outbox::postgres::{PG_NOTIFY_MIGRATIONS, PgOutbox};
pub use outbox::sqlite::{SQLITE_NOTIFY_MIGRATIONS, SqliteOutbox};
pub use outbox::store::{Claimed, OutboxStore, RetryPolicy, StoredEndpoint};
pub use webhook::send::{Endpoint, WebhookConfig, WebhookSender};
pub use webhook::sign::{
    HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, TOLERANCE_SECS, VerifyError, sign, verify,
};
pub use webhook::target::{Range, TargetPolicy, check_target, range_of};
pub use worker::{MailSetup, RunReport, Worker, now_ms};
