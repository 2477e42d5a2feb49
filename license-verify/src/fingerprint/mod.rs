//! This machine's fingerprint: each component read, normalized and hashed on its own
//! with `license-core`'s rules; unreadable components count as unknown.
//!
//! | component        | Linux                                                   | Windows (untested)      | macOS (untested)          |
//! |------------------|---------------------------------------------------------|-------------------------|---------------------------|
//! | OS install id    | `/etc/machine-id`, else `/var/lib/dbus/machine-id`      | `MachineGuid` (`reg`)   | `IOPlatformUUID` (`ioreg`)|
//! | hardware UUID    | `/sys/class/dmi/id/product_uuid` (root only)            | unknown                 | unknown                   |
//! | CPU              | `/proc/cpuinfo`: brand and physical core count          | sysinfo (same values)   | sysinfo                   |
//! | network adapters | `/sys/class/net/*/address` of adapters with a `device`  | sysinfo `Networks`      | sysinfo `Networks`        |
//! | root file system | UUID of `/`'s file system (every user, see below)       | system drive's volume serial (`vol`) | `Volume UUID` of `/` (`diskutil info /`) |
//! | board serial     | `/sys/class/dmi/id/board_serial` (root only)            | unknown (no registry source) | `IOPlatformSerialNumber` (`ioreg`) |
//!
//! The root file system (Linux): the mount of `/` in `/proc/self/mountinfo`, its UUID from
//! the `/dev/disk/by-uuid` link to its device (every user), else the superblock (ext2/3/4,
//! XFS, Btrfs; root), else for ext2/3/4 `statvfs`'s id (derived from the UUID; the same
//! value). Btrfs: `statvfs`'s id (UUID and subvolume). Never a device number (XFS's
//! `statvfs` id is one); no UUID of its own (overlay, tmpfs, a bind-mounted container
//! root, ZFS, NFS): unknown.
//!
//! Run as root (Linux), a component read from a file other users may not read (the hardware
//! UUID, the board serial) is marked as read only through privileges
//! ([`CollectedFingerprint::privileged`]); [`CollectedFingerprint::as_service_user`] is the
//! set a product running as a service user reads.
//!
//! Network adapters without a device (bridges, veth, tun, docker, VPN) and locally
//! administered or multicast MACs are left out. Collection reads a handful of small
//! files and never lists processes.

use std::fmt;
use std::io;

use license_core::{
    COMPONENTS, Component, ComponentDigest, ComponentSet, MachineBinding, MachineFingerprint,
};

#[cfg(target_os = "linux")]
mod linux;
mod other;

/// A component as read: its source and digests, or why it is unknown.
type Part = Result<(&'static str, Vec<ComponentDigest>), Unknown>;

/// How a component of the fingerprint was obtained.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Read and hashed.
    Read {
        /// Where it was read from.
        source: &'static str,
        /// How many values (network adapters: one per physical adapter, at most 8).
        values: usize,
    },
    /// Could not be read: unknown. A format-2 code counts a bound component that is
    /// unknown against its tolerance (like a changed one); format 1 counted it neither way.
    Unknown(Unknown),
}

/// Why a component is unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unknown {
    /// The source does not exist on this machine (common in containers and VMs).
    Missing(&'static str),
    /// The source exists but this user may not read it (the hardware UUID needs root on Linux).
    PermissionDenied(&'static str),
    /// Read only because this process runs as root, and left out of the set a service user
    /// reads ([`CollectedFingerprint::as_service_user`]).
    RootOnly(&'static str),
    /// The source holds no usable value (empty, all zeros, a placeholder).
    Placeholder(&'static str),
    /// No physical network adapter with a globally administered MAC address.
    NoStableAdapter {
        /// Adapters left out as virtual (no device) or loopback.
        virtual_adapters: usize,
        /// Adapters left out for a locally administered or multicast MAC.
        unstable_macs: usize,
    },
    /// This platform has no source for the component.
    Unsupported,
    /// The root file system has no UUID of its own to read: no block device (overlay,
    /// tmpfs, a network or FUSE file system, ZFS), a directory of another file system
    /// (a container's or chroot's root), or a UUID no source gives.
    NoFileSystemUuid {
        /// The file system type from the mount table (`overlay`, `tmpfs`, `xfs`, ...).
        fs_type: String,
    },
    /// Reading failed.
    Failed {
        /// What was read.
        source: &'static str,
        /// The I/O error kind.
        kind: io::ErrorKind,
    },
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unknown::Missing(s) => write!(f, "{s} does not exist"),
            Unknown::PermissionDenied(s) => write!(f, "{s} is readable only by an administrator"),
            Unknown::RootOnly(s) => write!(
                f,
                "left out: {s} was readable only because this runs as root, and the product running as a service user cannot read it"
            ),
            Unknown::Placeholder(s) => write!(f, "{s} holds no usable value"),
            Unknown::NoStableAdapter {
                virtual_adapters,
                unstable_macs,
            } => write!(
                f,
                "no physical adapter with a fixed MAC address ({virtual_adapters} virtual, {unstable_macs} with a locally administered MAC left out)"
            ),
            Unknown::Unsupported => f.write_str("not available on this platform"),
            Unknown::NoFileSystemUuid { fs_type } => write!(
                f,
                "the root file system ({fs_type}) has no UUID of its own here (a container, an overlay, or a directory of another file system)"
            ),
            Unknown::Failed { source, kind } => write!(f, "reading {source} failed ({kind})"),
        }
    }
}

/// One component's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentReport {
    /// The component.
    pub component: Component,
    /// Read or unknown, and why.
    pub outcome: Outcome,
    /// Read only because this process runs as root (Linux: the source is not readable by
    /// other users, e.g. the hardware UUID and the board serial); a product running as a
    /// service user cannot read it.
    pub privileged: bool,
}

