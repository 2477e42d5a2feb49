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
//! Every request proves that it comes from the holder (`docs/SERVER.md`, "The holder
//! proof"): the client has an Ed25519 holder key (made in memory, or kept with the lease in
//! a lease file, [`SeatClient::with_lease_file`]), signs each acquire and borrow with it,
//! and MACs each heartbeat, check and release with the lease's MAC key.
//!
//! The JSON bodies of the server's API ([`api`]), the token format ([`LeaseClaims`]) and
//! the holder proof are the `seat-protocol` crate's, which the server uses too.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ed25519_dalek::SigningKey;
use seat_protocol::proof::{self, GrantFields, ParsedProof, ProofAuth, ProofMessage, ProofOp};
use std::path::PathBuf;
use zeroize::Zeroizing;

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
    /// The server refused the holder proof's time (a replay, or a client clock that is off
    /// by more than the window); the client retries once with the server's clock.
    #[error("the seat server refused the holder proof's time: {message}")]
    StaleProof {
        /// The server's clock (ms since the epoch).
        server_ms: i64,
        /// The server's words.
        message: String,
    },
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

pub use seat_protocol::{
    LeaseClaims, MAX_TOKEN_FIELD, MAX_TOKEN_TEXT, TOKEN_DOMAIN, TOKEN_MAGIC, TokenError, api,
};

impl From<TokenError> for SeatError {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::Malformed(why) => SeatError::MalformedToken(why),
            TokenError::OtherHolder { token, expected } => SeatError::OtherHolder { token, expected },
            TokenError::OtherProduct { token, expected } => SeatError::OtherProduct { token, expected },
            TokenError::Expired { ago_secs } => SeatError::Expired { ago_secs },
            _ => SeatError::ForgedToken,
        }
    }
}

/// A lease token as received: nothing in it is trusted until [`verify_at`](Self::verify_at).
/// (The format is `seat_protocol`'s; this adds the check that the server key is licensed.)
#[derive(Clone, Debug)]
pub struct UntrustedLeaseToken(seat_protocol::UntrustedLeaseToken);

impl UntrustedLeaseToken {
    /// Decode a token's text form.
    pub fn parse(text: &str) -> Result<UntrustedLeaseToken, SeatError> {
        Ok(UntrustedLeaseToken(seat_protocol::UntrustedLeaseToken::parse(
            text,
        )?))
    }

