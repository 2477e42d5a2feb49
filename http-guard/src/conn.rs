//! Bounds on connections, before any request is read: how many at once in total and per
//! client address, and how long one may stay silent. A connection that sends half a request
//! header and then nothing, or that idles between requests, is closed at its deadline (see
//! docs/SERVER.md, "Connections"; docs/SERVICE.md).
//!
//! The newest connection always gets a slot: over the per-address bound it takes the slot
//! of its own address's oldest connection, over the total that of the oldest connection of
//! the address holding the most (the connection that loses its slot is closed). A few
//! addresses holding many idle sockets therefore cannot lock out a client that holds one,
//! and the server's descriptors stay bounded by the total.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

/// The connection bounds (all configurable on `license-server serve` and `license-service`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnLimits {
    /// Connections open at once, in total.
    pub max_total: usize,
    /// Connections open at once from one client address.
    pub max_per_client: usize,
    /// Longest wait for a request's header, from the moment the server waits for it
    /// (a new connection, or a kept-alive one after its last answer).
    pub header_read_timeout: Duration,
    /// A connection on which no byte moved either way for this long is closed (kept-alive
    /// connections between requests; must exceed the request timeout).
    pub idle_timeout: Duration,
}

/// Default total connections: with the default per-client bound and the files the server
/// keeps open, this stays well under the common descriptor limit of 1,024.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// Default connections per client address.
pub const DEFAULT_MAX_PER_CLIENT: usize = 16;
/// Default header-read timeout.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Default idle timeout.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            max_total: DEFAULT_MAX_CONNECTIONS,
            max_per_client: DEFAULT_MAX_PER_CLIENT,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }
}

/// One open connection's slot: closing it wakes the connection's reader, which then fails.
#[derive(Debug, Default)]
struct Slot {
    closed: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Slot {
    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        if let Some(w) = lock(&self.waker).take() {
            w.wake();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug, Default)]
struct Table {
    next_id: u64,
    total: usize,
    by_client: HashMap<IpAddr, VecDeque<(u64, Arc<Slot>)>>,
}

/// The table of open connections: admission, eviction and release.
#[derive(Debug)]
pub struct Connections {
    limits: ConnLimits,
    table: Mutex<Table>,
}

/// An admitted connection's place in the table; dropping it frees the slot.
#[derive(Debug)]
pub struct Admission {
    conns: Arc<Connections>,
    ip: IpAddr,
    id: u64,
    slot: Arc<Slot>,
}

impl Connections {
    /// An empty table with these bounds.
    pub fn new(limits: ConnLimits) -> Arc<Connections> {
        Arc::new(Connections {
            limits,
            table: Mutex::new(Table::default()),
        })
    }

    /// The bounds.
    pub const fn limits(&self) -> &ConnLimits {
        &self.limits
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        lock(&self.table).total
    }

    /// Admit a connection from `ip`. The newest connection always gets in: when `ip` is at
    /// its bound, its own oldest connection is closed; when the total is reached, the
    /// oldest connection of the address holding the most is closed.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Admission {
        let mut t = lock(&self.table);
        let own = t.by_client.get(&ip).map_or(0, VecDeque::len);
        let victim_ip = if own >= self.limits.max_per_client.max(1) {
            Some(ip)
        } else if t.total >= self.limits.max_total.max(1) {
            t.by_client.iter().max_by_key(|(_, q)| q.len()).map(|(ip, _)| *ip)
        } else {
            None
        };
        if let Some(victim_ip) = victim_ip
            && let Some(q) = t.by_client.get_mut(&victim_ip)
            && let Some((_, victim)) = q.pop_front()
        {
            if q.is_empty() {
                t.by_client.remove(&victim_ip);
            }
            t.total -= 1;
            victim.close();
        }
        t.next_id += 1;
        let id = t.next_id;
        let slot = Arc::new(Slot::default());
        t.by_client.entry(ip).or_default().push_back((id, slot.clone()));
        t.total += 1;
        Admission {
            conns: self.clone(),
            ip,
            id,
            slot,
        }
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        let mut t = lock(&self.conns.table);
        let mut emptied = false;
        if let Some(q) = t.by_client.get_mut(&self.ip)
            && let Some(pos) = q.iter().position(|(id, _)| *id == self.id)
        {
            q.remove(pos);
            emptied = q.is_empty();
            t.total -= 1;
        }
        if emptied {
            t.by_client.remove(&self.ip);
        }
    }
}

