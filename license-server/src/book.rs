//! The lease rules, without I/O: a [`LeaseBook`] applies an [`Op`] at a given time and
//! returns the [`Reply`] plus the [`Change`]s a store must make durable before the reply
//! may be sent.
//!
//! - At most `limit` leases are live at once (`None` = not limited, usage still counted).
//! - A lease lives for its TTL unless renewed by a heartbeat; an expired lease is gone.
//! - The same holder acquiring again from the same machine gets its own lease back (same
//!   lease id, renewed), never a second seat.
//! - A borrowed lease is checked out for whole days, needs no heartbeats, and counts as
//!   held until it is returned (released) or expires.
//! - Heartbeat and release need the lease id, a random secret only the holder was given.
//! - Lowering the limit takes the newest leases back at once.
//!
//! Time is milliseconds since the Unix epoch, passed in: tests never sleep.

use std::collections::HashMap;
use std::fmt;

use seat_protocol::proof::{is_proven, unproven_lease_id};

/// Longest holder id, user name or machine name accepted (bytes).
pub const MAX_ID_LEN: usize = 128;
/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;
/// Usage samples are kept per minute.
pub const MINUTE_MS: i64 = 60_000;
/// The audit log keeps at most this many entries (the oldest go first, at the prune each
/// minute), besides its age bound (`--audit-days`). Refusals are aggregated per holder,
/// reason and minute, so a flood of refusals adds one counted entry per holder and minute.
pub const AUDIT_MAX_ROWS: i64 = 100_000;

/// A lease id: 16 random bytes, given only to the holder.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LeaseId(pub [u8; 16]);

impl LeaseId {
    /// A fresh random id.
    pub fn random() -> Result<LeaseId, getrandom::Error> {
        let mut b = [0; 16];
        getrandom::fill(&mut b)?;
        Ok(LeaseId(b))
    }

    /// Parse 32 hex digits.
    pub fn from_hex(s: &str) -> Option<LeaseId> {
        let mut b = [0; 16];
        hex::decode_to_slice(s, &mut b).ok()?;
        Some(LeaseId(b))
    }

    /// 32 hex digits.
    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Debug for LeaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The id is the holder's secret: not printed whole.
        write!(f, "LeaseId({}…)", &self.to_hex()[..6])
    }
}

/// The bounds of the book: lease lifetimes and borrowing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// TTL given when the client asks for none (ms).
    pub default_ttl_ms: i64,
    /// Shortest TTL a client may ask for (ms).
    pub min_ttl_ms: i64,
    /// Longest TTL a client may ask for (ms).
    pub max_ttl_ms: i64,
    /// Longest borrow (days); 0 = borrowing off.
    pub max_borrow_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            default_ttl_ms: 120_000,
            min_ttl_ms: 10_000,
            max_ttl_ms: 3_600_000,
            max_borrow_days: 14,
        }
    }
}

/// One lease as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaseRecord {
    /// Who holds it (chosen by the client: a user session, an installation).
    pub holder: String,
    /// The user the client named.
    pub user: String,
    /// The client machine the client named.
    pub machine: String,
    /// The holder's secret for heartbeats and release.
    pub lease_id: LeaseId,
    /// When the seat was first granted (ms).
    pub granted_ms: i64,
    /// When it runs out unless renewed (ms).
    pub expires_ms: i64,
    /// The TTL a heartbeat renews it by (ms).
    pub ttl_ms: i64,
    /// Checked out for days (no heartbeats needed).
    pub borrowed: bool,
}

/// How a grant request (acquire, borrow) showed that it comes from the holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantProof {
    /// No proof: a client of before the holder proof, served only with
    /// `--accept-unproven-clients`. Its lease is stored under its lease id with the top bit
    /// clear (`seat_protocol::proof::unproven_lease_id`), and such a request re-claims only
    /// such a lease (same holder, same machine, as before the proof).
    Unproven,
    /// Signed with a holder key (checked by the HTTP layer).
    Holder {
        /// The lease key a new lease is stored under (`lease_key(holder key, new lease id)`).
        fresh: LeaseId,
        /// The lease key of the lease the request names (`lease_key(holder key, its lease
        /// id)`): the holder's own lease is given back only when this matches it.
        own: Option<LeaseId>,
    },
}

/// What a client or administrator asks the book to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Take a seat, or get one's own back.
    Acquire {
        /// Holder id.
        holder: String,
        /// User name.
        user: String,
        /// Client machine.
        machine: String,
        /// Requested TTL (ms); `None` = the default.
        ttl_ms: Option<i64>,
        /// The holder proof.
        proof: GrantProof,
    },
    /// Check a seat out for `days` days.
    Borrow {
        /// Holder id.
        holder: String,
        /// User name.
        user: String,
        /// Client machine.
        machine: String,
        /// Days, 1 to the policy's maximum.
        days: u32,
        /// The holder proof.
        proof: GrantProof,
    },
    /// Renew a lease by its TTL.
    Heartbeat {
        /// Holder id.
        holder: String,
        /// The lease id given at grant.
        lease_id: LeaseId,
    },
    /// Give a seat back (also returns a borrowed seat).
    Release {
        /// Holder id.
        holder: String,
        /// The lease id given at grant.
        lease_id: LeaseId,
    },
    /// Administrator: free a holder's seat.
    ForceRelease {
        /// Holder id.
        holder: String,
    },
    /// The verified license's seat count changed (recheck, demo mode).
    SetLimit(Option<u32>),
    /// Drop expired leases.
    Sweep,
}

