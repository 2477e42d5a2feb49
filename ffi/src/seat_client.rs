//! `lic_seat_client`: a floating seat from a `license-server` on the customer's network.

use std::ffi::c_char;

use license_verify::seat_client::{
    Heartbeat, HeldLease, LicensedServer, PinnedServerKey, SeatClient, SeatError, ServerKeyCheck, now_ms,
};

use crate::args::{self, Out, TextOut};
use crate::boundary::guard;
use crate::boundary::guard_value;
use crate::handle::Handle;
use crate::license::lic_license;
use crate::result::{Failure, lic_result};
use crate::types::count;

/// A client of a seat server for one holder (with servers to fail over to, in order:
/// `lic_seat_client_add_server`): takes a seat (`lic_seat_client_acquire`),
/// keeps it with heartbeats every third of its TTL (`lic_seat_client_heartbeat`), borrows
/// one for days (`lic_seat_client_borrow`) and gives it back (`lic_seat_client_release`).
/// Every lease comes with a token signed by the server; the client verifies it offline
/// (signature, holder, product, expiry) and refuses a server whose key is not the one given
/// at `lic_seat_client_new` (the key the vendor licensed).
///
/// A server that cannot be reached does not take a held seat away: the heartbeat succeeds
/// with `server_unreachable` set until the lease expires.
///
/// Thread safety: thread-safe, except `lic_seat_client_set_identity`,
/// `lic_seat_client_add_server` and `lic_seat_client_set_lease_file`, which must not run
/// while another thread uses the handle. The calls block on the network (10 s at most).
pub struct lic_seat_client {
    _private: [u8; 0],
}

impl Handle for lic_seat_client {
    type Inner = SeatClient;
}

/// A seat held from a seat server.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct lic_seat_lease {
    /// When the lease runs out unless renewed, in milliseconds since 1970-01-01 UTC.
    pub expires_unix_ms: i64,
    /// Seconds a heartbeat renews it by (send heartbeats every third of this).
    pub ttl_secs: i64,
    /// Seats in use at the server's last answer.
    pub in_use: u32,
    /// Licensed seats at the server's last answer (`LIC_UNLIMITED`: not limited).
    pub limit: u32,
    /// Checked out for days (no heartbeats needed until it expires).
    pub borrowed: bool,
    /// The server could not be reached; the seat is kept until `expires_unix_ms`.
    pub server_unreachable: bool,
}

fn seat_code(e: &SeatError) -> lic_result {
    match e {
        SeatError::Unreachable { .. } => lic_result::SeatServerUnreachable,
        SeatError::LimitReached { .. } => lic_result::NoSeatAvailable,
        SeatError::LeaseLost { .. } => lic_result::SeatLeaseLost,
        SeatError::Refused { .. } | SeatError::StaleProof { .. } => lic_result::SeatServerRefused,
        SeatError::BadResponse(_) => lic_result::SeatServerBadResponse,
        SeatError::MalformedToken(_)
        | SeatError::ForgedToken
        | SeatError::OtherHolder { .. }
        | SeatError::OtherProduct { .. } => lic_result::SeatTokenInvalid,
        SeatError::Expired { .. } => lic_result::SeatTokenExpired,
        SeatError::UnlicensedServer { .. } => lic_result::SeatServerUnlicensed,
        SeatError::NoLease => lic_result::SeatNoLease,
        SeatError::Config(_) => lic_result::InvalidArgument,
        _ => lic_result::Unknown,
    }
}

impl From<SeatError> for Failure {
    fn from(e: SeatError) -> Self {
        Failure::with_message(seat_code(&e), e.to_string())
    }
}

fn lease(l: &HeldLease, unreachable: bool) -> lic_seat_lease {
    lic_seat_lease {
        expires_unix_ms: l.expires_ms(),
        ttl_secs: l.ttl_secs,
        in_use: l.in_use,
        limit: count(l.limit),
        borrowed: l.claims.borrowed,
        server_unreachable: unreachable,
    }
}

/// The texts of a `_new` call read, the client made and written out.
///
/// # Safety
/// Each text pointer points to its length in readable bytes; `out_client` to a writable pointer.
unsafe fn make_client(
    (url, url_len): (*const c_char, usize),
    (product, product_len): (*const c_char, usize),
    (holder, holder_len): (*const c_char, usize),
    servers: Box<dyn ServerKeyCheck>,
    out_client: *mut *mut lic_seat_client,
) -> Result<(), Failure> {
    // SAFETY: the caller's contract, for each text.
    let url = unsafe { args::text(url, url_len, "server_url") }?;
    // SAFETY: as above.
    let product = unsafe { args::text(product, product_len, "product") }?;
    // SAFETY: as above.
    let holder = unsafe { args::text(holder, holder_len, "holder") }?;
    let out = Out::new(out_client, "out_client")?;
    let client = SeatClient::new(url, product, holder, servers)?;
    // SAFETY: `out` is writable by the caller's contract.
    unsafe { out.write(lic_seat_client::into_raw(client)) };
    Ok(())
}

