//! The store's records of resellers' keys and certificates (issue 21, item 3): the key the
//! service keeps for a reseller (sealed, `crate::custody`) or the public key of one that
//! keeps its own, the certificates the vendor gave (one live per reseller and product),
//! and the records of resellers' monthly exports the vendor imported.

use super::Store;
use crate::clock::now_ms;
use crate::db::Val;
use crate::error::StoreError;
use crate::rights::Rights;

/// Who keeps a reseller's signing key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Custody {
    /// The service (sealed under its master key): the vendor holds it.
    Service,
    /// The reseller, offline; the service knows its public key.
    Own,
}

impl Custody {
    const fn as_str(self) -> &'static str {
        match self {
            Custody::Service => "service",
            Custody::Own => "own",
        }
    }
}

/// A reseller's key as stored.
#[derive(Clone, Debug)]
pub struct ResellerKeyRow {
    /// Who keeps it.
    pub custody: Custody,
    /// Its public key (hex).
    pub public_key: String,
    /// The sealed private key (empty for [`Custody::Own`]).
    pub sealed: Vec<u8>,
}

/// A certificate the vendor gave a reseller.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CertificateRow {
    /// The product.
    pub product: String,
    /// Its serial (unique per product).
    pub serial: u32,
    /// The chain's text.
    pub chain: String,
    /// The frame, JSON of `license_core::Frame`.
    pub frame: String,
    /// When it was revoked (ms), 0 while live.
    pub revoked_ms: i64,
}

impl Store {
    /// The key stored for reseller `org`.
    pub fn reseller_key(&self, org: i64) -> Result<Option<ResellerKeyRow>, StoreError> {
        let rows = self.query(
            "SELECT custody, public_key, sealed FROM svc_reseller_keys WHERE org_id = $1",
            &[org.into()],
        )?;
        let Some(r) = rows.first() else { return Ok(None) };
        let custody = match r[0].text() {
            "service" => Custody::Service,
            "own" => Custody::Own,
            other => return Err(StoreError::Damaged(format!("custody {other:?}"))),
        };
        let sealed = match &r[2] {
            Val::Blob(b) => b.clone(),
            _ => Vec::new(),
        };
        Ok(Some(ResellerKeyRow {
            custody,
            public_key: r[1].text().to_owned(),
            sealed,
        }))
    }

    /// Store reseller `org`'s key; `false` (nothing changed) when it has one.
    pub fn add_reseller_key(
        &self,
        org: i64,
        custody: Custody,
        public_key: &str,
        sealed: &[u8],
    ) -> Result<bool, StoreError> {
        self.tx(|tx| {
            tx.exec(
                "INSERT INTO svc_reseller_keys (org_id, custody, public_key, sealed, created_ms)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id) DO NOTHING",
                &[
                    org.into(),
                    custody.as_str().into(),
                    public_key.into(),
                    sealed.into(),
                    now_ms().into(),
                ],
            )
        })
        .map(|n| n == 1)
    }

    /// The next free certificate serial of `product`.
    pub fn next_serial(&self, product: &str) -> Result<u32, StoreError> {
        let rows = self.query(
            "SELECT COALESCE(MAX(serial), 0) FROM svc_certificates WHERE product = $1",
            &[product.into()],
        )?;
        let max = rows.first().map_or(0, |r| r[0].int());
        u32::try_from(max + 1).map_err(|_| StoreError::Damaged(format!("serial {max} of {product}")))
    }

