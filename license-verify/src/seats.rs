//! Concurrent seats: leases with a time-to-live, renewed by heartbeats.
//!
//! A seat is taken at login ([`SeatPool::acquire`]) and freed at logout
//! ([`SeatPool::release`]). A client that crashes or loses its network stops sending
//! heartbeats; its lease expires after the TTL and the seat comes back. A holder that
//! logs in again while its lease is live gets the same seat back, never a second one.
//! Lowering the limit ([`SeatPool::set_limit`], e.g. demo mode) takes the newest holders'
//! seats back at once, so no more than the limit are ever in use.
//! Time is passed in (`Instant`), so the pool can sit behind a seat server and tests
//! never sleep.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::error::Error;

/// A granted or renewed seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lease {
    /// When the lease runs out unless renewed by a heartbeat.
    pub expires: Instant,
    /// Whether the holder already had this seat (re-claim or heartbeat).
    pub renewed: bool,
    /// Seats in use after this call.
    pub in_use: u32,
}

/// One holder in a [`SeatSnapshot`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatHolder {
    /// The holder id (user, session or client machine).
    pub holder: String,
    /// When the seat was first granted.
    pub since: Instant,
    /// When the lease runs out unless renewed.
    pub expires: Instant,
}

/// The pool's usage at one moment, for administrators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatSnapshot {
    /// Seats in use.
    pub in_use: u32,
    /// The most seats allowed; `None` = not limited.
    pub limit: Option<u32>,
    /// The most seats in use at once since the pool was created.
    pub peak: u32,
    /// Who holds the seats, oldest first.
    pub holders: Vec<SeatHolder>,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    since: Instant,
    expires: Instant,
}

#[derive(Debug)]
struct Pool {
    limit: Option<u32>,
    ttl: Duration,
    leases: HashMap<String, Slot>,
    /// Holder strings of released leases, reused so steady-state acquire does not allocate.
    spare: Vec<String>,
    peak: u32,
    /// No lease expires before this instant (a lower bound: renewals only move expiries later).
    next_expiry: Option<Instant>,
}

const MAX_SPARE: usize = 64;

impl Pool {
    fn in_use(&self) -> u32 {
        u32::try_from(self.leases.len()).unwrap_or(u32::MAX)
    }

    fn recycle(&mut self, key: String) {
        if self.spare.len() < MAX_SPARE {
            self.spare.push(key);
        }
    }

    /// Drop expired leases, if any can have expired.
    fn sweep(&mut self, now: Instant) {
        if self.next_expiry.is_none_or(|t| now < t) {
            return;
        }
        let expired: Vec<String> = self
            .leases
            .extract_if(|_, s| s.expires <= now)
            .map(|(k, _)| k)
            .collect();
        for key in expired {
            self.recycle(key);
        }
        self.next_expiry = self.leases.values().map(|s| s.expires).min();
    }

    fn expiry(&self, now: Instant) -> Instant {
        now.checked_add(self.ttl).unwrap_or(now)
    }
}

/// A thread-safe pool of concurrent seats.
#[derive(Debug)]
pub struct SeatPool {
    inner: Mutex<Pool>,
}

