//! Calendar dates as day numbers (UTC), with no clock and no time zone.

use core::fmt;

/// A calendar day in UTC, stored as the number of days since 1970-01-01.
///
/// Licenses are day-granular: a date names a whole UTC day. The host application
/// turns its clock into a `Date` with [`Date::from_unix_seconds`]; `license-core`
/// never reads a clock itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(into = "DateRepr", try_from = "DateRepr"))]
pub struct Date(u32);

impl Date {
    /// 1970-01-01.
    pub const UNIX_EPOCH: Date = Date(0);
    /// 2020-01-01: day 0 of the dates in a license code (see `docs/FORMAT.md`).
    pub const CODE_EPOCH: Date = Date(18_262);
    /// The last day this type represents (9999-12-31).
    pub const MAX: Date = Date(2_932_896);

    /// The day `days` after 1970-01-01.
    pub const fn from_days_since_unix_epoch(days: u32) -> Date {
        Date(days)
    }

    /// Days since 1970-01-01.
    pub const fn days_since_unix_epoch(self) -> u32 {
        self.0
    }

    /// The UTC day containing the Unix time `secs` (seconds since 1970-01-01T00:00:00Z).
    /// Times before 1970 are clamped to 1970-01-01.
    pub const fn from_unix_seconds(secs: i64) -> Date {
        if secs <= 0 {
            return Date(0);
        }
        let days = secs / 86_400;
        if days > Date::MAX.0 as i64 {
            Date::MAX
        } else {
            Date(days as u32)
        }
    }

    /// Unix time of 00:00:00 UTC on this day.
    pub const fn unix_seconds(self) -> i64 {
        self.0 as i64 * 86_400
    }

    /// The date for a year, month (1-12) and day (1-31), or `None` when there is no such
    /// day (the public, fallible [`Date::from_ymd`] is in `date_checked`).
    pub(crate) fn ymd_checked(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1970..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return None;
        }
        // Howard Hinnant's days_from_civil, for years >= 1970 only.
        let y = i64::from(year) - i64::from(month <= 2);
        let era = y / 400;
        let yoe = y - era * 400;
        let m = i64::from(month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        u32::try_from(days).map(Date).ok()
    }

    /// Year, month (1-12) and day (1-31).
    pub const fn ymd(self) -> (u16, u8, u8) {
        let z = self.0 as i64 + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + (month <= 2) as i64) as u16;
        (year, month, day)
    }

    /// The year.
    pub const fn year(self) -> u16 {
        self.ymd().0
    }

    /// The month, 1-12.
    pub const fn month(self) -> u8 {
        self.ymd().1
    }

    /// The day of the month, 1-31.
    pub const fn day(self) -> u8 {
        self.ymd().2
    }

    /// This date moved by `days` (negative: earlier), or `None` outside 1970-01-01..=9999-12-31.
    pub const fn checked_add_days(self, days: i64) -> Option<Date> {
        let d = self.0 as i64 + days;
        if d < 0 || d > Date::MAX.0 as i64 {
            None
        } else {
            Some(Date(d as u32))
        }
    }

    /// This date moved by `days`, saturating at the ends of the representable range.
    pub const fn saturating_add_days(self, days: i64) -> Date {
        match self.checked_add_days(days) {
            Some(d) => d,
            None if days < 0 => Date(0),
            None => Date::MAX,
        }
    }

    /// Whole days from `earlier` to `self` (negative if `self` is before `earlier`).
    pub const fn days_since(self, earlier: Date) -> i64 {
        self.0 as i64 - earlier.0 as i64
    }

    /// The same day of the month `months` months later; the last day of the month
    /// where that day does not exist (31 January + 1 month = 28/29 February).
    pub fn add_months(self, months: u32) -> Option<Date> {
        let (y, m, d) = self.ymd();
        let total = (u32::from(y) * 12 + u32::from(m) - 1).checked_add(months)?;
        let year = u16::try_from(total / 12).ok()?;
        let month = (total % 12) as u8 + 1;
        if year > 9999 {
            return None;
        }
        let day = d.min(days_in_month(year, month));
        Date::ymd_checked(year, month, day)
    }

    /// `YYYY-MM-DD`, or `None` (the public, fallible [`Date::parse`] is in `date_checked`).
    pub(crate) fn parse_checked(s: &str) -> Option<Date> {
        let b = s.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: &[u8]| -> Option<u16> {
            let mut v: u16 = 0;
            for &c in r {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + u16::from(c - b'0');
            }
            Some(v)
        };
        let (y, m, d) = (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?);
        Date::ymd_checked(y, m as u8, d as u8)
    }
}

