//! Where the book's changes become durable, and [`Seats`]: the book and its store together.
//!
//! - [`Seats::open_sqlite`]: one server instance, SQLite in WAL mode in the data directory.
//!   The book lives in memory; its changes go to a single writer thread that commits them
//!   in groups (every request that arrives while a transaction commits goes into the next
//!   one) and each request is answered only after its group committed. With
//!   `synchronous=NORMAL` a commit survives a killed process, not a power loss.
//! - [`Seats::open_postgres`] (feature `postgres`): several instances over one database.
//!   A change that can grant or end a seat runs in one transaction that locks the pool row
//!   (which holds the seat counter), loads only the holder's lease and a batch of expired
//!   ones, applies the same book rules with the counter standing for the other leases
//!   (`LeaseBook::partial`) and writes the changes and the counter, so the limit holds
//!   across instances; a heartbeat moves one lease's expiry without the pool lock
//!   (`postgres.rs` has the details).

use std::sync::Mutex;

use crate::book::{AuditEvent, Change, LeaseBook, LeaseId, Op, Policy, Reply, Snapshot};
use crate::error::Error;

#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;

/// Usage per minute, for the dashboard's chart: `(minute start ms, most seats in use)`.
pub type UsageSeries = Vec<(i64, u32)>;

enum Backend {
    Local {
        book: Mutex<LeaseBook>,
        writer: sqlite::Writer,
        reader: sqlite::Reader,
    },
    #[cfg(feature = "postgres")]
    Shared(postgres::PgStore),
}

/// The leases of one pool: the rules and their durable store.
pub struct Seats {
    backend: Backend,
    policy: Policy,
    /// The licensed seats (used by the shared store, whose book is rebuilt per change).
    limit: Mutex<Option<u32>>,
}

impl std::fmt::Debug for Seats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seats")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Seats {
    /// Open (or create) the SQLite store at `path` and load its leases.
    pub fn open_sqlite(path: &std::path::Path, limit: Option<u32>, policy: Policy) -> Result<Seats, Error> {
        let (writer, reader, loaded) = sqlite::open(path)?;
        let book = LeaseBook::new(limit, policy, loaded.leases, loaded.peak);
        Ok(Seats {
            backend: Backend::Local {
                book: Mutex::new(book),
                writer,
                reader,
            },
            policy,
            limit: Mutex::new(limit),
        })
    }

    /// Connect to PostgreSQL at `url` (migrating its schema if needed).
    #[cfg(feature = "postgres")]
    pub async fn open_postgres(url: &str, limit: Option<u32>, policy: Policy) -> Result<Seats, Error> {
        Ok(Seats {
            backend: Backend::Shared(postgres::PgStore::connect(url, policy).await?),
            policy,
            limit: Mutex::new(limit),
        })
    }

    /// The licensed seats now.
    pub fn current_limit(&self) -> Option<u32> {
        *lock(&self.limit)
    }

    /// The bounds.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Apply `op` at `now_ms`; returns once its changes are durable.
    pub async fn apply(&self, op: Op, now_ms: i64) -> Result<Reply, Error> {
        let fresh = match op {
            Op::Acquire { .. } | Op::Borrow { .. } => {
                LeaseId::random().map_err(|e| Error::Random(e.to_string()))?
            }
            _ => LeaseId([0; 16]),
        };
        if let Op::SetLimit(l) = op {
            *lock(&self.limit) = l;
        }
        match &self.backend {
            Backend::Local { book, writer, .. } => {
                let pending = {
                    let mut book = lock(book);
                    let (reply, changes) = book.apply(op, now_ms, || fresh);
                    // Submitted under the lock, so the store sees changes in book order.
                    (reply, writer.submit(changes)?)
                };
                let (reply, done) = pending;
                if let Some(done) = done {
                    done.await
                        .map_err(|_| Error::StoreFailed("the writer stopped".into()))?
                        .map_err(Error::StoreFailed)?;
                }
                Ok(reply)
            }
            #[cfg(feature = "postgres")]
            Backend::Shared(pg) => {
                let limit = *lock(&self.limit);
                pg.apply(limit, op, now_ms, fresh).await
            }
        }
    }

    /// Usage now.
    pub async fn snapshot(&self, now_ms: i64) -> Result<Snapshot, Error> {
        match &self.backend {
            Backend::Local { book, .. } => Ok(lock(book).snapshot(now_ms)),
            #[cfg(feature = "postgres")]
            Backend::Shared(pg) => {
                let limit = self.current_limit();
                pg.snapshot(limit, now_ms).await
            }
        }
    }

    /// The newest `max` audit entries, newest first.
    pub async fn audit(&self, max: u32) -> Result<Vec<AuditEvent>, Error> {
        match &self.backend {
            Backend::Local { reader, .. } => reader.audit(max).await,
            #[cfg(feature = "postgres")]
            Backend::Shared(pg) => pg.audit(max).await,
        }
    }

    /// Usage per minute since `since_ms`, oldest first, and the last value before it.
    pub async fn usage(&self, since_ms: i64) -> Result<(u32, UsageSeries), Error> {
        match &self.backend {
            Backend::Local { reader, .. } => reader.usage(since_ms).await,
            #[cfg(feature = "postgres")]
            Backend::Shared(pg) => pg.usage(since_ms).await,
        }
    }

    /// Drop audit entries and usage samples older than `before_ms`.
    pub async fn prune(&self, audit_before_ms: i64, usage_before_ms: i64) -> Result<(), Error> {
        let change = Change::Prune {
            audit_before_ms,
            usage_before_ms,
        };
        match &self.backend {
            Backend::Local { writer, .. } => {
                if let Some(done) = writer.submit(vec![change])? {
                    done.await
                        .map_err(|_| Error::StoreFailed("the writer stopped".into()))?
                        .map_err(Error::StoreFailed)?;
                }
                Ok(())
            }
            #[cfg(feature = "postgres")]
            Backend::Shared(pg) => pg.write(vec![change]).await,
        }
    }
}
