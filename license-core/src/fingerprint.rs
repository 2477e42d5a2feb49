//! Machine fingerprints that tolerate change: per-component digests matched k of n.
//!
//! A machine is described by up to six components, each reduced to a digest keyed with an
//! application-specific key (24 bits kept; a format-2 code carries 16 or 24 of them, a
//! format-1 code 8). A code bound to a machine carries the digests of the machine it was
//! issued for and a tolerance (how many components may have changed or be unreadable).
//! Collecting the raw values is the host side's job (`license-verify`); this module
//! defines how they are normalized, hashed and matched, so that every implementation
//! agrees. See `docs/FORMAT.md`, "Machine binding".

use core::fmt;

use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::text::{self, TextKind};
use crate::wire::Format;

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
pub struct ComponentSet(u8);

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
pub struct ComponentDigest(u32);

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

/// What a code carries about the machine it is bound to: one digest per bound
/// component and how many of them may have changed (or, in format 2, be unreadable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(into = "BindingRepr", try_from = "BindingRepr"))]
pub struct MachineBinding {
    components: ComponentSet,
    tolerance: u8,
    /// 8 (format 1), 16 or 24 (format 2).
    bits: u8,
    /// Indexed by [`Component::index`]: the first `bits` bits of each bound digest.
    digests: [u32; COMPONENTS],
}

/// The serialized form: `digests` indexed by component (4 entries for a format-1
/// binding, as the v1 golden vectors record it, 6 for format 2), `digest_bits` omitted
/// for format 1.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct BindingRepr {
    components: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    digest_bits: Option<u8>,
    digests: alloc::vec::Vec<u32>,
    tolerance: u8,
}

#[cfg(feature = "serde")]
impl From<MachineBinding> for BindingRepr {
    fn from(b: MachineBinding) -> Self {
        let n = if b.bits == 8 { 4 } else { COMPONENTS };
        BindingRepr {
            components: b.components.0,
            digest_bits: (b.bits != 8).then_some(b.bits),
            digests: b.digests[..n].to_vec(),
            tolerance: b.tolerance,
        }
    }
}

#[cfg(feature = "serde")]
impl TryFrom<BindingRepr> for MachineBinding {
    type Error = &'static str;
    fn try_from(r: BindingRepr) -> Result<Self, Self::Error> {
        let components = ComponentSet::from_bits(r.components).ok_or("unknown component bits")?;
        let bits = r.digest_bits.unwrap_or(8);
        if r.digests.len() > COMPONENTS {
            return Err("too many digests");
        }
        let mut d = [0u32; COMPONENTS];
        d[..r.digests.len()].copy_from_slice(&r.digests);
        let b =
            MachineBinding::build(components, d, r.tolerance, bits).map_err(|_| "invalid machine binding")?;
        if b.bits != bits {
            return Err("digest width does not match the binding's shape");
        }
        Ok(b)
    }
}

impl MachineBinding {
    /// The highest tolerance a code can carry.
    pub const MAX_TOLERANCE: u8 = 3;
    /// The longest wire form: header and six 24-bit digests.
    pub const MAX_WIRE_LEN: usize = 1 + COMPONENTS * 3;

    /// The highest tolerance for a binding of `components` components that keeps a
    /// majority of them required to match: `(components - 1) / 2`, at most
    /// [`MAX_TOLERANCE`](Self::MAX_TOLERANCE): with 3 or 4 components 1 may change, with
    /// 2 none. Every tool that makes a binding (the fingerprint's printed form, an order
    /// with or without its own tolerance) caps the tolerance asked for at this value and
    /// says so.
    pub const fn majority_tolerance(components: u8) -> u8 {
        let cap = components.saturating_sub(1) / 2;
        if cap > Self::MAX_TOLERANCE {
            Self::MAX_TOLERANCE
        } else {
            cap
        }
    }

    /// A format-2 binding to `digests` (indexed by [`Component::index`]) for the
    /// `components` listed, accepting up to `tolerance` components changed or unreadable.
    /// The tolerance is at most `(bound - 1) / 2`, so a majority must match. The digests
    /// are cut to the width the shape needs ([`format_2_digest_bits`]).
    pub fn new(
        components: ComponentSet,
        digests: [ComponentDigest; COMPONENTS],
        tolerance: u8,
    ) -> Result<Self, Error> {
        let bits = format_2_digest_bits(components, tolerance);
        Self::build(components, digests.map(|d| d.prefix(bits)), tolerance, bits)
    }

