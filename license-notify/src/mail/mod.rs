//! E-mail: the message catalog (English and German), the throttle, and SMTP.
//!
//! - `catalog`: `messages/<language>.txt`, parsed and rendered to plain-text mails;
//! - `throttle`: per recipient and in total per minute;
//! - `smtp`: the `Mailer` (lettre).
//!
//! May use: `error`, `event`.

pub(crate) mod catalog;
pub(crate) mod smtp;
pub(crate) mod throttle;
