//! The `Verifier`: built once at start-up, checks a code against this installation and
//! the guards, and returns what the application may do.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use license_core::{
    ComponentSet, Context, Date, MachineFingerprint, Policy, PublicKey, Status, UntrustedRevocationList,
};

use crate::delegated::AnyCode;
use crate::diagnostics;
use crate::error::Error;
use crate::fingerprint::{self, CollectedFingerprint};
use crate::guards::{Guards, RevocationListInfo};
use crate::state::StateFile;
use crate::time::Utc;
use crate::verification::Verification;

/// Default tolerance of the clock guard: one hour.
pub const DEFAULT_CLOCK_TOLERANCE_SECS: i64 = 3600;
/// The high-water mark alone is written to the state file at most this often (seconds),
/// so a start-up normally does not wait for the disk. Other changes are written at once.
pub const HIGH_WATER_WRITE_INTERVAL_SECS: i64 = 600;
/// Longest license code file read.
const MAX_CODE_FILE: u64 = 64 * 1024;
/// Longest revocation list file read.
const MAX_LIST_FILE: u64 = 16 << 20;

/// Where the machine fingerprint comes from.
#[derive(Clone, Debug)]
enum Machine {
    /// Collected by this crate when a machine-bound code is verified.
    Collect { app_key: Vec<u8> },
    /// Supplied by the host application.
    Supplied(Box<MachineFingerprint>),
}

/// Configures a [`Verifier`]. Start with [`Verifier::builder`].
#[derive(Debug)]
#[must_use]
pub struct VerifierBuilder {
    keys: Vec<PublicKey>,
    product: String,
    build_date: Date,
    licensee: Option<String>,
    database: Option<String>,
    machine: Option<Machine>,
    modules: Vec<String>,
    lines: Vec<String>,
    state: Option<(PathBuf, Vec<u8>)>,
    state_read_only: bool,
    tolerate_unreadable: ComponentSet,
    policy: Policy,
    clock_tolerance: i64,
}

impl VerifierBuilder {
    /// The licensee as configured in the installation.
    pub fn licensee(mut self, licensee: impl Into<String>) -> Self {
        self.licensee = Some(licensee.into());
        self
    }

    /// The installation's database code (for codes bound to a database).
    pub fn database(mut self, code: impl Into<String>) -> Self {
        self.database = Some(code.into());
        self
    }

    /// Use this machine's fingerprint supplied by the host (instead of collecting it).
    pub fn machine_fingerprint(mut self, fingerprint: MachineFingerprint) -> Self {
        self.machine = Some(Machine::Supplied(Box::new(fingerprint)));
        self
    }

    /// The application key the fingerprint's components are hashed with when this
    /// crate collects it (default: the product id bytes). Must match what the vendor's
    /// `fingerprint` tool used.
    pub fn fingerprint_app_key(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.machine = Some(Machine::Collect { app_key: key.into() });
        self
    }