    /// A format-1 binding (one-byte digests, the first four components only), as codes of
    /// format 1 carry it: for re-issuing a license bound by a format-1 fingerprint.
    pub fn new_v1(components: ComponentSet, digests: [u8; 4], tolerance: u8) -> Result<Self, Error> {
        let mut d = [0u32; COMPONENTS];
        for (slot, v) in d.iter_mut().zip(digests) {
            *slot = u32::from(v);
        }
        Self::build(components, d, tolerance, 8)
    }

    /// Validate and keep only the bound digests. `digests` are already cut to `bits`.
    fn build(
        components: ComponentSet,
        digests: [u32; COMPONENTS],
        tolerance: u8,
        bits: u8,
    ) -> Result<Self, Error> {
        if !components.has_strong() {
            return Err(Error::InvalidLicense(
                "a machine binding needs a strong component (OS install id, hardware UUID, network adapter, root file system or board serial): the CPU alone identifies no machine",
            ));
        }
        if bits == 8 {
            if components.0 & !ComponentSet::FORMAT_1.0 != 0 {
                return Err(Error::InvalidLicense(
                    "a format-1 machine binding has only the OS install id, hardware UUID, CPU and network adapters",
                ));
            }
            if tolerance > Self::MAX_TOLERANCE || tolerance >= components.len() {
                return Err(Error::InvalidLicense(
                    "machine tolerance must be below the number of bound components (and at most 3)",
                ));
            }
        } else {
            if bits != format_2_digest_bits(components, tolerance) {
                return Err(Error::InvalidLicense(
                    "digest width does not match the binding's shape",
                ));
            }
            if tolerance > (components.len() - 1) / 2 {
                return Err(Error::InvalidLicense(
                    "machine tolerance must leave a majority of the bound components to match: at most (bound - 1) / 2",
                ));
            }
        }
        let mask = if bits >= 32 { u32::MAX } else { (1u32 << bits) - 1 };
        let mut d = [0u32; COMPONENTS];
        for c in components.iter() {
            let i = usize::from(c.index());
            if digests[i] & !mask != 0 {
                return Err(Error::InvalidLicense(
                    "a digest is wider than the binding's digest width",
                ));
            }
            d[i] = digests[i];
        }
        Ok(MachineBinding {
            components,
            tolerance,
            bits,
            digests: d,
        })
    }

    /// The same digests with another tolerance (the vendor's choice when issuing). A
    /// format-2 binding can narrow its digests (24 to 16 bits) but not widen them: a
    /// tolerance that needs wider digests than the fingerprint carries is refused.
    pub fn with_tolerance(&self, tolerance: u8) -> Result<MachineBinding, Error> {
        if self.bits == 8 {
            return Self::build(self.components, self.digests, tolerance, 8);
        }
        let bits = format_2_digest_bits(self.components, tolerance);
        if bits > self.bits {
            return Err(Error::InvalidLicense(
                "this tolerance needs 24-bit digests and the fingerprint carries 16: ask the customer for the fingerprint printed with this tolerance",
            ));
        }
        let shift = u32::from(self.bits - bits);
        Self::build(self.components, self.digests.map(|d| d >> shift), tolerance, bits)
    }

    /// A machine fingerprint that matches this binding exactly (each bound component with
    /// its carried digest): for the vendor's side, which checks a code's signature without
    /// the customer's machine.
    pub fn matching_machine(&self) -> MachineFingerprint {
        let mut m = MachineFingerprint::unknown();
        for c in self.components.iter() {
            m.add(
                c,
                ComponentDigest::from_prefix(self.digests[usize::from(c.index())], self.bits),
            );
        }
        m
    }

    /// The code format this binding belongs to: format 1 for one-byte digests.
    pub const fn format(&self) -> Format {
        if self.bits == 8 { Format::V1 } else { Format::V2 }
    }

    /// Bits per digest: 8 (format 1), 16 or 24 (format 2).
    pub const fn digest_bits(&self) -> u8 {
        self.bits
    }

    /// The bound components.
    pub const fn components(&self) -> ComponentSet {
        self.components
    }

    /// How many bound components may differ (or, in format 2, be unreadable).
    pub const fn tolerance(&self) -> u8 {
        self.tolerance
    }

