//! The scheduled jobs: renewal codes, renewal notices and the resellers' monthly reports.
//! Each runs once per period across all instances (the job-run table), and catches up
//! after downtime (each looks at everything due by today, not only what became due
//! today). What they send is idempotent as well: renewals are orders with a key
//! (`renewal:<license>:<term end>`, so the ledger's unique order key makes a second run
//! answer with the first code), notices and reports have stable event ids (a second
//! enqueue of one is a no-op).
//!
//! May use: `error`, `event`, `outbox`, `mail`.

use std::collections::BTreeMap;

use license_core::Date;
use license_issue::{Issuer, Ledger, Month, Order, Outcome, issued_in_month, renewal_notices_due};

use crate::error::NotifyError;
use crate::event::{Event, EventKind, Recipient, stable_id};
use crate::mail::catalog::MessageCatalog;
use crate::outbox::store::OutboxStore;

/// What a job run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobReport {
    /// Whether this instance ran it (false: done already, or running elsewhere).
    pub ran: bool,
    /// The periods it covered (days or months).
    pub periods: Vec<String>,
    /// Licenses renewed (renewal job), notices or reports queued (the others).
    pub done: Vec<u32>,
    /// Licenses that could not be renewed, with the error.
    pub failed: Vec<(u32, String)>,
    /// Outbox rows queued.
    pub queued: usize,
}

/// How long a job's claim holds before another instance may take it over (a crashed
/// instance's job is run again after this).
pub const JOB_LEASE_SECS: i64 = 1800;

/// The renewal job for `today`: every subscription and NFR license whose renewal is due
/// (license-issue's `renewals_due`: the window is open, at the latest 28 days before
/// expiry, not cancelled or revoked) gets its next term's code through
/// [`Issuer::place`] with the key `renewal:<license>:<term end>`. The e-mail with the
/// code and the webhook event come from the issuer's ledger (a
/// [`license_issue::WithOutbox`] whose closure makes them, e.g. with
/// [`crate::batch_events`]), in the same transaction as the renewal.
pub fn run_renewals<L: Ledger>(
    issuer: &mut Issuer<L>,
    store: &dyn OutboxStore,
    worker: &str,
    today: Date,
    now: i64,
) -> Result<JobReport, NotifyError> {
    let period = today.to_string();
    let mut report = JobReport::default();
    if !store.claim_job("renewals", &period, worker, now, JOB_LEASE_SECS)? {
        return Ok(report);
    }
    report.ran = true;
    report.periods.push(period.clone());
    for id in issuer.renewals_due(today)? {
        let history = issuer.history(id)?;
        let ends = history
            .latest()
            .and_then(|r| r.license.expires)
            .map_or_else(|| "-".to_owned(), |d| d.to_string());
        let key = format!("renewal:{id}:{ends}");
        match issuer.place(Some(&key), &Order::Renew { license_id: id }, today) {
            Ok(Outcome::Issued(_)) | Ok(_) => report.done.push(id),
            Err(e) => report.failed.push((id, e.to_string())),
        }
    }
    store.finish_job("renewals", &period, now)?;
    Ok(report)
}

