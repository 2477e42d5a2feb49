//! Request rate limits: at most so many requests per key (an account, a client address)
//! within a fixed window, counted in memory (per process: each instance of a service
//! counts its own requests). Memory is bounded: past a number of keys, the counters of
//! windows that have ended are dropped, and if every counter is current, new keys are
//! refused until the window ends (a flood of new keys cannot grow the table).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// A limit: `limit` requests per key within each `window`.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window_ms: u64,
    max_keys: usize,
    counters: Mutex<HashMap<String, (u64, u32)>>,
}

impl RateLimiter {
    /// At most `limit` requests per key in each `window` (at least 1 ms), for at most
    /// 100,000 keys at once.
    pub fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window_ms: u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1),
            max_keys: 100_000,
            counters: Mutex::new(HashMap::new()),
        }
    }

    /// The limit per window.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Count a request of `key` at `now_ms` (any monotonic milliseconds): `Ok`, or
    /// `Err(seconds)` until the window ends and the key may ask again.
    pub fn check(&self, key: &str, now_ms: u64) -> Result<(), u64> {
        let window = now_ms / self.window_ms;
        let wait = || (self.window_ms - now_ms % self.window_ms).div_ceil(1000).max(1);
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        if !counters.contains_key(key) && counters.len() >= self.max_keys {
            counters.retain(|_, (w, _)| *w == window);
            if counters.len() >= self.max_keys {
                return Err(wait());
            }
        }
        let entry = counters.entry(key.to_owned()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        if entry.1 >= self.limit {
            return Err(wait());
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_limit_per_window_and_others_are_counted_apart() {
        let r = RateLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(r.check("a", 1_000), Ok(()));
        }
        assert_eq!(r.check("a", 1_500), Err(59));
        assert_eq!(r.check("b", 1_500), Ok(()));
        // The next window starts afresh.
        assert_eq!(r.check("a", 60_000), Ok(()));
    }

    #[test]
    fn the_table_of_keys_stays_bounded() {
        let mut r = RateLimiter::new(1, Duration::from_secs(60));
        r.max_keys = 4;
        for k in 0..4 {
            assert_eq!(r.check(&k.to_string(), 0), Ok(()));
        }
        assert!(r.check("new", 0).is_err(), "a fifth key in a full window waits");
        assert_eq!(r.check("new", 60_000), Ok(()), "ended windows are dropped");
        assert!(r.counters.lock().unwrap().len() <= 4);
    }
}
