//! Sending mail over SMTP with lettre: plain text, UTF-8, through the vendor's relay.

use std::fmt;
use std::time::Duration;

use lettre::Transport as _;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use zeroize::Zeroizing;

use crate::error::NotifyError;
use crate::mail::catalog::Rendered;

/// How the connection to the relay is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// TLS from the first byte (port 465).
    Tls,
    /// STARTTLS, required (port 587).
    StartTls,
    /// No TLS: only for a relay on the same host or a test server on loopback.
    Plain,
}

/// The SMTP settings.
#[derive(Clone)]
pub struct SmtpConfig {
    /// The relay's host name.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// TLS, STARTTLS or none.
    pub security: SmtpSecurity,
    /// User name and password for the relay, if it asks for them.
    pub credentials: Option<(String, Zeroizing<String>)>,
    /// The sender (`"Licensing <licensing@vendor.example>"`).
    pub from: String,
    /// Connecting and each command may take this long.
    pub timeout: Duration,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|c| &c.0))
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// Sends rendered mails.
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

fn smtp_err(e: lettre::transport::smtp::Error) -> NotifyError {
    NotifyError::Smtp {
        permanent: e.is_permanent(),
        reason: e.to_string(),
    }
}

impl Mailer {
    /// A mailer for `config` (no connection is made yet).
    pub fn new(config: &SmtpConfig) -> Result<Mailer, NotifyError> {
        let from: Mailbox =
            config
                .from
                .parse()
                .map_err(|e: lettre::address::AddressError| NotifyError::BadMail {
                    to: config.from.clone(),
                    reason: e.to_string(),
                })?;
        let builder = match config.security {
            SmtpSecurity::Tls => SmtpTransport::relay(&config.host).map_err(smtp_err)?,
            SmtpSecurity::StartTls => SmtpTransport::starttls_relay(&config.host).map_err(smtp_err)?,
            SmtpSecurity::Plain => SmtpTransport::builder_dangerous(config.host.as_str()),
        };
        let mut builder = builder.port(config.port).timeout(Some(config.timeout));
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.to_string()));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
        })
    }

    /// Send `mail` to `to`, with `event_id` as its `Message-ID` local part (a resent
    /// mail carries the same id, so a mail client can tell a duplicate).
    pub fn send(&self, to: &str, mail: &Rendered, event_id: &str) -> Result<(), NotifyError> {
        let bad = |reason: String| NotifyError::BadMail {
            to: to.to_owned(),
            reason,
        };
        let to_box: Mailbox = to
            .parse()
            .map_err(|e: lettre::address::AddressError| bad(e.to_string()))?;
        let domain = self.from.email.domain().to_owned();
        let message = Message::builder()
            .from(self.from.clone())
            .to(to_box)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{event_id}@{domain}>")))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| bad(e.to_string()))?;
        self.transport.send(&message).map(drop).map_err(smtp_err)
    }
}
