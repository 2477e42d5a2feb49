//! The chance that a random machine passes a machine binding, computed exactly with the
//! real matching code: every pattern of matched / changed / unreadable bound components is
//! built as a fingerprint, checked with `MachineBinding::check`, and weighted by its
//! probability. Assumptions (worst case for the vendor): the random machine has the same
//! CPU model (cloud VMs, one hardware generation); every other readable component is an
//! independent random value, so its digest agrees with the bound one with probability
//! `2^-w` per value (`1 - (1 - 2^-w)^k` for `k` network adapters). Figures are in
//! `docs/SECURITY.md`, "Machine binding: a random machine's chance".

use license_core::*;

/// What the random machine shows for one bound component.
#[derive(Clone, Copy)]
enum Shown {
    /// Readable, `k` values (adapters); each agrees by chance.
    Random(u32),
    /// Readable and equal (the CPU model).
    Same,
    /// Unreadable (hidden, no permission).
    Hidden,
    /// Unreadable, and the host tolerates it (`MachineFingerprint::tolerate_unreadable`).
    Tolerated,
}

fn set(cs: &[Component]) -> ComponentSet {
    cs.iter().fold(ComponentSet::EMPTY, |s, c| s.with(*c))
}

fn digests() -> [ComponentDigest; COMPONENTS] {
    core::array::from_fn(|i| ComponentDigest::from_bytes([0x5a ^ i as u8, 0x3c, 0x96]))
}

/// P(accept) of a random machine showing `shown` (per bound component, in index order).
fn acceptance(binding: &MachineBinding, shown: &[(Component, Shown)]) -> f64 {
    let w = i32::from(binding.digest_bits());
    let bound: Vec<Component> = binding.components().iter().collect();
    assert_eq!(bound.len(), shown.len());
    let exact = binding.matching_machine();
    let mut total = 0.0;
    for pattern in 0u32..(1 << bound.len()) {
        let mut m = MachineFingerprint::unknown();
        m.tolerate_unreadable(set(&shown
            .iter()
            .filter(|(_, s)| matches!(s, Shown::Tolerated))
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()));
        let mut p = 1.0f64;
        for (i, &(c, s)) in shown.iter().enumerate() {
            assert_eq!(c, bound[i]);
            let hit = pattern & (1 << i) != 0;
            let p_hit = match s {
                Shown::Same => 1.0,
                Shown::Hidden | Shown::Tolerated => 0.0,
                Shown::Random(k) => 1.0 - (1.0 - 2f64.powi(-w)).powi(k as i32),
            };
            p *= if hit { p_hit } else { 1.0 - p_hit };
            match (s, hit) {
                (Shown::Hidden | Shown::Tolerated, _) => {}
                (_, true) => {
                    m.add(c, exact.digests(c)[0]);
                }
                (_, false) => {
                    // A value whose carried prefix differs.
                    let d = exact.digests(c)[0].to_bytes();
                    m.add(c, ComponentDigest::from_bytes([!d[0], !d[1], !d[2]]));
                }
            }
        }
        if p > 0.0 && binding.check(&m).is_match() {
            total += p;
        }
    }
    total
}

use Component::*;

fn report(name: &str, p: f64) -> f64 {
    if p == 0.0 {
        println!("{name}: 0 (always refused)");
    } else {
        println!("{name}: {p:.3e} (1 in {:.0})", 1.0 / p);
    }
    p
}

const LIMIT: f64 = 1e-5;

#[test]
fn all_four_components_known() {
    let b = MachineBinding::new(set(&[OsInstallId, HardwareUuid, Cpu, Network]), digests(), 1).unwrap();
    assert_eq!(b.digest_bits(), 16);
    for k in [1, 8] {
        let p = report(
            &format!("4 bound, tolerance 1, {k} adapter(s)"),
            acceptance(
                &b,
                &[
                    (OsInstallId, Shown::Random(1)),
                    (HardwareUuid, Shown::Random(1)),
                    (Cpu, Shown::Same),
                    (Network, Shown::Random(k)),
                ],
            ),
        );
        assert!(p <= LIMIT, "{p}");
    }
    // Hiding the OS id and the hardware UUID: refused outright (format 1 let 1 in 256 pass).
    let hidden = acceptance(
        &b,
        &[
            (OsInstallId, Shown::Hidden),
            (HardwareUuid, Shown::Hidden),
            (Cpu, Shown::Same),
            (Network, Shown::Random(8)),
        ],
    );
    assert_eq!(
        report("4 bound, OS id and hardware UUID hidden, 8 adapters", hidden),
        0.0
    );
}

