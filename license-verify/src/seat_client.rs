//! The client of `license-server`, the on-premises seat server (feature `seat-client`).
//!
//! A [`SeatClient`] takes a floating seat ([`SeatClient::acquire`]), keeps it with
//! heartbeats ([`SeatClient::heartbeat`], every third of the TTL), borrows one for days
//! ([`SeatClient::borrow`]) and gives it back ([`SeatClient::release`]). Every lease comes
//! with a token signed by the server's Ed25519 key, verified here offline: the signature,
//! the holder, the expiry, and that the server key is one the vendor licensed
//! ([`ServerKeyCheck`]: [`LicensedServer`] takes the seat-server binding of the vendor's
//! verified code, [`PinnedServerKey`] one key given by configuration). A client whose server becomes unreachable keeps its seat until its
//! lease expires, and [`Heartbeat::Unreachable`] says so.
//!
//! The JSON bodies of the server's API ([`api`]) and the token format ([`LeaseClaims`],
//! [`UntrustedLeaseToken`]) are defined here and used by the server too, so both sides
//! share one definition. `docs/SERVER.md` documents both.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, VerifyingKey};

/// First bytes of every lease token.
pub const TOKEN_MAGIC: &[u8; 4] = b"LKL1";
/// Domain separation: prefixed to the token's bytes before signing.
pub const TOKEN_DOMAIN: &[u8] = b"license-kit lease token v1\0";
/// Longest token text accepted.
pub const MAX_TOKEN_TEXT: usize = 1024;
/// Longest holder, user, machine or product field in a token (bytes).
pub const MAX_TOKEN_FIELD: usize = 255;

/// Why a seat operation or token check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SeatError {
    /// The server could not be reached (network, timeout). A held seat stays valid until its
    /// lease expires.
    #[error("the seat server at {url} cannot be reached ({cause}); check the address and the network")]
    Unreachable {
        /// The server's base URL.
        url: String,
        /// The transport error.
        cause: String,
    },
    /// Every licensed seat is taken.
    #[error("no seat free: all {limit} licensed seats are in use; try again when a seat is released")]
    LimitReached {
        /// The licensed seats.
        limit: u32,
    },
    /// The server does not know this lease (expired, released or freed by an administrator).
    #[error("the server no longer holds this lease ({message}); acquire a seat again")]
    LeaseLost {
        /// The server's words.
        message: String,
    },
    /// The server refused the request.
    #[error("the seat server refused the request (HTTP {status}, {code}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's error code.
        code: String,
        /// The server's message.
        message: String,
    },
    /// The server answered something that is not its API.
    #[error("the seat server's answer is not understood ({0}); check that the URL points to license-server")]
    BadResponse(String),
    /// The token is not a lease token (damaged or not one at all).
    #[error("the lease token is malformed ({0})")]
    MalformedToken(&'static str),
    /// The token's signature does not verify: forged or altered.
    #[error("the lease token's signature does not verify: forged or altered")]
    ForgedToken,
    /// The token was issued for another holder.
    #[error("the lease token is for holder {token:?}, not {expected:?}")]
    OtherHolder {
        /// Holder in the token.
        token: String,
        /// Holder expected.
        expected: String,
    },
    /// The token was issued for another product.
    #[error("the lease token is for product {token:?}, not {expected:?}")]
    OtherProduct {
        /// Product in the token.
        token: String,
        /// Product expected.
        expected: String,
    },
    /// The token has expired.
    #[error("the lease token expired {ago_secs} s ago; acquire a seat again")]
    Expired {
        /// Seconds since expiry.
        ago_secs: i64,
    },
    /// The token was signed by a server the vendor did not license.
    #[error(
        "the lease was signed by a seat server the vendor did not license (server key {key_prefix}…); use the licensed server"
    )]
    UnlicensedServer {
        /// First hex digits of the server key in the token.
        key_prefix: String,
    },
    /// No lease is held.
    #[error("no seat is held; acquire one first")]
    NoLease,
    /// A client configuration value is unusable.
    #[error("seat client configuration: {0}")]
    Config(String),
}

