//! The collector through its injected inputs (Linux): a code bound to a machine, then each
//! component changed, removed and added in the sources the collector reads, and the
//! verdict of format 2's rule on each. As root, the same on real namespaces: a mount and
//! UTS namespace (machine id changed or missing, CPU model changed through a bind-mounted
//! /proc/cpuinfo) and a network namespace (all adapters removed, only a virtual adapter).
#![cfg(target_os = "linux")]

use std::fs;
use std::path::{Path, PathBuf};

use license_core::{Component, MachineBinding, MachineFingerprint};
use license_verify::fingerprint::{CollectedFingerprint, LinuxSources, Outcome, Unknown, collect_from};

const KEY: &[u8] = b"demo-erp";

struct Tree {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

const CPUINFO: &str = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz\nphysical id\t: 0\ncore id\t\t: 0\n\n";

impl Tree {
    /// A machine with all six components readable.
    fn full() -> Tree {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let t = Tree { _dir: dir, root };
        t.write("machine-id", "6f1b2c3d4e5f40718293a4b5c6d7e8f9\n");
        t.write("product_uuid", "4C4C4544-0038-3510-8052-B4C04F4E4D32\n");
        t.write("board_serial", "PF2ABCDE\n");
        t.write("cpuinfo", CPUINFO);
        t.adapter("eth0", "00:1b:21:3a:4f:5c", true);
        t.adapter("docker0", "02:42:ac:11:00:02", false);
        // The root file system: XFS on sda1, its UUID in a by-uuid link.
        t.write("mountinfo", "27 1 8:1 / / rw,relatime - xfs /dev/sda1 rw\n");
        fs::create_dir_all(t.path("dev")).unwrap();
        fs::write(t.path("dev/sda1"), "").unwrap();
        fs::create_dir_all(t.path("devices/sda/sda1")).unwrap();
        fs::create_dir_all(t.path("sys-dev-block")).unwrap();
        std::os::unix::fs::symlink(t.path("devices/sda/sda1"), t.path("sys-dev-block/8:1")).unwrap();
        t.set_root_uuid("0f3c2a4e-7d1b-4c55-9a0e-3b2f1d6c8e71");
        t
    }

    /// Point the by-uuid link of the root's device at a new UUID (a new file system).
    fn set_root_uuid(&self, uuid: &str) {
        let dir = self.path("by-uuid");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(self.path("dev/sda1"), dir.join(uuid)).unwrap();
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn write(&self, name: &str, text: &str) {
        fs::write(self.path(name), text).unwrap();
    }

    fn remove(&self, name: &str) {
        let p = self.path(name);
        if p.is_dir() {
            fs::remove_dir_all(p).unwrap();
        } else {
            fs::remove_file(p).unwrap();
        }
    }

    fn adapter(&self, name: &str, mac: &str, physical: bool) {
        let dir = self.path("net").join(name);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("address"), format!("{mac}\n")).unwrap();
        if physical {
            fs::create_dir_all(dir.join("device")).unwrap();
        }
    }

    /// Collect with every source in the tree; `root_fs` is the directory whose file
    /// system id stands for the root file system.
    fn collect(&self, root_fs: &str) -> MachineFingerprint {
        *self.collect_as(root_fs, false).fingerprint()
    }

    /// Collect as a process that runs as root (`as_root`) or not.
    fn collect_as(&self, root_fs: &str, as_root: bool) -> CollectedFingerprint {
        let s = |n: &str| self.path(n).to_str().unwrap().to_owned();
        let (mid, uuid, net, serial, cpu) = (
            s("machine-id"),
            s("product_uuid"),
            s("net"),
            s("board_serial"),
            s("cpuinfo"),
        );
        let (mountinfo, by_uuid, sys_dev_block, dev) =
            (s("mountinfo"), s("by-uuid"), s("sys-dev-block"), s("dev"));
        let sources = LinuxSources {
            machine_id: [&mid, "/nonexistent"],
            product_uuid: &uuid,
            net: &net,
            board_serial: &serial,
            root: root_fs,
            cpuinfo: &cpu,
            mountinfo: &mountinfo,
            by_uuid: &by_uuid,
            sys_dev_block: &sys_dev_block,
            dev: &dev,
            as_root: Some(as_root),
        };
        collect_from(KEY, &sources)
    }

