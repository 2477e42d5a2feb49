//! A reseller's side of delegation: its own signing key, the certificate chains the vendor
//! (or its parent reseller) gave it, certifying sub-resellers, and signing licenses inside
//! its frame. The format and the frame rules are `license-core`'s (`delegation`, `frame`).
//!
//! ```text
//! <dir>/reseller-key.pem           the reseller's Ed25519 key (PKCS#8 PEM, mode 0600)
//! <dir>/chains/<product>.txt       the installed certificate chain, one per product
//! <dir>/vendor-keys.txt            the vendor's public keys (hex, one per line)
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use license_core::{
    Certificate, CertificateChain, Context, DelegatedCode, DelegationError, Frame, License, PublicKey,
    ResellerName, sign_delegated,
};
use serde::{Deserialize, Serialize};

use crate::catalog::product::Catalog;
use crate::channel::error::ChannelError;
use crate::error::Error;
use crate::keys::signer::ResellerSigner;
use crate::keys::vendor::VendorKey;
use crate::ledger::error::LedgerError;

/// The `format` field of a [`ResellerBundle`].
pub const BUNDLE_FORMAT: &str = "license-reseller-bundle";
/// The version of the bundle format this library writes and reads.
pub const BUNDLE_VERSION: u32 = 1;

/// What the vendor sends a reseller for one product: its certificate chain, the product's
/// catalog (so the reseller's orders, codes and reports use the vendor's names) and the
/// vendor's public keys the chain verifies against. A JSON document (`docs/FORMAT.md`,
/// "Reseller bundle").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResellerBundle {
    format: String,
    version: u32,
    /// The product id.
    pub product: String,
    /// The certificate chain's text form.
    pub chain: String,
    /// The vendor's public keys, hex.
    pub vendor_keys: Vec<String>,
    /// The product's catalog, TOML.
    pub catalog: String,
}

impl ResellerBundle {
    /// The bundle of `chain` for `catalog`'s product, with the vendor's `keys`.
    pub fn new(chain: &CertificateChain, catalog: &Catalog, keys: &[PublicKey]) -> ResellerBundle {
        ResellerBundle {
            format: BUNDLE_FORMAT.into(),
            version: BUNDLE_VERSION,
            product: catalog.product().to_owned(),
            chain: chain.to_string(),
            vendor_keys: keys.iter().map(|k| hex::encode(k.to_bytes())).collect(),
            catalog: catalog.toml().to_owned(),
        }
    }

