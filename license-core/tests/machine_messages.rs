//! The machine-mismatch message points at the likelier cause: when no bound component
//! matches, a fingerprint made for another product (or another machine), not a replaced
//! machine.

use license_core::{Component, ComponentSet, Error, MachineMatch};

fn mismatch(matched: ComponentSet, changed: ComponentSet) -> String {
    Error::WrongMachine(MachineMatch {
        matched,
        changed,
        unknown: ComponentSet::EMPTY,
        tolerated: ComponentSet::EMPTY,
        tolerance: 0,
        required: 2,
        unreadable_counts: true,
    })
    .to_string()
}

#[test]
fn all_digests_differing_suggests_another_product() {
    let both = ComponentSet::EMPTY
        .with(Component::OsInstallId)
        .with(Component::Cpu);
    let m = mismatch(ComponentSet::EMPTY, both);
    assert!(
        m.contains("or the fingerprint was made for another product"),
        "{m}"
    );
    assert!(!m.contains("if this machine was replaced"), "{m}");
}

#[test]
fn some_digests_matching_suggests_a_replaced_machine() {
    let m = mismatch(
        ComponentSet::EMPTY.with(Component::Cpu),
        ComponentSet::EMPTY.with(Component::OsInstallId),
    );
    assert!(m.contains("if this machine was replaced"), "{m}");
    assert!(!m.contains("another product"), "{m}");
}
