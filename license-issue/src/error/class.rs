//! How a caller should treat an error: the class every error of the crate belongs to.
//! Below every concern's error module; uses nothing of the crate.

/// What the caller should do with an [`Error`](crate::Error); `licensectl` maps it to its exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// A code that does not verify or does not fit this installation (exit code 1).
    Invalid,
    /// Bad input or an operation the business rules refuse (exit code 2).
    Usage,
    /// A file that cannot be read or written, or corrupt data (exit code 3).
    Data,
    /// A concurrent change: the same order may succeed when placed again (exit code 3).
    Retry,
}

impl ErrorClass {
    /// The `licensectl` exit code: 1 invalid, 2 usage, 3 I/O or corrupt data.
    pub const fn exit_code(self) -> u8 {
        match self {
            ErrorClass::Invalid => 1,
            ErrorClass::Usage => 2,
            ErrorClass::Data | ErrorClass::Retry => 3,
        }
    }
}