#[test]
fn os_id_and_hardware_uuid_unreadable_when_bound() {
    // The binding of a machine where only the CPU and the network could be read.
    let b = MachineBinding::new(set(&[Cpu, Network]), digests(), 0).unwrap();
    assert_eq!((b.tolerance(), b.digest_bits()), (0, 24));
    for k in [1, 8] {
        let p = report(
            &format!("CPU + network bound, {k} adapter(s)"),
            acceptance(&b, &[(Cpu, Shown::Same), (Network, Shown::Random(k))]),
        );
        assert!(p <= LIMIT, "{p}");
    }
}

#[test]
fn three_bound_with_the_hardware_uuid_unreadable() {
    let b = MachineBinding::new(set(&[OsInstallId, Cpu, Network]), digests(), 1).unwrap();
    assert_eq!((b.tolerance(), b.digest_bits()), (1, 24));
    for k in [1, 8] {
        let p = report(
            &format!("OS id + CPU + network bound, tolerance 1, {k} adapter(s)"),
            acceptance(
                &b,
                &[
                    (OsInstallId, Shown::Random(1)),
                    (Cpu, Shown::Same),
                    (Network, Shown::Random(k)),
                ],
            ),
        );
        assert!(p <= LIMIT, "{p}");
    }
}

#[test]
fn a_typical_vm_and_every_other_shape() {
    let vm = MachineBinding::new(set(&[OsInstallId, Cpu, RootFileSystem]), digests(), 1).unwrap();
    let p = report(
        "VM: OS id + CPU + root file system, tolerance 1",
        acceptance(
            &vm,
            &[
                (OsInstallId, Shown::Random(1)),
                (Cpu, Shown::Same),
                (RootFileSystem, Shown::Random(1)),
            ],
        ),
    );
    assert!(p <= LIMIT);
    // Every binding shape a vendor can build, each bound component shown at random (8
    // values for the network), the CPU equal: never above the limit.
    let mut worst: f64 = 0.0;
    for bits in 1u8..64 {
        let cs = ComponentSet::from_bits(bits).unwrap();
        for t in 0..=2 {
            let Ok(b) = MachineBinding::new(cs, digests(), t) else {
                continue;
            };
            let shown: Vec<(Component, Shown)> = cs
                .iter()
                .map(|c| match c {
                    Cpu => (c, Shown::Same),
                    Network => (c, Shown::Random(8)),
                    _ => (c, Shown::Random(1)),
                })
                .collect();
            worst = worst.max(acceptance(&b, &shown));
        }
    }
    assert!(report("worst over every shape", worst) <= LIMIT);
}

#[test]
fn format_1_figures_of_the_finding_are_reproduced() {
    // The computation is the one of the finding: format 1, CPU + network bound.
    let b = MachineBinding::new_v1(set(&[Cpu, Network]), [1, 2, 3, 4], 0).unwrap();
    let one = acceptance(&b, &[(Cpu, Shown::Same), (Network, Shown::Random(1))]);
    let eight = acceptance(&b, &[(Cpu, Shown::Same), (Network, Shown::Random(8))]);
    report("format 1, CPU + network, 1 adapter", one);
    report("format 1, CPU + network, 8 adapters", eight);
    assert!((one - 1.0 / 256.0).abs() < 1e-12);
    assert!((eight - 0.0309).abs() < 1e-3);
}

