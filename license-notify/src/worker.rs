//! The delivery worker: claims due outbox rows, sends each (webhook or e-mail), marks it
//! delivered, or reschedules it with back-off, or gives it up.
//!
//! At-least-once: a row is marked delivered only after the receiver accepted it, so a
//! crash between sending and marking sends it again, under the same event id, once its
//! claim's lease has ended. Never lost: a row leaves the queue only as delivered or as
//! given up (kept, with its error, for [`OutboxStore::requeue`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::NotifyError;
use crate::event::{Delivery, Event};
use crate::mail::catalog::MessageCatalog;
use crate::mail::smtp::Mailer;
use crate::mail::throttle::Throttle;
use crate::outbox::store::{Claimed, OutboxStore, RetryPolicy};
use crate::webhook::send::{Endpoint, WebhookSender};

/// E-mail for a worker: the relay, the texts and the throttle.
#[derive(Debug)]
pub struct MailSetup {
    /// The SMTP relay.
    pub mailer: Mailer,
    /// The message catalog.
    pub catalog: MessageCatalog,
    /// The throttle (per worker).
    pub throttle: Throttle,
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Rows claimed.
    pub claimed: usize,
    /// Delivered.
    pub delivered: usize,
    /// Failed and rescheduled with back-off.
    pub retried: usize,
    /// Held back by the mail throttle (rescheduled, not counted as a failure).
    pub throttled: usize,
    /// Given up (permanent failure, or too many attempts).
    pub given_up: usize,
}

/// The delivery worker of one backend instance.
#[derive(Debug)]
pub struct Worker<S> {
    store: S,
    name: String,
    retry: RetryPolicy,
    batch: usize,
    webhooks: WebhookSender,
    mail: Option<MailSetup>,
}

/// Now in Unix milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl<S: OutboxStore> Worker<S> {
    /// A worker named `name` (unique per instance: it marks its claims) over `store`.
    /// Without `mail`, e-mail rows are retried until a relay is configured.
    pub fn new(
        store: S,
        name: &str,
        retry: RetryPolicy,
        webhooks: WebhookSender,
        mail: Option<MailSetup>,
    ) -> Worker<S> {
        Worker {
            store,
            name: name.to_owned(),
            retry,
            batch: 50,
            webhooks,
            mail,
        }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The webhook sender (its endpoints can be replaced between passes).
    pub fn webhooks_mut(&mut self) -> &mut WebhookSender {
        &mut self.webhooks
    }

    /// The configured endpoints and those registered in the store, removed ones included
    /// ([`OutboxStore::delivery_endpoints`], by their names `wh-<id>`): what a pass sends
    /// to. Call before a pass so that registrations take effect.
    pub fn load_endpoints(&mut self, configured: &BTreeMap<String, Endpoint>) -> Result<(), NotifyError> {
        let mut all = configured.clone();
        // Removed endpoints too: a row written before the removal is still delivered.
        for e in self.store.delivery_endpoints()? {
            all.insert(e.name(), Endpoint::new(&e.url, e.secret.as_bytes()));
        }
        self.webhooks.set_endpoints(all);
        Ok(())
    }

    /// Claim up to 50 due rows at `now_ms` and deliver them.
    pub fn run_once(&mut self, now_ms: i64) -> Result<RunReport, NotifyError> {
        let now = now_ms.div_euclid(1000);
        let claimed = self
            .store
            .claim(&self.name, now, self.retry.lease_secs, self.batch)?;
        let mut report = RunReport {
            claimed: claimed.len(),
            ..RunReport::default()
        };
        for row in claimed {
            match self.deliver(&row, now_ms) {
                Ok(()) => {
                    self.store.delivered(row.id, now)?;
                    report.delivered += 1;
                }
                Err(NotifyError::Throttled { wait_secs, .. }) => {
                    let wait = i64::try_from(wait_secs).unwrap_or(i64::MAX).max(1);
                    self.store.reschedule(
                        row.id,
                        now.saturating_add(wait),
                        "held back by the mail throttle",
                    )?;
                    report.throttled += 1;
                }
                Err(e) if e.is_transient() && row.attempts < self.retry.max_attempts => {
                    let next = now.saturating_add(self.retry.delay(row.attempts));
                    self.store.reschedule(row.id, next, &e.to_string())?;
                    report.retried += 1;
                }
                Err(e) => {
                    self.store.give_up(row.id, now, &e.to_string())?;
                    report.given_up += 1;
                }
            }
        }
        Ok(report)
    }

    /// Deliver until nothing is due (at most `max_passes` passes), each pass at the
    /// current time.
    pub fn run_until_idle(&mut self, max_passes: usize) -> Result<RunReport, NotifyError> {
        let mut total = RunReport::default();
        for _ in 0..max_passes {
            let r = self.run_once(now_ms())?;
            total.claimed += r.claimed;
            total.delivered += r.delivered;
            total.retried += r.retried;
            total.throttled += r.throttled;
            total.given_up += r.given_up;
            if r.claimed == 0 {
                break;
            }
        }
        Ok(total)
    }

    /// The service's loop: a pass, then (when nothing was due) a pause of `idle`, until
    /// `stop` is set. A database error is retried after the pause.
    pub fn run(&mut self, stop: &AtomicBool, idle: Duration) {
        while !stop.load(Ordering::Relaxed) {
            let busy = matches!(self.run_once(now_ms()), Ok(r) if r.claimed > 0);
            if !busy {
                let until = std::time::Instant::now() + idle;
                while !stop.load(Ordering::Relaxed) && std::time::Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(50).min(idle));
                }
            }
        }
    }

    fn deliver(&mut self, row: &Claimed, now_ms: i64) -> Result<(), NotifyError> {
        let event = Event::from_row(&row.event_id, &row.kind, &row.payload)?;
        match &event.delivery {
            Delivery::Webhook { endpoint, body, .. } => self
                .webhooks
                .send(endpoint, &event.event_id, body, now_ms.div_euclid(1000))
                .map(drop),
            Delivery::Email { to, kind, args } => {
                let Some(mail) = &mut self.mail else {
                    return Err(NotifyError::Smtp {
                        reason: "no SMTP relay is configured".into(),
                        permanent: false,
                    });
                };
                let id = kind.message_id().ok_or_else(|| NotifyError::BadPayload {
                    event_id: event.event_id.clone(),
                    reason: format!("{} is not an e-mail", kind.name()),
                })?;
                let rendered = mail.catalog.render(to.language, id, args)?;
                if let Err(wait_ms) = mail.throttle.admit(&to.address, now_ms) {
                    return Err(NotifyError::Throttled {
                        to: to.address.clone(),
                        wait_secs: u64::try_from(wait_ms.div_euclid(1000) + 1).unwrap_or(1),
                    });
                }
                mail.mailer.send(&to.address, &rendered, &event.event_id)
            }
        }
    }
}
