//! Attack test (docs/SERVER.md, "What a LAN attacker and a web page can do", finding 1):
//! idle half-open connections must not take the server down. The server runs as the binary
//! with its own descriptor limit of 1,024 (the limit a systemd unit gets by default) and its
//! default connection bounds; 1,100 sockets that each send half a request header and then
//! nothing are opened, first from one address and then spread over 127.0.0.2-60, and held
//! while a client on 127.0.0.1 acquires, heartbeats and releases within its normal timeout
//! (10 s). Loopback only; bounded in count (1,100 sockets per round) and time.

mod common;

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use license_verify::seat_client::{Heartbeat, PinnedServerKey, SeatClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const SOCKETS: usize = 1_100;
const FD_LIMIT: u32 = 1_024;

struct Server {
    child: Child,
    base: String,
    addr: SocketAddr,
    key: [u8; 32],
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary under `ulimit -n 1024`, default connection bounds.
fn spawn(data: &Path) -> Server {
    let key = license_server::keys::ServerKey::load_or_create(data)
        .unwrap()
        .public();
    let mut l = common::license(10);
    l.binding = l.binding.with_seat_server(&key);
    let license = common::write_license(data, &l);
    let mut child = Command::new("sh")
        .args(["-c", &format!("ulimit -n {FD_LIMIT} && exec \"$0\" \"$@\"")])
        .arg(env!("CARGO_BIN_EXE_license-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--product", common::PRODUCT])
        .args(["--licensee", common::LICENSEE, "--database", common::DATABASE])
        .arg("--license")
        .arg(&license)
        .arg("--data")
        .arg(data)
        .args(["--key", &common::vendor_hex()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_string();
    let addr = base.trim_start_matches("http://").parse().unwrap();
    // The limit really is the server's own.
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let open_files = limits.lines().find(|l| l.starts_with("Max open files")).unwrap();
    assert!(
        open_files.split_whitespace().nth(3) == Some(&FD_LIMIT.to_string()),
        "{open_files}"
    );
    Server {
        child,
        base,
        addr,
        key,
    }
}

/// This test process needs more than 1,100 descriptors of its own.
fn raise_own_descriptor_limit() {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let l = getrlimit(Resource::Nofile);
    let want = 4_096u64;
    if l.current.is_some_and(|c| c < want) {
        let new = l.maximum.map_or(want, |m| m.min(want));
        setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(new),
                maximum: l.maximum,
            },
        )
        .unwrap();
    }
    let now = getrlimit(Resource::Nofile).current;
    assert!(
        now.is_none_or(|c| c >= 2 * SOCKETS as u64),
        "this test needs {} descriptors (hard limit {:?})",
        2 * SOCKETS,
        l.maximum
    );
}

/// A connection from `from` that sends half a request header and then nothing. `None` when
/// the server (or the kernel's backlog) turned it away at once.
async fn half_open(server: SocketAddr, from: Ipv4Addr) -> Option<TcpStream> {
    let socket = TcpSocket::new_v4().ok()?;
    socket.bind(SocketAddr::new(IpAddr::V4(from), 0)).ok()?;
    let mut s = tokio::time::timeout(Duration::from_secs(5), socket.connect(server))
        .await
        .ok()?
        .ok()?;
    s.write_all(b"POST /v1/leases/acquire HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
        .await
        .ok()?;
    Some(s)
}

/// Open `SOCKETS` half-open connections from the addresses given, round robin.
async fn flood(server: SocketAddr, from: &[Ipv4Addr]) -> Vec<TcpStream> {
    let mut held = Vec::with_capacity(SOCKETS);
    for chunk in (0..SOCKETS).collect::<Vec<_>>().chunks(100) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|i| tokio::spawn(half_open(server, from[i % from.len()])))
            .collect();
        for t in tasks {
            if let Some(s) = t.await.unwrap() {
                held.push(s);
            }
        }
    }
    held
}

/// Acquire, heartbeat and release as a normal client would (10 s timeout per call).
fn normal_client(s: &Server, holder: &str) {
    let client = SeatClient::new(&s.base, common::PRODUCT, holder, Box::new(PinnedServerKey(s.key))).unwrap();
    let t = Instant::now();
    let lease = client
        .acquire(Some(60))
        .unwrap_or_else(|e| panic!("acquire: {e}"));
    assert_eq!(lease.claims.holder, holder);
    match client.heartbeat().unwrap_or_else(|e| panic!("heartbeat: {e}")) {
        Heartbeat::Renewed(_) => {}
        other => panic!("heartbeat did not reach the server: {other:?}"),
    }
    assert!(client.release().unwrap_or_else(|e| panic!("release: {e}")));
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
}

/// How many of `held` the server has closed (EOF or reset) within `wait`.
async fn closed_within(held: &mut [TcpStream], wait: Duration) -> usize {
    let deadline = tokio::time::Instant::now() + wait;
    let mut closed = 0;
    for s in held.iter_mut() {
        let mut buf = [0u8; 256];
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => closed += 1,
            // A 408 answer (or any bytes) then EOF also counts as closed by the server.
            Ok(Ok(_)) => {
                if let Ok(Ok(0) | Err(_)) = tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
                    closed += 1;
                }
            }
            Err(_) => {}
        }
    }
    closed
}

fn attack(from: &[Ipv4Addr]) {
    raise_own_descriptor_limit();
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(dir.path());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut held = rt.block_on(flood(s.addr, from));
    assert!(held.len() > 500, "only {} connections opened", held.len());

    // While the sockets are held: a normal client on 127.0.0.1 is served.
    normal_client(&s, "ws-1");
    normal_client(&s, "ws-2");

    // Every half-open connection is closed by the header-read timeout (5 s) at the latest.
    let closed = rt.block_on(closed_within(&mut held, Duration::from_secs(15)));
    assert_eq!(closed, held.len(), "half-open connections left open");
    drop(held);
    assert!(s.child.id() > 0);
    normal_client(&s, "ws-3");
}

#[test]
fn eleven_hundred_half_open_connections_from_one_address_do_not_lock_out_a_client() {
    attack(&[Ipv4Addr::new(127, 0, 0, 1)]);
}

#[test]
fn eleven_hundred_half_open_connections_spread_over_59_addresses_do_not_lock_out_a_client() {
    let from: Vec<Ipv4Addr> = (2..=60).map(|i| Ipv4Addr::new(127, 0, 0, i)).collect();
    attack(&from);
}

#[test]
fn a_kept_alive_connection_that_goes_silent_is_closed_by_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(dir.path());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut c = TcpStream::connect(s.addr).await.unwrap();
        c.write_all(b"GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .unwrap();
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&answer).contains("server_key") {
            let n = c.read(&mut buf).await.unwrap();
            assert!(n > 0, "closed before answering");
            answer.extend_from_slice(&buf[..n]);
        }
        assert!(answer.starts_with(b"HTTP/1.1 200"));
        // Kept alive, then silent: closed after the 5 s header timeout (not the 30 s idle
        // timeout), give or take a second.
        let t = Instant::now();
        let r = tokio::time::timeout(Duration::from_secs(12), c.read(&mut buf)).await;
        assert!(matches!(r, Ok(Ok(0) | Err(_))), "still open after 12 s: {r:?}");
        let waited = t.elapsed();
        assert!(waited >= Duration::from_secs(4), "closed too early: {waited:?}");
    });
}
