//! The vendor's register of the reseller certificates it signed: one serial per product
//! for one certificate (revocation lists revoke certificates by serial, so a serial used
//! twice would revoke two resellers at once), and which of them are revoked. It also holds
//! the sub-reseller certificates the vendor's imports met in its resellers' codes, one per
//! (reseller serial, sub-reseller serial): lists revoke sub-resellers by that pair. The
//! register is a JSON file written atomically (`docs/FORMAT.md`, "Certificate register");
//! revoked serials and pairs go onto the product's next revocation list.

use std::fs;
use std::path::{Path, PathBuf};

use license_core::{CertificateChain, CertificateRevocations, Date, SubCertificateSerial};
use serde::{Deserialize, Serialize};

use crate::channel::error::ChannelError;
use crate::error::Error;
use crate::ledger::error::LedgerError;

/// The `format` field of the register file.
pub const REGISTER_FORMAT: &str = "license-kit/certificates";
/// The register version this library writes and reads.
pub const REGISTER_VERSION: u32 = 1;

/// One certificate the vendor signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateEntry {
    /// The product id.
    pub product: String,
    /// The certificate's serial (unique per product).
    pub serial: u32,
    /// The reseller's name.
    pub reseller: String,
    /// The reseller's public key, hex.
    pub public_key: String,
    /// The day it was signed.
    pub certified: Date,
    /// The first issue day it no longer allows.
    pub until: Date,
    /// The day it was revoked, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Date>,
    /// Why it was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A sub-reseller certificate (the second of a chain) as an import met it: its reseller
/// signed it, so the vendor knows it from the codes under it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubCertificateEntry {
    /// The product id.
    pub product: String,
    /// The serial of the first-level certificate above it (the vendor's).
    pub reseller_serial: u32,
    /// The first-level reseller's name.
    pub reseller: String,
    /// Its own serial (its reseller gave it; unique per reseller).
    pub serial: u32,
    /// The sub-reseller's name.
    pub sub_reseller: String,
    /// The sub-reseller's public key, hex.
    pub public_key: String,
    /// The day an import first met it.
    pub registered: Date,
    /// The day the vendor revoked it, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Date>,
    /// Why it was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl SubCertificateEntry {
    /// The pair of serials a revocation list names it by.
    pub fn pair(&self) -> SubCertificateSerial {
        SubCertificateSerial {
            reseller: self.reseller_serial,
            sub_reseller: self.serial,
        }
    }
}

/// The revoked reseller certificates of one product, as the vendor's checks and lists use
/// them: first-level serials and sub-reseller pairs, each ascending.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CertificateRevocationSet {
    /// Revoked first-level certificates, by serial.
    pub resellers: Vec<u32>,
    /// Revoked sub-reseller certificates, by (reseller serial, sub-reseller serial).
    pub sub_resellers: Vec<SubCertificateSerial>,
}

impl CertificateRevocationSet {
    /// Whether nothing is revoked.
    pub fn is_empty(&self) -> bool {
        self.resellers.is_empty() && self.sub_resellers.is_empty()
    }

    /// Sort and remove duplicates (after merging two sources).
    pub fn normalize(&mut self) {
        self.resellers.sort_unstable();
        self.resellers.dedup();
        self.sub_resellers.sort_unstable();
        self.sub_resellers.dedup();
    }
}

impl CertificateRevocations for CertificateRevocationSet {
    fn revokes_reseller(&self, serial: u32) -> bool {
        self.resellers.contains(&serial)
    }

