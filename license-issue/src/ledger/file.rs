//! The ledger as a file: JSON Lines, one record per line, each line carrying its own
//! checksum, synced to disk after every append.
//!
//! Line format (one JSON object per line):
//!
//! ```text
//! {"sum":"<16 hex digits>","record":<record JSON>}\n
//! ```
//!
//! `sum` is the first 8 bytes of SHA-256 over the exact bytes of `<record JSON>`, so a
//! line is checked without re-serializing anything.
//!
//! Crash safety: a record is written with one `write` call of the whole line and then
//! `fsync`ed; the file is opened in append mode and locked against a second writer. A
//! crash can only damage the last line. On open:
//! - a last line that is incomplete (no newline) or fails its checksum is a **torn
//!   record**: every complete record before it is loaded and readable, the torn bytes
//!   are reported ([`TornRecord`]: line, size, a preview of what was lost), and appends
//!   are refused until [`FileLedger::repair`] moves the torn bytes to a side file
//!   (`<ledger>.torn-<offset>`, never deleted) and truncates the ledger to its last
//!   complete record;
//! - a damaged line followed by further lines is not a crash but an alteration: opening
//!   fails with [`LedgerError::LedgerCorrupt`](crate::LedgerError::LedgerCorrupt) naming the line, and nothing is changed.

use crate::ledger::error::{LedgerError, TornRecord};
use std::collections::BTreeMap;

use std::fs::{self, File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::ledger::store::{Ledger, MemoryLedger, Record, erase_in, normalize_licensee};

const PREFIX: &[u8] = b"{\"sum\":\"";
const MIDDLE: &[u8] = b"\",\"record\":";
const SUM_HEX: usize = 16;

fn checksum(record_json: &[u8]) -> String {
    hex::encode(&Sha256::digest(record_json)[..SUM_HEX / 2])
}

/// Encode one record as a ledger line (with its newline). The ticket pool's file uses
/// the same lines (`tickets`).
pub(crate) fn encode_line<T: serde::Serialize>(record: &T) -> Result<Vec<u8>, Error> {
    let json = serde_json::to_vec(record).map_err(LedgerError::LedgerEncode)?;
    let mut line = Vec::with_capacity(json.len() + 48);
    line.extend_from_slice(PREFIX);
    line.extend_from_slice(checksum(&json).as_bytes());
    line.extend_from_slice(MIDDLE);
    line.extend_from_slice(&json);
    line.extend_from_slice(b"}\n");
    Ok(line)
}

/// Decode one line (without its newline).
pub(crate) fn decode_line<T: serde::de::DeserializeOwned>(line: &[u8]) -> Result<T, String> {
    let min = PREFIX.len() + SUM_HEX + MIDDLE.len() + 1;
    if line.len() < min + 2 || !line.starts_with(PREFIX) || line.last() != Some(&b'}') {
        return Err("not a checksummed record line".into());
    }
    let sum = &line[PREFIX.len()..PREFIX.len() + SUM_HEX];
    if &line[PREFIX.len() + SUM_HEX..min - 1] != MIDDLE {
        return Err("not a checksummed record line".into());
    }
    let json = &line[min - 1..line.len() - 1];
    if checksum(json).as_bytes() != sum {
        return Err("checksum mismatch".into());
    }
    serde_json::from_slice(json).map_err(|e| format!("checksum correct but the record does not decode: {e}"))
}

/// What a torn line held, as far as it can be read: the operation, license id and
/// revision if those fields made it to disk, else the start of the bytes.
fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let field = |name: &str| -> Option<String> {
        let key = format!("\"{name}\":");
        let at = text.find(&key)? + key.len();
        let value: String = text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '"' || *c == '-')
            .filter(|c| *c != '"')
            .collect();
        (!value.is_empty()).then_some(value)
    };
    let found: Vec<String> = [
        ("operation", "operation"),
        ("license_id", "license"),
        ("revision", "revision"),
    ]
    .iter()
    .filter_map(|(f, label)| field(f).map(|v| format!("{label} {v}")))
    .collect();
    if !found.is_empty() {
        return found.join(", ");
    }
    let start = text.find("\"record\":").map_or(0, |i| i + 9);
    let s: String = text[start..]
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if text.len() - start > 80 {
        format!("{s}...")
    } else {
        s
    }
}

