//! A calendar month, `YYYY-MM`: what the monthly reports, exports and invoices cover.

use license_core::Date;
use serde::Serialize;

use crate::catalog::calendar;
use crate::report::error::ReportError;

/// A month, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: u16,
    /// The month, 1-12.
    pub month: u8,
}

impl Month {
    /// Parse `YYYY-MM`.
    pub fn parse(s: &str) -> Result<Month, ReportError> {
        let bad = || ReportError::InvalidMonth { given: s.to_owned() };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let month = Month {
            year: y.parse().map_err(|_| bad())?,
            month: m.parse().map_err(|_| bad())?,
        };
        month.bounds().ok_or_else(bad)?;
        Ok(month)
    }

    /// The month containing `day`.
    pub fn of(day: Date) -> Month {
        let (year, month, _) = day.ymd();
        Month { year, month }
    }

    /// First day and first day of the next month.
    pub fn bounds(self) -> Option<(Date, Date)> {
        calendar::month_bounds(self.year, self.month)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
