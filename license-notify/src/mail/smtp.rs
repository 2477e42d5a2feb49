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

impl SmtpConfig {
    /// The settings from a URL: `smtps://[user@]host[:465]` (TLS),
    /// `smtp+starttls://[user@]host[:587]` (STARTTLS required) or `smtp://host[:25]` (no TLS:
    /// a relay on this host or a test server on loopback); `password` for the user (never
    /// part of the URL, so that it is not in a process list or a unit file), `from` the
    /// sender. A password in the URL is refused.
    pub fn from_url(
        url: &str,
        password: Option<Zeroizing<String>>,
        from: &str,
    ) -> Result<SmtpConfig, NotifyError> {
        let bad = |why: &str| NotifyError::Smtp {
            reason: format!(
                "the SMTP URL '{url}' {why}: give smtps://[user@]host[:port], smtp+starttls://... or smtp://host[:port]"
            ),
            permanent: true,
        };
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("has no scheme"))?;
        let (security, default_port) = match scheme {
            "smtps" => (SmtpSecurity::Tls, 465),
            "smtp+starttls" => (SmtpSecurity::StartTls, 587),
            "smtp" => (SmtpSecurity::Plain, 25),
            _ => return Err(bad("has an unknown scheme")),
        };
        let rest = rest.trim_end_matches('/');
        let (user, hostport) = match rest.rsplit_once('@') {
            Some((u, _)) if u.contains(':') => return Err(bad("carries a password")),
            Some((u, h)) if !u.is_empty() => (Some(u.to_owned()), h),
            Some(_) => return Err(bad("has an empty user")),
            None => (None, rest),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => (
                h.trim_start_matches('[').trim_end_matches(']').to_owned(),
                p.parse::<u16>().map_err(|_| bad("has a bad port"))?,
            ),
            _ => (hostport.to_owned(), default_port),
        };
        if host.is_empty() || host.contains('/') {
            return Err(bad("has no host"));
        }
        let credentials = match (user, password) {
            (Some(u), Some(p)) => Some((u, p)),
            (Some(_), None) => return Err(bad("names a user but no password was given")),
            (None, _) => None,
        };
        Ok(SmtpConfig {
            host,
            port,
            security,
            credentials,
            from: from.to_owned(),
            timeout: Duration::from_secs(10),
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_name_the_security_the_host_and_the_port_and_never_a_password() {
        let c = SmtpConfig::from_url("smtp://127.0.0.1:2525", None, "a@b.example").unwrap();
        assert_eq!(
            (c.host.as_str(), c.port, c.security),
            ("127.0.0.1", 2525, SmtpSecurity::Plain)
        );
        let c = SmtpConfig::from_url(
            "smtp+starttls://licensing@mail.vendor.example",
            Some(Zeroizing::new("pw".into())),
            "a@b.example",
        )
        .unwrap();
        assert_eq!((c.port, c.security), (587, SmtpSecurity::StartTls));
        assert_eq!(c.credentials.as_ref().unwrap().0, "licensing");
        assert_eq!(
            SmtpConfig::from_url("smtps://mail.example", None, "a@b.example")
                .unwrap()
                .port,
            465
        );
        for bad in [
            "mail.example",
            "http://mail.example",
            "smtps://u:pw@mail.example",
            "smtps://u@mail.example",
            "smtp://:25",
        ] {
            assert!(SmtpConfig::from_url(bad, None, "a@b.example").is_err(), "{bad}");
        }
    }
}