/// A client of the seat server at `server_url` (`http://host:port`) for `product`, holding
/// seats as `holder` (unique per client and stable across restarts, so a restarted client
/// gets its own seat back). `server_key` is the 32-byte Ed25519 public key of the seat
/// server the vendor licensed; leases signed by any other key are refused. Free it with
/// `lic_seat_client_free`.
///
/// # Safety
/// Each text pointer points to its length in readable bytes; `server_key` to `key_len`
/// readable bytes; `out_client` to a writable pointer.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn lic_seat_client_new(
    server_url: *const c_char,
    server_url_len: usize,
    product: *const c_char,
    product_len: usize,
    holder: *const c_char,
    holder_len: usize,
    server_key: *const u8,
    key_len: usize,
    out_client: *mut *mut lic_seat_client,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let key = unsafe { args::bytes(server_key, key_len, "server_key") }?;
        let key: [u8; 32] = key
            .try_into()
            .map_err(|_| Failure::invalid(format!("a seat server key has 32 bytes, not {}", key.len())))?;
        // SAFETY: forwarded contract.
        unsafe {
            make_client(
                (server_url, server_url_len),
                (product, product_len),
                (holder, holder_len),
                Box::new(PinnedServerKey(key)),
                out_client,
            )
        }
    })
}

/// A client that accepts only the seat server the vendor named in `license` (the verified
/// code's seat-server binding; format 2): the preferred way, since the key comes from the
/// vendor's signature, not from configuration. Fails with `LIC_RESULT_INVALID_ARGUMENT` if
/// the code names no seat server. Free it with
/// `lic_seat_client_free`; `license` may be freed afterwards.
///
/// # Safety
/// Each text pointer points to its length in readable bytes; `license` is a live handle;
/// `out_client` points to a writable pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_new_for_license(
    server_url: *const c_char,
    server_url_len: usize,
    product: *const c_char,
    product_len: usize,
    holder: *const c_char,
    holder_len: usize,
    license: *const lic_license,
    out_client: *mut *mut lic_seat_client,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let license = unsafe { lic_license::get(license, "license") }?;
        let servers: Box<dyn ServerKeyCheck> = Box::new(LicensedServer::from_verification(license)?);
        // SAFETY: forwarded contract.
        unsafe {
            make_client(
                (server_url, server_url_len),
                (product, product_len),
                (holder, holder_len),
                servers,
                out_client,
            )
        }
    })
}

/// Name the user and the client machine, shown to the server's administrators.
///
/// # Safety
/// `client` is a live handle no other thread is using during the call; the texts point to
/// their lengths in readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_set_identity(
    client: *mut lic_seat_client,
    user: *const c_char,
    user_len: usize,
    machine: *const c_char,
    machine_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract (exclusive use during the call).
        let c = unsafe { lic_seat_client::get_mut(client, "client") }?;
        // SAFETY: the caller's contract.
        let user = unsafe { args::text(user, user_len, "user") }?;
        // SAFETY: the caller's contract.
        let machine = unsafe { args::text(machine, machine_len, "machine") }?;
        c.set_identity(user, machine);
        Ok(())
    })
}

/// Add a seat server to fail over to, after the one given at `lic_seat_client_new` and
/// those added before: when the current server cannot be reached (no answer: refused, reset,
/// timed out), the others are tried in that order, and the server that answered becomes
/// the current one; when none answers the call fails with
/// `LIC_RESULT_SEAT_SERVER_UNREACHABLE`, its message naming each server and its cause.
/// The servers of one list serve one license, so the server key (or the license's binding)
/// given at `_new` is checked against every one of them. A lease is known only to the
/// servers sharing its database: after a failover to a server with its own database, a
/// heartbeat answers `LIC_RESULT_SEAT_LEASE_LOST`, and the client acquires again.
/// `LIC_RESULT_INVALID_ARGUMENT`: the URL is not `http://` or `https://` (the list is
/// unchanged).
///
/// # Safety
/// `client` is a live handle no other thread is using during the call; `server_url` points
/// to `server_url_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_add_server(
    client: *mut lic_seat_client,
    server_url: *const c_char,
    server_url_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract (exclusive use during the call).
        let c = unsafe { lic_seat_client::get_mut(client, "client") }?;
        // SAFETY: the caller's contract.
        let url = unsafe { args::text(server_url, server_url_len, "server_url") }?;
        c.add_failover(url)?;
        Ok(())
    })
}