    /// The JSON text.
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Ledger(LedgerError::LedgerEncode(e)))
    }

    /// Parse the JSON text: refused when it is not a bundle or of another version.
    pub fn parse(text: &str) -> Result<ResellerBundle, Error> {
        let bad = |reason: String| Error::Channel(ChannelError::Bundle { reason });
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(BUNDLE_FORMAT) {
            return Err(bad(format!("not a {BUNDLE_FORMAT} document")));
        }
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(BUNDLE_VERSION) => {}
            Some(v) => {
                return Err(bad(format!(
                    "version {v}; this licensectl reads version {BUNDLE_VERSION}"
                )));
            }
            None => return Err(bad("no version".into())),
        }
        serde_json::from_value(value).map_err(|e| bad(e.to_string()))
    }

    /// The vendor's keys.
    pub fn keys(&self) -> Result<Vec<PublicKey>, Error> {
        if self.vendor_keys.is_empty() {
            return Err(Error::Channel(ChannelError::Bundle {
                reason: "it holds no vendor key to check the certificate chain against".into(),
            }));
        }
        self.vendor_keys
            .iter()
            .map(|h| {
                PublicKey::from_hex(h).map_err(|e| {
                    Error::Channel(ChannelError::Bundle {
                        reason: format!("vendor key '{h}': {e}"),
                    })
                })
            })
            .collect()
    }
}

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

    fn vendor_keys_path(&self) -> PathBuf {
        self.dir.join("vendor-keys.txt")
    }

    /// Whether this directory holds a reseller's key.
    pub fn has_key(&self) -> bool {
        self.key_path().exists()
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

    /// Install a bundle the vendor sent: its chain (checked against `pinned` keys when
    /// given, else the bundle's own) and the vendor's keys (kept for checking codes in
    /// this home). Returns the chain and the catalog, which the caller stores with its
    /// catalogs.
    pub fn install_bundle(
        &self,
        bundle: &ResellerBundle,
        pinned: Option<&[PublicKey]>,
    ) -> Result<(CertificateChain, Catalog), Error> {
        let catalog = Catalog::from_toml(&bundle.catalog, Path::new("the bundle's catalog"))?;
        if catalog.product() != bundle.product {
            return Err(Error::Channel(ChannelError::Bundle {
                reason: format!(
                    "its catalog is for product '{}', its certificate for '{}'",
                    catalog.product(),
                    bundle.product
                ),
            }));
        }
        let keys = bundle.keys()?;
        let chain = self.install(&bundle.chain, pinned.unwrap_or(&keys), &bundle.product)?;
        let mut known = self.vendor_keys()?;
        for k in keys.iter().chain(pinned.unwrap_or(&[])) {
            if !known.contains(k) {
                known.push(*k);
            }
        }
        let text: String = known
            .iter()
            .map(|k| format!("{}\n", hex::encode(k.to_bytes())))
            .collect();
        let path = self.vendor_keys_path();
        license_fs::write_atomic(&path, text.as_bytes()).map_err(Error::io(&path))?;
        Ok((chain, catalog))
    }

    /// The vendor's public keys saved by [`Self::install_bundle`] (none before).
    pub fn vendor_keys(&self) -> Result<Vec<PublicKey>, Error> {
        let path = self.vendor_keys_path();
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&path)(e)),
        };
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                PublicKey::from_hex(l).map_err(|e| {
                    Error::Channel(ChannelError::Bundle {
                        reason: format!("{} holds '{l}': {e}", path.display()),
                    })
                })
            })
            .collect()
    }

    /// The reseller's key with every installed chain: what an [`crate::Issuer`] signs
    /// with in this home.
    pub fn signer(&self) -> Result<ResellerSigner, Error> {
        let dir = self.dir.join("chains");
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e.filter_map(Result::ok).map(|e| e.path()).collect::<Vec<_>>(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(Error::io(&dir)(e)),
        };
        let mut chains = Vec::new();
        for path in entries {
            let Some(product) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".txt"))
            else {
                continue;
            };
            chains.push((product.to_owned(), self.chain(product)?));
        }
        ResellerSigner::new(self.key()?, chains)
    }

    /// The installed chain of `product`.
    pub fn chain(&self, product: &str) -> Result<CertificateChain, Error> {
        let path = self.chain_path(product)?;
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Channel(ChannelError::NoCertificate {
                    product: product.to_owned(),
                }));
            }
            Err(e) => return Err(Error::io(&path)(e)),
        };
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

    use crate::catalog::product::Catalog;

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

    /// The test frame with at most 50 users and ids 500000-500002.
    fn subscription_frame() -> Frame {
        crate::test_support::reseller_frame(50, (500_000, 500_002), 0)
    }

    fn reseller_issuer(
        dir: &Path,
        frame: Frame,
    ) -> crate::issuer::Issuer<crate::ledger::store::MemoryLedger> {
        let vendor = VendorKey::from_seed(&[7; 32]);
        let home = ResellerHome::new(dir.join("contoso"));
        let pk = home.keygen().unwrap();
        let chain = certify(&vendor, "demo-erp", pk, "Contoso", 7, frame, None).unwrap();
        let mut catalogs = crate::catalog::product::Catalogs::new();
        let demo = Catalog::demo().unwrap();
        let bundle = ResellerBundle::new(&chain, &demo, &[vendor.public_key()]);
        let bundle = ResellerBundle::parse(&bundle.to_json().unwrap()).unwrap();
        let (_, catalog) = home.install_bundle(&bundle, None).unwrap();
        assert_eq!(catalog, demo, "the catalog travels unchanged");
        assert_eq!(home.vendor_keys().unwrap(), [vendor.public_key()]);
        catalogs.insert(catalog);
        crate::issuer::Issuer::new(
            catalogs,
            home.signer().unwrap(),
            crate::ledger::store::MemoryLedger::new(),
        )
    }

    fn subscription(users: u32) -> crate::issuer::order::NewLicense {
        let mut o = crate::issuer::order::NewLicense::new(
            "demo-erp",
            Kind::Subscription,
            crate::issuer::order::Customer::new("ACME"),
        );
        o.line = Some("standard".into());
        o.named_users = Some(users);
        o.modules = vec!["crm".into()];
        o
    }

    #[test]
    fn a_reseller_issues_upgrades_and_renews_inside_its_frame_and_nothing_outside() {
        use crate::issuer::order::Change;
        use crate::ledger::store::Ledger;
        let dir = tempfile::tempdir().unwrap();
        let mut is = reseller_issuer(dir.path(), subscription_frame());
        let keys = [VendorKey::from_seed(&[7; 32]).public_key()];
        let today = d(2027, 3, 1);
        let issued = is.issue(&subscription(20), today).unwrap();
        assert_eq!(issued.license.license_id, 500_000, "the certificate's id range");
        let record = &is.ledger().records().unwrap()[0];
        assert_eq!(record.reseller.as_deref(), Some("Contoso"));
        let v = UntrustedDelegatedCode::parse(&issued.code)
            .unwrap()
            .verify(&keys, &Context::new("demo-erp", "ACME"), |_| false)
            .unwrap();
        assert_eq!(v.issuer().name.as_str(), "Contoso");

        // Outside the frame: refused before signing, nothing recorded.
        let refused = [
            (subscription(51), "51 named users exceed the limit of 50"),
            (
                {
                    let mut o = subscription(5);
                    o.modules.push("bi".into());
                    o
                },
                "module bi is not allowed",
            ),
            (
                {
                    let mut o = subscription(5);
                    o.line = Some("expert".into());
                    o
                },
                "product line expert is not allowed",
            ),
            (
                {
                    let mut o = subscription(5);
                    o.kind = Kind::Full;
                    o
                },
                "the kind full",
            ),
            (
                {
                    let mut o = subscription(5);
                    o.term = crate::issuer::order::Term::Months(13);
                    o
                },
                "exceeds the limit of 400 days",
            ),
        ];
        for (order, what) in refused {
            let e = is.issue(&order, today).unwrap_err();
            assert!(
                matches!(&e, Error::Channel(ChannelError::OutsideFrame { reseller, limit }) if reseller == "Contoso" && limit.contains(what)),
                "{what}: {e}"
            );
        }
        assert_eq!(
            is.ledger().records().unwrap().len(),
            1,
            "nothing recorded for refusals"
        );
        // Another reseller's name on the order is refused.
        let mut other = subscription(5);
        other.customer.reseller = Some("Fabrikam".into());
        assert!(matches!(
            is.issue(&other, today),
            Err(Error::Channel(ChannelError::ResellerMismatch { .. }))
        ));

        // An upgrade inside the frame is signed by the reseller; beyond it, refused.
        let id = issued.license.license_id;
        let up = |users| Change {
            named_users: Some(users),
            ..Change::default()
        };
        let r = is.upgrade(id, &up(40), d(2027, 4, 1)).unwrap();
        assert_eq!(r.now.license.named_users, Some(40));
        assert!(UntrustedDelegatedCode::parse(&r.now.code).is_ok());
        assert!(is.upgrade(id, &up(60), d(2027, 4, 2)).is_err());
        // After the certificate's end (2028-01-01 is its first refused day) the reseller
        // cannot renew; before it, the next term is signed inside the frame.
        let late = is.renew(id, d(2028, 2, 10)).unwrap_err();
        assert!(
            matches!(&late, Error::Channel(ChannelError::OutsideFrame { limit, .. }) if limit.contains("2028-01-01")),
            "{late}"
        );
        let renewed = is.renew_early(id, d(2027, 12, 15)).unwrap();
        assert_eq!(renewed.license.valid_from, issued.license.expires.unwrap());
        assert_eq!(renewed.license.license_id, id);
        // Revocation lists are the vendor's.
        assert!(matches!(
            is.revocation_list("demo-erp", 1, today, 30),
            Err(Error::Channel(ChannelError::VendorOnly { .. }))
        ));
        // Three ids in the range: the third new license is the last one.
        is.issue(&subscription(5), today).unwrap();
        is.issue(&subscription(5), today).unwrap();
        assert!(matches!(
            is.issue(&subscription(5), today),
            Err(Error::Channel(ChannelError::LicenseIdRangeUsed {
                first: 500_000,
                last: 500_002,
                ..
            }))
        ));
    }

    #[test]
    fn a_certificate_without_an_id_range_issues_no_new_license() {
        let dir = tempfile::tempdir().unwrap();
        let mut frame = subscription_frame();
        frame.license_ids = None;
        let mut is = reseller_issuer(dir.path(), frame);
        assert!(matches!(
            is.issue(&subscription(5), d(2027, 3, 1)),
            Err(Error::Channel(ChannelError::NoLicenseIdRange { .. }))
        ));
        // And a product it holds no certificate for.
        let mut o = subscription(5);
        o.product = "demo-erp-hosted".into();
        let mut catalogs = is.catalogs().clone();
        catalogs.insert(
            Catalog::from_toml(crate::catalog::product::DEMO_HOSTED_CATALOG, Path::new("h")).unwrap(),
        );
        let signer = ResellerHome::new(dir.path().join("contoso")).signer().unwrap();
        let mut is = crate::issuer::Issuer::new(catalogs, signer, crate::ledger::store::MemoryLedger::new());
        assert!(matches!(
            is.issue(&o, d(2027, 3, 1)),
            Err(Error::Channel(ChannelError::NoCertificate { .. }))
        ));
    }

    #[test]
    fn bundles_of_another_format_or_version_or_with_a_foreign_catalog_are_refused() {
        let vendor = VendorKey::from_seed(&[7; 32]);
        let chain = certify(
            &vendor,
            "demo-erp",
            vendor.public_key(),
            "Self",
            1,
            frame(1, 0),
            None,
        )
        .unwrap();
        let demo = Catalog::demo().unwrap();
        let good = ResellerBundle::new(&chain, &demo, &[vendor.public_key()])
            .to_json()
            .unwrap();
        for (text, says) in [
            ("not json".to_owned(), "not JSON"),
            ("{}".to_owned(), "not a license-reseller-bundle"),
            (good.replace("\"version\": 1", "\"version\": 2"), "version 2"),
            (
                good.replace("\"version\": 1", "\"version\": 1, \"x\": 0"),
                "unknown field",
            ),
        ] {
            let e = ResellerBundle::parse(&text).unwrap_err();
            assert!(e.to_string().contains(says), "{e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let home = ResellerHome::new(dir.path());
        home.keygen().unwrap();
        let mut b = ResellerBundle::parse(&good).unwrap();
        b.catalog = crate::catalog::product::DEMO_HOSTED_CATALOG.into();
        assert!(matches!(
            home.install_bundle(&b, None),
            Err(Error::Channel(ChannelError::Bundle { .. }))
        ));
        let mut b = ResellerBundle::parse(&good).unwrap();
        b.vendor_keys = vec!["zz".into()];
        assert!(matches!(
            home.install_bundle(&b, None),
            Err(Error::Channel(ChannelError::Bundle { .. }))
        ));
        b.vendor_keys = Vec::new();
        let e = home.install_bundle(&b, None).unwrap_err();
        assert!(e.to_string().contains("no vendor key"), "{e}");
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