/// A ledger kept in one JSON Lines file.
#[derive(Debug)]
pub struct FileLedger {
    path: PathBuf,
    file: File,
    /// The complete records, indexed by license id.
    index: MemoryLedger,
    torn: Option<TornRecord>,
    /// Length of the intact part of the file.
    len: u64,
}

impl FileLedger {
    /// Open (or create) the ledger at `path` and load it. A torn last record does not
    /// fail the open: see [`FileLedger::torn`]. Fails if another process holds it.
    pub fn open(path: &Path) -> Result<FileLedger, Error> {
        let existed = path.exists();
        let mut options = OpenOptions::new();
        options.read(true).append(true).create(true);
        // The ledger holds customer data: readable by its owner only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(Error::io(path))?;
        if !existed && let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            license_fs::sync_dir(dir).map_err(Error::io(dir))?;
        }
        file.try_lock().map_err(|_| Error::Io {
            path: path.into(),
            source: std::io::Error::other(
                "the ledger is in use by another licensectl process; wait for it to finish",
            ),
        })?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(Error::io(path))?;
        let mut ledger = FileLedger {
            path: path.into(),
            file,
            index: MemoryLedger::new(),
            torn: None,
            len: 0,
        };
        ledger.load(&bytes)?;
        Ok(ledger)
    }

    fn load(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let mut offset = 0usize;
        let mut line_no = 0usize;
        while offset < bytes.len() {
            line_no += 1;
            let rest = &bytes[offset..];
            let (line, next, complete) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], offset + i + 1, true),
                None => (rest, bytes.len(), false),
            };
            let is_last = next >= bytes.len();
            let decoded = if complete {
                decode_line(line)
            } else {
                Err("incomplete line".into())
            };
            match decoded {
                Ok(record) => self.index.push(record),
                Err(_) if is_last => {
                    self.torn = Some(TornRecord {
                        path: self.path.clone(),
                        line: line_no,
                        offset: offset as u64,
                        bytes: rest.len(),
                        preview: preview(rest),
                        complete_records: self.index.len(),
                    });
                    break;
                }
                Err(reason) => {
                    return Err(Error::Ledger(LedgerError::LedgerCorrupt {
                        path: self.path.clone(),
                        line: line_no,
                        reason,
                    }));
                }
            }
            offset = next;
            self.len = offset as u64;
        }
        Ok(())
    }

    /// The torn last record found on open, if any.
    pub fn torn(&self) -> Option<&TornRecord> {
        self.torn.as_ref()
    }

    /// The ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Set a torn last record aside: copy its bytes to `<ledger>.torn-<offset>` (synced),
    /// then truncate the ledger to its complete records. Returns the side file, or
    /// `None` if nothing was torn.
    pub fn repair(&mut self) -> Result<Option<PathBuf>, Error> {
        let Some(torn) = self.torn.clone() else {
            return Ok(None);
        };
        let all = fs::read(&self.path).map_err(Error::io(&self.path))?;
        let start = usize::try_from(torn.offset).unwrap_or(all.len()).min(all.len());
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let side = self.path.with_file_name(format!("{name}.torn-{}", torn.offset));
        license_fs::write_atomic(&side, &all[start..]).map_err(Error::io(&side))?;
        self.file.set_len(torn.offset).map_err(Error::io(&self.path))?;
        self.file.sync_all().map_err(Error::io(&self.path))?;
        self.len = torn.offset;
        self.torn = None;
        Ok(Some(side))
    }

    fn refuse_if_torn(&self) -> Result<(), Error> {
        match &self.torn {
            Some(t) => Err(Error::Ledger(LedgerError::LedgerTorn(t.clone()))),
            None => Ok(()),
        }
    }
}

