//! The vendor's register of the reseller certificates it signed: one serial per product
//! for one certificate (revocation lists revoke certificates by serial, so a serial used
//! twice would revoke two resellers at once), and which of them are revoked. The register
//! is a JSON file written atomically (`docs/FORMAT.md`, "Certificate register"); revoked
//! serials go onto the product's next revocation list.

use std::fs;
use std::path::{Path, PathBuf};

use license_core::{CertificateChain, Date};
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

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    certificates: Vec<CertificateEntry>,
}

/// The register, read from and written back to one file.
#[derive(Clone, Debug)]
pub struct CertificateRegister {
    path: PathBuf,
    entries: Vec<CertificateEntry>,
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
        Ok(CertificateRegister {
            path,
            entries: file.certificates,
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

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn save(&self) -> Result<(), Error> {
        let file = File {
            format: REGISTER_FORMAT.into(),
            version: REGISTER_VERSION,
            certificates: self.entries.clone(),
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
