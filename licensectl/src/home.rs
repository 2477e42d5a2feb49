//! The licensing directory (`--home`): keys, catalogs, ledger, revocation lists.
//!
//! ```text
//! <home>/keys/keyring.toml, <home>/keys/key-<id>.pem   (mode 0700 / 0600)
//! <home>/catalog/<product>.toml                         one per product
//! <home>/ledger.jsonl                                   every code issued
//! <home>/revocations/<product>/list-<sequence>.bin      signed revocation lists
//! <home>/revocation-sequences.json                      last published sequence per product
//! <home>/certificates.json                              reseller certificates signed, revoked
//! <home>/reseller/                                      a reseller's key and certificates
//! <home>/imports/ledger.jsonl                           resellers' imported records
//! <home>/tickets.jsonl (+ .lock)                        the ticket pool (ticket ids are bearer secrets: mode 0600)
//! ```
//!
//! A reseller's home has `reseller/` (its key and installed certificate chains) and no
//! `keys/keyring.toml`: there `issue`, `upgrade`, `renew` sign with the reseller's key and
//! chain, and codes are checked against the vendor keys its bundle brought.
//!
//! Imported records (`report import`: the monthly exports of resellers that issue
//! licenses themselves) are kept in one ledger file of their own, apart from the vendor's
//! `ledger.jsonl`: the vendor's issuing never sees them, so a reseller's license ids
//! never move the vendor's own numbering, and a bad import cannot damage the vendor's
//! ledger. Each record names its reseller (the code's chain names its first-level
//! reseller too), so one file serves every reseller. Reports read both
//! ([`Home::all_records`]).

use std::fs;
use std::path::{Path, PathBuf};

use license_core::{Date, PublicKey, UntrustedRevocationList};
use license_issue::CatalogError;
use license_issue::{
    Catalog, Catalogs, CertificateRegister, Error, FileLedger, Issuer, KeyRing, Ledger, Record, ResellerHome,
    Signer, TicketPool,
};

/// Paths inside the licensing directory.
pub struct Home {
    pub dir: PathBuf,
    /// A single catalog file given with `--catalog`, instead of `<home>/catalog/`.
    pub catalog_file: Option<PathBuf>,
}

impl Home {
    pub fn keys(&self) -> PathBuf {
        self.dir.join("keys")
    }

    pub fn catalog_dir(&self) -> PathBuf {
        self.dir.join("catalog")
    }

    pub fn ledger(&self) -> PathBuf {
        self.dir.join("ledger.jsonl")
    }

    pub fn revocations(&self) -> PathBuf {
        self.dir.join("revocations")
    }

    /// The catalogs: the `--catalog` file, or every file in `<home>/catalog/`.
    pub fn catalogs(&self) -> Result<Catalogs, Error> {
        if let Some(path) = &self.catalog_file {
            let mut c = Catalogs::new();
            c.insert(Catalog::load(path)?);
            return Ok(c);
        }
        Catalogs::load_dir(&self.catalog_dir())
    }

    /// The catalogs for display only (`inspect`, reports): a broken catalog is reported as
    /// a warning on stderr and the output falls back to line numbers and module bits.
    pub fn catalogs_or_warn(&self) -> Catalogs {
        self.catalogs().unwrap_or_else(|e| {
            eprintln!("warning: {e}. Showing line numbers and module bits instead of names.");
            Catalogs::new()
        })
    }

    /// Catalogs, requiring at least one.
    pub fn catalogs_required(&self) -> Result<Catalogs, Error> {
        let c = self.catalogs()?;
        if c.iter().next().is_none() {
            return Err(Error::Catalog(CatalogError::Catalog {
                path: self.catalog_dir(),
                reason: "no product catalog found: put <product>.toml there (`licensectl catalog --init-demo` installs the demo one)".into(),
            }));
        }
        Ok(c)
    }

    /// The ledger; for reading, warn on stderr about a torn last record (writing
    /// reports it as the error).
    pub fn open_ledger(&self, warn: bool) -> Result<FileLedger, Error> {
        fs::create_dir_all(&self.dir).map_err(|source| Error::Io {
            path: self.dir.clone(),
            source,
        })?;
        let ledger = FileLedger::open(&self.ledger())?;
        if let (true, Some(torn)) = (warn, ledger.torn()) {
            eprintln!("warning: {torn}; run `licensectl ledger repair` before issuing");
        }
        Ok(ledger)
    }

    /// The register of the reseller certificates this home signed (`<home>/certificates.json`).
    pub fn certificates(&self) -> Result<CertificateRegister, Error> {
        CertificateRegister::open(self.dir.join("certificates.json"))
    }

