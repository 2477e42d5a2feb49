//! The commands that look at this machine: demo, fingerprint, verify (through
//! license-verify). Written to pass on a machine whose components cannot be read too.

mod common;
use common::*;

#[test]
fn demo_issues_verifies_and_explains_the_reference_license() {
    let env = Env::new();
    let out = env.run(&["demo"]);
    let text = out.ok();
    assert!(
        text.starts_with("licensectl demo: the reference license for this machine"),
        "{text}"
    );
    for needle in [
        "3. The code the vendor issues: a 12-month Expert subscription for ACME Corp",
        "4. Verified on this machine through license-verify: what it grants",
        "Product line:     expert",
        "25 named users, 10 concurrent seats",
        "Modules:          crm, budget, planning, bi",
        "from 2026-11-22 to 2027-11-21 inclusive, then 14 days of grace, then demo mode with 2 seats",
        "Status:           valid",
        "The license is valid here.",
    ] {
        assert!(text.contains(needle), "missing '{needle}' in:\n{text}");
    }
    assert!(!env.home().exists(), "the demo writes nothing");
    let v = env.run(&["--json", "demo"]).json();
    assert_eq!(v["verification"]["usable"], true);
    assert_eq!(v["verification"]["status"], "valid");
    assert_eq!(v["verification"]["license"]["named_users"], 25);
    assert_eq!(v["verification"]["license"]["line_name"], "expert");
    // Bound to this machine, or (where nothing can be read) to a database code, with a note.
    let l = &v["verification"]["license"];
    assert!(
        l["machine_bound"] == true || (l["database_bound"] == true && v["note"].is_string()),
        "{l}"
    );
}

