//! Linux sources: machine-id files, sysfs and the root file system's UUID (mountinfo,
//! `/dev/disk/by-uuid`, the superblock, and `statvfs` for ext2/3/4 and Btrfs).
//! Paths are parameters so tests can point them at a fake tree.

use std::fs;

use license_core::Component;

use super::{Part, Unknown, digest_of, io_unknown};

/// Where the Linux components are read from.
pub(crate) struct Sources<'a> {
    pub machine_id: [&'a str; 2],
    pub product_uuid: &'a str,
    pub net: &'a str,
    pub board_serial: &'a str,
    /// The directory whose file system identifies the installation (`/`).
    pub root: &'a str,
    /// `/proc/cpuinfo`.
    pub cpuinfo: &'a str,
    /// `/proc/self/mountinfo`.
    pub mountinfo: &'a str,
    /// `/dev/disk/by-uuid`.
    pub by_uuid: &'a str,
    /// `/sys/dev/block`.
    pub sys_dev_block: &'a str,
    /// `/dev`, for the superblock.
    pub dev: &'a str,
}

impl Sources<'static> {
    pub const SYSTEM: Sources<'static> = Sources {
        machine_id: ["/etc/machine-id", "/var/lib/dbus/machine-id"],
        product_uuid: "/sys/class/dmi/id/product_uuid",
        net: "/sys/class/net",
        board_serial: "/sys/class/dmi/id/board_serial",
        root: "/",
        cpuinfo: "/proc/cpuinfo",
        mountinfo: "/proc/self/mountinfo",
        by_uuid: "/dev/disk/by-uuid",
        sys_dev_block: "/sys/dev/block",
        dev: "/dev",
    };
}

/// The CPU from `/proc/cpuinfo`: the first processor's `model name` and the number of
/// distinct (`physical id`, `core id`) pairs (a processor without them counts as one
/// core), exactly as sysinfo reads them, so codes bound before keep matching. Without a
/// `model name` (ARM, where sysinfo names the part), sysinfo is asked.
pub(crate) fn cpu(app_key: &[u8], s: &Sources<'_>) -> Part {
    const SOURCE: &str = "/proc/cpuinfo";
    let text = fs::read_to_string(s.cpuinfo).map_err(|e| io_unknown(SOURCE, &e))?;
    match parse_cpuinfo(&text) {
        Some((brand, cores)) => digest_of(
            app_key,
            Component::Cpu,
            SOURCE,
            &super::other::cpu_raw(brand, cores),
        ),
        None => super::other::cpu(app_key),
    }
}

/// Brand and physical core count from the text of `/proc/cpuinfo`.
pub(crate) fn parse_cpuinfo(text: &str) -> Option<(&str, usize)> {
    fn value(line: &str) -> &str {
        line.split_once(':').map_or("", |(_, v)| v.trim())
    }
    let brand = text
        .lines()
        .find(|l| l.starts_with("model name"))
        .map(value)
        .filter(|b| !b.is_empty())?;
    let mut cores = std::collections::HashSet::new();
    let (mut core, mut physical, mut processor) = ("", "", "");
    let mut add = |core: &mut &str, physical: &mut &str, processor: &mut &str| {
        if !core.is_empty() && !physical.is_empty() {
            cores.insert(format!("{core} {physical}"));
        } else if !processor.is_empty() {
            cores.insert((*processor).to_owned());
        }
        (*core, *physical, *processor) = ("", "", "");
    };
    for line in text.lines() {
        if line.is_empty() {
            add(&mut core, &mut physical, &mut processor);
        } else if line.starts_with("processor") {
            processor = value(line);
        } else if line.starts_with("core id") {
            core = value(line);
        } else if line.starts_with("physical id") {
            physical = value(line);
        }
    }
    add(&mut core, &mut physical, &mut processor);
    Some((brand, cores.len()))
}

/// The main board's serial from sysfs (readable only by root on most distributions).
pub(crate) fn board_serial(app_key: &[u8], s: &Sources<'_>) -> Part {
    const SOURCE: &str = "/sys/class/dmi/id/board_serial";
    match fs::read_to_string(s.board_serial) {
        Ok(raw) => digest_of(app_key, Component::BoardSerial, SOURCE, &raw),
        Err(e) => Err(io_unknown(SOURCE, &e)),
    }
}