/// Decides whether a server key is one the vendor licensed. The vendor names its seat
/// server's key in the signed license code (a seat-server binding); the host application
/// passes what it verified here. [`PinnedServerKey`] compares the whole key.
pub trait ServerKeyCheck: Send + Sync {
    /// `Ok` when `server_key` is licensed.
    fn check(&self, server_key: &[u8; 32]) -> Result<(), SeatError>;
}

/// Accept exactly one server key (e.g. the key named by the vendor's code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PinnedServerKey(pub [u8; 32]);

impl ServerKeyCheck for PinnedServerKey {
    fn check(&self, server_key: &[u8; 32]) -> Result<(), SeatError> {
        if ct_eq(&self.0, server_key) {
            Ok(())
        } else {
            Err(SeatError::UnlicensedServer {
                key_prefix: hex::encode(&server_key[..4]),
            })
        }
    }
}

/// Accept the seat server the vendor named in a verified license code (its seat-server
/// binding: a digest of the server's key, format 2). The host application verifies its
/// code as usual (with its own `Verifier`) and passes the result here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LicensedServer(license_core::SeatServerDigest);

impl LicensedServer {
    /// The seat server named by `license`; an error if the code names none.
    pub fn from_license(license: &license_core::VerifiedLicense) -> Result<LicensedServer, SeatError> {
        license.seat_server().copied().map(LicensedServer).ok_or_else(|| {
            SeatError::Config(
                "the license code names no seat server; ask the vendor for a code with the seat-server binding (`licensectl issue|upgrade|rehost ... --seat-server KEY`, the key `license-server key` prints)".into(),
            )
        })
    }

    /// The seat server named by a verification's code.
    pub fn from_verification(v: &crate::verification::Verification) -> Result<LicensedServer, SeatError> {
        Self::from_license(v.verified())
    }

    /// The digest the code carries.
    pub const fn digest(&self) -> license_core::SeatServerDigest {
        self.0
    }
}

impl ServerKeyCheck for LicensedServer {
    fn check(&self, server_key: &[u8; 32]) -> Result<(), SeatError> {
        let want = self.0.to_bytes();
        let got = license_core::SeatServerDigest::of_key(server_key).to_bytes();
        if ct_eq(&want, &got) {
            Ok(())
        } else {
            Err(SeatError::UnlicensedServer {
                key_prefix: hex::encode(&server_key[..4]),
            })
        }
    }
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && std::hint::black_box(a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y))) == 0
}

/// What a lease token states, signed by the server.
#[derive(Clone, PartialEq, Eq)]
pub struct LeaseClaims {
    /// The server's Ed25519 public key (the token's signer).
    pub server_key: [u8; 32],
    /// The lease id (the holder's secret for heartbeats and release).
    pub lease_id: [u8; 16],
    /// When the token was issued (ms since the Unix epoch).
    pub issued_ms: i64,
    /// When the lease runs out unless renewed (ms since the Unix epoch).
    pub expires_ms: i64,
    /// A borrowed lease (checked out for days).
    pub borrowed: bool,
    /// The holder id.
    pub holder: String,
    /// The client machine named at acquire.
    pub machine: String,
    /// The product the server serves.
    pub product: String,
}

impl fmt::Debug for LeaseClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeaseClaims")
            .field("server_key", &hex::encode(self.server_key))
            .field("lease_id", &"***OMITTED***")
            .field("issued_ms", &self.issued_ms)
            .field("expires_ms", &self.expires_ms)
            .field("borrowed", &self.borrowed)
            .field("holder", &self.holder)
            .field("machine", &self.machine)
            .field("product", &self.product)
            .finish()
    }
}

