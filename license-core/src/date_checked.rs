//! Dates from outside input, checked: year-month-day parts or `YYYY-MM-DD` text, refused
//! with [`Error::InvalidDate`]. Above `error`; the `Date` type itself (`date`) is below it,
//! since errors carry dates.

use crate::date::Date;
use crate::error::Error;

impl Date {
    /// The date for a year, month (1-12) and day (1-31), checked: a day between 1970-01-01
    /// and 9999-12-31 that exists.
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Result<Date, Error> {
        Date::ymd_checked(year, month, day).ok_or(Error::InvalidDate)
    }

    /// Parse `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, Error> {
        Date::parse_checked(s).ok_or(Error::InvalidDate)
    }
}

impl core::str::FromStr for Date {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}