/// A TCP stream inside the bounds: reads fail once its slot is taken by a newer
/// connection, or once no byte moved for the idle timeout.
#[derive(Debug)]
pub struct Bounded {
    inner: TcpStream,
    admission: Admission,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl Bounded {
    fn touch(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + self.idle);
    }

    fn check(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        *lock(&self.admission.slot.waker) = Some(cx.waker().clone());
        if self.admission.slot.closed.load(Ordering::Acquire) {
            return Some(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "closed to make room for a newer connection",
            ));
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Some(io::Error::new(io::ErrorKind::TimedOut, "connection idle"));
        }
        None
    }
}

impl AsyncRead for Bounded {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.touch();
                Poll::Ready(r)
            }
            Poll::Pending => match this.check(cx) {
                Some(e) => Poll::Ready(Err(e)),
                None => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for Bounded {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let r = Pin::new(&mut this.inner).poll_write(cx, buf);
        if r.is_ready() {
            this.touch();
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let r = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if r.is_ready() {
            this.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// The acceptor that applies the bounds (inside TLS, so a handshake holds a slot too).
#[derive(Clone, Debug)]
pub struct BoundedAcceptor {
    conns: Arc<Connections>,
}

impl BoundedAcceptor {
    /// Over this table.
    pub const fn new(conns: Arc<Connections>) -> BoundedAcceptor {
        BoundedAcceptor { conns }
    }
}

impl<S: Send + 'static> axum_server::accept::Accept<TcpStream, S> for BoundedAcceptor {
    type Stream = Bounded;
    type Service = S;
    type Future = std::future::Ready<io::Result<(Bounded, S)>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let admitted = stream.peer_addr().map(|peer| {
            let idle = self.conns.limits.idle_timeout;
            let bounded = Bounded {
                inner: stream,
                admission: self.conns.admit(peer.ip()),
                idle,
                deadline: Box::pin(tokio::time::sleep(idle)),
            };
            (bounded, service)
        });
        std::future::ready(admitted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(total: usize, per: usize) -> ConnLimits {
        ConnLimits {
            max_total: total,
            max_per_client: per,
            ..ConnLimits::default()
        }
    }

    #[test]
    fn one_address_gives_up_its_own_oldest_and_a_closed_connection_frees_its_slot() {
        let c = Connections::new(limits(10, 2));
        let ip: IpAddr = "127.0.0.9".parse().unwrap();
        let a = c.admit(ip);
        let b = c.admit(ip);
        let other = c.admit("127.0.0.8".parse().unwrap());
        let newest = c.admit(ip);
        assert!(a.slot.closed.load(Ordering::Acquire), "the address's oldest");
        assert!(!b.slot.closed.load(Ordering::Acquire) && !newest.slot.closed.load(Ordering::Acquire));
        assert!(!other.slot.closed.load(Ordering::Acquire));
        assert_eq!(c.open(), 3);
        drop(a);
        assert_eq!(c.open(), 3, "an evicted connection's slot is freed once");
        drop(b);
        assert_eq!(c.open(), 2);
    }

    #[test]
    fn when_full_the_heaviest_address_gives_up_its_oldest_connection() {
        let c = Connections::new(limits(4, 3));
        let attacker: IpAddr = "127.0.0.2".parse().unwrap();
        let other: IpAddr = "127.0.0.3".parse().unwrap();
        let client: IpAddr = "127.0.0.1".parse().unwrap();
        let held: Vec<Admission> = (0..3).map(|_| c.admit(attacker)).collect();
        let o = c.admit(other);
        let mine = c.admit(client);
        assert_eq!(c.open(), 4);
        assert!(
            held[0].slot.closed.load(Ordering::Acquire),
            "the oldest of the heaviest"
        );
        assert!(!held[1].slot.closed.load(Ordering::Acquire));
        assert!(!o.slot.closed.load(Ordering::Acquire) && !mine.slot.closed.load(Ordering::Acquire));
        // The evicted admission's drop later does not free a second slot.
        drop(held);
        assert_eq!(c.open(), 2);
    }
}
