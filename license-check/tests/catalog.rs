//! `license-check --catalog FILE`: the vendor's catalog file names the modules and lines of
//! a code, gives the product id, and a broken or foreign catalog is a wrong command line.

#[path = "../../verify-cli/tests/common/cases.rs"]
mod cases;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use license_core::ModuleSet;

/// A catalog as the vendor writes it (license-issue/catalogs/demo-erp.toml), for `product`;
/// the sections the customer's side does not read are kept to show they are ignored.
fn catalog(dir: &Path, product: &str) -> PathBuf {
    let text = include_str!("../../license-issue/catalogs/demo-erp.toml")
        .replace("product = \"demo-erp\"", &format!("product = \"{product}\""));
    let path = dir.join(format!("{product}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

/// A code for modules planning (2) and bi (3), line 1 (expert).
fn code() -> String {
    let mut l = cases::subscription();
    l.modules = ModuleSet::EMPTY.with(2).with(3);
    cases::issue(&l)
}

fn run(json: bool, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_license-check"));
    if json {
        c.arg("--json");
    }
    c.args(["--date", "2026-03-01"]).args(args).output().unwrap()
}

fn verify(json: bool, catalog: &Path, extra: &[&str]) -> Output {
    let code = code();
    let key = cases::key_hex();
    let mut args = vec![
        "verify",
        &code,
        "--licensee",
        cases::LICENSEE,
        "--database",
        cases::DATABASE,
        "--key",
        &key,
        "--catalog",
        catalog.to_str().unwrap(),
    ];
    args.extend(extra);
    run(json, &args)
}

#[test]
fn the_catalog_names_modules_and_lines_and_gives_the_product() {
    let dir = tempfile::tempdir().unwrap();
    let file = catalog(dir.path(), cases::PRODUCT);
    let text = verify(false, &file, &[]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.status.code(), Some(0), "{text:?}");
    assert!(stdout.contains("Product line:     expert"), "{stdout}");
    assert!(stdout.contains("modules: planning, bi"), "{stdout}");

    let json = verify(true, &file, &["--product", cases::PRODUCT]);
    assert_eq!(json.status.code(), Some(0), "{json:?}");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["license"]["line_name"], "expert");
    assert_eq!(v["license"]["modules"], serde_json::json!(["planning", "bi"]));
    assert_eq!(v["allowed_now"]["modules"], serde_json::json!(["planning", "bi"]));

    // Names given on the command line still win over the catalog's.
    let own = verify(true, &file, &["--modules", "a,b,c,d", "--lines", "s,e"]);
    let v: serde_json::Value = serde_json::from_slice(&own.stdout).unwrap();
    assert_eq!(v["license"]["modules"], serde_json::json!(["c", "d"]));
    assert_eq!(v["license"]["line_name"], "e");
}

#[test]
fn a_broken_catalog_is_a_wrong_command_line_with_the_cause() {
    let dir = tempfile::tempdir().unwrap();
    let broken: [(&str, &str); 4] = [
        ("not-toml", "product = \n"),
        ("range", "product = \"erp\"\n[modules]\nbi = 64\n"),
        ("twice", "product = \"erp\"\n[modules]\nbi = 3\nplanning = 3\n"),
        ("line", "product = \"erp\"\n[lines]\nexpert = 16\n"),
    ];
    let mut messages = Vec::new();
    for (name, text) in broken {
        let path = dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = verify(true, &path, &[]);
        assert_eq!(out.status.code(), Some(2), "{name}: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["errors"][0]["kind"], "usage", "{name}");
        messages.push(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    assert!(messages[0].contains("is not TOML"), "{}", messages[0]);
    assert!(
        messages[1].contains("bi = 64 is not a number 0..=63"),
        "{}",
        messages[1]
    );
    assert!(messages[2].contains("number 3 two names"), "{}", messages[2]);
    assert!(
        messages[3].contains("expert = 16 is not a number 0..=15"),
        "{}",
        messages[3]
    );

    let missing = verify(false, &dir.path().join("absent.toml"), &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read the catalog file"),
        "{missing:?}"
    );
}

#[test]
fn a_catalog_of_another_product_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = catalog(dir.path(), "demo-erp");
    let out = verify(false, &other, &["--product", cases::PRODUCT]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--product erp is not the product of the catalog file")
            && stderr.contains("(demo-erp)"),
        "{stderr}"
    );
    // Without --product the catalog's product is checked against the code: wrong product.
    let foreign = verify(true, &other, &[]);
    assert_eq!(foreign.status.code(), Some(1), "{foreign:?}");
    let v: serde_json::Value = serde_json::from_slice(&foreign.stdout).unwrap();
    assert_eq!(v["errors"][0]["kind"], "wrong-product", "{v}");
}

#[test]
fn fingerprint_takes_the_product_from_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let file = catalog(dir.path(), cases::PRODUCT);
    let from_catalog = run(false, &["fingerprint", "--catalog", file.to_str().unwrap()]);
    let from_product = run(false, &["fingerprint", "--product", cases::PRODUCT]);
    assert_eq!(from_catalog.status.code(), Some(0), "{from_catalog:?}");
    assert_eq!(from_catalog.stdout, from_product.stdout);
    let other = run(
        false,
        &[
            "fingerprint",
            "--product",
            "demo-erp",
            "--catalog",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(other.status.code(), Some(2), "{other:?}");
    let none = run(false, &["fingerprint"]);
    assert_eq!(none.status.code(), Some(2), "{none:?}");
}
