//! Machine fingerprints that tolerate change: per-component digests matched k of n.
//!
//! A machine is described by up to six components, each reduced to a digest keyed with an
//! application-specific key (24 bits kept; a format-2 code carries 16 or 24 of them, a
//! format-1 code 8). A code bound to a machine carries the digests of the machine it was
//! issued for and a tolerance (how many components may have changed or be unreadable).
//! Collecting the raw values is the host side's job (`license-verify`); this module
//! defines how they are normalized, hashed and matched, so that every implementation
//! agrees. See `docs/FORMAT.md`, "Machine binding".

use crate::binding::MachineBinding;
use crate::component::{COMPONENTS, Component, ComponentDigest, ComponentSet};
use crate::error::Error;
use crate::machine_match::MachineMatch;

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

/// Matching the host's fingerprint against a binding (the host side of `binding`).
impl MachineBinding {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::{component_digest, format_2_digest_bits, is_stable_mac, mac_digest};
    use crate::format::Format;

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
