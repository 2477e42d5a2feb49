//! The components of a machine fingerprint and their digests: which identifiers are read,
//! how each is normalized and hashed with the application's key. The vocabulary of both the
//! binding a code carries (`binding`) and the host's fingerprint (`fingerprint`). See
//! `docs/FORMAT.md`, "Machine binding".

use core::fmt;

use sha2::{Digest, Sha256};

const DOMAIN_COMPONENT: &[u8] = b"license-core/v1 component\0";

/// Number of components a machine fingerprint has (format 2; format 1 knows the first four).
pub const COMPONENTS: usize = 6;

/// One component of a machine fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Component {
    /// The operating system's install id (`/etc/machine-id`, `MachineGuid`, `IOPlatformUUID`).
    OsInstallId,
    /// The hardware (SMBIOS/DMI product) UUID, where readable.
    HardwareUuid,
    /// The CPU: brand string and core count.
    Cpu,
    /// The physical network adapters' MAC addresses (virtual and locally administered left out).
    Network,
    /// The identity of the root (system) file system: its UUID or volume serial
    /// (format 2 only).
    RootFileSystem,
    /// The main board's serial number (SMBIOS baseboard serial), where readable (format 2 only).
    BoardSerial,
}

impl Component {
    /// All components, in bit order.
    pub const ALL: [Component; COMPONENTS] = [
        Component::OsInstallId,
        Component::HardwareUuid,
        Component::Cpu,
        Component::Network,
        Component::RootFileSystem,
        Component::BoardSerial,
    ];

    /// The component's bit number in a [`ComponentSet`] and in the code.
    pub const fn index(self) -> u8 {
        match self {
            Component::OsInstallId => 0,
            Component::HardwareUuid => 1,
            Component::Cpu => 2,
            Component::Network => 3,
            Component::RootFileSystem => 4,
            Component::BoardSerial => 5,
        }
    }

    /// The component with bit number `index`.
    pub const fn from_index(index: u8) -> Option<Component> {
        if (index as usize) < COMPONENTS {
            Some(Self::ALL[index as usize])
        } else {
            None
        }
    }

    /// Whether the component identifies one machine. The CPU does not: thousands of
    /// machines share a model. A machine matches only if at least one strong component
    /// matched.
    pub const fn is_strong(self) -> bool {
        !matches!(self, Component::Cpu)
    }

    /// A short human name.
    pub const fn name(self) -> &'static str {
        match self {
            Component::OsInstallId => "OS install id",
            Component::HardwareUuid => "hardware UUID",
            Component::Cpu => "CPU",
            Component::Network => "network adapters",
            Component::RootFileSystem => "root file system",
            Component::BoardSerial => "board serial",
        }
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of [`Component`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ComponentSet(pub(crate) u8);

impl ComponentSet {
    /// No component.
    pub const EMPTY: ComponentSet = ComponentSet(0);
    /// Every component.
    pub const ALL: ComponentSet = ComponentSet(0b11_1111);
    /// The components a format-1 code can bind (OS install id, hardware UUID, CPU, network).
    pub const FORMAT_1: ComponentSet = ComponentSet(0b1111);
    /// The components that identify one machine (all but the CPU).
    pub const STRONG: ComponentSet = ComponentSet(0b11_1011);

    /// The set with these bits, if every bit names a component.
    pub const fn from_bits(bits: u8) -> Option<ComponentSet> {
        if bits & !Self::ALL.0 == 0 {
            Some(ComponentSet(bits))
        } else {
            None
        }
    }

    /// Whether the set holds a component that identifies one machine.
    pub const fn has_strong(self) -> bool {
        self.0 & Self::STRONG.0 != 0
    }

    /// Whether `c` is in the set.
    pub const fn contains(self, c: Component) -> bool {
        self.0 & (1 << c.index()) != 0
    }

    /// The set with `c` added.
    #[must_use]
    pub const fn with(self, c: Component) -> ComponentSet {
        ComponentSet(self.0 | (1 << c.index()))
    }

    /// The set with `c` removed.
    #[must_use]
    pub const fn without(self, c: Component) -> ComponentSet {
        ComponentSet(self.0 & !(1 << c.index()))
    }

    /// The components in both sets.
    #[must_use]
    pub const fn intersection(self, other: ComponentSet) -> ComponentSet {
        ComponentSet(self.0 & other.0)
    }

    /// Number of components in the set.
    pub const fn len(self) -> u8 {
        self.0.count_ones() as u8
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The bits (bit n = component with index n).
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The components in bit order.
    pub fn iter(self) -> impl Iterator<Item = Component> {
        Component::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

impl fmt::Display for ComponentSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for c in self.iter() {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            f.write_str(c.name())?;
        }
        if first {
            f.write_str("none")?;
        }
        Ok(())
    }
}

/// The digest of one component value: the first 24 bits of its keyed SHA-256. A format-2
/// code carries the first 16 or 24 bits of it, a format-1 code the first 8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentDigest(pub(crate) u32);

impl ComponentDigest {
    /// Bytes kept of the hash.
    pub const LEN: usize = 3;

    /// From the first three bytes of the hash.
    pub const fn from_bytes(b: [u8; 3]) -> ComponentDigest {
        ComponentDigest(((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32)
    }

    /// The three bytes.
    pub const fn to_bytes(self) -> [u8; 3] {
        [(self.0 >> 16) as u8, (self.0 >> 8) as u8, self.0 as u8]
    }

    /// The first `bits` bits (8, 16 or 24) as a number: what a code of that width carries.
    pub const fn prefix(self, bits: u8) -> u32 {
        let bits = if bits > 24 { 24 } else { bits };
        self.0 >> (24 - bits as u32)
    }

    /// The first byte: the whole digest of format 1.
    pub const fn first_byte(self) -> u8 {
        (self.0 >> 16) as u8
    }

    /// A digest known only by its first `bits` bits (`value`), the rest zero: what a
    /// code or a printed fingerprint carries, widened back.
    pub const fn from_prefix(value: u32, bits: u8) -> ComponentDigest {
        let bits = if bits > 24 { 24 } else { bits };
        ComponentDigest((value << (24 - bits as u32)) & 0xFF_FFFF)
    }
}

/// Six lower-case hex digits (the three bytes).
impl fmt::Display for ComponentDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06x}", self.0)
    }
}

/// Six lower-case hex digits, as `Display`.
impl fmt::LowerHex for ComponentDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06x}", self.0)
    }
}

