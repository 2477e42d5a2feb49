//! Machine fingerprints that tolerate change: per-component digests matched k of n.
//!
//! A machine is described by up to four components, each reduced to a one-byte digest
//! keyed with an application-specific key. A code bound to a machine carries the digests
//! of the machine it was issued for and a tolerance (how many components may have
//! changed). Collecting the raw values is the host side's job (`license-verify`); this
//! module defines how they are normalized, hashed and matched, so that every
//! implementation agrees. See `docs/FORMAT.md`, "Machine binding".

use core::fmt;

use sha2::{Digest, Sha256};

use crate::Error;
use crate::text::{self, TextKind};

const DOMAIN_COMPONENT: &[u8] = b"license-core/v1 component\0";

/// One component of a machine fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Component {
    /// The operating system's install id (`/etc/machine-id`, `MachineGuid`, `IOPlatformUUID`).
    OsInstallId,
    /// The hardware (SMBIOS/board) UUID, where readable.
    HardwareUuid,
    /// The CPU: brand string and core count.
    Cpu,
    /// The physical network adapters' MAC addresses (virtual and locally administered left out).
    Network,
}

impl Component {
    /// All components, in bit order.
    pub const ALL: [Component; 4] = [
        Component::OsInstallId,
        Component::HardwareUuid,
        Component::Cpu,
        Component::Network,
    ];

