//! The integrator's traps: `fingerprint` keyed for the product `issue` would pick (and
//! saying which), and the machine tolerance capped the same way from the catalog and from
//! `--tolerance`, with the reason printed.

mod common;

use common::*;
use license_core::{Component, ComponentSet, MachineBinding};

/// A licensing directory whose only catalog is another product than the demo.
fn other_product() -> Env {
    let env = Env::new();
    env.run(&["keygen"]).ok();
    let demo = env.run(&["catalog", "--print-demo"]).ok().to_owned();
    let dir = env.path("catalog");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("acme-cad.toml"),
        demo.replace("product = \"demo-erp\"", "product = \"acme-cad\""),
    )
    .unwrap();
    env
}

#[test]
fn fingerprint_uses_the_only_catalog_and_says_so() {
    let env = other_product();
    let out = env.run(&["fingerprint"]).ok().to_owned();
    assert!(
        out.contains("Keyed for product acme-cad (the only catalog"),
        "{out}"
    );
    assert!(out.contains("Tolerance: "), "{out}");
    let v = env.run(&["--json", "fingerprint"]).json();
    assert_eq!(v["product"], "acme-cad");
    // The same fingerprint as keyed explicitly, and not the demo product's.
    let explicit = env
        .run(&["--json", "fingerprint", "--product", "acme-cad"])
        .json();
    assert_eq!(v["fingerprint"], explicit["fingerprint"]);
    let demo = env
        .run(&["--json", "fingerprint", "--product", "demo-erp"])
        .json();
    if !v["fingerprint"].is_null() {
        assert_ne!(v["fingerprint"], demo["fingerprint"]);
    }
    // Without any catalog: the demo product, said as such.
    let empty = Env::new();
    let out = empty.run(&["fingerprint"]).ok().to_owned();
    assert!(out.contains("Keyed for product demo-erp (no catalog"), "{out}");
}

#[test]
fn the_tolerance_cap_is_the_same_from_the_catalog_and_the_command_line() {
    let env = Env::ready();
    // A machine of which only two components were readable.
    let set = ComponentSet::EMPTY
        .with(Component::OsInstallId)
        .with(Component::Cpu);
    let d = [1u8, 2, 3, 4, 5, 6].map(|v| license_core::ComponentDigest::from_bytes([v, v, v]));
    let fingerprint = MachineBinding::new(set, d, 0).unwrap().to_string();
    let issue = |extra: &[&str]| {
        let mut args = vec![
            "--json",
            "issue",
            "--licensee",
            "ACME Corp",
            "--kind",
            "subscription",
            "--users",
            "5",
            "--machine",
            &fingerprint,
        ];
        args.extend_from_slice(extra);
        env.run(&args)
    };
    for (extra, source) in [
        (&[][..], "the catalog's machine_tolerance is 1"),
        (&["--tolerance", "1"][..], "the tolerance asked for is 1"),
    ] {
        let run = issue(extra);
        let v = run.json();
        let bound = v["scope"]["bound_to"].as_str().unwrap_or_default();
        assert!(bound.contains("up to 0 may change"), "{v}");
        assert!(
            run.stderr.contains("note: 0 of 2 machine components may change"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(source), "{}", run.stderr);
        assert!(
            run.stderr.contains("a majority of the 2 components"),
            "{}",
            run.stderr
        );
    }
    // Nothing to say when nothing was capped.
    let run = issue(&["--tolerance", "0"]);
    run.ok();
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
}
