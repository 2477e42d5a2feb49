//! The outbox on the SQLite ledger: one backend instance (its writes are serialized by
//! SQLite, so claims never overlap there either).

use license_issue::rusqlite::{self, OptionalExtension, TransactionBehavior, params};
use license_issue::{OutboxRow, SqliteLedger};

use crate::error::{NotifyError, backend};
use crate::outbox::store::{Claimed, OutboxStore, StoredEndpoint};

/// The notify crate's own tables (the outbox itself is the ledger's).
pub const SQLITE_NOTIFY_MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE notify_job_runs (
         job        TEXT    NOT NULL,
         period     TEXT    NOT NULL,
         claimed_by TEXT    NOT NULL,
         started    INTEGER NOT NULL,
         finished   INTEGER,
         PRIMARY KEY (job, period));",
    ),
    (
        2,
        "CREATE TABLE notify_endpoints (
         id      INTEGER PRIMARY KEY AUTOINCREMENT,
         owner   TEXT    NOT NULL,
         url     TEXT    NOT NULL,
         secret  TEXT    NOT NULL,
         created INTEGER NOT NULL,
         removed INTEGER);",
    ),
];

/// The outbox and job runs in the SQLite ledger's file, on its connection.
#[derive(Clone, Debug)]
pub struct SqliteOutbox {
    ledger: SqliteLedger,
}

fn db(e: rusqlite::Error) -> NotifyError {
    backend(e)
}

impl SqliteOutbox {
    /// On `ledger`'s connection; creates the job-run table if needed.
    pub fn open(ledger: &SqliteLedger) -> Result<SqliteOutbox, NotifyError> {
        {
            let mut c = ledger.connection();
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS notify_migrations (
                     version INTEGER PRIMARY KEY,
                     applied INTEGER NOT NULL DEFAULT (unixepoch()))",
            )
            .map_err(db)?;
            for (version, sql) in SQLITE_NOTIFY_MIGRATIONS {
                let done = tx
                    .query_row(
                        "SELECT 1 FROM notify_migrations WHERE version = ?1",
                        [version],
                        |_| Ok(()),
                    )
                    .optional()
                    .map_err(db)?
                    .is_some();
                if !done {
                    tx.execute_batch(sql).map_err(db)?;
                    tx.execute("INSERT INTO notify_migrations (version) VALUES (?1)", [version])
                        .map_err(db)?;
                }
            }
            tx.commit().map_err(db)?;
        }
        Ok(SqliteOutbox {
            ledger: ledger.clone(),
        })
    }
}

impl SqliteOutbox {
    /// The endpoints of `owner` (or all), the removed ones too when `removed`.
    fn endpoints_of(&self, owner: Option<&str>, removed: bool) -> Result<Vec<StoredEndpoint>, NotifyError> {
        let c = self.ledger.connection();
        let mut stmt = c
            .prepare_cached(
                "SELECT id, owner, url, secret, created FROM notify_endpoints
                  WHERE (?2 OR removed IS NULL) AND (?1 IS NULL OR owner = ?1) ORDER BY id",
            )
            .map_err(db)?;
        stmt.query_map(params![owner, removed], |r| {
            Ok(StoredEndpoint {
                id: r.get(0)?,
                owner: r.get(1)?,
                url: r.get(2)?,
                secret: zeroize::Zeroizing::new(r.get(3)?),
                created: r.get(4)?,
            })
        })
        .map_err(db)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db)
    }
}

