//! E-mail and webhooks (crate `license-notify`) wired into the service:
//!
//! - [`Notifying`]: the issuers over a ledger with an outbox (PostgreSQL or SQLite),
//!   wrapped in `license_issue::WithOutbox`, so every batch an order appends commits its
//!   webhook events (to the registered endpoints) and its e-mails (each new code to the
//!   company's administrators) in the records' own transaction (`batch_events`);
//! - [`OutboxMailer`]: the service's [`Mailer`] for account mails (confirmation, reset,
//!   invitation), queued in the same outbox and sent through the same SMTP path, carrying
//!   only the single-use token's link;
//! - [`run_jobs`]: the renewal, notice and reseller-report jobs (license-notify's), once
//!   per period across instances (its job-run table), catching up after downtime;
//! - [`Background`]: the delivery worker and the jobs in threads of the binary.
//!
//! Who hears of a license is the service's data (owners, administrators, endpoints); every
//! rule about what is sent is the notify crate's.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use license_core::Date;
use license_issue::{
    Batch, Catalogs, Issuer, Ledger, LedgerError, Month, OutboxRow, Signer, VendorKey, WithOutbox,
};
use license_notify::{
    Audience, Endpoint, EventKind, JobReport, Language, MailSetup, MessageCatalog, NotifyError, OutboxStore,
    Recipient, RetryPolicy, TargetPolicy, WebhookConfig, WebhookSender, Worker, account_email, batch_events,
    now_ms, run_notices, run_renewals, run_reseller_reports,
};

use crate::api::app::App;
use crate::issuers::Issuers;
use crate::mail::{Mailer, Message, MessageKind};
use crate::rights::OrgKind;
use crate::store::{Owner, Store};

/// The closure `WithOutbox` calls for every batch.
pub type Events = Box<dyn FnMut(&Batch<'_>) -> Result<Vec<OutboxRow>, license_issue::Error> + Send>;

/// The ledger of [`Notifying`]'s issuers.
pub type OutboxLedger<L> = WithOutbox<L, Events>;

/// The owner name of the vendor's webhook endpoints (they get every license's events).
pub const VENDOR_OWNER: &str = "vendor";

/// The owner name of a reseller's endpoints (they get its licenses' events).
pub fn reseller_owner(reseller_org: i64) -> String {
    format!("reseller:{reseller_org}")
}

/// Issuers over a shared ledger with an outbox (clones of a `PgLedger` or `SqliteLedger`):
/// each call gets a fresh issuer whose ledger writes the batch's outbox rows with it.
pub struct Notifying<L> {
    catalogs: Catalogs,
    key: VendorKey,
    ledger: L,
    outbox: Arc<dyn OutboxStore>,
    store: Arc<Store>,
}

impl<L: Ledger + Clone + Send + Sync + 'static> Notifying<L> {
    /// Issuers over `ledger`, whose database holds `outbox`; owners, administrators and
    /// languages come from `store`.
    pub fn new(
        catalogs: Catalogs,
        key: VendorKey,
        ledger: L,
        outbox: Arc<dyn OutboxStore>,
        store: Arc<Store>,
    ) -> Notifying<L> {
        Notifying {
            catalogs,
            key,
            ledger,
            outbox,
            store,
        }
    }

    /// The outbox, shared.
    pub fn outbox_arc(&self) -> Arc<dyn OutboxStore> {
        Arc::clone(&self.outbox)
    }
}

fn backend(e: impl std::error::Error + Send + Sync + 'static) -> license_issue::Error {
    license_issue::Error::Ledger(LedgerError::Backend(Box::new(e)))
}

/// The confirmed administrators of organisation `org`, as mail recipients.
pub fn admins_of(store: &Store, org: i64) -> Result<Vec<Recipient>, crate::error::StoreError> {
    if org == 0 {
        return Ok(Vec::new());
    }
    Ok(store
        .users_of(org)?
        .into_iter()
        .filter(|u| u.admin && u.confirmed)
        .map(|u| Recipient {
            // The language the user chose in the portal (stored with the user).
            language: language_of(&u.language),
            address: u.email,
        })
        .collect())
}