/// Whether `year` is a leap year in the proleptic Gregorian calendar.
pub const fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1-12) of `year`; 0 for an invalid month.
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Dates appear as `"YYYY-MM-DD"` strings in JSON and TOML.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct DateRepr(#[serde(with = "date_str")] Date);

#[cfg(feature = "serde")]
impl From<Date> for DateRepr {
    fn from(d: Date) -> Self {
        DateRepr(d)
    }
}

#[cfg(feature = "serde")]
impl From<DateRepr> for Date {
    fn from(d: DateRepr) -> Self {
        d.0
    }
}

#[cfg(feature = "serde")]
mod date_str {
    use core::fmt;

    use super::Date;
    use serde::{Deserializer, Serializer, de};

    pub(super) fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    struct Visitor;

    impl de::Visitor<'_> for Visitor {
        type Value = Date;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date as YYYY-MM-DD")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
            Date::parse_checked(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        d.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn known_days() {
        assert_eq!(Date::from_ymd(1970, 1, 1), Ok(Date(0)));
        assert_eq!(Date::from_ymd(2020, 1, 1), Ok(Date::CODE_EPOCH));
        assert_eq!(Date::from_ymd(9999, 12, 31), Ok(Date::MAX));
        assert_eq!(Date::from_ymd(2024, 2, 29).map(Date::ymd), Ok((2024, 2, 29)));
        assert_eq!(Date::from_ymd(2025, 2, 29), Err(Error::InvalidDate));
        assert_eq!(Date::from_ymd(2100, 2, 29), Err(Error::InvalidDate));
        assert_eq!(Date::from_ymd(2000, 2, 29).map(|d| d.ymd()), Ok((2000, 2, 29)));
    }

    #[test]
    fn round_trip_every_day() {
        for days in 0..=Date::MAX.0 {
            let d = Date(days);
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Ok(d));
        }
    }

    #[test]
    fn months_clamp_to_month_end() {
        let jan31 = Date::from_ymd(2024, 1, 31).ok();
        assert_eq!(
            jan31.and_then(|d| d.add_months(1)),
            Date::from_ymd(2024, 2, 29).ok()
        );
        assert_eq!(
            jan31.and_then(|d| d.add_months(12)),
            Date::from_ymd(2025, 1, 31).ok()
        );
        assert_eq!(Date::MAX.add_months(1), None);
        assert_eq!(Date::UNIX_EPOCH.add_months(u32::MAX), None);
    }

    #[test]
    fn parse_and_display() {
        assert_eq!(
            Date::parse("2026-11-22").map(|d| d.to_string()).as_deref(),
            Ok("2026-11-22")
        );
        for bad in [
            "",
            "2026-1-22",
            "2026/11/22",
            "2026-13-01",
            "20x6-11-22",
            "2026-11-22x",
        ] {
            assert_eq!(Date::parse(bad), Err(Error::InvalidDate), "{bad}");
        }
    }

    #[test]
    fn unix_seconds() {
        assert_eq!(Date::from_unix_seconds(-5), Date(0));
        assert_eq!(Date::from_unix_seconds(86_399), Date(0));
        assert_eq!(Date::from_unix_seconds(86_400), Date(1));
        assert_eq!(Date(3).unix_seconds(), 3 * 86_400);
    }
}