impl Unknown {
    /// Whether the source exists and only this user cannot read it (no permission, or
    /// left out as readable only by root): what [`crate::VerifierBuilder::tolerate_unreadable`]
    /// may tolerate. A missing source or a placeholder is not merely unreadable.
    pub const fn is_merely_unreadable(&self) -> bool {
        matches!(self, Unknown::PermissionDenied(_) | Unknown::RootOnly(_))
    }
}

/// This machine's fingerprint with a per-component report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectedFingerprint {
    fingerprint: MachineFingerprint,
    reports: [ComponentReport; COMPONENTS],
}

/// Tolerance used for the printable fingerprint: one component may change.
pub const DEFAULT_TOLERANCE: u8 = 1;

impl CollectedFingerprint {
    /// The digests, for `license_core::Context::with_machine`.
    pub const fn fingerprint(&self) -> &MachineFingerprint {
        &self.fingerprint
    }

    /// The outcome per component, in component order.
    pub const fn reports(&self) -> &[ComponentReport; COMPONENTS] {
        &self.reports
    }

    /// The components read only because this process runs as root.
    pub fn privileged(&self) -> ComponentSet {
        self.reports
            .iter()
            .filter(|r| r.privileged)
            .fold(ComponentSet::EMPTY, |s, r| s.with(r.component))
    }

    /// The components this process could not read although they exist (see
    /// [`Unknown::is_merely_unreadable`]).
    pub fn merely_unreadable(&self) -> ComponentSet {
        self.reports
            .iter()
            .filter(|r| matches!(&r.outcome, Outcome::Unknown(u) if u.is_merely_unreadable()))
            .fold(ComponentSet::EMPTY, |s, r| s.with(r.component))
    }

    /// What the product reads when it runs as a service user: the components read only
    /// through root's privileges ([`CollectedFingerprint::privileged`]) become unknown
    /// ([`Unknown::RootOnly`]). The fingerprint a vendor binds when the command that takes
    /// it runs as root but the product does not.
    pub fn as_service_user(&self) -> CollectedFingerprint {
        let mut out = self.clone();
        for r in &mut out.reports {
            if r.privileged {
                out.fingerprint.clear(r.component);
                if let Outcome::Read { source, .. } = r.outcome {
                    r.outcome = Outcome::Unknown(Unknown::RootOnly(source));
                }
                r.privileged = false;
            }
        }
        out
    }

    /// The same fingerprint, tolerating the components of `allowed` that this process
    /// merely cannot read (`MachineFingerprint::tolerate_unreadable`).
    pub fn tolerating(&self, allowed: ComponentSet) -> CollectedFingerprint {
        let mut out = self.clone();
        out.fingerprint
            .tolerate_unreadable(allowed.intersection(self.merely_unreadable()));
        out
    }

    /// What the vendor binds a code to, allowing `tolerance` changed components
    /// (reduced when fewer components are known). Its `Display` is the printable form
    /// the customer sends to the vendor; the vendor reads it with `MachineBinding::parse`.
    pub fn binding(&self, tolerance: u8) -> Result<MachineBinding, license_core::Error> {
        self.fingerprint.binding(tolerance)
    }