#[test]
fn fingerprint_then_issue_then_verify_on_this_machine() {
    let env = Env::ready();
    let v = env.run(&["--json", "fingerprint"]).json();
    assert_eq!(
        v["components"].as_array().unwrap().len(),
        license_core::COMPONENTS
    );
    let text = env.run(&["fingerprint"]).ok().to_owned();
    assert!(text.starts_with("Machine fingerprint: "), "{text}");
    let mut args = vec![
        "--users",
        "3",
        "--modules",
        "crm,bi",
        "--licensee",
        "Bob's Garage",
        "--database",
        "DB-ZSNRK-1WQ6N-GHZP2-K95B9",
    ];
    let print = v["fingerprint"].as_str().map(str::to_owned);
    if let Some(p) = &print {
        args.extend_from_slice(&["--machine", p.as_str()]);
    }
    let (_, code) = env.issue(&args);
    let out = env.run(&[
        "verify",
        &code,
        "--licensee",
        "bob's garage",
        "--database",
        "db zsnrk 1wq6n ghzp2 k95b9",
    ]);
    let text = out.ok();
    assert!(text.starts_with("USABLE now: license 1001 revision 1"), "{text}");
    assert!(text.contains("Modules:          crm, bi"), "{text}");
    if print.is_some() {
        assert!(text.contains("This machine:     matches"), "{text}");
    }
    let v = env
        .run(&[
            "--json",
            "verify",
            &code,
            "--licensee",
            "Bob's Garage",
            "--database",
            "DB-ZSNRK-1WQ6N-GHZP2-K95B9",
        ])
        .json();
    assert_eq!(v["usable"], true);
    env.run(&[
        "verify",
        &code,
        "--licensee",
        "Alice",
        "--database",
        "DB-ZSNRK-1WQ6N-GHZP2-K95B9",
    ])
    .fails(1, "licensee name does not match");
    env.run(&[
        "verify",
        &code,
        "--licensee",
        "Bob's Garage",
        "--database",
        "DB-XBCB3-D56SS-K3RXM-4N75J",
    ])
    .fails(1, "another database");
    env.run(&["verify", &code, "--licensee", "Bob's Garage"])
        .fails(1, "no database code is configured");
    let other = "0".repeat(63) + "1";
    env.run(&[
        "verify",
        &code,
        "--licensee",
        "Bob's Garage",
        "--database",
        "DB-ZSNRK-1WQ6N-GHZP2-K95B9",
        "--public-key",
        &other,
    ])
    .fails(2, "public key is invalid");
    // An expired trial is genuine but not usable: exit code 3 (as from license-check),
    // with the status shown.
    let (_, trial) = env.issue(&["--licensee", "T", "--kind", "trial"]);
    let out = env.run_on("2027-01-10", &["verify", &trial, "--licensee", "T"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stdout.contains("Status:           expired on 2026-12-22"),
        "{}",
        out.stdout
    );
}

#[test]
fn machine_tolerance_keeps_a_majority() {
    use license_core::{Component, ComponentSet, MachineBinding};
    let env = Env::ready();
    let print = |components: &[Component], tolerance: u8| {
        let set = components.iter().fold(ComponentSet::EMPTY, |s, c| s.with(*c));
        let d = [1u8, 2, 3, 4, 5, 6].map(|v| license_core::ComponentDigest::from_bytes([v, v, v]));
        MachineBinding::new(set, d, tolerance).unwrap().to_string()
    };
    let tolerance_of = |fp: &str, extra: &[&str]| {
        let mut args = vec![
            "--json",
            "issue",
            "--licensee",
            "M",
            "--users",
            "1",
            "--machine",
            fp,
        ];
        args.extend_from_slice(extra);
        let v = env.run(&args).json();
        v["scope"]["bound_to"].as_str().unwrap().to_owned()
    };
    let four = print(&Component::ALL[..4], 1);
    assert!(tolerance_of(&four, &[]).ends_with("up to 1 may change)"));
    let three = print(
        &[Component::OsInstallId, Component::Cpu, Component::RootFileSystem],
        1,
    );
    assert!(tolerance_of(&three, &[]).ends_with("up to 1 may change)"));
    assert!(tolerance_of(&three, &["--tolerance", "0"]).ends_with("up to 0 may change)"));
    let two = print(&[Component::OsInstallId, Component::Cpu], 0);
    assert!(
        tolerance_of(&two, &[]).ends_with("up to 0 may change)"),
        "two components: both must match"
    );
    // --tolerance is capped the same way (with a note on stderr, tests/traps.rs).
    assert!(tolerance_of(&two, &["--tolerance", "1"]).ends_with("up to 0 may change)"));
    assert!(tolerance_of(&two, &["--tolerance", "2"]).ends_with("up to 0 may change)"));
    env.run(&[
        "issue",
        "--licensee",
        "M",
        "--users",
        "1",
        "--machine",
        &two,
        "--tolerance",
        "4",
    ])
    .fails(2, "at most 3");
}

#[test]
fn rehost_keeps_the_part_of_the_binding_not_given_unless_unbound() {
    use license_core::{Component, ComponentSet, MachineBinding};
    let env = Env::ready();
    let print = |seed: u8| {
        let set = Component::ALL.iter().fold(ComponentSet::EMPTY, |s, c| s.with(*c));
        let d = [seed, 2, 3, 4, 5, 6].map(|v| license_core::ComponentDigest::from_bytes([v, v, v]));
        MachineBinding::new(set, d, 1).unwrap().to_string()
    };
    let (fp, fp2) = (print(1), print(9));
    let (id, _) = env.issue(&[
        "--licensee",
        "B",
        "--users",
        "1",
        "--database",
        "DB-ZSNRK-1WQ6N-GHZP2-K95B9",
        "--machine",
        &fp,
    ]);
    let id = id.to_string();
    // (database code, bound to a machine?) after each rehost.
    let bound = |args: &[&str]| {
        let v = env
            .run(&[&["--json", "rehost", id.as_str()], args].concat())
            .json();
        let to = v["scope"]["bound_to"].as_str().unwrap_or_else(|| panic!("{v}"));
        (v["database"].as_str().map(str::to_owned), to.contains("machine"))
    };
    assert_eq!(
        bound(&["--machine", &fp2]),
        (Some("DB-ZSNRK-1WQ6N-GHZP2-K95B9".into()), true),
        "database kept"
    );
    assert_eq!(
        bound(&["--database", "DB-XBCB3-D56SS-K3RXM-4N75J"]),
        (Some("DB-XBCB3-D56SS-K3RXM-4N75J".into()), true),
        "machine kept"
    );
    assert_eq!(bound(&["--unbind-database"]), (None, true), "database removed");
    assert_eq!(
        bound(&["--database", "DB-GGXCN-692D9-8K5D3-TBPSK", "--unbind-machine"]),
        (Some("DB-GGXCN-692D9-8K5D3-TBPSK".into()), false),
        "machine removed"
    );
    let both = env.run(&[
        "rehost",
        id.as_str(),
        "--database",
        "DB-0TBVN-YS9YE-Y6D3Y-DC7EV",
        "--unbind-database",
    ]);
    assert_eq!(both.code, 2, "{both:?}");
    assert!(both.stderr.contains("cannot be used with"), "{both:?}");
}
