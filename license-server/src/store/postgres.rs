//! The PostgreSQL store, shared by several server instances.
//!
//! - `pool.in_use` counts the rows of `leases`. Every change that can grant or end a lease
//!   (acquire, borrow, release, force release, limit change, sweep) is one transaction that
//!   locks the pool row (`SELECT ... FOR UPDATE`), loads only the rows it concerns (the
//!   holder's own lease, and a bounded batch of expired leases, oldest first, through the
//!   index on `expires_ms`), applies the book's rules to them with the counter standing for
//!   the other leases ([`LeaseBook::partial`]), writes the changes and the new counter, and
//!   commits. The lock serializes these changes across instances, so the limit holds
//!   whichever instance a client talks to; the counter and the leases change in one
//!   transaction, so a crash leaves both or neither (and a server checks them against each
//!   other at start).
//! - A heartbeat moves its lease's expiry: one row, no pool lock. The book renews the lease
//!   as this instance last saw it (kept in memory by holder), and the new expiry is written
//!   only if the row is still that lease (same lease id, TTL and kind) and unexpired;
//!   otherwise (or when this instance has not seen the lease) the row is read and the book
//!   renews that. It never revives an expired lease, so a sweep that deleted the lease wins
//!   and the heartbeat is refused. Heartbeats arriving together are written together: a
//!   renewer task sends every heartbeat waiting at that moment as one `UPDATE` of arrays
//!   (one statement and one commit for all of them, at most [`RENEW_IN_FLIGHT`] batches
//!   at once), and each is answered after its batch committed, as the SQLite store's group
//!   commit does.
//! - Expired leases stay counted until a sweep deletes them: every locked change sweeps up
//!   to [`SWEEP_BATCH`] of them first, and each instance's housekeeping sweeps every second.
//!   A seat is never counted free before its lease is deleted, so the count errs only
//!   towards refusing (when more than a batch expired at once), never towards granting.
//! - Statements are prepared once per connection and sent pipelined: a change costs four
//!   round trips (begin, lock and reads, writes, commit).

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Mutex;
use std::task::Poll;

use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Transaction};
use tokio_postgres::{NoTls, Row, Statement};

use super::UsageSeries;
use crate::book::{
    AUDIT_MAX_ROWS, AuditEvent, AuditKind, Change, LeaseBook, LeaseId, LeaseRecord, MINUTE_MS, Op, Policy,
    Refusal, Reply, Snapshot,
};
use crate::error::Error;

/// The embedded migrations, numbered.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_init.sql"),
    include_str!("../../migrations/postgres/0002_audit_aggregate.sql"),
    include_str!("../../migrations/postgres/0003_seat_counter.sql"),
];
/// Any fixed number: the advisory lock migrating instances take.
const MIGRATION_LOCK: i64 = 0x6c69_6365_6e73_6531;
/// Expired leases deleted per transaction, oldest first.
const SWEEP_BATCH: i64 = 500;
/// Heartbeats written by one statement, at most.
const RENEW_BATCH: usize = 256;
/// Heartbeat batches committing at once, at most (each holds a pooled connection). Two:
/// one batch runs while the other's commit is flushed; more split the same heartbeats into
/// more statements and commits (6 gave 3,900-4,100/s where 2 gave 5,400-6,100/s, two
/// instances, 1,000 holders, same session: `BENCHMARKS.md`).
const RENEW_IN_FLIGHT: usize = 2;
/// One batch of renewals: the rows still being the lease remembered get the new expiry;
/// `RETURNING` names the ones renewed, with their expiry and the seat counter.
const RENEW_SQL: &str = "UPDATE leases l SET expires_ms = GREATEST(l.expires_ms, r.expires_ms)
     FROM unnest($1::text[], $2::bytea[], $3::bigint[], $4::bigint[], $5::bigint[])
       AS r(holder, lease_id, expires_ms, ttl_ms, now_ms)
     WHERE l.holder = r.holder AND l.lease_id = r.lease_id AND l.expires_ms > r.now_ms
       AND l.ttl_ms = r.ttl_ms AND NOT l.borrowed
     RETURNING l.holder, l.expires_ms, (SELECT in_use FROM pool WHERE id = 1)";
