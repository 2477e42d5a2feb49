//! `lic_seat_pool`: concurrent seats with leases and heartbeats.

use std::ffi::c_char;
use std::time::{Duration, Instant};

use license_verify::{Lease, SeatPool, SeatSnapshot};

use crate::args::{self, Out, TextOut};
use crate::boundary::{guard, guard_value};
use crate::handle::Handle;
use crate::license::lic_license;
use crate::result::{Failure, lic_result};
use crate::types::{count, limit};

/// A pool of concurrent seats: a seat is taken at login (`lic_seat_pool_acquire`), kept
/// alive by heartbeats and freed at logout (`lic_seat_pool_release`). A client that
/// crashes stops sending heartbeats and its seat comes back when its lease runs out; a
/// holder that logs in again while its lease is live gets the same seat, never a second.
///
/// Time: the functions without `_at` read the system's monotonic clock. The `_at`
/// functions take the time as milliseconds since the pool was created, on the caller's
/// own monotonic clock (tests, or a seat server with its own clock). Times reported back
/// (lease expiries) are on that same scale.
///
/// Thread safety: thread-safe; every function may be called from several threads at
/// once (a lock serializes the pool).
pub struct lic_seat_pool {
    _private: [u8; 0],
}

pub(crate) struct Pool {
    pool: SeatPool,
    origin: Instant,
}

impl Pool {
    fn at(&self, now_ms: Option<u64>) -> Instant {
        match now_ms {
            None => Instant::now(),
            // A time the platform's `Instant` cannot represent (none on Linux, macOS or
            // Windows, where origin + u64::MAX ms fits) is taken as the pool's origin,
            // time 0: it does not saturate, so such a caller's leases are judged at 0.
            Some(ms) => self
                .origin
                .checked_add(Duration::from_millis(ms))
                .unwrap_or(self.origin),
        }
    }

    fn ms(&self, t: Instant) -> u64 {
        u64::try_from(t.saturating_duration_since(self.origin).as_millis()).unwrap_or(u64::MAX)
    }

    fn lease(&self, l: Lease) -> lic_lease {
        lic_lease {
            expires_ms: self.ms(l.expires),
            in_use: l.in_use,
            renewed: l.renewed,
        }
    }
}

impl Handle for lic_seat_pool {
    type Inner = Pool;
}

/// A granted or renewed seat.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lic_lease {
    /// When the lease runs out unless renewed, in milliseconds since the pool was created.
    pub expires_ms: u64,
    /// Seats in use after this call.
    pub in_use: u32,
    /// Whether the holder already had this seat (a re-claim or a heartbeat).
    pub renewed: bool,
}

fn new_pool(seats: u32, lease_secs: u32) -> Result<Pool, Failure> {
    if lease_secs == 0 {
        return Err(Failure::invalid("a seat lease must last at least one second"));
    }
    Ok(Pool {
        pool: SeatPool::new(limit(seats), Duration::from_secs(u64::from(lease_secs))),
        origin: Instant::now(),
    })
}

/// A pool of `seats` seats (`LIC_UNLIMITED`: not limited, usage is still tracked) whose
/// leases last `lease_secs` seconds unless renewed. Free it with `lic_seat_pool_free`.
///
/// # Safety
/// `out_pool` points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_new(
    seats: u32,
    lease_secs: u32,
    out_pool: *mut *mut lic_seat_pool,
) -> lic_result {
    guard(|| {
        let out = Out::new(out_pool, "out_pool")?;
        let pool = new_pool(seats, lease_secs)?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(lic_seat_pool::into_raw(pool)) };
        Ok(())
    })
}

/// A pool sized by the license's concurrent seats in effect now (the demo seat count in
/// demo mode, 0 when the license is not usable, not limited when the license does not
/// limit seats).
///
/// # Safety
/// `license` is a live handle; `out_pool` points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_new_for_license(
    license: *const lic_license,
    lease_secs: u32,
    out_pool: *mut *mut lic_seat_pool,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let l = unsafe { lic_license::get(license, "license") }?;
        let out = Out::new(out_pool, "out_pool")?;
        let pool = new_pool(count(l.concurrent_seats()), lease_secs)?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(lic_seat_pool::into_raw(pool)) };
        Ok(())
    })
}

/// Free a pool; NULL does nothing.
///
/// # Safety
/// `pool` is NULL or a live handle no other thread is using, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_free(pool: *mut lic_seat_pool) {
    // SAFETY: the caller's contract.
    guard_value((), || unsafe { lic_seat_pool::free(pool) })
}

#[derive(Clone, Copy)]
enum LeaseOp {
    Acquire,
    Heartbeat,
}

