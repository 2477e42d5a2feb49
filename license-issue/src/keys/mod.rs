//! The keys: the vendor's signing keys and key ring, what an issuer signs with (the vendor's
//! key or a reseller's key with its certificate chain), and checking a stored code's
//! signature.
//!
//! - `vendor`: `VendorKey` (PKCS#8 PEM, zeroized), `KeyRing`, public-key export;
//! - `signer`: `Signer` and `ResellerSigner` (refuses orders outside the reseller's frame);
//! - `signature`: whether a code in the ledger was signed by one of our keys.
//!
//! May use: `error`, `catalog` and `license-core`.

pub(crate) mod error;
pub(crate) mod signature;
pub(crate) mod signer;
pub(crate) mod vendor;
