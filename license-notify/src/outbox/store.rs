//! The outbox store: what the worker and the jobs need of the database.

use license_issue::OutboxRow;

use crate::error::NotifyError;

/// A row the worker claimed: nobody else claims it until its lease ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claimed {
    /// The row's number.
    pub id: i64,
    /// Its stable event id.
    pub event_id: String,
    /// `webhook` or `email`.
    pub kind: String,
    /// The payload (JSON of [`crate::Delivery`]).
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: u32,
}

/// Back-off after a failed attempt: `first` doubled per attempt, at most `cap`; after
/// `max_attempts` attempts the row is given up (kept, with its error, to be re-queued).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay after the first failure, in seconds.
    pub first_secs: i64,
    /// The longest delay, in seconds.
    pub cap_secs: i64,
    /// Attempts before giving up.
    pub max_attempts: u32,
    /// How long a claim holds a row, in seconds (longer than one send can take: the
    /// webhook and SMTP timeouts); a worker that dies holding it lets it go after this.
    pub lease_secs: i64,
}

impl Default for RetryPolicy {
    /// 30 s, doubled to at most 6 hours, 20 attempts (about 3.5 days), 5-minute leases.
    fn default() -> RetryPolicy {
        RetryPolicy {
            first_secs: 30,
            cap_secs: 6 * 3600,
            max_attempts: 20,
            lease_secs: 300,
        }
    }
}

impl RetryPolicy {
    /// The delay after the failure of attempt `attempts` (1-based).
    pub fn delay(&self, attempts: u32) -> i64 {
        let doublings = attempts.saturating_sub(1).min(40);
        self.first_secs
            .max(1)
            .saturating_mul(1i64 << doublings)
            .min(self.cap_secs.max(1))
    }
}

/// The outbox and job-run tables of a ledger's database.
pub trait OutboxStore: Send + Sync {
    /// Write rows outside a ledger batch (e-mails of accounts, notices, reports); a row
    /// whose event id is already there is left as it is. Returns how many were new.
    fn enqueue(&self, rows: &[OutboxRow]) -> Result<usize, NotifyError>;

    /// Claim up to `limit` rows due at `now` (Unix seconds) for `worker`: each gets one
    /// more attempt and is hidden from other claims until `now + lease_secs`.
    fn claim(
        &self,
        worker: &str,
        now: i64,
        lease_secs: i64,
        limit: usize,
    ) -> Result<Vec<Claimed>, NotifyError>;

    /// Row `id` was delivered.
    fn delivered(&self, id: i64, now: i64) -> Result<(), NotifyError>;

    /// Row `id` failed: try again at `next`.
    fn reschedule(&self, id: i64, next: i64, error: &str) -> Result<(), NotifyError>;

    /// Row `id` failed for good (or too often): kept with `error`, not tried again.
    fn give_up(&self, id: i64, now: i64, error: &str) -> Result<(), NotifyError>;

    /// Put a given-up row back in the queue, due at `now`.
    fn requeue(&self, event_id: &str, now: i64) -> Result<bool, NotifyError>;

    /// Rows neither delivered nor given up.
    fn pending(&self) -> Result<usize, NotifyError>;

    /// Claim job `job` for `period` (a day or a month) for `worker`: true if this worker
    /// runs it (never claimed, or claimed by a worker that did not finish within
    /// `lease_secs`); false if it is done or running elsewhere.
    fn claim_job(
        &self,
        job: &str,
        period: &str,
        worker: &str,
        now: i64,
        lease_secs: i64,
    ) -> Result<bool, NotifyError>;

    /// Job `job` for `period` finished.
    fn finish_job(&self, job: &str, period: &str, now: i64) -> Result<(), NotifyError>;

    /// The latest period of `job` that finished (periods compare as text: `YYYY-MM-DD`,
    /// `YYYY-MM`).
    fn last_finished(&self, job: &str) -> Result<Option<String>, NotifyError>;

    /// Keep a registered webhook endpoint of `owner` (see [`crate::register_endpoint`],
    /// which checks the URL and makes the secret); its id.
    fn add_endpoint(&self, owner: &str, url: &str, secret: &str, now: i64) -> Result<i64, NotifyError>;

    /// The registered endpoints not removed (of `owner`, or all), by id: those new events
    /// are written for.
    fn endpoints(&self, owner: Option<&str>) -> Result<Vec<StoredEndpoint>, NotifyError>;

    /// Every endpoint a queued row may name, removed ones included, by id: what the worker
    /// delivers to ([`crate::Worker::load_endpoints`]).
    fn delivery_endpoints(&self) -> Result<Vec<StoredEndpoint>, NotifyError>;

    /// Remove endpoint `id` of `owner` (or of anyone): whether it was there. No new rows
    /// are written for it; rows already queued for it are still delivered (they record
    /// what happened while it was registered).
    fn remove_endpoint(&self, owner: Option<&str>, id: i64, now: i64) -> Result<bool, NotifyError>;
}

/// A webhook endpoint registered through the service: its outbox name is `wh-<id>`.
#[derive(Clone)]
pub struct StoredEndpoint {
    /// Its number.
    pub id: i64,
    /// Who registered it (`vendor`, `reseller:<id>`: the service's names).
    pub owner: String,
    /// The URL.
    pub url: String,
    /// The signing secret (shown once at registration; kept for signing).
    pub secret: zeroize::Zeroizing<String>,
    /// When (Unix seconds).
    pub created: i64,
}

impl std::fmt::Debug for StoredEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredEndpoint")
            .field("id", &self.id)
            .field("owner", &self.owner)
            .field("url", &self.url)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

impl StoredEndpoint {
    /// The name outbox rows carry (`wh-<id>`).
    pub fn name(&self) -> String {
        format!("wh-{}", self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_its_cap() {
        let p = RetryPolicy {
            first_secs: 10,
            cap_secs: 100,
            max_attempts: 5,
            lease_secs: 60,
        };
        let delays: Vec<i64> = (1..=6).map(|a| p.delay(a)).collect();
        assert_eq!(delays, [10, 20, 40, 80, 100, 100]);
        assert_eq!(RetryPolicy::default().delay(u32::MAX), 6 * 3600);
    }
}
