//! The outcome of a successful verification: what the application may do now.

use std::sync::Arc;

use license_core::{
    Date, Evaluation, Kind, License, MachineMatch, ModuleSet, ProductLine, Release, Status, VerifiedLicense,
};

use crate::delegated::Issuer;
use crate::guards::{PendingChange, RevocationListInfo};

/// A verified code and its effective entitlements today. Effective means: nothing when
/// the license is not usable (not yet valid, expired, release not covered), the demo
/// seat count in demo mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    verified: VerifiedLicense,
    evaluation: Evaluation,
    today: Date,
    modules: Arc<[String]>,
    pending: Option<PendingChange>,
    revocation: Option<RevocationListInfo>,
    issuer: Option<Issuer>,
    first_run: bool,
    lines: Arc<[String]>,
}

impl Verification {
    pub(crate) fn new(
        verified: VerifiedLicense,
        evaluation: Evaluation,
        today: Date,
        modules: Arc<[String]>,
        pending: Option<PendingChange>,
        revocation: Option<RevocationListInfo>,
    ) -> Verification {
        Verification {
            verified,
            evaluation,
            today,
            modules,
            pending,
            revocation,
            issuer: None,
            first_run: false,
            lines: Arc::from(Vec::new()),
        }
    }

    /// With the product line names the application configured.
    pub(crate) fn with_lines(mut self, lines: Arc<[String]>) -> Verification {
        self.lines = lines;
        self
    }

    /// The product line's name as the application configured it
    /// (`VerifierBuilder::lines`, from the vendor's catalog), if it has one.
    pub fn line_name(&self) -> Option<&str> {
        self.lines
            .get(usize::from(self.line().get()))
            .map(String::as_str)
            .filter(|n| !n.is_empty())
    }

    /// The line names the application configured (index = line number).
    pub fn line_names(&self) -> &[String] {
        &self.lines
    }

    /// Marked as the first run of this installation (see [`Verification::first_run`]).
    pub(crate) fn with_first_run(mut self, first_run: bool) -> Verification {
        self.first_run = first_run;
        self
    }

    /// **First run of this installation**: a state file is configured but none was found
    /// when this code was verified, so the guards (clock, replay, revocation) started
    /// afresh. That is expected once, at installation; later it means the state file was
    /// deleted or moved. `docs/SECURITY.md` ("A deleted or restored state file") asks
    /// hosts to treat "data but no license state" as suspicious: log it, or ask support
    /// to confirm. Always `false` without a state file. A state file restored from an
    /// older backup carries a valid tag and cannot be told from the current one offline.
    pub const fn first_run(&self) -> bool {
        self.first_run
    }

    /// With the reseller chain of a reseller's code.
    pub(crate) fn with_issuer(mut self, issuer: Option<Issuer>) -> Verification {
        self.issuer = issuer;
        self
    }

    /// For a reseller's code: the resellers that issued it (the signer last); `None` for
    /// a code the vendor signed itself.
    pub const fn issuer(&self) -> Option<&Issuer> {
        self.issuer.as_ref()
    }

    /// The verified code, from `license-core`.
    pub const fn verified(&self) -> &VerifiedLicense {
        &self.verified
    }

    /// The licensed scope as signed (not reduced by the status).
    pub const fn license(&self) -> &License {
        self.verified.license()
    }

    /// Status, release coverage and effective user and seat counts.
    pub const fn evaluation(&self) -> &Evaluation {
        &self.evaluation
    }

    /// The status: valid, expiring soon, in grace, demo mode, not yet valid, expired.
    pub const fn status(&self) -> Status {
        self.evaluation.status
    }

    /// Whether this release is covered by maintenance.
    pub const fn release(&self) -> Release {
        self.evaluation.release
    }

    /// Whether the application may run now (usable status and covered release).
    pub const fn is_usable(&self) -> bool {
        self.evaluation.is_usable()
    }

    /// The day the verification was made for.
    pub const fn today(&self) -> Date {
        self.today
    }

    /// The module names the application configured (index = module number).
    pub fn module_names(&self) -> &[String] {
        &self.modules
    }

    /// Whether the module with this name may be used now (see
    /// `VerifierBuilder::modules`); `false` for unknown names and when not usable.
    pub fn has_module(&self, name: &str) -> bool {
        self.modules
            .iter()
            .position(|m| m == name)
            .and_then(|i| u8::try_from(i).ok())
            .is_some_and(|n| self.has_module_number(n))
    }

    /// Whether module number `n` may be used now.
    pub const fn has_module_number(&self, n: u8) -> bool {
        self.is_usable() && self.license().modules.contains(n)
    }

    /// The modules usable now (empty when not usable).
    pub const fn modules(&self) -> ModuleSet {
        if self.is_usable() {
            self.license().modules
        } else {
            ModuleSet::EMPTY
        }
    }

    /// Named users allowed now; `None` = not limited.
    pub const fn named_users(&self) -> Option<u32> {
        if matches!(self.evaluation.release, Release::Covered) {
            self.evaluation.named_users
        } else {
            Some(0)
        }
    }

    /// Concurrent seats allowed now (the size of a `SeatPool`); `None` = not limited.
    pub const fn concurrent_seats(&self) -> Option<u32> {
        if matches!(self.evaluation.release, Release::Covered) {
            self.evaluation.concurrent_seats
        } else {
            Some(0)
        }
    }

    /// The product line.
    pub const fn line(&self) -> ProductLine {
        self.license().line
    }

    /// Full, trial, subscription or NFR.
    pub const fn kind(&self) -> Kind {
        self.license().kind
    }

    /// The license id.
    pub const fn license_id(&self) -> u32 {
        self.license().license_id
    }

    /// The revision of this code.
    pub const fn revision(&self) -> u32 {
        self.license().revision
    }

    /// The day the code was signed.
    pub const fn issued(&self) -> Date {
        self.license().issued
    }

    /// The first valid day.
    pub const fn valid_from(&self) -> Date {
        self.license().valid_from
    }

    /// The first day no longer valid; `None` = perpetual.
    pub const fn expires(&self) -> Option<Date> {
        self.license().expires
    }

    /// The end of maintenance (releases built before it are covered); `None` = all releases.
    pub const fn maintenance_ends(&self) -> Option<Date> {
        self.license().maintenance_ends
    }

    /// For a machine-bound code: which components matched, changed (within the
    /// tolerance) or were unreadable.
    pub const fn machine_match(&self) -> Option<&MachineMatch> {
        self.verified.machine_match()
    }

    /// A higher revision of this license that takes effect later (a reduction next
    /// quarter, or the next term's renewal code entered early); from its first day this
    /// code is refused as superseded.
    pub const fn pending_change(&self) -> Option<PendingChange> {
        self.pending
    }

    pub(crate) fn with_pending(self, pending: Option<PendingChange>) -> Verification {
        Verification { pending, ..self }
    }

    /// The installed revocation list.
    pub const fn revocation_list(&self) -> Option<RevocationListInfo> {
        self.revocation
    }
}