impl LeaseClaims {
    /// The token's bytes without the signature; `None` when a field is longer than
    /// [`MAX_TOKEN_FIELD`].
    pub fn body(&self) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(128);
        out.extend_from_slice(TOKEN_MAGIC);
        out.extend_from_slice(&self.server_key);
        out.extend_from_slice(&self.lease_id);
        out.extend_from_slice(&self.issued_ms.to_be_bytes());
        out.extend_from_slice(&self.expires_ms.to_be_bytes());
        out.push(u8::from(self.borrowed));
        for field in [&self.holder, &self.machine, &self.product] {
            out.push(u8::try_from(field.len()).ok()?);
            out.extend_from_slice(field.as_bytes());
        }
        Some(out)
    }

    /// What the server signs: [`TOKEN_DOMAIN`] followed by the body.
    pub fn signing_input(body: &[u8]) -> Vec<u8> {
        let mut m = Vec::with_capacity(TOKEN_DOMAIN.len() + body.len());
        m.extend_from_slice(TOKEN_DOMAIN);
        m.extend_from_slice(body);
        m
    }

    /// The token text: base64url (no padding) of the body followed by the signature.
    pub fn token_text(body: &[u8], signature: &[u8; 64]) -> String {
        let mut all = Vec::with_capacity(body.len() + 64);
        all.extend_from_slice(body);
        all.extend_from_slice(signature);
        URL_SAFE_NO_PAD.encode(all)
    }
}

/// A lease token as received: nothing in it is trusted until [`verify_at`](Self::verify_at).
#[derive(Clone, Debug)]
pub struct UntrustedLeaseToken {
    claims: LeaseClaims,
    body: Vec<u8>,
    signature: [u8; 64],
}

fn take<'a>(input: &mut &'a [u8], n: usize) -> Result<&'a [u8], SeatError> {
    if input.len() < n {
        return Err(SeatError::MalformedToken("cut short"));
    }
    let (head, tail) = input.split_at(n);
    *input = tail;
    Ok(head)
}

fn take_array<const N: usize>(input: &mut &[u8]) -> Result<[u8; N], SeatError> {
    let mut a = [0; N];
    a.copy_from_slice(take(input, N)?);
    Ok(a)
}

fn take_str(input: &mut &[u8]) -> Result<String, SeatError> {
    let [len] = take_array::<1>(input)?;
    let bytes = take(input, usize::from(len))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| SeatError::MalformedToken("a text field is not UTF-8"))
}

impl UntrustedLeaseToken {
    /// Decode a token's text form.
    pub fn parse(text: &str) -> Result<UntrustedLeaseToken, SeatError> {
        let text = text.trim();
        if text.len() > MAX_TOKEN_TEXT {
            return Err(SeatError::MalformedToken("longer than any lease token"));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| SeatError::MalformedToken("not base64url"))?;
        if bytes.len() < 64 {
            return Err(SeatError::MalformedToken("cut short"));
        }
        let (body, sig) = bytes.split_at(bytes.len() - 64);
        let mut input = body;
        if take(&mut input, 4)? != TOKEN_MAGIC {
            return Err(SeatError::MalformedToken("not a lease token (wrong magic)"));
        }
        let server_key = take_array::<32>(&mut input)?;
        let lease_id = take_array::<16>(&mut input)?;
        let issued_ms = i64::from_be_bytes(take_array::<8>(&mut input)?);
        let expires_ms = i64::from_be_bytes(take_array::<8>(&mut input)?);
        let borrowed = match take_array::<1>(&mut input)? {
            [0] => false,
            [1] => true,
            _ => return Err(SeatError::MalformedToken("unknown lease kind")),
        };
        let holder = take_str(&mut input)?;
        let machine = take_str(&mut input)?;
        let product = take_str(&mut input)?;
        if !input.is_empty() {
            return Err(SeatError::MalformedToken("trailing bytes"));
        }
        let mut signature = [0; 64];
        signature.copy_from_slice(sig);
        Ok(UntrustedLeaseToken {
            claims: LeaseClaims {
                server_key,
                lease_id,
                issued_ms,
                expires_ms,
                borrowed,
                holder,
                machine,
                product,
            },
            body: body.to_vec(),
            signature,
        })
    }

    /// The claims, unverified (for support tools).
    pub const fn unverified_claims(&self) -> &LeaseClaims {
        &self.claims
    }

