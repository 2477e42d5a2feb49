//! Linux sources: machine-id files, sysfs and the root file system's id (`statvfs`).
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
}

impl Sources<'static> {
    pub const SYSTEM: Sources<'static> = Sources {
        machine_id: ["/etc/machine-id", "/var/lib/dbus/machine-id"],
        product_uuid: "/sys/class/dmi/id/product_uuid",
        net: "/sys/class/net",
        board_serial: "/sys/class/dmi/id/board_serial",
        root: "/",
        cpuinfo: "/proc/cpuinfo",
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

/// The root file system's id as `statvfs("/")` reports it, readable by every user: on
/// ext4 and Btrfs derived from the file system's UUID (so it survives reboots and
/// changes with a new file system), on XFS from its device number. Hashed as the
/// 16 hex digits of the 64-bit id; 0 (tmpfs, some overlay set-ups) is unknown.
pub(crate) fn root_file_system(app_key: &[u8], s: &Sources<'_>) -> Part {
    const SOURCE: &str = "statvfs(/)";
    let st = rustix::fs::statvfs(s.root).map_err(|e| io_unknown(SOURCE, &std::io::Error::from(e)))?;
    if st.f_fsid == 0 {
        return Err(Unknown::Placeholder(SOURCE));
    }
    digest_of(
        app_key,
        Component::RootFileSystem,
        SOURCE,
        &root_fs_raw(st.f_fsid),
    )
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
    fn root_file_system_id_is_read_without_privileges() {
        let here = Sources {
            root: "/",
            ..Sources::SYSTEM
        };
        match root_file_system(b"k", &here) {
            Ok((_, d)) => {
                let st = rustix::fs::statvfs("/").unwrap();
                let expected =
                    license_core::component_digest(b"k", Component::RootFileSystem, &root_fs_raw(st.f_fsid));
                assert_eq!(d, vec![expected.unwrap()]);
            }
            // A root on tmpfs (some containers) has no id: unknown, not a failure.
            Err(why) => assert_eq!(why, Unknown::Placeholder("statvfs(/)")),
        }
        assert_eq!(root_fs_raw(0x8059_68db_17d0_2ac4), "805968db17d02ac4");
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