/// Hash one normalized component value into its digest.
fn digest(app_key: &[u8], component: Component, feed: impl FnOnce(&mut Sha256)) -> ComponentDigest {
    let mut h = Sha256::new();
    h.update(DOMAIN_COMPONENT);
    // Keys longer than 255 bytes are hashed by their first 255 bytes; the length is
    // bound in, so prefixes of different keys cannot collide.
    let key = &app_key[..app_key.len().min(255)];
    h.update([key.len() as u8]);
    h.update(key);
    h.update([component.index()]);
    feed(&mut h);
    let out = h.finalize();
    ComponentDigest::from_bytes([out[0], out[1], out[2]])
}

/// Parse a UUID written as 32 hex digits with any of `-{}` and whitespace around them.
fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let mut digits = [0u8; 32];
    let mut n = 0usize;
    for c in s.bytes() {
        if matches!(c, b'-' | b'{' | b'}') || c.is_ascii_whitespace() {
            continue;
        }
        *digits.get_mut(n)? = c;
        n += 1;
    }
    let mut out = [0u8; 16];
    hex::decode_to_slice(&digits[..n], &mut out).ok()?;
    Some(out)
}

/// Board serials that firmware reports when the vendor set none: they identify no board.
const PLACEHOLDER_SERIALS: [&str; 9] = [
    "to be filled by o.e.m.",
    "default string",
    "not specified",
    "not applicable",
    "none",
    "system serial number",
    "base board serial number",
    "n/a",
    "0123456789",
];

