//! The outbox on the PostgreSQL ledger: several workers (one per backend instance) claim
//! rows with `FOR UPDATE SKIP LOCKED`, so no two hold one row at once.

use license_issue::postgres::GenericClient;
use license_issue::{OutboxRow, PgLedger};

use crate::error::{NotifyError, backend};
use crate::outbox::store::{Claimed, OutboxStore, StoredEndpoint};

/// The notify crate's own tables (the outbox itself is the ledger's, migration 3).
pub const PG_NOTIFY_MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "CREATE TABLE notify_job_runs (
         job        text   NOT NULL,
         period     text   NOT NULL,
         claimed_by text   NOT NULL,
         started    bigint NOT NULL,
         finished   bigint,
         PRIMARY KEY (job, period));",
    ),
    (
        2,
        "CREATE TABLE notify_endpoints (
         id      bigserial PRIMARY KEY,
         owner   text   NOT NULL,
         url     text   NOT NULL,
         secret  text   NOT NULL,
         created bigint NOT NULL,
         removed bigint);",
    ),
];

/// The outbox and job runs in the PostgreSQL ledger's database, through its pool.
#[derive(Clone, Debug)]
pub struct PgOutbox {
    ledger: PgLedger,
}

fn db(e: license_issue::postgres::Error) -> NotifyError {
    backend(e)
}

impl PgOutbox {
    /// On `ledger`'s pool; creates the job-run table if needed (under an advisory lock).
    pub fn open(ledger: &PgLedger) -> Result<PgOutbox, NotifyError> {
        let mut c = ledger.connection()?;
        let mut tx = c.transaction().map_err(db)?;
        tx.execute("SELECT pg_advisory_xact_lock(7301150918)", &[])
            .map_err(db)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS notify_migrations (
                 version integer PRIMARY KEY,
                 applied timestamptz NOT NULL DEFAULT now())",
        )
        .map_err(db)?;
        for (version, sql) in PG_NOTIFY_MIGRATIONS {
            let done = tx
                .query_opt("SELECT 1 FROM notify_migrations WHERE version = $1", &[version])
                .map_err(db)?
                .is_some();
            if !done {
                tx.batch_execute(sql).map_err(db)?;
                tx.execute("INSERT INTO notify_migrations (version) VALUES ($1)", &[version])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)?;
        Ok(PgOutbox {
            ledger: ledger.clone(),
        })
    }

    fn client(
        &self,
    ) -> Result<impl std::ops::DerefMut<Target = license_issue::postgres::Client> + use<>, NotifyError> {
        Ok(self.ledger.connection()?)
    }
}

fn exec(
    c: &mut impl GenericClient,
    sql: &str,
    params: &[&(dyn license_issue::postgres::types::ToSql + Sync)],
) -> Result<u64, NotifyError> {
    c.execute(sql, params).map_err(db)
}

impl PgOutbox {
    /// The endpoints of `owner` (or all), the removed ones too when `removed`.
    fn endpoints_of(&self, owner: Option<&str>, removed: bool) -> Result<Vec<StoredEndpoint>, NotifyError> {
        let rows = self
            .client()?
            .query(
                "SELECT id, owner, url, secret, created FROM notify_endpoints
                  WHERE ($2 OR removed IS NULL) AND ($1::text IS NULL OR owner = $1) ORDER BY id",
                &[&owner, &removed],
            )
            .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| StoredEndpoint {
                id: r.get(0),
                owner: r.get(1),
                url: r.get(2),
                secret: zeroize::Zeroizing::new(r.get(3)),
                created: r.get(4),
            })
            .collect())
    }
}

impl OutboxStore for PgOutbox {
    fn enqueue(&self, rows: &[OutboxRow]) -> Result<usize, NotifyError> {
        let mut c = self.client()?;
        let mut tx = c.transaction().map_err(db)?;
        let mut n = 0;
        for r in rows {
            n += exec(
                &mut tx,
                "INSERT INTO ledger_outbox (event_id, kind, payload, created)
                 VALUES ($1, $2, $3, extract(epoch FROM now())::bigint)
                 ON CONFLICT (event_id) DO NOTHING",
                &[&r.event_id, &r.kind, &r.payload],
            )?;
        }
        tx.commit().map_err(db)?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
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
        let rows = self
            .client()?
            .query(
                "UPDATE ledger_outbox o
                    SET attempts = o.attempts + 1, next_attempt = $3, claimed_by = $1
                  WHERE o.id IN (SELECT id FROM ledger_outbox
                                  WHERE delivered IS NULL AND failed IS NULL AND next_attempt <= $2
                                  ORDER BY next_attempt, id
                                  LIMIT $4
                                  FOR UPDATE SKIP LOCKED)
              RETURNING o.id, o.event_id, o.kind, o.payload, o.attempts",
                &[&worker, &now, &until, &limit],
            )
            .map_err(db)?;
        let mut out: Vec<Claimed> = rows
            .iter()
            .map(|r| Claimed {
                id: r.get(0),
                event_id: r.get(1),
                kind: r.get(2),
                payload: r.get(3),
                attempts: u32::try_from(r.get::<_, i32>(4)).unwrap_or(0),
            })
            .collect();
        out.sort_by_key(|c| c.id);
        Ok(out)
    }

