//! The fingerprint a command prints, as the product will read it: `license-check
//! fingerprint` and `licensectl fingerprint` run as root read components (hardware UUID,
//! board serial) that a product running as a service user cannot, and a code bound to
//! them would be refused there. Both commands choose through [`for_the_product`].

use license_verify::fingerprint::CollectedFingerprint;
use license_verify::license_core::ComponentSet;

/// What a fingerprint command did about the components it read only as root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RootOnly {
    /// Nothing was read only because of root's privileges (not root, or no such component).
    None,
    /// Left out (the default): the product, running as a service user, will not read them.
    LeftOut(ComponentSet),
    /// Bound on request (`--as-root`): only for a product that itself runs as root.
    Bound(ComponentSet),
}

impl RootOnly {
    /// The components concerned (empty for [`RootOnly::None`]).
    pub fn components(self) -> ComponentSet {
        match self {
            RootOnly::None => ComponentSet::EMPTY,
            RootOnly::LeftOut(c) | RootOnly::Bound(c) => c,
        }
    }

    /// `none`, `left-out` or `bound`, for JSON.
    pub fn word(self) -> &'static str {
        match self {
            RootOnly::None => "none",
            RootOnly::LeftOut(_) => "left-out",
            RootOnly::Bound(_) => "bound",
        }
    }
}

impl core::fmt::Display for RootOnly {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            RootOnly::None => Ok(()),
            RootOnly::LeftOut(c) => write!(
                f,
                "Left out: {c}, readable only because this command runs as root; the product, running as a service user, will not read them. If the product runs as root, give --as-root."
            ),
            RootOnly::Bound(c) => write!(
                f,
                "Read as root and bound: {c}. A product running as a service user cannot read them: use this fingerprint only if the product runs as root."
            ),
        }
    }
}

/// The fingerprint to print from what was `read`: by default what the product reads as a
/// service user; with `as_root` everything read, said so.
pub fn for_the_product(read: CollectedFingerprint, as_root: bool) -> (CollectedFingerprint, RootOnly) {
    let privileged = read.privileged();
    if privileged.is_empty() {
        (read, RootOnly::None)
    } else if as_root {
        (read, RootOnly::Bound(privileged))
    } else {
        (read.as_service_user(), RootOnly::LeftOut(privileged))
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use license_verify::fingerprint::{LinuxSources, collect_from};
    use license_verify::license_core::Component;

    use super::*;

    /// A machine whose hardware UUID and board serial only root may read, collected as root.
    fn read_as_root(dir: &std::path::Path) -> CollectedFingerprint {
        let file = |name: &str, text: &str, mode: u32| {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
            p.to_str().unwrap().to_owned()
        };
        let mid = file("machine-id", "0123456789abcdef0123456789abcdef\n", 0o444);
        let uuid = file("product_uuid", "4c4c4544-0038-3510-8052-b4c04f4e4d32\n", 0o400);
        let serial = file("board_serial", "CN7475149B0123\n", 0o400);
        let cpu = file(
            "cpuinfo",
            "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6338\n",
            0o444,
        );
        let none = dir.join("none").to_str().unwrap().to_owned();
        let sources = LinuxSources {
            machine_id: [&mid, &none],
            product_uuid: &uuid,
            net: &none,
            board_serial: &serial,
            root: &none,
            cpuinfo: &cpu,
            mountinfo: &none,
            by_uuid: &none,
            sys_dev_block: &none,
            dev: &none,
            as_root: Some(true),
        };
        collect_from(b"demo-erp", &sources)
    }

    #[test]
    fn root_only_components_are_left_out_unless_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let read = read_as_root(dir.path());
        let root_only = ComponentSet::EMPTY
            .with(Component::HardwareUuid)
            .with(Component::BoardSerial);
        let (left, note) = for_the_product(read.clone(), false);
        assert_eq!(note, RootOnly::LeftOut(root_only));
        assert!(!left.fingerprint().known().contains(Component::HardwareUuid));
        assert!(note.to_string().contains("--as-root"), "{note}");
        let (all, note) = for_the_product(read.clone(), true);
        assert_eq!(note, RootOnly::Bound(root_only));
        assert_eq!(all.fingerprint(), read.fingerprint());
        // Nothing read through privileges: nothing to say, the fingerprint unchanged.
        let (same, note) = for_the_product(left.clone(), false);
        assert_eq!((note, same.fingerprint()), (RootOnly::None, left.fingerprint()));
        assert_eq!(note.to_string(), "");
    }
}