    fn revokes_sub_reseller(&self, reseller: u32, sub_reseller: u32) -> bool {
        self.sub_resellers.contains(&SubCertificateSerial {
            reseller,
            sub_reseller,
        })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    certificates: Vec<CertificateEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sub_certificates: Vec<SubCertificateEntry>,
}

/// The register, read from and written back to one file.
#[derive(Clone, Debug)]
pub struct CertificateRegister {
    path: PathBuf,
    entries: Vec<CertificateEntry>,
    sub_entries: Vec<SubCertificateEntry>,
}

impl CertificateRegister {
    /// The register at `path` (none yet: empty).
    pub fn open(path: impl Into<PathBuf>) -> Result<CertificateRegister, Error> {
        let path = path.into();
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(CertificateRegister {
                    path,
                    entries: Vec::new(),
                    sub_entries: Vec::new(),
                });
            }
            Err(e) => return Err(Error::io(&path)(e)),
        };
        let bad = |reason: String| {
            Error::Channel(ChannelError::Register {
                path: path.clone(),
                reason,
            })
        };
        let file: File = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if file.format != REGISTER_FORMAT {
            return Err(bad(format!("not a {REGISTER_FORMAT} file")));
        }
        if file.version != REGISTER_VERSION {
            return Err(bad(format!(
                "version {}; this software reads version {REGISTER_VERSION}",
                file.version
            )));
        }
        let mut seen = std::collections::BTreeSet::new();
        if let Some(e) = file
            .certificates
            .iter()
            .find(|e| !seen.insert((e.product.as_str(), e.serial)))
        {
            return Err(bad(format!(
                "serial {} of {} is listed twice",
                e.serial, e.product
            )));
        }
        let mut pairs = std::collections::BTreeSet::new();
        if let Some(e) = file
            .sub_certificates
            .iter()
            .find(|e| !pairs.insert((e.product.as_str(), e.pair())))
        {
            return Err(bad(format!(
                "sub-reseller certificate {} of {} is listed twice",
                e.pair(),
                e.product
            )));
        }
        Ok(CertificateRegister {
            path,
            entries: file.certificates,
            sub_entries: file.sub_certificates,
        })
    }

    /// Every certificate, in the order signed.
    pub fn entries(&self) -> &[CertificateEntry] {
        &self.entries
    }

    /// The certificate `serial` of `product`.
    pub fn get(&self, product: &str, serial: u32) -> Option<&CertificateEntry> {
        self.entries
            .iter()
            .find(|e| e.product == product && e.serial == serial)
    }

    /// Refused when `serial` is already used for `product` (before signing a new one).
    pub fn check_new(&self, product: &str, serial: u32) -> Result<(), Error> {
        match self.get(product, serial) {
            Some(e) => Err(Error::Channel(ChannelError::SerialUsed {
                product: product.to_owned(),
                serial,
                reseller: e.reseller.clone(),
            })),
            None => Ok(()),
        }
    }

    /// Record the vendor-signed `chain` (its first certificate) for `product`, signed on
    /// `today`, and write the register.
    pub fn record(&mut self, product: &str, chain: &CertificateChain, today: Date) -> Result<(), Error> {
        let Some(cert) = chain.certificates().next() else {
            return Ok(());
        };
        self.check_new(product, cert.serial)?;
        self.entries.push(CertificateEntry {
            product: product.to_owned(),
            serial: cert.serial,
            reseller: cert.name.as_str().to_owned(),
            public_key: hex::encode(cert.subject.to_bytes()),
            certified: today,
            until: cert.frame.not_after,
            revoked: None,
            reason: None,
        });
        self.save()
    }

    /// Revoke certificate `serial` of `product` on `today`, and write the register: it
    /// goes onto the product's next revocation list, and every code under it (its
    /// sub-resellers' too) is refused wherever that list is installed.
    pub fn revoke(
        &mut self,
        product: &str,
        serial: u32,
        reason: Option<&str>,
        today: Date,
    ) -> Result<&CertificateEntry, Error> {
        let i = self
            .entries
            .iter()
            .position(|e| e.product == product && e.serial == serial)
            .ok_or_else(|| {
                Error::Channel(ChannelError::UnknownCertificate {
                    product: product.to_owned(),
                    serial,
                })
            })?;
        if let Some(on) = self.entries[i].revoked {
            return Err(Error::Channel(ChannelError::CertificateRevoked {
                product: product.to_owned(),
                serial,
                on,
            }));
        }
        self.entries[i].revoked = Some(today);
        self.entries[i].reason = reason.map(str::to_owned);
        self.save()?;
        Ok(&self.entries[i])
    }

    /// The revoked serials of `product`, ascending: what its revocation list must hold.
    pub fn revoked_serials(&self, product: &str) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .entries
            .iter()
            .filter(|e| e.product == product && e.revoked.is_some())
            .map(|e| e.serial)
            .collect();
        v.sort_unstable();
        v
    }

    /// The sub-reseller certificates imports met, in the order met.
    pub fn sub_entries(&self) -> &[SubCertificateEntry] {
        &self.sub_entries
    }

    /// Register the sub-reseller certificates an import met (`met`, in any order, each
    /// with `registered` the import's day), and write the register if any is new. Refused
    /// whole, before anything is written, when a pair of serials (per product) would name
    /// two keys: in the register and the import, or twice in the import. Returns how many
    /// were new.
    pub fn register_sub_certificates(&mut self, met: &[SubCertificateEntry]) -> Result<usize, Error> {
        let mut new: Vec<SubCertificateEntry> = Vec::new();
        for m in met {
            let known = self
                .sub_entries
                .iter()
                .chain(&new)
                .find(|e| e.product == m.product && e.pair() == m.pair());
            match known {
                Some(e) if e.public_key == m.public_key => {}
                Some(e) => {
                    return Err(Error::Channel(ChannelError::SubSerialUsed {
                        product: m.product.clone(),
                        reseller_serial: m.reseller_serial,
                        reseller: m.reseller.clone(),
                        serial: m.serial,
                        registered: e.sub_reseller.clone(),
                        given: m.sub_reseller.clone(),
                    }));
                }
                None => new.push(m.clone()),
            }
        }
        let count = new.len();
        if count > 0 {
            self.sub_entries.extend(new);
            self.save()?;
        }
        Ok(count)
    }

    /// Revoke the sub-reseller certificate `serial` under the first-level certificate
    /// `reseller_serial` of `product` on `today`, and write the register: the pair goes
    /// onto the product's next revocation list (format version 3), and every code under
    /// that sub-reseller is refused wherever the list is installed.
    pub fn revoke_sub(
        &mut self,
        product: &str,
        reseller_serial: u32,
        serial: u32,
        reason: Option<&str>,
        today: Date,
    ) -> Result<&SubCertificateEntry, Error> {
        let i = self
            .sub_entries
            .iter()
            .position(|e| e.product == product && e.reseller_serial == reseller_serial && e.serial == serial)
            .ok_or_else(|| {
                Error::Channel(ChannelError::UnknownSubCertificate {
                    product: product.to_owned(),
                    reseller_serial,
                    serial,
                })
            })?;
        if let Some(on) = self.sub_entries[i].revoked {
            return Err(Error::Channel(ChannelError::SubCertificateRevoked {
                product: product.to_owned(),
                reseller_serial,
                serial,
                on,
            }));
        }
        self.sub_entries[i].revoked = Some(today);
        self.sub_entries[i].reason = reason.map(str::to_owned);
        self.save()?;
        Ok(&self.sub_entries[i])
    }

    /// The revoked sub-reseller pairs of `product`, ascending.
    pub fn revoked_sub_serials(&self, product: &str) -> Vec<SubCertificateSerial> {
        let mut v: Vec<SubCertificateSerial> = self
            .sub_entries
            .iter()
            .filter(|e| e.product == product && e.revoked.is_some())
            .map(SubCertificateEntry::pair)
            .collect();
        v.sort_unstable();
        v
    }

    /// Everything revoked of `product`: what its revocation list must hold.
    pub fn revoked(&self, product: &str) -> CertificateRevocationSet {
        CertificateRevocationSet {
            resellers: self.revoked_serials(product),
            sub_resellers: self.revoked_sub_serials(product),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn save(&self) -> Result<(), Error> {
        let file = File {
            format: REGISTER_FORMAT.into(),
            version: REGISTER_VERSION,
            certificates: self.entries.clone(),
            sub_certificates: self.sub_entries.clone(),
        };
        let text = serde_json::to_string_pretty(&file).map_err(LedgerError::LedgerEncode)?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        license_fs::write_atomic(&self.path, format!("{text}\n").as_bytes()).map_err(Error::io(&self.path))
    }
}

#[cfg(test)]
mod tests {
    use license_core::{Certificate, Frame, KindSet, LineSet, ModuleSet, ResellerName};

    use super::*;
    use crate::keys::vendor::VendorKey;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    fn chain(serial: u32, name: &str) -> CertificateChain {
        let vendor = VendorKey::from_seed(&[7; 32]);
        Certificate {
            serial,
            subject: VendorKey::from_seed(&[serial as u8; 32]).public_key(),
            name: ResellerName::new(name).unwrap(),
            frame: Frame::new(KindSet::ALL, LineSet::ALL, ModuleSet::first(3), d(2028, 1, 1)),
        }
        .certify("erp", vendor.signing_key(), None)
        .unwrap()
    }

    #[test]
    fn serials_are_unique_per_product_and_revoked_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("certificates.json");
        let mut reg = CertificateRegister::open(&path).unwrap();
        reg.record("erp", &chain(7, "Contoso"), d(2027, 1, 1)).unwrap();
        reg.record("erp", &chain(3, "Fabrikam"), d(2027, 1, 2)).unwrap();
        // Another product may use the same serial.
        reg.record("crm", &chain(7, "Contoso"), d(2027, 1, 2)).unwrap();
        assert!(matches!(
            reg.record("erp", &chain(7, "Other"), d(2027, 1, 3)),
            Err(Error::Channel(ChannelError::SerialUsed { serial: 7, ref reseller, .. })) if reseller == "Contoso"
        ));
        let mut reg = CertificateRegister::open(&path).unwrap();
        assert_eq!(reg.entries().len(), 3, "kept across reopening");
        assert_eq!(
            reg.revoke("erp", 7, Some("left"), d(2027, 6, 1))
                .unwrap()
                .reseller,
            "Contoso"
        );
        assert!(matches!(
            reg.revoke("erp", 7, None, d(2027, 6, 2)),
            Err(Error::Channel(ChannelError::CertificateRevoked { .. }))
        ));
        assert!(matches!(
            reg.revoke("erp", 99, None, d(2027, 6, 2)),
            Err(Error::Channel(ChannelError::UnknownCertificate {
                serial: 99,
                ..
            }))
        ));
        let reg = CertificateRegister::open(&path).unwrap();
        assert_eq!(reg.revoked_serials("erp"), [7]);
        assert!(reg.revoked_serials("crm").is_empty());
    }

    fn met(reseller_serial: u32, serial: u32, name: &str, key: u8) -> SubCertificateEntry {
        SubCertificateEntry {
            product: "erp".into(),
            reseller_serial,
            reseller: "Contoso".into(),
            serial,
            sub_reseller: name.into(),
            public_key: hex::encode([key; 32]),
            registered: d(2027, 2, 1),
            revoked: None,
            reason: None,
        }
    }

    #[test]
    fn sub_reseller_serials_are_unique_per_reseller_and_revoked_by_the_pair() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("certificates.json");
        let mut reg = CertificateRegister::open(&path).unwrap();
        assert_eq!(
            reg.register_sub_certificates(&[met(7, 1, "Fabrikam", 1), met(7, 1, "Fabrikam", 1)])
                .unwrap(),
            1,
            "one certificate met twice"
        );
        // Another reseller may use the same sub-serial; the same pair again adds nothing.
        assert_eq!(
            reg.register_sub_certificates(&[met(8, 1, "Northwind", 2), met(7, 1, "Fabrikam", 1)])
                .unwrap(),
            1
        );
        // Contoso gave serial 1 to another key: refused, naming both, and nothing written.
        let refused = reg
            .register_sub_certificates(&[met(7, 2, "Tailspin", 3), met(7, 1, "Litware", 4)])
            .unwrap_err();
        assert!(matches!(
            &refused,
            Error::Channel(ChannelError::SubSerialUsed { reseller_serial: 7, serial: 1, registered, given, .. })
                if registered == "Fabrikam" && given == "Litware"
        ));
        assert_eq!(
            refused.to_string(),
            "reseller Contoso (certificate 7 of erp) gave its sub-reseller serial 1 to Fabrikam and again to another key (Litware): a reseller's sub-reseller serials must be unique, since the vendor revokes sub-resellers by them; ask the reseller to certify Litware again with an unused serial; nothing was imported"
        );
        // Twice in one import with two keys: refused too.
        assert!(matches!(
            reg.register_sub_certificates(&[met(9, 5, "A", 5), met(9, 5, "B", 6)]),
            Err(Error::Channel(ChannelError::SubSerialUsed {
                reseller_serial: 9,
                serial: 5,
                ..
            }))
        ));
        let mut reg = CertificateRegister::open(&path).unwrap();
        assert_eq!(reg.sub_entries().len(), 2, "the refused imports wrote nothing");
        assert_eq!(
            reg.revoke_sub("erp", 7, 1, Some("contract ended"), d(2027, 6, 1))
                .unwrap()
                .sub_reseller,
            "Fabrikam"
        );
        let again = reg.revoke_sub("erp", 7, 1, None, d(2027, 6, 2)).unwrap_err();
        assert!(matches!(
            again,
            Error::Channel(ChannelError::SubCertificateRevoked { .. })
        ));
        assert_eq!(
            again.to_string(),
            "sub-reseller certificate 1 under reseller certificate 7 of erp was revoked on 2027-06-01: publish the revocation list if it is not out yet"
        );
        let unknown = reg.revoke_sub("erp", 7, 9, None, d(2027, 6, 2)).unwrap_err();
        assert!(matches!(
            unknown,
            Error::Channel(ChannelError::UnknownSubCertificate {
                reseller_serial: 7,
                serial: 9,
                ..
            })
        ));
        assert!(unknown.to_string().starts_with(
            "no sub-reseller certificate 9 under reseller certificate 7 of erp in the register"
        ));
        let reg = CertificateRegister::open(&path).unwrap();
        let revoked = reg.revoked("erp");
        assert_eq!(
            revoked.sub_resellers,
            [SubCertificateSerial {
                reseller: 7,
                sub_reseller: 1
            }]
        );
        assert!(revoked.resellers.is_empty());
        assert!(revoked.revokes_sub_reseller(7, 1) && !revoked.revokes_sub_reseller(8, 1));
        assert!(reg.revoked("crm").is_empty());
    }

    #[test]
    fn a_damaged_or_foreign_register_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("certificates.json");
        for text in [
            "not json",
            r#"{"format":"other","version":1,"certificates":[]}"#,
            r#"{"format":"license-kit/certificates","version":2,"certificates":[]}"#,
        ] {
            fs::write(&path, text).unwrap();
            assert!(matches!(
                CertificateRegister::open(&path),
                Err(Error::Channel(ChannelError::Register { .. }))
            ));
        }
    }
}