    /// The application's module names: index `n` names module bit `n`, for
    /// [`Verification::has_module`].
    pub fn modules<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.modules = names.into_iter().map(Into::into).collect();
        self
    }

    /// The catalog's product line names: index `n` names line `n` (`Verification::line_name`,
    /// the report), as `licensectl catalog export` writes them (`LINES`). At most 16.
    pub fn lines<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.lines = names.into_iter().map(Into::into).collect();
        self
    }

    /// Keep the clock-rollback, replay and revocation guards in a state file at `path`
    /// (chosen by the host application), integrity-protected with `secret` (at least 16
    /// bytes, fixed per application, e.g. built into the binary). Without a state file
    /// the guards last only as long as the process.
    pub fn state_file(mut self, path: impl Into<PathBuf>, secret: impl Into<Vec<u8>>) -> Self {
        self.state = Some((path.into(), secret.into()));
        self
    }

    /// Read the state file and apply its guards, but never write it (nor create it):
    /// for a diagnostic check on a day other than today (`verify --date`), which must not
    /// move the installation's clock guard or record revisions and lists. What the
    /// verifications observe is kept in memory for the life of this verifier only.
    pub fn state_read_only(mut self, read_only: bool) -> Self {
        self.state_read_only = read_only;
        self
    }

    /// Tolerate these components of a machine-bound code when this process merely cannot
    /// read them (they exist, but the user the product runs as may not read them: the
    /// hardware UUID and the board serial on Linux are root-only). Such a component counts
    /// neither as changed nor as unreadable; the majority of all bound components must
    /// still match (`MachineFingerprint::tolerate_unreadable`, and the acceptance figures in
    /// `docs/SECURITY.md`). A missing source or a placeholder value is not tolerated. For a
    /// fingerprint the host supplies ([`VerifierBuilder::machine_fingerprint`]) every
    /// component of the set it has no digest for is tolerated: the host knows why. Default:
    /// none.
    pub fn tolerate_unreadable(mut self, components: ComponentSet) -> Self {
        self.tolerate_unreadable = components;
        self
    }

    /// How statuses are evaluated (notice window before expiry).
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// How far (seconds) the clock may be behind the latest time seen before it counts
    /// as turned back (default one hour).
    pub fn clock_tolerance_secs(mut self, secs: u32) -> Self {
        self.clock_tolerance = i64::from(secs);
        self
    }

    /// Check the configuration and load the state file. A state file that is corrupt
    /// or unreadable does not fail here: every verification reports it until it is
    /// restored or [`Verifier::reset_state`] is called.
    pub fn build(self) -> Result<Verifier, Error> {
        if self.keys.is_empty() {
            return Err(Error::Config("no vendor public key configured"));
        }
        let licensee = self.licensee.ok_or(Error::Config("no licensee configured"))?;
        let limit = license_core::MAX_CONTEXT_FIELD;
        if [Some(&self.product), Some(&licensee), self.database.as_ref()]
            .into_iter()
            .flatten()
            .any(|s| s.len() > limit)
        {
            return Err(Error::Config(
                "product id, licensee or database code longer than 255 bytes",
            ));
        }
        if self.modules.len() > usize::from(license_core::ModuleSet::CAPACITY) {
            return Err(Error::Config("more than 64 module names"));
        }
        if self.lines.len() > 16 {
            return Err(Error::Config("more than 16 product line names"));
        }
        let file = match self.state {
            Some((path, secret)) => {
                let mut ctx = Context::new(&self.product, &licensee);
                if let Some(db) = &self.database {
                    ctx = ctx.with_database(db);
                }
                Some(StateFile::new(
                    path,
                    &secret,
                    &self.product,
                    ctx.installation_id(),
                )?)
            }
            None => None,
        };
        let machine = match self.machine {
            None => Machine::Collect {
                app_key: self.product.as_bytes().to_vec(),
            },
            Some(Machine::Supplied(mut m)) => {
                let unknown = ComponentSet::from_bits(ComponentSet::ALL.bits() & !m.known().bits())
                    .unwrap_or(ComponentSet::EMPTY);
                m.tolerate_unreadable(self.tolerate_unreadable.intersection(unknown));
                Machine::Supplied(m)
            }
            Some(other) => other,
        };
        let state = GuardState::load(file, self.state_read_only);
        Ok(Verifier {
            keys: self.keys,
            product: self.product,
            build_date: self.build_date,
            licensee,
            database: self.database,
            machine,
            tolerate_unreadable: self.tolerate_unreadable,
            collected: OnceLock::new(),
            modules: self.modules.into(),
            lines: self.lines.into(),
            policy: self.policy,
            clock_tolerance: self.clock_tolerance,
            state: Mutex::new(state),
            time_floor: std::sync::atomic::AtomicI64::new(i64::MIN),
        })
    }
}

/// What the verifier knows about the state file.
#[derive(Debug)]
struct GuardState {
    guards: Guards,
    file: Option<StateFile>,
    /// Why the file could not be used; verification is refused while set.
    problem: Option<Error>,
    /// Changes not yet written.
    dirty: bool,
    /// The high-water mark last written.
    written_high_water: i64,
    /// Never write the file ([`VerifierBuilder::state_read_only`]).
    read_only: bool,
    /// A state file is configured and was missing at the last reading: the guards
    /// started afresh ([`Verification::first_run`]).
    first_run: bool,
}