    /// The digest of `c` as carried (the first [`digest_bits`](Self::digest_bits) bits), if bound.
    pub const fn digest(&self, c: Component) -> Option<u32> {
        if self.components.contains(c) {
            Some(self.digests[c.index() as usize])
        } else {
            None
        }
    }

    /// How many components must positively match. Format 2: a majority of the bound
    /// ones (`bound / 2 + 1`); format 1: at least half (`ceil(bound / 2)`).
    pub const fn required_matches(&self) -> u8 {
        if self.bits == 8 {
            self.components.len().div_ceil(2)
        } else {
            self.components.len() / 2 + 1
        }
    }

    /// Compare with a machine. See [`MachineMatch::is_match`] for the rule.
    pub fn check(&self, machine: &MachineFingerprint) -> MachineMatch {
        let mut m = MachineMatch {
            matched: ComponentSet::EMPTY,
            changed: ComponentSet::EMPTY,
            unknown: ComponentSet::EMPTY,
            tolerance: self.tolerance,
            required: self.required_matches(),
            unreadable_counts: self.bits != 8,
        };
        for c in self.components.iter() {
            let i = usize::from(c.index());
            let slot = &machine.slots[i];
            let have = &slot.digests[..usize::from(slot.len)];
            if have.is_empty() {
                m.unknown = m.unknown.with(c);
            } else if have.iter().any(|d| d.prefix(self.bits) == self.digests[i]) {
                m.matched = m.matched.with(c);
            } else {
                m.changed = m.changed.with(c);
            }
        }
        m
    }

    /// The header byte of the wire form. Format 1: component bits 0-3, tolerance bits
    /// 4-5; format 2: component bits 0-5, tolerance bits 6-7.
    const fn header(&self) -> u8 {
        if self.bits == 8 {
            self.components.0 | (self.tolerance << 4)
        } else {
            self.components.0 | (self.tolerance << 6)
        }
    }

    /// The wire form: header, then each bound digest in component order, big-endian in
    /// `digest_bits / 8` bytes.
    pub(crate) fn write_wire(&self, mut out: impl FnMut(u8)) {
        out(self.header());
        let bytes = usize::from(self.bits / 8);
        for c in self.components.iter() {
            let d = self.digests[usize::from(c.index())];
            for k in (0..bytes).rev() {
                out((d >> (8 * k)) as u8);
            }
        }
    }

    /// Read the wire form of `format` from `input`; `None` if cut short, with reserved
    /// bits set, or invalid.
    pub(crate) fn read_wire(format: Format, input: &mut impl Iterator<Item = u8>) -> Option<MachineBinding> {
        let header = input.next()?;
        let (components, tolerance) = match format {
            Format::V1 => {
                if header & 0b1100_0000 != 0 {
                    return None;
                }
                (ComponentSet(header & 0b1111), (header >> 4) & 0b11)
            }
            Format::V2 => (ComponentSet(header & 0b11_1111), header >> 6),
        };
        let bits = match format {
            Format::V1 => 8,
            Format::V2 => format_2_digest_bits(components, tolerance),
        };
        let mut d = [0u32; COMPONENTS];
        for c in components.iter() {
            let mut v = 0u32;
            for _ in 0..bits / 8 {
                v = (v << 8) | u32::from(input.next()?);
            }
            d[usize::from(c.index())] = v;
        }
        MachineBinding::build(components, d, tolerance, bits).ok()
    }

    /// Bytes of the printable fingerprint: the wire form.
    fn to_bytes(self) -> ([u8; Self::MAX_WIRE_LEN], usize) {
        let mut out = [0u8; Self::MAX_WIRE_LEN];
        let mut n = 0;
        self.write_wire(|b| {
            out[n] = b;
            n += 1;
        });
        (out, n)
    }

    fn text_kind(&self) -> TextKind {
        match self.format() {
            Format::V1 => TextKind::Fingerprint,
            Format::V2 => TextKind::FingerprintV2,
        }
    }