/// The root file system's identity: its UUID, never a device number.
///
/// The mount holding `s.root` is looked up in `/proc/self/mountinfo`. Its UUID is read,
/// in this order, from the `/dev/disk/by-uuid` link naming its block device (every user
/// may read the link names), from the file system's superblock on the device (ext2/3/4,
/// XFS, Btrfs; usually readable only by root), or, for ext2/3/4 only, from `statvfs`,
/// whose id ext4 derives from the UUID. All three give the same value: the UUID's two
/// little-endian 64-bit halves XORed, as 16 hex digits, which is exactly ext4's `statvfs`
/// id, so ext4 digests bound before are unchanged. Btrfs keeps its `statvfs` id (derived
/// from the UUID and the subvolume). Unknown: a root without a block device (overlay,
/// tmpfs, network and FUSE file systems, ZFS), a root that is a directory of another file
/// system (a bind-mounted container or chroot), and a file system whose UUID none of the
/// sources gives. `statvfs` is never used for XFS and the others, where its id is made
/// from the device number (two XFS file systems on one device shared it).
pub(crate) fn root_file_system(app_key: &[u8], s: &Sources<'_>) -> Part {
    let (source, raw) = root_fs_value(s)?;
    digest_of(app_key, Component::RootFileSystem, source, &raw)
}

/// The source and the raw value of the root file system component.
fn root_fs_value(s: &Sources<'_>) -> Result<(&'static str, String), Unknown> {
    const MOUNTINFO: &str = "/proc/self/mountinfo";
    let target = fs::canonicalize(s.root).map_err(|e| io_unknown("the root directory", &e))?;
    let Ok(table) = fs::read_to_string(s.mountinfo) else {
        // No mount table (a restricted /proc): only ext2/3/4, by its magic, via statvfs.
        return statvfs_value(s, EXT_MAGIC_ONLY);
    };
    let mount = find_mount(&table, target.to_str().unwrap_or("/")).ok_or(Unknown::Missing(MOUNTINFO))?;
    let no_uuid = || Unknown::NoFileSystemUuid {
        fs_type: mount.fs_type.to_owned(),
    };
    if mount.fs_type == "btrfs" {
        // A subvolume is mounted with its path as the mount's root; anything else below
        // the file system's root is a bind mount (a container's root).
        let subvol = mount
            .super_options
            .split(',')
            .find_map(|o| o.strip_prefix("subvol="));
        if mount.root != "/" && Some(mount.root) != subvol {
            return Err(no_uuid());
        }
        return statvfs_value(s, "btrfs").map_err(|_| no_uuid());
    }
    if mount.root != "/" || mount.major == 0 {
        // A directory of another file system, or no block device (overlay, tmpfs, NFS).
        return Err(no_uuid());
    }
    let device = device_name(s, mount.major, mount.minor);
    if let Some(uuid) = device.as_deref().and_then(|d| uuid_from_links(s, d)) {
        return Ok(("/dev/disk/by-uuid", root_fs_raw(fold_uuid(&uuid))));
    }
    if let Some(uuid) = device.as_deref().and_then(|d| uuid_from_superblock(s, d)) {
        return Ok(("superblock", root_fs_raw(fold_uuid(&uuid))));
    }
    if matches!(mount.fs_type, "ext2" | "ext3" | "ext4") {
        return statvfs_value(s, mount.fs_type).map_err(|_| no_uuid());
    }
    Err(no_uuid())
}

/// `fs_type` for [`statvfs_value`] when the mount table could not be read: accept the id
/// only from a file system whose magic says ext2/3/4.
const EXT_MAGIC_ONLY: &str = "";

/// The `statvfs` id of `s.root`: for ext2/3/4 (and Btrfs) derived from the UUID.
fn statvfs_value(s: &Sources<'_>, fs_type: &str) -> Result<(&'static str, String), Unknown> {
    const SOURCE: &str = "statvfs(/)";
    if fs_type == EXT_MAGIC_ONLY {
        let st = rustix::fs::statfs(s.root).map_err(|e| io_unknown(SOURCE, &std::io::Error::from(e)))?;
        // EXT2_SUPER_MAGIC, shared by ext2, ext3 and ext4.
        if st.f_type as i64 != 0xEF53 {
            return Err(Unknown::Missing("/proc/self/mountinfo"));
        }
    }
    let st = rustix::fs::statvfs(s.root).map_err(|e| io_unknown(SOURCE, &std::io::Error::from(e)))?;
    if st.f_fsid == 0 {
        return Err(Unknown::Placeholder(SOURCE));
    }
    Ok((SOURCE, root_fs_raw(st.f_fsid)))
}

