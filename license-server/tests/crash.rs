//! The server binary killed with SIGKILL under a load of acquisitions, heartbeats and
//! releases, then restarted on the same data: every lease whose grant was answered is still
//! held, every answered release stays released, and never more than the limit are held.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use license_verify::seat_client::{Heartbeat, PinnedServerKey, SeatClient, SeatError};

const LIMIT: u32 = 40;
const HOLDERS: usize = 64;

fn spawn(data: &Path) -> (Child, String) {
    let key = license_server::keys::ServerKey::load_or_create(data)
        .unwrap()
        .public();
    let mut l = common::license(LIMIT);
    l.binding = l.binding.with_seat_server(&key);
    let license = common::write_license(data, &l);
    let mut child = Command::new(env!("CARGO_BIN_EXE_license-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--product", common::PRODUCT])
        .args(["--licensee", common::LICENSEE, "--database", common::DATABASE])
        .arg("--license")
        .arg(&license)
        .arg("--data")
        .arg(data)
        .args([
            "--key",
            &common::vendor_hex(),
            "--rate-per-client",
            "1000000",
            "--burst-per-client",
            "1000000",
        ])
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
    (child, base)
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Known {
    /// A grant or heartbeat was answered: held, with this lease id.
    Held([u8; 16]),
    /// A release was answered (or the acquire refused): not held.
    Free,
    /// A request was in flight when the server died.
    InFlight,
}

#[test]
fn sigkill_under_load_loses_no_lease_and_never_exceeds_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let (mut child, base) = spawn(data);
    let server_key = {
        let hex_key = std::process::Command::new(env!("CARGO_BIN_EXE_license-server"))
            .args(["key", "--data"])
            .arg(data)
            .output()
            .unwrap();
        let mut k = [0u8; 32];
        hex::decode_to_slice(String::from_utf8(hex_key.stdout).unwrap().trim(), &mut k).unwrap();
        k
    };
    let known: Arc<Mutex<HashMap<String, Known>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let (known, stop, base) = (known.clone(), stop.clone(), base.clone());
            std::thread::spawn(move || {
                let clients: Vec<SeatClient> = (0..HOLDERS / 8)
                    .map(|i| {
                        let h = format!("h-{t}-{i}");
                        SeatClient::new(&base, common::PRODUCT, &h, Box::new(PinnedServerKey(server_key)))
                            .unwrap()
                    })
                    .collect();
                let mut n = 0usize;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let c = &clients[n % clients.len()];
                    let h = c.holder().to_string();
                    let before = known.lock().unwrap().get(&h).cloned();
                    known.lock().unwrap().insert(h.clone(), Known::InFlight);
                    let after = match (before, n % 7) {
                        (Some(Known::Held(_)), 0) => match c.release() {
                            Ok(_) => Known::Free,
                            Err(_) => Known::InFlight,
                        },
                        (Some(Known::Held(_)), _) => match c.heartbeat() {
                            Ok(Heartbeat::Renewed(l)) => Known::Held(l.claims.lease_id),
                            Ok(Heartbeat::Unreachable { .. }) => Known::InFlight,
                            Err(SeatError::LeaseLost { .. }) => Known::Free,
                            Err(_) => Known::InFlight,
                        },
                        _ => match c.acquire(Some(120)) {
                            Ok(l) => Known::Held(l.claims.lease_id),
                            Err(SeatError::LimitReached { .. }) => Known::Free,
                            Err(_) => Known::InFlight,
                        },
                    };
                    known.lock().unwrap().insert(h, after.clone());
                    if after == Known::InFlight {
                        // The server is gone: stop at the first failure, the state stays in flight.
                        break;
                    }
                }
                // Each client's holder key and lease, to go on after the restart.
                clients
                    .iter()
                    .map(|c| (c.holder().to_string(), c.export_lease()))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1_500));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    let mut saved = HashMap::new();
    for t in threads {
        saved.extend(t.join().unwrap());
    }
    let known = known.lock().unwrap().clone();
    let granted = known.values().filter(|k| matches!(k, Known::Held(_))).count();
    assert!(granted > 0, "the load granted nothing before the kill");

    let (mut child, base) = spawn(data);
    let token = std::fs::read_to_string(data.join("admin.token")).unwrap();
    let admin = license_server::admin::AdminClient::new(&base, &token);
    let holders = admin.holders().unwrap();
    assert!(
        holders.len() as u32 <= LIMIT,
        "{} leases held, limit {LIMIT}",
        holders.len()
    );
    let held: HashMap<&str, ()> = holders.iter().map(|h| (h.holder.as_str(), ())).collect();
    for (holder, k) in &known {
        match k {
            Known::Held(id) => {
                assert!(
                    held.contains_key(holder.as_str()),
                    "granted lease of {holder} lost"
                );
                // The client that was given it (its holder key and lease, now talking to the
                // restarted server) still renews it.
                let c = SeatClient::new(
                    &base,
                    common::PRODUCT,
                    holder,
                    Box::new(PinnedServerKey(server_key)),
                )
                .unwrap();
                let lease = c
                    .import_lease(&saved[holder], license_verify::seat_client::now_ms())
                    .unwrap();
                assert_eq!(lease.map(|l| l.claims.lease_id), Some(*id), "{holder}");
                assert!(
                    matches!(c.heartbeat(), Ok(Heartbeat::Renewed(_))),
                    "{holder}: {:?}",
                    c.heartbeat()
                );
            }
            Known::Free => assert!(
                !held.contains_key(holder.as_str()),
                "released seat of {holder} came back"
            ),
            Known::InFlight => {}
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!(
        "{granted} leases granted before SIGKILL; {} held after restart",
        holders.len()
    );
}
