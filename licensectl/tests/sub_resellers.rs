//! Issue 20, item 7 (first half): the vendor's import registers the sub-reseller
//! certificates of the codes it imports (a reseller's sub-reseller serials are unique:
//! an import meeting one serial with two keys is refused whole), `reseller list` shows
//! them, `reseller revoke --serial R --sub-serial S` revokes one sub-reseller, `revoke
//! --list` signs a version-3 list naming the pair, and `license-check` with that list
//! refuses the sub-reseller's code while its reseller's own code stays valid.

mod common;

use std::path::Path;

use common::Env;
use common::reseller::{certified, keygen, vendor_key};
use serde_json::Value;

fn issue_on(env: &Env, date: &str, licensee: &str, database: &str) -> Value {
    env.run_on(
        date,
        &[
            "--json",
            "issue",
            "--licensee",
            licensee,
            "--kind",
            "subscription",
            "--line",
            "standard",
            "--users",
            "5",
            "--modules",
            "crm",
            "--database",
            database,
        ],
    )
    .json()
}

fn export(env: &Env, name: &str) -> std::path::PathBuf {
    let out = env.path(&format!("{name}-2026-11.jsonl"));
    env.run_on(
        "2026-12-01",
        &[
            "report",
            "export",
            "--month",
            "2026-11",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    out
}

fn import(vendor: &Env, file: &Path) -> common::Run {
    vendor.run_on(
        "2026-12-02",
        &["--json", "report", "import", file.to_str().unwrap()],
    )
}

/// `license-check --json verify` of `code` on 2026-12-05 with the vendor's key and the
/// revocation list `list`: the exit code and JSON.
fn check(vendor: &Env, code: &str, licensee: &str, database: &str, list: &Path) -> (Option<i32>, Value) {
    let file = vendor.path(&format!("{licensee}.txt"));
    std::fs::write(&file, code).unwrap();
    let out = std::process::Command::new(common::license_check_bin())
        .args([
            "--json",
            "--date",
            "2026-12-05",
            "verify",
            "--product",
            "demo-erp",
            "--file",
        ])
        .arg(&file)
        .args([
            "--licensee",
            licensee,
            "--database",
            database,
            "--key",
            &vendor_key(vendor),
        ])
        .arg("--revocation-list")
        .arg(list)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v)
}

#[test]
fn sub_resellers_are_registered_at_import_unique_per_reseller_and_revocable_one_by_one() {
    let vendor = Env::ready();
    let (contoso, _, _) = certified(
        &vendor,
        "Contoso",
        "7",
        "50",
        &["--subscription-days", "400", "--depth", "1"],
    );
    let acme = issue_on(&contoso, "2026-11-02", "ACME Corp", "DB-JBW44-P5J45-44VPC-YCED6");
    let (fabrikam, _, _) = certified(
        &contoso,
        "Fabrikam",
        "1",
        "10",
        &["--subscription-days", "400", "--as-reseller"],
    );
    let umbrella = issue_on(&fabrikam, "2026-11-16", "Umbrella", "DB-M5EYY-WDFFY-G360Y-BMBQS");
    // Contoso gives serial 1 a second time, to another key (with ids apart from Fabrikam's).
    let litware = Env::new();
    let key = keygen(&litware);
    let bundle = contoso.path("Litware.bundle.json");
    contoso
        .run(&[
            "reseller",
            "certify",
            "--as-reseller",
            "--public-key",
            &key,
            "--name",
            "Litware",
            "--serial",
            "1",
            "--kinds",
            "subscription",
            "--modules",
            "crm",
            "--max-users",
            "10",
            "--subscription-days",
            "400",
            "--until",
            "2027-12-31",
            "--license-ids",
            "500200-500299",
            "--bundle",
            bundle.to_str().unwrap(),
        ])
        .ok();
    litware
        .run(&["reseller", "install", bundle.to_str().unwrap()])
        .ok();
    issue_on(&litware, "2026-11-20", "Initech", "DB-W8STC-VSF9H-YFBJ2-ZE7KA");

    assert_eq!(
        import(&vendor, &export(&contoso, "Contoso")).json()["sub_resellers_registered"],
        0
    );
    let fabrikam_file = export(&fabrikam, "Fabrikam");
    let v = import(&vendor, &fabrikam_file).json();
    assert_eq!(
        (v["imported"].as_u64(), v["sub_resellers_registered"].as_u64()),
        (Some(1), Some(1))
    );
    // Again: the same certificate, nothing new.
    assert_eq!(
        import(&vendor, &fabrikam_file).json()["sub_resellers_registered"],
        0
    );
    let imports = std::fs::read_to_string(vendor.path("imports/ledger.jsonl")).unwrap();
    let r = import(&vendor, &export(&litware, "Litware"));
    r.fails(
        1,
        "reseller Contoso (certificate 7 of demo-erp) gave its sub-reseller serial 1 to Fabrikam and again to another key (Litware)",
    );
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(vendor.path("imports/ledger.jsonl")).unwrap(),
        imports,
        "nothing was imported"
    );

    // The register lists Contoso and Fabrikam under it.
    let list = vendor.run(&["--json", "reseller", "list"]).json();
    assert_eq!(list["certificates"][0]["reseller"], "Contoso", "{list}");
    let sub = &list["sub_certificates"][0];
    assert_eq!(
        (
            sub["reseller_serial"].as_u64(),
            sub["serial"].as_u64(),
            sub["sub_reseller"].as_str()
        ),
        (Some(7), Some(1), Some("Fabrikam")),
        "{list}"
    );
    assert_eq!(list["sub_certificates"].as_array().unwrap().len(), 1);
    let table = vendor.run(&["reseller", "list"]).ok().to_owned();
    assert!(table.contains("Fabrikam (under Contoso)"), "{table}");

    // Revoking an unknown pair, then Fabrikam's, then Fabrikam's again.
    vendor
        .run(&["reseller", "revoke", "--serial", "7", "--sub-serial", "9"])
        .fails(
            2,
            "no sub-reseller certificate 9 under reseller certificate 7 of demo-erp",
        );
    let r = vendor
        .run_on(
            "2026-12-03",
            &[
                "--json",
                "reseller",
                "revoke",
                "--serial",
                "7",
                "--sub-serial",
                "1",
                "--reason",
                "contract ended",
            ],
        )
        .json();
    assert_eq!(
        (r["sub_reseller"].as_str(), r["reseller"].as_str()),
        (Some("Fabrikam"), Some("Contoso"))
    );
    vendor
        .run(&["reseller", "revoke", "--serial", "7", "--sub-serial", "1"])
        .fails(2, "was revoked on 2026-12-03");
    let listed = vendor.run(&["--json", "reseller", "list"]).json();
    assert_eq!(listed["sub_certificates"][0]["revoked"], "2026-12-03");

    // The next list is of version 3 and names the pair; the first-level list is empty.
    let published = vendor
        .run_on("2026-12-03", &["--json", "revoke", "--list"])
        .json();
    assert_eq!(published["version"], 3, "{published}");
    assert_eq!(
        published["sub_certificates"],
        serde_json::json!([{"reseller": 7, "sub_reseller": 1}])
    );
    assert_eq!(published["certificates"], serde_json::json!([]));
    let words = vendor.run_on("2026-12-04", &["revoke", "--list"]).ok().to_owned();
    assert!(
        words.contains("Sub-reseller certificates revoked (every code under them): 1 under 7."),
        "{words}"
    );
    assert!(
        published["file"].as_str().unwrap().ends_with("list-1.bin"),
        "{published}"
    );
    // The newest list (the second, with the same pair).
    let list_file = vendor.path("revocations/demo-erp/list-2.bin");

    // The customer's installation with that list: Fabrikam's code refused, Contoso's not.
    let (code, v) = check(
        &vendor,
        umbrella["code"].as_str().unwrap(),
        "Umbrella",
        "DB-M5EYY-WDFFY-G360Y-BMBQS",
        &list_file,
    );
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(v["errors"][0]["kind"], "delegation", "{v}");
    assert!(
        v["errors"][0]["message"].as_str().unwrap().contains(
            "the certificate 1 of sub-reseller Fabrikam, under the reseller certificate 7, was revoked by the vendor"
        ),
        "{v}"
    );
    let (code, v) = check(
        &vendor,
        acme["code"].as_str().unwrap(),
        "ACME Corp",
        "DB-JBW44-P5J45-44VPC-YCED6",
        &list_file,
    );
    assert_eq!(code, Some(0), "{v}");
    // And the vendor's import refuses Fabrikam's codes from now on.
    let r = import(&vendor, &fabrikam_file);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("sub-reseller Fabrikam"), "{}", r.stderr);
}