/// What happened, for the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditKind {
    /// A seat was granted.
    Grant,
    /// A holder got its own lease back.
    Reclaim,
    /// A seat was borrowed for days.
    Borrow,
    /// A request for a seat was refused.
    Refuse,
    /// A holder gave its seat back.
    Release,
    /// A lease ran out.
    Expire,
    /// An administrator freed a seat.
    ForceRelease,
    /// A seat was taken back because the licensed count went down.
    Revoke,
    /// The licensed count changed.
    Limit,
}

impl AuditKind {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditKind::Grant => "grant",
            AuditKind::Reclaim => "reclaim",
            AuditKind::Borrow => "borrow",
            AuditKind::Refuse => "refuse",
            AuditKind::Release => "release",
            AuditKind::Expire => "expire",
            AuditKind::ForceRelease => "force-release",
            AuditKind::Revoke => "revoke",
            AuditKind::Limit => "limit",
        }
    }
}

/// One audit log entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditEvent {
    /// When (ms).
    pub at_ms: i64,
    /// What (`grant`, `refuse`, ...).
    pub kind: String,
    /// The holder concerned (empty for limit changes).
    pub holder: String,
    /// Its user.
    pub user: String,
    /// Its machine.
    pub machine: String,
    /// Details in words.
    pub detail: String,
    /// How many times it happened: refusals are kept as one entry per holder, reason and
    /// minute with a count; every other entry is 1.
    #[serde(default = "one")]
    pub count: u64,
}

const fn one() -> u64 {
    1
}

/// What a store must make durable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Insert or replace a lease.
    Put(LeaseRecord),
    /// A lease's new expiry (heartbeat).
    Touch {
        /// Holder id.
        holder: String,
        /// New expiry (ms).
        expires_ms: i64,
    },
    /// Remove a lease.
    Delete {
        /// Holder id.
        holder: String,
    },
    /// Append to the audit log.
    Audit(AuditEvent),
    /// The highest usage ever.
    Peak(u32),
    /// Usage reached `in_use` during the minute starting at `minute_ms`.
    Sample {
        /// Start of the minute (ms).
        minute_ms: i64,
        /// Seats in use.
        in_use: u32,
    },
    /// Housekeeping (not made by the book): drop old audit entries and usage samples.
    Prune {
        /// Audit entries before this (ms) go.
        audit_before_ms: i64,
        /// Usage samples before this (ms) go.
        usage_before_ms: i64,
    },
}

/// Why the book refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// Every licensed seat is taken.
    #[error("all {limit} licensed seats are in use; try again when a seat is released")]
    LimitReached {
        /// The licensed seats.
        limit: u32,
    },
    /// No lease for this holder and lease id (it expired, was released or never existed).
    #[error(
        "no lease for holder {holder:?} with this lease id (expired, released or never granted); acquire a seat again"
    )]
    UnknownLease {
        /// The holder named.
        holder: String,
    },
    /// The holder id is held from another machine.
    #[error(
        "holder {holder:?} already holds a seat from another machine; use a holder id unique to this client"
    )]
    HolderElsewhere {
        /// The holder named.
        holder: String,
    },
    /// The holder id holds a lease bound to another holder key (or the request does not
    /// name the lease): the holder id alone never gets a lease back.
    #[error(
        "holder {holder:?} holds a seat bound to another holder key; a client that lost its key gets a seat again when that lease expires ({expires_ms} ms since the epoch), or an administrator frees it"
    )]
    OtherHolderKey {
        /// The holder named.
        holder: String,
        /// When the held lease runs out unless renewed.
        expires_ms: i64,
    },
    /// A field is empty, too long or out of bounds.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong, with the bound.
        reason: String,
    },
}

/// The answer to an [`Op`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// A lease granted, given back or renewed.
    Lease {
        /// The lease now.
        lease: LeaseRecord,
        /// Whether the holder already had it.
        renewed: bool,
        /// Seats in use now.
        in_use: u32,
    },
    /// A seat was freed (`false`: there was none to free, for force release).
    Released {
        /// Whether a lease was removed.
        removed: bool,
        /// Seats in use now.
        in_use: u32,
    },
    /// Limit changed or sweep done.
    Done {
        /// Seats in use now.
        in_use: u32,
    },
    /// Refused.
    Refused(Refusal),
}

/// Usage at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// Seats in use.
    pub in_use: u32,
    /// Licensed seats; `None` = not limited.
    pub limit: Option<u32>,
    /// Highest usage ever.
    pub peak: u32,
    /// The leases, oldest first.
    pub holders: Vec<LeaseRecord>,
}

/// The live leases and the rules over them.
#[derive(Debug)]
pub struct LeaseBook {
    limit: Option<u32>,
    policy: Policy,
    leases: HashMap<String, LeaseRecord>,
    /// Live leases held in the store but not loaded into this book (a shared store loads
    /// only the leases an op concerns, see [`LeaseBook::partial`]); counted in `in_use`.
    others: u32,
    peak: u32,
    /// No lease expires before this (a lower bound).
    next_expiry: i64,
    /// The minute last sampled and the usage recorded for it.
    sampled: (i64, u32),
}

