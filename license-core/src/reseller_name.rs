//! A reseller's display name as its certificate carries it. Its checked constructor
//! ([`ResellerName::new`]) is in `delegation`, above `error`; the type is below it, since
//! delegation errors name resellers.

use core::fmt;

/// The longest reseller display name, in bytes of UTF-8.
pub const MAX_RESELLER_NAME: usize = 32;

/// A reseller's display name (1 to 32 bytes of UTF-8, no control characters), carried
/// in its certificate so errors and reports can name it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResellerName {
    pub(crate) bytes: [u8; MAX_RESELLER_NAME],
    pub(crate) len: u8,
}

impl ResellerName {
    /// The name.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Display for ResellerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ResellerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ResellerName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