/// Leases remembered for heartbeats; the memory is cleared when it grows past this.
const KNOWN_MAX: usize = 200_000;
/// Connections per instance: concurrent heartbeats commit together (PostgreSQL flushes the
/// commits waiting at once in one write), so throughput grows with them.
const POOL_SIZE: usize = 16;

const LEASE_COLUMNS: &str = "holder, user_name, machine, lease_id, granted_ms, expires_ms, ttl_ms, borrowed";

pub(super) struct PgStore {
    pool: Pool,
    policy: Policy,
    /// The minute this instance last sampled and the most seats it recorded for it: a
    /// sample is written only for a new minute or a higher count.
    sampled: Mutex<(i64, u32)>,
    /// Leases as this instance last read or wrote them, by holder: a heartbeat renews from
    /// here with one statement that checks the row is still this lease.
    known: Mutex<HashMap<String, LeaseRecord>>,
    /// The renewer task's queue (heartbeats written in batches).
    renewals: tokio::sync::mpsc::UnboundedSender<Renewal>,
}

/// A heartbeat for the renewer: the lease as remembered and its new expiry from the book.
struct Renewal {
    holder: String,
    lease_id: [u8; 16],
    ttl_ms: i64,
    expires_ms: i64,
    now_ms: i64,
    /// `Some((expiry, seats in use))` once renewed, `None` if the row is not that lease.
    done: tokio::sync::oneshot::Sender<Result<Option<(i64, i64)>, String>>,
}

