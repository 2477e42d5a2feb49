//! The seat limit, from the vendor's verified code only: [`SeatLicense::check`] verifies
//! the license file with `license_verify::Verifier` (state file, guards, revocation list,
//! database or machine binding) and yields the effective concurrent seats (the demo count
//! in demo mode). Nothing a client sends and no configuration value changes it.

use std::path::PathBuf;

use license_verify::license_core::{Date, PublicKey, SeatServerDigest, UntrustedCode};
use license_verify::{Verifier, describe_status};

use crate::error::Error;

/// The state file's name in the data directory.
pub const STATE_FILE: &str = "license.state";
/// The state file's integrity secret. The customer can read the server's binary, so this
/// detects corruption and copies between products, not a determined local administrator
/// (see docs/SECURITY.md).
const STATE_SECRET: &[u8] = b"license-server state file v1 (integrity, not secrecy)";

/// Where the license comes from.
#[derive(Clone, Debug)]
pub struct LicenseConfig {
    /// The license file (one or more codes).
    pub file: PathBuf,
    /// The vendor's public keys.
    pub keys: Vec<PublicKey>,
    /// The product id.
    pub product: String,
    /// The licensee as configured.
    pub licensee: String,
    /// The installation's database code, for database-bound codes.
    pub database: Option<String>,
    /// The data directory (state file).
    pub data_dir: PathBuf,
    /// A signed revocation list file, ingested at each check.
    pub revocations: Option<PathBuf>,
    /// The release build date checked against maintenance (default: the code's issue day,
    /// so a seat server keeps serving a perpetual license after maintenance ends).
    pub build_date: Option<Date>,
}

/// What the verified code grants now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LicenseGrant {
    /// Concurrent seats now (always `Some`: a code without a seat count is refused with
    /// [`Error::NoSeatCount`]).
    pub seats: Option<u32>,
    /// The status in words (valid, expiring soon, demo mode, ...).
    pub status: String,
    /// The seat server the code names (its key's digest), if any.
    pub seat_server: Option<SeatServerDigest>,
}

impl LicenseGrant {
    /// Whether this grant lets the server with `public_key` serve seats: the code names
    /// that server, or names none and `allow_unbound` is set.
    pub fn check_server(&self, public_key: &[u8; 32], allow_unbound: bool) -> Result<(), Error> {
        match self.seat_server {
            Some(d) if d.matches(public_key) => Ok(()),
            Some(_) => Err(Error::OtherServer {
                key: hex::encode(public_key),
            }),
            None if allow_unbound => Ok(()),
            None => Err(Error::UnboundLicense {
                key: hex::encode(public_key),
            }),
        }
    }
}

/// The verifier for the server's license.
#[derive(Debug)]
pub struct SeatLicense {
    verifier: Verifier,
    config: LicenseConfig,
}

fn read_text(path: &PathBuf) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })
}

impl SeatLicense {
    /// Build the verifier (the code itself is checked by [`check`](Self::check)).
    pub fn open(config: LicenseConfig) -> Result<SeatLicense, Error> {
        let build_date = match config.build_date {
            Some(d) => d,
            None => {
                let text = read_text(&config.file)?;
                let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
                UntrustedCode::parse(first)
                    .map_err(|e| Error::License(license_verify::Error::from(e)))?
                    .unverified_license()
                    .issued
            }
        };
        let mut builder = Verifier::builder(config.keys.clone(), config.product.clone(), build_date)
            .licensee(config.licensee.clone())
            .state_file(config.data_dir.join(STATE_FILE), STATE_SECRET);
        if let Some(db) = &config.database {
            builder = builder.database(db.clone());
        }
        Ok(SeatLicense {
            verifier: builder.build()?,
            config,
        })
    }

    /// The product id.
    pub fn product(&self) -> &str {
        &self.config.product
    }

    /// The licensee.
    pub fn licensee(&self) -> &str {
        &self.config.licensee
    }

    /// Verify the license file now: the effective seats, or why there are none.
    pub fn check(&self) -> Result<LicenseGrant, Error> {
        if let Some(list) = &self.config.revocations {
            self.verifier.ingest_revocation_file(list)?;
        }
        let v = self.verifier.verify_file(&self.config.file)?;
        let status = describe_status(&v.status());
        if !v.is_usable() {
            return Err(Error::LicenseNotUsable { status });
        }
        let seats = v.concurrent_seats();
        if seats.is_none() {
            return Err(Error::NoSeatCount { status });
        }
        if seats == Some(0) {
            return Err(Error::LicenseNotUsable {
                status: format!("{status}, with no concurrent seats"),
            });
        }
        Ok(LicenseGrant {
            seats,
            status,
            seat_server: v.verified().seat_server().copied(),
        })
    }
}