/// Who hears of license `license_id` (or of a new license of `new_owner`): the vendor's
/// endpoints, the reseller's own, and the company's administrators.
fn audience(
    store: &Store,
    outbox: &dyn OutboxStore,
    license_id: u32,
    new_owner: Option<Owner>,
) -> Result<Audience, license_issue::Error> {
    let owner = match store.owner(license_id).map_err(backend)? {
        Some(o) => Some(o),
        None => new_owner,
    };
    let (company, reseller) = owner.map_or((0, 0), |o| (o.company_id, o.reseller_id));
    let reseller_name = reseller_owner(reseller);
    let endpoints = outbox
        .endpoints(None)
        .map_err(backend)?
        .into_iter()
        .filter(|e| e.owner == VENDOR_OWNER || (reseller != 0 && e.owner == reseller_name))
        .map(|e| e.name())
        .collect();
    Ok(Audience {
        endpoints,
        admins: admins_of(store, company).map_err(backend)?,
    })
}

impl<L: Ledger + Clone + Send + Sync + 'static> Notifying<L> {
    fn issuer(&self, new_owner: Option<Owner>, signer: Signer) -> Issuer<OutboxLedger<L>> {
        let store = Arc::clone(&self.store);
        let outbox = Arc::clone(&self.outbox);
        let events: Events = Box::new(move |batch: &Batch<'_>| {
            let audience = audience(&store, &*outbox, batch.license_id, new_owner)?;
            batch_events(batch, &audience, now_ms().div_euclid(1000))
        });
        Issuer::new(
            self.catalogs.clone(),
            signer,
            WithOutbox::new(self.ledger.clone(), events),
        )
    }
}

impl<L: Ledger + Clone + Send + Sync + 'static> Issuers for Notifying<L> {
    type Ledger = OutboxLedger<L>;

    fn with<T>(&self, f: impl FnOnce(&mut Issuer<Self::Ledger>) -> T) -> T {
        f(&mut self.issuer(None, self.key.clone().into()))
    }

    fn with_for<T>(&self, owner: Owner, f: impl FnOnce(&mut Issuer<Self::Ledger>) -> T) -> T {
        f(&mut self.issuer(Some(owner), self.key.clone().into()))
    }

    fn with_signer<T>(
        &self,
        signer: Signer,
        new_owner: Option<Owner>,
        f: impl FnOnce(&mut Issuer<Self::Ledger>) -> T,
    ) -> T {
        f(&mut self.issuer(new_owner, signer))
    }

    fn outbox(&self) -> Option<&dyn OutboxStore> {
        Some(&*self.outbox)
    }
}

/// Account mails through the outbox: each a row of its own (a random id), sent by the
/// worker over SMTP with the other mails (throttled the same way). A mail carries the
/// link with its single-use token and nothing else secret.
pub struct OutboxMailer {
    outbox: Arc<dyn OutboxStore>,
    public_url: String,
    confirm_minutes: u32,
    reset_minutes: u32,
}

impl OutboxMailer {
    /// Links start with `public_url` (`https://licenses.vendor.example`: the portal's
    /// pages `/portal/confirm`, `/portal/password/reset` and `/portal/password/forgot` take the token from the
    /// query); the texts say the validity (minutes) of confirmation (also invitation) and
    /// reset tokens.
    pub fn new(
        outbox: Arc<dyn OutboxStore>,
        public_url: &str,
        confirm_minutes: u32,
        reset_minutes: u32,
    ) -> OutboxMailer {
        OutboxMailer {
            outbox,
            public_url: public_url.trim_end_matches('/').to_owned(),
            confirm_minutes,
            reset_minutes,
        }
    }
}

impl Mailer for OutboxMailer {
    fn queue(&self, message: Message) -> Result<(), String> {
        let base = &self.public_url;
        let (kind, link, minutes) = match &message.what {
            MessageKind::ConfirmAddress { token } => (
                EventKind::AddressConfirmation,
                format!("{base}/portal/confirm?token={token}"),
                self.confirm_minutes,
            ),
            MessageKind::ResetPassword { token } => (
                EventKind::PasswordReset,
                format!("{base}/portal/password/reset?token={token}"),
                self.reset_minutes,
            ),
            MessageKind::Invitation { token } => (
                EventKind::Invitation,
                format!("{base}/portal/password/reset?token={token}"),
                self.confirm_minutes,
            ),
            MessageKind::AlreadyRegistered => (
                EventKind::AccountExists,
                format!("{base}/portal/password/forgot"),
                self.reset_minutes,
            ),
        };
        let to = Recipient {
            address: message.to,
            language: message.language,
        };
        let event = account_email(kind, &to, &link, minutes).map_err(|e| e.to_string())?;
        let row = event.to_row().map_err(|e| e.to_string())?;
        self.outbox.enqueue(&[row]).map(drop).map_err(|e| e.to_string())
    }
}