    fn chmod(&self, name: &str, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(self.path(name), fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// A component, how to change it, how to remove it, and the root file system to use.
type Edit<'a> = (Component, &'a dyn Fn(&Tree), &'a dyn Fn(&Tree), &'a str);

fn matches(b: &MachineBinding, m: &MachineFingerprint) -> bool {
    b.check(m).is_match()
}

#[test]
fn change_remove_and_add_each_component() {
    let t = Tree::full();
    let original = t.collect("/");
    assert_eq!(original.known().len(), 6, "{original:?}");
    // Six components: tolerance 2 of 6 (a majority of 4 must match).
    let b = original.binding(2).unwrap();
    assert_eq!((b.tolerance(), b.digest_bits()), (2, 16));
    assert!(matches(&b, &original));
    let edits: [Edit<'_>; 6] = [
        (
            Component::OsInstallId,
            &|t| t.write("machine-id", "0123456789abcdef0123456789abcdef\n"),
            &|t| t.remove("machine-id"),
            "/",
        ),
        (
            Component::HardwareUuid,
            &|t| t.write("product_uuid", "11111111-0038-3510-8052-B4C04F4E4D32\n"),
            &|t| t.remove("product_uuid"),
            "/",
        ),
        (
            Component::Cpu,
            &|t| {
                t.write(
                    "cpuinfo",
                    &CPUINFO.replace("Intel(R) Xeon(R) Gold 6248", "AMD EPYC 7763"),
                )
            },
            &|t| t.remove("cpuinfo"),
            "/",
        ),
        (
            Component::Network,
            &|t| {
                t.remove("net");
                t.adapter("eth0", "00:1b:21:99:99:99", true);
            },
            &|t| {
                t.remove("net");
                t.adapter("veth0", "00:1b:21:3a:4f:5c", false);
            },
            "/",
        ),
        (
            Component::RootFileSystem,
            &|t| t.set_root_uuid("5b1e9c7a-2f44-4e0b-8d61-a9c3e07f2b15"),
            &|t| t.write("mountinfo", "27 1 0:31 / / rw - overlay overlay rw\n"),
            "/",
        ),
        (
            Component::BoardSerial,
            &|t| t.write("board_serial", "ZZ9XYZ\n"),
            &|t| t.write("board_serial", "To be filled by O.E.M.\n"),
            "/",
        ),
    ];
    for (c, change, remove, root_fs) in edits {
        // Changed: one of six, within the tolerance.
        let t = Tree::full();
        change(&t);
        let changed = t.collect(root_fs);
        let m = b.check(&changed);
        assert!(m.is_match(), "{c} changed: {m:?}");
        assert_eq!(m.changed.len() + m.unknown.len(), 1, "{c} changed: {m:?}");
        // Removed: counts like a change; still within the tolerance.
        let t = Tree::full();
        remove(&t);
        let removed = t.collect("/");
        let m = b.check(&removed);
        assert!(
            m.is_match() && m.unknown.contains(c) && m.unknown.len() == 1,
            "{c} removed: {m:?}"
        );
        // Changed and two more removed: beyond the tolerance.
        let t = Tree::full();
        change(&t);
        let others: Vec<&str> = ["machine-id", "product_uuid", "board_serial"]
            .into_iter()
            .filter(|n| match c {
                Component::OsInstallId => *n != "machine-id",
                Component::HardwareUuid => *n != "product_uuid",
                Component::BoardSerial => *n != "board_serial",
                _ => true,
            })
            .take(2)
            .collect();
        for n in others {
            t.remove(n);
        }
        assert!(!matches(&b, &t.collect(root_fs)), "{c} changed and two removed");
    }
    // Added: a machine bound with five components (no board serial) gains one: no effect.
    let t = Tree::full();
    t.remove("board_serial");
    let five = t.collect("/");
    let b5 = five.binding(2).unwrap();
    assert!(!b5.components().contains(Component::BoardSerial));
    t.write("board_serial", "PF2ABCDE\n");
    assert!(matches(&b5, &t.collect("/")));
    // A second physical adapter added: the bound one still matches.
    t.adapter("eth1", "3c:ec:ef:12:34:56", true);
    let two = t.collect("/");
    assert_eq!(two.digests(Component::Network).len(), 2);
    assert!(b5.check(&two).matched.contains(Component::Network));
}

#[test]
fn a_common_vm_has_three_components_and_survives_a_cpu_change() {
    // Machine id and CPU, no DMI, only a locally administered MAC: the root file system
    // makes the third component, so one may change.
    let t = Tree::full();
    t.remove("product_uuid");
    t.remove("board_serial");
    t.remove("net");
    t.adapter("eth0", "02:fc:00:00:00:01", true);
    let vm = t.collect("/");
    assert_eq!(vm.known().len(), 3, "{vm:?}");
    let b = vm.binding(1).unwrap();
    assert_eq!((b.tolerance(), b.digest_bits()), (1, 24));
    t.write(
        "cpuinfo",
        &CPUINFO.replace("Intel(R) Xeon(R) Gold 6248", "AMD EPYC 7763"),
    );
    assert!(matches(&b, &t.collect("/")), "a live migration to another CPU");
    t.write("machine-id", "0123456789abcdef0123456789abcdef\n");
    assert!(!matches(&b, &t.collect("/")), "CPU and machine id changed");
}

// ---- Real namespaces (root only) -------------------------------------------------

fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

fn have(program: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The child side: print this machine's fingerprint (as seen in its namespaces) as
/// `component=hex,hex` lines. Run by the parent through `unshare` / `ip netns exec`, with
/// `--ignored`. With `LV_ROOT_DIR`, the root file system is the file system of that
/// directory, and its value is printed as read from each source alone (`RFS source=...`):
/// the by-uuid links of `LV_BY_UUID`, the superblock, `statvfs`.
#[test]
#[ignore = "helper: run by the namespace tests in a child process"]
fn namespace_child_prints_its_fingerprint() {
    let root = std::env::var("LV_ROOT_DIR").ok();
    let by_uuid = std::env::var("LV_BY_UUID").unwrap_or_else(|_| "/nonexistent".to_owned());
    let system = LinuxSources {
        root: root.as_deref().unwrap_or("/"),
        ..LinuxSources::SYSTEM
    };
    let c = collect_from(KEY, &system);
    if root.is_some() {
        for (label, sources) in [
            (
                "links",
                LinuxSources {
                    by_uuid: &by_uuid,
                    dev: "/nonexistent",
                    ..system
                },
            ),
            (
                "superblock",
                LinuxSources {
                    by_uuid: "/nonexistent",
                    ..system
                },
            ),
            (
                "statvfs",
                LinuxSources {
                    by_uuid: "/nonexistent",
                    dev: "/nonexistent",
                    ..system
                },
            ),
        ] {
            let one = collect_from(KEY, &sources);
            let rfs = usize::from(Component::RootFileSystem.index());
            let value = match &one.reports()[rfs].outcome {
                Outcome::Read { source, .. } => format!(
                    "{}@{source}",
                    one.fingerprint().digests(Component::RootFileSystem)[0]
                ),
                Outcome::Unknown(why) => format!("unknown: {why}"),
                other => format!("{other:?}"),
            };
            println!("RFS {label}={value}");
        }
    }
    for comp in Component::ALL {
        let d: Vec<String> = c
            .fingerprint()
            .digests(comp)
            .iter()
            .map(|d| d.to_string())
            .collect();
        println!("FP {}={}", comp.index(), d.join(","));
    }
}

fn parse_child(out: &str) -> MachineFingerprint {
    let mut m = MachineFingerprint::unknown();
    // The test harness may print "test ... " before the first line.
    for line in out.lines().filter_map(|l| l.find("FP ").map(|i| &l[i + 3..])) {
        let (i, ds) = line.split_once('=').unwrap();
        let c = Component::from_index(i.parse().unwrap()).unwrap();
        for d in ds.split(',').filter(|d| !d.is_empty()) {
            let v = u32::from_str_radix(d, 16).unwrap();
            m.add(c, license_core::ComponentDigest::from_prefix(v, 24));
        }
    }
    m
}

/// Run the child test in namespaces set up by `script` (a shell snippet ending in
/// `exec "$@"`), bounded to 20 seconds.
fn in_namespace(wrapper: &[&str], script: &str) -> MachineFingerprint {
    parse_child(&child_output(wrapper, script, &[]))
}

/// The child's standard output, run with `env` set.
fn child_output(wrapper: &[&str], script: &str, env: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = std::process::Command::new("timeout");
    cmd.arg("20").args(wrapper).args(["sh", "-c", script, "sh"]);
    cmd.arg(&exe).args([
        "--exact",
        "namespace_child_prints_its_fingerprint",
        "--ignored",
        "--nocapture",
        "--test-threads",
        "1",
    ]);
    cmd.envs(env.iter().copied());
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script}: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Why the namespace tests are ignored where they are (see build.rs).
const NEEDS_ROOT_NS: &str = "needs root, loop devices and unshare, mount, losetup, blkid, mkfs.xfs, mkfs.ext4, ip on PATH (util-linux, xfsprogs, e2fsprogs, iproute2)";

#[test]
#[cfg_attr(
    not(has_root_ns),
    ignore = "needs root, loop devices and unshare, mount, losetup, blkid, mkfs.xfs, mkfs.ext4, ip on PATH (util-linux, xfsprogs, e2fsprogs, iproute2)"
)]
fn real_namespaces_change_remove_and_hide_components() {
    assert!(is_root() && have("unshare") && have("mount"), "{NEEDS_ROOT_NS}");
    let here = license_verify::fingerprint::collect(KEY);
    let here = *here.fingerprint();
    let b = here.binding(1).unwrap();
    let ns = ["unshare", "--mount", "--uts", "--"];
    let tmp = tempfile::tempdir().unwrap();
    let fake_id = tmp.path().join("machine-id");
    fs::write(&fake_id, "0123456789abcdef0123456789abcdef\n").unwrap();
    let fake_cpu = tmp.path().join("cpuinfo");
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap();
    let brand_line = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .map(str::to_owned);
    let fake_text = match &brand_line {
        Some(l) => cpuinfo.replace(l.as_str(), "model name\t: Fake CPU 9000"),
        None => format!("processor\t: 0\nmodel name\t: Fake CPU 9000\n\n{cpuinfo}"),
    };
    fs::write(&fake_cpu, fake_text).unwrap();
    let p = |p: &Path| p.to_str().unwrap().to_owned();

    // The same namespaces without changes: the same fingerprint (the UTS name is not read).
    let same = in_namespace(&ns, "hostname other-name && exec \"$@\"");
    assert_eq!(same, here);
    // Machine id changed.
    let changed_id = in_namespace(
        &ns,
        &format!("mount --bind {} /etc/machine-id && exec \"$@\"", p(&fake_id)),
    );
    let m = b.check(&changed_id);
    assert!(m.changed.contains(Component::OsInstallId), "{m:?}");
    // Machine id missing (an empty /etc and D-Bus directory).
    let missing_id = in_namespace(
        &ns,
        "mount -t tmpfs none /etc && { [ -d /var/lib/dbus ] && mount -t tmpfs none /var/lib/dbus || true; } && exec \"$@\"",
    );
    assert!(missing_id.digests(Component::OsInstallId).is_empty());
    assert!(b.check(&missing_id).unknown.contains(Component::OsInstallId));
    // CPU model changed.
    let changed_cpu = in_namespace(
        &ns,
        &format!("mount --bind {} /proc/cpuinfo && exec \"$@\"", p(&fake_cpu)),
    );
    assert!(b.check(&changed_cpu).changed.contains(Component::Cpu));
    // Each alone is within the tolerance when at least three components are bound.
    if b.components().len() >= 3 {
        for (what, m) in [
            ("machine id changed", &changed_id),
            ("machine id missing", &missing_id),
            ("CPU changed", &changed_cpu),
        ] {
            assert!(b.check(m).is_match(), "{what}: {:?}", b.check(m));
        }
    }
    // Both machine id and CPU changed: refused.
    let both = in_namespace(
        &ns,
        &format!(
            "mount --bind {} /etc/machine-id && mount --bind {} /proc/cpuinfo && exec \"$@\"",
            p(&fake_id),
            p(&fake_cpu)
        ),
    );
    assert!(!b.check(&both).is_match());

    // Network namespaces: all adapters removed, then only a virtual adapter.
    assert!(have("ip"), "{NEEDS_ROOT_NS}");
    let name = format!("lv-fp-{}", std::process::id());
    let ok = |args: &[&str]| {
        std::process::Command::new("ip")
            .args(args)
            .status()
            .is_ok_and(|s| s.success())
    };
    assert!(ok(&["netns", "add", &name]), "ip netns add {name}");
    struct Netns(String);
    impl Drop for Netns {
        fn drop(&mut self) {
            let _ = std::process::Command::new("ip")
                .args(["netns", "delete", &self.0])
                .status();
        }
    }
    let _cleanup = Netns(name.clone());
    let exec = ["ip", "netns", "exec", name.as_str()];
    let no_adapters = in_namespace(&exec, "exec \"$@\"");
    assert!(no_adapters.digests(Component::Network).is_empty());
    let mut expected = here;
    expected.clear(Component::Network);
    assert_eq!(no_adapters, expected, "only the network differs");
    // A veth pair with a globally administered MAC: virtual (no device), so left out.
    let virtual_only = ok(&[
        "-n",
        &name,
        "link",
        "add",
        "v0",
        "address",
        "00:1b:21:aa:bb:cc",
        "type",
        "veth",
        "peer",
        "name",
        "v1",
    ]);
    let only_virtual = in_namespace(&exec, "exec \"$@\"");
    assert!(virtual_only, "veth pair in the network namespace");
    assert!(
        only_virtual.digests(Component::Network).is_empty(),
        "a virtual adapter is left out"
    );
    let m = b.check(&only_virtual);
    assert_eq!(m.is_match(), b.check(&no_adapters).is_match());
}

// ---- A fingerprint taken as root, a product running as a service user ---------------

/// Issue 19, item 2: the hardware UUID and the board serial are readable only by root
/// (mode 0400, simulated in a tree). `license-check fingerprint` run as root marks them as
/// read only through privileges and by default leaves them out, so the code bound to that
/// fingerprint verifies for the product running as a service user, which cannot read them.
/// The fingerprint with them (`--as-root`) is refused there unless the host tolerates
/// components it merely cannot read.
#[test]
fn a_fingerprint_taken_as_root_verifies_for_a_service_user() {
    let t = Tree::full();
    t.chmod("machine-id", 0o444);
    t.chmod("cpuinfo", 0o444);
    t.chmod("product_uuid", 0o400);
    t.chmod("board_serial", 0o400);
    let as_root = t.collect_as("/", true);
    let root_only = license_core::ComponentSet::EMPTY
        .with(Component::HardwareUuid)
        .with(Component::BoardSerial);
    assert_eq!(as_root.privileged(), root_only);
    let report = as_root.to_string();
    assert!(report.contains("only because this runs as root"), "{report}");
    // Not root: nothing is marked (what it read, it reads with its own rights).
    assert!(t.collect_as("/", false).privileged().is_empty());

    // The set the product reads as a service user: the root-only components left out.
    let service = as_root.as_service_user();
    assert_eq!(
        service.reports()[usize::from(Component::HardwareUuid.index())].outcome,
        Outcome::Unknown(Unknown::RootOnly("/sys/class/dmi/id/product_uuid"))
    );
    assert!(service.to_string().contains("left out"), "{service}");
    let binding = service.binding(1).unwrap();
    assert!(!binding.components().contains(Component::HardwareUuid));
    assert!(!binding.components().contains(Component::BoardSerial));
    // What the product reads as a service user: the root-only files are unreadable to it
    // (here: absent, which the rule treats alike).
    t.remove("product_uuid");
    t.remove("board_serial");
    let unprivileged = t.collect_as("/", false);
    let m = binding.check(unprivileged.fingerprint());
    assert!(m.is_match() && m.unknown.is_empty(), "{m:?}");

    // The whole set as root (--as-root): refused for the service user ...
    let everything = as_root.binding(1).unwrap();
    assert_eq!(everything.components().len(), 6);
    let m = everything.check(unprivileged.fingerprint());
    assert!(
        !m.is_match() && m.changed.is_empty() && m.unknown == root_only,
        "{m:?}"
    );
    let message = license_core::Error::WrongMachine(m).to_string();
    assert!(
        message.contains("take the fingerprint as the user the product runs as"),
        "{message}"
    );
    // ... unless the host tolerates them as merely unreadable.
    let mut tolerant = *unprivileged.fingerprint();
    tolerant.tolerate_unreadable(root_only);
    let m = everything.check(&tolerant);
    assert!(m.is_match() && m.tolerated == root_only, "{m:?}");
}

// ---- The root file system on real file systems (root, loop devices) ------------------

/// A loop device over a sparse image file, detached when dropped.
struct Loop {
    device: String,
    _dir: tempfile::TempDir,
}

impl Loop {
    fn new(megabytes: u32) -> Loop {
        let dir = tempfile::tempdir().unwrap();
        let image = dir.path().join("fs.img");
        fs::File::create(&image)
            .unwrap()
            .set_len(u64::from(megabytes) << 20)
            .unwrap();
        let out = std::process::Command::new("losetup")
            .args(["-f", "--show"])
            .arg(&image)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "losetup: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Loop {
            device: String::from_utf8(out.stdout).unwrap().trim().to_owned(),
            _dir: dir,
        }
    }

