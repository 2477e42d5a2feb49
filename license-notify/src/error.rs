//! The crate's one error type.

/// Why sending, storing or rendering a notification failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NotifyError {
    /// The ledger, the outbox's database or a rule of the library failed (its error
    /// inside, with what to do).
    #[error(transparent)]
    Ledger(#[from] license_issue::Error),
    /// An outbox row whose payload this version cannot read.
    #[error(
        "outbox row {event_id} cannot be read ({reason}): it is kept undelivered; update the worker or re-queue it"
    )]
    BadPayload {
        /// The row's event id.
        event_id: String,
        /// What is wrong.
        reason: String,
    },
    /// A webhook URL that is not `http://` or `https://` with a host.
    #[error("the webhook URL '{url}' is not an http or https URL with a host: give a full URL")]
    BadUrl {
        /// The URL given.
        url: String,
    },
    /// A webhook target that resolves to a refused address (loopback, private, link-local
    /// or another special range) and is not explicitly allowed.
    #[error(
        "the webhook target {host} resolves to {address} ({range}), which is refused: give a public address, or allow that range explicitly"
    )]
    TargetRefused {
        /// The host of the URL.
        host: String,
        /// The first refused address.
        address: std::net::IpAddr,
        /// The range it is in (`loopback`, `private`, `link-local`, `special`).
        range: &'static str,
    },
    /// The webhook receiver could not be reached or did not answer in time.
    #[error("the webhook to {url} failed ({reason}): it is retried with back-off")]
    WebhookTransport {
        /// The URL.
        url: String,
        /// What happened.
        reason: String,
    },
    /// The webhook receiver answered with a status other than 2xx (a redirect is not
    /// followed and counts as a failure).
    #[error("the webhook receiver {url} answered {status}: it is retried with back-off")]
    WebhookStatus {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// An outbox row names a webhook endpoint that is not configured.
    #[error("no webhook endpoint '{name}' is configured: add it, then re-queue the event")]
    UnknownEndpoint {
        /// The endpoint's name.
        name: String,
    },
    /// A message of the catalog that is missing, or a placeholder not given.
    #[error("the mail text '{message}' ({language}) cannot be rendered: {reason}")]
    Message {
        /// The message id.
        message: String,
        /// The language.
        language: String,
        /// What is missing.
        reason: String,
    },
    /// A message catalog file that cannot be read.
    #[error("the message catalog {language} is malformed at line {line}: {reason}")]
    Catalog {
        /// The language.
        language: String,
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// An e-mail address or mail that lettre refuses.
    #[error("the mail to '{to}' cannot be built ({reason}): check the address")]
    BadMail {
        /// The recipient.
        to: String,
        /// Why.
        reason: String,
    },
    /// The SMTP server refused or could not be reached.
    #[error("sending mail through SMTP failed ({reason}): it is retried with back-off")]
    Smtp {
        /// What happened.
        reason: String,
        /// Whether the server refused for good (a 5xx answer): not retried.
        permanent: bool,
    },
    /// The mail throttle holds this mail back until later (not an error of the mail).
    #[error("the mail throttle holds mail to {to} back for {wait_secs} s")]
    Throttled {
        /// The recipient.
        to: String,
        /// Seconds until the throttle lets it through.
        wait_secs: u64,
    },
    /// The system's random source failed.
    #[error("the system's random source failed ({0})")]
    Random(String),
    /// A mail would carry a secret (a private key or a password).
    #[error("the mail '{message}' would carry {what}: refused, nothing was sent")]
    SecretInMail {
        /// The message id.
        message: String,
        /// What was found.
        what: &'static str,
    },
}

impl NotifyError {
    /// Whether sending again later may succeed (the worker retries these with back-off;
    /// the others are given up at once and kept with their error).
    pub fn is_transient(&self) -> bool {
        match self {
            NotifyError::Ledger(_)
            | NotifyError::WebhookTransport { .. }
            | NotifyError::WebhookStatus { .. }
            | NotifyError::Throttled { .. }
            | NotifyError::Random(_) => true,
            NotifyError::Smtp { permanent, .. } => !permanent,
            _ => false,
        }
    }
}

pub(crate) fn backend(e: impl std::error::Error + Send + Sync + 'static) -> NotifyError {
    NotifyError::Ledger(license_issue::Error::Ledger(license_issue::LedgerError::Backend(
        Box::new(e),
    )))
}