    /// The component's bit number in a [`ComponentSet`] and in the code.
    pub const fn index(self) -> u8 {
        match self {
            Component::OsInstallId => 0,
            Component::HardwareUuid => 1,
            Component::Cpu => 2,
            Component::Network => 3,
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
    pub const ALL: ComponentSet = ComponentSet(0b1111);
    /// The components that identify one machine (all but the CPU).
    pub const STRONG: ComponentSet = ComponentSet(0b1011);

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

/// Hash one normalized component value into its one-byte digest.
fn digest(app_key: &[u8], component: Component, feed: impl FnOnce(&mut Sha256)) -> u8 {
    let mut h = Sha256::new();
    h.update(DOMAIN_COMPONENT);
    // Keys longer than 255 bytes are hashed by their first 255 bytes; the length is
    // bound in, so prefixes of different keys cannot collide.
    let key = &app_key[..app_key.len().min(255)];
    h.update([key.len() as u8]);
    h.update(key);
    h.update([component.index()]);
    feed(&mut h);
    h.finalize()[0]
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parse a UUID written as 32 hex digits with any of `-{}` and whitespace around them.
fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let mut out = [0u8; 16];
    let mut n = 0usize;
    for c in s.bytes() {
        if matches!(c, b'-' | b'{' | b'}') || c.is_ascii_whitespace() {
            continue;
        }
        let v = hex_value(c)?;
        if n >= 32 {
            return None;
        }
        out[n / 2] |= if n.is_multiple_of(2) { v << 4 } else { v };
        n += 1;
    }
    (n == 32).then_some(out)
}

/// The digest of a component value as read from the machine, or `None` if the value
/// carries no information (empty, all zeros, a placeholder) and must count as unknown.
///
/// Normalization, defined here once for every implementation:
/// - OS install id: ASCII hex letters lower-cased, `-{}` and white space removed;
/// - hardware UUID: parsed as 16 bytes and made byte-order independent (the smaller of
///   the bytes as read and with the first three fields byte-swapped, since firmware
///   reports them in either order); all-zero and all-`FF` UUIDs are unknown;
/// - CPU: trimmed, inner white space collapsed to one space, ASCII lower-cased;
/// - network: use [`mac_digest`] instead (this function hashes the text as the CPU).
pub fn component_digest(app_key: &[u8], component: Component, raw: &str) -> Option<u8> {
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
        Component::Cpu | Component::Network => words_digest(app_key, component, raw),
    }
}

/// Trimmed, white space collapsed, ASCII lower-cased.
fn words_digest(app_key: &[u8], component: Component, raw: &str) -> Option<u8> {
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
pub fn mac_digest(app_key: &[u8], mac: [u8; 6]) -> Option<u8> {
    is_stable_mac(mac).then(|| digest(app_key, Component::Network, |h| h.update(mac)))
}

/// What a code carries about the machine it is bound to: one digest per bound
/// component and how many of them may have changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MachineBinding {
    components: ComponentSet,
    tolerance: u8,
    digests: [u8; 4],
}

impl MachineBinding {
    /// The highest tolerance a code can carry.
    pub const MAX_TOLERANCE: u8 = 3;

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

    /// A binding to `digests` (indexed by [`Component::index`]) for the `components`
    /// listed, accepting up to `tolerance` changed components.
    pub fn new(components: ComponentSet, digests: [u8; 4], tolerance: u8) -> Result<Self, Error> {
        if !components.has_strong() {
            return Err(Error::InvalidLicense(
                "a machine binding needs the OS install id, the hardware UUID or a network adapter (the CPU alone identifies no machine)",
            ));
        }
        if tolerance > Self::MAX_TOLERANCE || tolerance >= components.len() {
            return Err(Error::InvalidLicense(
                "machine tolerance must be below the number of bound components (and at most 3)",
            ));
        }
        let mut d = [0u8; 4];
        for c in components.iter() {
            d[usize::from(c.index())] = digests[usize::from(c.index())];
        }
        Ok(MachineBinding {
            components,
            tolerance,
            digests: d,
        })
    }

    /// The bound components.
    pub const fn components(&self) -> ComponentSet {
        self.components
    }

    /// How many bound components may differ.
    pub const fn tolerance(&self) -> u8 {
        self.tolerance
    }

    /// The digest of `c`, if bound.
    pub const fn digest(&self, c: Component) -> Option<u8> {
        if self.components.contains(c) {
            Some(self.digests[c.index() as usize])
        } else {
            None
        }
    }

    /// How many components must positively match: at least half of the bound ones.
    pub const fn required_matches(&self) -> u8 {
        self.components.len().div_ceil(2)
    }

    /// Compare with a machine. See [`MachineMatch::is_match`] for the rule.
    pub fn check(&self, machine: &MachineFingerprint) -> MachineMatch {
        let mut m = MachineMatch {
            matched: ComponentSet::EMPTY,
            changed: ComponentSet::EMPTY,
            unknown: ComponentSet::EMPTY,
            tolerance: self.tolerance,
            required: self.required_matches(),
        };
        for c in self.components.iter() {
            let slot = &machine.slots[usize::from(c.index())];
            if slot.len == 0 {
                m.unknown = m.unknown.with(c);
            } else if slot.digests[..usize::from(slot.len)].contains(&self.digests[usize::from(c.index())]) {
                m.matched = m.matched.with(c);
            } else {
                m.changed = m.changed.with(c);
            }
        }
        m
    }

    /// The header byte of the wire form: component bits 0-3, tolerance bits 4-5.
    pub(crate) const fn header(&self) -> u8 {
        self.components.0 | (self.tolerance << 4)
    }

    /// Digests of the bound components, in component order.
    pub(crate) fn bound_digests(&self) -> impl Iterator<Item = u8> + '_ {
        self.components
            .iter()
            .map(|c| self.digests[usize::from(c.index())])
    }

    /// Rebuild from the wire form; `None` if the header has reserved bits set or is invalid.
    pub(crate) fn from_wire(header: u8, digests: &[u8]) -> Option<MachineBinding> {
        if header & 0b1100_0000 != 0 {
            return None;
        }
        let components = ComponentSet(header & 0b1111);
        if usize::from(components.len()) != digests.len() {
            return None;
        }
        let mut d = [0u8; 4];
        for (c, v) in components.iter().zip(digests) {
            d[usize::from(c.index())] = *v;
        }
        MachineBinding::new(components, d, (header >> 4) & 0b11).ok()
    }

    /// Bytes of the printable fingerprint: the header byte and the bound digests.
    fn to_bytes(self) -> ([u8; 5], usize) {
        let mut out = [0u8; 5];
        out[0] = self.header();
        let mut n = 1;
        for d in self.bound_digests() {
            out[n] = d;
            n += 1;
        }
        (out, n)
    }

    /// Parse the printable form a customer sends to the vendor (see
    /// [`MachineFingerprint::binding`] and the `Display` impl), with the same typo
    /// detection as a license code.
    pub fn parse(text: &str) -> Result<MachineBinding, Error> {
        let mut buf = [0u8; 5];
        let n = text::decode(TextKind::Fingerprint, text, &mut buf)?;
        if n == 0 {
            return Err(Error::Malformed("empty machine fingerprint"));
        }
        MachineBinding::from_wire(buf[0], &buf[1..n]).ok_or(Error::Malformed("invalid machine fingerprint"))
    }
}

/// The printable fingerprint: Crockford base32 in dashed groups with a typo check,
/// e.g. `1G5ZK-QH04M-TRF`.
impl fmt::Display for MachineBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (bytes, n) = self.to_bytes();
        text::write(TextKind::Fingerprint, &bytes[..n], f)
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
}

impl MachineMatch {
    /// The rule: at most `tolerance` components changed, at least half of the bound
    /// components positively matched, and among them at least one strong component
    /// (not only the CPU). Unknown components count neither way.
    pub const fn is_match(&self) -> bool {
        self.changed.len() <= self.tolerance
            && self.matched.len() >= self.required
            && self.matched.has_strong()
    }
}