/// Characters an id must not contain because they cannot be seen or reorder what is seen:
/// Unicode format characters (zero-width spaces and joiners, bidirectional controls and
/// isolates, the byte-order mark, soft hyphen, tags), blank letters (Hangul fillers,
/// braille blank), and white space other than the plain space.
fn invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x08E2
            | 0x115F
            | 0x1160
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0x2800
            | 0x3164
            | 0xFEFF
            | 0xFFA0
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    ) || (c.is_whitespace() && c != ' ')
}

fn check_id(field: &'static str, value: &str, may_be_empty: bool) -> Result<(), Refusal> {
    if value.is_empty() && !may_be_empty {
        return Err(Refusal::Invalid {
            field,
            reason: "must not be empty".into(),
        });
    }
    if value.len() > MAX_ID_LEN {
        return Err(Refusal::Invalid {
            field,
            reason: format!("{} bytes, at most {MAX_ID_LEN} allowed", value.len()),
        });
    }
    if value.chars().any(char::is_control) {
        return Err(Refusal::Invalid {
            field,
            reason: "contains control characters".into(),
        });
    }
    if let Some(c) = value.chars().find(|&c| invisible(c)) {
        return Err(Refusal::Invalid {
            field,
            reason: format!(
                "contains U+{:04X}, an invisible, spacing or bidirectional-control character (ids are shown to administrators as they are)",
                u32::from(c)
            ),
        });
    }
    if !value.is_empty() && (value.trim() != value || value.trim().is_empty()) {
        return Err(Refusal::Invalid {
            field,
            reason: "must not be blank or start or end with a space".into(),
        });
    }
    Ok(())
}

impl LeaseBook {
    /// A book with `limit` seats over the given leases (loaded from a store) and peak.
    pub fn new(limit: Option<u32>, policy: Policy, leases: Vec<LeaseRecord>, peak: u32) -> LeaseBook {
        LeaseBook::partial(limit, policy, leases, 0, peak)
    }

    /// A book over part of a store's leases, for one op: `leases` are those the op may
    /// concern (the holder's own, the expired ones to sweep), `others` the count of the
    /// store's other leases, which count as in use. The rules are the same; the op must not
    /// need the leases left out: lowering the limit below the leases in use needs them all
    /// (`others` 0), and [`LeaseBook::snapshot`] lists only the loaded ones.
    pub fn partial(
        limit: Option<u32>,
        policy: Policy,
        leases: Vec<LeaseRecord>,
        others: u32,
        peak: u32,
    ) -> LeaseBook {
        let next_expiry = leases.iter().map(|l| l.expires_ms).min().unwrap_or(i64::MAX);
        let leases: HashMap<_, _> = leases.into_iter().map(|l| (l.holder.clone(), l)).collect();
        let in_use = u32::try_from(leases.len())
            .unwrap_or(u32::MAX)
            .saturating_add(others);
        LeaseBook {
            limit,
            policy,
            peak: peak.max(in_use),
            leases,
            others,
            next_expiry,
            sampled: (i64::MIN, 0),
        }
    }

    /// Seats in use (expired leases not yet swept count until the next op).
    pub fn in_use(&self) -> u32 {
        u32::try_from(self.leases.len())
            .unwrap_or(u32::MAX)
            .saturating_add(self.others)
    }

    /// Whether `op` needs every lease loaded in a [`LeaseBook::partial`] book with `in_use`
    /// seats taken: lowering the limit below them takes back the newest floating leases,
    /// chosen among all.
    pub fn needs_all_leases(op: &Op, in_use: u32) -> bool {
        matches!(op, Op::SetLimit(Some(limit)) if in_use > *limit)
    }

    /// The licensed seats.
    pub const fn limit(&self) -> Option<u32> {
        self.limit
    }

    /// The bounds.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Usage now, holders oldest first.
    pub fn snapshot(&self, now_ms: i64) -> Snapshot {
        let mut holders: Vec<LeaseRecord> = self
            .leases
            .values()
            .filter(|l| l.expires_ms > now_ms)
            .cloned()
            .collect();
        holders.sort_by(|a, b| (a.granted_ms, &a.holder).cmp(&(b.granted_ms, &b.holder)));
        Snapshot {
            in_use: u32::try_from(holders.len()).unwrap_or(u32::MAX),
            limit: self.limit,
            peak: self.peak,
            holders,
        }
    }

    /// Apply `op` at `now_ms`. `new_id` is called for a fresh lease id only when a new
    /// seat is granted. The changes must be durable before the reply is sent.
    pub fn apply(&mut self, op: Op, now_ms: i64, new_id: impl FnOnce() -> LeaseId) -> (Reply, Vec<Change>) {
        let mut changes = Vec::new();
        self.sweep(now_ms, &mut changes);
        let reply = match self.apply_swept(op, now_ms, new_id, &mut changes) {
            Ok(reply) => reply,
            Err(refusal) => Reply::Refused(refusal),
        };
        self.track_usage(now_ms, &mut changes);
        (reply, changes)
    }