    /// Verify at `now_ms`: the server key is licensed (`servers`), the signature is the
    /// server's, the token is for `holder` and `product`, and it has not expired.
    pub fn verify_at(
        self,
        servers: &dyn ServerKeyCheck,
        product: &str,
        holder: &str,
        now_ms: i64,
    ) -> Result<LeaseClaims, SeatError> {
        servers.check(&self.claims.server_key)?;
        let key = VerifyingKey::from_bytes(&self.claims.server_key).map_err(|_| SeatError::ForgedToken)?;
        let signature = Signature::from_bytes(&self.signature);
        key.verify_strict(&LeaseClaims::signing_input(&self.body), &signature)
            .map_err(|_| SeatError::ForgedToken)?;
        if self.claims.product != product {
            return Err(SeatError::OtherProduct {
                token: self.claims.product,
                expected: product.into(),
            });
        }
        if self.claims.holder != holder {
            return Err(SeatError::OtherHolder {
                token: self.claims.holder,
                expected: holder.into(),
            });
        }
        if now_ms >= self.claims.expires_ms {
            return Err(SeatError::Expired {
                ago_secs: (now_ms - self.claims.expires_ms) / 1000,
            });
        }
        Ok(self.claims)
    }
}

/// The JSON bodies of the server's API.
pub mod api {
    use serde::{Deserialize, Serialize};

    /// `POST /v1/leases/acquire`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AcquireRequest {
        /// Holder id, unique per client (at most 128 bytes).
        pub holder: String,
        /// User name (may be empty).
        #[serde(default)]
        pub user: String,
        /// Client machine name (may be empty).
        #[serde(default)]
        pub machine: String,
        /// Requested TTL in seconds; absent = the server's default.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ttl_secs: Option<u32>,
    }

    /// `POST /v1/leases/borrow`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct BorrowRequest {
        /// Holder id.
        pub holder: String,
        /// User name.
        #[serde(default)]
        pub user: String,
        /// Client machine name.
        #[serde(default)]
        pub machine: String,
        /// Days to borrow for.
        pub days: u32,
    }

    /// `POST /v1/leases/heartbeat` and `POST /v1/leases/release`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct LeaseRequest {
        /// Holder id.
        pub holder: String,
        /// The lease id from the grant (32 hex digits).
        pub lease_id: String,
    }

    /// A granted or renewed lease.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct LeaseResponse {
        /// Holder id.
        pub holder: String,
        /// The lease id (32 hex digits): needed for heartbeat and release.
        pub lease_id: String,
        /// When the seat was granted (ms since the epoch).
        pub granted_ms: i64,
        /// When the lease runs out unless renewed (ms since the epoch).
        pub expires_ms: i64,
        /// Seconds to renew by.
        pub ttl_secs: i64,
        /// Checked out for days.
        pub borrowed: bool,
        /// The holder already had this lease.
        pub renewed: bool,
        /// Seats in use.
        pub in_use: u32,
        /// Licensed seats (`null` = not limited).
        pub limit: Option<u32>,
        /// The signed lease token.
        pub token: String,
    }

    /// `POST /v1/leases/release`, `POST /v1/admin/release`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ReleaseResponse {
        /// A lease was removed.
        pub removed: bool,
        /// Seats in use.
        pub in_use: u32,
    }

    /// `GET /v1/status`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct StatusResponse {
        /// Product served.
        pub product: String,
        /// Licensee of the code.
        pub licensee: String,
        /// The license status (valid, demo mode, ...).
        pub license_status: String,
        /// Seats in use.
        pub in_use: u32,
        /// Licensed seats (`null` = not limited).
        pub limit: Option<u32>,
        /// Highest usage ever.
        pub peak: u32,
        /// The server's Ed25519 public key (64 hex digits).
        pub server_key: String,
    }

    /// Every error: a stable code and a message saying what to do.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ErrorResponse {
        /// `limit_reached`, `unknown_lease`, `invalid_request`, `unauthorized`, ...
        pub error: String,
        /// In words.
        pub message: String,
        /// The licensed seats, with `limit_reached`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub limit: Option<u32>,
    }
}