    /// The reseller's side of this home (`<home>/reseller/`).
    pub fn reseller(&self) -> ResellerHome {
        ResellerHome::new(self.dir.join("reseller"))
    }

    /// A reseller's home: a reseller key and no vendor key ring.
    pub fn is_reseller(&self) -> bool {
        !self.keys().join("keyring.toml").exists() && self.reseller().has_key()
    }

    /// Who signs here: the vendor's current key, or in a reseller's home the reseller's
    /// key with its installed chains.
    pub fn signer(&self) -> Result<Signer, Error> {
        if self.is_reseller() {
            return Ok(self.reseller().signer()?.into());
        }
        Ok(KeyRing::open(&self.keys())?.current()?.into())
    }

    /// The vendor's public keys: the key ring's, or in a reseller's home the ones its
    /// bundle brought.
    pub fn vendor_keys(&self) -> Result<Vec<PublicKey>, Error> {
        if self.is_reseller() {
            return self.reseller().vendor_keys();
        }
        Ok(KeyRing::open(&self.keys())?.public_keys())
    }

    /// The ledger of imported resellers' records (created on first use).
    pub fn open_imports(&self, warn: bool) -> Result<FileLedger, Error> {
        let path = license_issue::imports_ledger_path(&self.dir);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.into(),
                source,
            })?;
        }
        let ledger = FileLedger::open(&path)?;
        if let (true, Some(torn)) = (warn, ledger.torn()) {
            eprintln!("warning: {torn}; run `licensectl ledger repair`, then import that file again");
        }
        Ok(ledger)
    }

    /// Every record the reports read: the vendor's ledger, then every imported record.
    pub fn all_records(&self) -> Result<Vec<Record>, Error> {
        let mut records = self.open_ledger(true)?.records()?;
        if license_issue::imports_ledger_path(&self.dir).exists() {
            records.extend(self.open_imports(true)?.records()?);
        }
        Ok(records)
    }

    /// The reseller certificates of `product` that are revoked (first-level ones by serial,
    /// sub-resellers' by the pair of serials): those the newest revocation list (in
    /// `revocations/<product>/`) names, and at the vendor those its certificate register
    /// marks revoked but no list names yet. A list that does not verify with `keys` is an
    /// error.
    pub fn revoked_certificates(
        &self,
        product: &str,
        keys: &[PublicKey],
    ) -> Result<license_issue::CertificateRevocationSet, Error> {
        let mut revoked = self.certificates()?.revoked(product);
        let sequence = self.highest_revocation_file(product)?;
        if sequence > 0 {
            let path = self.revocations_of(product).join(format!("list-{sequence}.bin"));
            let bytes = fs::read(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let list = UntrustedRevocationList::parse(&bytes)?.verify(keys, product)?;
            revoked.resellers.extend(list.revoked_certificates());
            revoked.sub_resellers.extend(list.revoked_sub_certificates());
        }
        revoked.normalize();
        Ok(revoked)
    }

    /// An issuer with the signer, the catalogs and the ledger.
    pub fn issuer(&self) -> Result<Issuer<FileLedger>, Error> {
        let signer = self.signer()?;
        let catalogs = self.catalogs_required()?;
        let ledger = self.open_ledger(false)?;
        Ok(Issuer::new(catalogs, signer, ledger))
    }

    /// Store `catalog` as `<home>/catalog/<product>.toml` (a reseller's bundle brings it),
    /// replacing an earlier one of the product.
    pub fn store_catalog(&self, catalog: &Catalog) -> Result<PathBuf, Error> {
        catalog.store_in(&self.catalog_dir())
    }

    /// The ticket pool (`ticket create`, `redeem`, `export`, `import`, `report`).
    pub fn open_tickets(&self) -> Result<TicketPool, Error> {
        TicketPool::open(&self.dir.join("tickets.jsonl"))
    }

    /// Where `product`'s revocation lists are written.
    pub fn revocations_of(&self, product: &str) -> PathBuf {
        self.revocations().join(product)
    }

    /// The highest sequence number among `product`'s list files (0: none).
    pub fn highest_revocation_file(&self, product: &str) -> Result<u64, Error> {
        let dir = self.revocations_of(product);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(source) => return Err(Error::Io { path: dir, source }),
        };
        Ok(entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_prefix("list-")?
                    .strip_suffix(".bin")?
                    .parse::<u64>()
                    .ok()
            })
            .max()
            .unwrap_or(0))
    }
}

/// Today in UTC from the system clock.
pub fn system_today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Date::from_unix_seconds(secs)
}

/// Write `bytes` to a new file (refusing to overwrite).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write as _;
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.into(),
            source,
        })?;
    }
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)
}