    fn apply_swept(
        &mut self,
        op: Op,
        now: i64,
        new_id: impl FnOnce() -> LeaseId,
        changes: &mut Vec<Change>,
    ) -> Result<Reply, Refusal> {
        match op {
            Op::Acquire {
                holder,
                user,
                machine,
                ttl_ms,
                proof,
            } => {
                let ttl = self.ttl(ttl_ms)?;
                self.grant(holder, user, machine, ttl, false, proof, now, new_id, changes)
            }
            Op::Borrow {
                holder,
                user,
                machine,
                days,
                proof,
            } => {
                if self.policy.max_borrow_days == 0 {
                    return Err(Refusal::Invalid {
                        field: "days",
                        reason: "borrowing is turned off on this server".into(),
                    });
                }
                if days == 0 || days > self.policy.max_borrow_days {
                    return Err(Refusal::Invalid {
                        field: "days",
                        reason: format!("{days}: from 1 to {} days allowed", self.policy.max_borrow_days),
                    });
                }
                let ttl = i64::from(days) * DAY_MS;
                self.grant(holder, user, machine, ttl, true, proof, now, new_id, changes)
            }
            Op::Heartbeat { holder, lease_id } => {
                let lease = self.own_lease(&holder, lease_id)?;
                // A heartbeat never shortens a lease, and never moves a borrowed lease's end:
                // the days borrowed end at a fixed time (return and borrow again for more).
                let expires = if lease.borrowed {
                    lease.expires_ms
                } else {
                    now.saturating_add(lease.ttl_ms).max(lease.expires_ms)
                };
                if expires != lease.expires_ms {
                    lease.expires_ms = expires;
                    changes.push(Change::Touch {
                        holder: holder.clone(),
                        expires_ms: expires,
                    });
                }
                let lease = lease.clone();
                Ok(Reply::Lease {
                    lease,
                    renewed: true,
                    in_use: self.in_use(),
                })
            }
            Op::Release { holder, lease_id } => {
                self.own_lease(&holder, lease_id)?;
                let lease = self.remove(&holder, changes);
                self.audit(
                    changes,
                    now,
                    AuditKind::Release,
                    &lease,
                    "given back by the holder".into(),
                );
                Ok(Reply::Released {
                    removed: true,
                    in_use: self.in_use(),
                })
            }
            Op::ForceRelease { holder } => {
                check_id("holder", &holder, false)?;
                let removed = if self.leases.contains_key(&holder) {
                    let lease = self.remove(&holder, changes);
                    self.audit(
                        changes,
                        now,
                        AuditKind::ForceRelease,
                        &lease,
                        "freed by an administrator".into(),
                    );
                    true
                } else {
                    false
                };
                Ok(Reply::Released {
                    removed,
                    in_use: self.in_use(),
                })
            }
            Op::SetLimit(limit) => {
                if limit != self.limit {
                    self.limit = limit;
                    changes.push(Change::Audit(AuditEvent {
                        at_ms: now,
                        kind: AuditKind::Limit.as_str().into(),
                        holder: String::new(),
                        user: String::new(),
                        machine: String::new(),
                        detail: match limit {
                            Some(n) => format!("licensed seats: {n}"),
                            None => "licensed seats: not limited".into(),
                        },
                        count: 1,
                    }));
                }
                if let Some(limit) = limit {
                    // Only floating leases are taken back (newest first): a borrowed seat's
                    // token is valid offline until its end, so it stays counted; new grants
                    // wait until held plus borrowed is under the limit again.
                    let excess = self.in_use().saturating_sub(limit);
                    if excess > 0 {
                        let mut newest: Vec<(i64, String)> = self
                            .leases
                            .values()
                            .filter(|l| !l.borrowed)
                            .map(|l| (l.granted_ms, l.holder.clone()))
                            .collect();
                        newest.sort_by(|a, b| b.cmp(a));
                        for (_, holder) in newest.into_iter().take(excess as usize) {
                            let lease = self.remove(&holder, changes);
                            let detail = format!("taken back: the license now grants {limit} seats");
                            self.audit(changes, now, AuditKind::Revoke, &lease, detail);
                        }
                    }
                }
                Ok(Reply::Done {
                    in_use: self.in_use(),
                })
            }
            Op::Sweep => Ok(Reply::Done {
                in_use: self.in_use(),
            }),
        }
    }