/// One line of `/proc/self/mountinfo`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Mount<'a> {
    pub major: u32,
    pub minor: u32,
    /// The directory of the file system that is mounted (`/` for the whole file system).
    pub root: &'a str,
    pub mount_point: String,
    pub fs_type: &'a str,
    pub super_options: &'a str,
}

/// Parse one mountinfo line: `id parent major:minor root mount-point options [optional
/// fields] - type source super-options`.
pub(crate) fn parse_mount(line: &str) -> Option<Mount<'_>> {
    let mut fields = line.split(' ');
    let _id = fields.next()?;
    let _parent = fields.next()?;
    let (major, minor) = fields.next()?.split_once(':')?;
    let root = fields.next()?;
    let mount_point = unescape(fields.next()?);
    let _options = fields.next()?;
    // Optional fields up to the separator.
    fields.by_ref().find(|f| *f == "-")?;
    let fs_type = fields.next()?;
    let _source = fields.next()?;
    let super_options = fields.next().unwrap_or("");
    Some(Mount {
        major: major.parse().ok()?,
        minor: minor.parse().ok()?,
        root,
        mount_point,
        fs_type,
        super_options,
    })
}

/// mountinfo writes space, tab, newline and backslash as `\040`, `\011`, `\012`, `\134`.
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 4).and_then(|o| u8::from_str_radix(o, 8).ok());
        match code {
            Some(b) => {
                out.push(char::from(b));
                rest = &rest[i + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The mount that holds `path`: the longest mount point that is `path` or a parent of it;
/// of several mounts on one point, the last (the one on top).
pub(crate) fn find_mount<'a>(table: &'a str, path: &str) -> Option<Mount<'a>> {
    let holds = |m: &Mount<'_>| {
        m.mount_point == "/"
            || path == m.mount_point
            || path
                .strip_prefix(m.mount_point.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    };
    let mut best: Option<Mount<'a>> = None;
    for m in table.lines().filter_map(parse_mount).filter(holds) {
        if best
            .as_ref()
            .is_none_or(|b| m.mount_point.len() >= b.mount_point.len())
        {
            best = Some(m);
        }
    }
    best
}

/// The kernel's name of the block device `major:minor` (`vda1`, `dm-0`, `loop3`), from
/// the `/sys/dev/block` link.
fn device_name(s: &Sources<'_>, major: u32, minor: u32) -> Option<String> {
    let link = std::path::Path::new(s.sys_dev_block).join(format!("{major}:{minor}"));
    let target = fs::canonicalize(link).ok()?;
    Some(target.file_name()?.to_str()?.to_owned())
}

/// The UUID whose `/dev/disk/by-uuid` link leads to the device named `device`.
fn uuid_from_links(s: &Sources<'_>, device: &str) -> Option<[u8; 16]> {
    for entry in fs::read_dir(s.by_uuid).ok()?.flatten() {
        let Ok(target) = fs::canonicalize(entry.path()) else {
            continue;
        };
        if target.file_name().and_then(|n| n.to_str()) == Some(device)
            && let Some(uuid) = entry.file_name().to_str().and_then(parse_uuid)
        {
            return Some(uuid);
        }
    }
    None
}

/// A 16-byte UUID written as 32 hex digits, with or without dashes.
pub(crate) fn parse_uuid(text: &str) -> Option<[u8; 16]> {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The UUID in the superblock of the device named `device` (readable by root).
fn uuid_from_superblock(s: &Sources<'_>, device: &str) -> Option<[u8; 16]> {
    use std::io::Read;
    let file = fs::File::open(std::path::Path::new(s.dev).join(device)).ok()?;
    let mut head = Vec::with_capacity(SUPERBLOCK_READ);
    file.take(SUPERBLOCK_READ as u64).read_to_end(&mut head).ok()?;
    superblock_uuid(&head)
}

/// How much of a device is read for its superblock (Btrfs's is at 64 KiB).
const SUPERBLOCK_READ: usize = 0x10000 + 0x1000;

/// The file system UUID in the first bytes of a device: ext2/3/4 (magic `0xEF53` at
/// 1024 + 0x38, UUID at 1024 + 0x68), XFS (`XFSB` at 0, UUID at 32), Btrfs (`_BHRfS_M` at
/// 64 KiB + 0x40, fsid at 64 KiB + 0x20). An all-zero UUID is none.
pub(crate) fn superblock_uuid(head: &[u8]) -> Option<[u8; 16]> {
    let at = |offset: usize| -> Option<[u8; 16]> { head.get(offset..offset + 16)?.try_into().ok() };
    let uuid = if head.get(1024 + 0x38..1024 + 0x3A) == Some(&[0x53, 0xEF][..]) {
        at(1024 + 0x68)
    } else if head.get(..4) == Some(&b"XFSB"[..]) {
        at(32)
    } else if head.get(0x10000 + 0x40..0x10000 + 0x48) == Some(&b"_BHRfS_M"[..]) {
        at(0x10000 + 0x20)
    } else {
        None
    }?;
    (uuid != [0; 16]).then_some(uuid)
}

/// The value hashed for a UUID: its two little-endian 64-bit halves XORed, which is how
/// ext4 derives its `statvfs` id from the UUID (so both sources give one digest).
pub(crate) fn fold_uuid(uuid: &[u8; 16]) -> u64 {
    let half = |r: &[u8]| u64::from_le_bytes(r.try_into().unwrap_or([0; 8]));
    half(&uuid[..8]) ^ half(&uuid[8..])
}

/// The raw root file system value that is hashed: the id as 16 lower-case hex digits.
pub(crate) fn root_fs_raw(fsid: u64) -> String {
    format!("{fsid:016x}")
}

/// The first machine-id file that can be read (the D-Bus copy when `/etc/machine-id`
/// is missing or unreadable). An empty or placeholder file is not skipped: it makes the
/// component unknown.
pub(crate) fn os_install_id(app_key: &[u8], s: &Sources<'_>) -> Part {
    let mut why = Unknown::Missing("machine-id");
    for path in s.machine_id {
        match fs::read_to_string(path) {
            Ok(raw) => return digest_of(app_key, Component::OsInstallId, "machine-id", &raw),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => why = io_unknown("machine-id", &e),
        }
    }
    Err(why)
}

pub(crate) fn hardware_uuid(app_key: &[u8], s: &Sources<'_>) -> Part {
    const SOURCE: &str = "/sys/class/dmi/id/product_uuid";
    match fs::read_to_string(s.product_uuid) {
        Ok(raw) => digest_of(app_key, Component::HardwareUuid, SOURCE, &raw),
        Err(e) => Err(io_unknown(SOURCE, &e)),
    }
}

/// `aa:bb:cc:dd:ee:ff`; anything else (InfiniBand's 20 bytes, garbage) is `None`.
pub(crate) fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let mut mac = [0u8; 6];
    let mut parts = s.trim().split(':');
    for b in &mut mac {
        let p = parts.next()?;
        if p.len() != 2 {
            return None;
        }
        *b = u8::from_str_radix(p, 16).ok()?;
    }
    parts.next().is_none().then_some(mac)
}

/// Physical adapters only: an entry of `/sys/class/net` without a `device` link is
/// virtual (loopback, bridge, veth, tun/tap, bond, docker, VPN).
pub(crate) fn network(app_key: &[u8], s: &Sources<'_>) -> Part {
    const SOURCE: &str = "/sys/class/net";
    let dir = fs::read_dir(s.net).map_err(|e| io_unknown(SOURCE, &e))?;
    let (mut virtual_adapters, mut unstable_macs) = (0, 0);
    let mut digests = Vec::new();
    for entry in dir.flatten() {
        let path = entry.path();
        if fs::symlink_metadata(path.join("device")).is_err() {
            virtual_adapters += 1;
            continue;
        }
        let Some(mac) = fs::read_to_string(path.join("address"))
            .ok()
            .as_deref()
            .and_then(parse_mac)
        else {
            unstable_macs += 1;
            continue;
        };
        match license_core::mac_digest(app_key, mac) {
            Some(d) => digests.push(d),
            None => unstable_macs += 1,
        }
    }
    if digests.is_empty() {
        return Err(Unknown::NoStableAdapter {
            virtual_adapters,
            unstable_macs,
        });
    }
    Ok((SOURCE, digests))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Sources that exist nowhere.
    const NOWHERE: Sources<'static> = Sources {
        machine_id: ["/nonexistent", "/nonexistent"],
        product_uuid: "/nonexistent",
        net: "/nonexistent",
        board_serial: "/nonexistent",
        root: "/nonexistent",
        cpuinfo: "/nonexistent",
        mountinfo: "/nonexistent",
        by_uuid: "/nonexistent",
        sys_dev_block: "/nonexistent",
        dev: "/nonexistent",
    };

    fn adapter(root: &Path, name: &str, mac: &str, physical: bool) {
        let dir = root.join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("address"), format!("{mac}\n")).unwrap();
        if physical {
            fs::create_dir(dir.join("device")).unwrap();
        }
    }

    #[test]
    fn virtual_and_locally_administered_adapters_are_left_out() {
        let tmp = tempfile::tempdir().unwrap();
        let net = tmp.path().join("net");
        adapter(&net, "lo", "00:00:00:00:00:00", false);
        adapter(&net, "docker0", "02:42:ac:11:00:02", false);
        adapter(&net, "veth1", "00:1b:21:aa:bb:cc", false);
        adapter(&net, "eth0", "00:1b:21:3a:4f:10", true);
        adapter(&net, "eth1", "3c:ec:ef:12:34:56", true);
        adapter(&net, "wlan0", "06:11:22:33:44:55", true);
        adapter(
            &net,
            "ib0",
            "80:00:00:48:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0f:a1:b2",
            true,
        );
        let s = Sources {
            machine_id: ["/nonexistent", "/nonexistent"],
            product_uuid: "/nonexistent",
            net: net.to_str().unwrap(),
            board_serial: "/nonexistent",
            root: "/nonexistent",
            cpuinfo: "/nonexistent",
            ..NOWHERE
        };
        let key = b"k";
        let (_, digests) = network(key, &s).unwrap();
        let mut expected = vec![
            license_core::mac_digest(key, [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10]).unwrap(),
            license_core::mac_digest(key, [0x3c, 0xec, 0xef, 0x12, 0x34, 0x56]).unwrap(),
        ];
        let mut digests = digests;
        digests.sort_unstable();
        expected.sort_unstable();
        assert_eq!(digests, expected);
        // Only virtual or unstable adapters: unknown, with the counts.
        fs::remove_dir_all(net.join("eth0")).unwrap();
        fs::remove_dir_all(net.join("eth1")).unwrap();
        assert_eq!(
            network(key, &s),
            Err(Unknown::NoStableAdapter {
                virtual_adapters: 3,
                unstable_macs: 2
            })
        );
        assert!(matches!(hardware_uuid(key, &s), Err(Unknown::Missing(_))));
        assert!(matches!(os_install_id(key, &s), Err(Unknown::Missing(_))));
    }

    #[test]
    fn machine_id_falls_back_to_dbus_and_reports_placeholders() {
        let tmp = tempfile::tempdir().unwrap();
        let dbus = tmp.path().join("dbus-id");
        fs::write(&dbus, "3d1219c7c4c5404aaa1f6d2a48adfda4\n").unwrap();
        let empty = tmp.path().join("empty");
        fs::write(&empty, "\n").unwrap();
        fn s<'a>(first: &'a Path, dbus: &'a Path, empty: &'a Path) -> Sources<'a> {
            Sources {
                machine_id: [first.to_str().unwrap(), dbus.to_str().unwrap()],
                product_uuid: empty.to_str().unwrap(),
                net: "/nonexistent",
                board_serial: empty.to_str().unwrap(),
                root: "/nonexistent",
                cpuinfo: "/nonexistent",
                ..NOWHERE
            }
        }
        let s = |first| s(first, &dbus, &empty);
        let missing = tmp.path().join("missing");
        let (_, d) = os_install_id(b"k", &s(&missing)).unwrap();
        assert_eq!(
            d,
            vec![
                license_core::component_digest(
                    b"k",
                    Component::OsInstallId,
                    "3d1219c7c4c5404aaa1f6d2a48adfda4"
                )
                .unwrap()
            ]
        );
        // An empty /etc/machine-id (some container images) is a placeholder: no fallback.
        assert!(matches!(
            os_install_id(b"k", &s(&empty)),
            Err(Unknown::Placeholder(_))
        ));
        // A directory where the file should be: reading fails, the D-Bus copy is used.
        assert_eq!(os_install_id(b"k", &s(tmp.path())).map(|p| p.1), Ok(d));
        // Both unreadable: reported with the error kind.
        let both = Sources {
            machine_id: [tmp.path().to_str().unwrap(), tmp.path().to_str().unwrap()],
            product_uuid: "/nonexistent",
            net: "/nonexistent",
            board_serial: "/nonexistent",
            root: "/nonexistent",
            cpuinfo: "/nonexistent",
            ..NOWHERE
        };
        assert!(matches!(os_install_id(b"k", &both), Err(Unknown::Failed { .. })));
        assert!(matches!(board_serial(b"k", &both), Err(Unknown::Missing(_))));
        assert!(matches!(
            board_serial(b"k", &s(&missing)),
            Err(Unknown::Placeholder(_))
        ));
        assert!(matches!(root_file_system(b"k", &both), Err(Unknown::Missing(_))));
        assert!(matches!(
            hardware_uuid(b"k", &s(&missing)),
            Err(Unknown::Placeholder(_))
        ));
        assert!(matches!(network(b"k", &s(&missing)), Err(Unknown::Missing(_))));
    }

    #[test]
    fn cpuinfo_reads_as_sysinfo_does() {
        let text = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\nphysical id\t: 0\ncore id\t\t: 0\n\n\
                    processor\t: 1\nmodel name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\nphysical id\t: 0\ncore id\t\t: 0\n\n\
                    processor\t: 2\nmodel name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\nphysical id\t: 0\ncore id\t\t: 1\n";
        assert_eq!(
            parse_cpuinfo(text),
            Some(("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", 2))
        );
        // No core ids (small ARM boards, some VMs): each processor is a core.
        assert_eq!(
            parse_cpuinfo("processor : 0\nmodel name : X\n\nprocessor : 1\nmodel name : X\n"),
            Some(("X", 2))
        );
        assert_eq!(parse_cpuinfo("processor : 0\nCPU part : 0xd03\n"), None);
        // This machine: the same raw value as through sysinfo.
        if let Ok(here) = fs::read_to_string("/proc/cpuinfo")
            && let Some((brand, cores)) = parse_cpuinfo(&here)
        {
            use sysinfo::{CpuRefreshKind, RefreshKind, System};
            let system =
                System::new_with_specifics(RefreshKind::nothing().with_cpu(CpuRefreshKind::nothing()))
                    .unwrap();
            let sys_brand = system
                .cpus()
                .first()
                .map(|c| c.brand().trim().to_owned())
                .unwrap_or_default();
            let sys_cores = System::physical_core_count().unwrap_or(system.cpus().len());
            assert_eq!((brand, cores), (sys_brand.as_str(), sys_cores));
        }
    }

    #[test]
    fn root_file_system_of_this_machine_is_its_uuid_or_unknown() {
        // This machine: whatever the root is, the value is a folded UUID (ext4: equal to
        // its statvfs id), or unknown with a reason; never an error.
        match root_fs_value(&Sources::SYSTEM) {
            Ok((source, raw)) => {
                assert_eq!(raw.len(), 16, "{source}: {raw}");
                let table = fs::read_to_string("/proc/self/mountinfo").unwrap();
                let root = find_mount(&table, "/").unwrap();
                if matches!(root.fs_type, "ext2" | "ext3" | "ext4") {
                    let st = rustix::fs::statvfs("/").unwrap();
                    assert_eq!(raw, root_fs_raw(st.f_fsid), "ext4 digests stay unchanged");
                }
            }
            Err(why) => assert!(
                matches!(why, Unknown::NoFileSystemUuid { .. } | Unknown::Missing(_)),
                "{why:?}"
            ),
        }
        assert_eq!(root_fs_raw(0x8059_68db_17d0_2ac4), "805968db17d02ac4");
    }

    #[test]
    fn ext4s_statvfs_id_is_the_folded_uuid() {
        // mkfs.ext4 gave UUID 3e4fef69-66a3-4f3f-8ab0-b2b3d9f4aecf; `stat -f` printed its
        // id as da5dffb4 f0e157bf (val[0], val[1]): statvfs's u64 is val[1] << 32 | val[0].
        let uuid = parse_uuid("3e4fef69-66a3-4f3f-8ab0-b2b3d9f4aecf").unwrap();
        assert_eq!(fold_uuid(&uuid), 0xf0e1_57bf_da5d_ffb4);
        assert_eq!(parse_uuid("3E4FEF6966A34F3F8AB0B2B3D9F4AECF"), Some(uuid));
        for bad in [
            "",
            "3e4fef69",
            "zz4fef69-66a3-4f3f-8ab0-b2b3d9f4aecf",
            "ABCD-1234",
        ] {
            assert_eq!(parse_uuid(bad), None, "{bad}");
        }
    }

    #[test]
    fn superblocks_of_ext4_xfs_and_btrfs() {
        let uuid: [u8; 16] = core::array::from_fn(|i| i as u8 + 1);
        let mut ext = vec![0u8; 4096];
        ext[1024 + 0x38..1024 + 0x3A].copy_from_slice(&[0x53, 0xEF]);
        ext[1024 + 0x68..1024 + 0x78].copy_from_slice(&uuid);
        assert_eq!(superblock_uuid(&ext), Some(uuid));
        let mut xfs = vec![0u8; 4096];
        xfs[..4].copy_from_slice(b"XFSB");
        xfs[32..48].copy_from_slice(&uuid);
        assert_eq!(superblock_uuid(&xfs), Some(uuid));
        let mut btrfs = vec![0u8; SUPERBLOCK_READ];
        btrfs[0x10040..0x10048].copy_from_slice(b"_BHRfS_M");
        btrfs[0x10020..0x10030].copy_from_slice(&uuid);
        assert_eq!(superblock_uuid(&btrfs), Some(uuid));
        // Unknown magic, cut short, or a zero UUID: none.
        assert_eq!(superblock_uuid(&[0u8; 4096]), None);
        assert_eq!(superblock_uuid(&xfs[..40]), None);
        xfs[32..48].fill(0);
        assert_eq!(superblock_uuid(&xfs), None);
    }

    #[test]
    fn mountinfo_lines_and_the_mount_holding_a_path() {
        let table = "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n\
                     28 27 0:25 / /mnt/my\\040disk ro shared:5 - tmpfs none ro\n\
                     29 27 0:26 / /srv rw - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w\n\
                     30 29 8:1 /@data /srv/data rw - btrfs /dev/sda1 rw,subvol=/@data\n\
                     31 27 0:27 / / rw - overlay overlay rw\n";
        let m = find_mount(table, "/etc").unwrap();
        assert_eq!((m.fs_type, m.major), ("overlay", 0), "the mount on top of /");
        let disk = find_mount(table, "/mnt/my disk/x").unwrap();
        assert_eq!(
            (disk.fs_type, disk.mount_point.as_str()),
            ("tmpfs", "/mnt/my disk")
        );
        assert_eq!(find_mount(table, "/srvx").unwrap().fs_type, "overlay");
        let data = find_mount(table, "/srv/data").unwrap();
        assert_eq!((data.root, data.super_options), ("/@data", "rw,subvol=/@data"));
        assert_eq!((data.major, data.minor), (8, 1));
        assert_eq!(parse_mount("garbage"), None);
        assert_eq!(parse_mount("1 2 3:4 / / rw no-separator"), None);
    }

    #[test]
    fn macs_parse_strictly() {
        assert_eq!(
            parse_mac("00:1b:21:3a:4f:10\n"),
            Some([0, 0x1b, 0x21, 0x3a, 0x4f, 0x10])
        );
        for bad in [
            "",
            "00:1b:21:3a:4f",
            "00:1b:21:3a:4f:10:11",
            "0:1b:21:3a:4f:10",
            "zz:1b:21:3a:4f:10",
        ] {
            assert_eq!(parse_mac(bad), None, "{bad}");
        }
    }
}
