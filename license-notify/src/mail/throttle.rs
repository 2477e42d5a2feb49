//! Throttling of outgoing mail: at most so many mails per recipient and in total within
//! any 60 seconds (a sliding window, per worker process). A mail held back is not lost:
//! the worker puts it back in the outbox for when the window has room.

use std::collections::VecDeque;

/// The limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// Mails to one address within 60 seconds.
    pub per_recipient_per_minute: u32,
    /// Mails in total within 60 seconds.
    pub total_per_minute: u32,
}

impl Default for ThrottleConfig {
    /// 5 per address, 120 in total.
    fn default() -> ThrottleConfig {
        ThrottleConfig {
            per_recipient_per_minute: 5,
            total_per_minute: 120,
        }
    }
}

const WINDOW_MS: i64 = 60_000;

/// The window of mails sent.
#[derive(Clone, Debug)]
pub struct Throttle {
    config: ThrottleConfig,
    /// (time in ms, recipient, lowercased), oldest first.
    sent: VecDeque<(i64, String)>,
}

impl Throttle {
    /// An empty window.
    pub fn new(config: ThrottleConfig) -> Throttle {
        Throttle {
            config,
            sent: VecDeque::new(),
        }
    }

    /// May a mail to `to` go at `now_ms` (Unix milliseconds)? If so it is counted; if
    /// not, the milliseconds to wait.
    pub fn admit(&mut self, to: &str, now_ms: i64) -> Result<(), i64> {
        while self.sent.front().is_some_and(|(t, _)| *t <= now_ms - WINDOW_MS) {
            self.sent.pop_front();
        }
        let to = to.trim().to_ascii_lowercase();
        let total = self.sent.len();
        if total >= self.config.total_per_minute as usize {
            let oldest = self.sent.front().map_or(now_ms, |(t, _)| *t);
            return Err(oldest + WINDOW_MS - now_ms);
        }
        let mine: Vec<i64> = self
            .sent
            .iter()
            .filter(|(_, r)| *r == to)
            .map(|(t, _)| *t)
            .collect();
        if mine.len() >= self.config.per_recipient_per_minute as usize {
            let oldest = mine.first().copied().unwrap_or(now_ms);
            return Err(oldest + WINDOW_MS - now_ms);
        }
        self.sent.push_back((now_ms, to));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_recipient_and_total_limits_hold_within_any_minute() {
        let mut t = Throttle::new(ThrottleConfig {
            per_recipient_per_minute: 2,
            total_per_minute: 3,
        });
        assert_eq!(t.admit("a@x", 0), Ok(()));
        assert_eq!(t.admit("A@x ", 1_000), Ok(()));
        // A third to a@x within the minute: wait until the first leaves the window.
        assert_eq!(t.admit("a@x", 2_000), Err(58_000));
        assert_eq!(t.admit("b@x", 3_000), Ok(()));
        // The total is reached: c@x waits too.
        assert_eq!(t.admit("c@x", 4_000), Err(56_000));
        // After the first mail's minute one more fits.
        assert_eq!(t.admit("c@x", 60_000), Ok(()));
        assert_eq!(t.admit("d@x", 60_500), Err(500));
        assert_eq!(t.admit("a@x", 61_000), Ok(()));
    }
}