impl Ledger for FileLedger {
    /// Refused: a second file is not written in the same step as a ledger line, so a
    /// crash between the two would lose an event or announce one never recorded.
    fn append_batch_with_outbox(
        &mut self,
        _batch: &crate::ledger::store::Batch<'_>,
        _outbox: &[crate::ledger::store::OutboxRow],
    ) -> Result<(), Error> {
        Err(Error::Ledger(LedgerError::OutboxUnsupported { ledger: "file" }))
    }

    fn append(&mut self, record: &Record) -> Result<(), Error> {
        self.refuse_if_torn()?;
        let line = encode_line(record)?;
        let written = self.file.write_all(&line).and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            // Leave no partial line behind if we can; the error is reported either way.
            let _ = self.file.set_len(self.len);
            return Err(Error::io(&self.path)(e));
        }
        self.len += line.len() as u64;
        self.index.push(record.clone());
        Ok(())
    }

    fn records(&self) -> Result<Vec<Record>, Error> {
        self.index.records()
    }

    fn records_of(&self, license_id: u32) -> Result<Vec<Record>, Error> {
        self.index.records_of(license_id)
    }

    fn last_license_id(&self) -> Result<Option<u32>, Error> {
        self.index.last_license_id()
    }

    fn records_of_order(&self, key: &str) -> Result<Vec<Record>, Error> {
        self.index.records_of_order(key)
    }

    /// Rewrites the file atomically (a new file renamed over the old one). Torn records
    /// set aside by [`FileLedger::repair`] that name the licensee are scrubbed as well
    /// (each counts as one record).
    fn erase_licensee(&mut self, licensee: &str, pseudonym: &str) -> Result<usize, Error> {
        self.refuse_if_torn()?;
        let scrubbed = self.scrub_side_files(licensee, pseudonym)?;
        let mut records = self.index.records_mut().clone();
        let n = erase_in(&mut records, licensee, pseudonym);
        if n == 0 {
            return Ok(scrubbed);
        }
        let mut bytes = Vec::new();
        for r in &records {
            bytes.extend_from_slice(&encode_line(r)?);
        }
        license_fs::write_atomic(&self.path, &bytes).map_err(Error::io(&self.path))?;
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(Error::io(&self.path))?;
        file.try_lock().map_err(|_| Error::Io {
            path: self.path.clone(),
            source: std::io::Error::other("the ledger is in use by another licensectl process"),
        })?;
        self.file = file;
        self.len = bytes.len() as u64;
        // Erasure keeps every record and license id: the index stays valid.
        *self.index.records_mut() = records;
        Ok(n + scrubbed)
    }

    /// Kept in [`FileLedger::sequences_path`], replaced atomically (the ledger's lock
    /// serializes the writers).
    fn claim_revocation_sequence(&mut self, product: &str, at_least: u64) -> Result<u64, Error> {
        let mut all = self.sequences()?;
        let next = crate::ledger::store::next_sequence(all.get(product).copied(), at_least)?;
        all.insert(product.to_owned(), next);
        let text = serde_json::to_string_pretty(&all).map_err(LedgerError::LedgerEncode)?;
        let path = self.sequences_path();
        license_fs::write_atomic(&path, text.as_bytes()).map_err(Error::io(&path))?;
        Ok(next)
    }
}

impl FileLedger {
    /// The durable record of the last revocation-list sequence number per product:
    /// `revocation-sequences.json` beside the ledger file.
    pub fn sequences_path(&self) -> PathBuf {
        self.path.with_file_name("revocation-sequences.json")
    }

