//! What the golden-vector generators of both formats share (`gen_vectors.rs`,
//! `gen_vectors_v2.rs`): a case (a code text and the installation it is checked on) and
//! its JSON, the licenses both formats' vectors sign, and the altered texts built from
//! the reference code. The format-specific parts stay in each generator: how a machine
//! fingerprint is written, what a verdict reports beyond the license, the intended
//! outcome of each case.

use license_core::*;
use serde_json::{Value, json};

use crate::common::*;

pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// One case: a code text and the installation it is verified on.
#[derive(Clone)]
pub struct Case {
    pub name: &'static str,
    pub why: &'static str,
    pub code: String,
    pub product: &'static str,
    pub licensee: &'static str,
    pub database: Option<&'static str>,
    pub machine: Option<MachineFingerprint>,
}

/// What a generator writes differently: the machine, the verdict's details, and the
/// outcome each case must have.
pub struct VectorFormat {
    /// The installation's fingerprint as the format knows it.
    pub machine_json: fn(Option<&MachineFingerprint>) -> Value,
    /// What the verdict reports beyond `valid`, `license`, `error`, `message`.
    pub details: fn(&mut Value, &Result<VerifiedLicense, Error>),
    /// "valid" or the error name each case must give.
    pub intended: fn(&str) -> &'static str,
}

impl Case {
    pub fn new(name: &'static str, why: &'static str, code: String) -> Case {
        Case {
            name,
            why,
            code,
            product: PRODUCT,
            licensee: LICENSEE,
            database: None,
            machine: None,
        }
    }

    /// Checked on the machine `m`.
    pub fn on(mut self, m: MachineFingerprint) -> Case {
        self.machine = Some(m);
        self
    }

    /// The case as the vectors file holds it; panics when the implementation's verdict
    /// is not the intended one.
    pub fn json(&self, keys: &[PublicKey], format: &VectorFormat) -> Value {
        let ctx = Context {
            product: self.product,
            licensee: self.licensee,
            database: self.database,
            machine: self.machine.as_ref(),
        };
        let outcome = UntrustedCode::parse(&self.code).and_then(|c| c.verify(keys, &ctx));
        // The intended outcome is written down in the generator, not taken from the
        // implementation.
        let got = outcome.as_ref().map_or_else(error_name, |_| "valid");
        assert_eq!(
            got,
            (format.intended)(self.name),
            "case {}: the implementation disagrees with the vector",
            self.name
        );
        let mut v = json!({
            "name": self.name,
            "why": self.why,
            "public_key": hex(&keys[0].to_bytes()),
            "context": {
                "product": self.product,
                "licensee": self.licensee,
                "database": self.database,
                "machine": (format.machine_json)(self.machine.as_ref()),
            },
            "code": self.code,
            "chars": self.code.chars().filter(|c| !matches!(c, '-' | ' ')).count(),
        });
        match &outcome {
            Ok(verified) => {
                v["valid"] = json!(true);
                v["license"] = serde_json::to_value(verified.license()).unwrap();
            }
            Err(e) => {
                v["valid"] = json!(false);
                v["error"] = json!(error_name(e));
                v["message"] = json!(e.to_string());
            }
        }
        (format.details)(&mut v, &outcome);
        v
    }
}

/// A perpetual Standard license bound to a database, with maintenance.
pub fn perpetual() -> License {
    License {
        license_id: 2002,
        revision: 3,
        kind: Kind::Full,
        line: ProductLine::new(0).unwrap(),
        named_users: Some(40),
        concurrent_seats: None,
        demo_seats: 0,
        modules: ModuleSet::EMPTY.with(0).with(3),
        issued: day(2026, 3, 2),
        valid_from: day(2026, 3, 2),
        expires: None,
        grace_days: 0,
        maintenance_ends: Some(day(2027, 3, 2)),
        binding: Binding::DATABASE,
        interim: false,
    }
}

