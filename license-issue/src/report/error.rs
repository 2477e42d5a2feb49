//! Errors of a report: its month or its CSV: the `Report` part of [`crate::Error`].

use crate::error::class::ErrorClass;

/// Why a report: its month or its CSV could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A report that cannot be written as CSV.
    #[error("cannot write the report as CSV ({0}): report this as a bug")]
    Csv(#[source] csv::Error),
    /// Reports: a month given in the wrong form.
    #[error("invalid month '{given}': use YYYY-MM")]
    InvalidMonth {
        /// The text given.
        given: String,
    },
}

impl ReportError {
    /// A stable name for the kind of error: the variant's name in snake case.
    pub fn kind_name(&self) -> &'static str {
        match self {
            ReportError::Csv(_) => "csv",
            ReportError::InvalidMonth { .. } => "invalid_month",
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            ReportError::Csv(_) => ErrorClass::Data,
            ReportError::InvalidMonth { .. } => ErrorClass::Usage,
        }
    }
}
