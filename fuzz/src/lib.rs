//! What the fuzz targets share: the reference key and installation (the same as the
//! golden vectors' `reference` case) and the round-trip checks for codes.
#![forbid(unsafe_code)]

use std::sync::OnceLock;

use license_core::ed25519_dalek::SigningKey;
use license_core::{Component, ComponentDigest, Context, MachineFingerprint, PublicKey, UntrustedCode};

/// The fixed seed key of the golden vectors.
pub const SEED: [u8; 32] = [7; 32];
/// Product id of the reference installation.
pub const PRODUCT: &str = "demo-erp";
/// Licensee of the reference installation.
pub const LICENSEE: &str = "ACME Corp";
/// The golden vectors; the `reference` case is the one code that verifies.
const VECTORS: &str = include_str!("../../license-core/tests/vectors/v2.json");
/// The format-1 vectors: their codes were signed by the vendor key too.
const VECTORS_V1: &str = include_str!("../../license-core/tests/vectors/v1.json");

/// The bytes of every code in the golden vectors that parses: the only codes the
/// vendor key ever signed, so the only ones allowed to verify.
pub fn signed_codes() -> &'static [Vec<u8>] {
    static CODES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut codes = Vec::new();
        for vectors in [VECTORS, VECTORS_V1] {
            let doc: serde_json::Value = serde_json::from_str(vectors).expect("golden vectors are JSON");
            codes.extend(
                doc["cases"]
                    .as_array()
                    .expect("cases")
                    .iter()
                    .filter_map(|c| UntrustedCode::parse(c["code"].as_str()?).ok())
                    .map(|c| c.as_bytes().to_vec()),
            );
        }
        codes
    })
}

/// The bytes of the reseller's codes of the delegation golden vectors that verify: the
/// only reseller's codes the vendor's and resellers' keys ever signed.
pub fn signed_delegated_codes() -> &'static [Vec<u8>] {
    static CODES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CODES.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../license-core/tests/vectors/v2-delegation.json"))
                .expect("golden vectors are JSON");
        doc["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .filter(|c| c["expect"]["valid"] == true)
            .filter_map(|c| license_core::UntrustedDelegatedCode::parse(c["code"].as_str()?).ok())
            .map(|c| c.as_bytes().to_vec())
            .collect()
    })
}

/// The seed key.
pub fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&SEED)
}

/// The vendor keys a verifier holds.
pub fn keys() -> [PublicKey; 1] {
    [PublicKey::from(signing_key().verifying_key())]
}

/// The reference machine's component digests (golden vectors, `reference` context).
pub fn machine() -> MachineFingerprint {
    static MACHINE: OnceLock<MachineFingerprint> = OnceLock::new();
    *MACHINE.get_or_init(read_machine)
}

fn read_machine() -> MachineFingerprint {
    let doc: serde_json::Value = serde_json::from_str(VECTORS).expect("golden vectors are JSON");
    let cases = doc["cases"].as_array().expect("cases");
    let reference = cases
        .iter()
        .find(|c| c["name"] == "reference")
        .expect("reference case");
    let mut m = MachineFingerprint::unknown();
    for c in Component::ALL {
        let name = serde_json::to_value(c).expect("component name");
        for d in reference["context"]["machine"][name.as_str().expect("component name")]
            .as_array()
            .into_iter()
            .flatten()
        {
            let v = u32::from_str_radix(d.as_str().expect("hex digest"), 16).expect("hex digest");
            m.add(c, ComponentDigest::from_prefix(v, 24));
        }
    }
    m
}

/// The reference installation (with a database code too, so database-bound inputs
/// reach the signature check).
pub fn context(machine: &MachineFingerprint) -> Context<'_> {
    Context::new(PRODUCT, LICENSEE)
        .with_database("DB-7F3A-22C1")
        .with_machine(machine)
}

/// An accepted code re-encodes to itself: the same bytes, and a text form that parses
/// back to the same code.
pub fn assert_round_trip(code: &UntrustedCode) {
    let again = UntrustedCode::from_bytes(code.as_bytes()).expect("an accepted code's bytes are accepted");
    assert_eq!(&again, code, "bytes re-decode differently");
    let text = code.to_string();
    let parsed = UntrustedCode::parse(&text).expect("an accepted code's text is accepted");
    assert_eq!(&parsed, code, "text re-decodes differently");
    assert_eq!(parsed.to_string(), text, "text re-encodes differently");
}

/// The application secret the state-file targets tag their files with.
pub const STATE_SECRET: &[u8] = b"fuzz-state-secret-0123456789";

/// The id of the reference installation (product and licensee, no database code), which
/// its state file names.
pub fn installation_id() -> [u8; 16] {
    Context::new(PRODUCT, LICENSEE).installation_id()
}

/// Bytes before a state file's body: magic, version 2, installation id.
pub const STATE_HEADER_LEN: usize = 4 + 1 + 16;

/// A state file around `body`, tagged as the host application with [`STATE_SECRET`]
/// would: `"LVST" || 2 || installation id || body || HMAC-SHA256(secret; domain || product || file)`.
pub fn tag_state(body: &[u8]) -> Vec<u8> {
    use hmac::{Hmac, KeyInit, Mac};
    const DOMAIN: &[u8] = b"license-verify/v1 state\0";
    let mut file = b"LVST\x02".to_vec();
    file.extend_from_slice(&installation_id());
    file.extend_from_slice(body);
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(STATE_SECRET).expect("HMAC takes any key");
    mac.update(DOMAIN);
    mac.update(&[PRODUCT.len() as u8]);
    mac.update(PRODUCT.as_bytes());
    mac.update(&file);
    file.extend_from_slice(&mac.finalize().into_bytes());
    file
}