    /// Parse the printable form a customer sends to the vendor (see
    /// [`MachineFingerprint::binding`] and the `Display` impl), with the same typo
    /// detection as a license code. Both the format-2 and the format-1 form are read.
    pub fn parse(text: &str) -> Result<MachineBinding, Error> {
        let mut buf = [0u8; Self::MAX_WIRE_LEN];
        let (format, n) = match text::decode(TextKind::FingerprintV2, text, &mut buf) {
            Ok(n) => (Format::V2, n),
            Err(e) => match text::decode(TextKind::Fingerprint, text, &mut buf) {
                Ok(n) => (Format::V1, n),
                Err(_) => return Err(e),
            },
        };
        if n == 0 {
            return Err(Error::Malformed("empty machine fingerprint"));
        }
        let mut input = buf[..n].iter().copied();
        let b = MachineBinding::read_wire(format, &mut input)
            .ok_or(Error::Malformed("invalid machine fingerprint"))?;
        if input.next().is_some() {
            return Err(Error::Malformed("trailing bytes after the machine fingerprint"));
        }
        Ok(b)
    }
}

/// The printable fingerprint: Crockford base32 in dashed groups with a typo check,
/// e.g. `1G5ZK-QH04M-TRF`.
impl fmt::Display for MachineBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (bytes, n) = self.to_bytes();
        text::write(self.text_kind(), &bytes[..n], f)
    }
}

/// The result of comparing a bound code with this machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MachineMatch {
    /// Bound components whose digest this machine has.
    pub matched: ComponentSet,
    /// Bound components this machine reports differently.
    pub changed: ComponentSet,
    /// Bound components this machine could not read (no permission, container).
    pub unknown: ComponentSet,
    /// How many components may differ.
    pub tolerance: u8,
    /// How many components must positively match.
    pub required: u8,
    /// Whether unreadable components count against the tolerance (format 2; format 1
    /// counted them neither way).
    pub unreadable_counts: bool,
}

impl MachineMatch {
    /// What to do about a mismatch. When no bound component matches although some were
    /// read, the likelier cause than a replaced machine is a fingerprint made for another
    /// product (each product keys its fingerprint with its own app key) or on another
    /// machine.
    pub const fn advice(&self) -> &'static str {
        if self.matched.is_empty() && !self.changed.is_empty() {
            "no component matches: the code was issued for another machine, or the fingerprint was made for another product (each product keys its own); send the fingerprint this product shows on this machine to the vendor"
        } else {
            "if this machine was replaced, ask the vendor to move the license"
        }
    }

    /// The rule. Format 2: changed plus unreadable at most `tolerance`, a majority of the
    /// bound components positively matched, among them at least one strong component
    /// (not only the CPU). Format 1: changed at most `tolerance` (unreadable counts
    /// neither way), at least half matched, one of them strong.
    pub const fn is_match(&self) -> bool {
        let against = if self.unreadable_counts {
            self.changed.len() + self.unknown.len()
        } else {
            self.changed.len()
        };
        against <= self.tolerance && self.matched.len() >= self.required && self.matched.has_strong()
    }
}

/// Maximum digests kept for one component (several network adapters).
pub const MAX_DIGESTS_PER_COMPONENT: usize = 8;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Slot {
    len: u8,
    digests: [ComponentDigest; MAX_DIGESTS_PER_COMPONENT],
}

/// This machine's fingerprint as collected by the host side: for each component,
/// nothing (unknown) or one or more digests (one per physical network adapter).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MachineFingerprint {
    slots: [Slot; COMPONENTS],
}

impl MachineFingerprint {
    /// A fingerprint with every component unknown.
    pub const fn unknown() -> Self {
        MachineFingerprint {
            slots: [Slot {
                len: 0,
                digests: [ComponentDigest(0); MAX_DIGESTS_PER_COMPONENT],
            }; COMPONENTS],
        }
    }

    /// Record a digest for `component`. Returns `false` (and records nothing) when the
    /// component already holds [`MAX_DIGESTS_PER_COMPONENT`] digests or this one.
    pub fn add(&mut self, component: Component, digest: ComponentDigest) -> bool {
        let slot = &mut self.slots[usize::from(component.index())];
        let len = usize::from(slot.len);
        if len >= MAX_DIGESTS_PER_COMPONENT || slot.digests[..len].contains(&digest) {
            return false;
        }
        slot.digests[len] = digest;
        slot.len += 1;
        true
    }

    /// Forget what was recorded for `component` (it becomes unknown).
    pub fn clear(&mut self, component: Component) {
        self.slots[usize::from(component.index())].len = 0;
    }

