//! Test support for the browser tests: a headless Chromium driven through W3C WebDriver
//! (Debian's `chromium` and `chromium-driver`, which `.ci/run` installs), screenshots under
//! the workspace's `target/screenshots/`, and the axe-core accessibility check
//! ([`Browser::axe`]).
//!
//! The WebDriver client is the few commands the tests need, as JSON over HTTP to a
//! `chromedriver` this crate starts on a free loopback port and stops when the
//! [`Browser`] is dropped. Every browser runs with its own throwaway profile, so cookies
//! never leak between tests.
//!
//! ```no_run
//! let b = browser_test::Browser::start()?;
//! b.go("http://127.0.0.1:8080/login")?;
//! b.type_into("input[name=token]", "secret")?;
//! b.submit("button[type=submit]")?;
//! b.axe()?.assert_clean("the login page");
//! b.save_screenshot("login")?;
//! # Ok::<(), browser_test::BrowserError>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod axe;
mod browser;
mod error;

pub use axe::{AXE_CORE_VERSION, AxeReport, AxeViolation};
pub use browser::{Browser, WAIT, screenshot_dir};
pub use error::BrowserError;
