//! Crash test: a ledger cut in the middle of its last record is reported on open, every
//! complete record survives, and issuing resumes after `ledger repair`.

mod common;
use common::*;

use std::fs;

#[test]
fn ledger_truncated_mid_record() {
    let env = Env::ready();
    env.issue(ACME);
    env.issue(&["--licensee", "Second GmbH", "--users", "5", "--modules", "crm"]);
    env.issue(&["--licensee", "Third SA", "--users", "7", "--modules", "bi"]);
    let path = env.path("ledger.jsonl");
    let full = fs::read(&path).unwrap();
    let last = full[..full.len() - 1].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    // The crash: the last record written only half-way.
    let cut = last + (full.len() - last) / 2;
    fs::write(&path, &full[..cut]).unwrap();

    // Reported on open, with what was lost; exit code 3 for the check.
    let out = env.run(&["ledger", "check"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stdout.contains("2 complete records, 2 licenses"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("warning: the ledger"), "{}", out.stderr);
    let lost = format!(
        "incomplete record at line 3 ({} bytes; lost: operation issue, license 1003, revision 1)",
        cut - last
    );
    assert!(out.stderr.contains(&lost), "{}", out.stderr);

    // Every complete record is still readable.
    let v = env
        .run(&["--json", "report", "issued", "--month", "2026-11"])
        .json();
    let ids: Vec<u64> = v["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["license_id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1001, 1002]);

    // Issuing is refused until the torn record is set aside: nothing is silently dropped.
    env.run(&[&["issue"], ACME].concat())
        .fails(3, "run `licensectl ledger repair`");
    assert_eq!(fs::read(&path).unwrap(), &full[..cut], "the file is untouched");
    let out = env.run(&["ledger", "repair"]).ok().to_owned();
    assert!(out.contains("The torn record was moved to"), "{out}");
    let side = find(&env.home(), "ledger.jsonl.torn-");
    assert_eq!(fs::read(side).unwrap(), &full[last..cut]);
    env.run(&["ledger", "check"]).ok();

    // The interrupted operation is issued again and gets the next free id.
    let (id, _) = env.issue(&["--licensee", "Third SA", "--users", "7", "--modules", "bi"]);
    assert_eq!(id, 1003);
}

#[test]
fn altered_record_in_the_middle_is_an_error() {
    let env = Env::ready();
    env.issue(ACME);
    env.issue(ACME);
    let path = env.path("ledger.jsonl");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen("\"named_users\":25", "\"named_users\":250", 1),
    )
    .unwrap();
    env.run(&["ledger", "check"])
        .fails(3, "is corrupt at line 1 (checksum mismatch)");
    env.run(&[&["issue"], ACME].concat())
        .fails(3, "corrupt at line 1");
}

#[cfg(unix)]
#[test]
fn repair_and_erase_write_private_files_and_erase_scrubs_the_torn_record() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let env = Env::ready();
    env.issue(ACME);
    env.issue(&[
        "--licensee",
        "Third SA",
        "--users",
        "7",
        "--contact",
        "third@example.com",
    ]);
    let path = env.path("ledger.jsonl");
    let full = fs::read_to_string(&path).unwrap();
    // Torn after the contact: the whole name and the contact are in the side file.
    let cut = full.find("third@example").unwrap() + 5;
    fs::write(&path, &full[..cut]).unwrap();
    env.run(&["ledger", "repair"]).ok();
    let side = find(&env.home(), "ledger.jsonl.torn-");
    assert_eq!(mode(&side), 0o600, "side file");
    assert!(fs::read_to_string(&side).unwrap().contains("Third SA"));
    let out = env.run(&["ledger", "erase", "--licensee", "third sa", "--pseudonym", "P-3"]);
    out.ok();
    let text = fs::read_to_string(&side).unwrap();
    assert!(!text.contains("Third") && !text.contains("third@"), "{text}");
    assert!(text.contains("\"licensee\":\"P-3\""), "{text}");
    assert_eq!(mode(&side), 0o600, "side file after erase");
    env.run(&["ledger", "erase", "--licensee", "ACME Corp"]).ok();
    assert_eq!(mode(&path), 0o600, "ledger after erase");
    assert!(!fs::read_to_string(&path).unwrap().contains("ACME"));

    // A name cut short by the crash is scrubbed too.
    env.issue(&["--licensee", "Fourth AG", "--users", "2"]);
    let full = fs::read_to_string(&path).unwrap();
    let cut = full.find("Fourth AG").unwrap() + 4;
    fs::write(&path, &full[..cut]).unwrap();
    env.run(&["ledger", "repair"]).ok();
    env.run(&["ledger", "erase", "--licensee", "Fourth AG", "--pseudonym", "P-4"])
        .ok();
    for entry in fs::read_dir(env.home()).unwrap() {
        let p = entry.unwrap().path();
        if p.to_string_lossy().contains(".torn-") {
            let text = fs::read_to_string(&p).unwrap();
            assert!(!text.contains("Four"), "{text}");
        }
    }
}