    /// The digests recorded for `component` (empty = unknown).
    pub fn digests(&self, component: Component) -> &[ComponentDigest] {
        let slot = &self.slots[usize::from(component.index())];
        &slot.digests[..usize::from(slot.len)]
    }

    /// The components with at least one digest.
    pub fn known(&self) -> ComponentSet {
        Component::ALL
            .into_iter()
            .filter(|c| !self.digests(*c).is_empty())
            .fold(ComponentSet::EMPTY, ComponentSet::with)
    }

    /// The smallest digest of each known component, so the choice does not depend on
    /// the order adapters were listed.
    fn smallest(&self) -> [ComponentDigest; COMPONENTS] {
        Component::ALL.map(|c| self.digests(c).iter().copied().min().unwrap_or_default())
    }

    /// What the vendor puts into a format-2 code for this machine: every known component
    /// (for a component with several digests, the smallest), with the given tolerance
    /// reduced to at most `(known - 1) / 2`, so that a majority of the known components
    /// must still match (3 known: 1 may change; 2 known: none may).
    pub fn binding(&self, tolerance: u8) -> Result<MachineBinding, Error> {
        let known = self.known();
        if !known.has_strong() {
            return Err(Error::InvalidLicense(
                "no strong component (OS install id, hardware UUID, network adapter, root file system, board serial) could be read: bind to a database code instead",
            ));
        }
        let tolerance = tolerance.min(MachineBinding::majority_tolerance(known.len()));
        MachineBinding::new(known, self.smallest(), tolerance)
    }