impl SeatPool {
    /// A pool of `limit` seats (`None` = not limited: usage is still tracked), whose
    /// leases last `ttl` unless renewed. Use the license's effective seat count
    /// (`Verification::concurrent_seats`), which is the demo count in demo mode.
    pub fn new(limit: Option<u32>, ttl: Duration) -> SeatPool {
        SeatPool {
            inner: Mutex::new(Pool {
                limit,
                ttl,
                leases: HashMap::new(),
                spare: Vec::new(),
                peak: 0,
                next_expiry: None,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Pool> {
        // The pool's invariants hold between statements; a panic elsewhere while holding
        // the lock cannot leave it half-updated, so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Take a seat for `holder` at login. The same holder gets its live seat back
    /// (renewed), never a second one. Fails with [`Error::NoSeatAvailable`] when every
    /// seat is held by a live lease.
    pub fn acquire(&self, holder: &str, now: Instant) -> Result<Lease, Error> {
        let mut p = self.lock();
        p.sweep(now);
        let expires = p.expiry(now);
        if let Some(slot) = p.leases.get_mut(holder) {
            slot.expires = expires;
            return Ok(Lease {
                expires,
                renewed: true,
                in_use: p.in_use(),
            });
        }
        let in_use = p.in_use();
        if let Some(limit) = p.limit
            && in_use >= limit
        {
            return Err(Error::NoSeatAvailable { in_use, limit });
        }
        let mut key = p.spare.pop().unwrap_or_default();
        key.clear();
        key.push_str(holder);
        p.leases.insert(key, Slot { since: now, expires });
        p.next_expiry = Some(p.next_expiry.map_or(expires, |t| t.min(expires)));
        let in_use = in_use + 1;
        p.peak = p.peak.max(in_use);
        Ok(Lease {
            expires,
            renewed: false,
            in_use,
        })
    }

    /// Renew `holder`'s lease. Fails with [`Error::SeatLeaseLost`] if it has none (its
    /// lease expired or was released): the client must log in again.
    pub fn heartbeat(&self, holder: &str, now: Instant) -> Result<Lease, Error> {
        let mut p = self.lock();
        p.sweep(now);
        let expires = p.expiry(now);
        let in_use = p.in_use();
        match p.leases.get_mut(holder) {
            Some(slot) => {
                slot.expires = expires;
                Ok(Lease {
                    expires,
                    renewed: true,
                    in_use,
                })
            }
            None => Err(Error::SeatLeaseLost),
        }
    }

    /// Free `holder`'s seat at logout; whether it held one.
    pub fn release(&self, holder: &str) -> bool {
        let mut p = self.lock();
        match p.leases.remove_entry(holder) {
            Some((key, _)) => {
                p.recycle(key);
                true
            }
            None => false,
        }
    }

    /// Reclaim expired leases now; how many seats are in use afterwards.
    pub fn expire(&self, now: Instant) -> u32 {
        let mut p = self.lock();
        p.sweep(now);
        p.in_use()
    }

    /// Change the limit (a new code, or the license entering demo mode), after reclaiming
    /// the leases expired at `now`. When more seats are held than the new limit allows, the
    /// newest holders lose theirs so that no more than the limit are in use: the oldest
    /// holders keep their seats, and an evicted holder's next [`heartbeat`](Self::heartbeat)
    /// fails with [`Error::SeatLeaseLost`] (logging in again succeeds only once a seat is
    /// free). Returns the evicted holders, newest first (empty when none was), so the host
    /// can tell those users.
    pub fn set_limit(&self, limit: Option<u32>, now: Instant) -> Vec<String> {
        let mut p = self.lock();
        p.sweep(now);
        p.limit = limit;
        let over = limit.map_or(0, |l| p.in_use().saturating_sub(l));
        if over == 0 {
            return Vec::new();
        }
        // Newest first; among holders granted at the same instant, the reverse of the
        // snapshot's order (which lists the oldest first, then by name).
        let mut newest: Vec<(Instant, &str)> = p.leases.iter().map(|(k, s)| (s.since, k.as_str())).collect();
        newest.sort_unstable_by(|a, b| b.cmp(a));
        let evicted: Vec<String> = newest
            .into_iter()
            .take(usize::try_from(over).unwrap_or(usize::MAX))
            .map(|(_, k)| k.to_owned())
            .collect();
        for holder in &evicted {
            if let Some((key, _)) = p.leases.remove_entry(holder.as_str()) {
                p.recycle(key);
            }
        }
        p.next_expiry = p.leases.values().map(|s| s.expires).min();
        evicted
    }

    /// Seats in use, the limit, the peak since start and the holders, after reclaiming
    /// expired leases.
    pub fn snapshot(&self, now: Instant) -> SeatSnapshot {
        let mut p = self.lock();
        p.sweep(now);
        let mut holders: Vec<SeatHolder> = p
            .leases
            .iter()
            .map(|(k, s)| SeatHolder {
                holder: k.clone(),
                since: s.since,
                expires: s.expires,
            })
            .collect();
        holders.sort_by(|a, b| a.since.cmp(&b.since).then_with(|| a.holder.cmp(&b.holder)));
        SeatSnapshot {
            in_use: p.in_use(),
            limit: p.limit,
            peak: p.peak,
            holders,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Duration = Duration::from_secs(60);

    #[test]
    fn limit_reclaim_and_idempotent_login() {
        let t0 = Instant::now();
        let pool = SeatPool::new(Some(2), TTL);
        assert!(!pool.acquire("ann", t0).unwrap().renewed);
        assert!(pool.acquire("ann", t0).unwrap().renewed, "same holder, same seat");
        pool.acquire("bob", t0).unwrap();
        assert!(matches!(
            pool.acquire("cyd", t0),
            Err(Error::NoSeatAvailable { in_use: 2, limit: 2 })
        ));
        // Ann keeps sending heartbeats, Bob crashed.
        let t1 = t0 + Duration::from_secs(50);
        pool.heartbeat("ann", t1).unwrap();
        let t2 = t0 + Duration::from_secs(61);
        assert!(matches!(pool.heartbeat("bob", t2), Err(Error::SeatLeaseLost)));
        let lease = pool.acquire("cyd", t2).unwrap();
        assert_eq!(lease.in_use, 2);
        let snap = pool.snapshot(t2);
        assert_eq!((snap.in_use, snap.limit, snap.peak), (2, Some(2), 2));
        let names: Vec<&str> = snap.holders.iter().map(|h| h.holder.as_str()).collect();
        assert_eq!(names, ["ann", "cyd"]);
        assert!(pool.release("ann"));
        assert!(!pool.release("ann"));
        assert_eq!(pool.expire(t2), 1);
    }

    #[test]
    fn lowering_the_limit_evicts_the_newest_holders() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let pool = SeatPool::new(Some(10), TTL);
        for i in 0..10 {
            pool.acquire(&format!("agent{i}"), at(i)).unwrap();
        }
        // Demo mode: 2 seats. Everybody is still heartbeating.
        let evicted = pool.set_limit(Some(2), at(20));
        let expected: Vec<String> = (2..10).rev().map(|i| format!("agent{i}")).collect();
        assert_eq!(evicted, expected, "the newest lose their seats, newest first");
        let snap = pool.snapshot(at(20));
        assert_eq!((snap.in_use, snap.limit), (2, Some(2)));
        let names: Vec<&str> = snap.holders.iter().map(|h| h.holder.as_str()).collect();
        assert_eq!(names, ["agent0", "agent1"], "the oldest keep theirs");
        for i in 0..10 {
            let beat = pool.heartbeat(&format!("agent{i}"), at(30));
            if i < 2 {
                assert_eq!(beat.unwrap().in_use, 2);
            } else {
                assert!(matches!(beat, Err(Error::SeatLeaseLost)), "agent{i}: {beat:?}");
            }
        }
        assert!(matches!(
            pool.acquire("agent9", at(30)),
            Err(Error::NoSeatAvailable { in_use: 2, limit: 2 })
        ));
        assert!(
            !pool.release("agent5"),
            "an evicted holder has nothing to release"
        );
        // The same limit again, or a higher one, evicts nobody.
        assert!(pool.set_limit(Some(2), at(30)).is_empty());
        assert!(pool.set_limit(None, at(30)).is_empty());
        assert!(pool.acquire("agent9", at(30)).is_ok());
        assert_eq!(pool.snapshot(at(30)).peak, 10);
    }

    #[test]
    fn lowering_the_limit_reclaims_expired_leases_before_evicting() {
        let t0 = Instant::now();
        let pool = SeatPool::new(Some(3), TTL);
        pool.acquire("crashed", t0).unwrap();
        let t1 = t0 + Duration::from_secs(30);
        pool.acquire("ann", t1).unwrap();
        pool.acquire("bob", t1 + Duration::from_secs(1)).unwrap();
        // At t2 the crashed client's lease has run out: it counts no more, so lowering the
        // limit to 2 evicts nobody live.
        let t2 = t0 + TTL;
        assert!(pool.set_limit(Some(2), t2).is_empty());
        assert_eq!(pool.set_limit(Some(1), t2), ["bob"]);
        assert!(pool.heartbeat("ann", t2).is_ok());
        assert!(matches!(pool.heartbeat("bob", t2), Err(Error::SeatLeaseLost)));
        assert_eq!(pool.set_limit(Some(0), t2), ["ann"]);
        assert_eq!(pool.expire(t2), 0);
    }
}
