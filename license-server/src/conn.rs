//! Bounds on connections, before any request is read: the shared `http-guard` crate's
//! [`http_guard::conn`] (one copy for the seat server and the licensing service; see
//! docs/SERVER.md, "Connections").

pub use http_guard::conn::{
    Admission, Bounded, BoundedAcceptor, ConnLimits, Connections, DEFAULT_HEADER_READ_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PER_CLIENT,
};
