//! The license scope: what a license grants, independent of its encoding.

use crate::binding::MachineBinding;
use crate::date::Date;
use crate::kind::Kind;

/// A product line (e.g. Standard = 0, Expert = 1) as a small number 0..=15; the
/// product catalog gives the names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ProductLine(u8);

impl ProductLine {
    /// The highest line number a code can carry.
    pub const MAX: u8 = 15;

    /// Line `n`, if `n <= 15`.
    pub const fn new(n: u8) -> Option<ProductLine> {
        if n <= Self::MAX {
            Some(ProductLine(n))
        } else {
            None
        }
    }

    /// The line number.
    pub const fn get(self) -> u8 {
        self.0
    }
}

/// A set of licensed modules, numbered 0..=63; the product catalog gives the names.
/// Encoded as one varint, so a few low-numbered modules cost one byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ModuleSet(u64);

impl ModuleSet {
    /// No modules.
    pub const EMPTY: ModuleSet = ModuleSet(0);
    /// Every module of the product, present and future: every module number (an NFR
    /// license's "every feature unlocked at once"). Format 2 writes it as the flag "all
    /// modules" without a module list, so a module the vendor adds to its catalog later is
    /// granted too; format 1 writes all 64 numbers.
    pub const ALL: ModuleSet = ModuleSet(u64::MAX);
    /// How many module numbers exist.
    pub const CAPACITY: u8 = 64;

    /// The set with exactly these bits.
    pub const fn from_bits(bits: u64) -> ModuleSet {
        ModuleSet(bits)
    }

    /// The bits of the set (bit `n` = module `n`).
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// The set of the first `n` modules (all of a catalog's modules when it defines `n`).
    pub const fn first(n: u8) -> ModuleSet {
        if n >= 64 {
            ModuleSet(u64::MAX)
        } else {
            ModuleSet((1u64 << n) - 1)
        }
    }

    /// Whether module `n` is in the set; `false` for `n >= 64`.
    pub const fn contains(self, n: u8) -> bool {
        n < 64 && self.0 & (1u64 << n) != 0
    }

    /// The set with module `n` added; unchanged for `n >= 64`.
    #[must_use]
    pub const fn with(self, n: u8) -> ModuleSet {
        if n < 64 {
            ModuleSet(self.0 | (1u64 << n))
        } else {
            self
        }
    }

    /// The set with module `n` removed.
    #[must_use]
    pub const fn without(self, n: u8) -> ModuleSet {
        if n < 64 {
            ModuleSet(self.0 & !(1u64 << n))
        } else {
            self
        }
    }

    /// Whether every module of `other` is in `self`.
    pub const fn is_superset_of(self, other: ModuleSet) -> bool {
        other.0 & !self.0 == 0
    }

    /// Number of modules in the set.
    pub const fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the set is [`ModuleSet::ALL`]: every module, present and future.
    pub const fn is_all(self) -> bool {
        self.0 == u64::MAX
    }

    /// The module numbers in ascending order.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        (0u8..64).filter(move |&n| self.contains(n))
    }
}

impl FromIterator<u8> for ModuleSet {
    fn from_iter<I: IntoIterator<Item = u8>>(iter: I) -> Self {
        iter.into_iter().fold(ModuleSet::EMPTY, ModuleSet::with)
    }
}

/// Domain separation of the seat-server key digest (see `docs/FORMAT.md`, "Seat-server binding").
const DOMAIN_SEAT_SERVER: &[u8] = b"license-core/v2 seat-server\0";

/// The 16-byte digest of a seat server's Ed25519 public key that a format-2 code can carry:
/// `SHA-256("license-core/v2 seat-server\0" || key)[..16]`. A client that receives a lease
/// token signed by a server key checks with it that the vendor licensed that server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct SeatServerDigest([u8; SeatServerDigest::LEN]);

impl SeatServerDigest {
    /// Bytes of the digest.
    pub const LEN: usize = 16;

    /// The digest of a seat server's 32-byte Ed25519 public key.
    pub fn of_key(public_key: &[u8; 32]) -> SeatServerDigest {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(DOMAIN_SEAT_SERVER);
        h.update(public_key);
        let full = h.finalize();
        let mut d = [0u8; Self::LEN];
        d.copy_from_slice(&full[..Self::LEN]);
        SeatServerDigest(d)
    }