/// Keep this client's holder key and held lease in the file at `path` (mode 0600, replaced
/// atomically at every change; the key is created at the first grant). If the file exists,
/// its key is taken, and its lease too while its token has not expired, so a restarted
/// program renews and returns the seat it held (a borrowed one included); without a lease
/// file the holder key lives in memory and a restarted program cannot renew or return its
/// old seat (it comes back at its lease's expiry). `LIC_RESULT_SEAT_TOKEN_INVALID` and the
/// other token codes: the file holds another holder's, product's or server's lease;
/// `LIC_RESULT_INVALID_ARGUMENT`: it cannot be read or was not written by a seat client.
///
/// # Safety
/// `client` is a live handle no other thread is using during the call; `path` points to
/// `path_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_set_lease_file(
    client: *mut lic_seat_client,
    path: *const c_char,
    path_len: usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract (exclusive use during the call).
        let c = unsafe { lic_seat_client::get_mut(client, "client") }?;
        // SAFETY: the caller's contract.
        let path = unsafe { args::text(path, path_len, "path") }?;
        c.set_lease_file(path)?;
        Ok(())
    })
}

/// Free a client; NULL does nothing. The seat is not released (call
/// `lic_seat_client_release` first, or let its lease expire).
///
/// # Safety
/// `client` is NULL or a live handle no other thread is using, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_free(client: *mut lic_seat_client) {
    // SAFETY: the caller's contract.
    guard_value((), || unsafe { lic_seat_client::free(client) })
}

/// Take a seat (or get this holder's own seat back), with a TTL of `ttl_secs` seconds (0:
/// the server's default). Returns `LIC_RESULT_NO_SEAT_AVAILABLE` when every licensed seat
/// is taken.
///
/// # Safety
/// `client` is a live handle; `out_lease` points to a writable `lic_seat_lease`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_acquire(
    client: *const lic_seat_client,
    ttl_secs: u32,
    out_lease: *mut lic_seat_lease,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { lic_seat_client::get(client, "client") }?;
        let out = Out::new(out_lease, "out_lease")?;
        let l = c.acquire((ttl_secs != 0).then_some(ttl_secs))?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(lease(&l, false)) };
        Ok(())
    })
}

/// Check a seat out for `days` days, for a machine leaving the network: it needs no
/// heartbeats and counts as held until released or expired. Keep its token
/// (`lic_seat_client_token`) to prove the seat offline after a restart.
///
/// # Safety
/// As for `lic_seat_client_acquire`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_borrow(
    client: *const lic_seat_client,
    days: u32,
    out_lease: *mut lic_seat_lease,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { lic_seat_client::get(client, "client") }?;
        let out = Out::new(out_lease, "out_lease")?;
        let l = c.borrow(days)?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(lease(&l, false)) };
        Ok(())
    })
}

/// Renew the held seat. When the server cannot be reached but the held lease is still
/// live, this succeeds with `server_unreachable` set (the seat is kept until
/// `expires_unix_ms`); once the lease has expired it fails with
/// `LIC_RESULT_SEAT_SERVER_UNREACHABLE`. `LIC_RESULT_SEAT_LEASE_LOST`: the server no longer
/// holds the seat (expired, or freed by an administrator).
///
/// # Safety
/// As for `lic_seat_client_acquire`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_heartbeat(
    client: *const lic_seat_client,
    out_lease: *mut lic_seat_lease,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { lic_seat_client::get(client, "client") }?;
        let out = Out::new(out_lease, "out_lease")?;
        let l = match c.heartbeat()? {
            Heartbeat::Renewed(l) => lease(&l, false),
            Heartbeat::Unreachable { .. } => {
                let held = c.held().ok_or_else(|| Failure::from(SeatError::NoLease))?;
                lease(&held, true)
            }
        };
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(l) };
        Ok(())
    })
}

/// Give the held seat back (also a borrowed one). `*out_removed` is false when the server
/// no longer held it (expired or freed).
///
/// # Safety
/// `client` is a live handle; `out_removed` points to a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_release(
    client: *const lic_seat_client,
    out_removed: *mut bool,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { lic_seat_client::get(client, "client") }?;
        let out = Out::new(out_removed, "out_removed")?;
        let removed = c.release()?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(removed) };
        Ok(())
    })
}