/// Collect the heartbeats waiting and write each group with one statement, several groups
/// committing at once; ends when the store is dropped.
async fn renewer(pool: Pool, mut queue: tokio::sync::mpsc::UnboundedReceiver<Renewal>) {
    let in_flight = std::sync::Arc::new(tokio::sync::Semaphore::new(RENEW_IN_FLIGHT));
    while let Some(first) = queue.recv().await {
        let Ok(permit) = in_flight.clone().acquire_owned().await else {
            return;
        };
        // Everything that arrived while waiting for a slot goes into this batch.
        let mut batch = vec![first];
        while batch.len() < RENEW_BATCH {
            match queue.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        tokio::spawn(async move {
            let result = renew(&pool, &batch).await.map_err(|e| e.to_string());
            for r in batch {
                let out = match &result {
                    Ok(renewed) => Ok(renewed.get(&r.holder).copied()),
                    Err(e) => Err(e.clone()),
                };
                let _ = r.done.send(out);
            }
            drop(permit);
        });
    }
}

/// Write one batch of renewals; returns the renewed holders' expiry and the seat counter.
async fn renew(pool: &Pool, batch: &[Renewal]) -> Result<HashMap<String, (i64, i64)>, Error> {
    let client = pool.get().await.map_err(pool_error)?;
    let st = client.prepare_cached(RENEW_SQL).await?;
    let holders: Vec<&str> = batch.iter().map(|r| r.holder.as_str()).collect();
    let ids: Vec<&[u8]> = batch.iter().map(|r| &r.lease_id[..]).collect();
    let expires: Vec<i64> = batch.iter().map(|r| r.expires_ms).collect();
    let ttls: Vec<i64> = batch.iter().map(|r| r.ttl_ms).collect();
    let nows: Vec<i64> = batch.iter().map(|r| r.now_ms).collect();
    let mut attempt = 0;
    loop {
        attempt += 1;
        match client.query(&st, &[&holders, &ids, &expires, &ttls, &nows]).await {
            Ok(rows) => {
                return Ok(rows
                    .iter()
                    .map(|r| (r.get::<_, String>(0), (r.get(1), r.get(2))))
                    .collect());
            }
            // Two batches renewing the same two leases in opposite orders: PostgreSQL
            // aborts one of them; it is written again.
            Err(e)
                if attempt < 3
                    && e.code() == Some(&tokio_postgres::error::SqlState::T_R_DEADLOCK_DETECTED) => {}
            Err(e) => return Err(e.into()),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn pool_error(e: impl std::fmt::Display) -> Error {
    Error::Store(e.to_string())
}

fn lease(r: &Row) -> LeaseRecord {
    let id: Vec<u8> = r.get(3);
    LeaseRecord {
        holder: r.get(0),
        user: r.get(1),
        machine: r.get(2),
        lease_id: LeaseId(id.try_into().unwrap_or([0; 16])),
        granted_ms: r.get(4),
        expires_ms: r.get(5),
        ttl_ms: r.get(6),
        borrowed: r.get(7),
    }
}

fn to_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// Await `futures` pipelined on one connection: a query sends its statement when first
/// polled, so all are first polled in order (PostgreSQL runs them in that order) before any
/// answer is awaited. One round trip for all of them.
async fn pipelined<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut early: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (f, out) in futures.iter_mut().zip(early.iter_mut()) {
            if let Poll::Ready(v) = f.as_mut().poll(cx) {
                *out = Some(v);
            }
        }
        Poll::Ready(())
    })
    .await;
    let mut outputs = Vec::with_capacity(futures.len());
    for (f, out) in futures.into_iter().zip(early) {
        outputs.push(match out {
            Some(v) => v,
            None => f.await,
        });
    }
    outputs
}

/// The statements of a change, prepared once per connection (`prepare_cached`).
struct Statements {
    lock_pool: Statement,
    own: Statement,
    expired: Statement,
    put: Statement,
    delete: Statement,
    touch: Statement,
    audit: Statement,
    refuse: Statement,
    sample: Statement,
    counter: Statement,
}

impl Statements {
    async fn prepare(tx: &Transaction<'_>) -> Result<Statements, Error> {
        Ok(Statements {
            lock_pool: tx
                .prepare_cached("SELECT in_use, peak FROM pool WHERE id = 1 FOR UPDATE")
                .await?,
            own: tx
                .prepare_cached(&format!("SELECT {LEASE_COLUMNS} FROM leases WHERE holder = $1 FOR UPDATE"))
                .await?,
            expired: tx
                .prepare_cached(&format!(
                    "SELECT {LEASE_COLUMNS} FROM leases WHERE expires_ms <= $1 ORDER BY expires_ms LIMIT $2 FOR UPDATE"
                ))
                .await?,
            put: tx
                .prepare_cached(
                    "INSERT INTO leases (holder, user_name, machine, lease_id, granted_ms, expires_ms, ttl_ms, borrowed)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (holder) DO UPDATE SET user_name = EXCLUDED.user_name, machine = EXCLUDED.machine,
                       lease_id = EXCLUDED.lease_id, granted_ms = EXCLUDED.granted_ms, expires_ms = EXCLUDED.expires_ms,
                       ttl_ms = EXCLUDED.ttl_ms, borrowed = EXCLUDED.borrowed
                     RETURNING (xmax = 0)",
                )
                .await?,
            delete: tx.prepare_cached("DELETE FROM leases WHERE holder = $1").await?,
            touch: tx
                .prepare_cached("UPDATE leases SET expires_ms = $2 WHERE holder = $1")
                .await?,
            audit: tx
                .prepare_cached(
                    "INSERT INTO audit (at_ms, kind, holder, user_name, machine, detail) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .await?,
            // Refusals: one row per holder, reason and minute, counted.
            refuse: tx
                .prepare_cached(
                    "INSERT INTO audit (at_ms, kind, holder, user_name, machine, detail, minute_ms, count)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 1)
                     ON CONFLICT (kind, holder, detail, minute_ms) DO UPDATE SET count = audit.count + 1, at_ms = EXCLUDED.at_ms",
                )
                .await?,
            sample: tx
                .prepare_cached(
                    "INSERT INTO usage (minute_ms, in_use) VALUES ($1, $2)
                     ON CONFLICT (minute_ms) DO UPDATE SET in_use = GREATEST(usage.in_use, EXCLUDED.in_use)",
                )
                .await?,
            counter: tx
                .prepare_cached("UPDATE pool SET in_use = in_use + $1, peak = GREATEST(peak, in_use + $1) WHERE id = 1")
                .await?,
        })
    }
}

/// One statement of a change's pipeline.
enum Write<'c> {
    Change(&'c Change),
    /// The seat counter moves by this much (and the peak follows it).
    Counter(i64),
}

/// What a write did, to check against what the book expected.
#[derive(Debug, PartialEq, Eq)]
enum Wrote {
    /// A lease was inserted (`true`) or replaced (`false`).
    Put(bool),
    /// Rows deleted.
    Deleted(u64),
    /// Anything else.
    Done,
}

async fn write_one(tx: &Transaction<'_>, st: &Statements, w: Write<'_>) -> Result<Wrote, Error> {
    match w {
        Write::Counter(delta) => {
            tx.execute(&st.counter, &[&delta]).await?;
            Ok(Wrote::Done)
        }
        Write::Change(Change::Put(l)) => {
            let row = tx
                .query_one(
                    &st.put,
                    &[
                        &l.holder,
                        &l.user,
                        &l.machine,
                        &&l.lease_id.0[..],
                        &l.granted_ms,
                        &l.expires_ms,
                        &l.ttl_ms,
                        &l.borrowed,
                    ],
                )
                .await?;
            Ok(Wrote::Put(row.get(0)))
        }
        Write::Change(Change::Touch { holder, expires_ms }) => {
            tx.execute(&st.touch, &[holder, expires_ms]).await?;
            Ok(Wrote::Done)
        }
        Write::Change(Change::Delete { holder }) => {
            Ok(Wrote::Deleted(tx.execute(&st.delete, &[holder]).await?))
        }
        Write::Change(Change::Audit(e)) if e.kind == AuditKind::Refuse.as_str() => {
            let minute = e.at_ms - e.at_ms.rem_euclid(MINUTE_MS);
            tx.execute(
                &st.refuse,
                &[
                    &e.at_ms, &e.kind, &e.holder, &e.user, &e.machine, &e.detail, &minute,
                ],
            )
            .await?;
            Ok(Wrote::Done)
        }
        Write::Change(Change::Audit(e)) => {
            tx.execute(
                &st.audit,
                &[&e.at_ms, &e.kind, &e.holder, &e.user, &e.machine, &e.detail],
            )
            .await?;
            Ok(Wrote::Done)
        }
        Write::Change(Change::Sample { minute_ms, in_use }) => {
            tx.execute(&st.sample, &[minute_ms, &i64::from(*in_use)]).await?;
            Ok(Wrote::Done)
        }
        // The peak follows the counter (`Write::Counter`).
        Write::Change(Change::Peak(_)) => Ok(Wrote::Done),
        Write::Change(Change::Prune {
            audit_before_ms,
            usage_before_ms,
        }) => {
            prune(tx, *audit_before_ms, *usage_before_ms).await?;
            Ok(Wrote::Done)
        }
    }
}

async fn prune(tx: &Transaction<'_>, audit_before_ms: i64, usage_before_ms: i64) -> Result<(), Error> {
    tx.execute("DELETE FROM audit WHERE at_ms < $1", &[&audit_before_ms])
        .await?;
    tx.execute(
        "DELETE FROM audit WHERE id <= (SELECT max(id) FROM audit) - $1",
        &[&AUDIT_MAX_ROWS],
    )
    .await?;
    tx.execute(
        "DELETE FROM usage WHERE minute_ms < (SELECT max(minute_ms) FROM usage WHERE minute_ms < $1)",
        &[&usage_before_ms],
    )
    .await?;
    Ok(())
}

/// The holder an op concerns, whose lease it loads.
fn holder_of(op: &Op) -> Option<&str> {
    match op {
        Op::Acquire { holder, .. }
        | Op::Borrow { holder, .. }
        | Op::Heartbeat { holder, .. }
        | Op::Release { holder, .. }
        | Op::ForceRelease { holder } => Some(holder),
        Op::SetLimit(_) | Op::Sweep => None,
    }
}

impl PgStore {
    pub async fn connect(url: &str, policy: Policy) -> Result<PgStore, Error> {
        let config =
            tokio_postgres::Config::from_str(url).map_err(|e| Error::Config(format!("database URL: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(pool_error)?;
        let (renewals, queue) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(renewer(pool.clone(), queue));
        let store = PgStore {
            pool,
            policy,
            sampled: Mutex::new((i64::MIN, 0)),
            known: Mutex::new(HashMap::new()),
            renewals,
        };
        store.migrate().await?;
        store.check_counter().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), Error> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS license_server_migrations (version INTEGER PRIMARY KEY)",
        )
        .await?;
        let done: i32 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM license_server_migrations",
                &[],
            )
            .await?
            .get(0);
        let done = usize::try_from(done).unwrap_or(0);
        if done > MIGRATIONS.len() {
            return Err(Error::Store(format!(
                "the database has schema version {done}, newer than this server knows; run the newer server"
            )));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            tx.batch_execute(sql).await?;
            let v = i32::try_from(i + 1).unwrap_or(i32::MAX);
            tx.execute(
                "INSERT INTO license_server_migrations (version) VALUES ($1)",
                &[&v],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Check the seat counter against the leases under the pool lock, and correct it (with
    /// a line on standard error) if they differ. Both change in one transaction, so they
    /// only differ if something outside the server wrote to the tables.
    async fn check_counter(&self) -> Result<(), Error> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await?;
        let counter: i64 = tx
            .query_one("SELECT in_use FROM pool WHERE id = 1 FOR UPDATE", &[])
            .await?
            .get(0);
        let rows: i64 = tx.query_one("SELECT count(*) FROM leases", &[]).await?.get(0);
        if counter != rows {
            eprintln!(
                "license-server: the seat counter said {counter} leases, the database holds {rows}: corrected to {rows}"
            );
            tx.execute("UPDATE pool SET in_use = $1 WHERE id = 1", &[&rows])
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn apply(
        &self,
        limit: Option<u32>,
        op: Op,
        now_ms: i64,
        fresh: LeaseId,
    ) -> Result<Reply, Error> {
        if matches!(op, Op::Heartbeat { .. }) {
            return self.heartbeat(limit, op, now_ms).await;
        }
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await?;
        let st = Statements::prepare(&tx).await?;
        // Lock the pool row first: the reads after it see every change committed before.
        let holder = holder_of(&op).map(str::to_string);
        let reads = pipelined(vec![
            tx.query(&st.lock_pool, &[]),
            tx.query(&st.own, &[&holder.as_deref().unwrap_or("")]),
            tx.query(&st.expired, &[&now_ms, &SWEEP_BATCH]),
        ])
        .await;
        let mut reads = reads.into_iter();
        let (Some(pool_rows), Some(own), Some(expired)) = (reads.next(), reads.next(), reads.next()) else {
            return Err(Error::Store("the pipelined reads answered short".into()));
        };
        let (pool_rows, own, expired) = (pool_rows?, own?, expired?);
        let pool_row = pool_rows
            .first()
            .ok_or_else(|| Error::Store("the pool row is missing".into()))?;
        let (counter, peak): (i64, i64) = (pool_row.get(0), pool_row.get(1));
        let mut loaded: Vec<LeaseRecord> = Vec::with_capacity(own.len() + expired.len());
        if LeaseBook::needs_all_leases(&op, to_u32(counter)) {
            let all = tx
                .query(&format!("SELECT {LEASE_COLUMNS} FROM leases FOR UPDATE"), &[])
                .await?;
            loaded.extend(all.iter().map(lease));
        } else {
            loaded.extend(own.iter().map(lease));
            for l in expired.iter().map(lease) {
                if loaded.iter().all(|o| o.holder != l.holder) {
                    loaded.push(l);
                }
            }
        }
        let before = to_u32(counter);
        let others = before.saturating_sub(u32::try_from(loaded.len()).unwrap_or(u32::MAX));
        // The rows this transaction holds locked: present until it deletes them.
        let mut present: HashSet<String> = loaded.iter().map(|l| l.holder.clone()).collect();
        let mut book = LeaseBook::partial(limit, self.policy, loaded, others, to_u32(peak));
        let (reply, changes) = book.apply(op, now_ms, || fresh);
        let after = book.in_use();
        let changes: Vec<Change> = changes.into_iter().filter(|c| self.keep_sample(c)).collect();
        let delta = i64::from(after) - i64::from(before);
        let mut writes: Vec<Write<'_>> = changes.iter().map(Write::Change).collect();
        if delta != 0 {
            writes.push(Write::Counter(delta));
        }
        let results = pipelined(writes.into_iter().map(|w| write_one(&tx, &st, w)).collect()).await;
        // Every insert and delete must be the one the book made: the counter moves by the
        // book's count, so a row that was not there (or was) would make it drift.
        for (change, result) in changes.iter().zip(results) {
            let wrote = result?;
            let expected = match change {
                Change::Put(l) => Wrote::Put(present.insert(l.holder.clone())),
                Change::Delete { holder } => Wrote::Deleted(u64::from(present.remove(holder))),
                _ => Wrote::Done,
            };
            if wrote != expected {
                return Err(Error::Store(format!(
                    "the leases changed under the pool lock ({change:?}: {wrote:?}, expected {expected:?}); nothing was written"
                )));
            }
        }
        tx.commit().await?;
        self.remember(&changes);
        Ok(reply)
    }

    /// Remember the leases `changes` wrote (and forget those they deleted), for heartbeats.
    fn remember(&self, changes: &[Change]) {
        let mut known = lock(&self.known);
        for change in changes {
            match change {
                Change::Put(l) => {
                    if known.len() >= KNOWN_MAX {
                        known.clear();
                    }
                    known.insert(l.holder.clone(), l.clone());
                }
                Change::Delete { holder } => {
                    known.remove(holder);
                }
                _ => {}
            }
        }
    }

    /// A heartbeat: renew the lease as this instance last saw it (written in a batch by
    /// the renewer), or read the row and renew that. One row, no pool lock.
    async fn heartbeat(&self, limit: Option<u32>, op: Op, now_ms: i64) -> Result<Reply, Error> {
        let holder = holder_of(&op).unwrap_or("").to_string();
        let seen = lock(&self.known)
            .get(&holder)
            .filter(|l| l.expires_ms > now_ms && !l.borrowed)
            .cloned();
        if let Some(seen) = seen {
            let mut book = LeaseBook::partial(limit, self.policy, vec![seen], 0, 0);
            let (reply, changes) = book.apply(op.clone(), now_ms, || LeaseId([0; 16]));
            // Another lease id is refused by the row as it is now, not as remembered.
            if let (
                Reply::Lease {
                    mut lease, renewed, ..
                },
                [Change::Touch { expires_ms, .. }, ..],
            ) = (reply, changes.as_slice())
            {
                let (done, answer) = tokio::sync::oneshot::channel();
                self.renewals
                    .send(Renewal {
                        holder: holder.clone(),
                        lease_id: lease.lease_id.0,
                        ttl_ms: lease.ttl_ms,
                        expires_ms: *expires_ms,
                        now_ms,
                        done,
                    })
                    .map_err(|_| Error::Store("the heartbeat writer stopped".into()))?;
                let renewed_row = answer
                    .await
                    .map_err(|_| Error::Store("the heartbeat writer stopped".into()))?
                    .map_err(Error::Store)?;
                if let Some((expires_ms, in_use)) = renewed_row {
                    lease.expires_ms = expires_ms;
                    self.remember(&[Change::Put(lease.clone())]);
                    return Ok(Reply::Lease {
                        lease,
                        renewed,
                        in_use: to_u32(in_use),
                    });
                }
                // The row is not that lease any more: read it.
            }
        }
        let client = self.pool.get().await.map_err(pool_error)?;
        self.heartbeat_read(&client, limit, op, now_ms).await
    }

    /// A heartbeat from the row as it is: read the holder's live lease, let the book renew
    /// it, and move its expiry if the row is still that lease and unexpired.
    async fn heartbeat_read(
        &self,
        client: &deadpool_postgres::Client,
        limit: Option<u32>,
        op: Op,
        now_ms: i64,
    ) -> Result<Reply, Error> {
        let read = client
            .prepare_cached(&format!(
                "SELECT {LEASE_COLUMNS}, (SELECT in_use FROM pool WHERE id = 1) FROM leases WHERE holder = $1 AND expires_ms > $2"
            ))
            .await?;
        let touch = client
            .prepare_cached(
                "UPDATE leases SET expires_ms = GREATEST(expires_ms, $2)
                 WHERE holder = $1 AND lease_id = $3 AND expires_ms > $4 RETURNING expires_ms",
            )
            .await?;
        let holder = holder_of(&op).unwrap_or("").to_string();
        let row = client.query_opt(&read, &[&holder, &now_ms]).await?;
        let (loaded, in_use) = match &row {
            Some(r) => (vec![lease(r)], to_u32(r.get(8))),
            None => {
                lock(&self.known).remove(&holder);
                (Vec::new(), 0)
            }
        };
        let others = in_use.saturating_sub(u32::try_from(loaded.len()).unwrap_or(u32::MAX));
        let mut book = LeaseBook::partial(limit, self.policy, loaded, others, 0);
        let (reply, changes) = book.apply(op, now_ms, || LeaseId([0; 16]));
        let Reply::Lease {
            mut lease,
            renewed,
            in_use,
        } = reply
        else {
            return Ok(reply);
        };
        for change in &changes {
            match change {
                Change::Touch { holder, expires_ms } => {
                    let moved = client
                        .query_opt(&touch, &[holder, expires_ms, &&lease.lease_id.0[..], &now_ms])
                        .await?;
                    match moved {
                        Some(r) => lease.expires_ms = r.get(0),
                        // Released, expired and swept, or replaced since the read.
                        None => {
                            lock(&self.known).remove(holder);
                            return Ok(Reply::Refused(Refusal::UnknownLease {
                                holder: holder.clone(),
                            }));
                        }
                    }
                }
                // The minute's sample is written by the changes that move usage and by the
                // housekeeping's sweep every second; a heartbeat moves none.
                Change::Sample { .. } => {}
                other => {
                    return Err(Error::Store(format!(
                        "a heartbeat made a change it may not make without the pool lock: {other:?}"
                    )));
                }
            }
        }
        self.remember(&[Change::Put(lease.clone())]);
        Ok(Reply::Lease {
            lease,
            renewed,
            in_use,
        })
    }

    /// Whether to write `change`: usage samples only for a new minute or a higher count
    /// than this instance recorded (`GREATEST` in the database merges the instances').
    fn keep_sample(&self, change: &Change) -> bool {
        let Change::Sample { minute_ms, in_use } = change else {
            return true;
        };
        let mut sampled = lock(&self.sampled);
        let (m, recorded) = *sampled;
        if m == *minute_ms && *in_use <= recorded {
            return false;
        }
        *sampled = (
            *minute_ms,
            if m == *minute_ms {
                recorded.max(*in_use)
            } else {
                *in_use
            },
        );
        true
    }

    pub async fn write(&self, changes: Vec<Change>) -> Result<(), Error> {
        let mut client = self.pool.get().await.map_err(pool_error)?;
        let tx = client.transaction().await?;
        let st = Statements::prepare(&tx).await?;
        for change in &changes {
            if matches!(change, Change::Put(_) | Change::Delete { .. }) {
                return Err(Error::Store(
                    "leases are written only with the pool lock (apply)".into(),
                ));
            }
            write_one(&tx, &st, Write::Change(change)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn snapshot(&self, limit: Option<u32>, now_ms: i64) -> Result<Snapshot, Error> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let peak: i64 = client
            .query_one("SELECT peak FROM pool WHERE id = 1", &[])
            .await?
            .get(0);
        let rows = client
            .query(&format!("SELECT {LEASE_COLUMNS} FROM leases"), &[])
            .await?;
        let book = LeaseBook::new(limit, self.policy, rows.iter().map(lease).collect(), to_u32(peak));
        Ok(book.snapshot(now_ms))
    }

    pub async fn audit(&self, max: u32) -> Result<Vec<AuditEvent>, Error> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let rows = client
            .query(
                "SELECT at_ms, kind, holder, user_name, machine, detail, count FROM audit ORDER BY id DESC LIMIT $1",
                &[&i64::from(max)],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| AuditEvent {
                at_ms: r.get(0),
                kind: r.get(1),
                holder: r.get(2),
                user: r.get(3),
                machine: r.get(4),
                detail: r.get(5),
                count: u64::try_from(r.get::<_, i64>(6)).unwrap_or(1),
            })
            .collect())
    }

    pub async fn usage(&self, since_ms: i64) -> Result<(u32, UsageSeries), Error> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let before = client
            .query_opt(
                "SELECT in_use FROM usage WHERE minute_ms < $1 ORDER BY minute_ms DESC LIMIT 1",
                &[&since_ms],
            )
            .await?
            .map_or(0, |r| r.get::<_, i64>(0));
        let rows = client
            .query(
                "SELECT minute_ms, in_use FROM usage WHERE minute_ms >= $1 ORDER BY minute_ms",
                &[&since_ms],
            )
            .await?;
        let to_u32 = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        Ok((
            to_u32(before),
            rows.iter().map(|r| (r.get(0), to_u32(r.get(1)))).collect(),
        ))
    }
}
