//! `license-check seat acquire|heartbeat|release|status`: a floating seat from a
//! `license-server`, for shell scripts. The client's holder key (created at the first
//! acquire) and its lease (the token, which holds the lease id, and the lease's MAC key)
//! are kept between calls in a lease file (mode 0600): every request carries the holder
//! proof made with them (`docs/SERVER.md`, "The holder proof"). Lose the file and the seat
//! comes back only at its lease's expiry.
//!
//! Exit status: 0 the seat is held, renewed or released (`status`: the server still holds
//! this holder's lease); 1 refused (no seat free, lease lost, a token the vendor's server
//! did not sign; `status`: the server does not hold the lease, or there is no lease file);
//! 2 wrong command line;
//! 3 the server cannot be reached (a held seat is kept until its lease expires, and the
//! output says until when).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use license_verify::Verifier;
use license_verify::license_core::{Date, PublicKey};
use license_verify::seat_client::{
    Heartbeat, HeldLease, LicensedServer, PinnedServerKey, SeatClient, SeatError, ServerKeyCheck,
    format_utc as utc,
};

use crate::{Failure, print};

#[derive(Subcommand, Debug)]
pub enum SeatCommand {
    /// Take a seat (or get this holder's seat back) and keep its lease in the lease file.
    Acquire {
        #[command(flatten)]
        common: SeatArgs,
        /// Lease time-to-live in seconds (default: the server's).
        #[arg(long)]
        ttl: Option<u32>,
        /// Borrow the seat for this many days instead (for a machine leaving the network).
        #[arg(long, conflicts_with = "ttl")]
        borrow_days: Option<u32>,
    },
    /// Renew the seat in the lease file.
    Heartbeat {
        #[command(flatten)]
        common: SeatArgs,
    },
    /// Give the seat in the lease file back.
    Release {
        #[command(flatten)]
        common: SeatArgs,
    },
    /// The server's usage, and whether the server still holds this holder's lease (exit 0
    /// held, 1 not held or no lease file, 3 server unreachable).
    Status {
        #[command(flatten)]
        common: SeatArgs,
    },
}

#[derive(Args, Debug)]
pub struct SeatArgs {
    /// The seat server's base URL (http://host:port); repeat for a failover list, tried in
    /// order when a server cannot be reached.
    #[arg(long = "server", required = true)]
    servers: Vec<String>,
    /// This client's holder id (stable across restarts, unique per client).
    #[arg(long)]
    holder: String,
    /// The product id.
    #[arg(long)]
    product: String,
    /// The licensed seat server's public key (64 hex digits); leases signed by any other key
    /// are refused. Or give --license: the server the vendor's code names.
    #[arg(long, required_unless_present = "license", conflicts_with = "license")]
    server_key: Option<String>,
    /// The vendor's license code file: only the seat server its seat-server binding names is
    /// accepted. The code is verified first, with --key, --licensee and --database.
    #[arg(long, requires_all = ["key", "licensee"])]
    license: Option<PathBuf>,
    /// The vendor's public key (64 hex digits) the --license code is checked with; repeat
    /// for several.
    #[arg(long)]
    key: Vec<String>,
    /// The licensee the --license code is signed for.
    #[arg(long)]
    licensee: Option<String>,
    /// The database code the --license code is bound to, if it is.
    #[arg(long)]
    database: Option<String>,
    /// The user name shown to administrators.
    #[arg(long, default_value = "")]
    user: String,
    /// The machine name shown to administrators.
    #[arg(long, default_value = "")]
    machine: String,
    /// Where the lease is kept between calls.
    #[arg(long, default_value = "license-seat.lease")]
    lease_file: PathBuf,
}

/// Which server keys are accepted: the pinned one, or the one the vendor's code names.
fn server_check(a: &SeatArgs) -> Result<Box<dyn ServerKeyCheck>, Failure> {
    if let Some(hex) = &a.server_key {
        let key = PublicKey::from_hex(hex)
            .map_err(|e| Failure::Usage(format!("--server-key: {e}")))?
            .to_bytes();
        return Ok(Box::new(PinnedServerKey(key)));
    }
    // clap requires --server-key or --license, and --key and --licensee with --license.
    let (Some(path), Some(licensee)) = (&a.license, &a.licensee) else {
        return Err(Failure::Usage(
            "give --server-key, or --license with --key and --licensee".into(),
        ));
    };
    let mut keys = Vec::new();
    for k in &a.key {
        keys.extend(verify_cli::parse_keys(k).map_err(|e| Failure::Usage(format!("--key: {e}")))?);
    }
    // Only the code's seat-server binding is used: release coverage is not checked.
    let mut builder = Verifier::builder(keys, &a.product, Date::UNIX_EPOCH).licensee(licensee);
    if let Some(db) = &a.database {
        builder = builder.database(db);
    }
    let verifier = builder.build().map_err(|e| Failure::Usage(e.to_string()))?;
    let verification = verifier
        .verify_file(path)
        .map_err(|e| Failure::Refused(format!("the license code {}: {e}", path.display())))?;
    let servers =
        LicensedServer::from_verification(&verification).map_err(|e| Failure::Refused(e.to_string()))?;
    Ok(Box::new(servers))
}