/// A host that tolerates components it merely cannot read (`VerifierBuilder::tolerate_unreadable`):
/// the figures of `docs/SECURITY.md`'s rows "tolerated". The random machine cannot read the
/// tolerated components either (the most a tolerance can help it).
#[test]
fn tolerated_unreadable_components() {
    // A machine read as root: five components; the product runs as a service user and
    // cannot read the hardware UUID and the board serial.
    let five = set(&[OsInstallId, HardwareUuid, Cpu, RootFileSystem, BoardSerial]);
    let b = MachineBinding::new(five, digests(), 1).unwrap();
    assert_eq!(b.digest_bits(), 16);
    let mut service_user = b.matching_machine();
    service_user.clear(HardwareUuid);
    service_user.clear(BoardSerial);
    assert!(
        !b.check(&service_user).is_match(),
        "unreadable counts against the tolerance"
    );
    service_user.tolerate_unreadable(set(&[HardwareUuid, BoardSerial]));
    let m = b.check(&service_user);
    assert!(m.is_match(), "{m:?}");
    assert_eq!(m.tolerated, set(&[HardwareUuid, BoardSerial]));
    let p = report(
        "OS id, hardware UUID, CPU, root fs, board serial (1); hardware UUID and board serial tolerated",
        acceptance(
            &b,
            &[
                (OsInstallId, Shown::Random(1)),
                (HardwareUuid, Shown::Tolerated),
                (Cpu, Shown::Same),
                (RootFileSystem, Shown::Random(1)),
                (BoardSerial, Shown::Tolerated),
            ],
        ),
    );
    assert!(p <= LIMIT, "{p}");
    let six = MachineBinding::new(ComponentSet::ALL, digests(), 2).unwrap();
    for k in [1, 8] {
        let p = report(
            &format!("all six bound (2), hardware UUID and board serial tolerated, {k} adapter(s)"),
            acceptance(
                &six,
                &[
                    (OsInstallId, Shown::Random(1)),
                    (HardwareUuid, Shown::Tolerated),
                    (Cpu, Shown::Same),
                    (Network, Shown::Random(k)),
                    (RootFileSystem, Shown::Random(1)),
                    (BoardSerial, Shown::Tolerated),
                ],
            ),
        );
        assert!(p <= LIMIT, "{p}");
    }
    // Tolerating never lets a single 16-bit component decide: OS id + hardware UUID + CPU
    // with no tolerance (16-bit digests) and the hardware UUID tolerated is refused
    // unless two strong components match.
    let three = MachineBinding::new(set(&[OsInstallId, HardwareUuid, Cpu]), digests(), 0).unwrap();
    assert_eq!(three.digest_bits(), 16);
    let mut m = three.matching_machine();
    m.clear(HardwareUuid);
    m.tolerate_unreadable(set(&[HardwareUuid]));
    assert!(!three.check(&m).is_match());
    // Every shape a vendor can build, every set of its components tolerated (the others
    // shown at random, 8 network values, the CPU equal): never above the limit.
    let mut worst: f64 = 0.0;
    for bits in 1u8..64 {
        let cs = ComponentSet::from_bits(bits).unwrap();
        for t in 0..=2 {
            let Ok(b) = MachineBinding::new(cs, digests(), t) else {
                continue;
            };
            for tolerated in 0u8..64 {
                if tolerated & !bits != 0 {
                    continue;
                }
                let tol = ComponentSet::from_bits(tolerated).unwrap();
                let shown: Vec<(Component, Shown)> = cs
                    .iter()
                    .map(|c| match c {
                        _ if tol.contains(c) => (c, Shown::Tolerated),
                        Cpu => (c, Shown::Same),
                        Network => (c, Shown::Random(8)),
                        _ => (c, Shown::Random(1)),
                    })
                    .collect();
                worst = worst.max(acceptance(&b, &shown));
            }
        }
    }
    assert!(report("worst over every shape and every tolerated set", worst) <= LIMIT);
}

/// Issue 19, item 1: a VM whose root is XFS. Its root file system used to be read from
/// `statvfs`, which for XFS is the device number: every VM with the same disk layout showed
/// the same value, so with the CPU model equal a code passed on any of them. Read as the
/// file system's UUID it is a random value like on ext4; in a container (overlay root,
/// no UUID) it is unreadable.
#[test]
fn a_vm_with_an_xfs_root() {
    let vm = MachineBinding::new(set(&[OsInstallId, Cpu, RootFileSystem]), digests(), 1).unwrap();
    assert_eq!(vm.digest_bits(), 24);
    let before = acceptance(
        &vm,
        &[
            (OsInstallId, Shown::Random(1)),
            (Cpu, Shown::Same),
            (RootFileSystem, Shown::Same),
        ],
    );
    assert_eq!(
        report("XFS VM, root fs read as the device number (before)", before),
        1.0
    );
    let now = report(
        "XFS VM, root fs read as its UUID",
        acceptance(
            &vm,
            &[
                (OsInstallId, Shown::Random(1)),
                (Cpu, Shown::Same),
                (RootFileSystem, Shown::Random(1)),
            ],
        ),
    );
    assert!(now <= LIMIT, "{now}");
    let container = report(
        "XFS VM's code in a container on it (overlay root: unreadable)",
        acceptance(
            &vm,
            &[
                (OsInstallId, Shown::Random(1)),
                (Cpu, Shown::Same),
                (RootFileSystem, Shown::Hidden),
            ],
        ),
    );
    assert!(container <= LIMIT, "{container}");
}
