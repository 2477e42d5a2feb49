//! Seat pool under concurrency: never more seats than the limit, no seat lost, expired
//! leases reclaimed. Time is simulated: all threads work at one `now` per round, and the
//! clock advances between rounds (no sleeping, bounded work). Midway the license drops to
//! demo mode (fewer seats: the newest holders are evicted) and later comes back.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
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
const DEMO_LIMIT: u32 = 2;
const DEMO_FROM_ROUND: u64 = 50;
const DEMO_UNTIL_ROUND: u64 = 100;

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
    evictions_seen: u64,
    /// Expiry of every lease abandoned without logout (a crashed client).
    crashed: Vec<(String, Instant)>,
}

#[test]
fn concurrent_logins_never_exceed_the_limit_nor_lose_a_seat() {
    let base = Instant::now();
    let pool = SeatPool::new(Some(LIMIT), TTL);
    let clock = AtomicU64::new(0);
    let barrier = Barrier::new(THREADS + 1);
    let tallies = Mutex::new(Vec::new());
    let limit_now = AtomicU32::new(LIMIT);
    let evicted: Mutex<HashSet<String>> = Mutex::new(HashSet::new());
    let at = |ms: u64| base + Duration::from_millis(ms);

    thread::scope(|s| {
        for t in 0..THREADS {
            let (pool, clock, barrier, tallies) = (&pool, &clock, &barrier, &tallies);
            let (limit_now, evicted) = (&limit_now, &evicted);
            s.spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((t as u64 + 1) * 0x1234_5678));
                let mut held: Vec<(String, Instant)> = Vec::new();
                let mut tally = Tally::default();
                let mut serial = 0u64;
                let mut quiet_until = 0;
                for round in 0..ROUNDS {
                    barrier.wait();
                    // Seats taken back when the limit was lowered: their heartbeat says so.
                    let now = at(clock.load(Ordering::SeqCst));
                    let gone = evicted.lock().unwrap();
                    held.retain(|(holder, _)| {
                        if !gone.contains(holder) {
                            return true;
                        }
                        assert!(matches!(pool.heartbeat(holder, now), Err(Error::SeatLeaseLost)));
                        tally.evictions_seen += 1;
                        false
                    });
                    drop(gone);
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
                                    assert_eq!(limit, limit_now.load(Ordering::SeqCst));
                                    assert!(in_use >= limit);
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
                                tally.crashed.push(held.swap_remove(i));
                            }
                            _ => {} // idle: no heartbeat this time
                        }
                    }
                    barrier.wait();
                }
                // Logout of everything still held.
                let now = at(clock.load(Ordering::SeqCst));
                for (holder, expires) in held {
                    if evicted.lock().unwrap().contains(&holder) {
                        assert!(!pool.release(&holder));
                    } else if expires > now {
                        assert!(pool.release(&holder));
                        tally.releases += 1;
                    }
                }
                tallies.lock().unwrap().push(tally);
            });
        }
        let mut demo_started = false;
        for round in 0..ROUNDS {
            barrier.wait(); // round starts
            barrier.wait(); // round ends
            let now = at(clock.load(Ordering::SeqCst));
            let snap = pool.snapshot(now);
            assert!(
                snap.in_use <= limit_now.load(Ordering::SeqCst) && snap.holders.len() as u32 == snap.in_use,
                "{snap:?}"
            );
            // Between rounds (every client waits): demo mode, then a new code. Demo mode
            // starts at the first round end from DEMO_FROM_ROUND on where more seats are
            // held than it allows, so that it always has someone to evict.
            if !demo_started
                && round + 1 >= DEMO_FROM_ROUND
                && round + 1 < DEMO_UNTIL_ROUND
                && snap.in_use > DEMO_LIMIT
            {
                demo_started = true;
                let gone = pool.set_limit(Some(DEMO_LIMIT), now);
                assert_eq!(gone.len() as u32, snap.in_use.saturating_sub(DEMO_LIMIT));
                let kept = pool.snapshot(now);
                assert_eq!(kept.in_use, snap.in_use.min(DEMO_LIMIT));
                // The oldest holders kept their seats.
                assert!(
                    kept.holders.iter().zip(&snap.holders).all(|(k, s)| k == s),
                    "{kept:?}"
                );
                limit_now.store(DEMO_LIMIT, Ordering::SeqCst);
                evicted.lock().unwrap().extend(gone);
            }
            if demo_started && round + 1 == DEMO_UNTIL_ROUND {
                assert!(pool.set_limit(Some(LIMIT), now).is_empty());
                limit_now.store(LIMIT, Ordering::SeqCst);
            }
            clock.fetch_add(STEP_MS, Ordering::SeqCst);
        }
    });

    let tallies = tallies.into_inner().unwrap();
    let sum = |f: fn(&Tally) -> u64| tallies.iter().map(f).sum::<u64>();
    let (grants, refusals) = (sum(|t| t.grants), sum(|t| t.refusals));
    let evicted = evicted.into_inner().unwrap();
    assert!(
        !evicted.is_empty(),
        "demo mode evicted nobody: the test exercised too little"
    );
    let crashed_evicted = tallies
        .iter()
        .flat_map(|t| t.crashed.iter())
        .filter(|(holder, _)| evicted.contains(holder))
        .count() as u64;
    assert_eq!(
        sum(|t| t.evictions_seen) + crashed_evicted,
        evicted.len() as u64,
        "every evicted client still running noticed"
    );
    // Crashed clients evicted by demo mode hold no seat any more.
    let crashed: Vec<Instant> = tallies
        .iter()
        .flat_map(|t| t.crashed.iter())
        .filter(|(holder, _)| !evicted.contains(holder))
        .map(|(_, expires)| *expires)
        .collect();
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
    let at = |ms: u64| t0 + Duration::from_millis(ms);
    let pool = SeatPool::new(None, TTL);
    for i in 0..50 {
        pool.acquire(&format!("agent{i:02}"), at(i)).unwrap();
    }
    let snap = pool.snapshot(at(50));
    assert_eq!((snap.in_use, snap.limit, snap.peak), (50, None, 50));
    // The license falls back to demo mode: 2 seats. The 48 newest agents lose their seats
    // even though they keep heartbeating; the 2 oldest keep theirs; nobody new gets in.
    let evicted = pool.set_limit(Some(2), at(50));
    assert_eq!(evicted.len(), 48);
    assert_eq!(
        (evicted[0].as_str(), evicted[47].as_str()),
        ("agent49", "agent02")
    );
    for round in 1..=3 {
        let now = at(50 + round * 500);
        for i in 0..50 {
            let beat = pool.heartbeat(&format!("agent{i:02}"), now);
            match i {
                0 | 1 => assert!(beat.is_ok()),
                _ => assert!(matches!(beat, Err(Error::SeatLeaseLost)), "{beat:?}"),
            }
        }
        assert!(matches!(
            pool.acquire("late", now),
            Err(Error::NoSeatAvailable { in_use: 2, limit: 2 })
        ));
        assert_eq!(pool.snapshot(now).in_use, 2);
    }
    assert_eq!(pool.snapshot(at(2_000)).peak, 50);
}
