//! The formats vendors pick today, each through its usual Rust crate, all with Ed25519
//! and the same [`Claims`]. Each verifier does what a vendor's application does at
//! start-up: decode, check the signature, parse the claims into a typed struct.
//!
//! - [`SignedJsonKey`]: `key/<base64url(JSON)>.<base64url(signature)>`, the signature
//!   over `key/<base64url(JSON)>`: the "signed key" style of the best-known hosted
//!   licensing service, verified with ed25519-dalek `verify_strict` like our codes.
//! - [`Paseto`]: PASETO v4.public through pasetors, on its leanest path
//!   (`PublicToken::verify`, no claims map; then the same typed parse).
//! - [`Jwt`]: a JWT with EdDSA through jsonwebtoken (RustCrypto backend), registered
//!   claim checks off because the scope carries its own dates and grace period.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use pasetors::Public;
use pasetors::keys::{AsymmetricPublicKey, AsymmetricSecretKey};
use pasetors::token::UntrustedToken;
use pasetors::version4::{PublicToken, V4};

use crate::claims::Claims;
use crate::error::Error;

fn malformed(format: &'static str, detail: impl ToString) -> Error {
    Error::Malformed {
        format,
        detail: detail.to_string(),
    }
}

fn signing(format: &'static str, detail: impl ToString) -> Error {
    Error::Signing {
        format,
        detail: detail.to_string(),
    }
}

/// JSON payload and Ed25519 signature, both base64url, behind a `key/` prefix.
#[derive(Clone, Debug)]
pub struct SignedJsonKey {
    key: VerifyingKey,
}

impl SignedJsonKey {
    /// Its name in tables.
    pub const NAME: &'static str = "signed JSON key (key/<payload>.<sig>)";
    const PREFIX: &'static str = "key/";

    /// A verifier for `key`.
    pub fn new(key: VerifyingKey) -> Self {
        SignedJsonKey { key }
    }

    /// Sign `claims`.
    pub fn sign(claims: &Claims, key: &SigningKey) -> Result<String, Error> {
        let json = serde_json::to_vec(claims).map_err(|e| signing("signed JSON key", e))?;
        let signed = format!("{}{}", Self::PREFIX, URL_SAFE.encode(json));
        let sig = key.sign(signed.as_bytes());
        Ok(format!("{signed}.{}", URL_SAFE.encode(sig.to_bytes())))
    }

    /// Verify and parse.
    pub fn verify(&self, token: &str) -> Result<Claims, Error> {
        const F: &str = "signed JSON key";
        let (signed, sig) = token
            .rsplit_once('.')
            .ok_or_else(|| malformed(F, "no signature"))?;
        let payload = signed
            .strip_prefix(Self::PREFIX)
            .ok_or_else(|| malformed(F, "no key/ prefix"))?;
        let mut sig_bytes = [0u8; 64];
        let n = URL_SAFE
            .decode_slice(sig, &mut sig_bytes)
            .map_err(|e| malformed(F, e))?;
        if n != 64 {
            return Err(malformed(F, "signature length"));
        }
        self.key
            .verify_strict(signed.as_bytes(), &Signature::from_bytes(&sig_bytes))
            .map_err(|_| Error::BadSignature(F))?;
        let json = URL_SAFE.decode(payload).map_err(|e| malformed(F, e))?;
        serde_json::from_slice(&json).map_err(|e| Error::Claims(e.to_string()))
    }
}

/// PASETO v4.public.
pub struct Paseto {
    key: AsymmetricPublicKey<V4>,
}

impl Paseto {
    /// Its name in tables.
    pub const NAME: &'static str = "PASETO v4.public (pasetors)";

    /// A verifier for `key`.
    pub fn new(key: &VerifyingKey) -> Result<Self, Error> {
        let key = AsymmetricPublicKey::<V4>::from(key.as_bytes())
            .map_err(|e| malformed("PASETO", format!("{e:?}")))?;
        Ok(Paseto { key })
    }

