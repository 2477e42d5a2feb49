//! `ledger`: check, repair, erase personal data.

use license_issue::LedgerError;
use license_issue::{Error, Ledger, random_pseudonym};
use serde_json::json;

use crate::args::LedgerCommand;
use crate::failure::Failure;
use crate::home::Home;
use crate::output::{self, outln};

pub fn ledger(home: &Home, action: &LedgerCommand, json: bool) -> Result<u8, Failure> {
    let mut ledger = home.open_ledger(true)?;
    match action {
        LedgerCommand::Check => {
            let records = ledger.records()?;
            let licenses = license_issue::LicenseHistory::all(&records).len();
            let torn = ledger.torn().cloned();
            if json {
                output::json(&json!({
                    "file": ledger.path(),
                    "records": records.len(),
                    "licenses": licenses,
                    "torn": torn.as_ref().map(|t| json!({"line": t.line, "bytes": t.bytes, "preview": t.preview})),
                }))?;
            } else {
                outln!(
                    "{}: {} complete records, {licenses} licenses{}",
                    ledger.path().display(),
                    records.len(),
                    if torn.is_some() {
                        "; the last record is torn (see the warning)"
                    } else {
                        "; intact"
                    }
                );
            }
            // The resellers' imported records: a torn last one after a crash during an import.
            let imports_torn = match license_issue::imports_ledger_path(&home.dir).exists() {
                true => home.open_imports(false)?.torn().cloned(),
                false => None,
            };
            match torn.or(imports_torn) {
                Some(t) => Err(Error::Ledger(LedgerError::LedgerTorn(t)).into()),
                None => Ok(0),
            }
        }
        LedgerCommand::Repair => {
            match ledger.repair()? {
                Some(side) => outln!(
                    "The torn record was moved to {}; the ledger now ends with its last complete record. Re-issue the operation that was interrupted.",
                    side.display()
                ),
                None => outln!("Nothing to repair: the ledger is intact."),
            }
            if license_issue::imports_ledger_path(&home.dir).exists()
                && let Some(side) = home.open_imports(false)?.repair()?
            {
                outln!(
                    "The torn imported record was moved to {}; import that reseller's file again (what was imported stays once).",
                    side.display()
                );
            }
            Ok(0)
        }
        LedgerCommand::Erase { licensee, pseudonym } => {
            let pseudonym = match pseudonym {
                Some(p) => p.clone(),
                None => random_pseudonym()?,
            };
            let mut n = ledger.erase_licensee(licensee, &pseudonym)?;
            // Resellers' imported records name licensees too.
            if license_issue::imports_ledger_path(&home.dir).exists() {
                n += home.open_imports(true)?.erase_licensee(licensee, &pseudonym)?;
            }
            if json {
                output::json(&json!({"records_changed": n, "pseudonym": pseudonym}))?;
            } else if n == 0 {
                outln!("No record names that licensee; nothing changed.");
            } else {
                outln!("Erased the licensee's personal data from {n} records; they now name '{pseudonym}'.");
            }
            Ok(0)
        }
    }
}