    fn from_parts(parts: [(Component, Part); COMPONENTS]) -> CollectedFingerprint {
        let mut fingerprint = MachineFingerprint::unknown();
        let reports = parts.map(|(component, part)| {
            let outcome = match part {
                Ok((source, mut digests)) if !digests.is_empty() => {
                    // Smallest first, so the kept eight do not depend on listing order.
                    digests.sort_unstable();
                    digests.dedup();
                    for d in &digests {
                        fingerprint.add(component, *d);
                    }
                    Outcome::Read {
                        source,
                        values: fingerprint.digests(component).len(),
                    }
                }
                Ok((source, _)) => Outcome::Unknown(Unknown::Placeholder(source)),
                Err(why) => Outcome::Unknown(why),
            };
            ComponentReport {
                component,
                outcome,
                privileged: false,
            }
        });
        CollectedFingerprint { fingerprint, reports }
    }
}

/// A plain-words report: the printable fingerprint for a tolerance, then one line per
/// component (read, or unknown and why). See [`CollectedFingerprint::describe`].
#[derive(Clone, Copy, Debug)]
pub struct FingerprintReport<'a> {
    collected: &'a CollectedFingerprint,
    tolerance: u8,
}

impl CollectedFingerprint {
    /// The report with the printable fingerprint allowing `tolerance` changed components.
    pub const fn describe(&self, tolerance: u8) -> FingerprintReport<'_> {
        FingerprintReport {
            collected: self,
            tolerance,
        }
    }
}

impl fmt::Display for FingerprintReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.collected.binding(self.tolerance) {
            Ok(b) => writeln!(f, "Machine fingerprint: {b}")?,
            Err(_) => writeln!(
                f,
                "Machine fingerprint: none (no component could be read; ask for a license bound to a database code instead)"
            )?,
        }
        for r in &self.collected.reports {
            match &r.outcome {
                Outcome::Read { source, .. } if r.privileged => writeln!(
                    f,
                    "  {:<17} read ({source}) only because this runs as root: a product running as a service user cannot read it",
                    r.component.name()
                )?,
                Outcome::Read { source, values: 1 } => {
                    writeln!(f, "  {:<17} read ({source})", r.component.name())?
                }
                Outcome::Read { source, values } => {
                    writeln!(f, "  {:<17} read, {values} values ({source})", r.component.name())?
                }
                Outcome::Unknown(why) => writeln!(f, "  {:<17} unknown: {why}", r.component.name())?,
            }
        }
        Ok(())
    }
}

/// The report with [`DEFAULT_TOLERANCE`].
impl fmt::Display for CollectedFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(DEFAULT_TOLERANCE).fmt(f)
    }
}

/// Collect this machine's fingerprint, each component hashed with `app_key` (an
/// application-specific key, by default the product id, so two products cannot
/// correlate machines). Never fails: what cannot be read is reported as unknown. Run as
/// root, the components read only through root's privileges are marked
/// ([`CollectedFingerprint::privileged`]).
#[cfg(target_os = "linux")]
pub fn collect(app_key: &[u8]) -> CollectedFingerprint {
    collect_from(app_key, &LinuxSources::SYSTEM)
}

/// Collect this machine's fingerprint (see the Linux version).
#[cfg(not(target_os = "linux"))]
pub fn collect(app_key: &[u8]) -> CollectedFingerprint {
    CollectedFingerprint::from_parts([
        (Component::OsInstallId, os_install_id(app_key)),
        (Component::HardwareUuid, hardware_uuid(app_key)),
        (Component::Cpu, cpu(app_key)),
        (Component::Network, network(app_key)),
        (Component::RootFileSystem, root_file_system(app_key)),
        (Component::BoardSerial, board_serial(app_key)),
    ])
}

/// Where the Linux collector reads each component: the system's paths by default
/// ([`LinuxSources::SYSTEM`]); tests and containers point them elsewhere.
#[cfg(target_os = "linux")]
#[derive(Clone, Copy, Debug)]
pub struct LinuxSources<'a> {
    /// The machine-id files, in order of preference.
    pub machine_id: [&'a str; 2],
    /// The DMI product UUID file.
    pub product_uuid: &'a str,
    /// The directory of network adapters (`/sys/class/net`).
    pub net: &'a str,
    /// The DMI board serial file.
    pub board_serial: &'a str,
    /// A directory on the root file system (`/`), whose file system's UUID is read.
    pub root: &'a str,
    /// `/proc/cpuinfo`.
    pub cpuinfo: &'a str,
    /// The mount table, `/proc/self/mountinfo`.
    pub mountinfo: &'a str,
    /// The directory of links named by file system UUIDs, `/dev/disk/by-uuid`.
    pub by_uuid: &'a str,
    /// The block devices by number, `/sys/dev/block`.
    pub sys_dev_block: &'a str,
    /// The device directory, `/dev` (superblocks, where readable).
    pub dev: &'a str,
    /// Whether this process runs as root (`None`: ask the system). As root, a file source
    /// that other users may not read is marked as read only through privileges.
    pub as_root: Option<bool>,
}