impl GuardState {
    fn load(file: Option<StateFile>, read_only: bool) -> GuardState {
        let mut s = GuardState {
            guards: Guards::default(),
            file,
            problem: None,
            dirty: false,
            written_high_water: i64::MIN,
            read_only,
            first_run: false,
        };
        s.reload();
        s
    }

    /// (Re)read the file; a missing file is a first run, to be written at the next verification.
    fn reload(&mut self) {
        let Some(file) = &self.file else { return };
        match file.load() {
            Ok(Some(g)) => {
                self.written_high_water = g.high_water;
                self.guards.merge(&g);
                self.problem = None;
                self.first_run = false;
            }
            Ok(None) => {
                self.dirty = true;
                self.problem = None;
                self.first_run = true;
            }
            Err(e) => {
                diagnostics::state_problem(&e);
                self.problem = Some(e);
            }
        }
    }

    /// Read the file again (under the installation's lock, taken by the caller) and merge
    /// it, so what a sibling process has written (a revision, a revocation, a later time)
    /// holds here at once; refuse to work on a corrupt, foreign or unreadable file. A file
    /// restored from a backup is picked up without a restart.
    fn usable(&mut self) -> Result<(), Error> {
        self.reload();
        match &self.problem {
            None => Ok(()),
            Some(e) => Err(same_error(e)),
        }
    }

    /// The installation's exclusive lock on the state file, for one read-modify-write.
    fn file_lock(&self) -> Option<std::fs::File> {
        self.file.as_ref().and_then(StateFile::lock)
    }

    fn persist(&mut self) -> Result<(), Error> {
        let Some(file) = self.file.as_ref().filter(|_| !self.read_only) else {
            // No file, or one that is only read: the guards live in memory.
            self.dirty = false;
            return Ok(());
        };
        // Another process (a second instance) may have written meanwhile: keep the stricter.
        match file.load() {
            Ok(Some(theirs)) => self.guards.merge(&theirs),
            Ok(None) => {}
            Err(e) => {
                let err = same_error(&e);
                self.problem = Some(e);
                return Err(err);
            }
        }
        file.store(&self.guards)?;
        diagnostics::state_written(file.path());
        self.dirty = false;
        self.written_high_water = self.guards.high_water;
        Ok(())
    }

    fn persist_if_needed(&mut self) -> Result<(), Error> {
        if self.guards.high_water.saturating_sub(self.written_high_water) >= HIGH_WATER_WRITE_INTERVAL_SECS {
            self.dirty = true;
        }
        if self.dirty { self.persist() } else { Ok(()) }
    }
}