/// Acquire or renew a seat.
///
/// # Safety
/// Pointers as for `lic_seat_pool_acquire`.
unsafe fn lease_op(
    op: LeaseOp,
    pool: *const lic_seat_pool,
    holder: *const c_char,
    holder_len: usize,
    now_ms: Option<u64>,
    out_lease: *mut lic_lease,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let p = unsafe { lic_seat_pool::get(pool, "pool") }?;
        // SAFETY: the caller's contract.
        let holder = unsafe { args::text(holder, holder_len, "holder") }?;
        let out = Out::new(out_lease, "out_lease")?;
        let now = p.at(now_ms);
        let lease = match op {
            LeaseOp::Acquire => p.pool.acquire(holder, now),
            LeaseOp::Heartbeat => p.pool.heartbeat(holder, now),
        }?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(p.lease(lease)) };
        Ok(())
    })
}

/// Take a seat for `holder` (a user, session or client id) at login. The same holder gets
/// its live seat back, renewed. Returns `LIC_RESULT_NO_SEAT_AVAILABLE` when every seat is
/// held by a live lease.
///
/// # Safety
/// `pool` is a live handle; `holder` points to `holder_len` readable bytes; `out_lease` to
/// a writable `lic_lease`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_acquire(
    pool: *const lic_seat_pool,
    holder: *const c_char,
    holder_len: usize,
    out_lease: *mut lic_lease,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { lease_op(LeaseOp::Acquire, pool, holder, holder_len, None, out_lease) }
}

/// `lic_seat_pool_acquire` at `now_ms` (milliseconds since the pool was created).
///
/// # Safety
/// As for `lic_seat_pool_acquire`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_acquire_at(
    pool: *const lic_seat_pool,
    holder: *const c_char,
    holder_len: usize,
    now_ms: u64,
    out_lease: *mut lic_lease,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        lease_op(
            LeaseOp::Acquire,
            pool,
            holder,
            holder_len,
            Some(now_ms),
            out_lease,
        )
    }
}

/// Renew `holder`'s lease. Returns `LIC_RESULT_SEAT_LEASE_LOST` if it has none (expired or
/// released): the client must log in again.
///
/// # Safety
/// As for `lic_seat_pool_acquire`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_heartbeat(
    pool: *const lic_seat_pool,
    holder: *const c_char,
    holder_len: usize,
    out_lease: *mut lic_lease,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { lease_op(LeaseOp::Heartbeat, pool, holder, holder_len, None, out_lease) }
}

/// `lic_seat_pool_heartbeat` at `now_ms` (milliseconds since the pool was created).
///
/// # Safety
/// As for `lic_seat_pool_acquire`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_heartbeat_at(
    pool: *const lic_seat_pool,
    holder: *const c_char,
    holder_len: usize,
    now_ms: u64,
    out_lease: *mut lic_lease,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe {
        lease_op(
            LeaseOp::Heartbeat,
            pool,
            holder,
            holder_len,
            Some(now_ms),
            out_lease,
        )
    }
}

/// Free `holder`'s seat at logout; `*out_held` says whether it held one.
///
/// # Safety
/// `pool` is a live handle; `holder` points to `holder_len` readable bytes; `out_held` to
/// a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_release(
    pool: *const lic_seat_pool,
    holder: *const c_char,
    holder_len: usize,
    out_held: *mut bool,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let p = unsafe { lic_seat_pool::get(pool, "pool") }?;
        // SAFETY: the caller's contract.
        let holder = unsafe { args::text(holder, holder_len, "holder") }?;
        let out = Out::new(out_held, "out_held")?;
        let held = p.pool.release(holder);
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(held) };
        Ok(())
    })
}

/// Change the number of seats (a new code, or the license entering demo mode;
/// `LIC_UNLIMITED`: not limited). When more seats are held than the new limit, the newest
/// holders lose theirs (their next heartbeat fails with `LIC_RESULT_SEAT_LEASE_LOST`) and
/// the oldest keep theirs; `*out_over_limit` receives how many seats were taken back.
///
/// # Safety
/// `pool` is a live handle; `out_over_limit` points to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_set_limit(
    pool: *const lic_seat_pool,
    seats: u32,
    out_over_limit: *mut u32,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let p = unsafe { lic_seat_pool::get(pool, "pool") }?;
        let out = Out::new(out_over_limit, "out_over_limit")?;
        // At the pool's origin nothing has expired yet: only the limit decides who is
        // evicted, whichever clock (monotonic or the caller's ms) the leases were taken with.
        let evicted = p.pool.set_limit(limit(seats), p.at(Some(0)));
        let over = u32::try_from(evicted.len()).unwrap_or(u32::MAX);
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(over) };
        Ok(())
    })
}

/// The pool's usage at one moment, for administrators: seats in use, the limit, the peak
/// since the pool was created, and who holds the seats. Made by `lic_seat_pool_snapshot`;
/// free it with `lic_seat_snapshot_free`.
///
/// Thread safety: immutable; every function may be called from several threads at once.
pub struct lic_seat_snapshot {
    _private: [u8; 0],
}

