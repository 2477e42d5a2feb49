//! Writes the golden vectors of format version 2 to standard output, deterministically
//! (fixed seed keys, fixed dates). CI regenerates them and fails on any difference:
//!
//! ```sh
//! cargo run -q -p license-core --example gen_vectors_v2 > license-core/tests/vectors/v2.json
//! git diff --exit-code license-core/tests/vectors/
//! ```
//!
//! Sections: `cases` (a code text, an installation, and the verdict: the license it grants
//! or the error kind), `status` (a verified code evaluated on chosen days), `revocation_lists`
//! (list bytes and their verdict) and `fingerprints` (raw component values, their digests and
//! the printable fingerprint). See `docs/FORMAT.md`.
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

/// Format 2's parts of a case's JSON.
const FORMAT_2: VectorFormat = VectorFormat {
    machine_json,
    details,
    intended,
};

/// Format 2's verdicts also name the format and how the machine matched.
fn details(v: &mut Value, outcome: &Result<VerifiedLicense, Error>) {
    let m = match outcome {
        Ok(verified) => {
            v["format_version"] = json!(verified.format().version());
            verified.machine_match().copied()
        }
        Err(Error::WrongMachine(m)) => Some(*m),
        Err(_) => None,
    };
    if let Some(m) = m {
        v["machine_match"] = json!({
            "matched": m.matched.bits(), "changed": m.changed.bits(), "unknown": m.unknown.bits(),
        });
    }
}

fn machine_json(m: Option<&MachineFingerprint>) -> Value {
    match m {
        None => Value::Null,
        Some(m) => {
            let mut obj = serde_json::Map::new();
            for c in Component::ALL {
                let v: Vec<String> = m.digests(c).iter().map(|d| hex(&d.to_bytes())).collect();
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
        | "machine-one-unreadable"
        | "machine-second-adapter"
        | "perpetual-database"
        | "reduction-next-quarter"
        | "trial"
        | "nfr-concurrent"
        | "vm-three-components"
        | "vm-cpu-changed"
        | "seat-server"
        | "interim"
        | "format-1-still-verifies"
        | "line-8-two-flag-bytes"
        | "nfr-all-modules"
        | "line-breaks" => "valid",
        "machine-two-changed"
        | "machine-two-unreadable"
        | "machine-cpu-only"
        | "machine-16-bit-neighbour"
        | "vm-root-fs-and-cpu-changed" => "wrong-machine",
        "machine-missing" => "machine-fingerprint-required",
        "wrong-licensee" => "wrong-licensee",
        "wrong-product" => "wrong-product",
        "wrong-database" | "database-normalizes-to-empty" => "wrong-database",
        "database-missing" => "database-code-required",
        "unknown-key" => "unknown-key",
        "forged-users" | "signature-bit-flipped" | "signature-s-not-canonical" => "bad-signature",
        "unsupported-version" => "unsupported-version",
        "non-canonical-varint"
        | "non-canonical-maintenance"
        | "non-canonical-term"
        | "interim-without-expiry" => "non-canonical",
        "trailing-byte"
        | "reserved-flag-bit"
        | "too-short-for-signature"
        | "pad-character-too-many"
        | "pad-stray-bits"
        | "machine-tolerance-too-high" => "malformed",
        "typo" | "swap" => "typo",
        "truncated" | "inserted-character" => "typo-unlocated",
        "fingerprint-as-code" | "format-1-fingerprint-as-code" => "not-a-license-code",
        "invalid-character" | "vertical-tab" | "line-separator" => "invalid-character",
        "empty" => "empty",
        "too-short" => "too-short",
        "too-long" => "too-long",
        "context-too-long" => "context-too-long",
        other => panic!("case {other} has no intended outcome: add it to intended()"),
    }
}

/// The symbols of `bytes` with a valid check, like `text_of`, but with `extra` raw
/// 5-bit symbols appended to the data first (to build padding errors).
fn text_with_symbols(bytes: &[u8], tweak: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut symbols: Vec<u8> = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            symbols.push(((acc >> bits) & 31) as u8);
        }
    }
    if bits > 0 {
        symbols.push(((acc << (5 - bits)) & 31) as u8);
    }
    tweak(&mut symbols);
    with_check(&symbols)
}

