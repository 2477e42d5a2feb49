//! The `reference` license, read from license-core's golden vectors so that the benches
//! and the vectors can never disagree.

use ed25519_dalek::SigningKey;
use license_core::{
    Component, ComponentDigest, Context, Date, License, LicenseCode, MachineFingerprint, Policy, PublicKey,
    UntrustedCode, sign,
};
use serde_json::Value;

use crate::error::Error;

/// The golden vectors of format v2, as committed in license-core.
pub const VECTORS_JSON: &str = include_str!("../../license-core/tests/vectors/v2.json");

/// Name of the reference case in the golden vectors.
pub const REFERENCE_CASE: &str = "reference";

/// Everything the benches need about the reference license: keys, the installation, the
/// code, and the scope it grants.
#[derive(Clone, Debug)]
pub struct Reference {
    /// The fixed seed key of the golden vectors (never use it for anything real).
    pub signing_key: SigningKey,
    /// The vendor's public key, as a verifier holds it.
    pub keys: [PublicKey; 1],
    /// The product id of the installation.
    pub product: String,
    /// The licensee configured in the installation.
    pub licensee: String,
    /// This machine's fingerprint.
    pub machine: MachineFingerprint,
    /// The code text as the vendor hands it out (dashed groups).
    pub code: String,
    /// The scope the code grants.
    pub license: License,
    /// The day the benches evaluate on (the first day of the term).
    pub today: Date,
    /// The build date of the running release.
    pub build_date: Date,
    /// The status policy.
    pub policy: Policy,
}

fn hex(s: &str) -> Result<Vec<u8>, Error> {
    hex::decode(s).map_err(|e| Error::Vectors(format!("bad hex {s:?}: {e}")))
}

fn hex32(s: &str) -> Result<[u8; 32], Error> {
    hex(s)?
        .try_into()
        .map_err(|_| Error::Vectors(format!("{s:?} is not 32 bytes")))
}

fn str_at<'a>(v: &'a Value, key: &str) -> Result<&'a str, Error> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Vectors(format!("missing string {key:?}")))
}

/// The machine fingerprint of a case's context (`{"cpu": ["9b"], ...}` or null).
fn machine_of(v: &Value) -> Result<MachineFingerprint, Error> {
    let mut m = MachineFingerprint::unknown();
    let Some(obj) = v.as_object() else {
        return Ok(m);
    };
    for c in Component::ALL {
        let name = serde_json::to_value(c).map_err(|e| Error::Vectors(e.to_string()))?;
        let name = name.as_str().unwrap_or_default();
        for d in obj.get(name).and_then(Value::as_array).into_iter().flatten() {
            let d = d
                .as_str()
                .ok_or_else(|| Error::Vectors("digest is not a string".into()))?;
            let bytes = hex(d)?;
            let [a, b, c2] = bytes[..] else {
                return Err(Error::Vectors(format!("digest {d:?} is not three bytes")));
            };
            m.add(c, ComponentDigest::from_bytes([a, b, c2]));
        }
    }
    Ok(m)
}

impl Reference {
    /// Load the reference case from the golden vectors and check that re-signing its
    /// scope with the seed key gives the very same code.
    pub fn load() -> Result<Reference, Error> {
        let doc: Value = serde_json::from_str(VECTORS_JSON).map_err(|e| Error::Vectors(e.to_string()))?;
        let signing_key = SigningKey::from_bytes(&hex32(str_at(&doc, "seed_key")?)?);
        let cases = doc
            .get("cases")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::Vectors("no cases".into()))?;
        let case = cases
            .iter()
            .find(|c| c.get("name").and_then(Value::as_str) == Some(REFERENCE_CASE))
            .ok_or_else(|| Error::Vectors("no reference case".into()))?;
        let key = PublicKey::from_bytes(&hex32(str_at(case, "public_key")?)?)?;
        if key.verifying_key() != &signing_key.verifying_key() {
            return Err(Error::Vectors("the public key is not the seed key's".into()));
        }
        let ctx = case
            .get("context")
            .ok_or_else(|| Error::Vectors("no context".into()))?;
        let license: License = serde_json::from_value(case.get("license").cloned().unwrap_or(Value::Null))
            .map_err(|e| Error::Vectors(format!("license: {e}")))?;
        let reference = Reference {
            signing_key,
            keys: [key],
            product: str_at(ctx, "product")?.to_owned(),
            licensee: str_at(ctx, "licensee")?.to_owned(),
            machine: machine_of(ctx.get("machine").unwrap_or(&Value::Null))?,
            code: str_at(case, "code")?.to_owned(),
            today: license.valid_from,
            build_date: license.issued,
            license,
            policy: Policy::default(),
        };
        if reference.sign()?.to_string() != reference.code {
            return Err(Error::Vectors(
                "re-signing the reference scope gives another code".into(),
            ));
        }
        Ok(reference)
    }

    /// The installation's context.
    pub fn context(&self) -> Context<'_> {
        Context::new(&self.product, &self.licensee).with_machine(&self.machine)
    }

    /// Sign the reference scope again (deterministic).
    pub fn sign(&self) -> Result<LicenseCode, Error> {
        Ok(sign(&self.license, &self.context(), &self.signing_key)?)
    }

    /// The parsed (not yet verified) reference code.
    pub fn untrusted(&self) -> Result<UntrustedCode, Error> {
        Ok(UntrustedCode::parse(&self.code)?)
    }

    /// Characters of the code without dashes, as a customer types it.
    pub fn code_chars(&self) -> usize {
        self.code.chars().filter(|c| *c != '-').count()
    }
}