/// The lease a client holds, verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldLease {
    /// The verified claims of its token.
    pub claims: LeaseClaims,
    /// The token text.
    pub token: String,
    /// Seconds to renew by.
    pub ttl_secs: i64,
    /// Seats in use at the last answer.
    pub in_use: u32,
    /// Licensed seats at the last answer.
    pub limit: Option<u32>,
}

impl HeldLease {
    /// When the lease runs out unless renewed (ms since the epoch).
    pub const fn expires_ms(&self) -> i64 {
        self.claims.expires_ms
    }
}

/// The outcome of a heartbeat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heartbeat {
    /// Renewed by the server.
    Renewed(HeldLease),
    /// The server cannot be reached; the seat is kept until `expires_ms`.
    Unreachable {
        /// When the held lease runs out (ms since the epoch).
        expires_ms: i64,
        /// Why the server could not be reached.
        cause: String,
    },
}

/// Milliseconds since the Unix epoch by the system clock.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// `YYYY-MM-DD HH:MM:SSZ` for milliseconds since the Unix epoch (UTC).
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let day = license_core::Date::from_unix_seconds(secs);
    let rem = secs.rem_euclid(86_400);
    format!("{day} {:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// A blocking client of one seat server for one holder.
pub struct SeatClient {
    agent: ureq::Agent,
    base: String,
    product: String,
    holder: String,
    user: String,
    machine: String,
    servers: Box<dyn ServerKeyCheck>,
    held: Mutex<Option<HeldLease>>,
}

impl fmt::Debug for SeatClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeatClient")
            .field("base", &self.base)
            .field("product", &self.product)
            .field("holder", &self.holder)
            .finish_non_exhaustive()
    }
}

