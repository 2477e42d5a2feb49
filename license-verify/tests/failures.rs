//! Every refusal names its cause and what the user should do.

mod common;

use common::*;
use license_core::{Binding, Component, ComponentSet, Error as CoreError, License, UntrustedCode};
use license_verify::{Error, Verifier};

fn refused(verifier: &Verifier, code: &str) -> Error {
    verifier.verify_text_at(code, noon(d(2026, 3, 1))).unwrap_err()
}

#[test]
fn wrong_licensee() {
    let v = builder().licensee("Acme Industries").build().unwrap();
    let e = refused(&v, &issue(&subscription()));
    assert!(matches!(e, Error::Code(CoreError::WrongLicensee)), "{e:?}");
    assert!(
        e.to_string()
            .contains("enter the licensee name exactly as on the license")
    );
    // Normalization: case and white space do not matter.
    let v = builder().licensee("  acme   CORP ").build().unwrap();
    assert!(
        v.verify_text_at(&issue(&subscription()), noon(d(2026, 3, 1)))
            .is_ok()
    );
}

#[test]
fn wrong_database() {
    let v = builder().database("DB-0000-1111").build().unwrap();
    let e = refused(&v, &issue(&subscription()));
    assert!(matches!(e, Error::Code(CoreError::WrongDatabase)), "{e:?}");
    assert!(e.to_string().contains("send this database's code to the vendor"));
    let no_db = Verifier::builder(keys(), PRODUCT, build_date())
        .licensee(LICENSEE)
        .build()
        .unwrap();
    assert!(matches!(
        refused(&no_db, &issue(&subscription())),
        Error::Code(CoreError::DatabaseCodeRequired)
    ));
}

fn machine_bound() -> License {
    License {
        binding: Binding::machine(server().binding(1).unwrap()),
        ..subscription()
    }
}

fn issue_for_machine(l: &License) -> String {
    license_core::sign(l, &license_core::Context::new(PRODUCT, LICENSEE), &vendor())
        .unwrap()
        .to_string()
}

fn installation(m: license_core::MachineFingerprint) -> Verifier {
    Verifier::builder(keys(), PRODUCT, build_date())
        .licensee(LICENSEE)
        .machine_fingerprint(m)
        .build()
        .unwrap()
}

#[test]
fn wrong_machine_names_the_components_that_differ() {
    let code = issue_for_machine(&machine_bound());
    // Same machine: fine.
    assert!(
        installation(server())
            .verify_text_at(&code, noon(d(2026, 3, 1)))
            .is_ok()
    );
    // One component changed (new network card): within the tolerance, and reported.
    let new_nic = machine(
        "3d1219c7c4c5404aaa1f6d2a48adfda4",
        "4C4C4544-0038-3510-8052-B4C04F4E4D32",
        "Intel Xeon Gold 6338 | 32",
        [0x00, 0x1b, 0x21, 0x99, 0x99, 0x99],
    );
    let ok = installation(new_nic)
        .verify_text_at(&code, noon(d(2026, 3, 1)))
        .unwrap();
    let m = ok.machine_match().unwrap();
    assert_eq!(m.changed, ComponentSet::EMPTY.with(Component::Network));
    assert!(
        ok.to_string()
            .contains("changed within tolerance: network adapters")
    );
    // OS reinstalled and moved to new hardware: two changed, refused, and it says which.
    let other = machine(
        "ffffffffc4c5404aaa1f6d2a48adfda4",
        "11111111-0038-3510-8052-B4C04F4E4D32",
        "Intel Xeon Gold 6338 | 32",
        [0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x10],
    );
    let e = refused(&installation(other), &code);
    let Error::Code(CoreError::WrongMachine(m)) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        m.changed,
        ComponentSet::EMPTY
            .with(Component::OsInstallId)
            .with(Component::HardwareUuid)
    );
    let msg = e.to_string();
    assert!(msg.contains("changed: OS install id, hardware UUID"), "{msg}");
    assert!(msg.contains("ask the vendor to move the license"), "{msg}");
}

