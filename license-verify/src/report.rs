//! Plain-words reports, shared by `license-check` and the vendor's `licensectl`.

use std::fmt;

use license_core::{Date, License, MachineMatch, Release, Status, words};

use crate::verification::Verification;

/// The scope of a license in plain words; see [`describe_scope`].
#[derive(Clone, Copy, Debug)]
pub struct ScopeDescription<'a> {
    license: &'a License,
    module_names: &'a [String],
    line_names: &'a [String],
}

/// Describe what `license` grants, naming modules with `module_names` (index = module
/// number; unnamed modules are shown by number). One `Label: value` line per item.
pub fn describe_scope<'a>(license: &'a License, module_names: &'a [String]) -> ScopeDescription<'a> {
    ScopeDescription {
        license,
        module_names,
        line_names: &[],
    }
}

impl<'a> ScopeDescription<'a> {
    /// Name product lines with `line_names` (index = line number; unnamed lines are shown
    /// by number).
    #[must_use]
    pub const fn with_lines(self, line_names: &'a [String]) -> Self {
        ScopeDescription { line_names, ..self }
    }
}

fn last_day(exclusive_end: Date) -> Date {
    exclusive_end.saturating_add_days(-1)
}

fn count(f: &mut fmt::Formatter<'_>, n: Option<u32>, what: &str) -> fmt::Result {
    write!(f, "{}", words::count(n, what))
}

impl fmt::Display for ScopeDescription<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.license;
        write!(
            f,
            "License:          {} revision {} ({} license, product line ",
            l.license_id, l.revision, l.kind
        )?;
        match self
            .line_names
            .get(usize::from(l.line.get()))
            .filter(|n| !n.is_empty())
        {
            Some(name) => writeln!(f, "{name})")?,
            None => writeln!(f, "{})", l.line.get())?,
        }
        f.write_str("Users:            ")?;
        count(f, l.named_users, "named users")?;
        f.write_str(", ")?;
        count(f, l.concurrent_seats, "concurrent seats")?;
        f.write_str("\nModules:          ")?;
        if l.modules.is_empty() {
            f.write_str("none")?;
        }
        if l.modules.is_all() {
            // Every module, present and future: the named ones, and any added later.
            f.write_str("all, present and future")?;
            let named: Vec<&str> = self
                .module_names
                .iter()
                .map(String::as_str)
                .filter(|n| !n.is_empty())
                .collect();
            if !named.is_empty() {
                write!(f, " ({})", named.join(", "))?;
            }
        }
        for (i, n) in l.modules.iter().enumerate().take_while(|_| !l.modules.is_all()) {
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
                write!(
                    f,
                    " to {} inclusive, then {}",
                    last_day(e),
                    words::after_expiry(l)
                )?;
            }
        }
        f.write_str("\nMaintenance:      ")?;
        write!(f, "{}", words::Maintenance(l.maintenance_ends))?;
        f.write_str("\nBound to:         product, licensee")?;
        if l.binding.database {
            f.write_str(", database code")?;
        }
        if let Some(m) = &l.binding.machine {
            write!(f, ", {}", words::Machine(m))?;
        }
        writeln!(f, "\nIssued:           {}", l.issued)
    }
}

/// A status in plain words with what to do about it, e.g. `expiring soon: 12 days left
/// (last day 2026-12-03); ask the vendor for the renewal code`: the words of
/// [`license_core::words`], shared with the vendor's tool.
pub fn describe_status(status: &Status) -> String {
    match words::advice(status) {
        Some(advice) => format!("{}; {advice}", words::status(status)),
        None => words::status(status).to_string(),
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
    if !m.tolerated.is_empty() {
        write!(f, "; unreadable to this user, tolerated: {}", m.tolerated)?;
    }
    writeln!(f)
}

/// The line said for [`Verification::first_run`], by this report and the command lines.
pub const FIRST_RUN_LINE: &str = "State file:       FIRST RUN of this installation: no state file was found, the guards (clock, replay, revocation) start afresh; expected once after installing, otherwise the state file was deleted or moved";

/// The scope, the status, the release coverage and what is allowed now.
impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        describe_scope(self.license(), self.module_names())
            .with_lines(self.line_names())
            .fmt(f)?;
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
        if self.first_run() {
            writeln!(f, "{FIRST_RUN_LINE}")?;
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