fn client(a: &SeatArgs) -> Result<SeatClient, Failure> {
    let (first, rest) = a
        .servers
        .split_first()
        .ok_or_else(|| Failure::Usage("give --server URL".into()))?;
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    let c = SeatClient::new(first, &a.product, &a.holder, server_check(a)?)
        .and_then(|c| c.with_failover(&rest))
        .map(|c| c.with_identity(&a.user, &a.machine))
        .map_err(|e| Failure::Usage(e.to_string()))?;
    // The holder key and the lease, kept 0600 and replaced atomically at every change.
    c.with_lease_file(&a.lease_file)
        .map_err(|e| Failure::Refused(e.to_string()))
}

fn load(c: &SeatClient, path: &Path) -> Result<HeldLease, Failure> {
    c.held().ok_or_else(|| {
        Failure::Refused(format!(
            "no live lease in {}; run `license-check seat acquire` first",
            path.display()
        ))
    })
}

fn held_line(l: &HeldLease) -> String {
    let limit = l.limit.map_or_else(|| "unlimited".into(), |n| n.to_string());
    format!(
        "seat held by {} until {}{} ({} of {limit} seats in use)\n",
        l.claims.holder,
        utc(l.expires_ms()),
        if l.claims.borrowed { ", borrowed" } else { "" },
        l.in_use
    )
}

fn refused(e: SeatError) -> Result<ExitCode, Failure> {
    match e {
        SeatError::Unreachable { .. } => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(3))
        }
        e => Err(Failure::Refused(e.to_string())),
    }
}

pub fn run(cmd: SeatCommand) -> Result<ExitCode, Failure> {
    match cmd {
        SeatCommand::Acquire {
            common,
            ttl,
            borrow_days,
        } => {
            let c = client(&common)?;
            let got = match borrow_days {
                Some(days) => c.borrow(days),
                None => c.acquire(ttl),
            };
            match got {
                Ok(l) => {
                    print(held_line(&l))?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e),
            }
        }
        SeatCommand::Heartbeat { common } => {
            let c = client(&common)?;
            load(&c, &common.lease_file)?;
            match c.heartbeat() {
                Ok(Heartbeat::Renewed(l)) => {
                    print(held_line(&l))?;
                    Ok(ExitCode::SUCCESS)
                }
                Ok(Heartbeat::Unreachable { expires_ms, cause }) => {
                    print(format!(
                        "server unreachable ({cause}); the seat is kept until {}\n",
                        utc(expires_ms)
                    ))?;
                    Ok(ExitCode::from(3))
                }
                Err(e) => {
                    if matches!(e, SeatError::LeaseLost { .. }) {
                        let _ = std::fs::remove_file(&common.lease_file);
                    }
                    refused(e)
                }
            }
        }
        SeatCommand::Release { common } => {
            let c = client(&common)?;
            load(&c, &common.lease_file)?;
            match c.release() {
                Ok(removed) => {
                    let _ = std::fs::remove_file(&common.lease_file);
                    print(if removed {
                        format!("seat of {} released\n", common.holder)
                    } else {
                        format!("{} held no seat any more (expired or freed)\n", common.holder)
                    })?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e),
            }
        }
        SeatCommand::Status { common } => {
            // Asks the server: exit 0 only when it still holds this holder's lease; 1 when
            // it does not (or there is no lease file); 3 when it cannot be reached.
            let c = client(&common)?;
            let mut out = match c.status() {
                Ok(s) => {
                    let limit = s.limit.map_or_else(|| "unlimited".into(), |n| n.to_string());
                    format!(
                        "{}: {} of {limit} seats in use, peak {}; license {}\n",
                        s.product, s.in_use, s.peak, s.license_status
                    )
                }
                Err(e) => return refused(e),
            };
            if !common.lease_file.exists() {
                out.push_str(&format!("{} holds no seat (no lease file)\n", common.holder));
                print(out)?;
                return Ok(ExitCode::from(1));
            }
            let local = match load(&c, &common.lease_file) {
                Ok(l) => l,
                Err(Failure::Refused(m) | Failure::Usage(m)) => {
                    out.push_str(&format!("{} holds no seat (lease file: {m})\n", common.holder));
                    print(out)?;
                    return Ok(ExitCode::from(1));
                }
            };
            match c.check() {
                Ok(l) => {
                    out.push_str(&format!(
                        "this holder's seat is held; its lease runs until {}\n",
                        utc(l.expires_ms())
                    ));
                    print(out)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(SeatError::LeaseLost { message }) => {
                    let _ = std::fs::remove_file(&common.lease_file);
                    out.push_str(&format!(
                        "{} holds no seat: the server no longer holds its lease ({message})\n",
                        common.holder
                    ));
                    print(out)?;
                    Ok(ExitCode::from(1))
                }
                Err(SeatError::Unreachable { cause, .. }) => {
                    out.push_str(&format!(
                        "server unreachable ({cause}); the lease file's seat runs until {}\n",
                        utc(local.expires_ms())
                    ));
                    print(out)?;
                    Ok(ExitCode::from(3))
                }
                Err(e) => refused(e),
            }
        }
    }
}
