//! Writes the golden vectors of format version 1 to standard output, deterministically
//! (fixed seed keys, fixed dates). CI regenerates them and fails on any difference:
//!
//! ```sh
//! cargo run -q -p license-core --example gen_vectors > license-core/tests/vectors/v1.json
//! git diff --exit-code license-core/tests/vectors/
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "common/vectors.rs"]
mod vectors;

use common::*;
use license_core::ed25519_dalek::SigningKey;
use license_core::*;
use serde_json::{Value, json};
use vectors::*;

/// Format 1's parts of a case's JSON.
const FORMAT_1: VectorFormat = VectorFormat {
    machine_json,
    details: |_, _| {},
    intended,
};

fn machine_json(m: Option<&MachineFingerprint>) -> Value {
    match m {
        None => Value::Null,
        Some(m) => {
            let mut obj = serde_json::Map::new();
            // Format 1 knows the first four components and one-byte digests.
            for c in Component::ALL.into_iter().take(4) {
                let v: Vec<String> = m
                    .digests(c)
                    .iter()
                    .map(|d| format!("{:02x}", d.first_byte()))
                    .collect();
                obj.insert(
                    serde_json::to_value(c).unwrap().as_str().unwrap().to_owned(),
                    json!(v),
                );
            }
            Value::Object(obj)
        }
    }
}

/// What each case must give: "valid" or the name of the error.
fn intended(name: &str) -> &'static str {
    match name {
        "reference"
        | "licensee-normalized"
        | "machine-one-changed"
        | "machine-unreadable-uuid"
        | "perpetual-database"
        | "reduction-next-quarter"
        | "trial"
        | "nfr-concurrent" => "valid",
        "machine-two-changed" | "machine-cpu-only" => "wrong-machine",
        "machine-missing" => "machine-fingerprint-required",
        "wrong-licensee" => "wrong-licensee",
        "wrong-product" => "wrong-product",
        "wrong-database" => "wrong-database",
        "database-missing" => "database-code-required",
        "unknown-key" => "unknown-key",
        "forged-users" | "signature-bit-flipped" => "bad-signature",
        "unsupported-version" => "unsupported-version",
        "non-canonical-varint" => "non-canonical",
        "trailing-byte" => "malformed",
        "typo" | "swap" => "typo",
        "truncated" => "typo-unlocated",
        "fingerprint-as-code" => "not-a-license-code",
        "invalid-character" => "invalid-character",
        "empty" => "empty",
        other => panic!("case {other} has no intended outcome: add it to intended()"),
    }
}

fn signed(license: &License, ctx: &Context<'_>, key: &SigningKey) -> String {
    sign_as(Format::V1, license, ctx, key).unwrap().to_string()
}