fn with_check(symbols: &[u8]) -> String {
    let mut crc: u32 = 0xC_4943;
    for &s in symbols {
        for b in (0..5).rev() {
            let bit = (u32::from(s) >> b) & 1;
            let top = (crc >> 19) & 1;
            crc = (crc << 1) & 0xF_FFFF;
            if top ^ bit == 1 {
                crc ^= 0x2_265B;
            }
        }
    }
    crc ^= 0xF_FFFF;
    let mut all = symbols.to_vec();
    for i in (0..4).rev() {
        all.push(((crc >> (5 * i)) & 31) as u8);
    }
    all.iter()
        .map(|&s| char::from(ALPHABET[usize::from(s)]))
        .collect()
}

fn signed(license: &License, ctx: &Context<'_>, key: &SigningKey) -> String {
    sign(license, ctx, key).unwrap().to_string()
}

fn status_json(verified: &VerifiedLicense, days: &[(Date, Date)]) -> Vec<Value> {
    days.iter()
        .map(|&(today, build)| {
            let e = verified.evaluate(today, build, &Policy::default());
            json!({
                "today": today.to_string(),
                "build_date": build.to_string(),
                "evaluation": serde_json::to_value(e).unwrap(),
                "usable": e.is_usable(),
            })
        })
        .collect()
}