    /// From the 16 bytes as carried in a code.
    pub const fn from_bytes(bytes: [u8; Self::LEN]) -> SeatServerDigest {
        SeatServerDigest(bytes)
    }

    /// The 16 bytes.
    pub const fn to_bytes(self) -> [u8; Self::LEN] {
        self.0
    }

    /// Whether this is the digest of `public_key`.
    pub fn matches(&self, public_key: &[u8; 32]) -> bool {
        Self::of_key(public_key) == *self
    }
}

/// What the code is bound to, besides product and licensee (which are always bound).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Binding {
    /// The code is valid only with this database code (carried in the signature, not the code).
    pub database: bool,
    /// The code is valid only on a machine matching this fingerprint.
    pub machine: Option<MachineBinding>,
    /// Format 2: the seat server the vendor licensed for this code (the digest of its
    /// public key). Independent of the database and machine binding: a server license can
    /// be bound to the server's machine and name the server's key. It restricts nothing
    /// at verification; a seat client checks lease tokens against it
    /// ([`crate::VerifiedLicense::binds_seat_server`]).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub seat_server: Option<SeatServerDigest>,
}

impl Binding {
    /// Bound to nothing but product and licensee.
    pub const NONE: Binding = Binding {
        database: false,
        machine: None,
        seat_server: None,
    };
    /// Bound to the installation's database code.
    pub const DATABASE: Binding = Binding {
        database: true,
        machine: None,
        seat_server: None,
    };

    /// Bound to a machine.
    pub const fn machine(m: MachineBinding) -> Binding {
        Binding {
            database: false,
            machine: Some(m),
            seat_server: None,
        }
    }

    /// The same binding, naming the seat server with this public key (format 2).
    #[must_use]
    pub fn with_seat_server(mut self, public_key: &[u8; 32]) -> Binding {
        self.seat_server = Some(SeatServerDigest::of_key(public_key));
        self
    }
}

#[cfg(feature = "serde")]
fn is_false(b: &bool) -> bool {
    !*b
}

/// The whole scope of one license: everything a code grants, and to whom it is bound.
///
/// The product id, the licensee and the database code are not part of this struct:
/// they are supplied by the installation (see [`crate::Context`]) and covered by the
/// signature without being carried in the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct License {
    /// The license's serial number; stays the same across re-issues.
    pub license_id: u32,
    /// Incremented with every re-issue of the same license (upgrade, reduction, renewal,
    /// rehost). Verifiers refuse a lower revision than the highest they have seen.
    pub revision: u32,
    /// Full, trial, subscription or NFR.
    pub kind: Kind,
    /// Product line, named by the catalog.
    pub line: ProductLine,
    /// Named users; `None` = not limited.
    pub named_users: Option<u32>,
    /// Concurrent seats; `None` = not limited.
    pub concurrent_seats: Option<u32>,
    /// Seats (and named users) left in demo mode after the grace period; 0 = no demo mode:
    /// the license is simply expired.
    pub demo_seats: u32,
    /// Licensed modules.
    pub modules: ModuleSet,
    /// The day the code was signed. A clock showing an earlier day has been turned back.
    pub issued: Date,
    /// First day of validity (not before `issued`; later for reductions that start next quarter).
    pub valid_from: Date,
    /// First day on which the license is no longer valid (exclusive end); `None` = perpetual.
    pub expires: Option<Date>,
    /// Days after `expires` during which the license stays fully usable.
    pub grace_days: u16,
    /// Releases built before this day are covered (exclusive end of maintenance);
    /// `None` = every release is covered.
    pub maintenance_ends: Option<Date>,
    /// Database, machine and seat-server binding.
    pub binding: Binding,
    /// Format 2: an interim code, which ends where its successor begins. From `expires`
    /// on, it is [`crate::Status::Replaced`] ("enter the code valid from that day"):
    /// never in grace, never demo mode, whatever `grace_days` and `demo_seats` say. Used
    /// for the larger code of a mixed order or an upgrade that a reduction replaces on a
    /// known day. Requires an expiry.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_false"))]
    pub interim: bool,
}