fn main() {
    let key = key();
    let keys = public_keys();
    let machine = reference_machine();
    let reference = reference_v1();
    let ref_code = reference_code_v1();
    let ref_text = ref_code.to_string();
    let mut cases = Vec::new();

    let with_machine = |mut c: Case, m: MachineFingerprint| {
        c.machine = Some(m);
        c
    };
    cases.push(with_machine(
        Case::new(
            "reference",
            "the reference license on its own machine",
            ref_text.clone(),
        ),
        machine,
    ));
    cases.push(with_machine(
        Case {
            licensee: "  acme   CORP ",
            ..Case::new(
                "licensee-normalized",
                "licensee differs only in case and white space",
                ref_text.clone(),
            )
        },
        machine,
    ));
    cases.push(with_machine(
        Case::new(
            "machine-one-changed",
            "one of four components changed: within tolerance 1",
            ref_text.clone(),
        ),
        common::machine(
            MACHINE_OS_ID,
            MACHINE_HW_UUID,
            MACHINE_CPU,
            [0x00, 0x1b, 0x21, 0x99, 0x99, 0x99],
        ),
    ));
    cases.push(with_machine(
        Case::new(
            "machine-unreadable-uuid",
            "hardware UUID unreadable: unknown, not a mismatch",
            ref_text.clone(),
        ),
        common::machine(MACHINE_OS_ID, "", MACHINE_CPU, MACHINE_MAC),
    ));
    cases.push(with_machine(
        Case::new(
            "machine-two-changed",
            "two components changed: beyond tolerance 1",
            ref_text.clone(),
        ),
        common::machine(
            MACHINE_OS_ID,
            MACHINE_HW_UUID,
            "AMD EPYC 7763 | 64",
            [0x00, 0x1b, 0x21, 0x99, 0x99, 0x99],
        ),
    ));
    cases.push(with_machine(
        Case::new(
            "machine-cpu-only",
            "only the CPU matches, everything else unreadable: the CPU alone identifies no machine",
            ref_text.clone(),
        ),
        common::machine("", "", MACHINE_CPU, [0x02, 0, 0, 0, 0, 1]),
    ));
    cases.push(Case::new(
        "machine-missing",
        "bound to a machine but no fingerprint given",
        ref_text.clone(),
    ));
    cases.push(with_machine(
        Case {
            licensee: "ACME Corporation",
            ..Case::new("wrong-licensee", "another licensee name", ref_text.clone())
        },
        machine,
    ));
    cases.push(with_machine(
        Case {
            product: "demo-crm",
            ..Case::new("wrong-product", "a code for another product", ref_text.clone())
        },
        machine,
    ));

    let perpetual = perpetual();
    let db_ctx = Context::new(PRODUCT, LICENSEE).with_database(DATABASE);
    let perpetual_text = signed(&perpetual, &db_ctx, &key);
    cases.push(Case {
        database: Some("db7f3a22c1"),
        ..Case::new(
            "perpetual-database",
            "perpetual Standard license bound to a database code (dashes and case ignored)",
            perpetual_text.clone(),
        )
    });
    cases.push(Case {
        database: Some("DB-7F3A-22C2"),
        ..Case::new("wrong-database", "another database code", perpetual_text.clone())
    });
    cases.push(Case::new(
        "database-missing",
        "bound to a database but none configured",
        perpetual_text,
    ));

    // A reduction that starts next quarter.
    let reduction = License {
        revision: 4,
        named_users: Some(20),
        modules: ModuleSet::EMPTY.with(0),
        issued: day(2026, 11, 22),
        valid_from: day(2027, 1, 1),
        ..perpetual
    };
    cases.push(Case {
        database: Some(DATABASE),
        ..Case::new(
            "reduction-next-quarter",
            "a reduction valid from the next quarter start",
            signed(&reduction, &db_ctx, &key),
        )
    });

    let trial = trial();
    let plain = Context::new(PRODUCT, LICENSEE);
    cases.push(Case::new(
        "trial",
        "30-day Expert trial, all modules, unbound",
        signed(&trial, &plain, &key),
    ));

    let nfr = nfr();
    cases.push(Case::new(
        "nfr-concurrent",
        "NFR, 50 concurrent seats, no named-user limit",
        signed(&nfr, &plain, &key),
    ));

    // Signed by another key: same format, unknown key id (or a bad signature if the ids collide).
    let other = SigningKey::from_bytes(&OTHER_SEED);
    assert_ne!(
        key_id(&other.verifying_key()),
        key_id(&key.verifying_key()),
        "pick another seed"
    );
    cases.push(with_machine(
        Case::new(
            "unknown-key",
            "signed by a key the verifier does not have",
            signed(&reference, &plain, &other),
        ),
        machine,
    ));

    // Forgeries (a valid typo check, altered bytes), then typos. Version 2 became known
    // with format 2 (its own vectors are in v2.json): the unknown version is 3.
    let mut more_users = reference;
    more_users.named_users = Some(250);
    let forged = sign_as(Format::V1, &more_users, &reference_context(&machine), &other).unwrap();
    let altered = Altered::of(ref_code.as_bytes(), &ref_text, forged.as_bytes());
    for name in [
        "forged-users",
        "signature-bit-flipped",
        "unsupported-version",
        "non-canonical-varint",
        "trailing-byte",
        "typo",
        "swap",
        "truncated",
    ] {
        cases.push(altered.case(name).on(machine));
    }
    cases.push(Case::new(
        "fingerprint-as-code",
        "a machine fingerprint pasted instead of a code",
        machine.binding_v1(1).unwrap().to_string(),
    ));
    cases.push(Case::new(
        "invalid-character",
        "a U, which no code contains",
        format!("U{}", &ref_text[1..]),
    ));
    cases.push(Case::new("empty", "nothing entered", String::new()));

    let doc = json!({
        "format_version": Format::V1.version(),
        "about": "Golden vectors of license-core format v1. Generated by license-core/examples/gen_vectors.rs; do not edit. Dates are UTC days; machine digests are keyed with the product id.",
        "seed_key": hex(&SEED),
        "public_key": hex(&keys[0].to_bytes()),
        "key_id": keys[0].id(),
        "reference_machine_raw": {
            "os-install-id": MACHINE_OS_ID,
            "hardware-uuid": MACHINE_HW_UUID,
            "cpu": MACHINE_CPU,
            "network": hex(&MACHINE_MAC),
        },
        "cases": cases.iter().map(|c| c.json(&keys, &FORMAT_1)).collect::<Vec<_>>(),
    });
    println!("{}", serde_json::to_string_pretty(&doc).unwrap());
}