fn main() {
    let key = key();
    let keys = public_keys();
    let machine = reference_machine();
    let reference = reference();
    let ref_code = reference_code();
    let ref_text = ref_code.to_string();
    assert!(
        ref_code.text_len() <= 150,
        "the reference code is at most 150 characters"
    );
    let mut cases = Vec::new();
    let plain = Context::new(PRODUCT, LICENSEE);

    cases.push(
        Case::new(
            "reference",
            "the reference license on its own machine",
            ref_text.clone(),
        )
        .on(machine),
    );
    cases.push(
        Case {
            licensee: "  acme   CORP ",
            ..Case::new(
                "licensee-normalized",
                "licensee differs only in case and white space",
                ref_text.clone(),
            )
        }
        .on(machine),
    );
    let other_mac = [0x00, 0x1b, 0x21, 0x99, 0x99, 0x99];
    cases.push(
        Case::new(
            "machine-one-changed",
            "one of four components changed: within tolerance 1",
            ref_text.clone(),
        )
        .on(common::machine(
            MACHINE_OS_ID,
            MACHINE_HW_UUID,
            MACHINE_CPU,
            other_mac,
        )),
    );
    cases.push(
        Case::new(
            "machine-one-unreadable",
            "hardware UUID unreadable: counts against the tolerance of 1, still within it",
            ref_text.clone(),
        )
        .on(common::machine(MACHINE_OS_ID, "", MACHINE_CPU, MACHINE_MAC)),
    );
    let mut two_nics = common::machine(MACHINE_OS_ID, MACHINE_HW_UUID, MACHINE_CPU, other_mac);
    two_nics.add(
        Component::Network,
        mac_digest(PRODUCT.as_bytes(), MACHINE_MAC).unwrap(),
    );
    cases.push(
        Case::new(
            "machine-second-adapter",
            "a second physical adapter added: any adapter's digest matches",
            ref_text.clone(),
        )
        .on(two_nics),
    );
    cases.push(
        Case::new(
            "machine-two-changed",
            "two components changed: beyond tolerance 1",
            ref_text.clone(),
        )
        .on(common::machine(
            MACHINE_OS_ID,
            MACHINE_HW_UUID,
            "AMD EPYC 7763 | 64",
            other_mac,
        )),
    );
    cases.push(
        Case::new(
            "machine-two-unreadable",
            "hardware UUID and network unreadable: hiding components never lowers what must match",
            ref_text.clone(),
        )
        .on(common::machine(
            MACHINE_OS_ID,
            "",
            MACHINE_CPU,
            [0x02, 0, 0, 0, 0, 1],
        )),
    );
    cases.push(
        Case::new(
            "machine-cpu-only",
            "only the CPU readable: the CPU alone identifies no machine",
            ref_text.clone(),
        )
        .on(common::machine("", "", MACHINE_CPU, [0x02, 0, 0, 0, 0, 1])),
    );
    // A machine whose OS id digest agrees with the bound one in the first 8 bits only.
    let bound_os = reference
        .binding
        .machine
        .unwrap()
        .digest(Component::OsInstallId)
        .unwrap();
    let neighbour = (1u32..)
        .map(|i| format!("{i:032x}"))
        .find(|id| {
            let d = component_digest(PRODUCT.as_bytes(), Component::OsInstallId, id).unwrap();
            d.prefix(8) == bound_os >> 8 && d.prefix(16) != bound_os
        })
        .unwrap();
    cases.push(
        Case::new(
            "machine-16-bit-neighbour",
            "OS id and hardware UUID differ, the OS id digest agreeing in its first byte only (which matched in format 1)",
            ref_text.clone(),
        )
        .on(common::machine(&neighbour, "22222222-0038-3510-8052-B4C04F4E4D32", MACHINE_CPU, MACHINE_MAC)),
    );
    cases.push(Case::new(
        "machine-missing",
        "bound to a machine but no fingerprint given",
        ref_text.clone(),
    ));
    cases.push(
        Case {
            licensee: "ACME Corporation",
            ..Case::new("wrong-licensee", "another licensee name", ref_text.clone())
        }
        .on(machine),
    );
    cases.push(
        Case {
            product: "demo-crm",
            ..Case::new("wrong-product", "a code for another product", ref_text.clone())
        }
        .on(machine),
    );
    let long: &'static str = Box::leak("x".repeat(256).into_boxed_str());
    cases.push(
        Case {
            licensee: long,
            ..Case::new("context-too-long", "a licensee of 256 bytes", ref_text.clone())
        }
        .on(machine),
    );

    // A typical VM: machine id, CPU and root file system (no DMI, a locally administered MAC).
    let vm = machine6(
        MACHINE_OS_ID,
        "",
        MACHINE_CPU,
        [0x02, 0xfc, 0, 0, 0, 1],
        MACHINE_ROOT_FS,
        "",
    );
    let vm_license = License {
        license_id: 1002,
        binding: Binding::machine(vm.binding(1).unwrap()),
        ..reference
    };
    let vm_text = signed(&vm_license, &reference_context(&vm), &key);
    cases.push(
        Case::new(
            "vm-three-components",
            "a VM: OS id, CPU, root file system bound with tolerance 1 (24-bit digests)",
            vm_text.clone(),
        )
        .on(vm),
    );
    cases.push(
        Case::new(
            "vm-cpu-changed",
            "the VM after a live migration to another CPU model: within tolerance 1",
            vm_text.clone(),
        )
        .on(machine6(
            MACHINE_OS_ID,
            "",
            "AMD EPYC 7763 | 64",
            [0x02, 0xfc, 0, 0, 0, 1],
            MACHINE_ROOT_FS,
            "",
        )),
    );
    cases.push(
        Case::new(
            "vm-root-fs-and-cpu-changed",
            "the VM with a new root file system and another CPU: beyond tolerance 1",
            vm_text,
        )
        .on(machine6(
            MACHINE_OS_ID,
            "",
            "AMD EPYC 7763 | 64",
            [0x02, 0xfc, 0, 0, 0, 1],
            "0000000000000001",
            "",
        )),
    );

    // A seat-server license: bound to the server's machine and naming its key.
    let seat_key = SigningKey::from_bytes(&[11; 32]).verifying_key().to_bytes();
    let server_license = License {
        license_id: 5005,
        kind: Kind::Subscription,
        named_users: None,
        concurrent_seats: Some(30),
        binding: Binding::machine(machine.binding(1).unwrap()).with_seat_server(&seat_key),
        ..reference
    };
    cases.push(
        Case::new(
            "seat-server",
            "30 concurrent seats served by the seat server whose Ed25519 public key is [11; 32]'s",
            signed(&server_license, &reference_context(&machine), &key),
        )
        .on(machine),
    );

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
        perpetual_text.clone(),
    ));
    cases.push(Case {
        database: Some(" - -- "),
        ..Case::new(
            "database-normalizes-to-empty",
            "a database code of only dashes and spaces: compared by its hint like any value",
            perpetual_text.clone(),
        )
    });

    // A mixed order: the larger code is interim until the reduction's first day.
    let larger = License {
        license_id: 2002,
        revision: 4,
        kind: Kind::Full,
        named_users: Some(40),
        issued: day(2026, 12, 1),
        valid_from: day(2026, 12, 1),
        expires: Some(day(2027, 1, 1)),
        grace_days: 14,
        maintenance_ends: Some(day(2027, 3, 2)),
        interim: true,
        ..perpetual
    };
    let larger_text = signed(&larger, &db_ctx, &key);
    cases.push(Case {
        database: Some(DATABASE),
        ..Case::new(
            "interim",
            "the larger code of a mixed order, ending where the reduced code begins (no grace, no demo mode)",
            larger_text.clone(),
        )
    });
    // An interim code without an expiry (the interim flag, term 0): it decodes, but an
    // interim code needs an expiry, so it does not re-encode. The term byte is found as the
    // one byte where a one-month and a two-month term differ.
    {
        let one_month = sign(&larger, &db_ctx, &key).unwrap();
        let two_months = sign(
            &License {
                expires: Some(day(2027, 2, 1)),
                ..larger
            },
            &db_ctx,
            &key,
        )
        .unwrap();
        let (a, b) = (one_month.as_bytes(), two_months.as_bytes());
        let at = (0..a.len()).find(|&i| a[i] != b[i]).unwrap();
        assert_eq!((a[at], b[at]), (3, 5), "the term: one month, two months");
        let mut p = a.to_vec();
        p[at] = 0;
        cases.push(Case {
            database: Some(DATABASE),
            ..Case::new(
                "interim-without-expiry",
                "the interim code with its term set to 0 (perpetual): an interim code needs an expiry",
                text_of(&p),
            )
        });
    }
    let reduction = License {
        revision: 5,
        named_users: Some(20),
        modules: ModuleSet::EMPTY.with(0),
        issued: day(2026, 12, 1),
        valid_from: day(2027, 1, 1),
        ..perpetual
    };
    let reduction_text = signed(&reduction, &db_ctx, &key);
    cases.push(Case {
        database: Some(DATABASE),
        ..Case::new(
            "reduction-next-quarter",
            "the reduced code, valid from the next quarter start",
            reduction_text.clone(),
        )
    });

    let trial = trial();
    let trial_text = signed(&trial, &plain, &key);
    cases.push(Case::new(
        "trial",
        "30-day Expert trial, all modules, unbound",
        trial_text.clone(),
    ));

    let nfr = nfr();
    cases.push(Case::new(
        "nfr-concurrent",
        "NFR, 50 concurrent seats, no named-user limit",
        signed(&nfr, &plain, &key),
    ));
    cases.push(Case::new(
        "line-8-two-flag-bytes",
        "product line 8: the flags varint takes two bytes",
        signed(
            &License {
                line: ProductLine::new(8).unwrap(),
                ..nfr
            },
            &plain,
            &key,
        ),
    ));
    // Every module, present and future: the flag (bit 10) instead of a module list, so a
    // module numbered later than the catalog's at issue (say 6 or 40) is granted too.
    let nfr_all = License {
        modules: ModuleSet::ALL,
        ..nfr
    };
    let all_text = signed(&nfr_all, &plain, &key);
    let listed_text = signed(
        &License {
            modules: ModuleSet::first(6),
            ..nfr
        },
        &plain,
        &key,
    );
    assert!(
        all_text.len() <= listed_text.len(),
        "an all-modules code is no longer than one listing six modules"
    );
    cases.push(Case::new(
        "nfr-all-modules",
        "NFR with every module, present and future (flag bit 10, no module list): grants every module number",
        all_text,
    ));
    cases.push(
        Case::new(
            "format-1-still-verifies",
            "the format-1 reference code (v1.json) verifies with format 1's rule",
            reference_code_v1().to_string(),
        )
        .on(machine),
    );

    // Signed by another key: same format, unknown key id.
    let other = SigningKey::from_bytes(&OTHER_SEED);
    assert_ne!(
        key_id(&other.verifying_key()),
        key_id(&key.verifying_key()),
        "pick another seed"
    );
    cases.push(
        Case::new(
            "unknown-key",
            "signed by a key the verifier does not have",
            signed(&reference, &plain, &other),
        )
        .on(machine),
    );

    // Forgeries: valid typo check, altered bytes.
    let bytes = ref_code.as_bytes().to_vec();
    let split = bytes.len() - SIGNATURE_LEN;
    let mut more_users = reference;
    more_users.named_users = Some(250);
    let forged = sign(&more_users, &reference_context(&machine), &other).unwrap();
    let altered = Altered::of(&bytes, &ref_text, forged.as_bytes());
    cases.push(altered.case("forged-users").on(machine));
    cases.push(altered.case("signature-bit-flipped").on(machine));
    // s + L (the group order) encodes the same scalar non-canonically: strict
    // verification refuses it.
    let mut s_plus_l = bytes.clone();
    {
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];
        let s = &mut s_plus_l[split + 32..];
        let mut carry = 0u16;
        for (b, l) in s.iter_mut().zip(L) {
            let v = u16::from(*b) + u16::from(l) + carry;
            *b = v as u8;
            carry = v >> 8;
        }
        assert_eq!(carry, 0);
        assert!(s[31] & 0xE0 == 0, "s + L still fits 253 bits for this signature");
    }
    cases.push(
        Case::new(
            "signature-s-not-canonical",
            "the signature's s replaced by s + L (same scalar, not canonical)",
            text_of(&s_plus_l),
        )
        .on(machine),
    );
    cases.push(altered.case("unsupported-version").on(machine));
    cases.push(altered.case("non-canonical-varint").on(machine));
    // Maintenance written as the date form of the expiry instead of 1 ("with the term").
    {
        let p = &bytes[..split];
        // Head: version, key id, license id (2), revision, flags, users, seats, demo, modules,
        // issued (2), valid_from, term, grace, maintenance (1 byte: 0x01).
        let at = 1 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 2 + 1 + 1 + 1;
        assert_eq!(p[at], 1, "maintenance with the term");
        let days = reference.expires.unwrap().days_since(Date::CODE_EPOCH) as u32 + 1;
        let mut b = p[..at].to_vec();
        b.extend_from_slice(&[(days & 0x7f) as u8 | 0x80, (days >> 7) as u8]);
        b.extend_from_slice(&p[at + 1..]);
        b.extend_from_slice(&bytes[split..]);
        cases.push(
            Case::new(
                "non-canonical-maintenance",
                "maintenance end written as a date equal to the expiry instead of 'with the term'",
                text_of(&b),
            )
            .on(machine),
        );
        // Term written as 365 days instead of 12 months.
        let at_term = 1 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 2 + 1;
        assert_eq!(p[at_term], 25, "12 months");
        let d365 = 2 * 365u32;
        let mut t = p[..at_term].to_vec();
        t.extend_from_slice(&[(d365 & 0x7f) as u8 | 0x80, (d365 >> 7) as u8]);
        t.extend_from_slice(&p[at_term + 1..]);
        t.extend_from_slice(&bytes[split..]);
        cases.push(
            Case::new(
                "non-canonical-term",
                "a 12-month term written as 365 days",
                text_of(&t),
            )
            .on(machine),
        );
        // A reserved flag bit (bit 11; bit 10 is "all modules").
        let at_flags = 1 + 1 + 2 + 1;
        let mut r = p[..at_flags].to_vec();
        r.extend_from_slice(&[p[at_flags] | 0x80, 0x10]);
        r.extend_from_slice(&p[at_flags + 1..]);
        r.extend_from_slice(&bytes[split..]);
        cases.push(Case::new("reserved-flag-bit", "flag bit 11, reserved, set", text_of(&r)).on(machine));
        // Tolerance 2 of 4 bound components: no majority left.
        let at_machine = split - 9;
        assert_eq!(p[at_machine], 0b0100_1111, "four components, tolerance 1");
        let mut m = bytes.clone();
        m[at_machine] = 0b1000_1111;
        cases.push(
            Case::new(
                "machine-tolerance-too-high",
                "tolerance 2 of 4 bound components: a majority would not have to match",
                text_of(&m),
            )
            .on(machine),
        );
    }
    cases.push(altered.case("trailing-byte").on(machine));
    cases.push(Case::new(
        "too-short-for-signature",
        "a version byte and 63 more bytes: no room for a signature",
        text_of(&bytes[..SIGNATURE_LEN]),
    ));
    cases.push(Case::new(
        "pad-character-too-many",
        "one data character more than the bytes need (5 or more padding bits)",
        text_with_symbols(&bytes, |s| s.push(0)),
    ));
    cases.push(Case::new(
        "pad-stray-bits",
        "the padding bits of the last data character are not zero",
        text_with_symbols(&bytes, |s| {
            let last = s.len() - 1;
            s[last] |= 1;
        }),
    ));

    // Typos.
    for name in ["typo", "swap", "truncated"] {
        cases.push(altered.case(name).on(machine));
    }
    let compact: Vec<char> = ref_text.chars().filter(|c| *c != '-').collect();
    let mut inserted = compact.clone();
    inserted.insert(40, '7');
    cases.push(
        Case::new(
            "inserted-character",
            "one character inserted in group 9",
            inserted.iter().collect(),
        )
        .on(machine),
    );
    cases.push(Case::new(
        "fingerprint-as-code",
        "a format-2 machine fingerprint pasted instead of a code",
        machine.binding(1).unwrap().to_string(),
    ));
    cases.push(Case::new(
        "format-1-fingerprint-as-code",
        "a format-1 machine fingerprint pasted instead of a code",
        machine.binding_v1(1).unwrap().to_string(),
    ));
    cases.push(Case::new(
        "invalid-character",
        "a U, which no code contains",
        format!("U{}", &ref_text[1..]),
    ));
    // Separators (docs/FORMAT.md, "Separators"): dashes, spaces, tabs, CR and LF are
    // ignored wherever they stand; any other control or separator character is invalid.
    let broken: String = ref_text
        .split('-')
        .enumerate()
        .map(|(i, g)| match i % 4 {
            0 => format!("{g}\r\n"),
            1 => format!("{g}\n"),
            2 => format!("{g}\t"),
            _ => format!("{g}\r "),
        })
        .collect();
    cases.push(
        Case::new(
            "line-breaks",
            "the reference with its dashes replaced by CR LF, LF, tab and CR space",
            broken,
        )
        .on(machine),
    );
    cases.push(Case::new(
        "vertical-tab",
        "a vertical tab between two groups: not a separator",
        ref_text.replacen('-', "\u{0b}", 1),
    ));
    cases.push(Case::new(
        "line-separator",
        "U+2028 LINE SEPARATOR between two groups: not a separator",
        ref_text.replacen('-', "\u{2028}", 1),
    ));
    cases.push(Case::new("empty", "nothing entered", String::new()));
    cases.push(Case::new(
        "too-short",
        "four characters: the check alone",
        "ABCD".into(),
    ));
    cases.push(Case::new(
        "too-long",
        "more characters than the longest code",
        "0".repeat(300),
    ));

    // Status on chosen days.
    let verify =
        |text: &str, ctx: &Context<'_>| UntrustedCode::parse(text).unwrap().verify(&keys, ctx).unwrap();
    let ref_verified = verify(&ref_text, &reference_context(&machine));
    let status = json!([
        {
            "case": "reference",
            "days": status_json(&ref_verified, &[
                (day(2026, 11, 21), day(2026, 11, 1)),
                (day(2026, 11, 22), day(2026, 11, 1)),
                (day(2027, 10, 23), day(2027, 6, 1)),
                (day(2027, 10, 24), day(2027, 6, 1)),
                (day(2027, 11, 21), day(2027, 11, 21)),
                (day(2027, 11, 22), day(2027, 11, 22)),
                (day(2027, 12, 5), day(2027, 6, 1)),
                (day(2027, 12, 6), day(2027, 6, 1)),
            ]),
        },
        {
            "case": "interim",
            "days": status_json(&verify(&larger_text, &db_ctx), &[
                (day(2026, 12, 31), day(2026, 6, 1)),
                (day(2027, 1, 1), day(2026, 6, 1)),
                (day(2027, 1, 15), day(2026, 6, 1)),
            ]),
        },
        {
            "case": "reduction-next-quarter",
            "days": status_json(&verify(&reduction_text, &db_ctx), &[
                (day(2026, 12, 31), day(2026, 6, 1)),
                (day(2027, 1, 1), day(2026, 6, 1)),
                (day(2027, 1, 1), day(2027, 3, 2)),
            ]),
        },
        {
            "case": "trial",
            "days": status_json(&verify(&trial_text, &plain), &[
                (day(2026, 12, 21), day(2026, 11, 1)),
                (day(2026, 12, 22), day(2026, 11, 1)),
            ]),
        },
    ]);

    // Revocation lists (format version 1 of the list, unchanged).
    let entries = [
        RevocationEntry {
            license_id: 1,
            revisions: RevokedRevisions::All,
        },
        RevocationEntry {
            license_id: 2002,
            revisions: RevokedRevisions::UpTo(4),
        },
    ];
    let list = sign_revocation_list(PRODUCT, 7, day(2026, 12, 1), day(2027, 3, 1), &entries, &key).unwrap();
    let mut list_bad = list.clone();
    let n = list_bad.len();
    list_bad[n - 1] ^= 1;
    let other_list =
        sign_revocation_list(PRODUCT, 7, day(2026, 12, 1), day(2027, 3, 1), &entries, &other).unwrap();
    let revocation_case = |name: &str, why: &str, bytes: &[u8], product: &str| {
        let outcome = UntrustedRevocationList::parse(bytes).and_then(|l| l.verify(&keys, product));
        let mut v = json!({"name": name, "why": why, "product": product, "bytes": hex(bytes)});
        match outcome {
            Ok(l) => {
                v["valid"] = json!(true);
                v["sequence"] = json!(l.sequence());
                v["issued"] = json!(l.issued().to_string());
                v["expires"] = json!(l.expires().to_string());
                v["entries"] = serde_json::to_value(l.entries().collect::<Vec<_>>()).unwrap();
                let certificates: Vec<u32> = l.revoked_certificates().collect();
                if !certificates.is_empty() {
                    v["revoked_certificates"] = json!(certificates);
                }
                v["revokes"] = json!({
                    "2002/4": l.is_revoked(2002, 4), "2002/5": l.is_revoked(2002, 5), "1/99": l.is_revoked(1, 99),
                });
            }
            Err(e) => {
                v["valid"] = json!(false);
                v["error"] = json!(error_name(&e));
                v["message"] = json!(e.to_string());
            }
        }
        v
    };
    let revocation_lists = json!([
        revocation_case(
            "list",
            "sequence 7: license 1 withdrawn, license 2002 up to revision 4 (the larger code)",
            &list,
            PRODUCT
        ),
        revocation_case(
            "list-other-product",
            "the same list checked for another product",
            &list,
            "demo-crm"
        ),
        revocation_case(
            "list-bit-flipped",
            "the last signature bit flipped",
            &list_bad,
            PRODUCT
        ),
        revocation_case("list-unknown-key", "signed by another key", &other_list, PRODUCT),
        revocation_case(
            "list-version-2",
            "version 2: the same entries, and first-level reseller certificates 3 and 500 revoked",
            &sign_revocation_list_with_certificates(
                PRODUCT,
                8,
                day(2026, 12, 1),
                day(2027, 3, 1),
                &entries,
                &[500, 3],
                &key
            )
            .unwrap(),
            PRODUCT
        ),
        revocation_case(
            "list-cut-short",
            "the signature cut off",
            &list[..list.len() - 64],
            PRODUCT
        ),
    ]);

    // Fingerprint texts: raw values -> digests -> printable form.
    let fp = |name: &str, m: &MachineFingerprint, raw: Value, tolerance: u8| {
        let b = m.binding(tolerance).unwrap();
        assert_eq!(MachineBinding::parse(&b.to_string()), Ok(b));
        json!({
            "name": name,
            "raw": raw,
            "digests": machine_json(Some(m)),
            "tolerance_asked": tolerance,
            "binding": {
                "components": b.components().bits(),
                "tolerance": b.tolerance(),
                "digest_bits": b.digest_bits(),
                "text": b.to_string(),
            },
        })
    };
    let fingerprints = json!([
        fp(
            "reference",
            &machine,
            json!({
                "os-install-id": MACHINE_OS_ID, "hardware-uuid": MACHINE_HW_UUID, "cpu": MACHINE_CPU,
                "network": [hex(&MACHINE_MAC)],
            }),
            1
        ),
        fp(
            "vm",
            &vm,
            json!({
                "os-install-id": MACHINE_OS_ID, "cpu": MACHINE_CPU, "network": [hex(&[0x02, 0xfc, 0, 0, 0, 1])],
                "root-file-system": MACHINE_ROOT_FS,
            }),
            1
        ),
        fp(
            "six-components",
            &machine6(
                MACHINE_OS_ID,
                MACHINE_HW_UUID,
                MACHINE_CPU,
                MACHINE_MAC,
                MACHINE_ROOT_FS,
                MACHINE_BOARD_SERIAL
            ),
            json!({
                "os-install-id": MACHINE_OS_ID, "hardware-uuid": MACHINE_HW_UUID, "cpu": MACHINE_CPU,
                "network": [hex(&MACHINE_MAC)], "root-file-system": MACHINE_ROOT_FS, "board-serial": MACHINE_BOARD_SERIAL,
            }),
            3
        ),
    ]);

    let doc = json!({
        "format_version": Format::V2.version(),
        "about": "Golden vectors of license-core format v2. Generated by license-core/examples/gen_vectors_v2.rs; do not edit. Dates are UTC days; machine digests (24 bits, of which a code carries 16 or 24) are keyed with the product id.",
        "seed_key": hex(&SEED),
        "public_key": hex(&keys[0].to_bytes()),
        "key_id": keys[0].id(),
        "seat_server_public_key": hex(&seat_key),
        "reference_machine_raw": {
            "os-install-id": MACHINE_OS_ID,
            "hardware-uuid": MACHINE_HW_UUID,
            "cpu": MACHINE_CPU,
            "network": hex(&MACHINE_MAC),
        },
        "cases": cases.iter().map(|c| c.json(&keys, &FORMAT_2)).collect::<Vec<_>>(),
        "status": status,
        "revocation_lists": revocation_lists,
        "fingerprints": fingerprints,
    });
    println!("{}", serde_json::to_string_pretty(&doc).unwrap());
}
