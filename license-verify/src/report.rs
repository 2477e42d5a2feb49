//! Plain-words reports, shared by `license-check` and the vendor's `licensectl`.

use std::fmt;

use license_core::{Date, License, MachineMatch, Release, Status};

use crate::Verification;

/// The scope of a license in plain words; see [`describe_scope`].
#[derive(Clone, Copy, Debug)]
pub struct ScopeDescription<'a> {
    license: &'a License,
    module_names: &'a [String],
}

/// Describe what `license` grants, naming modules with `module_names` (index = module
/// number; unnamed modules are shown by number). One `Label: value` line per item.
pub fn describe_scope<'a>(license: &'a License, module_names: &'a [String]) -> ScopeDescription<'a> {
    ScopeDescription {
        license,
        module_names,
    }
}

fn last_day(exclusive_end: Date) -> Date {
    exclusive_end.saturating_add_days(-1)
}

fn count(f: &mut fmt::Formatter<'_>, n: Option<u32>, what: &str) -> fmt::Result {
    match n {
        Some(n) => write!(f, "{n} {what}"),
        None => write!(f, "unlimited {what}"),
    }
}

impl fmt::Display for ScopeDescription<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.license;
        writeln!(
            f,
            "License:          {} revision {} ({} license, product line {})",
            l.license_id,
            l.revision,
            l.kind,
            l.line.get()
        )?;
        f.write_str("Users:            ")?;
        count(f, l.named_users, "named users")?;
        f.write_str(", ")?;
        count(f, l.concurrent_seats, "concurrent seats")?;
        f.write_str("\nModules:          ")?;
        if l.modules.is_empty() {
            f.write_str("none")?;
        }
        for (i, n) in l.modules.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match self.module_names.get(usize::from(n)) {
                Some(name) => f.write_str(name)?,
                None => write!(f, "module {n}")?,
            }
        }
        write!(f, "\nValid:            from {}", l.valid_from)?;
        match l.expires {
            None => f.write_str(", perpetual")?,
            Some(e) => {
                write!(f, " to {} inclusive", last_day(e))?;
                if l.grace_days > 0 {
                    write!(f, ", then {} days of grace", l.grace_days)?;
                }
                if l.demo_seats > 0 {
                    write!(f, ", then demo mode with {} seats", l.demo_seats)?;
                }
            }
        }
        f.write_str("\nMaintenance:      ")?;
        match l.maintenance_ends {
            None => f.write_str("every release")?,
            Some(m) => write!(f, "releases built up to {} inclusive", last_day(m))?,
        }
        f.write_str("\nBound to:         product, licensee")?;
        if l.binding.database {
            f.write_str(", database code")?;
        }
        if let Some(m) = &l.binding.machine {
            write!(
                f,
                ", a machine ({}; up to {} may change)",
                m.components(),
                m.tolerance()
            )?;
        }
        writeln!(f, "\nIssued:           {}", l.issued)
    }
}

/// A status in plain words, e.g. `expiring soon: 12 days left (last day 2026-12-03)`.
pub fn describe_status(status: &Status) -> String {
    match *status {
        Status::Valid => "valid".to_owned(),
        Status::NotYetValid { starts } => format!("not yet valid: starts on {starts}"),
        Status::ExpiringSoon { expires, days_left } => {
            format!(
                "expiring soon: {days_left} days left (last day {}); ask the vendor for the renewal code",
                last_day(expires)
            )
        }
        Status::InGrace { expired, days_left } => format!(
            "expired on {expired}, in grace: fully usable for {days_left} more days; enter a renewal code"
        ),
        Status::DemoMode { seats, expired } => {
            format!("expired on {expired}, demo mode: {seats} seats; enter a new code to leave demo mode")
        }
        Status::Expired { expired } => format!("expired on {expired}: enter a new code"),
        Status::Replaced { on } => format!("replaced on {on}: enter the code valid from {on}"),
    }
}

fn describe_machine(f: &mut fmt::Formatter<'_>, m: &MachineMatch) -> fmt::Result {
    write!(f, "This machine:     matches ({})", m.matched)?;
    if !m.changed.is_empty() {
        write!(f, "; changed within tolerance: {}", m.changed)?;
    }
    if !m.unknown.is_empty() {
        write!(f, "; unreadable: {}", m.unknown)?;
    }
    writeln!(f)
}

/// The scope, the status, the release coverage and what is allowed now.
impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        describe_scope(self.license(), self.module_names()).fmt(f)?;
        writeln!(f, "Status:           {}", describe_status(&self.status()))?;
        match self.release() {
            Release::Covered => writeln!(f, "This release:     covered by maintenance")?,
            Release::NotCovered { maintenance_ended } => writeln!(
                f,
                "This release:     NOT covered: maintenance ended on {maintenance_ended}; use a release built before that day, or renew maintenance"
            )?,
        }
        f.write_str("Allowed now:      ")?;
        count(f, self.named_users(), "named users")?;
        f.write_str(", ")?;
        count(f, self.concurrent_seats(), "concurrent seats")?;
        writeln!(f)?;
        if let Some(m) = self.machine_match() {
            describe_machine(f, m)?;
        }
        if let Some(p) = self.pending_change() {
            writeln!(
                f,
                "Scheduled:        revision {} takes effect on {}; this code stops working that day",
                p.revision, p.starts
            )?;
        }
        if let Some(r) = self.revocation_list() {
            write!(
                f,
                "Revocation list:  number {}, {} entries",
                r.sequence, r.entries
            )?;
            if self.today() >= r.expires {
                writeln!(f, ", out of date since {}: install a current list", r.expires)?;
            } else {
                writeln!(f, ", current to {} inclusive", last_day(r.expires))?;
            }
        }
        Ok(())
    }
}