/// A 30-day Expert trial with every module, bound to nothing.
pub fn trial() -> License {
    License {
        license_id: 3003,
        revision: 0,
        kind: Kind::Trial,
        line: ProductLine::new(1).unwrap(),
        named_users: Some(10),
        concurrent_seats: None,
        demo_seats: 0,
        modules: ModuleSet::first(8),
        issued: day(2026, 11, 22),
        valid_from: day(2026, 11, 22),
        expires: Some(day(2026, 12, 22)),
        grace_days: 0,
        maintenance_ends: None,
        binding: Binding::NONE,
        interim: false,
    }
}

/// Concurrent seats only (contact center), NFR.
pub fn nfr() -> License {
    License {
        license_id: 4_000_004,
        kind: Kind::Nfr,
        named_users: None,
        concurrent_seats: Some(50),
        demo_seats: 2,
        grace_days: 14,
        expires: Some(day(2027, 11, 22)),
        ..trial()
    }
}

/// Texts made from the reference code's `bytes` (payload, then the signature): each a
/// valid text form of bytes a verifier must refuse, or a text with a typo.
pub struct Altered {
    /// `forged`'s payload (signed by another key) with the reference's key id and signature.
    pub forged: String,
    /// The last bit of the signature flipped.
    pub bit_flipped: String,
    /// Payload version 3.
    pub version_3: String,
    /// The license id 1001 (`e9 07` at offset 2) as the overlong varint `e9 87 00`.
    pub overlong_id: String,
    /// A zero byte between the fields and the signature.
    pub trailing_byte: String,
    /// One character changed in group 7.
    pub typo: String,
    /// Two adjacent different characters swapped (from character 50 on).
    pub swap: String,
    /// The last group missing.
    pub truncated: String,
}

impl Altered {
    /// The altered texts of the reference code `bytes` (text `text`); `forged` is a code
    /// of more users signed by another key.
    pub fn of(bytes: &[u8], text: &str, forged: &[u8]) -> Altered {
        let split = bytes.len() - SIGNATURE_LEN;
        let signature = &bytes[split..];
        let mut f = forged.to_vec();
        f[1] = bytes[1]; // claim the vendor's key id
        f.truncate(f.len() - SIGNATURE_LEN);
        f.extend_from_slice(signature);
        let mut bit_flipped = bytes.to_vec();
        bit_flipped[bytes.len() - 1] ^= 0x01;
        let mut version_3 = bytes.to_vec();
        version_3[0] = 3;
        let mut overlong = bytes.to_vec();
        assert_eq!(&overlong[2..4], &[0xe9, 0x07]);
        overlong.splice(2..4, [0xe9, 0x87, 0x00]);
        let mut trailing = bytes[..split].to_vec();
        trailing.push(0);
        trailing.extend_from_slice(signature);
        let compact: Vec<char> = text.chars().filter(|c| *c != '-').collect();
        let mut typo = compact.clone();
        typo[33] = if typo[33] == 'X' { 'Y' } else { 'X' };
        let mut swap = compact.clone();
        let i = (50..).find(|&i| swap[i] != swap[i + 1]).unwrap();
        swap.swap(i, i + 1);
        Altered {
            forged: text_of(&f),
            bit_flipped: text_of(&bit_flipped),
            version_3: text_of(&version_3),
            overlong_id: text_of(&overlong),
            trailing_byte: text_of(&trailing),
            typo: typo.iter().collect(),
            swap: swap.iter().collect(),
            truncated: compact[..compact.len() - 5].iter().collect(),
        }
    }

    /// The case `name` of these texts, with the reason both formats' vectors give.
    pub fn case(&self, name: &'static str) -> Case {
        let (why, code) = match name {
            "forged-users" => (
                "250 users with the vendor's key id and the original signature",
                &self.forged,
            ),
            "signature-bit-flipped" => ("one bit of the signature flipped", &self.bit_flipped),
            "unsupported-version" => ("format version 3, unknown to this verifier", &self.version_3),
            "non-canonical-varint" => ("license id as an overlong varint", &self.overlong_id),
            "trailing-byte" => ("a byte between the fields and the signature", &self.trailing_byte),
            "typo" => ("one character changed in group 7", &self.typo),
            "swap" => ("two adjacent characters swapped", &self.swap),
            "truncated" => ("the last group is missing", &self.truncated),
            other => panic!("no altered text named {other}"),
        };
        Case::new(name, why, code.clone())
    }
}
