//! The webhook sender: a POST of the event's body with its id, timestamp and signature,
//! to an endpoint whose every address is checked, without following redirects, within
//! timeouts.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use zeroize::Zeroizing;

use crate::error::NotifyError;
use crate::webhook::sign::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, sign};
use crate::webhook::target::{TargetPolicy, check_target, split_url};

/// A configured receiver: its URL and the secret its signatures are made with.
#[derive(Clone)]
pub struct Endpoint {
    /// `https://...` (or `http://` where the policy allows the network it is on).
    pub url: String,
    secret: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// An endpoint; `secret` is shared with the receiver (at least 16 bytes advised).
    pub fn new(url: &str, secret: &[u8]) -> Endpoint {
        Endpoint {
            url: url.to_owned(),
            secret: Zeroizing::new(secret.to_vec()),
        }
    }
}

/// The webhook settings of a worker.
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    /// The endpoints by name (the name is what outbox rows carry).
    pub endpoints: BTreeMap<String, Endpoint>,
    /// The address ranges allowed besides public addresses.
    pub policy: TargetPolicy,
    /// Connecting (after resolving) may take this long.
    pub connect_timeout: Duration,
    /// The whole request, answer included, may take this long.
    pub timeout: Duration,
}

impl Default for WebhookConfig {
    /// No endpoints, no private ranges, 5 s to connect, 15 s in all.
    fn default() -> WebhookConfig {
        WebhookConfig {
            endpoints: BTreeMap::new(),
            policy: TargetPolicy::default(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(15),
        }
    }
}

/// A resolver that refuses a host if any of its addresses is outside the policy, and
/// hands the connector exactly the addresses it checked.
struct CheckedResolver {
    policy: TargetPolicy,
    inner: DefaultResolver,
}

impl fmt::Debug for CheckedResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckedResolver")
            .field("policy", &self.policy)
            .finish()
    }
}

impl Resolver for CheckedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        for a in addrs.iter() {
            if let Err(range) = self.policy.allows(a.ip()) {
                return Err(ureq::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!(
                        "{} resolves to {} ({}): refused",
                        uri.host().unwrap_or(""),
                        a.ip(),
                        range.name()
                    ),
                )));
            }
        }
        Ok(addrs)
    }
}

/// Sends webhooks.
#[derive(Debug)]
pub struct WebhookSender {
    config: WebhookConfig,
    agent: ureq::Agent,
}

impl WebhookSender {
    /// A sender with `config`.
    pub fn new(config: WebhookConfig) -> WebhookSender {
        let agent_config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.timeout))
            .user_agent("license-notify")
            .build();
        let resolver = CheckedResolver {
            policy: config.policy,
            inner: DefaultResolver::default(),
        };
        let agent = ureq::Agent::with_parts(agent_config, DefaultConnector::new(), resolver);
        WebhookSender { config, agent }
    }

    /// The configuration.
    pub fn config(&self) -> &WebhookConfig {
        &self.config
    }

    /// Replace the endpoints (e.g. with those registered in the outbox's database, read
    /// again before each pass); the policy and timeouts stay.
    pub fn set_endpoints(&mut self, endpoints: BTreeMap<String, Endpoint>) {
        self.config.endpoints = endpoints;
    }

    /// POST `body` for event `event_id` to the endpoint `endpoint`, signed at `now`
    /// (Unix seconds). A 2xx answer is delivery; anything else (a redirect included) is a
    /// failure.
    pub fn send(&self, endpoint: &str, event_id: &str, body: &str, now: i64) -> Result<u16, NotifyError> {
        let ep = self
            .config
            .endpoints
            .get(endpoint)
            .ok_or_else(|| NotifyError::UnknownEndpoint {
                name: endpoint.to_owned(),
            })?;
        let url = ep.url.as_str();
        let (_, host, _) = split_url(url)?;
        // A literal address is refused before any resolving; a name is resolved and each
        // address checked here (for a typed error) and again at connection time.
        if let Ok(ip) = host.parse::<std::net::IpAddr>()
            && let Err(range) = self.config.policy.allows(ip)
        {
            return Err(NotifyError::TargetRefused {
                host,
                address: ip,
                range: range.name(),
            });
        }
        check_target(url, &self.config.policy)?;
        let signature = sign(&ep.secret, now, body.as_bytes());
        let result = self
            .agent
            .post(url)
            .header(HEADER_ID, event_id)
            .header(HEADER_TIMESTAMP, &now.to_string())
            .header(HEADER_SIGNATURE, &signature)
            .content_type("application/json")
            .send(body.as_bytes());
        match result {
            Ok(resp) => {
                let status = resp.status().as_u16();
                if (200..300).contains(&status) {
                    Ok(status)
                } else {
                    Err(NotifyError::WebhookStatus {
                        url: url.to_owned(),
                        status,
                    })
                }
            }
            Err(e) => Err(NotifyError::WebhookTransport {
                url: url.to_owned(),
                reason: e.to_string(),
            }),
        }
    }
}