/// Whether a seat is held now by the held lease's expiry, whether or not the server can
/// be reached (no network call).
///
/// # Safety
/// `client` is a live handle; `out_held` points to a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_holds_seat(
    client: *const lic_seat_client,
    out_held: *mut bool,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { lic_seat_client::get(client, "client") }?;
        let out = Out::new(out_held, "out_held")?;
        let held = c.holds_seat_at(now_ms());
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(held) };
        Ok(())
    })
}

/// The held lease's token (text), to keep a borrowed seat across restarts. The text
/// convention of every function returning text applies (see `lic_last_error_message`).
/// `LIC_RESULT_SEAT_NO_LEASE` when no seat is held.
///
/// # Safety
/// `client` is a live handle; `buf` points to `cap` writable bytes (or is NULL with `cap`
/// 0); `out_len` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_token(
    client: *const lic_seat_client,
    buf: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { lic_seat_client::get(client, "client") }?;
        let out = TextOut::new(buf, cap, out_len)?;
        let held = c.held().ok_or_else(|| Failure::from(SeatError::NoLease))?;
        // SAFETY: the caller's contract.
        unsafe { out.write(&held.token) }
    })
}

/// Take over a lease token kept from an earlier run (a borrowed seat), after verifying it
/// offline now: the server key, signature, holder, product and expiry.
///
/// # Safety
/// `client` is a live handle; `token` points to `token_len` readable bytes; `out_lease` to
/// a writable `lic_seat_lease`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lic_seat_client_adopt_token(
    client: *const lic_seat_client,
    token: *const c_char,
    token_len: usize,
    out_lease: *mut lic_seat_lease,
) -> lic_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let c = unsafe { lic_seat_client::get(client, "client") }?;
        // SAFETY: the caller's contract.
        let token = unsafe { args::text(token, token_len, "token") }?;
        let out = Out::new(out_lease, "out_lease")?;
        let l = c.adopt_token(token, now_ms())?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { out.write(lease(&l, false)) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(url: &str, holder: Option<&str>, key: &[u8]) -> (lic_result, *mut lic_seat_client) {
        let mut out: *mut lic_seat_client = std::ptr::null_mut();
        let (hp, hl) = holder.map_or((std::ptr::null(), 0), |h| (h.as_ptr().cast(), h.len()));
        // SAFETY: live buffers of the given lengths (or NULL), a writable out-pointer.
        let r = unsafe {
            lic_seat_client_new(
                url.as_ptr().cast(),
                url.len(),
                "p".as_ptr().cast(),
                1,
                hp,
                hl,
                key.as_ptr(),
                key.len(),
                &mut out,
            )
        };
        (r, out)
    }

    #[test]
    fn null_and_bad_arguments_are_refused() {
        let (r, out) = new("http://127.0.0.1:1", Some("h"), &[1; 31]);
        assert_eq!(r, lic_result::InvalidArgument);
        assert!(out.is_null(), "out-parameter untouched on failure");
        assert_eq!(
            new("http://127.0.0.1:1", None, &[1; 32]).0,
            lic_result::NullArgument
        );
        let mut held = true;
        // SAFETY: a NULL client is checked; `held` is writable.
        let r = unsafe { lic_seat_client_holds_seat(std::ptr::null(), &mut held) };
        assert_eq!(r, lic_result::NullArgument);
        // SAFETY: NULL is a no-op.
        unsafe { lic_seat_client_free(std::ptr::null_mut()) };
    }

    #[test]
    fn unreachable_server_without_a_seat_is_an_error() {
        let (r, c) = new("http://127.0.0.1:1", Some("h"), &[0x11; 32]);
        assert_eq!(r, lic_result::Ok);
        let mut lease = lic_seat_lease {
            expires_unix_ms: 7,
            ttl_secs: 0,
            in_use: 0,
            limit: 0,
            borrowed: false,
            server_unreachable: false,
        };
        // SAFETY: a live handle and out-parameter.
        let r = unsafe { lic_seat_client_acquire(c, 0, &mut lease) };
        assert_eq!(r, lic_result::SeatServerUnreachable);
        assert_eq!(lease.expires_unix_ms, 7, "untouched on failure");
        // SAFETY: as above.
        let r = unsafe { lic_seat_client_heartbeat(c, &mut lease) };
        assert_eq!(r, lic_result::SeatNoLease);
        let mut n = 0usize;
        // SAFETY: a live handle; a length query.
        let r = unsafe { lic_seat_client_token(c, std::ptr::null_mut(), 0, &mut n) };
        assert_eq!(r, lic_result::SeatNoLease);
        // SAFETY: a live handle, freed once.
        unsafe { lic_seat_client_free(c) };
    }
}