    fn ttl(&self, asked: Option<i64>) -> Result<i64, Refusal> {
        let p = &self.policy;
        match asked {
            None => Ok(p.default_ttl_ms),
            Some(t) if (p.min_ttl_ms..=p.max_ttl_ms).contains(&t) => Ok(t),
            Some(t) => Err(Refusal::Invalid {
                field: "ttl_secs",
                reason: format!(
                    "{} s: from {} s to {} s allowed",
                    t / 1000,
                    p.min_ttl_ms / 1000,
                    p.max_ttl_ms / 1000
                ),
            }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn grant(
        &mut self,
        holder: String,
        user: String,
        machine: String,
        ttl: i64,
        borrow: bool,
        proof: GrantProof,
        now: i64,
        new_id: impl FnOnce() -> LeaseId,
        changes: &mut Vec<Change>,
    ) -> Result<Reply, Refusal> {
        check_id("holder", &holder, false)?;
        check_id("user", &user, true)?;
        check_id("machine", &machine, true)?;
        let expires = now.saturating_add(ttl);
        if let Some(lease) = self.leases.get_mut(&holder) {
            // The holder's own lease comes back only to the key it is bound to (a request
            // naming it, proven with that key); a lease granted without the proof only to a
            // request without one from the same machine (`--accept-unproven-clients`).
            let own = match proof {
                GrantProof::Holder { own: Some(own), .. } => ct_eq(&own.0, &lease.lease_id.0),
                GrantProof::Holder { own: None, .. } => false,
                GrantProof::Unproven => !is_proven(&lease.lease_id.0),
            };
            if !own {
                let refusal = Refusal::OtherHolderKey {
                    holder,
                    expires_ms: lease.expires_ms,
                };
                let detail = refusal.to_string();
                self.refuse(changes, now, &holder_of(&refusal), &user, &machine, detail);
                return Err(refusal);
            }
            if matches!(proof, GrantProof::Unproven) && lease.machine != machine {
                let refusal = Refusal::HolderElsewhere { holder };
                let detail = refusal.to_string();
                self.refuse(changes, now, &holder_of(&refusal), &user, &machine, detail);
                return Err(refusal);
            }
            // Its own lease back: same id, renewed; never shortened, and a borrowed lease's
            // end never moves (a borrow keeps its fixed end; a floating lease borrowed now
            // gets the days from now).
            lease.user = user;
            if !lease.borrowed {
                lease.expires_ms = lease.expires_ms.max(expires);
            }
            lease.ttl_ms = if borrow || lease.borrowed {
                lease.ttl_ms.max(ttl)
            } else {
                ttl
            };
            lease.borrowed |= borrow;
            let lease = lease.clone();
            changes.push(Change::Put(lease.clone()));
            let kind = if borrow {
                AuditKind::Borrow
            } else {
                AuditKind::Reclaim
            };
            self.audit(
                changes,
                now,
                kind,
                &lease,
                "the holder's own lease, renewed".into(),
            );
            return Ok(Reply::Lease {
                lease,
                renewed: true,
                in_use: self.in_use(),
            });
        }
        if let Some(limit) = self.limit
            && self.in_use() >= limit
        {
            let refusal = Refusal::LimitReached { limit };
            self.refuse(changes, now, &holder, &user, &machine, refusal.to_string());
            return Err(refusal);
        }
        let lease_id = match proof {
            GrantProof::Holder { fresh, .. } => fresh,
            GrantProof::Unproven => LeaseId(unproven_lease_id(new_id().0)),
        };
        let lease = LeaseRecord {
            holder: holder.clone(),
            user,
            machine,
            lease_id,
            granted_ms: now,
            expires_ms: expires,
            ttl_ms: ttl,
            borrowed: borrow,
        };
        self.next_expiry = self.next_expiry.min(expires);
        self.leases.insert(holder, lease.clone());
        changes.push(Change::Put(lease.clone()));
        let (kind, detail) = if borrow {
            (AuditKind::Borrow, format!("borrowed for {} days", ttl / DAY_MS))
        } else {
            (AuditKind::Grant, format!("ttl {} s", ttl / 1000))
        };
        self.audit(changes, now, kind, &lease, detail);
        let in_use = self.in_use();
        if in_use > self.peak {
            self.peak = in_use;
            changes.push(Change::Peak(in_use));
        }
        Ok(Reply::Lease {
            lease,
            renewed: false,
            in_use,
        })
    }

    fn own_lease(&mut self, holder: &str, lease_id: LeaseId) -> Result<&mut LeaseRecord, Refusal> {
        check_id("holder", holder, false)?;
        match self.leases.get_mut(holder) {
            // Compared in constant time: the id is the holder's secret.
            Some(l) if ct_eq(&l.lease_id.0, &lease_id.0) => Ok(l),
            _ => Err(Refusal::UnknownLease {
                holder: holder.into(),
            }),
        }
    }

    fn remove(&mut self, holder: &str, changes: &mut Vec<Change>) -> LeaseRecord {
        changes.push(Change::Delete {
            holder: holder.into(),
        });
        self.leases.remove(holder).unwrap_or_else(|| LeaseRecord {
            holder: holder.into(),
            user: String::new(),
            machine: String::new(),
            lease_id: LeaseId([0; 16]),
            granted_ms: 0,
            expires_ms: 0,
            ttl_ms: 0,
            borrowed: false,
        })
    }

    fn sweep(&mut self, now: i64, changes: &mut Vec<Change>) {
        if now < self.next_expiry {
            return;
        }
        let mut expired: Vec<LeaseRecord> = self
            .leases
            .extract_if(|_, l| l.expires_ms <= now)
            .map(|(_, l)| l)
            .collect();
        expired.sort_by_key(|l| l.expires_ms);
        for lease in expired {
            changes.push(Change::Delete {
                holder: lease.holder.clone(),
            });
            let detail = if lease.borrowed {
                "borrow period over".to_string()
            } else {
                "no heartbeat within the ttl".to_string()
            };
            self.audit(changes, lease.expires_ms, AuditKind::Expire, &lease, detail);
        }
        self.next_expiry = self
            .leases
            .values()
            .map(|l| l.expires_ms)
            .min()
            .unwrap_or(i64::MAX);
    }

    fn track_usage(&mut self, now: i64, changes: &mut Vec<Change>) {
        let minute = now - now.rem_euclid(MINUTE_MS);
        let in_use = self.in_use();
        let (m, recorded) = self.sampled;
        if m != minute || in_use > recorded {
            self.sampled = (minute, if m == minute { recorded.max(in_use) } else { in_use });
            changes.push(Change::Sample {
                minute_ms: minute,
                in_use,
            });
        }
    }

    fn audit(
        &self,
        changes: &mut Vec<Change>,
        at: i64,
        kind: AuditKind,
        lease: &LeaseRecord,
        detail: String,
    ) {
        changes.push(Change::Audit(AuditEvent {
            at_ms: at,
            kind: kind.as_str().into(),
            holder: lease.holder.clone(),
            user: lease.user.clone(),
            machine: lease.machine.clone(),
            detail,
            count: 1,
        }));
    }

    fn refuse(
        &self,
        changes: &mut Vec<Change>,
        at: i64,
        holder: &str,
        user: &str,
        machine: &str,
        detail: String,
    ) {
        changes.push(Change::Audit(AuditEvent {
            at_ms: at,
            kind: AuditKind::Refuse.as_str().into(),
            holder: holder.into(),
            user: user.into(),
            machine: machine.into(),
            detail,
            count: 1,
        }));
    }
}

fn holder_of(r: &Refusal) -> String {
    match r {
        Refusal::HolderElsewhere { holder }
        | Refusal::UnknownLease { holder }
        | Refusal::OtherHolderKey { holder, .. } => holder.clone(),
        _ => String::new(),
    }
}

/// Equality whose time does not depend on where the inputs differ.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> impl FnOnce() -> LeaseId {
        move || LeaseId([n; 16])
    }

    fn acquire(holder: &str, machine: &str) -> Op {
        Op::Acquire {
            holder: holder.into(),
            user: "ann".into(),
            machine: machine.into(),
            ttl_ms: None,
            proof: GrantProof::Unproven,
        }
    }

    fn lease(reply: &Reply) -> &LeaseRecord {
        match reply {
            Reply::Lease { lease, .. } => lease,
            other => panic!("not a lease: {other:?}"),
        }
    }

    #[test]
    fn limit_is_enforced_and_named_in_the_refusal() {
        let mut b = LeaseBook::new(Some(2), Policy::default(), vec![], 0);
        assert!(matches!(
            b.apply(acquire("a", "m1"), 0, id(1)).0,
            Reply::Lease { in_use: 1, .. }
        ));
        assert!(matches!(
            b.apply(acquire("b", "m2"), 0, id(2)).0,
            Reply::Lease { in_use: 2, .. }
        ));
        let (reply, changes) = b.apply(acquire("c", "m3"), 0, id(3));
        assert_eq!(reply, Reply::Refused(Refusal::LimitReached { limit: 2 }));
        assert!(
            Refusal::LimitReached { limit: 2 }
                .to_string()
                .contains("all 2 licensed seats")
        );
        assert!(matches!(&changes[0], Change::Audit(e) if e.kind == "refuse" && e.holder == "c"));
        assert_eq!(b.snapshot(0).peak, 2);
    }

    #[test]
    fn a_proven_lease_comes_back_only_to_its_own_key() {
        let mut b = LeaseBook::new(Some(2), Policy::default(), vec![], 0);
        let grant = |own: Option<u8>| Op::Acquire {
            holder: "ws-1".into(),
            user: "ann".into(),
            machine: "m".into(),
            ttl_ms: None,
            proof: GrantProof::Holder {
                fresh: LeaseId([0x81; 16]),
                own: own.map(|n| LeaseId([n; 16])),
            },
        };
        let (r, _) = b.apply(grant(None), 1, id(0));
        assert_eq!(lease(&r).lease_id, LeaseId([0x81; 16]));
        // The holder id alone (and the same machine) gets nothing back: not without naming
        // the lease, not with another key's lease key, not without a proof.
        for op in [grant(None), grant(Some(0x82)), acquire("ws-1", "m")] {
            let (r, _) = b.apply(op, 2, id(0));
            assert!(
                matches!(r, Reply::Refused(Refusal::OtherHolderKey { .. })),
                "{r:?}"
            );
        }
        let (r, _) = b.apply(grant(Some(0x81)), 3, id(0));
        assert!(matches!(r, Reply::Lease { renewed: true, .. }), "{r:?}");
        assert_eq!(b.in_use(), 1);
    }

    #[test]
    fn same_holder_gets_its_own_lease_back() {
        let mut b = LeaseBook::new(Some(1), Policy::default(), vec![], 0);
        let first = lease(&b.apply(acquire("a", "m1"), 0, id(1)).0).clone();
        let (again, _) = b.apply(acquire("a", "m1"), 5_000, id(2));
        let again_lease = lease(&again);
        assert_eq!(again_lease.lease_id, first.lease_id);
        assert_eq!(again_lease.expires_ms, 5_000 + 120_000);
        assert!(matches!(
            again,
            Reply::Lease {
                renewed: true,
                in_use: 1,
                ..
            }
        ));
        // From another machine: refused, the seat stays with the first.
        let (other, _) = b.apply(acquire("a", "m2"), 5_000, id(3));
        assert!(matches!(other, Reply::Refused(Refusal::HolderElsewhere { .. })));
    }

    #[test]
    fn lease_expires_without_heartbeat_and_heartbeat_renews() {
        let mut b = LeaseBook::new(Some(1), Policy::default(), vec![], 0);
        let l = lease(&b.apply(acquire("a", "m"), 0, id(1)).0).clone();
        let (hb, ch) = b.apply(
            Op::Heartbeat {
                holder: "a".into(),
                lease_id: l.lease_id,
            },
            100_000,
            id(9),
        );
        assert_eq!(lease(&hb).expires_ms, 220_000);
        assert!(ch.contains(&Change::Touch {
            holder: "a".into(),
            expires_ms: 220_000
        }));
        // Crashed: no heartbeat; at the expiry the seat is free for someone else.
        assert!(matches!(
            b.apply(acquire("b", "m2"), 219_999, id(2)).0,
            Reply::Refused(_)
        ));
        let (r, ch) = b.apply(acquire("b", "m2"), 220_000, id(2));
        assert!(matches!(r, Reply::Lease { in_use: 1, .. }));
        assert!(
            ch.iter()
                .any(|c| matches!(c, Change::Audit(e) if e.kind == "expire" && e.holder == "a"))
        );
        // The expired holder's heartbeat is refused.
        let (hb, _) = b.apply(
            Op::Heartbeat {
                holder: "a".into(),
                lease_id: l.lease_id,
            },
            220_001,
            id(9),
        );
        assert!(matches!(hb, Reply::Refused(Refusal::UnknownLease { .. })));
    }

    #[test]
    fn release_needs_the_lease_id() {
        let mut b = LeaseBook::new(Some(1), Policy::default(), vec![], 0);
        b.apply(acquire("a", "m"), 0, id(1));
        let wrong = Op::Release {
            holder: "a".into(),
            lease_id: LeaseId([2; 16]),
        };
        assert!(matches!(
            b.apply(wrong, 1, id(0)).0,
            Reply::Refused(Refusal::UnknownLease { .. })
        ));
        let right = Op::Release {
            holder: "a".into(),
            lease_id: LeaseId([1; 16]),
        };
        assert_eq!(
            b.apply(right, 1, id(0)).0,
            Reply::Released {
                removed: true,
                in_use: 0
            }
        );
    }

    #[test]
    fn borrow_counts_until_returned_or_expired() {
        let mut b = LeaseBook::new(Some(1), Policy::default(), vec![], 0);
        let borrow = Op::Borrow {
            holder: "laptop".into(),
            user: "bo".into(),
            machine: "lt".into(),
            days: 3,
            proof: GrantProof::Unproven,
        };
        let l = lease(&b.apply(borrow, 0, id(1)).0).clone();
        assert!(l.borrowed);
        assert_eq!(l.expires_ms, 3 * DAY_MS);
        assert!(matches!(
            b.apply(acquire("x", "m"), 2 * DAY_MS, id(2)).0,
            Reply::Refused(_)
        ));
        assert!(matches!(
            b.apply(acquire("x", "m"), 3 * DAY_MS, id(2)).0,
            Reply::Lease { .. }
        ));
        let too_long = Op::Borrow {
            holder: "y".into(),
            user: String::new(),
            machine: String::new(),
            days: 15,
            proof: GrantProof::Unproven,
        };
        assert!(matches!(
            b.apply(too_long, 0, id(3)).0,
            Reply::Refused(Refusal::Invalid { field: "days", .. })
        ));
    }

    #[test]
    fn lowering_the_limit_takes_the_newest_back() {
        let mut b = LeaseBook::new(Some(3), Policy::default(), vec![], 0);
        for (i, h) in ["a", "b", "c"].into_iter().enumerate() {
            b.apply(acquire(h, h), i as i64, id(i as u8));
        }
        let (r, _) = b.apply(Op::SetLimit(Some(1)), 10, id(0));
        assert_eq!(r, Reply::Done { in_use: 1 });
        assert_eq!(b.snapshot(10).holders[0].holder, "a");
    }

    #[test]
    fn lowering_the_limit_never_takes_back_a_borrowed_seat() {
        let mut b = LeaseBook::new(Some(4), Policy::default(), vec![], 0);
        b.apply(acquire("a", "a"), 1, id(1));
        let borrow = |h: &str| Op::Borrow {
            holder: h.into(),
            user: String::new(),
            machine: String::new(),
            days: 14,
            proof: GrantProof::Unproven,
        };
        assert!(matches!(
            b.apply(borrow("laptop-1"), 2, id(2)).0,
            Reply::Lease { .. }
        ));
        b.apply(acquire("c", "c"), 3, id(3));
        assert!(matches!(
            b.apply(borrow("laptop-2"), 4, id(4)).0,
            Reply::Lease { .. }
        ));
        // 2 floating + 2 borrowed on a limit of 4, lowered to 3: the newest floating goes.
        assert_eq!(
            b.apply(Op::SetLimit(Some(3)), 10, id(0)).0,
            Reply::Done { in_use: 3 }
        );
        let held =
            |b: &LeaseBook| -> Vec<String> { b.snapshot(10).holders.into_iter().map(|l| l.holder).collect() };
        assert!(!held(&b).contains(&"c".to_string()), "{:?}", held(&b));
        // Lowered to 1: every floating lease goes, both borrowed stay (2 > 1), and nothing
        // new is granted until held plus borrowed is under the limit.
        assert_eq!(
            b.apply(Op::SetLimit(Some(1)), 11, id(0)).0,
            Reply::Done { in_use: 2 }
        );
        let mut left = held(&b);
        left.sort();
        assert_eq!(left, ["laptop-1", "laptop-2"]);
        assert!(matches!(
            b.apply(acquire("d", "d"), 12, id(5)).0,
            Reply::Refused(Refusal::LimitReached { limit: 1 })
        ));
    }

    #[test]
    fn a_borrowed_lease_ends_at_a_fixed_time_whatever_the_heartbeats() {
        let mut b = LeaseBook::new(Some(2), Policy::default(), vec![], 0);
        let borrow = Op::Borrow {
            holder: "laptop".into(),
            user: String::new(),
            machine: "m".into(),
            days: 2,
            proof: GrantProof::Unproven,
        };
        let Reply::Lease { lease, .. } = b.apply(borrow.clone(), 0, id(1)).0 else {
            panic!()
        };
        let end = lease.expires_ms;
        assert_eq!(end, 2 * DAY_MS);
        for t in [DAY_MS, DAY_MS + 1, 2 * DAY_MS - 1] {
            let hb = Op::Heartbeat {
                holder: "laptop".into(),
                lease_id: lease.lease_id,
            };
            let Reply::Lease { lease: l, .. } = b.apply(hb, t, id(9)).0 else {
                panic!()
            };
            assert_eq!(l.expires_ms, end, "a heartbeat at {t} moved the end");
            // Borrowing again or re-claiming does not move it either.
            let Reply::Lease { lease: l, .. } = b.apply(borrow.clone(), t, id(9)).0 else {
                panic!()
            };
            assert_eq!(l.expires_ms, end);
            let Reply::Lease { lease: l, .. } = b.apply(acquire("laptop", "m"), t, id(9)).0 else {
                panic!()
            };
            assert_eq!(l.expires_ms, end);
        }
        b.apply(Op::Sweep, end, id(9));
        assert_eq!(b.snapshot(end).in_use, 0, "ended at its fixed time");
    }

    #[test]
    fn invisible_bidi_and_blank_ids_are_refused() {
        let mut b = LeaseBook::new(None, Policy::default(), vec![], 0);
        for bad in [
            "ws-17\u{202E}lmx.exe",
            "ws\u{200B}17",
            "   ",
            " ws-17",
            "ws-17 ",
            "ws\u{00A0}17",
            "\u{2066}ws\u{2069}",
            "ws-17\u{FEFF}",
            "\u{3164}",
        ] {
            let (r, _) = b.apply(acquire(bad, "m"), 0, id(1));
            assert!(
                matches!(r, Reply::Refused(Refusal::Invalid { field: "holder", .. })),
                "{bad:?}: {r:?}"
            );
            let (r, _) = b.apply(acquire("ok", bad), 0, id(1));
            assert!(
                matches!(r, Reply::Refused(Refusal::Invalid { field: "machine", .. })),
                "{bad:?}: {r:?}"
            );
        }
        for good in ["ws-17", "Anna Müller", "研究室-3", "ws 17"] {
            let (r, _) = b.apply(acquire(good, good), 0, id(2));
            assert!(matches!(r, Reply::Lease { .. }), "{good:?}: {r:?}");
        }
    }

    #[test]
    fn oversized_and_empty_ids_are_refused() {
        let mut b = LeaseBook::new(None, Policy::default(), vec![], 0);
        let long = "h".repeat(MAX_ID_LEN + 1);
        let (r, _) = b.apply(acquire(&long, "m"), 0, id(1));
        assert!(matches!(
            r,
            Reply::Refused(Refusal::Invalid { field: "holder", .. })
        ));
        let (r, _) = b.apply(acquire("", "m"), 0, id(1));
        assert!(matches!(
            r,
            Reply::Refused(Refusal::Invalid { field: "holder", .. })
        ));
        let ttl = Op::Acquire {
            holder: "a".into(),
            user: String::new(),
            machine: String::new(),
            ttl_ms: Some(1),
            proof: GrantProof::Unproven,
        };
        assert!(matches!(
            b.apply(ttl, 0, id(1)).0,
            Reply::Refused(Refusal::Invalid {
                field: "ttl_secs",
                ..
            })
        ));
    }

    #[test]
    fn a_partial_book_counts_the_leases_it_did_not_load() {
        // 3 seats; 2 held by leases a shared store did not load.
        let mut b = LeaseBook::partial(Some(3), Policy::default(), vec![], 2, 2);
        let (r, ch) = b.apply(acquire("a", "m"), 0, id(1));
        assert!(matches!(r, Reply::Lease { in_use: 3, .. }), "{r:?}");
        assert!(ch.contains(&Change::Peak(3)));
        assert!(matches!(
            b.apply(acquire("b", "m"), 0, id(2)).0,
            Reply::Refused(Refusal::LimitReached { limit: 3 })
        ));
        // An expired lease loaded with them is swept first and frees its seat.
        let old = LeaseRecord {
            holder: "old".into(),
            user: String::new(),
            machine: String::new(),
            lease_id: LeaseId([9; 16]),
            granted_ms: 0,
            expires_ms: 1_000,
            ttl_ms: 1_000,
            borrowed: false,
        };
        let mut b = LeaseBook::partial(Some(3), Policy::default(), vec![old], 2, 3);
        let (r, ch) = b.apply(acquire("b", "m"), 1_000, id(2));
        assert!(matches!(r, Reply::Lease { in_use: 3, .. }), "{r:?}");
        assert!(ch.contains(&Change::Delete { holder: "old".into() }));
        assert!(!LeaseBook::needs_all_leases(&Op::SetLimit(Some(3)), 3));
        assert!(LeaseBook::needs_all_leases(&Op::SetLimit(Some(2)), 3));
        assert!(!LeaseBook::needs_all_leases(&Op::Sweep, 3));
    }

    #[test]
    fn peak_and_samples_track_usage() {
        let mut b = LeaseBook::new(None, Policy::default(), vec![], 4);
        let (_, ch) = b.apply(acquire("a", "m"), 61_000, id(1));
        assert!(ch.contains(&Change::Sample {
            minute_ms: 60_000,
            in_use: 1
        }));
        assert_eq!(b.snapshot(61_000).peak, 4);
    }
}
