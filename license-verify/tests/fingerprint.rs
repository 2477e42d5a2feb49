//! This host's fingerprint: deterministic, keyed per application, every component
//! reported, and usable for a machine-bound code end to end.

mod common;

use common::*;
use license_core::{Binding, Component, Context, License, MachineBinding, sign};
use license_verify::Verifier;
use license_verify::fingerprint::{self, Outcome};

#[test]
fn collection_is_deterministic_and_reports_every_component() {
    let a = fingerprint::collect(PRODUCT.as_bytes());
    let b = fingerprint::collect(PRODUCT.as_bytes());
    assert_eq!(a, b, "the same machine gives the same fingerprint");
    let reports = a.reports();
    assert_eq!(reports.each_ref().map(|r| r.component), Component::ALL);
    for r in reports {
        let known = !a.fingerprint().digests(r.component).is_empty();
        assert_eq!(known, matches!(r.outcome, Outcome::Read { .. }), "{r:?}");
    }
    let text = a.to_string();
    for c in Component::ALL {
        assert!(text.contains(c.name()), "{text}");
    }
}

#[test]
fn the_application_key_changes_the_digests() {
    let a = fingerprint::collect(b"erp");
    let b = fingerprint::collect(b"another-product");
    assert_eq!(a.fingerprint().known(), b.fingerprint().known());
    if !a.fingerprint().known().is_empty() {
        // One byte per component: a collision on every known component is possible but
        // unlikely; compare all digests at once.
        let digests = |c: &fingerprint::CollectedFingerprint| {
            Component::ALL.map(|k| c.fingerprint().digests(k).to_vec())
        };
        assert_ne!(digests(&a), digests(&b));
    }
}

#[test]
fn printable_form_round_trips_and_binds_a_code_to_this_machine() {
    let here = fingerprint::collect(PRODUCT.as_bytes());
    let Ok(binding) = here.binding(fingerprint::DEFAULT_TOLERANCE) else {
        // Nothing readable on this host (a bare container): the report says so.
        assert!(here.to_string().contains("none"));
        return;
    };
    // The customer sends the printable form; the vendor parses it and issues a code.
    let printed = binding.to_string();
    let received = MachineBinding::parse(&printed).unwrap();
    assert_eq!(received, binding);
    let license = License {
        binding: Binding::machine(received),
        ..subscription()
    };
    let code = sign(&license, &Context::new(PRODUCT, LICENSEE), &vendor())
        .unwrap()
        .to_string();
    // The verifier collects this machine's fingerprint itself (the default).
    let v = Verifier::builder(keys(), PRODUCT, build_date())
        .licensee(LICENSEE)
        .build()
        .unwrap();
    let ok = v.verify_text_at(&code, noon(d(2026, 3, 1))).unwrap();
    let m = ok.machine_match().unwrap();
    assert!(m.changed.is_empty(), "{m:?}");
    assert_eq!(m.matched, here.fingerprint().known());
    assert_eq!(v.this_machine(), Some(&here));
    // With another application key the same machine does not match.
    let other = Verifier::builder(keys(), PRODUCT, build_date())
        .licensee(LICENSEE)
        .fingerprint_app_key(b"another-product".to_vec())
        .build()
        .unwrap();
    if here.fingerprint().known().len() >= 2 {
        assert!(other.verify_text_at(&code, noon(d(2026, 3, 1))).is_err());
    }
}

#[test]
fn a_supplied_fingerprint_is_used_instead_of_collecting() {
    let v = verifier();
    assert_eq!(v.this_machine(), None);
}
