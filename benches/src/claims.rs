//! The reference scope as the other formats carry it: a JSON object with the field
//! names hosted licensing services and JWT/PASETO users typically choose, dates as ISO
//! strings, modules as entitlement names, the machine as its component digests.
//!
//! After a token verifies, every format goes through the same [`Claims::check`]: the
//! product and licensee are compared with the installation, the machine binding is
//! matched, and the status is evaluated with license-core's own `evaluate`. So the
//! formats differ only in what they must: encoding, signature and parsing.

use license_core::{
    Binding, Component, ComponentDigest, ComponentSet, Date, Evaluation, Kind, License, MachineBinding,
    MachineFingerprint, ModuleSet, Policy, ProductLine,
};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Module names of the demo product's catalog, by module number.
pub const MODULES: [&str; 4] = ["crm", "budget", "planning", "bi"];
/// Product line names of the demo product's catalog, by line number.
pub const LINES: [&str; 2] = ["standard", "expert"];

/// A machine binding as JSON: one hex digest per bound component and the tolerance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintClaim {
    /// OS install id digest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// Hardware UUID digest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hw: Option<String>,
    /// CPU digest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    /// Network adapters digest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net: Option<String>,
    /// How many components may have changed.
    pub tolerance: u8,
}

/// The license scope as the JSON payload of a token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claims {
    /// License id.
    pub id: u32,
    /// Revision (re-issue counter).
    pub revision: u32,
    /// Product id.
    pub product: String,
    /// Licensee name.
    pub licensee: String,
    /// full, trial, subscription, nfr.
    pub kind: String,
    /// Product line name.
    pub edition: String,
    /// Named users; absent = unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_users: Option<u32>,
    /// Concurrent seats; absent = unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrent: Option<u32>,
    /// Seats in demo mode after grace.
    pub demo_seats: u32,
    /// Licensed modules by name.
    pub entitlements: Vec<String>,
    /// Issue date.
    pub issued: String,
    /// First valid day.
    pub valid_from: String,
    /// First day no longer valid; absent = perpetual.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    /// Days of grace after expiry.
    pub grace_days: u16,
    /// Releases built before this day are covered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance_expiry: Option<String>,
    /// Machine binding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<FingerprintClaim>,
}

fn claims_err(what: &str) -> Error {
    Error::Claims(what.to_owned())
}

fn digest_hex(b: &MachineBinding, c: Component) -> Option<String> {
    let width = usize::from(b.digest_bits() / 4);
    b.digest(c).map(|d| format!("{d:0width$x}"))
}

fn parse_digest(s: &Option<String>) -> Result<Option<u32>, Error> {
    s.as_deref()
        .map(|h| u32::from_str_radix(h, 16).map_err(|_| claims_err("fingerprint digest")))
        .transpose()
}

fn parse_date(s: &str) -> Result<Date, Error> {
    Date::parse(s).map_err(|_| claims_err("date"))
}

/// Licensee comparison with license-core's normalization (white space collapsed,
/// ASCII case ignored), without allocating.
fn same_licensee(a: &str, b: &str) -> bool {
    let mut x = a.split_ascii_whitespace();
    let mut y = b.split_ascii_whitespace();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => {}
            _ => return false,
        }
    }
}

impl Claims {
    /// The claims for `license` issued to `licensee` for `product`.
    pub fn new(license: &License, product: &str, licensee: &str) -> Claims {
        let fingerprint = license.binding.machine.map(|b| FingerprintClaim {
            os: digest_hex(&b, Component::OsInstallId),
            hw: digest_hex(&b, Component::HardwareUuid),
            cpu: digest_hex(&b, Component::Cpu),
            net: digest_hex(&b, Component::Network),
            tolerance: b.tolerance(),
        });
        Claims {
            id: license.license_id,
            revision: license.revision,
            product: product.to_owned(),
            licensee: licensee.to_owned(),
            kind: license.kind.name().to_owned(),
            edition: LINES
                .get(usize::from(license.line.get()))
                .map_or_else(|| license.line.get().to_string(), |s| (*s).to_owned()),
            max_users: license.named_users,
            max_concurrent: license.concurrent_seats,
            demo_seats: license.demo_seats,
            entitlements: license
                .modules
                .iter()
                .map(|n| {
                    MODULES
                        .get(usize::from(n))
                        .map_or_else(|| n.to_string(), |s| (*s).to_owned())
                })
                .collect(),
            issued: license.issued.to_string(),
            valid_from: license.valid_from.to_string(),
            expiry: license.expires.map(|d| d.to_string()),
            grace_days: license.grace_days,
            maintenance_expiry: license.maintenance_ends.map(|d| d.to_string()),
            fingerprint,
        }
    }