#[test]
fn unreadable_components_count_against_the_tolerance() {
    let code = issue_for_machine(&machine_bound());
    // The hardware UUID unreadable (no root): one of four, within tolerance 1.
    let mut no_uuid = license_core::MachineFingerprint::unknown();
    for c in [Component::OsInstallId, Component::Cpu, Component::Network] {
        no_uuid.add(c, server().digests(c)[0]);
    }
    let v = installation(no_uuid)
        .verify_text_at(&code, noon(d(2026, 3, 1)))
        .unwrap();
    let m = v.machine_match().unwrap();
    assert_eq!(m.unknown, ComponentSet::EMPTY.with(Component::HardwareUuid));
    assert!(m.changed.is_empty());
    // In a container: hardware UUID and network unreadable. Hiding components must not
    // lower what has to match (format 2): refused, and the message names them.
    let mut container = license_core::MachineFingerprint::unknown();
    for c in [Component::OsInstallId, Component::Cpu] {
        container.add(c, server().digests(c)[0]);
    }
    let e = refused(&installation(container), &code);
    let Error::Code(CoreError::WrongMachine(m)) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        m.unknown,
        ComponentSet::EMPTY
            .with(Component::HardwareUuid)
            .with(Component::Network)
    );
    assert!(
        e.to_string()
            .contains("unreadable: hardware UUID, network adapters"),
        "{e}"
    );
    // Nothing readable at all: refused, nothing "changed".
    let e = refused(&installation(license_core::MachineFingerprint::unknown()), &code);
    let Error::Code(CoreError::WrongMachine(m)) = e else {
        panic!("{e:?}")
    };
    assert!(m.changed.is_empty() && m.unknown == ComponentSet::FORMAT_1);
}

#[test]
fn typo_and_where() {
    let code = issue(&subscription());
    // Change one character in the third group.
    let mut chars: Vec<char> = code.chars().collect();
    let pos = 2 * 6 + 1;
    chars[pos] = if chars[pos] == 'X' { 'Y' } else { 'X' };
    let typo: String = chars.into_iter().collect();
    let e = refused(&verifier(), &typo);
    assert!(matches!(e, Error::Code(CoreError::Typo { group: 3 })), "{e:?}");
    assert!(e.to_string().contains("typo in group 3"));
    // A character missing.
    let short = code.replacen(|c: char| c.is_ascii_alphanumeric(), "", 1);
    assert!(
        matches!(refused(&verifier(), &short), Error::Code(e) if e.kind() == license_core::ErrorKind::Typo)
    );
    // Nothing, or a fingerprint pasted instead of the code.
    assert!(matches!(
        refused(&verifier(), "  "),
        Error::Code(CoreError::Empty)
    ));
    let fp = server().binding(1).unwrap().to_string();
    assert!(matches!(
        refused(&verifier(), &fp),
        Error::Code(CoreError::NotALicenseCode)
    ));
}

#[test]
fn not_signed_by_this_vendor() {
    // Another vendor's key.
    let e = refused(&verifier(), &issue_with(&subscription(), &other_vendor()));
    assert!(matches!(e, Error::Code(CoreError::UnknownKey { .. })), "{e:?}");
    assert!(e.to_string().contains("a key this software does not know"));
    // Our key id, but the signature was altered (the text's typo check recomputed).
    let code = license_core::sign(&subscription(), &context(), &vendor()).unwrap();
    let mut bytes = code.as_bytes().to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let forged = UntrustedCode::from_bytes(&bytes).unwrap().to_string();
    let e = refused(&verifier(), &forged);
    assert!(matches!(e, Error::Code(CoreError::BadSignature)), "{e:?}");
    assert!(e.to_string().contains("not signed by this vendor"));
    // Key rotation: a verifier holding the old and the new key accepts both.
    let both = Verifier::builder(
        vec![
            license_core::PublicKey::from(other_vendor().verifying_key()),
            license_core::PublicKey::from(vendor().verifying_key()),
        ],
        PRODUCT,
        build_date(),
    )
    .licensee(LICENSEE)
    .database(DATABASE)
    .build()
    .unwrap();
    for code in [
        issue(&subscription()),
        issue_with(&subscription(), &other_vendor()),
    ] {
        assert!(both.verify_text_at(&code, noon(d(2026, 3, 1))).is_ok());
    }
}

