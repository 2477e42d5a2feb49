//! Seat pool under concurrency: never more seats than the limit, no seat lost, expired
//! leases reclaimed. Time is simulated: all threads work at one `now` per round, and the
//! clock advances between rounds (no sleeping, bounded work).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use license_verify::{Error, SeatPool};

const LIMIT: u32 = 5;
const THREADS: usize = 4;
const ROUNDS: u64 = 150;
const OPS_PER_ROUND: usize = 60;
const STEP_MS: u64 = 100;
const TTL: Duration = Duration::from_millis(1_000);
const MAX_HELD_PER_THREAD: usize = 3;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Default, Debug)]
struct Tally {
    grants: u64,
    refusals: u64,
    releases: u64,
    reclaims_seen: u64,
    /// Expiry of every lease abandoned without logout (a crashed client).
    crashed: Vec<Instant>,
}

#[test]
fn concurrent_logins_never_exceed_the_limit_nor_lose_a_seat() {
    let base = Instant::now();
    let pool = SeatPool::new(Some(LIMIT), TTL);
    let clock = AtomicU64::new(0);
    let barrier = Barrier::new(THREADS + 1);
    let tallies = Mutex::new(Vec::new());
    let at = |ms: u64| base + Duration::from_millis(ms);

    thread::scope(|s| {
        for t in 0..THREADS {
            let (pool, clock, barrier, tallies) = (&pool, &clock, &barrier, &tallies);
            s.spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((t as u64 + 1) * 0x1234_5678));
                let mut held: Vec<(String, Instant)> = Vec::new();
                let mut tally = Tally::default();
                let mut serial = 0u64;
                let mut quiet_until = 0;
                for round in 0..ROUNDS {
                    barrier.wait();
                    // Now and then a client loses its network for longer than the TTL.
                    if round >= quiet_until && round % 37 == 5 + 7 * t as u64 {
                        quiet_until = round + TTL.as_millis() as u64 / STEP_MS + 2;
                    }
                    if round < quiet_until {
                        barrier.wait();
                        continue;
                    }
                    let now = at(clock.load(Ordering::SeqCst));
                    // Leases not renewed in time are gone: a heartbeat says so.
                    let (lapsed, live): (Vec<_>, Vec<_>) = held.drain(..).partition(|(_, exp)| *exp <= now);
                    held = live;
                    for (holder, _) in lapsed {
                        assert!(matches!(pool.heartbeat(&holder, now), Err(Error::SeatLeaseLost)));
                        tally.reclaims_seen += 1;
                    }
                    for _ in 0..OPS_PER_ROUND {
                        let roll = rng.below(1000);
                        if roll < 350 && held.len() < MAX_HELD_PER_THREAD {
                            serial += 1;
                            let holder = format!("t{t}-{serial}");
                            match pool.acquire(&holder, now) {
                                Ok(lease) => {
                                    assert!(lease.in_use <= LIMIT, "granted beyond the limit: {lease:?}");
                                    assert!(!lease.renewed);
                                    tally.grants += 1;
                                    held.push((holder, lease.expires));
                                }
                                Err(Error::NoSeatAvailable { in_use, limit }) => {
                                    assert_eq!(limit, LIMIT);
                                    assert!(in_use >= LIMIT);
                                    tally.refusals += 1;
                                }
                                Err(e) => panic!("{e:?}"),
                            }
                            continue;
                        }
                        if held.is_empty() {
                            continue;
                        }
                        let i = rng.below(held.len());
                        match roll {
                            0..550 => {
                                let (holder, _) = held.swap_remove(i);
                                assert!(pool.release(&holder), "a live seat must be releasable");
                                tally.releases += 1;
                            }
                            550..850 => {
                                let lease = pool.heartbeat(&held[i].0, now).expect("live lease renews");
                                assert!(lease.renewed && lease.in_use <= LIMIT);
                                held[i].1 = lease.expires;
                            }
                            850..930 => {
                                // Logging in again gets the same seat back, never a second one.
                                let lease = pool.acquire(&held[i].0, now).expect("re-claim");
                                assert!(lease.renewed && lease.in_use <= LIMIT);
                                held[i].1 = lease.expires;
                            }
                            930..932 => {
                                let (_, expires) = held.swap_remove(i);
                                tally.crashed.push(expires);
                            }
                            _ => {} // idle: no heartbeat this time
                        }
                    }
                    barrier.wait();
                }
                // Logout of everything still held.
                let now = at(clock.load(Ordering::SeqCst));
                for (holder, expires) in held {
                    if expires > now {
                        assert!(pool.release(&holder));
                        tally.releases += 1;
                    }
                }
                tallies.lock().unwrap().push(tally);
            });
        }
        for _ in 0..ROUNDS {
            barrier.wait(); // round starts
            barrier.wait(); // round ends
            let now = at(clock.load(Ordering::SeqCst));
            let snap = pool.snapshot(now);
            assert!(
                snap.in_use <= LIMIT && snap.holders.len() as u32 == snap.in_use,
                "{snap:?}"
            );
            clock.fetch_add(STEP_MS, Ordering::SeqCst);
        }
    });

    let tallies = tallies.into_inner().unwrap();
    let sum = |f: fn(&Tally) -> u64| tallies.iter().map(f).sum::<u64>();
    let (grants, refusals) = (sum(|t| t.grants), sum(|t| t.refusals));
    let crashed: Vec<Instant> = tallies.iter().flat_map(|t| t.crashed.iter().copied()).collect();
    assert!(
        grants > 100 && refusals > 0 && !crashed.is_empty(),
        "the test exercised too little: {tallies:?}"
    );
    assert!(sum(|t| t.reclaims_seen) > 0, "{tallies:?}");

    // Only crashed leases not yet expired hold a seat: no seat is lost, none counted twice.
    let now = at(clock.load(Ordering::SeqCst));
    let snap = pool.snapshot(now);
    let still_live = crashed.iter().filter(|e| **e > now).count() as u32;
    assert_eq!(snap.in_use, still_live, "{snap:?}");
    assert_eq!(snap.peak, LIMIT);
    // After the TTL every crashed seat is back: all seats can be taken again, and no more.
    let later = now + TTL;
    assert_eq!(pool.expire(later), 0);
    for i in 0..LIMIT {
        pool.acquire(&format!("final-{i}"), later).unwrap();
    }
    assert!(matches!(
        pool.acquire("one-too-many", later),
        Err(Error::NoSeatAvailable { .. })
    ));
}

#[test]
fn demo_mode_limit_and_unlimited_pool() {
    let t0 = Instant::now();
    let pool = SeatPool::new(None, TTL);
    for i in 0..50 {
        pool.acquire(&format!("agent{i}"), t0).unwrap();
    }
    let snap = pool.snapshot(t0);
    assert_eq!((snap.in_use, snap.limit, snap.peak), (50, None, 50));
    // The license falls back to demo mode: 2 seats. Nobody is thrown out; nobody new gets in.
    assert_eq!(pool.set_limit(Some(2)), 48);
    assert!(matches!(
        pool.acquire("late", t0),
        Err(Error::NoSeatAvailable { in_use: 50, limit: 2 })
    ));
    let after = t0 + TTL;
    assert_eq!(pool.expire(after), 0);
    pool.acquire("a", after).unwrap();
    pool.acquire("b", after).unwrap();
    assert!(pool.acquire("c", after).is_err());
    assert_eq!(pool.snapshot(after).peak, 50);
}
