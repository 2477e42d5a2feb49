//! Webhooks: the signature scheme, the target check against server-side request forgery,
//! and the sender.
//!
//! - `sign`: HMAC-SHA256 over `<timestamp>.<body>`, the headers, and `verify` for receivers;
//! - `target`: which addresses a webhook may reach (`TargetPolicy`, `check_target`);
//! - `send`: the HTTP client (every resolved address checked, no redirects, timeouts).
//!
//! May use: `error`.

pub(crate) mod send;
pub(crate) mod sign;
pub(crate) mod target;