/// The notice job for `today`: a renewal notice by e-mail to `recipients(license)` for
/// each license whose notice day (one calendar month before maintenance or the term
/// ends; license-issue's `renewal_notices_due`) has come and that has not ended. Each
/// notice has a stable id per license, end and address, so it is queued once however
/// often the job runs.
pub fn run_notices<L: Ledger>(
    issuer: &Issuer<L>,
    store: &dyn OutboxStore,
    catalog: &MessageCatalog,
    recipients: &dyn Fn(u32) -> Vec<Recipient>,
    worker: &str,
    today: Date,
    now: i64,
) -> Result<JobReport, NotifyError> {
    let period = today.to_string();
    let mut report = JobReport::default();
    if !store.claim_job("notices", &period, worker, now, JOB_LEASE_SECS)? {
        return Ok(report);
    }
    report.ran = true;
    report.periods.push(period.clone());
    let histories = issuer.histories()?;
    let mut rows = Vec::new();
    for n in renewal_notices_due(&histories, issuer.catalogs(), today) {
        for to in recipients(n.license_id) {
            let what = catalog
                .term(to.language, &format!("term-{}", n.what))
                .unwrap_or(n.what)
                .to_owned();
            let args: BTreeMap<String, String> = [
                ("licensee", n.licensee.clone()),
                ("license", n.license_id.to_string()),
                ("product", n.product.clone()),
                ("what", what),
                ("last_day", n.last_day.to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            let id = stable_id(&[
                "notice",
                &n.license_id.to_string(),
                &n.ends.to_string(),
                &to.address,
            ]);
            rows.push(Event::email(id, &to, EventKind::RenewalNotice, args).to_row()?);
        }
        report.done.push(n.license_id);
    }
    report.queued = store.enqueue(&rows)?;
    store.finish_job("notices", &period, now)?;
    Ok(report)
}

/// The resellers' monthly reports: for each month from the one after the last reported
/// (or `first` when none was) to the month before `today`'s, each reseller with codes in
/// it gets a `reseller.report` webhook event (to `endpoints`) and an e-mail to
/// `recipients(reseller)`, from license-issue's `issued_in_month` totals. Months missed
/// while the service was down are caught up, each once.
#[allow(clippy::too_many_arguments)]
pub fn run_reseller_reports<L: Ledger>(
    issuer: &Issuer<L>,
    store: &dyn OutboxStore,
    endpoints: &[String],
    recipients: &dyn Fn(&str) -> Vec<Recipient>,
    worker: &str,
    first: Month,
    today: Date,
    now: i64,
) -> Result<JobReport, NotifyError> {
    let mut report = JobReport::default();
    let current = Month::of(today);
    let mut month = match store.last_finished("reseller-report")? {
        Some(last) => next_month(Month::parse(&last).map_err(license_issue::Error::from)?),
        None => first,
    };
    while month < current {
        let period = month.to_string();
        if store.claim_job("reseller-report", &period, worker, now, JOB_LEASE_SECS)? {
            report.ran = true;
            report.periods.push(period.clone());
            let Some((from, to)) = month.bounds() else { break };
            let records = issuer.ledger().records_recorded(from, to)?;
            let issued = issued_in_month(&records, issuer.catalogs(), month)?;
            let mut per: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
            for t in &issued.resellers {
                if let Some(r) = t.reseller.as_deref() {
                    let e = per.entry(r).or_default();
                    e.0 += t.codes;
                    e.1 += t.new_licenses;
                }
            }
            let mut rows = Vec::new();
            for (reseller, (codes, new_licenses)) in &per {
                let data = serde_json::json!({
                    "reseller": reseller,
                    "month": period,
                    "codes": codes,
                    "new_licenses": new_licenses,
                    "totals": issued.resellers.iter().filter(|t| t.reseller.as_deref() == Some(reseller)).collect::<Vec<_>>(),
                });
                for e in endpoints {
                    let id = stable_id(&["reseller-report", reseller, &period, e]);
                    rows.push(Event::webhook(id, e, EventKind::ResellerReport, now, data.clone()).to_row()?);
                }
                for to in recipients(reseller) {
                    let args: BTreeMap<String, String> = [
                        ("reseller", reseller.to_string()),
                        ("month", period.clone()),
                        ("codes", codes.to_string()),
                        ("new_licenses", new_licenses.to_string()),
                    ]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect();
                    let id = stable_id(&["reseller-report-mail", reseller, &period, &to.address]);
                    rows.push(Event::email(id, &to, EventKind::ResellerMonthlyReport, args).to_row()?);
                }
            }
            report.queued += store.enqueue(&rows)?;
            store.finish_job("reseller-report", &period, now)?;
        }
        month = next_month(month);
    }
    Ok(report)
}

/// The month after `m`.
pub fn next_month(m: Month) -> Month {
    match m.bounds() {
        Some((_, to)) => Month::of(to),
        None => m,
    }
}