/// A copy of a stored state error (I/O errors are not `Clone`).
fn same_error(e: &Error) -> Error {
    match e {
        Error::StateCorrupt { path, reason } => Error::StateCorrupt {
            path: path.clone(),
            reason,
        },
        Error::StateForeign { path } => Error::StateForeign { path: path.clone() },
        Error::StateUnreadable { path, source } => Error::StateUnreadable {
            path: path.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        Error::StateUnwritable { path, source } => Error::StateUnwritable {
            path: path.clone(),
            source: std::io::Error::new(source.kind(), source.to_string()),
        },
        _ => Error::Config("unexpected state error"),
    }
}

/// Verifies license codes for one installation. Build it once at start-up with
/// [`Verifier::builder`]; it is `Send + Sync` and can be shared.
#[derive(Debug)]
pub struct Verifier {
    keys: Vec<PublicKey>,
    product: String,
    build_date: Date,
    licensee: String,
    database: Option<String>,
    machine: Machine,
    tolerate_unreadable: ComponentSet,
    collected: OnceLock<CollectedFingerprint>,
    modules: Arc<[String]>,
    lines: Arc<[String]>,
    policy: Policy,
    clock_tolerance: i64,
    state: Mutex<GuardState>,
    /// A trusted time the clock must not be behind (Unix seconds; `i64::MIN`: none).
    time_floor: std::sync::atomic::AtomicI64,
}

impl Verifier {
    /// Start configuring: the vendor's public keys (several for key rotation; a code
    /// names its key by id), the product id as in the vendor's catalog, and the build
    /// date of this release (for maintenance coverage).
    pub fn builder(keys: Vec<PublicKey>, product: impl Into<String>, build_date: Date) -> VerifierBuilder {
        VerifierBuilder {
            keys,
            product: product.into(),
            build_date,
            licensee: None,
            database: None,
            machine: None,
            modules: Vec::new(),
            lines: Vec::new(),
            state: None,
            state_read_only: false,
            tolerate_unreadable: ComponentSet::EMPTY,
            policy: Policy::default(),
            clock_tolerance: DEFAULT_CLOCK_TOLERANCE_SECS,
        }
    }

    /// Take `at` as a trusted floor for the clock: a time a source this installation
    /// trusts vouched for, e.g. its own seat server's signed time in a lease token
    /// (`seat_client::HeldLease::server_time`). From now on a code is refused with
    /// [`Error::ClockBehindSeatServer`] when the clock is behind the highest floor given by
    /// more than the clock tolerance. Kept in memory (the state file's own high-water mark
    /// is raised only by this machine's clock). It protects against a workstation's clock
    /// turned back, not against whoever controls the trusted source's clock
    /// (`docs/SECURITY.md`).
    pub fn trust_time_floor(&self, at: Utc) {
        self.time_floor
            .fetch_max(at.0, std::sync::atomic::Ordering::Relaxed);
    }

    fn check_time_floor(&self, now: Utc) -> Result<(), Error> {
        let floor = self.time_floor.load(std::sync::atomic::Ordering::Relaxed);
        if floor != i64::MIN && now.0.saturating_add(self.clock_tolerance) < floor {
            return Err(Error::ClockBehindSeatServer {
                now,
                server: Utc(floor),
            });
        }
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, GuardState> {
        // Every update of the guards is a single assignment; a poisoned lock holds valid state.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// This machine's fingerprint as collected by this crate (collected at the first
    /// call, then cached), or `None` if the host supplied one.
    pub fn this_machine(&self) -> Option<&CollectedFingerprint> {
        match &self.machine {
            Machine::Collect { app_key } => Some(self.collected(app_key)),
            Machine::Supplied(_) => None,
        }
    }

    fn machine(&self) -> &MachineFingerprint {
        match &self.machine {
            Machine::Supplied(m) => m,
            Machine::Collect { app_key } => self.collected(app_key).fingerprint(),
        }
    }

    /// This machine's fingerprint, collected once, with the configured tolerance of
    /// components this process merely cannot read.
    fn collected(&self, app_key: &[u8]) -> &CollectedFingerprint {
        self.collected.get_or_init(|| {
            diagnostics::collected(fingerprint::collect(app_key).tolerating(self.tolerate_unreadable))
        })
    }

    /// Verify a code as text, at the system clock's time.
    pub fn verify_text(&self, text: &str) -> Result<Verification, Error> {
        self.verify_text_at(text, Utc::now())
    }

    /// Verify the code, or codes, stored as text in `path`, at the system clock's time.
    /// A file may hold several codes (the current one and the next term's renewal code),
    /// separated by blank lines or one per line; see [`Verifier::verify_texts_at`].
    pub fn verify_file(&self, path: impl AsRef<Path>) -> Result<Verification, Error> {
        self.verify_file_at(path, Utc::now())
    }

    /// [`Verifier::verify_file`] at a given time.
    pub fn verify_file_at(&self, path: impl AsRef<Path>, now: Utc) -> Result<Verification, Error> {
        let path = path.as_ref();
        let bytes = read_limited(path, MAX_CODE_FILE)?;
        let text = String::from_utf8(bytes).map_err(|_| Error::NotText {
            path: path.to_owned(),
        })?;
        let codes = split_codes(&text);
        if codes.is_empty() {
            // Nothing but blank lines: the same refusal as for an empty code.
            return self.verify_text_at(&text, now);
        }
        self.verify_texts_at(&codes, now)
    }

    /// Verify several codes at once, at the system clock's time. See
    /// [`Verifier::verify_texts_at`].
    pub fn verify_texts(&self, texts: &[&str]) -> Result<Verification, Error> {
        self.verify_texts_at(texts, Utc::now())
    }

    /// Verify several codes at once at `now`, e.g. the current code and the next term's
    /// renewal code, which arrives weeks before the current term ends and is valid only
    /// from that day, or the codes of a mixed order (an interim larger code and the
    /// reduced code that replaces it).
    ///
    /// The result does not depend on the order of `texts`: the codes are verified in a
    /// canonical order (ascending license id and revision), each as by
    /// [`Verifier::verify_text_at`], so later revisions are recorded as scheduled. Among
    /// the codes of one license, **the highest revision whose first day has come is in
    /// force**; a lower revision never wins again, whatever its grace or demo mode. An
    /// interim code past its end whose successor is missing gives
    /// [`Status::Replaced`] ("replaced on D: enter the code valid from D"). Among several
    /// licenses, the best for running now wins: usable before unusable, then full use
    /// before grace before demo mode, then the latest expiry, then the highest revision.
    /// Its [`pending_change`](Verification::pending_change) names the revision scheduled
    /// to replace it.
    ///
    /// Codes that are refused are skipped when another one verifies; if none does, the
    /// error of the first code in the canonical order is returned. No code at all is
    /// refused like an empty code.
    pub fn verify_texts_at(&self, texts: &[&str], now: Utc) -> Result<Verification, Error> {
        if texts.is_empty() {
            return self.verify_text_at("", now);
        }
        // The canonical order: what each code claims (license id, revision), then the text
        // itself; codes that do not even parse come last, in text order.
        let mut order: Vec<(Option<(u32, u32)>, &str)> = texts
            .iter()
            .map(|t| {
                let claim = AnyCode::parse(t)
                    .ok()
                    .map(|c| (c.unverified_license().license_id, c.unverified_license().revision));
                (claim, *t)
            })
            .collect();
        order.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.1.cmp(b.1)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.1.cmp(b.1),
        });
        let mut verified: Vec<Verification> = Vec::new();
        let mut first_error = None;
        let mut refused = 0;
        for (_, text) in &order {
            match self.verify_text_at(text, now) {
                Ok(v) => verified.push(v),
                Err(e) => {
                    refused += 1;
                    first_error.get_or_insert(e);
                }
            }
        }
        // Per license: the highest revision in force (its first day has come); without
        // one, the highest revision verified.
        // The first of these verifications may have created the state file: the run is a
        // first run if any of them found none.
        let first_run = verified.iter().any(Verification::first_run);
        let mut chosen: Vec<Verification> = Vec::new();
        for v in verified {
            let id = v.license().license_id;
            let in_force = |v: &Verification| !matches!(v.status(), Status::NotYetValid { .. });
            match chosen.iter_mut().find(|c| c.license().license_id == id) {
                None => chosen.push(v),
                Some(c) => {
                    let better = match (in_force(&v), in_force(c)) {
                        (true, false) => true,
                        (false, true) => false,
                        _ => v.license().revision > c.license().revision,
                    };
                    if better {
                        *c = v;
                    }
                }
            }
        }
        let best = chosen
            .into_iter()
            .reduce(|a, b| if rank(&b) > rank(&a) { b } else { a });
        match (best, first_error) {
            (Some(v), _) => {
                // A code verified before a later one was scheduled does not know of it yet.
                let pending = self.lock().guards.pending(v.license().license_id);
                let v = v.with_pending(pending).with_first_run(first_run);
                diagnostics::chosen(&self.product, texts.len(), refused, &v);
                Ok(v)
            }
            (None, Some(e)) => Err(e),
            (None, None) => self.verify_text_at("", now),
        }
    }

    /// Verify a code as text at `now`. In order: the code must parse (typo check), the
    /// state file must be usable, the clock must not be behind the latest time seen, the
    /// code must verify against the keys and this installation (key, product, licensee,
    /// database, signature, machine), must not be signed after today, not revoked and
    /// not superseded. Then the guards are updated (and written if needed) and the
    /// status evaluated. This machine's fingerprint is collected only for a code bound
    /// to a machine.
    pub fn verify_text_at(&self, text: &str, now: Utc) -> Result<Verification, Error> {
        let result = self.check_text_at(text, now);
        diagnostics::verified(&self.product, &result);
        result
    }

    fn check_text_at(&self, text: &str, now: Utc) -> Result<Verification, Error> {
        let code = AnyCode::parse(text)?;
        let mut st = self.lock();
        let _file_lock = st.file_lock();
        st.usable()?;
        st.guards.check_clock(now, self.clock_tolerance)?;
        self.check_time_floor(now)?;
        let machine = code
            .unverified_license()
            .binding
            .machine
            .is_some()
            .then(|| self.machine());
        let mut ctx = Context::new(&self.product, &self.licensee);
        if let Some(db) = &self.database {
            ctx = ctx.with_database(db);
        }
        if let Some(m) = machine {
            ctx = ctx.with_machine(m);
        }
        let (verified, issuer) = code.verify(&self.keys, &ctx, &st.guards, &self.modules)?;
        let license = *verified.license();
        let signed = Utc::start_of(license.issued);
        if now.0.saturating_add(self.clock_tolerance) < signed.0 {
            return Err(Error::ClockBeforeIssue {
                now,
                issued: license.issued,
                what: "license code",
            });
        }
        st.guards.observe_time(now);
        let today = now.date();
        let admitted = st
            .guards
            .check_revoked(&license)
            .and_then(|()| st.guards.admit(&license, today));
        match admitted {
            Ok(changed) => st.dirty |= changed,
            Err(e) => {
                // A promoted pending revision is a change worth keeping; the refusal wins.
                st.dirty = true;
                let _ = st.persist_if_needed();
                return Err(e);
            }
        }
        st.persist_if_needed()?;
        let first_run = st.first_run;
        Ok(Verification::new(
            verified,
            verified.evaluate(today, self.build_date, &self.policy),
            today,
            Arc::clone(&self.modules),
            st.guards.pending(license.license_id),
            st.guards.revocation_info(),
        )
        .with_issuer(issuer)
        .with_first_run(first_run)
        .with_lines(Arc::clone(&self.lines)))
    }

    /// Install a revocation list from its file, at the system clock's time.
    pub fn ingest_revocation_file(&self, path: impl AsRef<Path>) -> Result<RevocationListInfo, Error> {
        self.ingest_revocation_file_at(path, Utc::now())
    }

    /// [`Verifier::ingest_revocation_file`] at a given time.
    pub fn ingest_revocation_file_at(
        &self,
        path: impl AsRef<Path>,
        now: Utc,
    ) -> Result<RevocationListInfo, Error> {
        let bytes = read_limited(path.as_ref(), MAX_LIST_FILE)?;
        self.ingest_revocation_list_at(&bytes, now)
    }

    /// Install a revocation list (its binary form) at `now`: it must be signed by a
    /// vendor key, not expired, and newer than the installed one (the installed list
    /// again is accepted and changes nothing). Its entries are kept in the state file,
    /// so the list file is needed only once.
    pub fn ingest_revocation_list_at(&self, bytes: &[u8], now: Utc) -> Result<RevocationListInfo, Error> {
        let result = self.install_list_at(bytes, now);
        diagnostics::revocation_list(&self.product, &result);
        result
    }

    fn install_list_at(&self, bytes: &[u8], now: Utc) -> Result<RevocationListInfo, Error> {
        let list = UntrustedRevocationList::parse(bytes)?.verify(&self.keys, &self.product)?;
        let mut st = self.lock();
        let _file_lock = st.file_lock();
        st.usable()?;
        st.guards.check_clock(now, self.clock_tolerance)?;
        let changed = st.guards.install_revocation(&list, now, self.clock_tolerance)?;
        st.guards.observe_time(now);
        st.dirty |= changed;
        st.persist_if_needed()?;
        st.guards
            .revocation_info()
            .ok_or(Error::Config("revocation list not recorded"))
    }

    /// For long-running applications: check the clock and advance the high-water mark
    /// (call it now and then, e.g. hourly).
    pub fn check_clock_at(&self, now: Utc) -> Result<(), Error> {
        let mut st = self.lock();
        let _file_lock = st.file_lock();
        st.usable()?;
        st.guards.check_clock(now, self.clock_tolerance)?;
        st.guards.observe_time(now);
        st.persist_if_needed()
    }

    /// Write any change not yet written (after [`Error::StateUnwritable`], once the
    /// cause is fixed).
    pub fn flush_state(&self) -> Result<(), Error> {
        let mut st = self.lock();
        let _file_lock = st.file_lock();
        st.usable()?;
        if st.dirty { st.persist() } else { Ok(()) }
    }

    /// The state file's path, if one is configured.
    pub fn state_path(&self) -> Option<PathBuf> {
        self.lock().file.as_ref().map(|f| f.path().to_owned())
    }

    /// The installed revocation list, if any.
    pub fn revocation_list(&self) -> Option<RevocationListInfo> {
        self.lock().guards.revocation_info()
    }

    /// For support only: start the guards afresh at `now`, as on a first run, and write
    /// the state file. This forgets the highest revisions seen and the installed
    /// revocation list (install the current list again afterwards). Never called by
    /// this crate on its own.
    pub fn reset_state_at(&self, now: Utc) -> Result<(), Error> {
        let mut st = self.lock();
        let _file_lock = st.file_lock();
        st.guards = Guards::first_run(now);
        st.problem = None;
        st.dirty = true;
        match st.file.as_ref().filter(|_| !st.read_only) {
            Some(file) => {
                file.store(&st.guards)?;
                st.dirty = false;
                st.written_high_water = st.guards.high_water;
                Ok(())
            }
            None => {
                st.dirty = false;
                Ok(())
            }
        }
    }

    /// [`Verifier::reset_state_at`] at the system clock's time.
    pub fn reset_state(&self) -> Result<(), Error> {
        self.reset_state_at(Utc::now())
    }
}

/// How good a verification is for running the application now (higher is better).
fn rank(v: &Verification) -> (bool, u8, bool, Option<Date>, u32) {
    let status = match v.status() {
        Status::Valid | Status::ExpiringSoon { .. } => 4,
        Status::InGrace { .. } => 3,
        Status::DemoMode { .. } => 2,
        Status::NotYetValid { .. } => 1,
        _ => 0,
    };
    let license = v.license();
    (
        v.is_usable(),
        status,
        license.expires.is_none(),
        license.expires,
        license.revision,
    )
}

/// The codes in a license file: blocks separated by blank lines; a block of several
/// lines is one code per line if every line is a code by itself, else one code wrapped
/// over several lines (readers ignore line breaks inside a code).
fn split_codes(text: &str) -> Vec<&str> {
    let mut codes = Vec::new();
    // The current block's lines, trimmed, and where it starts and ends in `text`.
    let mut block: Vec<&str> = Vec::new();
    let (mut start, mut end) = (0, 0);
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim();
        if line.is_empty() {
            push_block(&text[start..end], &block, &mut codes);
            block.clear();
        } else {
            if block.is_empty() {
                start = offset;
            }
            block.push(line);
            end = offset + raw.trim_end().len();
        }
        offset += raw.len();
    }
    push_block(&text[start..end], &block, &mut codes);
    codes
}

fn push_block<'a>(whole: &'a str, lines: &[&'a str], codes: &mut Vec<&'a str>) {
    match lines {
        [] => {}
        [line] => codes.push(line),
        _ if lines.iter().all(|l| AnyCode::parse(l).is_ok()) => codes.extend_from_slice(lines),
        _ => codes.push(whole.trim()),
    }
}

fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(max).read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::split_codes;

    #[test]
    fn blocks_lines_and_wrapped_codes() {
        assert!(split_codes("").is_empty());
        assert!(split_codes(" \n\t\r\n").is_empty());
        assert_eq!(split_codes(" abc \r\n\r\n  def\n"), ["abc", "def"]);
        // Lines that are not codes each: one code wrapped over lines, kept with its breaks.
        assert_eq!(split_codes("ab-\n cd\n\nef\n"), ["ab-\n cd", "ef"]);
    }
}
