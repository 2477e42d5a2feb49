//! A reseller's side of delegation: its own signing key, the certificate chains the vendor
//! (or its parent reseller) gave it, certifying sub-resellers, and signing licenses inside
//! its frame. The format and the frame rules are `license-core`'s (`delegation`, `frame`).
//!
//! ```text
//! <dir>/reseller-key.pem           the reseller's Ed25519 key (PKCS#8 PEM, mode 0600)
//! <dir>/chains/<product>.txt       the installed certificate chain, one per product
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use license_core::{
    Certificate, CertificateChain, Context, DelegatedCode, DelegationError, Frame, License, PublicKey,
    ResellerName, sign_delegated,
};

use crate::{Error, VendorKey};

/// A reseller's licensing directory.
#[derive(Clone, Debug)]
pub struct ResellerHome {
    dir: PathBuf,
}

impl ResellerHome {
    /// The reseller directory `dir` (created on first use).
    pub fn new(dir: impl Into<PathBuf>) -> ResellerHome {
        ResellerHome { dir: dir.into() }
    }

    fn key_path(&self) -> PathBuf {
        self.dir.join("reseller-key.pem")
    }

    fn chain_path(&self, product: &str) -> Result<PathBuf, Error> {
        if product.is_empty()
            || !product
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(&c))
        {
            return Err(Error::Core(license_core::Error::Delegation(
                DelegationError::InvalidCertificate("a product id of letters, digits, '-', '_' and '.'"),
            )));
        }
        Ok(self.dir.join("chains").join(format!("{product}.txt")))
    }

    /// Generate the reseller's key (refused if one exists); returns its public key, which
    /// the vendor certifies.
    pub fn keygen(&self) -> Result<PublicKey, Error> {
        fs::create_dir_all(&self.dir).map_err(Error::io(&self.dir))?;
        let key = VendorKey::generate()?;
        key.save(&self.key_path())?;
        Ok(key.public_key())
    }

    /// The reseller's key.
    pub fn key(&self) -> Result<VendorKey, Error> {
        VendorKey::load(&self.key_path())
    }

    /// Install the chain `text` for `product`: it must verify up to one of the vendor's
    /// `keys` and certify this reseller's key. Replaces an earlier chain of the product.
    pub fn install(&self, text: &str, keys: &[PublicKey], product: &str) -> Result<CertificateChain, Error> {
        let chain = CertificateChain::parse(text)?;
        chain.verify(keys, product)?;
        let own = self.key()?.public_key();
        if chain.leaf().subject != own {
            return Err(Error::Core(license_core::Error::Delegation(
                DelegationError::KeyMismatch {
                    reseller: chain.leaf().name,
                },
            )));
        }
        let path = self.chain_path(product)?;
        let parent = path.parent().unwrap_or(&self.dir);
        fs::create_dir_all(parent).map_err(Error::io(parent))?;
        license_fs::write_atomic(&path, format!("{chain}\n").as_bytes()).map_err(Error::io(&path))?;
        Ok(chain)
    }

    /// The installed chain of `product`.
    pub fn chain(&self, product: &str) -> Result<CertificateChain, Error> {
        let path = self.chain_path(product)?;
        let text = fs::read_to_string(&path).map_err(Error::io(&path))?;
        Ok(CertificateChain::parse(&text)?)
    }

    /// Certify a sub-reseller's key for `product` with `frame`, under this reseller's
    /// chain: refused when this reseller may not delegate or the frame is wider.
    pub fn certify(
        &self,
        product: &str,
        subject: PublicKey,
        name: &str,
        serial: u32,
        frame: Frame,
    ) -> Result<CertificateChain, Error> {
        let parent = self.chain(product)?;
        certify(&self.key()?, product, subject, name, serial, frame, Some(&parent))
    }

    /// Sign `license` for the installation `ctx` with this reseller's key and chain;
    /// refused before signing when it lies outside the frame.
    pub fn sign(&self, license: &License, ctx: &Context<'_>) -> Result<DelegatedCode, Error> {
        let chain = self.chain(ctx.product)?;
        Ok(sign_delegated(license, ctx, self.key()?.signing_key(), &chain)?)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Certify `subject` (a reseller's public key) as `name` with `serial` and `frame` for
/// `product`, signed with `signer`: the vendor's key (no `parent`) or a reseller's key
/// with its chain.
pub fn certify(
    signer: &VendorKey,
    product: &str,
    subject: PublicKey,
    name: &str,
    serial: u32,
    frame: Frame,
    parent: Option<&CertificateChain>,
) -> Result<CertificateChain, Error> {
    let cert = Certificate {
        serial,
        subject,
        name: ResellerName::new(name)?,
        frame,
    };
    Ok(cert.certify(product, signer.signing_key(), parent)?)
}

#[cfg(test)]
mod tests {
    use license_core::{
        Binding, Date, Kind, KindSet, LineSet, ModuleSet, ProductLine, UntrustedDelegatedCode, Violation,
    };

    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    fn frame(users: u32, depth: u8) -> Frame {
        let mut f = Frame::new(
            KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription),
            LineSet::EMPTY.with(0),
            ModuleSet::first(3),
            d(2028, 1, 1),
        )
        .with_max_days(Kind::Trial, 30);
        f.named_users = Some(users);
        f.delegation_depth = depth;
        f
    }

    fn trial(days: i64) -> License {
        License {
            license_id: 5,
            revision: 1,
            kind: Kind::Trial,
            line: ProductLine::new(0).unwrap(),
            named_users: Some(5),
            concurrent_seats: None,
            demo_seats: 0,
            modules: ModuleSet::first(2),
            issued: d(2027, 1, 1),
            valid_from: d(2027, 1, 1),
            expires: d(2027, 1, 1).checked_add_days(days),
            grace_days: 0,
            maintenance_ends: None,
            binding: Binding::NONE,
            interim: false,
        }
    }

    #[test]
    fn vendor_certifies_reseller_installs_signs_and_certifies_a_sub_reseller() {
        let dir = tempfile::tempdir().unwrap();
        let vendor = VendorKey::from_seed(&[7; 32]);
        let keys = [vendor.public_key()];
        let contoso = ResellerHome::new(dir.path().join("contoso"));
        let pk = contoso.keygen().unwrap();
        assert!(contoso.keygen().is_err(), "an existing key is never overwritten");
        let chain = certify(&vendor, "erp", pk, "Contoso", 7, frame(100, 1), None).unwrap();
        // A chain for someone else's key is refused.
        let other = certify(
            &vendor,
            "erp",
            VendorKey::from_seed(&[3; 32]).public_key(),
            "X",
            8,
            frame(1, 0),
            None,
        )
        .unwrap();
        assert!(contoso.install(&other.to_string(), &keys, "erp").is_err());
        contoso.install(&chain.to_string(), &keys, "erp").unwrap();
        let ctx = Context::new("erp", "ACME");
        let code = contoso.sign(&trial(30), &ctx).unwrap();
        let v = UntrustedDelegatedCode::parse(&code.to_string())
            .unwrap()
            .verify(&keys, &ctx, |_| false)
            .unwrap();
        assert_eq!(v.issuer().name.as_str(), "Contoso");
        // Refused before signing: a 31-day trial.
        assert!(matches!(
            contoso.sign(&trial(31), &ctx),
            Err(Error::Core(license_core::Error::Delegation(
                DelegationError::OutsideFrame {
                    violation: Violation::Days {
                        requested: Some(31),
                        max: 30,
                        ..
                    },
                    ..
                }
            )))
        ));
        // A sub-reseller inside the frame, and one wider: refused.
        let fabrikam = ResellerHome::new(dir.path().join("fabrikam"));
        let sub_pk = fabrikam.keygen().unwrap();
        let sub_chain = contoso
            .certify("erp", sub_pk, "Fabrikam", 1, frame(50, 0))
            .unwrap();
        assert!(matches!(
            contoso.certify("erp", sub_pk, "Fabrikam", 2, frame(101, 0)),
            Err(Error::Core(license_core::Error::Delegation(
                DelegationError::Widening { .. }
            )))
        ));
        fabrikam.install(&sub_chain.to_string(), &keys, "erp").unwrap();
        let code = fabrikam.sign(&trial(10), &ctx).unwrap();
        let v = UntrustedDelegatedCode::parse(&code.to_string())
            .unwrap()
            .verify(&keys, &ctx, |_| false)
            .unwrap();
        assert_eq!((v.issuer().name.as_str(), v.depth()), ("Fabrikam", 2));
        // Fabrikam may not delegate further.
        assert!(fabrikam.certify("erp", pk, "Loop", 3, frame(1, 0)).is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(contoso.dir().join("reseller-key.pem"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(contoso.chain("../etc").is_err());
    }
}
