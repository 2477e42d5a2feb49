//! The Rust sample of `docs/INTEGRATION.md` (`examples/license_dialog.rs`), driven through
//! its input as a user would: a code with a typo, a code for another database, then the
//! file the vendor sent; then a second start that finds the installed license.

mod common;

#[path = "../examples/license_dialog.rs"]
#[allow(dead_code)]
mod sample;

use std::io::Cursor;

use common::*;
use license_verify::Utc;
use license_verify::license_core::{Context, License, sign};

fn code_for(database: &str, licensee: &str) -> String {
    let today = Utc::now().date();
    let issued = today.saturating_add_days(-1);
    let license = License {
        issued,
        valid_from: issued,
        expires: issued.add_months(12),
        maintenance_ends: issued.add_months(12),
        ..subscription()
    };
    let ctx = Context::new("demo-erp", licensee).with_database(database);
    sign(&license, &ctx, &vendor()).unwrap().to_string()
}

fn run(setup: &sample::Setup, input: &str) -> (Option<license_verify::Verification>, String) {
    let mut out = Vec::new();
    let result = sample::dialog(setup, &mut Cursor::new(input.to_owned()), &mut out).unwrap();
    (result, String::from_utf8(out).unwrap())
}

#[test]
fn the_dialog_explains_each_refusal_and_accepts_the_right_code() {
    let dir = tempfile::tempdir().unwrap();
    let setup = sample::Setup {
        keys: keys(),
        licensee: LICENSEE.to_owned(),
        data_dir: dir.path().to_path_buf(),
    };
    // Created once, at installation; the same code at every later call.
    let fresh = tempfile::tempdir().unwrap();
    let created = sample::installation_database_code(fresh.path()).unwrap();
    assert_eq!(sample::installation_database_code(fresh.path()).unwrap(), created);
    // The dialog's installation has a fixed code: a code for another database is refused as
    // such only when the two codes' 8-bit hints differ (otherwise the signature check
    // refuses it, as docs/FORMAT.md says), which a random code would miss 1 time in 256.
    std::fs::write(dir.path().join("database-code"), "DB-JBW44-P5J45-44VPC-YCED6").unwrap();
    let db = sample::installation_database_code(dir.path()).unwrap();
    assert_eq!(db.to_string(), "DB-JBW44-P5J45-44VPC-YCED6");

    let good = code_for(&db.to_string(), LICENSEE);
    let mut typo: Vec<char> = good.chars().collect();
    typo[12] = if typo[12] == '7' { '8' } else { '7' };
    let typo: String = typo.into_iter().collect();
    let other_db = code_for("DB-0000-0001", LICENSEE);
    let file = dir.path().join("from-vendor.txt");
    std::fs::write(&file, format!("{good}\n")).unwrap();

    let input = format!("{typo}\n{other_db}\n{}\n", file.display());
    let (accepted, out) = run(&setup, &input);
    let accepted = accepted.unwrap_or_else(|| panic!("not accepted:\n{out}"));
    assert!(accepted.is_usable());
    assert!(accepted.has_module("bi") && !accepted.has_module("planning"));
    assert!(out.contains(&format!("Database code:       {db}")), "{out}");
    assert!(out.contains("Refused: typo in group 3"), "{out}");
    assert!(out.contains("Paste the code again"), "{out}");
    assert!(
        out.contains("Refused: the license code was issued for another database"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "Send this installation's database code to the vendor: {db}"
        )),
        "{out}"
    );
    assert!(out.contains("License accepted."), "{out}");
    assert_eq!(out.matches("Paste the license code").count(), 3, "{out}");

    // The next start finds the installed license without asking.
    let (again, out) = run(&setup, "");
    assert!(again.is_some(), "{out}");
    assert!(!out.contains("Paste the license code"), "{out}");
}

#[test]
fn giving_up_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let setup = sample::Setup {
        keys: keys(),
        licensee: LICENSEE.to_owned(),
        data_dir: dir.path().to_path_buf(),
    };
    let (none, out) = run(&setup, "\n");
    assert!(none.is_none());
    assert!(out.contains("No license entered."), "{out}");
    // A code signed for another licensee: refused with the reason.
    let db = sample::installation_database_code(dir.path()).unwrap();
    let (none, out) = run(&setup, &format!("{}\n", code_for(&db.to_string(), "Globex Inc")));
    assert!(none.is_none());
    assert!(out.contains("Refused: the licensee name does not match"), "{out}");
}
