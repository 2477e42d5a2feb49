//! The code format versions and the sizes of a code. Below everything that reads or writes a code, the machine
//! binding included (its digest width depends on the format).

/// A code format version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Format 1: one-byte machine digests, four components; still verified, written
    /// only on request ([`crate::sign_as`]) or for a format-1 machine binding.
    V1,
    /// Format 2 (the default): 16/24-bit machine digests, six components, the matching
    /// rule where unreadable components count, seat-server binding, interim codes.
    V2,
}

impl Format {
    /// The version byte.
    pub const fn version(self) -> u8 {
        match self {
            Format::V1 => 1,
            Format::V2 => 2,
        }
    }

    /// The format with this version byte.
    pub const fn from_version(v: u8) -> Option<Format> {
        match v {
            1 => Some(Format::V1),
            2 => Some(Format::V2),
            _ => None,
        }
    }
}

/// The format version [`crate::sign`] writes.
pub const VERSION: u8 = 2;
/// Length of the Ed25519 signature at the end of a code.
pub const SIGNATURE_LEN: usize = 64;
/// The largest payload of any format this crate reads, in bytes (format 2: 60 bytes of
/// head fields at their widest for dates before 9999-12-31, the database hint, a
/// six-component machine binding with 24-bit digests and the 16-byte seat-server digest).
pub const MAX_PAYLOAD: usize = 96;
/// The largest code (payload and signature), in bytes.
pub const MAX_CODE_BYTES: usize = MAX_PAYLOAD + SIGNATURE_LEN;
