//! The real receivers of the end-to-end tests (the test-receivers crate, shared with
//! license-notify's tests): Debian's aiosmtpd as the SMTP server, started with the Python
//! the build script found, and an HTTP/1.1 webhook receiver on loopback.

#[allow(unused_imports)] // each test file uses some
pub use test_receivers::{Answer, Hook, Receiver, Smtpd, token_in};

/// The SMTP server.
pub fn smtpd() -> Smtpd {
    Smtpd::start(env!("SERVICE_TEST_PYTHON"))
}

/// A webhook receiver answering 200.
pub fn receiver() -> Receiver {
    Receiver::start(Answer::Ok)
}
