//! The outcome of matching a machine against a binding: which bound components matched,
//! changed or could not be read. Below `error`, which carries it when a machine does not
//! match.

use crate::component::ComponentSet;

/// The result of comparing a bound code with this machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MachineMatch {
    /// Bound components whose digest this machine has.
    pub matched: ComponentSet,
    /// Bound components this machine reports differently.
    pub changed: ComponentSet,
    /// Bound components this machine could not read (no permission, container).
    pub unknown: ComponentSet,
    /// Bound components this machine could not read and the host tolerates as merely
    /// unreadable ([`MachineFingerprint::tolerate_unreadable`](crate::MachineFingerprint::tolerate_unreadable)): they count neither as
    /// changed nor as unreadable, and the majority of all bound components must still match.
    pub tolerated: ComponentSet,
    /// How many components may differ.
    pub tolerance: u8,
    /// How many components must positively match.
    pub required: u8,
    /// Whether unreadable components count against the tolerance (format 2; format 1
    /// counted them neither way).
    pub unreadable_counts: bool,
}

impl MachineMatch {
    /// What to do about a mismatch. When no bound component matches although some were
    /// read, the likelier cause than a replaced machine is a fingerprint made for another
    /// product (each product keys its fingerprint with its own app key) or on another
    /// machine.
    pub const fn advice(&self) -> &'static str {
        if self.changed.is_empty() && !self.unknown.is_empty() {
            "nothing changed, but components read when the fingerprint was taken are unreadable here: take the fingerprint as the user the product runs as (a fingerprint taken as root leaves out what only root can read unless asked), or let the host tolerate components it merely cannot read"
        } else if self.matched.is_empty() && !self.changed.is_empty() {
            "no component matches: the code was issued for another machine, or the fingerprint was made for another product (each product keys its own); send the fingerprint this product shows on this machine to the vendor"
        } else {
            "if this machine was replaced, ask the vendor to move the license"
        }
    }

    /// The rule. Format 2: changed plus unreadable at most `tolerance`, a majority of the
    /// bound components positively matched, among them at least one strong component
    /// (not only the CPU). Format 1: changed at most `tolerance` (unreadable counts
    /// neither way), at least half matched, one of them strong. Tolerated components
    /// (`tolerated`) count neither way in both formats; the majority is still of all bound
    /// components.
    pub const fn is_match(&self) -> bool {
        let against = if self.unreadable_counts {
            self.changed.len() + self.unknown.len()
        } else {
            self.changed.len()
        };
        against <= self.tolerance && self.matched.len() >= self.required && self.matched.has_strong()
    }
}