#[test]
fn wrong_product() {
    let v = Verifier::builder(keys(), "crm-suite", build_date())
        .licensee(LICENSEE)
        .database(DATABASE)
        .build()
        .unwrap();
    assert!(matches!(
        refused(&v, &issue(&subscription())),
        Error::Code(CoreError::WrongProduct)
    ));
}

#[test]
fn misconfiguration_is_reported_at_build() {
    let no_keys = Verifier::builder(vec![], PRODUCT, build_date())
        .licensee(LICENSEE)
        .build();
    assert!(matches!(no_keys, Err(Error::Config(_))));
    let no_licensee = Verifier::builder(keys(), PRODUCT, build_date()).build();
    assert!(matches!(no_licensee, Err(Error::Config(_))));
    let short_secret = builder().state_file("/tmp/x", b"short".to_vec()).build();
    assert!(matches!(short_secret, Err(Error::Config(_))));
    let long = "x".repeat(256);
    assert!(matches!(builder().licensee(long).build(), Err(Error::Config(_))));
}

#[test]
fn unreadable_code_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let e = verifier()
        .verify_file_at(&missing, noon(d(2026, 3, 1)))
        .unwrap_err();
    assert!(matches!(&e, Error::Io { path, .. } if path == &missing), "{e:?}");
    let binary = dir.path().join("binary");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    assert!(matches!(
        verifier().verify_file_at(&binary, noon(d(2026, 3, 1))),
        Err(Error::NotText { .. })
    ));
}

/// `VerifierBuilder::tolerate_unreadable`: a code bound as root to five components (the
/// hardware UUID and the board serial among them), verified by a host that cannot read
/// those two: refused ("changed: none; unreadable: ...") unless the host tolerates them;
/// then they count neither way, and a further change (the OS id) is still refused, since
/// the majority of all five must match.
#[test]
fn a_host_may_tolerate_components_it_merely_cannot_read() {
    let serial =
        license_core::component_digest(PRODUCT.as_bytes(), Component::BoardSerial, "PF2ABCDE").unwrap();
    let mut as_root = server();
    as_root.add(Component::BoardSerial, serial);
    let code = issue_for_machine(&License {
        binding: Binding::machine(as_root.binding(1).unwrap()),
        ..subscription()
    });
    let root_only = ComponentSet::EMPTY
        .with(Component::HardwareUuid)
        .with(Component::BoardSerial);
    let tolerant = |m: license_core::MachineFingerprint| {
        Verifier::builder(keys(), PRODUCT, build_date())
            .licensee(LICENSEE)
            .machine_fingerprint(m)
            .tolerate_unreadable(root_only)
            .build()
            .unwrap()
    };
    let mut service_user = as_root;
    service_user.clear(Component::HardwareUuid);
    service_user.clear(Component::BoardSerial);
    let e = refused(&installation(service_user), &code);
    let msg = e.to_string();
    assert!(
        msg.contains("changed: none; unreadable: hardware UUID, board serial"),
        "{msg}"
    );
    assert!(
        msg.contains("take the fingerprint as the user the product runs as"),
        "{msg}"
    );
    let v = tolerant(service_user)
        .verify_text_at(&code, noon(d(2026, 3, 1)))
        .unwrap();
    let m = v.machine_match().unwrap();
    assert_eq!((m.tolerated, m.unknown), (root_only, ComponentSet::EMPTY));
    assert!(
        v.to_string()
            .contains("unreadable to this user, tolerated: hardware UUID, board serial"),
        "{v}"
    );
    // The OS id changed as well: CPU and network alone are no majority of five.
    let mut moved = service_user;
    moved.clear(Component::OsInstallId);
    moved.add(
        Component::OsInstallId,
        license_core::component_digest(
            PRODUCT.as_bytes(),
            Component::OsInstallId,
            "ffffffffc4c5404aaa1f6d2a48adfda4",
        )
        .unwrap(),
    );
    assert!(matches!(
        refused(&tolerant(moved), &code),
        Error::Code(CoreError::WrongMachine(_))
    ));
}