    /// The claims, unverified (for support tools).
    pub const fn unverified_claims(&self) -> &LeaseClaims {
        self.0.unverified_claims()
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
        servers.check(&self.0.unverified_claims().server_key)?;
        Ok(self.0.verify_at(product, holder, now_ms)?)
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

    /// The seat server's clock when it signed the token: a trusted floor for this
    /// machine's clock ([`crate::Verifier::trust_time_floor`]; `docs/SECURITY.md` says
    /// what it does and does not stop).
    pub const fn server_time(&self) -> crate::time::Utc {
        crate::time::Utc(self.claims.issued_ms.div_euclid(1000))
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

/// What a client keeps with its lease (the lease file, `SeatClient::export_lease`): its
/// holder key, and the held lease's token and MAC key. Secrets: the file is 0600.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LeaseState {
    /// Format of this record.
    version: u32,
    /// The holder key's 32 secret bytes (hex).
    holder_key: String,
    /// The held lease's token, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    /// The held lease's MAC key (hex), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mac_key: Option<String>,
    /// Seconds to renew by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ttl_secs: Option<i64>,
}

impl Drop for LeaseState {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.holder_key.zeroize();
        if let Some(k) = &mut self.mac_key {
            k.zeroize();
        }
    }
}

/// The client's mutable state, under one lock.
struct ClientState {
    held: Option<HeldLease>,
    mac_key: Option<Zeroizing<[u8; 32]>>,
    holder_key: SigningKey,
    /// The last proof time used (proof times only increase).
    last_ts: i64,
    /// The server's clock minus ours, learned from a `stale_proof` answer (ms).
    offset_ms: i64,
    /// The server key, checked against `servers`, once learned.
    server_key: Option<[u8; 32]>,
}

fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, SeatError> {
    let mut b = Zeroizing::new([0u8; N]);
    getrandom::fill(b.as_mut()).map_err(|e| SeatError::Config(format!("no random numbers: {e}")))?;
    Ok(b)
}

/// A blocking client of one seat server for one holder.
pub struct SeatClient {
    agent: ureq::Agent,
    base: String,
    /// Further servers tried in order when the current one cannot be reached.
    failover: Vec<String>,
    /// Index into `[base, failover...]` of the server that answered last.
    current: std::sync::atomic::AtomicUsize,
    product: String,
    holder: String,
    user: String,
    machine: String,
    servers: Box<dyn ServerKeyCheck>,
    state: Mutex<ClientState>,
    lease_file: Option<PathBuf>,
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
    /// seats as `holder` (unique per client). `servers` decides which server keys are
    /// licensed. The client makes a new holder key (Ed25519) in memory; to keep it and the
    /// held lease across restarts, use [`with_lease_file`](Self::with_lease_file).
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
            failover: Vec::new(),
            current: std::sync::atomic::AtomicUsize::new(0),
            product: product.into(),
            holder: holder.into(),
            user: String::new(),
            machine: String::new(),
            servers,
            state: Mutex::new(ClientState {
                held: None,
                mac_key: None,
                holder_key: SigningKey::from_bytes(&*random::<32>()?),
                last_ts: 0,
                offset_ms: 0,
                server_key: None,
            }),
            lease_file: None,
        })
    }

    /// Keep the holder key and the held lease in `path` (mode 0600, replaced atomically at
    /// every change): loaded now if the file exists (a lease in it is adopted if its token
    /// still verifies), created at the first grant otherwise. A client that loses this file
    /// loses its holder key, and with it its lease: the seat comes back at the lease's
    /// expiry (the holder id alone never gets it back).
    pub fn with_lease_file(mut self, path: impl Into<PathBuf>) -> Result<SeatClient, SeatError> {
        self.set_lease_file(path)?;
        Ok(self)
    }

    /// [`with_lease_file`](Self::with_lease_file) on an existing client: returns the lease
    /// adopted from the file, if any.
    pub fn set_lease_file(&mut self, path: impl Into<PathBuf>) -> Result<Option<HeldLease>, SeatError> {
        let path = path.into();
        let adopted = match std::fs::read_to_string(&path) {
            Ok(text) => self.import_lease(&text, now_ms())?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(SeatError::Config(format!(
                    "cannot read the lease file {}: {e}",
                    path.display()
                )));
            }
        };
        self.lease_file = Some(path);
        Ok(adopted)
    }

    /// The holder key and the held lease as text, secrets included (what the lease file
    /// holds): keep it private (mode 0600).
    pub fn export_lease(&self) -> String {
        let st = self.lock();
        let state = LeaseState {
            version: 1,
            holder_key: hex::encode(st.holder_key.to_bytes()),
            token: st.held.as_ref().map(|h| h.token.clone()),
            mac_key: st.mac_key.as_ref().map(|k| hex::encode(k.as_ref())),
            ttl_secs: st.held.as_ref().map(|h| h.ttl_secs),
        };
        serde_json::to_string(&state).unwrap_or_default()
    }

    /// Take the holder key and the lease from [`export_lease`](Self::export_lease)'s text;
    /// the lease only if its token has not expired at `now_ms` (else only the key is taken).
    /// A token for another holder, product or an unlicensed server is an error. Returns the
    /// adopted lease.
    pub fn import_lease(&self, text: &str, now_ms: i64) -> Result<Option<HeldLease>, SeatError> {
        let state: LeaseState = serde_json::from_str(text)
            .map_err(|e| SeatError::Config(format!("the lease file is not one this client wrote ({e})")))?;
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(
            proof::hex_array("holder_key", &state.holder_key)
                .map_err(|e| SeatError::Config(e.to_string()))?,
        );
        let mac_key = match &state.mac_key {
            Some(k) => Some(Zeroizing::new(
                proof::hex_array::<32>("mac_key", k).map_err(|e| SeatError::Config(e.to_string()))?,
            )),
            None => None,
        };
        // A lease that ran out is simply gone (the key stays); a token for another holder,
        // product or server is this file's mistake, said as such.
        let claims = match state.token.as_deref().map(|t| self.verify_token(t, now_ms)) {
            None | Some(Err(SeatError::Expired { .. })) => None,
            Some(Ok(claims)) => Some(claims),
            Some(Err(e)) => return Err(e),
        };
        let lease = claims.map(|claims| HeldLease {
            ttl_secs: state
                .ttl_secs
                .unwrap_or((claims.expires_ms - claims.issued_ms) / 1000),
            claims,
            token: state.token.clone().unwrap_or_default(),
            in_use: 0,
            limit: None,
        });
        let mut st = self.lock();
        st.holder_key = SigningKey::from_bytes(&seed);
        st.mac_key = lease.as_ref().and(mac_key);
        st.held.clone_from(&lease);
        Ok(lease)
    }

    /// The holder key's public half (what the server binds this client's leases to).
    pub fn holder_key(&self) -> [u8; 32] {
        self.lock().holder_key.verifying_key().to_bytes()
    }

    fn save(&self) -> Result<(), SeatError> {
        let Some(path) = &self.lease_file else {
            return Ok(());
        };
        let text = Zeroizing::new(self.export_lease());
        // Mode 0600, a unique temporary name, fsync, rename, fsync the directory.
        license_fs::write_atomic(path, text.as_bytes())
            .map_err(|e| SeatError::Config(format!("cannot write the lease file {}: {e}", path.display())))
    }

    /// Further servers to fail over to, in order, when the current one cannot be reached
    /// (instances serving the same license: several instances on one PostgreSQL database
    /// share one server key, which the code's binding names). A server that answers becomes
    /// the current one. A lease is only known to the servers sharing its database: after a
    /// failover to a server with its own database, a heartbeat answers that the lease is
    /// lost, and the client acquires again there.
    pub fn with_failover(mut self, urls: &[&str]) -> Result<SeatClient, SeatError> {
        for url in urls {
            self.add_failover(url)?;
        }
        Ok(self)
    }

    /// Add one server to fail over to, after those given before (the same rules as
    /// [`SeatClient::with_failover`]); a URL that is not `http://` or `https://` is refused
    /// and the list stays as it was.
    pub fn add_failover(&mut self, url: &str) -> Result<(), SeatError> {
        let u = url.trim_end_matches('/').to_string();
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            return Err(SeatError::Config(format!(
                "server URL {url:?} must start with http:// or https://"
            )));
        }
        self.failover.push(u);
        Ok(())
    }

    /// The server that answered last (the first one until then).
    pub fn current_server(&self) -> &str {
        let i = self.current.load(std::sync::atomic::Ordering::Relaxed);
        self.server(i)
    }

    fn server(&self, i: usize) -> &str {
        if i == 0 { &self.base } else { &self.failover[i - 1] }
    }

    /// Run `call` against the current server, then the others in list order while they
    /// cannot be reached. A server whose connection failed without an answer (refused,
    /// reset, closed: a server under a flood of idle connections closes the oldest ones of
    /// an address, docs/SERVER.md) is tried once more before the next; a timeout is not
    /// retried. The retry sends the same request: proofs are dated, so a request the server
    /// did see is refused as a replay, never applied twice.
    fn with_servers(
        &self,
        call: impl Fn(&str) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<ureq::http::Response<ureq::Body>, SeatError> {
        let n = 1 + self.failover.len();
        let start = self.current.load(std::sync::atomic::Ordering::Relaxed) % n;
        let order = std::iter::once(start).chain((0..n).filter(|&i| i != start));
        let mut causes = Vec::new();
        for i in order {
            for attempt in 0..2 {
                match call(self.server(i)) {
                    Ok(resp) => {
                        self.current.store(i, std::sync::atomic::Ordering::Relaxed);
                        return Ok(resp);
                    }
                    Err(e) => {
                        let again = attempt == 0 && !matches!(e, ureq::Error::Timeout(_));
                        causes.push(format!("{}: {e}", self.server(i)));
                        if !again {
                            break;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(50));
                    }
                }
            }
        }
        Err(SeatError::Unreachable {
            url: self.server(start).to_owned(),
            cause: causes.join("; "),
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
        self.lock().held.clone()
    }

    /// Whether a seat is held now by the held token's expiry, server reachable or not.
    pub fn holds_seat_at(&self, now_ms: i64) -> bool {
        self.lock().held.as_ref().is_some_and(|l| now_ms < l.expires_ms())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClientState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn set_held(
        &self,
        lease: Option<HeldLease>,
        mac_key: Option<Option<Zeroizing<[u8; 32]>>>,
    ) -> Result<(), SeatError> {
        {
            let mut st = self.lock();
            if lease.is_none() {
                st.mac_key = None;
            } else if let Some(k) = mac_key {
                st.mac_key = k;
            }
            st.held = lease;
        }
        self.save()
    }

    /// Take a seat (or get this holder's own seat back: a re-claim, proven with the holder
    /// key the lease is bound to).
    pub fn acquire(&self, ttl_secs: Option<u32>) -> Result<HeldLease, SeatError> {
        self.grant(
            "/v1/leases/acquire",
            ProofOp::Acquire,
            ttl_secs.unwrap_or(0),
            |lease_id, dh, proof| {
                serde_json::to_value(api::AcquireRequest {
                    holder: self.holder.clone(),
                    user: self.user.clone(),
                    machine: self.machine.clone(),
                    ttl_secs,
                    lease_id,
                    dh: Some(dh),
                    proof: Some(proof),
                })
            },
        )
    }

    /// Check a seat out for `days` days (no heartbeats needed meanwhile).
    pub fn borrow(&self, days: u32) -> Result<HeldLease, SeatError> {
        self.grant(
            "/v1/leases/borrow",
            ProofOp::Borrow,
            days,
            |lease_id, dh, proof| {
                serde_json::to_value(api::BorrowRequest {
                    holder: self.holder.clone(),
                    user: self.user.clone(),
                    machine: self.machine.clone(),
                    days,
                    lease_id,
                    dh: Some(dh),
                    proof: Some(proof),
                })
            },
        )
    }

    /// The server's key: learned from `GET /v1/status` once, and accepted only if
    /// `servers` says it is licensed (so a proof is never made for an unlicensed server).
    fn server_key(&self) -> Result<[u8; 32], SeatError> {
        if let Some(k) = self.lock().server_key {
            return Ok(k);
        }
        let status = self.status()?;
        let key: [u8; 32] = proof::hex_array("server_key", &status.server_key)
            .map_err(|_| SeatError::BadResponse("server_key is not 64 hex digits".into()))?;
        self.servers.check(&key)?;
        self.lock().server_key = Some(key);
        Ok(key)
    }

    fn grant(
        &self,
        path: &str,
        op: ProofOp,
        amount: u32,
        make: impl Fn(Option<String>, String, api::Proof) -> Result<serde_json::Value, serde_json::Error>,
    ) -> Result<HeldLease, SeatError> {
        let server_key = self.server_key()?;
        let dh_secret = random::<32>()?;
        let dh = proof::dh_public(&dh_secret);
        let own = self.held().map(|h| h.claims.lease_id);
        let grant = GrantFields {
            user: &self.user,
            machine: &self.machine,
            amount,
            dh,
        };
        let r: api::LeaseResponse = self.post_proven(
            path,
            |p| make(own.map(hex::encode), hex::encode(dh), p),
            op,
            server_key,
            own.unwrap_or([0; 16]),
            Some(grant),
            None,
        )?;
        let lease_id: [u8; 16] = proof::hex_array("lease_id", &r.lease_id)
            .map_err(|_| SeatError::BadResponse("lease_id is not 32 hex digits".into()))?;
        let holder_key = self.holder_key();
        let mac_key = match &r.mac_key_box {
            Some(b) => {
                let sealed: [u8; 32] = proof::hex_array("mac_key_box", b)
                    .map_err(|_| SeatError::BadResponse("mac_key_box is not 64 hex digits".into()))?;
                Some(
                    proof::open_mac_key(&dh_secret, &server_key, &lease_id, &holder_key, &sealed)
                        .map_err(|e| SeatError::BadResponse(e.to_string()))?,
                )
            }
            None => None,
        };
        match self.verify_response(&r) {
            Ok(lease) => {
                self.set_held(Some(lease.clone()), Some(mac_key))?;
                Ok(lease)
            }
            Err(e) => {
                // A seat this client will not use must not stay held until its TTL: a new
                // grant (not the holder's own lease renewed) is given back at once.
                if !r.renewed {
                    let _: Result<api::ReleaseResponse, SeatError> = self.post_proven(
                        "/v1/leases/release",
                        |p| {
                            serde_json::to_value(api::LeaseRequest {
                                holder: self.holder.clone(),
                                lease_id: r.lease_id.clone(),
                                proof: Some(p),
                            })
                        },
                        ProofOp::Release,
                        server_key,
                        lease_id,
                        None,
                        mac_key.as_deref(),
                    );
                }
                Err(e)
            }
        }
    }

    /// A proof for one request: the next time, a fresh nonce, and a MAC under `mac_key`
    /// or else a signature with the holder key.
    fn prove(
        &self,
        op: ProofOp,
        server_key: [u8; 32],
        lease_id: [u8; 16],
        grant: Option<GrantFields<'_>>,
        mac_key: Option<&[u8; 32]>,
    ) -> Result<api::Proof, SeatError> {
        let nonce = *random::<16>()?;
        let mut st = self.lock();
        let ts = now_ms().saturating_add(st.offset_ms).max(st.last_ts + 1);
        st.last_ts = ts;
        let holder_key = st.holder_key.verifying_key().to_bytes();
        let message = ProofMessage {
            op,
            server_key,
            holder_key,
            ts,
            nonce,
            holder: &self.holder,
            lease_id,
            grant,
        }
        .to_bytes()
        .map_err(|e| SeatError::Config(e.to_string()))?;
        let auth = match mac_key {
            Some(k) => ProofAuth::Mac(proof::mac(k, &message)),
            None => ProofAuth::Signature(proof::sign(&st.holder_key, &message)),
        };
        Ok(ParsedProof {
            key: holder_key,
            ts,
            nonce,
            auth,
        }
        .to_api())
    }

    /// Post a request carrying a proof; when the server finds its time stale (a client
    /// clock off by more than the window), take the server's clock and try once more.
    #[allow(clippy::too_many_arguments)]
    fn post_proven<R: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        make: impl Fn(api::Proof) -> Result<serde_json::Value, serde_json::Error>,
        op: ProofOp,
        server_key: [u8; 32],
        lease_id: [u8; 16],
        grant: Option<GrantFields<'_>>,
        mac_key: Option<&[u8; 32]>,
    ) -> Result<R, SeatError> {
        let mut retried = false;
        loop {
            let p = self.prove(op, server_key, lease_id, grant, mac_key)?;
            let body = make(p).map_err(|e| SeatError::Config(e.to_string()))?;
            match self.post(path, &body) {
                Err(SeatError::StaleProof { server_ms, .. }) if !retried => {
                    retried = true;
                    self.lock().offset_ms = server_ms.saturating_add(1).saturating_sub(now_ms());
                }
                other => return other,
            }
        }
    }

    fn lease_request<R: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        op: ProofOp,
        held: &HeldLease,
    ) -> Result<R, SeatError> {
        let mac_key = self.lock().mac_key.clone();
        self.post_proven(
            path,
            |p| {
                serde_json::to_value(api::LeaseRequest {
                    holder: self.holder.clone(),
                    lease_id: hex::encode(held.claims.lease_id),
                    proof: Some(p),
                })
            },
            op,
            held.claims.server_key,
            held.claims.lease_id,
            None,
            mac_key.as_deref(),
        )
    }

    /// Renew the held lease. An unreachable server is not an error while the held lease
    /// is live: the seat is kept until it expires ([`Heartbeat::Unreachable`]).
    pub fn heartbeat(&self) -> Result<Heartbeat, SeatError> {
        let held = self.held().ok_or(SeatError::NoLease)?;
        let answer = self
            .lease_request("/v1/leases/heartbeat", ProofOp::Heartbeat, &held)
            .and_then(|r| self.verify_response(&r));
        match answer {
            Ok(lease) => {
                self.set_held(Some(lease.clone()), None)?;
                Ok(Heartbeat::Renewed(lease))
            }
            Err(SeatError::Unreachable { cause, url }) => {
                if now_ms() < held.expires_ms() {
                    Ok(Heartbeat::Unreachable {
                        expires_ms: held.expires_ms(),
                        cause,
                    })
                } else {
                    self.set_held(None, None)?;
                    Err(SeatError::Unreachable { url, cause })
                }
            }
            Err(e @ SeatError::LeaseLost { .. }) => {
                self.set_held(None, None)?;
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
        let answer = self
            .lease_request("/v1/leases/check", ProofOp::Check, &held)
            .and_then(|r| self.verify_response(&r));
        match answer {
            Ok(lease) => {
                self.set_held(Some(lease.clone()), None)?;
                Ok(lease)
            }
            Err(e @ SeatError::LeaseLost { .. }) => {
                self.set_held(None, None)?;
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// Give the held seat back (also returns a borrowed seat). Returns whether the server
    /// still held it.
    pub fn release(&self) -> Result<bool, SeatError> {
        let held = self.held().ok_or(SeatError::NoLease)?;
        let out: Result<api::ReleaseResponse, SeatError> =
            self.lease_request("/v1/leases/release", ProofOp::Release, &held);
        match out {
            Ok(r) => {
                self.set_held(None, None)?;
                Ok(r.removed)
            }
            Err(SeatError::LeaseLost { .. }) => {
                self.set_held(None, None)?;
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Forget the held lease without telling the server (e.g. after loading it elsewhere).
    pub fn forget(&self) {
        let mut st = self.lock();
        st.held = None;
        st.mac_key = None;
    }

    fn verify_token(&self, token: &str, now_ms: i64) -> Result<LeaseClaims, SeatError> {
        UntrustedLeaseToken::parse(token)?.verify_at(
            self.servers.as_ref(),
            &self.product,
            &self.holder,
            now_ms,
        )
    }

    /// Adopt a lease token kept from an earlier run (e.g. a borrowed seat on a laptop),
    /// after verifying it at `now_ms`. Heartbeats and the release of an adopted lease are
    /// signed with this client's holder key: they succeed only if the lease is bound to it
    /// (keep the key with [`with_lease_file`](Self::with_lease_file)).
    pub fn adopt_token(&self, token: &str, now_ms: i64) -> Result<HeldLease, SeatError> {
        let claims = self.verify_token(token, now_ms)?;
        let lease = HeldLease {
            ttl_secs: (claims.expires_ms - claims.issued_ms) / 1000,
            claims,
            token: token.trim().into(),
            in_use: 0,
            limit: None,
        };
        let mut st = self.lock();
        st.held = Some(lease.clone());
        st.mac_key = None;
        Ok(lease)
    }

    /// The server's usage and key.
    pub fn status(&self) -> Result<api::StatusResponse, SeatError> {
        let resp = self.with_servers(|base| self.agent.get(format!("{base}/v1/status")).call())?;
        self.read(resp)
    }

    fn verify_response(&self, r: &api::LeaseResponse) -> Result<HeldLease, SeatError> {
        let claims = self.verify_token(&r.token, now_ms())?;
        if hex::encode(claims.lease_id) != r.lease_id || claims.expires_ms != r.expires_ms {
            return Err(SeatError::BadResponse(
                "the token does not match the lease in the answer".into(),
            ));
        }
        Ok(HeldLease {
            claims,
            token: r.token.clone(),
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
        let resp = self.with_servers(|base| self.agent.post(format!("{base}{path}")).send_json(body))?;
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
        Err(match (err.error.as_str(), err.limit, err.server_ms) {
            ("limit_reached", Some(limit), _) => SeatError::LimitReached { limit },
            ("unknown_lease", _, _) => SeatError::LeaseLost { message: err.message },
            ("stale_proof", _, Some(server_ms)) => SeatError::StaleProof {
                server_ms,
                message: err.message,
            },
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

    /// A server that closes its first connection without answering (as one under a flood
    /// of idle connections closes an address's oldest) and answers the next: the client
    /// tries again and gets the answer.
    #[test]
    fn a_connection_closed_without_an_answer_is_tried_once_more() {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (first, _) = listener.accept().unwrap();
            drop(first);
            let (mut s, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let body = format!(
                r#"{{"product":"cad","licensee":"Acme","license_status":"valid","in_use":0,"limit":5,"peak":0,"server_key":"{}"}}"#,
                "ab".repeat(32)
            );
            write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        });
        let client = SeatClient::new(
            &format!("http://{addr}"),
            "cad",
            "ws-17",
            Box::new(PinnedServerKey([0xab; 32])),
        )
        .unwrap();
        let status = client.status().unwrap();
        assert_eq!((status.product.as_str(), status.limit), ("cad", Some(5)));
        server.join().unwrap();
    }

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
    fn a_token_verifies_only_from_a_licensed_server() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let pin = PinnedServerKey(key.verifying_key().to_bytes());
        let t = token(&claims(&key), &key);
        assert_eq!(
            UntrustedLeaseToken::parse(&t)
                .unwrap()
                .verify_at(&pin, "cad", "ws-17", 2_000),
            Ok(claims(&key))
        );
        let other = SigningKey::from_bytes(&[4; 32]);
        let t2 = token(&claims(&other), &other);
        assert!(matches!(
            UntrustedLeaseToken::parse(&t2)
                .unwrap()
                .verify_at(&pin, "cad", "ws-17", 2_000),
            Err(SeatError::UnlicensedServer { .. })
        ));
        assert!(matches!(
            UntrustedLeaseToken::parse(&t)
                .unwrap()
                .verify_at(&pin, "cad", "ws-18", 2_000),
            Err(SeatError::OtherHolder { .. })
        ));
        assert!(matches!(
            UntrustedLeaseToken::parse("AAAA"),
            Err(SeatError::MalformedToken(_))
        ));
    }

    #[test]
    fn the_lease_state_round_trips_with_its_key() {
        let c = SeatClient::new(
            "http://127.0.0.1:1",
            "cad",
            "ws-17",
            Box::new(PinnedServerKey([0; 32])),
        )
        .unwrap();
        let d = SeatClient::new(
            "http://127.0.0.1:1",
            "cad",
            "ws-17",
            Box::new(PinnedServerKey([0; 32])),
        )
        .unwrap();
        assert_ne!(c.holder_key(), d.holder_key());
        assert_eq!(d.import_lease(&c.export_lease(), 0).unwrap(), None);
        assert_eq!(c.holder_key(), d.holder_key());
        assert!(matches!(d.import_lease("{}", 0), Err(SeatError::Config(_))));
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
}