    fn delivered(&self, id: i64, now: i64) -> Result<(), NotifyError> {
        exec(
            &mut *self.client()?,
            "UPDATE ledger_outbox SET delivered = $2, claimed_by = NULL, last_error = NULL
              WHERE id = $1 AND delivered IS NULL",
            &[&id, &now],
        )
        .map(drop)
    }

    fn reschedule(&self, id: i64, next: i64, error: &str) -> Result<(), NotifyError> {
        exec(
            &mut *self.client()?,
            "UPDATE ledger_outbox SET next_attempt = $2, last_error = $3, claimed_by = NULL
              WHERE id = $1 AND delivered IS NULL",
            &[&id, &next, &error],
        )
        .map(drop)
    }

    fn give_up(&self, id: i64, now: i64, error: &str) -> Result<(), NotifyError> {
        exec(
            &mut *self.client()?,
            "UPDATE ledger_outbox SET failed = $2, last_error = $3, claimed_by = NULL
              WHERE id = $1 AND delivered IS NULL",
            &[&id, &now, &error],
        )
        .map(drop)
    }

    fn requeue(&self, event_id: &str, now: i64) -> Result<bool, NotifyError> {
        exec(
            &mut *self.client()?,
            "UPDATE ledger_outbox SET failed = NULL, attempts = 0, next_attempt = $2
              WHERE event_id = $1 AND delivered IS NULL AND failed IS NOT NULL",
            &[&event_id, &now],
        )
        .map(|n| n == 1)
    }

    fn pending(&self) -> Result<usize, NotifyError> {
        let n: i64 = self
            .client()?
            .query_one(
                "SELECT count(*) FROM ledger_outbox WHERE delivered IS NULL AND failed IS NULL",
                &[],
            )
            .map_err(db)?
            .get(0);
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
            .client()?
            .query_opt(
                "INSERT INTO notify_job_runs (job, period, claimed_by, started) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (job, period) DO UPDATE SET claimed_by = excluded.claimed_by, started = excluded.started
                  WHERE notify_job_runs.finished IS NULL AND notify_job_runs.started <= $5
                 RETURNING 1",
                &[&job, &period, &worker, &now, &stale],
            )
            .map_err(db)?;
        Ok(row.is_some())
    }

    fn finish_job(&self, job: &str, period: &str, now: i64) -> Result<(), NotifyError> {
        exec(
            &mut *self.client()?,
            "UPDATE notify_job_runs SET finished = $3 WHERE job = $1 AND period = $2",
            &[&job, &period, &now],
        )
        .map(drop)
    }

    fn last_finished(&self, job: &str) -> Result<Option<String>, NotifyError> {
        let row = self
            .client()?
            .query_one(
                "SELECT max(period) FROM notify_job_runs WHERE job = $1 AND finished IS NOT NULL",
                &[&job],
            )
            .map_err(db)?;
        Ok(row.get(0))
    }

    fn add_endpoint(&self, owner: &str, url: &str, secret: &str, now: i64) -> Result<i64, NotifyError> {
        Ok(self
            .client()?
            .query_one(
                "INSERT INTO notify_endpoints (owner, url, secret, created) VALUES ($1, $2, $3, $4) RETURNING id",
                &[&owner, &url, &secret, &now],
            )
            .map_err(db)?
            .get(0))
    }

    fn endpoints(&self, owner: Option<&str>) -> Result<Vec<StoredEndpoint>, NotifyError> {
        self.endpoints_of(owner, false)
    }

    fn delivery_endpoints(&self) -> Result<Vec<StoredEndpoint>, NotifyError> {
        self.endpoints_of(None, true)
    }

    fn remove_endpoint(&self, owner: Option<&str>, id: i64, now: i64) -> Result<bool, NotifyError> {
        exec(
            &mut *self.client()?,
            "UPDATE notify_endpoints SET removed = $3
              WHERE id = $1 AND removed IS NULL AND ($2::text IS NULL OR owner = $2)",
            &[&id, &owner, &now],
        )
        .map(|n| n == 1)
    }
}
