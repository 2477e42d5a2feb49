//! Why a guard could not be set up or a secret made.

/// An error of the guards.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GuardError {
    /// An allowed host name that is not a bare name.
    #[error(
        "--allow-host {0:?}: give a host name as clients write it in the server's URL (no scheme, port or path)"
    )]
    HostName(String),
    /// The operating system's random source failed.
    #[error("the system's random source failed: {0}")]
    Random(String),
}