    /// Record a certificate of reseller `org` for `product`: the live one it replaces (if
    /// any) is revoked, and the reseller's frame (its rights in the service) becomes
    /// `frame`, in one transaction. `Duplicate` when another instance took the serial.
    pub fn record_certificate(
        &self,
        org: i64,
        product: &str,
        serial: u32,
        chain: &str,
        frame: &str,
    ) -> Result<Option<u32>, StoreError> {
        self.tx(|tx| {
            let now = now_ms();
            let old = tx.query(
                "SELECT serial FROM svc_certificates WHERE org_id = $1 AND product = $2 AND revoked_ms = 0",
                &[org.into(), product.into()],
            )?;
            tx.exec(
                "UPDATE svc_certificates SET revoked_ms = $1 WHERE org_id = $2 AND product = $3 AND revoked_ms = 0",
                &[now.into(), org.into(), product.into()],
            )?;
            tx.exec(
                "INSERT INTO svc_certificates (product, serial, org_id, chain, frame, created_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    product.into(),
                    i64::from(serial).into(),
                    org.into(),
                    chain.into(),
                    frame.into(),
                    now.into(),
                ],
            )?;
            tx.exec(
                "UPDATE svc_orgs SET frame = $1 WHERE id = $2",
                &[frame.into(), org.into()],
            )?;
            Ok(old
                .first()
                .and_then(|r| u32::try_from(r[0].int()).ok()))
        })
    }

    /// Reseller `org`'s live certificate for `product`.
    pub fn certificate(&self, org: i64, product: &str) -> Result<Option<CertificateRow>, StoreError> {
        Ok(self
            .certificates(org)?
            .into_iter()
            .find(|c| c.product == product && c.revoked_ms == 0))
    }

    /// Every certificate of reseller `org`, newest first.
    pub fn certificates(&self, org: i64) -> Result<Vec<CertificateRow>, StoreError> {
        self.query(
            "SELECT product, serial, chain, frame, revoked_ms FROM svc_certificates WHERE org_id = $1 ORDER BY created_ms DESC, serial DESC",
            &[org.into()],
        )?
        .iter()
        .map(|r| {
            Ok(CertificateRow {
                product: r[0].text().to_owned(),
                serial: u32::try_from(r[1].int()).map_err(|_| StoreError::Damaged("serial".into()))?,
                chain: r[2].text().to_owned(),
                frame: r[3].text().to_owned(),
                revoked_ms: r[4].int(),
            })
        })
        .collect()
    }

    /// Revoke reseller `org`'s live certificate for `product` (listed on the product's
    /// next revocation lists): its serial, `None` when it has none. The reseller's frame is emptied when no live certificate is left (it
    /// then creates nothing in the service).
    pub fn revoke_certificate(&self, org: i64, product: &str) -> Result<Option<u32>, StoreError> {
        self.tx(|tx| {
            let live = tx.query(
                "SELECT serial FROM svc_certificates WHERE org_id = $1 AND product = $2 AND revoked_ms = 0",
                &[org.into(), product.into()],
            )?;
            let Some(serial) = live.first().and_then(|r| u32::try_from(r[0].int()).ok()) else {
                return Ok(None);
            };
            tx.exec(
                "UPDATE svc_certificates SET revoked_ms = $1, listed = 1 WHERE product = $2 AND serial = $3",
                &[now_ms().into(), product.into(), i64::from(serial).into()],
            )?;
            let left = tx.query(
                "SELECT serial FROM svc_certificates WHERE org_id = $1 AND revoked_ms = 0",
                &[org.into()],
            )?;
            if left.is_empty() {
                tx.exec("UPDATE svc_orgs SET frame = '' WHERE id = $1", &[org.into()])?;
            }
            Ok(Some(serial))
        })
    }

    /// The serials of `product`'s certificates the vendor revoked (for its revocation
    /// list; a certificate replaced by a narrower one is not listed: the codes signed under
    /// it stay valid inside its frame).
    pub fn revoked_serials(&self, product: &str) -> Result<Vec<u32>, StoreError> {
        Ok(self
            .query(
                "SELECT serial FROM svc_certificates WHERE product = $1 AND listed <> 0 ORDER BY serial",
                &[product.into()],
            )?
            .iter()
            .filter_map(|r| u32::try_from(r[0].int()).ok())
            .collect())
    }

    /// The records imported from resellers' exports (the library's JSON), in order.
    pub fn imported(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .query("SELECT record FROM svc_imports ORDER BY id", &[])?
            .iter()
            .map(|r| r[0].text().to_owned())
            .collect())
    }

    /// Add imported records of reseller `org`, in one transaction.
    pub fn add_imported(&self, org: i64, records: &[String]) -> Result<(), StoreError> {
        self.tx(|tx| {
            let now = now_ms();
            for r in records {
                tx.exec(
                    "INSERT INTO svc_imports (org_id, record, created_ms) VALUES ($1, $2, $3)",
                    &[org.into(), r.as_str().into(), now.into()],
                )?;
            }
            Ok(())
        })
    }

    /// Replace a user's rights (when its administrator's narrowed).
    pub fn set_rights(&self, user_id: i64, rights: &Rights) -> Result<(), StoreError> {
        let rights = serde_json::to_string(rights).map_err(|e| StoreError::Damaged(e.to_string()))?;
        self.tx(|tx| {
            tx.exec(
                "UPDATE svc_users SET rights = $1 WHERE id = $2",
                &[rights.as_str().into(), user_id.into()],
            )
        })
        .map(drop)
    }
}