    fn sequences(&self) -> Result<BTreeMap<String, u64>, Error> {
        let path = self.sequences_path();
        match fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Error::Ledger(LedgerError::LedgerCorrupt {
                    path: path.clone(),
                    line: e.line(),
                    reason: format!("{e}; it records the last revocation-list sequence per product"),
                })
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(source) => Err(Error::Io { path, source }),
        }
    }

    /// The side files `<ledger>.torn-*` beside the ledger.
    fn side_files(&self) -> Result<Vec<PathBuf>, Error> {
        let name = self
            .path
            .file_name()
            .map(|n| format!("{}.torn-", n.to_string_lossy()))
            .unwrap_or_default();
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut out = Vec::new();
        for entry in fs::read_dir(dir).map_err(Error::io(dir))? {
            let entry = entry.map_err(Error::io(dir))?;
            if entry.file_name().to_string_lossy().starts_with(&name) {
                out.push(entry.path());
            }
        }
        out.sort();
        Ok(out)
    }

    /// Replace the licensee's name (and remove the contact) in every side file whose
    /// torn record names that licensee, even cut short. Returns how many were changed.
    fn scrub_side_files(&self, licensee: &str, pseudonym: &str) -> Result<usize, Error> {
        let mut n = 0;
        for side in self.side_files()? {
            let bytes = fs::read(&side).map_err(Error::io(&side))?;
            let text = String::from_utf8_lossy(&bytes);
            if let Some(scrubbed) = scrub_torn(&text, licensee, pseudonym) {
                license_fs::write_atomic(&side, scrubbed.as_bytes()).map_err(Error::io(&side))?;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// The span of a JSON string field's value in a possibly truncated record: from after
/// the opening quote to the closing quote (or the end of the text), and whether it closed.
fn string_field(text: &str, key: &str) -> Option<(usize, usize, bool)> {
    let needle = format!("\"{key}\":\"");
    let start = text.find(&needle)? + needle.len();
    let mut escaped = false;
    for (i, c) in text[start..].char_indices() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return Some((start, start + i, true)),
            _ => {}
        }
    }
    Some((start, text.len(), false))
}

/// The torn record text with `licensee` replaced by `pseudonym` and the contact removed,
/// if it names that licensee (a name cut short by the crash counts when it is a prefix).
fn scrub_torn(text: &str, licensee: &str, pseudonym: &str) -> Option<String> {
    let (start, end, closed) = string_field(text, "licensee")?;
    let raw = &text[start..end];
    let name = if closed {
        serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_owned())
    } else {
        raw.to_owned()
    };
    let (name, target) = (normalize_licensee(&name), normalize_licensee(licensee));
    let names_it = if closed {
        name == target
    } else {
        !name.is_empty() && target.starts_with(&name)
    };
    if !names_it {
        return None;
    }
    let quoted = serde_json::to_string(pseudonym).unwrap_or_else(|_| "\"erased\"".into());
    let inner = &quoted[1..quoted.len() - 1];
    let mut out = format!("{}{inner}{}", &text[..start], &text[end..]);
    if !closed {
        out.push('"');
    }
    if let Some((start, end, closed)) = string_field(&out, "contact") {
        out = if closed {
            format!("{}{}", &out[..start], &out[end..])
        } else {
            format!("{}\"", &out[..start])
        };
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::store::Operation;
    use license_core::{Binding, Date, Kind, License, ModuleSet, ProductLine};

    fn record(id: u32, licensee: &str) -> Record {
        let day = Date::from_ymd(2026, 11, 22).unwrap();
        Record {
            recorded: day,
            operation: Operation::Issue,
            product: "demo-erp".into(),
            licensee: licensee.into(),
            contact: Some("1 Main St".into()),
            customer_ref: Some("C-1".into()),
            reseller: None,
            database: None,
            license: License {
                license_id: id,
                revision: 1,
                kind: Kind::Full,
                line: ProductLine::new(0).unwrap(),
                named_users: Some(5),
                concurrent_seats: None,
                demo_seats: 0,
                modules: ModuleSet::first(2),
                issued: day,
                valid_from: day,
                expires: None,
                grace_days: 0,
                maintenance_ends: day.checked_add_days(1),
                binding: Binding::NONE,
                interim: false,
            },
            code: Some("CODE".into()),
            maintenance: None,
            withdrawn: None,
            ends: None,
            note: None,
            erased: false,
            order: None,
            ticket: None,
            site: Some("Berlin, \"DC 1\"".into()),
            order_ref: None,
        }
    }

    #[test]
    fn append_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        {
            let mut l = FileLedger::open(&path).unwrap();
            l.append(&record(1, "A")).unwrap();
            l.append(&record(2, "B")).unwrap();
            assert!(FileLedger::open(&path).is_err(), "locked against a second writer");
        }
        let l = FileLedger::open(&path).unwrap();
        assert!(l.torn().is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600,
                "customer data"
            );
        }
        assert_eq!(l.records().unwrap(), vec![record(1, "A"), record(2, "B")]);
        assert_eq!(l.records_of(2).unwrap(), vec![record(2, "B")]);
        assert_eq!(l.last_license_id().unwrap(), Some(2));
        let text = fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(
                v["sum"].as_str().unwrap().len(),
                16,
                "every line is JSON with its checksum"
            );
        }
    }

    /// Crash test: the ledger cut at every byte of its last record.
    #[test]
    fn truncated_mid_record_keeps_every_complete_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        {
            let mut l = FileLedger::open(&path).unwrap();
            for i in 1..=3 {
                l.append(&record(i, "A")).unwrap();
            }
        }
        let full = fs::read(&path).unwrap();
        let last_start = full[..full.len() - 1].iter().rposition(|&b| b == b'\n').unwrap() + 1;
        for cut in last_start + 1..full.len() {
            fs::write(&path, &full[..cut]).unwrap();
            let mut l = FileLedger::open(&path).unwrap();
            let torn = l
                .torn()
                .cloned()
                .unwrap_or_else(|| panic!("cut at {cut} not reported"));
            assert_eq!((torn.line, torn.complete_records), (3, 2));
            assert_eq!(torn.offset as usize, last_start);
            assert_eq!(torn.bytes, cut - last_start);
            assert_eq!(l.records().unwrap(), vec![record(1, "A"), record(2, "A")]);
            assert!(matches!(
                l.append(&record(9, "Z")),
                Err(Error::Ledger(LedgerError::LedgerTorn(_)))
            ));
            if cut == full.len() - 1 {
                // Repair sets the torn bytes aside and allows appends again.
                let side = l.repair().unwrap().unwrap();
                assert_eq!(fs::read(&side).unwrap(), &full[last_start..cut]);
                l.append(&record(4, "A")).unwrap();
                drop(l);
                let l = FileLedger::open(&path).unwrap();
                assert!(l.torn().is_none());
                assert_eq!(l.records().unwrap().len(), 3);
            }
        }
        // A zero-filled tail (file size grew, data never written) is torn as well.
        let mut zeros = full.clone();
        zeros.extend_from_slice(&[0; 40]);
        fs::write(&path, &zeros).unwrap();
        let l = FileLedger::open(&path).unwrap();
        assert_eq!(l.records().unwrap().len(), 3);
        assert!(l.torn().unwrap().to_string().contains("line 4 (40 bytes"));
    }

    #[test]
    fn corruption_in_the_middle_is_an_error_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        {
            let mut l = FileLedger::open(&path).unwrap();
            for i in 1..=3 {
                l.append(&record(i, "A")).unwrap();
            }
        }
        let text = fs::read_to_string(&path).unwrap();
        let altered = text.replacen("\"named_users\":5", "\"named_users\":9", 2);
        fs::write(&path, altered).unwrap();
        match FileLedger::open(&path) {
            Err(Error::Ledger(LedgerError::LedgerCorrupt { line: 1, reason, .. })) => {
                assert_eq!(reason, "checksum mismatch")
            }
            other => panic!("{other:?}"),
        }
        // A last line with a wrong checksum counts as torn, not as corrupt.
        let altered = text.replacen("\"named_users\":5", "\"named_users\":9", 3);
        let lines: Vec<&str> = text.lines().collect();
        let alt_last = altered.lines().last().unwrap();
        fs::write(&path, format!("{}\n{}\n{alt_last}\n", lines[0], lines[1])).unwrap();
        let l = FileLedger::open(&path).unwrap();
        assert_eq!(l.records().unwrap().len(), 2);
        assert_eq!(l.torn().unwrap().line, 3);
    }

    #[test]
    fn erasure_keeps_the_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.jsonl");
        let mut l = FileLedger::open(&path).unwrap();
        l.append(&record(1, "ACME Corp")).unwrap();
        l.append(&record(2, "Other Ltd")).unwrap();
        l.append(&record(3, "acme  corp")).unwrap();
        assert_eq!(l.erase_licensee("Acme Corp", "customer-7f3a").unwrap(), 2);
        l.append(&record(4, "New")).unwrap();
        drop(l);
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.to_lowercase().contains("acme"), "{text}");
        let l = FileLedger::open(&path).unwrap();
        let rs = l.records().unwrap();
        assert_eq!(rs.len(), 4);
        assert_eq!(rs[0].licensee, "customer-7f3a");
        assert!(rs[0].erased && rs[0].contact.is_none());
        assert_eq!(rs[0].license, record(1, "x").license, "scope and dates kept");
        assert_eq!(rs[0].code.as_deref(), Some("CODE"));
        assert_eq!(rs[1], record(2, "Other Ltd"));
    }

    mod props {
        use super::*;
        use license_core::{Binding, Date, Kind, License, ModuleSet, ProductLine};
        use proptest::prelude::*;

        fn any_record() -> impl Strategy<Value = Record> {
            (
                (
                    any::<u32>(),
                    any::<u32>(),
                    0u8..4,
                    0u8..16,
                    proptest::option::of(1u32..),
                    any::<u64>(),
                ),
                (
                    18_262u32..2_000_000,
                    0u32..5000,
                    proptest::option::of(1u32..5000),
                    any::<u16>(),
                ),
                ("\\PC{0,40}", proptest::option::of("\\PC{0,40}"), any::<bool>()),
            )
                .prop_map(
                    |(
                        (id, rev, kind, line, users, modules),
                        (issued, from, term, grace),
                        (name, contact, db),
                    )| {
                        let issued = Date::from_days_since_unix_epoch(issued);
                        let valid_from = issued.saturating_add_days(i64::from(from));
                        Record {
                            recorded: issued,
                            operation: Operation::Upgrade,
                            product: "p".into(),
                            licensee: name,
                            contact,
                            customer_ref: None,
                            reseller: Some("r,\"1\"\n".into()),
                            database: db.then(|| "DB-ZSNRK-1WQ6N-GHZP2-K95B9".into()),
                            license: License {
                                license_id: id,
                                revision: rev,
                                kind: Kind::ALL[usize::from(kind)],
                                line: ProductLine::new(line).unwrap(),
                                named_users: users,
                                concurrent_seats: None,
                                demo_seats: 2,
                                modules: ModuleSet::from_bits(modules),
                                issued,
                                valid_from,
                                expires: term.map(|t| valid_from.saturating_add_days(i64::from(t))),
                                grace_days: grace,
                                maintenance_ends: None,
                                binding: Binding {
                                    database: db,
                                    machine: None,
                                    seat_server: None,
                                },
                                interim: false,
                            },
                            code: Some("ABCDE-12345".into()),
                            maintenance: None,
                            withdrawn: None,
                            ends: None,
                            note: None,
                            erased: false,
                            order: None,
                            ticket: None,
                            site: None,
                            order_ref: db.then(|| "R-77".into()),
                        }
                    },
                )
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            /// Any record survives a line round trip; any single flipped byte is caught.
            #[test]
            fn line_round_trip_and_tamper_detection(r in any_record(), at in any::<prop::sample::Index>()) {
                let line = encode_line(&r).unwrap();
                prop_assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1, "one record, one line");
                let body = &line[..line.len() - 1];
                prop_assert_eq!(decode_line(body), Ok(r.clone()));
                let mut bad = body.to_vec();
                let i = at.index(bad.len());
                bad[i] ^= 0x04;
                prop_assert!(decode_line(&bad) != Ok(r));
            }
        }
    }
}