/// What [`run_jobs`] did.
#[derive(Debug, Default)]
pub struct JobsReport {
    /// The renewal job.
    pub renewals: JobReport,
    /// The notice job.
    pub notices: JobReport,
    /// The reseller reports.
    pub reports: JobReport,
}

/// Run the jobs for `today` as instance `instance`: renewal codes (due at the latest 28
/// days before expiry), renewal notices (one calendar month before maintenance or the
/// term ends) and the resellers' monthly reports since `first_report` (each month once).
/// Each runs once per period across all instances sharing the database; what is due by
/// today is done, so a run after downtime catches up.
pub fn run_jobs<I: Issuers>(
    issuers: &I,
    store: &Store,
    catalog: &MessageCatalog,
    instance: &str,
    first_report: Month,
    today: Date,
    now: i64,
) -> Result<JobsReport, NotifyError> {
    let outbox = issuers.outbox().ok_or_else(|| NotifyError::Smtp {
        reason: "the service runs without an outbox".into(),
        permanent: true,
    })?;
    let renewals = issuers.with(|is| run_renewals(is, outbox, instance, today, now))?;
    let recipients = |license_id: u32| -> Vec<Recipient> {
        store
            .owner(license_id)
            .ok()
            .flatten()
            .and_then(|o| admins_of(store, o.company_id).ok())
            .unwrap_or_default()
    };
    let notices = issuers.with(|is| run_notices(is, outbox, catalog, &recipients, instance, today, now))?;
    let vendor_endpoints: Vec<String> = outbox
        .endpoints(Some(VENDOR_OWNER))?
        .iter()
        .map(|e| e.name())
        .collect();
    let resellers = store.orgs(OrgKind::Reseller).unwrap_or_default();
    let reseller_admins = |name: &str| -> Vec<Recipient> {
        resellers
            .iter()
            .filter(|o| o.name == name)
            .flat_map(|o| admins_of(store, o.id).unwrap_or_default())
            .collect()
    };
    let reports = issuers.with(|is| {
        run_reseller_reports(
            is,
            outbox,
            &vendor_endpoints,
            &reseller_admins,
            instance,
            first_report,
            today,
            now,
        )
    })?;
    Ok(JobsReport {
        renewals,
        notices,
        reports,
    })
}

/// The notify settings of an instance.
pub struct NotifyConfig {
    /// The instance's name (unique among instances: it marks claims).
    pub instance: String,
    /// Back-off and leases.
    pub retry: RetryPolicy,
    /// Which address ranges webhooks may reach besides public ones.
    pub policy: TargetPolicy,
    /// SMTP, texts and throttle; without it mails wait in the outbox.
    pub mail: Option<MailSetup>,
    /// The pause of the worker when nothing is due.
    pub poll: Duration,
    /// How often the jobs run (each runs once per period whatever this is).
    pub jobs_every: Duration,
    /// The first month reseller reports are made for.
    pub first_report: Month,
}