impl OutboxStore for SqliteOutbox {
    fn enqueue(&self, rows: &[OutboxRow]) -> Result<usize, NotifyError> {
        let mut c = self.ledger.connection();
        let tx = c
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let mut n = 0;
        for r in rows {
            n += tx
                .execute(
                    "INSERT INTO ledger_outbox (event_id, kind, payload, created)
                     VALUES (?1, ?2, ?3, unixepoch()) ON CONFLICT (event_id) DO NOTHING",
                    params![r.event_id, r.kind, r.payload],
                )
                .map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(n)
    }

    fn claim(
        &self,
        worker: &str,
        now: i64,
        lease_secs: i64,
        limit: usize,
    ) -> Result<Vec<Claimed>, NotifyError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let until = now.saturating_add(lease_secs.max(1));
        let c = self.ledger.connection();
        let mut stmt = c
            .prepare_cached(
                "UPDATE ledger_outbox
                    SET attempts = attempts + 1, next_attempt = ?3, claimed_by = ?1
                  WHERE id IN (SELECT id FROM ledger_outbox
                                WHERE delivered IS NULL AND failed IS NULL AND next_attempt <= ?2
                                ORDER BY next_attempt, id LIMIT ?4)
              RETURNING id, event_id, kind, payload, attempts",
            )
            .map_err(db)?;
        let mut out = stmt
            .query_map(params![worker, now, until, limit], |r| {
                Ok(Claimed {
                    id: r.get(0)?,
                    event_id: r.get(1)?,
                    kind: r.get(2)?,
                    payload: r.get(3)?,
                    attempts: u32::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
                })
            })
            .map_err(db)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db)?;
        out.sort_by_key(|c| c.id);
        Ok(out)
    }

    fn delivered(&self, id: i64, now: i64) -> Result<(), NotifyError> {
        self.ledger
            .connection()
            .execute(
                "UPDATE ledger_outbox SET delivered = ?2, claimed_by = NULL, last_error = NULL
                  WHERE id = ?1 AND delivered IS NULL",
                params![id, now],
            )
            .map(drop)
            .map_err(db)
    }

    fn reschedule(&self, id: i64, next: i64, error: &str) -> Result<(), NotifyError> {
        self.ledger
            .connection()
            .execute(
                "UPDATE ledger_outbox SET next_attempt = ?2, last_error = ?3, claimed_by = NULL
                  WHERE id = ?1 AND delivered IS NULL",
                params![id, next, error],
            )
            .map(drop)
            .map_err(db)
    }

    fn give_up(&self, id: i64, now: i64, error: &str) -> Result<(), NotifyError> {
        self.ledger
            .connection()
            .execute(
                "UPDATE ledger_outbox SET failed = ?2, last_error = ?3, claimed_by = NULL
                  WHERE id = ?1 AND delivered IS NULL",
                params![id, now, error],
            )
            .map(drop)
            .map_err(db)
    }

    fn requeue(&self, event_id: &str, now: i64) -> Result<bool, NotifyError> {
        self.ledger
            .connection()
            .execute(
                "UPDATE ledger_outbox SET failed = NULL, attempts = 0, next_attempt = ?2
                  WHERE event_id = ?1 AND delivered IS NULL AND failed IS NOT NULL",
                params![event_id, now],
            )
            .map(|n| n == 1)
            .map_err(db)
    }

    fn pending(&self) -> Result<usize, NotifyError> {
        let n: i64 = self
            .ledger
            .connection()
            .query_row(
                "SELECT count(*) FROM ledger_outbox WHERE delivered IS NULL AND failed IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(db)?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    fn claim_job(
        &self,
        job: &str,
        period: &str,
        worker: &str,
        now: i64,
        lease_secs: i64,
    ) -> Result<bool, NotifyError> {
        let stale = now.saturating_sub(lease_secs.max(1));
        let row = self
            .ledger
            .connection()
            .query_row(
                "INSERT INTO notify_job_runs (job, period, claimed_by, started) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (job, period) DO UPDATE SET claimed_by = excluded.claimed_by, started = excluded.started
                  WHERE notify_job_runs.finished IS NULL AND notify_job_runs.started <= ?5
                 RETURNING 1",
                params![job, period, worker, now, stale],
                |_| Ok(()),
            )
            .optional()
            .map_err(db)?;
        Ok(row.is_some())
    }

    fn finish_job(&self, job: &str, period: &str, now: i64) -> Result<(), NotifyError> {
        self.ledger
            .connection()
            .execute(
                "UPDATE notify_job_runs SET finished = ?3 WHERE job = ?1 AND period = ?2",
                params![job, period, now],
            )
            .map(drop)
            .map_err(db)
    }

    fn last_finished(&self, job: &str) -> Result<Option<String>, NotifyError> {
        self.ledger
            .connection()
            .query_row(
                "SELECT max(period) FROM notify_job_runs WHERE job = ?1 AND finished IS NOT NULL",
                [job],
                |r| r.get(0),
            )
            .map_err(db)
    }

    fn add_endpoint(&self, owner: &str, url: &str, secret: &str, now: i64) -> Result<i64, NotifyError> {
        let c = self.ledger.connection();
        c.execute(
            "INSERT INTO notify_endpoints (owner, url, secret, created) VALUES (?1, ?2, ?3, ?4)",
            params![owner, url, secret, now],
        )
        .map_err(db)?;
        Ok(c.last_insert_rowid())
    }

    fn endpoints(&self, owner: Option<&str>) -> Result<Vec<StoredEndpoint>, NotifyError> {
        self.endpoints_of(owner, false)
    }

    fn delivery_endpoints(&self) -> Result<Vec<StoredEndpoint>, NotifyError> {
        self.endpoints_of(None, true)
    }

    fn remove_endpoint(&self, owner: Option<&str>, id: i64, now: i64) -> Result<bool, NotifyError> {
        self.ledger
            .connection()
            .execute(
                "UPDATE notify_endpoints SET removed = ?3
                  WHERE id = ?1 AND removed IS NULL AND (?2 IS NULL OR owner = ?2)",
                params![id, owner, now],
            )
            .map(|n| n == 1)
            .map_err(db)
    }
}
