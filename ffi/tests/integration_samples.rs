//! The C++ sample of `docs/INTEGRATION.md` (`examples/license_dialog.cpp`), built against
//! a `catalog.h` written by license-issue's catalog export (what `licensectl catalog export
//! --format c` prints) with the test key, and driven through its standard input: a code
//! with a typo, a code for another database, then the file the vendor sent; then a second
//! start that finds the installed license.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use license_core::{Context, DatabaseCode, License, PublicKey, sign};

fn code_for(database: &str) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let today = license_core::Date::from_unix_seconds(i64::try_from(secs).expect("time"));
    let issued = today.saturating_add_days(-1);
    let license = License {
        issued,
        valid_from: issued,
        expires: issued.add_months(12),
        maintenance_ends: issued.add_months(12),
        ..base_license()
    };
    let ctx = Context::new(PRODUCT, LICENSEE).with_database(database);
    sign(&license, &ctx, &vendor_key()).expect("sign").to_string()
}

fn dialog(exe: &Path, data: &Path, input: &str) -> (i32, String) {
    let mut child = Command::new(exe)
        .arg(data)
        .arg(LICENSEE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the sample");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write input");
    let out = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn cpp_license_dialog_explains_refusals_and_accepts_the_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = license_issue::Catalog::demo().expect("demo catalog");
    let key = PublicKey::from(vendor_key().verifying_key());
    let header = license_issue::export_catalog(&catalog, &[key], license_issue::CatalogFormat::C);
    std::fs::write(dir.path().join("catalog.h"), header).expect("write catalog.h");
    let exe = dir.path().join("license_dialog");
    build(
        Lang::Cxx,
        &[crate_dir().join("examples/license_dialog.cpp")],
        &[&include_dir(), dir.path()],
        &exe,
        &["-pthread"],
    );

    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data dir");
    // The installation's database code, as the product stored it at installation.
    let db = DatabaseCode::from_random([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]).to_string();
    std::fs::write(data.join("database-code"), db.to_lowercase()).expect("write");
    let good = code_for(&db);
    let mut typo: Vec<char> = good.chars().collect();
    typo[12] = if typo[12] == '7' { '8' } else { '7' };
    let typo: String = typo.into_iter().collect();
    let file = dir.path().join("from-vendor.txt");
    std::fs::write(&file, format!("{good}\n")).expect("write");

    let input = format!("{typo}\n{}\n{}\n", code_for("DB-0000-0001"), file.display());
    let (status, out) = dialog(&exe, &data, &input);
    assert_eq!(status, 0, "{out}");
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

    let (status, out) = dialog(&exe, &data, "");
    assert_eq!(status, 0, "{out}");
    assert!(!out.contains("Paste the license code"), "{out}");

    // Nothing entered in a fresh installation: exit 1, no error.
    let fresh = dir.path().join("fresh");
    std::fs::create_dir(&fresh).expect("dir");
    let (status, out) = dialog(&exe, &fresh, "\n");
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("No license entered."), "{out}");
    let created = std::fs::read_to_string(fresh.join("database-code")).expect("created");
    assert!(DatabaseCode::parse(&created).is_ok(), "{created}");
}
