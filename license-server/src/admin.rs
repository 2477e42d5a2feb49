//! A blocking client of the admin API, for the `license-server status|holders|release|audit`
//! commands and for scripts.

use std::time::Duration;

use seat_protocol::api;
use zeroize::Zeroizing;

use crate::book::AuditEvent;
use crate::http::{AdminStatus, ForceReleaseRequest, HolderInfo};

/// Why an admin call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// The server could not be reached.
    #[error("the server at {url} cannot be reached ({cause}); check the address and that it runs")]
    Unreachable {
        /// Base URL.
        url: String,
        /// Transport error.
        cause: String,
    },
    /// The server refused the call.
    #[error("the server refused (HTTP {status}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Its message.
        message: String,
    },
    /// The answer is not the admin API's.
    #[error("the server's answer is not understood ({0}); check that the URL points to license-server")]
    BadResponse(String),
}

/// An admin API client.
pub struct AdminClient {
    agent: ureq::Agent,
    base: String,
    token: Zeroizing<String>,
}

impl std::fmt::Debug for AdminClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl AdminClient {
    /// A client of the server at `base` (`http://host:port`) with the admin `token`.
    pub fn new(base: &str, token: &str) -> AdminClient {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(10)))
            .http_status_as_error(false)
            .build()
            .into();
        AdminClient {
            agent,
            base: base.trim_end_matches('/').into(),
            token: Zeroizing::new(token.trim().into()),
        }
    }

    /// Use this agent (TLS roots); it must have `http_status_as_error(false)`.
    #[must_use]
    pub fn with_agent(mut self, agent: ureq::Agent) -> AdminClient {
        self.agent = agent;
        self
    }

    fn auth(&self) -> String {
        format!("Bearer {}", self.token.as_str())
    }

    fn read<T: serde::de::DeserializeOwned>(
        &self,
        r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, AdminError> {
        let unreachable = |e: ureq::Error| AdminError::Unreachable {
            url: self.base.clone(),
            cause: e.to_string(),
        };
        let mut resp = r.map_err(unreachable)?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(16 << 20)
            .read_to_string()
            .map_err(unreachable)?;
        if status != 200 {
            let message = serde_json::from_str::<api::ErrorResponse>(&text).map_or(text, |e| e.message);
            return Err(AdminError::Refused { status, message });
        }
        serde_json::from_str(&text).map_err(|e| AdminError::BadResponse(e.to_string()))
    }

    /// Usage now, limit, peak.
    pub fn status(&self) -> Result<AdminStatus, AdminError> {
        let r = self
            .agent
            .get(format!("{}/v1/admin/status", self.base))
            .header("Authorization", self.auth())
            .call();
        self.read(r)
    }

    /// The holders, oldest first.
    pub fn holders(&self) -> Result<Vec<HolderInfo>, AdminError> {
        let r = self
            .agent
            .get(format!("{}/v1/admin/holders", self.base))
            .header("Authorization", self.auth())
            .call();
        self.read(r)
    }

    /// Free `holder`'s seat; `removed` says whether it held one.
    pub fn release(&self, holder: &str) -> Result<api::ReleaseResponse, AdminError> {
        let r = self
            .agent
            .post(format!("{}/v1/admin/release", self.base))
            .header("Authorization", self.auth())
            .send_json(ForceReleaseRequest {
                holder: holder.into(),
            });
        self.read(r)
    }

    /// The newest `limit` audit entries, newest first.
    pub fn audit(&self, limit: u32) -> Result<Vec<AuditEvent>, AdminError> {
        let r = self
            .agent
            .get(format!("{}/v1/admin/audit?limit={limit}", self.base))
            .header("Authorization", self.auth())
            .call();
        self.read(r)
    }
}