    /// Make a new file system on the device; its UUID.
    fn mkfs(&self, program: &str) -> String {
        let quiet: &[&str] = if program == "mkfs.xfs" {
            &["-q", "-f"]
        } else {
            &["-q", "-F"]
        };
        let st = std::process::Command::new(program)
            .args(quiet)
            .arg(&self.device)
            .status()
            .unwrap();
        assert!(st.success(), "{program} {}", self.device);
        let out = std::process::Command::new("blkid")
            .args(["-p", "-s", "UUID", "-o", "value", &self.device])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// The child's output with the device mounted (in a private mount namespace) as the
    /// root directory read, and a by-uuid directory holding one link `uuid` -> device.
    fn collect_mounted(&self, uuid: &str) -> String {
        let tmp = tempfile::tempdir().unwrap();
        let mnt = tmp.path().join("mnt");
        fs::create_dir(&mnt).unwrap();
        let links = tmp.path().join("by-uuid");
        fs::create_dir(&links).unwrap();
        std::os::unix::fs::symlink(&self.device, links.join(uuid)).unwrap();
        let (mnt, links) = (mnt.to_str().unwrap(), links.to_str().unwrap());
        child_output(
            &["unshare", "--mount", "--"],
            &format!("mount {} {mnt} && exec \"$@\"", self.device),
            &[("LV_ROOT_DIR", mnt), ("LV_BY_UUID", links)],
        )
    }
}

impl Drop for Loop {
    fn drop(&mut self) {
        let _ = std::process::Command::new("losetup")
            .args(["-d", &self.device])
            .status();
    }
}

/// The `RFS source=` values and the root file system digest of a child's output.
fn root_fs_lines(out: &str) -> (Vec<(String, String)>, Vec<license_core::ComponentDigest>) {
    let sources = out
        .lines()
        .filter_map(|l| l.find("RFS ").map(|i| &l[i + 4..]))
        .filter_map(|l| l.split_once('='))
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    let digests = parse_child(out).digests(Component::RootFileSystem).to_vec();
    (sources, digests)
}

/// Issue 19, item 1: two XFS file systems made one after the other on the same loop
/// device (where `statvfs` reports the same id, made from the device number) have
/// different root-file-system digests, read alike from the by-uuid link and from the
/// superblock; and a code bound to a machine on the first is refused on a machine on the
/// second whatever its (random) machine id, CPU model equal.
#[test]
#[cfg_attr(
    not(has_root_ns),
    ignore = "needs root, loop devices and unshare, mount, losetup, blkid, mkfs.xfs, mkfs.ext4, ip on PATH (util-linux, xfsprogs, e2fsprogs, iproute2)"
)]
fn two_xfs_file_systems_on_one_loop_device_are_two_identities() {
    let device = Loop::new(320);
    let first_uuid = device.mkfs("mkfs.xfs");
    let (first_sources, first) = root_fs_lines(&device.collect_mounted(&first_uuid));
    let second_uuid = device.mkfs("mkfs.xfs");
    let (second_sources, second) = root_fs_lines(&device.collect_mounted(&second_uuid));
    assert_ne!(first_uuid, second_uuid);
    assert_eq!(first.len(), 1, "{first_sources:?}");
    assert_eq!(second.len(), 1, "{second_sources:?}");
    assert_ne!(first, second, "two XFS file systems, one device: two identities");
    for (sources, digest) in [(&first_sources, first[0]), (&second_sources, second[0])] {
        let get = |label: &str| {
            sources
                .iter()
                .find(|(l, _)| l == label)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("links"), format!("{digest}@/dev/disk/by-uuid"), "{sources:?}");
        assert_eq!(get("superblock"), format!("{digest}@superblock"), "{sources:?}");
        // statvfs alone is never used for XFS (its id is the device number).
        assert!(get("statvfs").starts_with("unknown: "), "{sources:?}");
    }
    // A VM on the first file system: OS id, CPU, root file system, tolerance 1.
    let cpu = license_core::component_digest(KEY, Component::Cpu, "Intel Xeon Gold 6248 | 2").unwrap();
    let os = |n: u32| {
        license_core::component_digest(
            KEY,
            Component::OsInstallId,
            &format!("{:032x}", 0x9e37_79b9_u64 * u64::from(n) + 1),
        )
        .unwrap()
    };
    let mut vm = MachineFingerprint::unknown();
    vm.add(Component::OsInstallId, os(0));
    vm.add(Component::Cpu, cpu);
    vm.add(Component::RootFileSystem, first[0]);
    let b = vm.binding(1).unwrap();
    assert_eq!(b.components().len(), 3);
    assert!(matches(&b, &vm));
    // 2,000 machines on the second file system with other machine ids: all refused.
    for n in 1..=2000 {
        let mut other = MachineFingerprint::unknown();
        other.add(Component::OsInstallId, os(n));
        other.add(Component::Cpu, cpu);
        other.add(Component::RootFileSystem, second[0]);
        assert!(!matches(&b, &other), "machine id {n}");
    }
}