    /// Sign `claims`.
    pub fn sign(claims: &Claims, key: &SigningKey) -> Result<String, Error> {
        let mut sk = [0u8; 64];
        sk[..32].copy_from_slice(key.as_bytes());
        sk[32..].copy_from_slice(key.verifying_key().as_bytes());
        let sk = AsymmetricSecretKey::<V4>::from(&sk).map_err(|e| signing("PASETO", format!("{e:?}")))?;
        let json = serde_json::to_vec(claims).map_err(|e| signing("PASETO", e))?;
        PublicToken::sign(&sk, &json, None, None).map_err(|e| signing("PASETO", format!("{e:?}")))
    }

    /// Verify and parse.
    pub fn verify(&self, token: &str) -> Result<Claims, Error> {
        let untrusted = UntrustedToken::<Public, V4>::try_from(token)
            .map_err(|e| malformed("PASETO", format!("{e:?}")))?;
        let trusted = PublicToken::verify(&self.key, &untrusted, None, None)
            .map_err(|_| Error::BadSignature("PASETO"))?;
        serde_json::from_str(trusted.payload()).map_err(|e| Error::Claims(e.to_string()))
    }
}

/// JWT with EdDSA.
pub struct Jwt {
    key: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

/// PKCS#8 v1 prefix of an Ed25519 private key; the 32-byte seed follows.
const PKCS8_ED25519_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

impl Jwt {
    /// Its name in tables.
    pub const NAME: &'static str = "JWT EdDSA (jsonwebtoken)";

    /// A verifier for `key`.
    pub fn new(key: &VerifyingKey) -> Result<Self, Error> {
        let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.as_bytes());
        let key = jsonwebtoken::DecodingKey::from_ed_components(&x).map_err(|e| malformed("JWT", e))?;
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::EdDSA);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        Ok(Jwt { key, validation })
    }

    /// Sign `claims`.
    pub fn sign(claims: &Claims, key: &SigningKey) -> Result<String, Error> {
        let mut der = PKCS8_ED25519_PREFIX.to_vec();
        der.extend_from_slice(key.as_bytes());
        let key = jsonwebtoken::EncodingKey::from_ed_der(&der);
        let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
        jsonwebtoken::encode(&header, claims, &key).map_err(|e| signing("JWT", e))
    }

    /// Verify and parse.
    pub fn verify(&self, token: &str) -> Result<Claims, Error> {
        jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .map(|t| t.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::InvalidSignature => Error::BadSignature("JWT"),
                _ => malformed("JWT", e),
            })
    }
}

/// The reference scope in all three formats, with their verifiers.
pub struct Tokens {
    /// The scope as claims.
    pub claims: Claims,
    /// `key/...` token.
    pub json_key: String,
    /// `v4.public...` token.
    pub paseto: String,
    /// JWT.
    pub jwt: String,
    /// Verifier for [`Tokens::json_key`].
    pub json_key_verifier: SignedJsonKey,
    /// Verifier for [`Tokens::paseto`].
    pub paseto_verifier: Paseto,
    /// Verifier for [`Tokens::jwt`].
    pub jwt_verifier: Jwt,
}

impl Tokens {
    /// Sign the reference scope in every format with the reference key.
    pub fn for_reference(r: &crate::fixture::Reference) -> Result<Tokens, Error> {
        let claims = Claims::new(&r.license, &r.product, &r.licensee);
        let vk = r.signing_key.verifying_key();
        Ok(Tokens {
            json_key: SignedJsonKey::sign(&claims, &r.signing_key)?,
            paseto: Paseto::sign(&claims, &r.signing_key)?,
            jwt: Jwt::sign(&claims, &r.signing_key)?,
            json_key_verifier: SignedJsonKey::new(vk),
            paseto_verifier: Paseto::new(&vk)?,
            jwt_verifier: Jwt::new(&vk)?,
            claims,
        })
    }
}

impl Tokens {
    /// Length in characters of each format's token for the reference scope, ours first
    /// (without dashes, as typed; the dashed length is in the name).
    pub fn lengths(&self, r: &crate::fixture::Reference) -> Vec<(String, usize)> {
        vec![
            (
                format!(
                    "ours (license-core format 2; {} with dashes)",
                    r.code.chars().count()
                ),
                r.code_chars(),
            ),
            (SignedJsonKey::NAME.to_owned(), self.json_key.chars().count()),
            (Paseto::NAME.to_owned(), self.paseto.chars().count()),
            (Jwt::NAME.to_owned(), self.jwt.chars().count()),
        ]
    }
}