/// The worker and the jobs in two threads; stopped (and joined) when dropped.
pub struct Background {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Background {
    /// Start delivering `outbox` (the one of `app`'s issuers) and running the jobs on
    /// `app`'s days.
    pub fn start<I: Issuers>(
        app: Arc<App<I>>,
        outbox: Arc<dyn OutboxStore>,
        config: NotifyConfig,
    ) -> Result<Background, NotifyError> {
        let stop = Arc::new(AtomicBool::new(false));
        let catalog = MessageCatalog::builtin()?;
        let webhooks = WebhookSender::new(WebhookConfig {
            policy: config.policy,
            ..WebhookConfig::default()
        });
        let mut worker = Worker::new(
            SharedOutbox(Arc::clone(&outbox)),
            &config.instance,
            config.retry,
            webhooks,
            config.mail,
        );
        let s = Arc::clone(&stop);
        let poll = config.poll;
        let delivery = std::thread::spawn(move || {
            let none = BTreeMap::<String, Endpoint>::new();
            while !s.load(Ordering::Relaxed) {
                let busy = worker.load_endpoints(&none).is_ok()
                    && matches!(worker.run_once(now_ms()), Ok(r) if r.claimed > 0);
                if !busy {
                    pause(&s, poll);
                }
            }
        });
        let s = Arc::clone(&stop);
        let instance = config.instance.clone();
        let (every, first) = (config.jobs_every, config.first_report);
        let jobs = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let day = (app.today)();
                if let Err(e) = run_jobs(
                    &app.issuers,
                    &app.store,
                    &catalog,
                    &instance,
                    first,
                    day,
                    now_ms() / 1000,
                ) {
                    eprintln!("license-service: the jobs of {day} failed and run again later: {e}");
                }
                pause(&s, every);
            }
        });
        Ok(Background {
            stop,
            threads: vec![delivery, jobs],
        })
    }

    /// Stop and wait for the threads.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.halt();
    }
}

fn pause(stop: &AtomicBool, d: Duration) {
    let until = std::time::Instant::now() + d;
    while !stop.load(Ordering::Relaxed) && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50).min(d));
    }
}

/// An `Arc<dyn OutboxStore>` as a store (the worker owns its store).
struct SharedOutbox(Arc<dyn OutboxStore>);

impl OutboxStore for SharedOutbox {
    fn enqueue(&self, rows: &[OutboxRow]) -> Result<usize, NotifyError> {
        self.0.enqueue(rows)
    }
    fn claim(
        &self,
        worker: &str,
        now: i64,
        lease_secs: i64,
        limit: usize,
    ) -> Result<Vec<license_notify::Claimed>, NotifyError> {
        self.0.claim(worker, now, lease_secs, limit)
    }
    fn delivered(&self, id: i64, now: i64) -> Result<(), NotifyError> {
        self.0.delivered(id, now)
    }
    fn reschedule(&self, id: i64, next: i64, error: &str) -> Result<(), NotifyError> {
        self.0.reschedule(id, next, error)
    }
    fn give_up(&self, id: i64, now: i64, error: &str) -> Result<(), NotifyError> {
        self.0.give_up(id, now, error)
    }
    fn requeue(&self, event_id: &str, now: i64) -> Result<bool, NotifyError> {
        self.0.requeue(event_id, now)
    }
    fn pending(&self) -> Result<usize, NotifyError> {
        self.0.pending()
    }
    fn claim_job(
        &self,
        job: &str,
        period: &str,
        worker: &str,
        now: i64,
        lease_secs: i64,
    ) -> Result<bool, NotifyError> {
        self.0.claim_job(job, period, worker, now, lease_secs)
    }
    fn finish_job(&self, job: &str, period: &str, now: i64) -> Result<(), NotifyError> {
        self.0.finish_job(job, period, now)
    }
    fn last_finished(&self, job: &str) -> Result<Option<String>, NotifyError> {
        self.0.last_finished(job)
    }
    fn add_endpoint(&self, owner: &str, url: &str, secret: &str, now: i64) -> Result<i64, NotifyError> {
        self.0.add_endpoint(owner, url, secret, now)
    }
    fn endpoints(&self, owner: Option<&str>) -> Result<Vec<license_notify::StoredEndpoint>, NotifyError> {
        self.0.endpoints(owner)
    }
    fn delivery_endpoints(&self) -> Result<Vec<license_notify::StoredEndpoint>, NotifyError> {
        self.0.delivery_endpoints()
    }
    fn remove_endpoint(&self, owner: Option<&str>, id: i64, now: i64) -> Result<bool, NotifyError> {
        self.0.remove_endpoint(owner, id, now)
    }
}

/// The mail language of a user's stored language code (`en`, `de`); English for any other.
pub fn language_of(code: &str) -> Language {
    Language::ALL
        .into_iter()
        .find(|l| l.code() == code)
        .unwrap_or(Language::En)
}
