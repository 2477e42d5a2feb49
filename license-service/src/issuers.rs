//! Where the issuers come from (carried over from `issuing-service`): a fresh `Issuer` per
//! request over a shared ledger (a connection pool), or one `Issuer` behind a lock (a
//! ledger one process holds).
//!
//! This is the seam for the ledger: the service only needs a `license_issue::Ledger`. The
//! binary runs `crate::notify::Notifying` (the ledger, PostgreSQL or SQLite, wrapped in
//! `license_issue::WithOutbox`, so every batch commits its e-mails and webhook events in
//! its own transaction); `Pooled` and `Locked` serve ledgers without an outbox (the tests
//! that need no mail).

use std::sync::Mutex;

use license_issue::{Catalogs, Issuer, Ledger, Signer, VendorKey};
use license_notify::OutboxStore;

use crate::store::Owner;

/// Runs closures with an issuer.
pub trait Issuers: Send + Sync + 'static {
    /// The ledger.
    type Ledger: Ledger;
    /// Run `f` with an issuer.
    fn with<T>(&self, f: impl FnOnce(&mut Issuer<Self::Ledger>) -> T) -> T;
    /// Run `f` with an issuer whose new license (an issue, a trial) will be `owner`'s
    /// (its `license_id` is unknown yet): who hears of it (the company's administrators
    /// by e-mail, the reseller's webhooks). Existing licenses' owners are looked up.
    fn with_for<T>(&self, owner: Owner, f: impl FnOnce(&mut Issuer<Self::Ledger>) -> T) -> T {
        let _ = owner;
        self.with(f)
    }
    /// The outbox of the ledger's database, when e-mail and webhooks are wired in.
    fn outbox(&self) -> Option<&dyn OutboxStore> {
        None
    }
    /// Run `f` with an issuer over the same ledger that signs with `signer` (a reseller's
    /// key and chain: its codes carry its certificate chain); a new license it makes is
    /// `new_owner`'s, as in [`Issuers::with_for`].
    fn with_signer<T>(
        &self,
        signer: Signer,
        new_owner: Option<Owner>,
        f: impl FnOnce(&mut Issuer<Self::Ledger>) -> T,
    ) -> T;
}

/// Issuers over a ledger handle that many threads share (clones of a `PgLedger`).
pub struct Pooled<L> {
    catalogs: Catalogs,
    key: VendorKey,
    ledger: L,
}

impl<L: Ledger + Clone + Send + Sync + 'static> Pooled<L> {
    /// Each request gets an issuer with these catalogs and key, over a clone of `ledger`.
    pub fn new(catalogs: Catalogs, key: VendorKey, ledger: L) -> Pooled<L> {
        Pooled {
            catalogs,
            key,
            ledger,
        }
    }
}

impl<L: Ledger + Clone + Send + Sync + 'static> Issuers for Pooled<L> {
    type Ledger = L;
    fn with<T>(&self, f: impl FnOnce(&mut Issuer<L>) -> T) -> T {
        f(&mut Issuer::new(
            self.catalogs.clone(),
            self.key.clone(),
            self.ledger.clone(),
        ))
    }
    fn with_signer<T>(&self, signer: Signer, _: Option<Owner>, f: impl FnOnce(&mut Issuer<L>) -> T) -> T {
        f(&mut Issuer::new(
            self.catalogs.clone(),
            signer,
            self.ledger.clone(),
        ))
    }
}

/// One issuer behind a lock (a ledger file, which one process holds).
pub struct Locked<L: Ledger>(Mutex<Issuer<L>>);

impl<L: Ledger + Send + 'static> Locked<L> {
    /// Requests take turns with `issuer`.
    pub fn new(issuer: Issuer<L>) -> Locked<L> {
        Locked(Mutex::new(issuer))
    }
}

impl<L: Ledger + Send + 'static> Issuers for Locked<L> {
    type Ledger = L;
    fn with<T>(&self, f: impl FnOnce(&mut Issuer<L>) -> T) -> T {
        // A panic while holding the lock leaves the issuer as consistent as the ledger.
        let mut guard = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
    fn with_signer<T>(&self, signer: Signer, _: Option<Owner>, f: impl FnOnce(&mut Issuer<L>) -> T) -> T {
        /// Puts the vendor's signer back however `f` ends (a panic included), so no later
        /// order is signed with the reseller's key.
        struct Restore<'a, L: Ledger>(&'a mut Issuer<L>, Option<Signer>);
        impl<L: Ledger> Drop for Restore<'_, L> {
            fn drop(&mut self) {
                if let Some(s) = self.1.take() {
                    self.0.replace_signer(s);
                }
            }
        }
        let mut guard = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let vendor = guard.replace_signer(signer);
        let restore = Restore(&mut guard, Some(vendor));
        f(restore.0)
    }
}