/// The same on ext4: the by-uuid link, the superblock and `statvfs` give one digest, the
/// one `statvfs` gave before this change (ext4 codes keep verifying).
#[test]
#[cfg_attr(
    not(has_root_ns),
    ignore = "needs root, loop devices and unshare, mount, losetup, blkid, mkfs.xfs, mkfs.ext4, ip on PATH (util-linux, xfsprogs, e2fsprogs, iproute2)"
)]
fn ext4_reads_one_digest_from_every_source() {
    let device = Loop::new(64);
    let uuid = device.mkfs("mkfs.ext4");
    let (sources, digest) = root_fs_lines(&device.collect_mounted(&uuid));
    assert_eq!(digest.len(), 1, "{sources:?}");
    let expected: Vec<String> = ["/dev/disk/by-uuid", "superblock", "statvfs(/)"]
        .iter()
        .map(|s| format!("{}@{s}", digest[0]))
        .collect();
    let got: Vec<String> = sources.iter().map(|(_, v)| v.clone()).collect();
    assert_eq!(got, expected, "{sources:?}");
}

/// An overlay root (a container's) has no UUID of its own: unreadable, never the id of the
/// file system below it; with `uuid=null` (where the kernel knows the option) as well.
#[test]
#[cfg_attr(
    not(has_root_ns),
    ignore = "needs root, loop devices and unshare, mount, losetup, blkid, mkfs.xfs, mkfs.ext4, ip on PATH (util-linux, xfsprogs, e2fsprogs, iproute2)"
)]
fn an_overlay_root_without_a_uuid_is_unreadable() {
    let tmp = tempfile::tempdir().unwrap();
    for d in ["lower", "upper", "work", "merged"] {
        fs::create_dir(tmp.path().join(d)).unwrap();
    }
    let p = |d: &str| tmp.path().join(d).to_str().unwrap().to_owned();
    let options = format!(
        "lowerdir={},upperdir={},workdir={}",
        p("lower"),
        p("upper"),
        p("work")
    );
    let mut tried = 0;
    for extra in ["", ",uuid=null"] {
        let script = format!(
            "mount -t overlay overlay -o {options}{extra} {} || exit 77; exec \"$@\"",
            p("merged")
        );
        let mut cmd = std::process::Command::new("timeout");
        cmd.args(["20", "unshare", "--mount", "--", "sh", "-c", &script, "sh"]);
        cmd.arg(std::env::current_exe().unwrap()).args([
            "--exact",
            "namespace_child_prints_its_fingerprint",
            "--ignored",
            "--nocapture",
        ]);
        cmd.env("LV_ROOT_DIR", p("merged"));
        let out = cmd.output().unwrap();
        if extra.is_empty() {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        } else if out.status.code() == Some(77) {
            // This kernel has no uuid=null option: nothing more to check.
            continue;
        }
        tried += 1;
        let stdout = String::from_utf8_lossy(&out.stdout);
        let (sources, digests) = root_fs_lines(&stdout);
        assert!(digests.is_empty(), "overlay{extra}: {sources:?}");
        for (_, v) in &sources {
            assert!(
                v.contains("root file system (overlay) has no UUID"),
                "overlay{extra}: {v}"
            );
        }
    }
    assert!(tried >= 1);
}
