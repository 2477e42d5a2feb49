//! Wall-clock time as Unix seconds (UTC), the only clock this crate reads.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use license_core::Date;

/// A point in time as Unix seconds, UTC. Displayed as `YYYY-MM-DD HH:MM:SS UTC`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Utc(pub i64);

impl Utc {
    /// The system clock now. A clock before 1970 reads as 1970-01-01.
    pub fn now() -> Utc {
        Utc(SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)))
    }

    /// The UTC day.
    pub const fn date(self) -> Date {
        Date::from_unix_seconds(self.0)
    }

    /// 00:00:00 UTC on `day`.
    pub const fn start_of(day: Date) -> Utc {
        Utc(day.unix_seconds())
    }
}

impl fmt::Display for Utc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.rem_euclid(86_400);
        write!(
            f,
            "{} {:02}:{:02}:{:02} UTC",
            self.date(),
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display() {
        assert_eq!(Utc(0).to_string(), "1970-01-01 00:00:00 UTC");
        assert_eq!(Utc(1_795_000_000).to_string(), "2026-11-18 11:06:40 UTC");
        assert!(Utc::now().0 > 1_700_000_000);
    }
}
