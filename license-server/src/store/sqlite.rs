//! The SQLite store: WAL, `synchronous=NORMAL`, one writer thread with group commit, and a
//! read connection for the audit log and the usage chart.

use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};

use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::oneshot;

use super::UsageSeries;
use crate::book::{AUDIT_MAX_ROWS, AuditEvent, AuditKind, Change, LeaseId, LeaseRecord, MINUTE_MS};
use crate::error::Error;

/// The embedded migrations, numbered; `PRAGMA user_version` holds the last one applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_init.sql"),
    include_str!("../../migrations/sqlite/0002_audit_aggregate.sql"),
];
/// Most requests committed in one transaction.
const MAX_GROUP: usize = 8192;

pub(super) struct Loaded {
    pub leases: Vec<LeaseRecord>,
    pub peak: u32,
}

type Done = oneshot::Sender<Result<(), String>>;

struct Job {
    changes: Vec<Change>,
    done: Done,
}

/// Sends changes to the writer thread.
pub(super) struct Writer {
    tx: Mutex<mpsc::Sender<Job>>,
    /// Set after a failed commit: memory and disk may differ, so no further changes.
    failed: Arc<Mutex<Option<String>>>,
}

/// Reads the audit log and usage samples.
pub(super) struct Reader {
    conn: Arc<Mutex<Connection>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), Error> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > MIGRATIONS.len() {
        return Err(Error::Store(format!(
            "the database has schema version {version}, newer than this server knows ({}); run the newer server",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i64::try_from(i + 1).unwrap_or(i64::MAX))?;
        tx.commit()?;
    }
    Ok(())
}

fn load(conn: &Connection) -> Result<Loaded, Error> {
    let mut stmt = conn.prepare(
        "SELECT holder, user_name, machine, lease_id, granted_ms, expires_ms, ttl_ms, borrowed FROM leases",
    )?;
    let leases = stmt
        .query_map([], |r| {
            let id: Vec<u8> = r.get(3)?;
            Ok(LeaseRecord {
                holder: r.get(0)?,
                user: r.get(1)?,
                machine: r.get(2)?,
                lease_id: LeaseId(id.try_into().unwrap_or([0; 16])),
                granted_ms: r.get(4)?,
                expires_ms: r.get(5)?,
                ttl_ms: r.get(6)?,
                borrowed: r.get(7)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let peak: i64 = conn
        .query_row("SELECT peak FROM pool WHERE id = 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    Ok(Loaded {
        leases,
        peak: u32::try_from(peak).unwrap_or(u32::MAX),
    })
}

/// Create the database file with mode 0600 before SQLite opens it (SQLite gives its `-wal`
/// and `-shm` files the database file's mode), and tighten an existing one.
fn private_file(path: &Path) -> Result<(), Error> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(io)?;
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = std::path::PathBuf::from(name);
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
    }
    Ok(())
}

pub(super) fn open(path: &Path) -> Result<(Writer, Reader, Loaded), Error> {
    private_file(path)?;
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    let loaded = load(&conn)?;
    let read = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    read.busy_timeout(std::time::Duration::from_secs(5))?;
    let (tx, rx) = mpsc::channel();
    let failed = Arc::new(Mutex::new(None));
    let flag = failed.clone();
    std::thread::Builder::new()
        .name("license-server-writer".into())
        .spawn(move || run(conn, rx, flag))
        .map_err(|e| Error::Store(format!("cannot start the writer thread: {e}")))?;
    Ok((
        Writer {
            tx: Mutex::new(tx),
            failed,
        },
        Reader {
            conn: Arc::new(Mutex::new(read)),
        },
        loaded,
    ))
}

impl Writer {
    /// Queue `changes`; the receiver answers once they are committed. `None`: nothing to write.
    pub fn submit(
        &self,
        changes: Vec<Change>,
    ) -> Result<Option<oneshot::Receiver<Result<(), String>>>, Error> {
        if let Some(why) = lock(&self.failed).clone() {
            return Err(Error::StoreFailed(why));
        }
        if changes.is_empty() {
            return Ok(None);
        }
        let (done, rx) = oneshot::channel();
        lock(&self.tx)
            .send(Job { changes, done })
            .map_err(|_| Error::StoreFailed("the writer stopped".into()))?;
        Ok(Some(rx))
    }
}

/// The writer: take every job queued, commit them in one transaction, answer them all.
fn run(mut conn: Connection, rx: mpsc::Receiver<Job>, failed: Arc<Mutex<Option<String>>>) {
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let result = write_group(&mut conn, &group).map_err(|e| e.to_string());
        if let Err(e) = &result {
            *lock(&failed) = Some(e.clone());
        }
        for job in group {
            let _ = job.done.send(result.clone());
        }
    }
}

fn write_group(conn: &mut Connection, group: &[Job]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    for job in group {
        for change in &job.changes {
            apply(&tx, change)?;
        }
    }
    tx.commit()
}

fn apply(tx: &rusqlite::Transaction<'_>, change: &Change) -> rusqlite::Result<()> {
    match change {
        Change::Put(l) => {
            tx.prepare_cached(
                "INSERT INTO leases (holder, user_name, machine, lease_id, granted_ms, expires_ms, ttl_ms, borrowed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (holder) DO UPDATE SET user_name = excluded.user_name, machine = excluded.machine,
                   lease_id = excluded.lease_id, granted_ms = excluded.granted_ms, expires_ms = excluded.expires_ms,
                   ttl_ms = excluded.ttl_ms, borrowed = excluded.borrowed",
            )?
            .execute(params![
                l.holder,
                l.user,
                l.machine,
                &l.lease_id.0[..],
                l.granted_ms,
                l.expires_ms,
                l.ttl_ms,
                l.borrowed
            ])?;
        }
        Change::Touch { holder, expires_ms } => {
            tx.prepare_cached("UPDATE leases SET expires_ms = ?2 WHERE holder = ?1")?
                .execute(params![holder, expires_ms])?;
        }
        Change::Delete { holder } => {
            tx.prepare_cached("DELETE FROM leases WHERE holder = ?1")?
                .execute(params![holder])?;
        }
        Change::Audit(e) if e.kind == AuditKind::Refuse.as_str() => {
            // One row per holder, reason and minute, counted.
            tx.prepare_cached(
                "INSERT INTO audit (at_ms, kind, holder, user_name, machine, detail, minute_ms, count)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)
                 ON CONFLICT (kind, holder, detail, minute_ms) DO UPDATE SET count = count + 1, at_ms = excluded.at_ms",
            )?
            .execute(params![
                e.at_ms,
                e.kind,
                e.holder,
                e.user,
                e.machine,
                e.detail,
                e.at_ms - e.at_ms.rem_euclid(MINUTE_MS)
            ])?;
        }
        Change::Audit(e) => {
            tx.prepare_cached(
                "INSERT INTO audit (at_ms, kind, holder, user_name, machine, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![e.at_ms, e.kind, e.holder, e.user, e.machine, e.detail])?;
        }
        Change::Peak(p) => {
            tx.prepare_cached("UPDATE pool SET peak = max(peak, ?1) WHERE id = 1")?
                .execute(params![p])?;
        }
        Change::Sample { minute_ms, in_use } => {
            tx.prepare_cached(
                "INSERT INTO usage (minute_ms, in_use) VALUES (?1, ?2)
                 ON CONFLICT (minute_ms) DO UPDATE SET in_use = max(in_use, excluded.in_use)",
            )?
            .execute(params![minute_ms, in_use])?;
        }
        Change::Prune {
            audit_before_ms,
            usage_before_ms,
        } => {
            tx.execute("DELETE FROM audit WHERE at_ms < ?1", params![audit_before_ms])?;
            tx.execute(
                "DELETE FROM audit WHERE id <= (SELECT max(id) FROM audit) - ?1",
                params![AUDIT_MAX_ROWS],
            )?;
            // Keep the last sample before the cut: the chart starts from it.
            tx.execute(
                "DELETE FROM usage WHERE minute_ms < (SELECT max(minute_ms) FROM usage WHERE minute_ms < ?1)",
                params![usage_before_ms],
            )?;
        }
    }
    Ok(())
}

impl Reader {
    pub async fn audit(&self, max: u32) -> Result<Vec<AuditEvent>, Error> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let conn = lock(&conn);
            let mut stmt = conn.prepare_cached(
                "SELECT at_ms, kind, holder, user_name, machine, detail, count FROM audit ORDER BY id DESC LIMIT ?1",
            )?;
            let rows = stmt
                .query_map(params![max], |r| {
                    Ok(AuditEvent {
                        at_ms: r.get(0)?,
                        kind: r.get(1)?,
                        holder: r.get(2)?,
                        user: r.get(3)?,
                        machine: r.get(4)?,
                        detail: r.get(5)?,
                        count: u64::try_from(r.get::<_, i64>(6)?).unwrap_or(1),
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
        .map_err(|e| Error::Store(e.to_string()))?
    }

    pub async fn usage(&self, since_ms: i64) -> Result<(u32, UsageSeries), Error> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let conn = lock(&conn);
            let before: Option<u32> = conn
                .query_row(
                    "SELECT in_use FROM usage WHERE minute_ms < ?1 ORDER BY minute_ms DESC LIMIT 1",
                    params![since_ms],
                    |r| r.get(0),
                )
                .optional()?;
            let mut stmt = conn.prepare_cached(
                "SELECT minute_ms, in_use FROM usage WHERE minute_ms >= ?1 ORDER BY minute_ms",
            )?;
            let rows = stmt
                .query_map(params![since_ms], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok((before.unwrap_or(0), rows))
        })
        .await
        .map_err(|e| Error::Store(e.to_string()))?
    }
}
