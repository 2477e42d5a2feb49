//! Secrets of accounts: passwords (Argon2id), TOTP second factors (RFC 6238), and the
//! random tokens of sessions, API tokens and e-mailed links (stored only as SHA-256).

pub mod password;
pub mod secret;
pub mod totp;