#[cfg(target_os = "linux")]
impl LinuxSources<'static> {
    /// The system's own paths.
    pub const SYSTEM: LinuxSources<'static> = LinuxSources {
        machine_id: linux::Sources::SYSTEM.machine_id,
        product_uuid: linux::Sources::SYSTEM.product_uuid,
        net: linux::Sources::SYSTEM.net,
        board_serial: linux::Sources::SYSTEM.board_serial,
        root: linux::Sources::SYSTEM.root,
        cpuinfo: linux::Sources::SYSTEM.cpuinfo,
        mountinfo: linux::Sources::SYSTEM.mountinfo,
        by_uuid: linux::Sources::SYSTEM.by_uuid,
        sys_dev_block: linux::Sources::SYSTEM.sys_dev_block,
        dev: linux::Sources::SYSTEM.dev,
        as_root: None,
    };
}

/// Collect from the given sources (Linux): the same as [`collect`], with every path
/// injected.
#[cfg(target_os = "linux")]
pub fn collect_from(app_key: &[u8], sources: &LinuxSources<'_>) -> CollectedFingerprint {
    let s = linux::Sources {
        machine_id: sources.machine_id,
        product_uuid: sources.product_uuid,
        net: sources.net,
        board_serial: sources.board_serial,
        root: sources.root,
        cpuinfo: sources.cpuinfo,
        mountinfo: sources.mountinfo,
        by_uuid: sources.by_uuid,
        sys_dev_block: sources.sys_dev_block,
        dev: sources.dev,
    };
    let mut collected = CollectedFingerprint::from_parts([
        (Component::OsInstallId, linux::os_install_id(app_key, &s)),
        (Component::HardwareUuid, linux::hardware_uuid(app_key, &s)),
        (Component::Cpu, linux::cpu(app_key, &s)),
        (Component::Network, linux::network(app_key, &s)),
        (Component::RootFileSystem, linux::root_file_system(app_key, &s)),
        (Component::BoardSerial, linux::board_serial(app_key, &s)),
    ]);
    let as_root = sources
        .as_root
        .unwrap_or_else(|| rustix::process::geteuid().is_root());
    if as_root {
        // The file sources: which of them other users may not read. The CPU, the network
        // adapters and the root file system come from world-readable sources.
        let first_machine_id = s
            .machine_id
            .into_iter()
            .find(|p| std::fs::metadata(p).is_ok())
            .unwrap_or(s.machine_id[0]);
        for (component, path) in [
            (Component::OsInstallId, first_machine_id),
            (Component::HardwareUuid, s.product_uuid),
            (Component::BoardSerial, s.board_serial),
        ] {
            let r = &mut collected.reports[usize::from(component.index())];
            r.privileged = matches!(r.outcome, Outcome::Read { .. }) && !readable_by_others(path);
        }
    }
    collected
}

/// Whether users other than the owner and group may read the file at `path` (its mode
/// has the "others may read" bit).
#[cfg(target_os = "linux")]
fn readable_by_others(path: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o004 != 0)
}

/// One digest from a raw value, or `Placeholder` if it carries no information.
fn digest_of(app_key: &[u8], c: Component, source: &'static str, raw: &str) -> Part {
    let raw = raw.trim();
    if raw.eq_ignore_ascii_case("uninitialized") {
        // systemd's placeholder before the first boot completes.
        return Err(Unknown::Placeholder(source));
    }
    license_core::component_digest(app_key, c, raw)
        .map(|d| (source, vec![d]))
        .ok_or(Unknown::Placeholder(source))
}

#[cfg_attr(not(any(target_os = "linux", windows, target_os = "macos")), allow(dead_code))]
fn io_unknown(source: &'static str, e: &io::Error) -> Unknown {
    match e.kind() {
        io::ErrorKind::NotFound => Unknown::Missing(source),
        io::ErrorKind::PermissionDenied => Unknown::PermissionDenied(source),
        kind => Unknown::Failed { source, kind },
    }
}