/// The digest of a component value as read from the machine, or `None` if the value
/// carries no information (empty, all zeros, a placeholder) and must count as unknown.
///
/// Normalization, defined here once for every implementation:
/// - OS install id: ASCII hex letters lower-cased, `-{}` and white space removed;
/// - hardware UUID: parsed as 16 bytes and made byte-order independent (the smaller of
///   the bytes as read and with the first three fields byte-swapped, since firmware
///   reports them in either order); all-zero and all-`FF` UUIDs are unknown;
/// - CPU, root file system, board serial: trimmed, inner white space collapsed to one
///   space, ASCII lower-cased; a board serial that is a firmware placeholder
///   ("To be filled by O.E.M.", "Default string", all `0`, ...) is unknown;
/// - network: use [`mac_digest`] instead (this function hashes the text as the CPU).
pub fn component_digest(app_key: &[u8], component: Component, raw: &str) -> Option<ComponentDigest> {
    match component {
        Component::HardwareUuid => {
            let uuid = match parse_uuid(raw) {
                Some(u) => u,
                None => return words_digest(app_key, component, raw),
            };
            if uuid.iter().all(|&b| b == 0) || uuid.iter().all(|&b| b == 0xFF) {
                return None;
            }
            let mut swapped = uuid;
            swapped[0..4].reverse();
            swapped[4..6].reverse();
            swapped[6..8].reverse();
            let canonical = if swapped < uuid { swapped } else { uuid };
            Some(digest(app_key, component, |h| h.update(canonical)))
        }
        Component::OsInstallId => {
            let mut any = false;
            let mut all_zero = true;
            for c in raw.bytes() {
                if !(matches!(c, b'-' | b'{' | b'}') || c.is_ascii_whitespace()) {
                    any = true;
                    all_zero &= c == b'0';
                }
            }
            if !any || all_zero {
                return None;
            }
            Some(digest(app_key, component, |h| {
                for c in raw.bytes() {
                    if !(matches!(c, b'-' | b'{' | b'}') || c.is_ascii_whitespace()) {
                        h.update([c.to_ascii_lowercase()]);
                    }
                }
            }))
        }
        Component::BoardSerial => {
            if is_placeholder_serial(raw) {
                return None;
            }
            words_digest(app_key, component, raw)
        }
        Component::Cpu | Component::Network | Component::RootFileSystem => {
            words_digest(app_key, component, raw)
        }
    }
}

/// Whether a board serial is empty, all `0`, or one of the placeholders firmware reports.
fn is_placeholder_serial(raw: &str) -> bool {
    let t = raw.trim();
    if t.bytes()
        .all(|c| c == b'0' || c.is_ascii_whitespace() || c == b'.' || c == b'-')
    {
        return true;
    }
    PLACEHOLDER_SERIALS.iter().any(|p| {
        let mut words = t.split_ascii_whitespace().flat_map(|w| {
            // Word boundaries as single spaces, compared case-insensitively.
            core::iter::once(b' ').chain(w.bytes().map(|c| c.to_ascii_lowercase()))
        });
        words.next(); // the leading space
        let mut expected = p.bytes();
        loop {
            match (words.next(), expected.next()) {
                (None, None) => return true,
                (Some(a), Some(b)) if a == b => {}
                _ => return false,
            }
        }
    })
}

/// Trimmed, white space collapsed, ASCII lower-cased.
fn words_digest(app_key: &[u8], component: Component, raw: &str) -> Option<ComponentDigest> {
    let mut words = raw.split_ascii_whitespace().peekable();
    words.peek()?;
    Some(digest(app_key, component, |h| {
        let mut first = true;
        for w in words {
            if !first {
                h.update(b" ");
            }
            first = false;
            for c in w.bytes() {
                h.update([c.to_ascii_lowercase()]);
            }
        }
    }))
}

/// Whether a MAC address belongs to a physical adapter we can rely on: not all zeros,
/// not multicast, and not locally administered (second hex digit 2, 6, A or E, as set
/// by VPN clients, hypervisors and containers).
pub const fn is_stable_mac(mac: [u8; 6]) -> bool {
    let zero = mac[0] == 0 && mac[1] == 0 && mac[2] == 0 && mac[3] == 0 && mac[4] == 0 && mac[5] == 0;
    !zero && mac[0] & 0b01 == 0 && mac[0] & 0b10 == 0
}

/// The digest of one network adapter's MAC address, or `None` if the address is not
/// stable (see [`is_stable_mac`]).
pub fn mac_digest(app_key: &[u8], mac: [u8; 6]) -> Option<ComponentDigest> {
    is_stable_mac(mac).then(|| digest(app_key, Component::Network, |h| h.update(mac)))
}

/// The digest width of a format-2 binding, from its shape: 16 bits when a machine must
/// match at least two strong components by chance to pass (the CPU assumed equal), 24 bits
/// when one suffices. So every binding keeps a random machine's chance below 1 in 100,000
/// (see `docs/SECURITY.md`).
pub const fn format_2_digest_bits(components: ComponentSet, tolerance: u8) -> u8 {
    let must_match = components.len().saturating_sub(tolerance);
    let strong_needed = if components.contains(Component::Cpu) {
        must_match.saturating_sub(1)
    } else {
        must_match
    };
    if strong_needed >= 2 { 16 } else { 24 }
}
