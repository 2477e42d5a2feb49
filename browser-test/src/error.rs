//! What can go wrong driving the browser, each saying what to check.

/// An error of the browser harness.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrowserError {
    /// chromedriver could not be started or did not answer.
    #[error("the browser could not be started: {why}")]
    DriverNotStarted {
        /// What failed.
        why: String,
    },
    /// chromedriver could not be reached, or answered with something that is not JSON.
    #[error("{command}: {why}")]
    Http {
        /// The WebDriver command (`POST /session/.../url`).
        command: String,
        /// What failed.
        why: String,
    },
    /// chromedriver answered with an error.
    #[error("{command}: WebDriver error {status}: {message}")]
    WebDriver {
        /// The WebDriver command.
        command: String,
        /// The HTTP status of the answer.
        status: u16,
        /// The driver's message.
        message: String,
    },
    /// No element matches the selector.
    #[error("no element matches {css:?} on this page")]
    NoElement {
        /// The CSS selector.
        css: String,
    },
    /// A wait ended without what was awaited.
    #[error("timed out waiting for {what}")]
    Timeout {
        /// What was awaited.
        what: String,
    },
    /// axe-core did not run or gave an answer this crate cannot read.
    #[error("axe-core: {why}")]
    Axe {
        /// What failed.
        why: String,
    },
    /// A file (profile, screenshot) could not be written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