    /// The scope these claims grant.
    pub fn license(&self) -> Result<License, Error> {
        let kind = Kind::ALL
            .into_iter()
            .find(|k| k.name() == self.kind)
            .ok_or_else(|| claims_err("kind"))?;
        let line = LINES
            .iter()
            .position(|l| *l == self.edition)
            .and_then(|n| ProductLine::new(n as u8))
            .ok_or_else(|| claims_err("edition"))?;
        let mut modules = ModuleSet::EMPTY;
        for e in &self.entitlements {
            let n = MODULES
                .iter()
                .position(|m| m == e)
                .ok_or_else(|| claims_err("entitlement"))?;
            modules = modules.with(n as u8);
        }
        let machine = match &self.fingerprint {
            None => None,
            Some(f) => {
                let mut set = ComponentSet::EMPTY;
                let mut digests = [0u32; 4];
                for (c, d) in [
                    (Component::OsInstallId, &f.os),
                    (Component::HardwareUuid, &f.hw),
                    (Component::Cpu, &f.cpu),
                    (Component::Network, &f.net),
                ] {
                    if let Some(d) = parse_digest(d)? {
                        set = set.with(c);
                        digests[usize::from(c.index())] = d;
                    }
                }
                // The carried prefixes, as wide as the binding's shape makes them (format 2).
                let bits = license_core::format_2_digest_bits(set, f.tolerance);
                let full = digests.map(|d| {
                    let v = d << (24 - u32::from(bits));
                    ComponentDigest::from_bytes([(v >> 16) as u8, (v >> 8) as u8, v as u8])
                });
                let mut all = [ComponentDigest::default(); license_core::COMPONENTS];
                all[..4].copy_from_slice(&full);
                Some(MachineBinding::new(set, all, f.tolerance)?)
            }
        };
        Ok(License {
            license_id: self.id,
            revision: self.revision,
            kind,
            line,
            named_users: self.max_users,
            concurrent_seats: self.max_concurrent,
            demo_seats: self.demo_seats,
            modules,
            issued: parse_date(&self.issued)?,
            valid_from: parse_date(&self.valid_from)?,
            expires: self.expiry.as_deref().map(parse_date).transpose()?,
            grace_days: self.grace_days,
            maintenance_ends: self.maintenance_expiry.as_deref().map(parse_date).transpose()?,
            binding: Binding {
                database: false,
                machine,
                seat_server: None,
            },
            interim: false,
        })
    }

    /// What every format does after its signature verified: compare product and
    /// licensee with the installation, match the machine, evaluate the status.
    pub fn check(
        &self,
        installation: &Installation<'_>,
        today: Date,
        build_date: Date,
        policy: &Policy,
    ) -> Result<Evaluation, Error> {
        if self.product != installation.product {
            return Err(Error::Mismatch("product"));
        }
        if !same_licensee(&self.licensee, installation.licensee) {
            return Err(Error::Mismatch("licensee"));
        }
        let license = self.license()?;
        if let Some(binding) = &license.binding.machine {
            let machine = installation
                .machine
                .ok_or(Error::Mismatch("machine fingerprint missing"))?;
            if !binding.check(machine).is_match() {
                return Err(Error::Mismatch("machine"));
            }
        }
        Ok(license_core::evaluate(&license, today, build_date, policy))
    }
}

/// What the installation knows about itself, for the token formats.
#[derive(Clone, Copy, Debug)]
pub struct Installation<'a> {
    /// Product id.
    pub product: &'a str,
    /// Configured licensee.
    pub licensee: &'a str,
    /// This machine's fingerprint.
    pub machine: Option<&'a MachineFingerprint>,
}