/// Maximum digests kept for one component (several network adapters).
pub const MAX_DIGESTS_PER_COMPONENT: usize = 8;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Slot {
    len: u8,
    digests: [u8; MAX_DIGESTS_PER_COMPONENT],
}

/// This machine's fingerprint as collected by the host side: for each component,
/// nothing (unknown) or one or more digests (one per physical network adapter).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MachineFingerprint {
    slots: [Slot; 4],
}

impl MachineFingerprint {
    /// A fingerprint with every component unknown.
    pub const fn unknown() -> Self {
        MachineFingerprint {
            slots: [Slot {
                len: 0,
                digests: [0; MAX_DIGESTS_PER_COMPONENT],
            }; 4],
        }
    }

    /// Record a digest for `component`. Returns `false` (and records nothing) when the
    /// component already holds [`MAX_DIGESTS_PER_COMPONENT`] digests or this one.
    pub fn add(&mut self, component: Component, digest: u8) -> bool {
        let slot = &mut self.slots[usize::from(component.index())];
        let len = usize::from(slot.len);
        if len >= MAX_DIGESTS_PER_COMPONENT || slot.digests[..len].contains(&digest) {
            return false;
        }
        slot.digests[len] = digest;
        slot.len += 1;
        true
    }

    /// The digests recorded for `component` (empty = unknown).
    pub fn digests(&self, component: Component) -> &[u8] {
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

    /// What the vendor puts into a code for this machine: every known component (for a
    /// component with several digests, the smallest, so the choice does not depend on
    /// the order adapters were listed), with the given tolerance, reduced to at most
    /// `(known - 1) / 2` so that a majority of the known components must still match
    /// (4 known: 1 may change; 2 known: none may).
    pub fn binding(&self, tolerance: u8) -> Result<MachineBinding, Error> {
        let known = self.known();
        let mut d = [0u8; 4];
        for c in known.iter() {
            d[usize::from(c.index())] = self.digests(c).iter().copied().min().unwrap_or(0);
        }
        // Fewer components known than the tolerance assumes: keep a majority that must
        // match, so two known components do not reduce to "the CPU alone is enough".
        let tolerance = tolerance.min(MachineBinding::majority_tolerance(known.len()));
        if !known.has_strong() {
            return Err(Error::InvalidLicense(
                "neither the OS install id, the hardware UUID nor a network adapter could be read: bind to a database code instead",
            ));
        }
        MachineBinding::new(known, d, tolerance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"test-app";

    fn machine(values: [Option<u8>; 4]) -> MachineFingerprint {
        let mut m = MachineFingerprint::unknown();
        for (c, v) in Component::ALL.into_iter().zip(values) {
            if let Some(v) = v {
                m.add(c, v);
            }
        }
        m
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
    fn k_of_n_rule() {
        let original = machine([Some(1), Some(2), Some(3), Some(4)]);
        let b = original.binding(1).unwrap();
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
        let two = machine([Some(1), None, Some(3), None]).binding(1).unwrap();
        assert_eq!((two.tolerance(), two.required_matches()), (0, 1));
        assert!(!two.check(&machine([None, None, Some(3), None])).is_match());
        assert!(two.check(&machine([Some(1), None, None, None])).is_match());
        assert!(!b.check(&machine([None, None, Some(3), None])).is_match());
        // Any one of several adapters matches.
        let mut nics = machine([Some(1), Some(2), Some(3), None]);
        for d in [7, 9, 4] {
            nics.add(Component::Network, d);
        }
        assert_eq!(b.check(&nics).matched, ComponentSet::ALL);
    }

    #[test]
    fn binding_rules() {
        assert!(MachineBinding::new(ComponentSet::EMPTY, [0; 4], 0).is_err());
        let cpu_only = ComponentSet::EMPTY.with(Component::Cpu);
        assert!(
            MachineBinding::new(cpu_only, [0; 4], 0).is_err(),
            "the CPU alone binds nothing"
        );
        assert!(machine([None, None, Some(5), None]).binding(0).is_err());
        assert!(MachineBinding::new(ComponentSet::ALL, [0; 4], 4).is_err());
        let one = ComponentSet::EMPTY.with(Component::OsInstallId);
        assert!(MachineBinding::new(one, [0; 4], 1).is_err());
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
            m.add(Component::Network, d);
        }
        assert_eq!(m.digests(Component::Network).len(), MAX_DIGESTS_PER_COMPONENT);
    }

    #[test]
    fn printable_form_round_trips() {
        let b = machine([Some(0xA1), Some(0x02), None, Some(0xFF)])
            .binding(1)
            .unwrap();
        let text = b.to_string();
        assert_eq!(MachineBinding::parse(&text), Ok(b));
        assert_eq!(MachineBinding::parse(&text.to_lowercase()), Ok(b));
        assert!(MachineBinding::parse("0000").is_err());
    }
}
