//! The JSON bodies of the seat server's API (`docs/SERVER.md`, "API"). Requests refuse
//! unknown fields; optional fields are left out when absent.

use serde::{Deserialize, Serialize};

/// The holder proof a request carries (`docs/SERVER.md`, "The holder proof"): the holder's
/// Ed25519 public key, the client's time, a fresh nonce, and either an Ed25519 signature
/// (`sig`) or an HMAC-SHA256 under the lease's MAC key (`mac`) over the request's proof
/// message ([`crate::proof::ProofMessage`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    /// The holder's Ed25519 public key (64 hex digits).
    pub key: String,
    /// The client's time (ms since the epoch); strictly increasing per holder key.
    pub ts: i64,
    /// 16 random bytes (32 hex digits).
    pub nonce: String,
    /// Ed25519 signature (128 hex digits): acquire and borrow need it, any request takes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
    /// HMAC-SHA256 under the lease's MAC key (64 hex digits): heartbeat, check, release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

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
    /// The lease id of the holder's own lease, to get it back (re-claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_id: Option<String>,
    /// The client's X25519 public key for this grant (64 hex digits): the server answers the
    /// lease's MAC key sealed to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dh: Option<String>,
    /// The holder proof (signed); absent only from clients of before the proof, which a
    /// server accepts only with `--accept-unproven-clients`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
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
    /// The lease id of the holder's own lease (borrowing the seat it holds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_id: Option<String>,
    /// The client's X25519 public key for this grant (64 hex digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dh: Option<String>,
    /// The holder proof (signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
}

/// `POST /v1/leases/heartbeat`, `/check` and `/release`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaseRequest {
    /// Holder id.
    pub holder: String,
    /// The lease id from the grant (32 hex digits).
    pub lease_id: String,
    /// The holder proof (MAC or signature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
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
    /// The lease's MAC key sealed to the request's `dh` key (64 hex digits): answered to a
    /// signed acquire or borrow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac_key_box: Option<String>,
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
    /// `limit_reached`, `unknown_lease`, `proof_required`, `bad_proof`, `stale_proof`, ...
    pub error: String,
    /// In words.
    pub message: String,
    /// The licensed seats, with `limit_reached`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The server's clock (ms since the epoch), with `stale_proof`: the client retries with
    /// a time after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_ms: Option<i64>,
}