impl SeatClient {
    /// A client of the server at `base_url` (`http://host:port`) for `product`, holding
    /// seats as `holder` (unique per client and stable across restarts, so a restarted
    /// client gets its seat back). `servers` decides which server keys are licensed.
    pub fn new(
        base_url: &str,
        product: &str,
        holder: &str,
        servers: Box<dyn ServerKeyCheck>,
    ) -> Result<SeatClient, SeatError> {
        let base = base_url.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(SeatError::Config(format!(
                "server URL {base_url:?} must start with http:// or https://"
            )));
        }
        if holder.is_empty() || holder.len() > 128 {
            return Err(SeatError::Config("the holder id must have 1 to 128 bytes".into()));
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(10)))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(SeatClient {
            agent,
            base,
            product: product.into(),
            holder: holder.into(),
            user: String::new(),
            machine: String::new(),
            servers,
            held: Mutex::new(None),
        })
    }

    /// Name the user and the client machine (shown to administrators).
    #[must_use]
    pub fn with_identity(mut self, user: &str, machine: &str) -> SeatClient {
        self.user = user.into();
        self.machine = machine.into();
        self
    }

    /// Name the user and the client machine on an existing client.
    pub fn set_identity(&mut self, user: &str, machine: &str) {
        user.clone_into(&mut self.user);
        machine.clone_into(&mut self.machine);
    }

    /// Use this HTTP agent (timeouts, TLS roots); it must not treat HTTP error statuses as
    /// errors (`http_status_as_error(false)`).
    #[must_use]
    pub fn with_agent(mut self, agent: ureq::Agent) -> SeatClient {
        self.agent = agent;
        self
    }

    /// The holder id.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// The lease held now, if any (its token verified when it was received).
    pub fn held(&self) -> Option<HeldLease> {
        self.lock().clone()
    }

    /// Whether a seat is held now by the held token's expiry, server reachable or not.
    pub fn holds_seat_at(&self, now_ms: i64) -> bool {
        self.lock().as_ref().is_some_and(|l| now_ms < l.expires_ms())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<HeldLease>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Take a seat (or get this holder's seat back).
    pub fn acquire(&self, ttl_secs: Option<u32>) -> Result<HeldLease, SeatError> {
        let body = api::AcquireRequest {
            holder: self.holder.clone(),
            user: self.user.clone(),
            machine: self.machine.clone(),
            ttl_secs,
        };
        let lease = self.post_lease("/v1/leases/acquire", &body)?;
        *self.lock() = Some(lease.clone());
        Ok(lease)
    }

    /// Check a seat out for `days` days (no heartbeats needed meanwhile).
    pub fn borrow(&self, days: u32) -> Result<HeldLease, SeatError> {
        let body = api::BorrowRequest {
            holder: self.holder.clone(),
            user: self.user.clone(),
            machine: self.machine.clone(),
            days,
        };
        let lease = self.post_lease("/v1/leases/borrow", &body)?;
        *self.lock() = Some(lease.clone());
        Ok(lease)
    }

    /// Renew the held lease. An unreachable server is not an error while the held lease
    /// is live: the seat is kept until it expires ([`Heartbeat::Unreachable`]).
    pub fn heartbeat(&self) -> Result<Heartbeat, SeatError> {
        let held = self.held().ok_or(SeatError::NoLease)?;
        let body = api::LeaseRequest {
            holder: self.holder.clone(),
            lease_id: hex::encode(held.claims.lease_id),
        };
        match self.post_lease("/v1/leases/heartbeat", &body) {
            Ok(lease) => {
                *self.lock() = Some(lease.clone());
                Ok(Heartbeat::Renewed(lease))
            }
            Err(SeatError::Unreachable { cause, url }) => {
                if now_ms() < held.expires_ms() {
                    Ok(Heartbeat::Unreachable {
                        expires_ms: held.expires_ms(),
                        cause,
                    })
                } else {
                    *self.lock() = None;
                    Err(SeatError::Unreachable { url, cause })
                }
            }
            Err(e @ SeatError::LeaseLost { .. }) => {
                *self.lock() = None;
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// Ask the server whether the held lease is still held, without renewing it: the lease
    /// with a fresh token, or [`SeatError::LeaseLost`] (then forgotten) when the server no
    /// longer holds it (expired, released, freed by an administrator).
    pub fn check(&self) -> Result<HeldLease, SeatError> {
        let held = self.held().ok_or(SeatError::NoLease)?;
        let body = api::LeaseRequest {
            holder: self.holder.clone(),
            lease_id: hex::encode(held.claims.lease_id),
        };
        match self.post_lease("/v1/leases/check", &body) {
            Ok(lease) => {
                *self.lock() = Some(lease.clone());
                Ok(lease)
            }
            Err(e @ SeatError::LeaseLost { .. }) => {
                *self.lock() = None;
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// Give the held seat back (also returns a borrowed seat). Returns whether the server
    /// still held it.
    pub fn release(&self) -> Result<bool, SeatError> {
        let held = self.held().ok_or(SeatError::NoLease)?;
        let body = api::LeaseRequest {
            holder: self.holder.clone(),
            lease_id: hex::encode(held.claims.lease_id),
        };
        let out: Result<api::ReleaseResponse, SeatError> = self.post("/v1/leases/release", &body);
        match out {
            Ok(r) => {
                *self.lock() = None;
                Ok(r.removed)
            }
            Err(SeatError::LeaseLost { .. }) => {
                *self.lock() = None;
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Forget the held lease without telling the server (e.g. after loading it elsewhere).
    pub fn forget(&self) {
        *self.lock() = None;
    }

    /// Adopt a lease token kept from an earlier run (e.g. a borrowed seat on a laptop),
    /// after verifying it at `now_ms`.
    pub fn adopt_token(&self, token: &str, now_ms: i64) -> Result<HeldLease, SeatError> {
        let claims = UntrustedLeaseToken::parse(token)?.verify_at(
            self.servers.as_ref(),
            &self.product,
            &self.holder,
            now_ms,
        )?;
        let lease = HeldLease {
            ttl_secs: (claims.expires_ms - claims.issued_ms) / 1000,
            claims,
            token: token.trim().into(),
            in_use: 0,
            limit: None,
        };
        *self.lock() = Some(lease.clone());
        Ok(lease)
    }

    /// The server's usage and key.
    pub fn status(&self) -> Result<api::StatusResponse, SeatError> {
        let url = format!("{}/v1/status", self.base);
        let resp = self.agent.get(&url).call().map_err(|e| self.transport(e))?;
        self.read(resp)
    }

    fn post_lease<B: serde::Serialize>(&self, path: &str, body: &B) -> Result<HeldLease, SeatError> {
        let r: api::LeaseResponse = self.post(path, body)?;
        let verified = UntrustedLeaseToken::parse(&r.token)
            .and_then(|t| t.verify_at(self.servers.as_ref(), &self.product, &self.holder, now_ms()));
        let claims = match verified {
            Ok(c) => c,
            Err(e) => {
                // A seat this client will not use must not stay held until its TTL: a new
                // grant (not the holder's own lease renewed) is given back at once.
                if !r.renewed {
                    let give_back = api::LeaseRequest {
                        holder: self.holder.clone(),
                        lease_id: r.lease_id.clone(),
                    };
                    let _: Result<api::ReleaseResponse, SeatError> =
                        self.post("/v1/leases/release", &give_back);
                }
                return Err(e);
            }
        };
        if hex::encode(claims.lease_id) != r.lease_id || claims.expires_ms != r.expires_ms {
            return Err(SeatError::BadResponse(
                "the token does not match the lease in the answer".into(),
            ));
        }
        Ok(HeldLease {
            claims,
            token: r.token,
            ttl_secs: r.ttl_secs,
            in_use: r.in_use,
            limit: r.limit,
        })
    }

    fn post<B: serde::Serialize, R: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<R, SeatError> {
        let url = format!("{}{path}", self.base);
        let resp = self
            .agent
            .post(&url)
            .send_json(body)
            .map_err(|e| self.transport(e))?;
        self.read(resp)
    }

    fn transport(&self, e: ureq::Error) -> SeatError {
        SeatError::Unreachable {
            url: self.base.clone(),
            cause: e.to_string(),
        }
    }

    fn read<R: serde::de::DeserializeOwned>(
        &self,
        mut resp: ureq::http::Response<ureq::Body>,
    ) -> Result<R, SeatError> {
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .map_err(|e| self.transport(e))?;
        if status == 200 {
            return serde_json::from_str(&text).map_err(|e| SeatError::BadResponse(e.to_string()));
        }
        let err: api::ErrorResponse = serde_json::from_str(&text)
            .map_err(|_| SeatError::BadResponse(format!("HTTP {status} without an error body")))?;
        Err(match (err.error.as_str(), err.limit) {
            ("limit_reached", Some(limit)) => SeatError::LimitReached { limit },
            ("unknown_lease", _) => SeatError::LeaseLost { message: err.message },
            _ => SeatError::Refused {
                status,
                code: err.error,
                message: err.message,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn claims(key: &SigningKey) -> LeaseClaims {
        LeaseClaims {
            server_key: key.verifying_key().to_bytes(),
            lease_id: [9; 16],
            issued_ms: 1_000,
            expires_ms: 61_000,
            borrowed: false,
            holder: "ws-17".into(),
            machine: "ws-17.acme.lan".into(),
            product: "cad".into(),
        }
    }

    fn token(c: &LeaseClaims, key: &SigningKey) -> String {
        let body = c.body().unwrap();
        let sig = key.sign(&LeaseClaims::signing_input(&body)).to_bytes();
        LeaseClaims::token_text(&body, &sig)
    }

    #[test]
    fn token_round_trips_and_verifies() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let c = claims(&key);
        let t = token(&c, &key);
        let pin = PinnedServerKey(key.verifying_key().to_bytes());
        let got = UntrustedLeaseToken::parse(&t)
            .unwrap()
            .verify_at(&pin, "cad", "ws-17", 60_999)
            .unwrap();
        assert_eq!(got, c);
    }

    #[test]
    fn forged_expired_other_holder_and_other_server_are_refused() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let pin = PinnedServerKey(key.verifying_key().to_bytes());
        let c = claims(&key);
        let t = token(&c, &key);
        let parse = |t: &str| UntrustedLeaseToken::parse(t).unwrap();
        assert!(matches!(
            parse(&t).verify_at(&pin, "cad", "ws-17", 61_000),
            Err(SeatError::Expired { .. })
        ));
        assert!(matches!(
            parse(&t).verify_at(&pin, "cad", "ws-18", 2_000),
            Err(SeatError::OtherHolder { .. })
        ));
        assert!(matches!(
            parse(&t).verify_at(&pin, "erp", "ws-17", 2_000),
            Err(SeatError::OtherProduct { .. })
        ));
        // Expiry moved by hand: the signature no longer verifies.
        let mut later = c.clone();
        later.expires_ms += 3_600_000;
        let body = later.body().unwrap();
        let old_sig: [u8; 64] = URL_SAFE_NO_PAD.decode(&t).unwrap()[body.len()..]
            .try_into()
            .unwrap();
        let forged = LeaseClaims::token_text(&body, &old_sig);
        assert_eq!(
            parse(&forged).verify_at(&pin, "cad", "ws-17", 2_000),
            Err(SeatError::ForgedToken)
        );
        // A valid token from another server.
        let other = SigningKey::from_bytes(&[4; 32]);
        let t2 = token(&claims(&other), &other);
        assert!(matches!(
            parse(&t2).verify_at(&pin, "cad", "ws-17", 2_000),
            Err(SeatError::UnlicensedServer { .. })
        ));
    }

    #[test]
    fn licensed_server_follows_the_codes_binding() {
        use license_core::{
            Binding, Context, Date, Kind, License, ModuleSet, ProductLine, PublicKey, UntrustedCode,
        };
        let vendor = SigningKey::from_bytes(&[7; 32]);
        let server = SigningKey::from_bytes(&[3; 32]).verifying_key().to_bytes();
        let day = Date::from_ymd(2026, 1, 1).unwrap();
        let mut license = License {
            license_id: 1,
            revision: 1,
            kind: Kind::Full,
            line: ProductLine::new(1).unwrap(),
            named_users: None,
            concurrent_seats: Some(5),
            demo_seats: 0,
            modules: ModuleSet::EMPTY,
            issued: day,
            valid_from: day,
            expires: None,
            grace_days: 0,
            maintenance_ends: None,
            binding: Binding::NONE.with_seat_server(&server),
            interim: false,
        };
        let ctx = Context::new("cad", "ACME");
        let verify = |l: &License| {
            let code = license_core::sign(l, &ctx, &vendor).unwrap().to_string();
            UntrustedCode::parse(&code)
                .unwrap()
                .verify(&[PublicKey::from(vendor.verifying_key())], &ctx)
                .unwrap()
        };
        let licensed = LicensedServer::from_license(&verify(&license)).unwrap();
        assert_eq!(licensed.check(&server), Ok(()));
        assert!(matches!(
            licensed.check(&[9; 32]),
            Err(SeatError::UnlicensedServer { .. })
        ));
        license.binding = Binding::NONE;
        assert!(matches!(
            LicensedServer::from_license(&verify(&license)),
            Err(SeatError::Config(_))
        ));
    }

    #[test]
    fn malformed_tokens_are_typed_errors() {
        for bad in ["", "!!!", "AAAA", &"A".repeat(2000)] {
            assert!(
                matches!(UntrustedLeaseToken::parse(bad), Err(SeatError::MalformedToken(_))),
                "{bad:?}"
            );
        }
        let key = SigningKey::from_bytes(&[3; 32]);
        let mut bytes = URL_SAFE_NO_PAD.decode(token(&claims(&key), &key)).unwrap();
        bytes.insert(100, 0);
        assert!(UntrustedLeaseToken::parse(&URL_SAFE_NO_PAD.encode(&bytes)).is_err());
    }
}
