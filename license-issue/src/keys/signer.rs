//! Who signs the codes an [`crate::Issuer`] issues: the vendor's current key (plain codes), or
//! a reseller's key with the certificate chains the vendor gave it (reseller's codes,
//! refused before signing when they lie outside the frame).

use std::collections::BTreeMap;
use std::fmt;

use license_core::{
    CertificateChain, Context, DelegationError, IdRange, License, Violation, sign, sign_delegated,
};

use crate::catalog::product::Catalog;
use crate::channel::error::ChannelError;
use crate::error::Error;
use crate::keys::vendor::VendorKey;

/// The key an issuer signs with.
#[derive(Debug)]
pub enum Signer {
    /// The vendor's current key: plain codes.
    Vendor(VendorKey),
    /// A reseller's key and its installed chains: reseller's codes, inside the frame.
    Reseller(ResellerSigner),
}

impl From<VendorKey> for Signer {
    fn from(key: VendorKey) -> Signer {
        Signer::Vendor(key)
    }
}

impl From<ResellerSigner> for Signer {
    fn from(r: ResellerSigner) -> Signer {
        Signer::Reseller(r)
    }
}

/// A reseller's signing key with one certificate chain per product.
pub struct ResellerSigner {
    key: VendorKey,
    chains: BTreeMap<String, CertificateChain>,
}

impl fmt::Debug for ResellerSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResellerSigner")
            .field("key", &self.key)
            .field("products", &self.chains.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ResellerSigner {
    /// The reseller holding `key`, with its chains by product id. Each chain's last
    /// certificate must certify `key` (the chains are checked against the vendor's keys
    /// when installed).
    pub fn new(
        key: VendorKey,
        chains: impl IntoIterator<Item = (String, CertificateChain)>,
    ) -> Result<ResellerSigner, Error> {
        let own = key.public_key();
        let chains: BTreeMap<String, CertificateChain> = chains.into_iter().collect();
        if let Some(chain) = chains.values().find(|c| c.leaf().subject != own) {
            return Err(Error::Core(license_core::Error::Delegation(
                DelegationError::KeyMismatch {
                    reseller: chain.leaf().name,
                },
            )));
        }
        Ok(ResellerSigner { key, chains })
    }

    /// The installed chain of `product`.
    pub fn chain(&self, product: &str) -> Result<&CertificateChain, Error> {
        self.chains.get(product).ok_or_else(|| {
            Error::Channel(ChannelError::NoCertificate {
                product: product.to_owned(),
            })
        })
    }

    /// The products this reseller holds a certificate for.
    pub fn products(&self) -> impl Iterator<Item = &str> {
        self.chains.keys().map(String::as_str)
    }

    /// The reseller's key, for what it signs besides codes (its export's operations
    /// without a code, `channel::operations`).
    pub(crate) fn key(&self) -> &VendorKey {
        &self.key
    }
}

impl Signer {
    /// The signing key's id (a reseller's key: the id its key file was saved with).
    pub fn key_id(&self) -> u8 {
        match self {
            Signer::Vendor(k) => k.id(),
            Signer::Reseller(r) => r.key.id(),
        }
    }

    /// The reseller that signs `product`'s codes (`None`: the vendor).
    pub fn reseller(&self, product: &str) -> Result<Option<String>, Error> {
        match self {
            Signer::Vendor(_) => Ok(None),
            Signer::Reseller(r) => Ok(Some(r.chain(product)?.leaf().name.as_str().to_owned())),
        }
    }

    /// The license ids a new license of `product` may take: the vendor's from its
    /// catalog's first id on (`None`), a reseller's only inside its certificate's range.
    pub(crate) fn license_ids(&self, product: &str) -> Result<Option<IdRange>, Error> {
        match self {
            Signer::Vendor(_) => Ok(None),
            Signer::Reseller(r) => {
                let leaf = r.chain(product)?.leaf();
                leaf.frame.license_ids.map(Some).ok_or_else(|| {
                    Error::Channel(ChannelError::NoLicenseIdRange {
                        reseller: leaf.name.as_str().to_owned(),
                    })
                })
            }
        }
    }

    /// The vendor's key, for what only the vendor signs (revocation lists).
    pub(crate) fn vendor_key(&self, what: &'static str) -> Result<&VendorKey, Error> {
        match self {
            Signer::Vendor(k) => Ok(k),
            Signer::Reseller(_) => Err(Error::Channel(ChannelError::VendorOnly { what })),
        }
    }

    /// Sign `license` for `ctx`; the code's text form.
    pub(crate) fn sign(&self, license: &License, ctx: &Context<'_>) -> Result<String, Error> {
        Ok(match self {
            Signer::Vendor(k) => {
                let signed = sign(license, ctx, k.signing_key())?;
                // Sized up front: the text form is written symbol by symbol.
                let mut code = String::with_capacity(signed.text_len() + signed.text_len() / 5);
                // Writing into a String cannot fail.
                let _ = fmt::Write::write_fmt(&mut code, format_args!("{signed}"));
                code
            }
            Signer::Reseller(r) => {
                sign_delegated(license, ctx, r.key.signing_key(), r.chain(ctx.product)?)?.to_string()
            }
        })
    }
}

/// A frame refusal from signing, with the catalog's module and line names.
pub(crate) fn in_catalog_words(e: Error, catalog: &Catalog) -> Error {
    let Error::Core(license_core::Error::Delegation(DelegationError::OutsideFrame { reseller, violation })) =
        e
    else {
        return e;
    };
    let limit = match violation {
        Violation::Module(bit) => match catalog.modules().iter().find(|&&(_, b)| b == bit) {
            Some((name, _)) => format!("module {name} is not allowed"),
            None => violation.to_string(),
        },
        Violation::AllModules => "every module, present and future (the all-modules flag an NFR code carries unless modules are given) is not allowed: the frame lists its modules; give the modules (--modules), or ask the vendor for a frame with every module present and future (reseller certify --modules all-future)".to_owned(),
        Violation::Line(n) => match catalog.lines().iter().find(|&&(_, l)| l == n) {
            Some((name, _)) => format!("product line {name} is not allowed"),
            None => violation.to_string(),
        },
        other => other.to_string(),
    };
    Error::Channel(ChannelError::OutsideFrame {
        reseller: reseller.as_str().to_owned(),
        limit,
    })
}