    /// The format-1 binding of this machine (one-byte digests of the first four
    /// components), as version 1 built it: for codes that must stay format 1.
    pub fn binding_v1(&self, tolerance: u8) -> Result<MachineBinding, Error> {
        let known = self.known().intersection(ComponentSet::FORMAT_1);
        if !known.has_strong() {
            return Err(Error::InvalidLicense(
                "neither the OS install id, the hardware UUID nor a network adapter could be read: bind to a database code instead",
            ));
        }
        let tolerance = tolerance.min(MachineBinding::majority_tolerance(known.len()));
        let s = self.smallest();
        MachineBinding::new_v1(known, [0, 1, 2, 3].map(|i| s[i].first_byte()), tolerance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"test-app";

    /// A machine with the first four components as given (24-bit digests `v * 0x10101`,
    /// so every prefix differs between values).
    fn machine(values: [Option<u8>; 4]) -> MachineFingerprint {
        let mut m = MachineFingerprint::unknown();
        for (c, v) in Component::ALL.into_iter().zip(values) {
            if let Some(v) = v {
                m.add(c, dg(v));
            }
        }
        m
    }

    fn dg(v: u8) -> ComponentDigest {
        ComponentDigest::from_bytes([v, v, v])
    }

    #[test]
    fn majority_tolerance_keeps_a_majority() {
        let caps: [u8; 7] = core::array::from_fn(|n| MachineBinding::majority_tolerance(n as u8));
        assert_eq!(caps, [0, 0, 0, 1, 1, 2, 2]);
        assert_eq!(
            MachineBinding::majority_tolerance(100),
            MachineBinding::MAX_TOLERANCE
        );
    }

    #[test]
    fn uuid_byte_order_does_not_matter() {
        let a = component_digest(
            KEY,
            Component::HardwareUuid,
            "4C4C4544-0038-3510-8052-B4C04F4E4D32",
        );
        let b = component_digest(
            KEY,
            Component::HardwareUuid,
            "44454C4C-3800-1035-8052-b4c04f4e4d32",
        );
        assert!(a.is_some());
        assert_eq!(a, b);
        assert_eq!(
            component_digest(
                KEY,
                Component::HardwareUuid,
                "00000000-0000-0000-0000-000000000000"
            ),
            None
        );
        assert_eq!(
            component_digest(
                KEY,
                Component::HardwareUuid,
                "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"
            ),
            None
        );
    }

    #[test]
    fn normalization_and_keying() {
        let a = component_digest(KEY, Component::Cpu, "  Intel(R)  Xeon(R) CPU   | 8 ");
        assert_eq!(
            a,
            component_digest(KEY, Component::Cpu, "intel(r) xeon(r) cpu | 8")
        );
        assert_eq!(component_digest(KEY, Component::Cpu, "   "), None);
        assert_eq!(component_digest(KEY, Component::OsInstallId, "0000-0000"), None);
        assert_eq!(
            component_digest(KEY, Component::OsInstallId, "{ABCDEF01-2345}"),
            component_digest(KEY, Component::OsInstallId, "abcdef012345")
        );
        // The application key changes every digest, so two products cannot correlate a machine.
        let ids: [&str; 8] = ["a1", "b2", "c3", "d4", "e5", "f6", "a7", "b8"];
        let differs = ids.iter().any(|id| {
            component_digest(b"app-one", Component::OsInstallId, id)
                != component_digest(b"app-two", Component::OsInstallId, id)
        });
        assert!(differs);
    }

    #[test]
    fn macs() {
        assert!(is_stable_mac([0x00, 0x1b, 0x21, 1, 2, 3]));
        for second_digit in [0x2u8, 0x6, 0xA, 0xE] {
            assert!(
                !is_stable_mac([second_digit, 0, 0, 1, 2, 3]),
                "locally administered"
            );
        }
        assert!(!is_stable_mac([0x01, 0, 0x5e, 0, 0, 1]), "multicast");
        assert!(!is_stable_mac([0; 6]));
        assert_eq!(mac_digest(KEY, [0x02, 0, 0, 0, 0, 1]), None);
    }

    #[test]
    fn format_1_k_of_n_rule() {
        let original = machine([Some(1), Some(2), Some(3), Some(4)]);
        let b = original.binding_v1(1).unwrap();
        assert_eq!(b.required_matches(), 2);
        assert!(b.check(&original).is_match());
        // One changed: fine. Two changed: refused, and it says which.
        let one = b.check(&machine([Some(1), Some(2), Some(3), Some(9)]));
        assert!(one.is_match());
        let two = b.check(&machine([Some(1), Some(8), Some(3), Some(9)]));
        assert!(!two.is_match());
        assert_eq!(
            two.changed,
            ComponentSet::EMPTY
                .with(Component::HardwareUuid)
                .with(Component::Network)
        );
        // Unknown is not a mismatch, but half must positively match.
        assert!(b.check(&machine([Some(1), None, None, Some(4)])).is_match());
        let mostly_unknown = b.check(&machine([Some(1), None, None, None]));
        assert!(!mostly_unknown.is_match());
        assert_eq!(mostly_unknown.changed, ComponentSet::EMPTY);
        assert!(!b.check(&MachineFingerprint::unknown()).is_match());
        // The CPU alone never makes a match, even when everything else is unreadable.
        let two = machine([Some(1), None, Some(3), None]).binding_v1(1).unwrap();
        assert_eq!((two.tolerance(), two.required_matches()), (0, 1));
        assert!(!two.check(&machine([None, None, Some(3), None])).is_match());
        assert!(two.check(&machine([Some(1), None, None, None])).is_match());
        assert!(!b.check(&machine([None, None, Some(3), None])).is_match());
        // Any one of several adapters matches.
        let mut nics = machine([Some(1), Some(2), Some(3), None]);
        for d in [7, 9, 4] {
            nics.add(Component::Network, dg(d));
        }
        assert_eq!(b.check(&nics).matched, ComponentSet::FORMAT_1);
    }

    #[test]
    fn format_2_rule_counts_unreadable_components() {
        let original = machine([Some(1), Some(2), Some(3), Some(4)]);
        let b = original.binding(1).unwrap();
        assert_eq!(
            (b.format(), b.digest_bits(), b.required_matches()),
            (Format::V2, 16, 3)
        );
        assert!(b.check(&original).is_match());
        assert!(b.check(&machine([Some(1), Some(2), Some(3), Some(9)])).is_match());
        // Hiding components never lowers what must match: unreadable counts like changed.
        assert!(!b.check(&machine([Some(1), None, None, Some(4)])).is_match());
        assert!(b.check(&machine([Some(1), None, Some(3), Some(4)])).is_match());
        assert!(!b.check(&machine([None, None, Some(3), Some(4)])).is_match());
        // The CPU and one strong component out of four: not a majority.
        assert!(!b.check(&machine([Some(1), Some(8), Some(3), Some(9)])).is_match());
        // Only the first 16 bits are compared.
        let mut close = machine([Some(1), Some(2), Some(3), None]);
        close.add(Component::Network, ComponentDigest::from_bytes([4, 4, 0x77]));
        assert!(b.check(&close).is_match());
        // A typical VM: OS id, CPU, root file system; the CPU may change (migration).
        let mut vm = machine([Some(1), None, Some(3), None]);
        vm.add(Component::RootFileSystem, dg(5));
        let vb = vm.binding(1).unwrap();
        assert_eq!(
            (vb.tolerance(), vb.digest_bits(), vb.required_matches()),
            (1, 24, 2)
        );
        let mut migrated = machine([Some(1), None, Some(8), None]);
        migrated.add(Component::RootFileSystem, dg(5));
        assert!(vb.check(&migrated).is_match());
        // CPU alone plus unreadable rest: refused.
        assert!(!vb.check(&machine([None, None, Some(3), None])).is_match());
    }

    #[test]
    fn digest_width_follows_the_shape() {
        let s = |cs: &[Component]| cs.iter().fold(ComponentSet::EMPTY, |s, c| s.with(*c));
        use Component::*;
        assert_eq!(
            format_2_digest_bits(s(&[OsInstallId, HardwareUuid, Cpu, Network]), 1),
            16
        );
        assert_eq!(format_2_digest_bits(s(&[Cpu, Network]), 0), 24);
        assert_eq!(format_2_digest_bits(s(&[OsInstallId, Cpu, Network]), 1), 24);
        assert_eq!(format_2_digest_bits(s(&[OsInstallId, Cpu, Network]), 0), 16);
        assert_eq!(format_2_digest_bits(s(&[OsInstallId]), 0), 24);
        assert_eq!(format_2_digest_bits(ComponentSet::ALL, 2), 16);
    }

    #[test]
    fn binding_rules() {
        let zero = [ComponentDigest::default(); COMPONENTS];
        assert!(MachineBinding::new(ComponentSet::EMPTY, zero, 0).is_err());
        let cpu_only = ComponentSet::EMPTY.with(Component::Cpu);
        assert!(
            MachineBinding::new(cpu_only, zero, 0).is_err(),
            "the CPU alone binds nothing"
        );
        assert!(machine([None, None, Some(5), None]).binding(0).is_err());
        assert!(
            MachineBinding::new(ComponentSet::ALL, zero, 3).is_err(),
            "no majority left"
        );
        assert!(MachineBinding::new(ComponentSet::ALL, zero, 2).is_ok());
        assert!(MachineBinding::new_v1(ComponentSet::FORMAT_1, [0; 4], 4).is_err());
        assert!(
            MachineBinding::new_v1(ComponentSet::ALL, [0; 4], 1).is_err(),
            "format 1 has four components"
        );
        let one = ComponentSet::EMPTY.with(Component::OsInstallId);
        assert!(MachineBinding::new(one, zero, 1).is_err());
        assert!(MachineFingerprint::unknown().binding(1).is_err());
        // Reduced tolerance when only one component is known.
        assert_eq!(
            machine([Some(5), None, None, None])
                .binding(3)
                .map(|b| b.tolerance()),
            Ok(0)
        );
        let mut m = MachineFingerprint::unknown();
        for d in 0..10 {
            m.add(Component::Network, dg(d));
        }
        assert_eq!(m.digests(Component::Network).len(), MAX_DIGESTS_PER_COMPONENT);
    }

    #[test]
    fn printable_form_round_trips() {
        let m = machine([Some(0xA1), Some(0x02), None, Some(0xFF)]);
        for b in [m.binding(1).unwrap(), m.binding_v1(1).unwrap()] {
            let text = b.to_string();
            assert_eq!(MachineBinding::parse(&text), Ok(b));
            assert_eq!(MachineBinding::parse(&text.to_lowercase()), Ok(b));
        }
        assert_ne!(
            m.binding(1).unwrap().to_string(),
            m.binding_v1(1).unwrap().to_string()
        );
        assert!(MachineBinding::parse("0000").is_err());
    }

    #[test]
    fn board_serial_placeholders_are_unknown() {
        for p in [
            "To be filled by O.E.M.",
            "  default   STRING ",
            "0000000",
            "",
            "None",
        ] {
            assert_eq!(component_digest(KEY, Component::BoardSerial, p), None, "{p}");
        }
        assert!(component_digest(KEY, Component::BoardSerial, "PF2ABCDE").is_some());
    }
}