#[cfg(not(target_os = "linux"))]
fn cpu(app_key: &[u8]) -> Part {
    other::cpu(app_key)
}

#[cfg(not(target_os = "linux"))]
fn root_file_system(app_key: &[u8]) -> Part {
    other::root_file_system(app_key)
}
#[cfg(not(target_os = "linux"))]
fn board_serial(app_key: &[u8]) -> Part {
    other::board_serial(app_key)
}

#[cfg(not(target_os = "linux"))]
fn os_install_id(app_key: &[u8]) -> Part {
    other::os_install_id(app_key)
}
#[cfg(not(target_os = "linux"))]
fn hardware_uuid(_app_key: &[u8]) -> Part {
    Err(Unknown::Unsupported)
}
#[cfg(not(target_os = "linux"))]
fn network(app_key: &[u8]) -> Part {
    other::network(app_key)
}

#[cfg(test)]
mod os_output_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: u8) -> ComponentDigest {
        ComponentDigest::from_bytes([v, v, v])
    }

    #[test]
    fn parts_become_a_fingerprint_and_a_report() {
        let key = b"app";
        let c = CollectedFingerprint::from_parts([
            (
                Component::OsInstallId,
                digest_of(key, Component::OsInstallId, "id", "3d1219c7c4c5404a\n"),
            ),
            (Component::HardwareUuid, Err(Unknown::PermissionDenied("uuid"))),
            (Component::Cpu, Ok(("cpu", vec![d(9), d(3), d(9)]))),
            (Component::Network, Ok(("net", vec![]))),
            (Component::RootFileSystem, Ok(("fs", vec![d(7)]))),
            (Component::BoardSerial, Err(Unknown::PermissionDenied("serial"))),
        ]);
        assert_eq!(c.fingerprint().digests(Component::Cpu), &[d(3), d(9)]);
        assert_eq!(
            c.reports()[2].outcome,
            Outcome::Read {
                source: "cpu",
                values: 2
            }
        );
        assert_eq!(
            c.reports()[3].outcome,
            Outcome::Unknown(Unknown::Placeholder("net"))
        );
        assert_eq!(c.fingerprint().known().len(), 3);
        let text = c.to_string();
        assert!(
            text.contains("hardware UUID     unknown: uuid is readable only by an administrator"),
            "{text}"
        );
        let printed = c.binding(DEFAULT_TOLERANCE).unwrap().to_string();
        assert!(text.contains(&printed));
        assert_eq!(license_core::MachineBinding::parse(&printed), c.binding(1));
        assert_eq!(
            digest_of(key, Component::OsInstallId, "id", "uninitialized\n"),
            Err(Unknown::Placeholder("id"))
        );
        assert_eq!(
            digest_of(key, Component::OsInstallId, "id", "0000\n"),
            Err(Unknown::Placeholder("id"))
        );
    }

    #[test]
    fn only_merely_unreadable_components_are_tolerated() {
        let c = CollectedFingerprint::from_parts([
            (Component::OsInstallId, Ok(("id", vec![d(1)]))),
            (Component::HardwareUuid, Err(Unknown::PermissionDenied("uuid"))),
            (Component::Cpu, Ok(("cpu", vec![d(2)]))),
            (Component::Network, Err(Unknown::Missing("net"))),
            (Component::RootFileSystem, Err(Unknown::Placeholder("fs"))),
            (Component::BoardSerial, Err(Unknown::RootOnly("serial"))),
        ]);
        let unreadable = ComponentSet::EMPTY
            .with(Component::HardwareUuid)
            .with(Component::BoardSerial);
        assert_eq!(c.merely_unreadable(), unreadable);
        // Asked for everything: only what exists but cannot be read is tolerated.
        let t = c.tolerating(ComponentSet::ALL);
        assert_eq!(t.fingerprint().tolerated_unreadable(), unreadable);
        assert_eq!(
            c.tolerating(ComponentSet::EMPTY.with(Component::Network))
                .fingerprint()
                .tolerated_unreadable(),
            ComponentSet::EMPTY
        );
        assert!(c.privileged().is_empty());
    }

    #[test]
    fn nothing_known_is_reported_not_an_error() {
        let c = CollectedFingerprint::from_parts(Component::ALL.map(|c| (c, Err(Unknown::Unsupported))));
        assert!(c.binding(1).is_err());
        assert!(c.to_string().contains("Machine fingerprint: none"));
    }
}