pub(crate) struct Snapshot {
    snapshot: SeatSnapshot,
    since_ms: Vec<u64>,
    expires_ms: Vec<u64>,
}

impl Handle for lic_seat_snapshot {
    type Inner = Snapshot;
}

/// Take a snapshot.
///
/// # Safety
/// Pointers as for `lic_seat_pool_snapshot`.
unsafe fn snapshot(
    pool: *const lic_seat_pool,
    now_ms: Option<u64>,
    out_snapshot: *mut *mut lic_seat_snapshot,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let p = unsafe { lic_seat_pool::get(pool, "pool") }?;
        let out = Out::new(out_snapshot, "out_snapshot")?;
        let snapshot = p.pool.snapshot(p.at(now_ms));
        let since_ms = snapshot.holders.iter().map(|h| p.ms(h.since)).collect();
        let expires_ms = snapshot.holders.iter().map(|h| p.ms(h.expires)).collect();
        let s = Snapshot {
            snapshot,
            since_ms,
            expires_ms,
        };
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(lic_seat_snapshot::into_raw(s)) };
        Ok(())
    })
}

/// Reclaim expired leases and take a snapshot of the pool's usage.
///
/// # Safety
/// `pool` is a live handle; `out_snapshot` points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_snapshot(
    pool: *const lic_seat_pool,
    out_snapshot: *mut *mut lic_seat_snapshot,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { snapshot(pool, None, out_snapshot) }
}

/// `lic_seat_pool_snapshot` at `now_ms` (milliseconds since the pool was created).
///
/// # Safety
/// As for `lic_seat_pool_snapshot`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_pool_snapshot_at(
    pool: *const lic_seat_pool,
    now_ms: u64,
    out_snapshot: *mut *mut lic_seat_snapshot,
) -> lic_result {
    // SAFETY: forwarded contract.
    unsafe { snapshot(pool, Some(now_ms), out_snapshot) }
}

/// Seats in use, the limit (`LIC_UNLIMITED`: not limited), the most seats in use at once
/// since the pool was created, and the number of holders (equal to the seats in use).
///
/// # Safety
/// `snapshot` is a live handle; every out pointer points to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_snapshot_usage(
    snapshot: *const lic_seat_snapshot,
    out_in_use: *mut u32,
    out_limit: *mut u32,
    out_peak: *mut u32,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let s = unsafe { lic_seat_snapshot::get(snapshot, "snapshot") }?;
        let in_use = Out::new(out_in_use, "out_in_use")?;
        let lim = Out::new(out_limit, "out_limit")?;
        let peak = Out::new(out_peak, "out_peak")?;
        // SAFETY: all three are writable by the caller's contract.
        unsafe {
            in_use.write(s.snapshot.in_use);
            lim.write(count(s.snapshot.limit));
            peak.write(s.snapshot.peak);
        }
        Ok(())
    })
}

/// Holder number `index` (0 = the oldest seat; there are as many holders as seats in use):
/// its id as text (text out as described in the introduction), when it took the seat
/// and when its lease runs out (milliseconds since the pool was created). Returns
/// `LIC_RESULT_INVALID_ARGUMENT` for an index past the last holder.
///
/// # Safety
/// `snapshot` is a live handle; `buf` points to `buf_len` writable bytes (or is NULL with
/// `buf_len` 0); `out_len`, `out_since_ms` and `out_expires_ms` are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_snapshot_holder(
    snapshot: *const lic_seat_snapshot,
    index: usize,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
    out_since_ms: *mut u64,
    out_expires_ms: *mut u64,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let s = unsafe { lic_seat_snapshot::get(snapshot, "snapshot") }?;
        let text = TextOut::new(buf, buf_len, out_len)?;
        let since = Out::new(out_since_ms, "out_since_ms")?;
        let expires = Out::new(out_expires_ms, "out_expires_ms")?;
        let n = s.snapshot.holders.len();
        let (Some(h), Some(&since_ms), Some(&expires_ms)) = (
            s.snapshot.holders.get(index),
            s.since_ms.get(index),
            s.expires_ms.get(index),
        ) else {
            return Err(Failure::invalid(format!(
                "holder {index} does not exist ({n} holders)"
            )));
        };
        // SAFETY: the caller's contract covers `buf` and `out_len`.
        unsafe { text.write(&h.holder) }?;
        // SAFETY: both are writable by the caller's contract.
        unsafe {
            since.write(since_ms);
            expires.write(expires_ms);
        }
        Ok(())
    })
}

/// Free a snapshot; NULL does nothing.
///
/// # Safety
/// `snapshot` is NULL or a live handle no other thread is using, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_snapshot_free(snapshot: *mut lic_seat_snapshot) {
    // SAFETY: the caller's contract.
    guard_value((), || unsafe { lic_seat_snapshot::free(snapshot) })
}
