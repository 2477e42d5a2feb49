//! The clock: milliseconds since the epoch, and today in UTC.

use std::sync::Arc;

use license_core::Date;

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The day orders are placed on.
pub type Today = Arc<dyn Fn() -> Date + Send + Sync>;

/// Today in UTC from the system clock.
pub fn system_today() -> Today {
    Arc::new(|| Date::from_unix_seconds(now_ms() / 1000))
}
