//! Must show (reporting): the vendor certifies Contoso, Contoso certifies Fabrikam; both
//! issue in their own homes and export the month; the vendor imports both exports (every
//! code verified, a second import adds nothing, a tampered file is refused whole) and runs
//! the issued, pro-rata and invoice reports; `license-check` accepts a reseller's code with
//! the vendor's key.

mod common;

use std::path::Path;

use common::Env;
use common::reseller::{certified, license_check, vendor_key};
use serde_json::Value;

/// Issue on `date` in `env`'s home; the JSON answer.
fn issue_on(env: &Env, date: &str, args: &[&str]) -> Value {
    env.run_on(date, &[&["--json", "issue"], args].concat()).json()
}

fn subscription<'a>(licensee: &'a str, users: &'a str, database: &'a str) -> Vec<&'a str> {
    vec![
        "--licensee",
        licensee,
        "--kind",
        "subscription",
        "--line",
        "standard",
        "--users",
        users,
        "--modules",
        "crm",
        "--database",
        database,
    ]
}

fn export(env: &Env, name: &str) -> std::path::PathBuf {
    let out = env.path(&format!("{name}-2026-11.jsonl"));
    let v = env
        .run_on(
            "2026-12-01",
            &[
                "--json",
                "report",
                "export",
                "--month",
                "2026-11",
                "--out",
                out.to_str().unwrap(),
            ],
        )
        .json();
    assert_eq!(v["reseller"], name, "{v}");
    out
}

fn import(vendor: &Env, file: &Path) -> common::Run {
    vendor.run_on(
        "2026-12-02",
        &["--json", "report", "import", file.to_str().unwrap()],
    )
}

/// The export at `file` with its first record changed by `edit`, written beside it.
fn tampered(file: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> std::path::PathBuf {
    let text = std::fs::read_to_string(file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut record: Value = serde_json::from_str(&lines[1]).unwrap();
    edit(&mut record);
    lines[1] = serde_json::to_string(&record).unwrap();
    let out = file.with_file_name(name);
    std::fs::write(&out, lines.join("\n") + "\n").unwrap();
    out
}

fn line<'a>(section: &'a Value, reseller: &str, kind: &str) -> &'a Value {
    section["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["reseller"] == reseller && l["kind"] == kind)
        .unwrap_or_else(|| panic!("no {reseller} {kind} line in {section}"))
}

#[test]
fn resellers_export_the_vendor_imports_verifies_and_invoices() {
    let vendor = Env::ready();
    // A direct sale: not on any reseller's invoice.
    issue_on(
        &vendor,
        "2026-11-03",
        &subscription("Direct AG", "10", "DB-R9838-ZN40E-C0R7Y-Q6DFK"),
    );

    let (contoso, contoso_key, _) = certified(
        &vendor,
        "Contoso",
        "7",
        "50",
        &["--subscription-days", "400", "--depth", "1"],
    );
    let acme = issue_on(
        &contoso,
        "2026-11-02",
        &subscription("ACME Corp", "20", "DB-JBW44-P5J45-44VPC-YCED6"),
    );
    assert_eq!(acme["scope"]["license_id"], 500_000);
    issue_on(
        &contoso,
        "2026-11-05",
        &[
            "--licensee",
            "Globex",
            "--kind",
            "trial",
            "--days",
            "30",
            "--users",
            "5",
            "--line",
            "standard",
            "--modules",
            "crm",
        ],
    );

    let (fabrikam, _, _) = certified(
        &contoso,
        "Fabrikam",
        "1",
        "10",
        &["--subscription-days", "400", "--as-reseller"],
    );
    let umbrella = issue_on(
        &fabrikam,
        "2026-11-16",
        &subscription("Umbrella", "10", "DB-M5EYY-WDFFY-G360Y-BMBQS"),
    );
    assert_eq!(umbrella["scope"]["license_id"], 500_100);

    // Each reseller exports its month; the vendor imports both.
    let contoso_file = export(&contoso, "Contoso");
    let fabrikam_file = export(&fabrikam, "Fabrikam");
    let text = std::fs::read_to_string(&contoso_file).unwrap();
    assert!(text.starts_with("{\"format\":\"license-kit/reseller-export\",\"version\":2,"));
    assert_eq!(text.lines().count(), 3, "header and two records");
    let v = import(&vendor, &contoso_file).json();
    assert_eq!(
        (v["imported"].as_u64(), v["already_imported"].as_u64()),
        (Some(2), Some(0))
    );
    let v = import(&vendor, &fabrikam_file).json();
    assert_eq!(v["imported"], 1);
    // Again: nothing added.
    let v = import(&vendor, &contoso_file).json();
    assert_eq!(
        (v["imported"].as_u64(), v["already_imported"].as_u64()),
        (Some(0), Some(2))
    );
    let imports = vendor.path("imports/ledger.jsonl");
    let before = std::fs::read_to_string(&imports).unwrap();
    assert_eq!(before.lines().count(), 3);
    // The vendor's support sees a reseller's license in plain words.
    let shown = vendor.run(&["show", "500000"]).ok().to_owned();
    assert!(shown.contains("ACME Corp") && shown.contains("20"), "{shown}");
    // The vendor's own ledger holds only its own sale; its next id is its own.
    assert_eq!(
        std::fs::read_to_string(vendor.path("ledger.jsonl"))
            .unwrap()
            .lines()
            .count(),
        1
    );

    // Issued: per reseller and kind, the sub-reseller's invoiced to Contoso.
    let issued = vendor
        .run(&["--json", "report", "issued", "--month", "2026-11"])
        .json();
    assert_eq!(issued["codes"].as_array().unwrap().len(), 4);
    let by = |reseller: &str, kind: &str| {
        issued["resellers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["reseller"] == reseller && t["kind"] == kind)
            .unwrap_or_else(|| panic!("no {reseller} {kind} in {issued}"))
            .clone()
    };
    assert_eq!(by("Contoso", "subscription")["new_licenses"], 1);
    assert_eq!(by("Contoso", "demo/trial")["new_licenses"], 1);
    assert_eq!(by("Fabrikam", "subscription")["invoiced"], "Contoso");
    let only = vendor
        .run(&[
            "--json",
            "report",
            "issued",
            "--month",
            "2026-11",
            "--reseller",
            "Fabrikam",
        ])
        .json();
    assert_eq!(only["codes"].as_array().unwrap().len(), 1);
    assert_eq!(only["codes"][0]["licensee"], "Umbrella");

    // Pro rata: ACME 2-30 November with 20 users, Umbrella 16-30 with 10.
    let p = vendor
        .run(&[
            "--json",
            "report",
            "prorata",
            "--month",
            "2026-11",
            "--reseller",
            "Contoso",
        ])
        .json();
    let total = |reseller: &str| {
        p["resellers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["reseller"] == reseller)
            .unwrap_or_else(|| panic!("no {reseller} in {p}"))
            .clone()
    };
    assert_eq!(
        (
            total("Contoso")["days"].as_u64(),
            total("Contoso")["user_days"].as_u64()
        ),
        (Some(29), Some(580))
    );
    assert_eq!(
        (
            total("Fabrikam")["days"].as_u64(),
            total("Fabrikam")["invoiced"].as_str()
        ),
        (Some(15), Some("Contoso"))
    );

    // The invoice basis: one section, Contoso's, with Fabrikam's lines in it.
    let inv = vendor
        .run(&["--json", "report", "invoice", "--month", "2026-11"])
        .json();
    let sections = inv["resellers"].as_array().unwrap();
    assert_eq!(sections.len(), 1, "{inv}");
    let s = &sections[0];
    assert_eq!(s["invoiced"], "Contoso");
    let sub = line(s, "Contoso", "subscription");
    assert_eq!(
        (sub["new_licenses"].as_u64(), sub["subscription_days"].as_u64()),
        (Some(1), Some(29))
    );
    assert_eq!(line(s, "Contoso", "demo/trial")["codes"], 1);
    assert_eq!(line(s, "Contoso", "full")["codes"], 0);
    assert_eq!(line(s, "Fabrikam", "subscription")["user_days"], 150);
    let csv = vendor
        .run(&["report", "invoice", "--month", "2026-11", "--csv"])
        .ok()
        .to_owned();
    assert!(
        csv.contains("2026-11,Contoso,Fabrikam,subscription,1,0,1,1,15,150"),
        "{csv}"
    );
    let table = vendor
        .run(&["report", "invoice", "--month", "2026-11"])
        .ok()
        .to_owned();
    assert!(table.contains("Invoice basis of Contoso for 2026-11"), "{table}");
    assert!(
        table.contains("Umbrella") && !table.contains("Direct AG"),
        "{table}"
    );

    // Contoso imports its sub-reseller's export too (checked against the vendor keys its
    // bundle brought): the basis of what it invoices Fabrikam.
    let v = import(&contoso, &fabrikam_file).json();
    assert_eq!(v["imported"], 1);
    let own = contoso
        .run(&["--json", "report", "invoice", "--month", "2026-11"])
        .json();
    assert_eq!(own["resellers"][0]["invoiced"], "Contoso", "{own}");
    assert_eq!(
        line(&own["resellers"][0], "Fabrikam", "subscription")["user_days"],
        150
    );
    // The vendor's home is no reseller's: it has nothing to export.
    let r = vendor.run(&["report", "export", "--month", "2026-11"]);
    r.fails(2, "not a reseller's home");

    // Active subscriptions count the imported ones; renewal notices stay the vendor's own
    // (a reseller renews what it issued).
    let active = vendor
        .run(&["--json", "report", "active", "--day", "2026-11-20"])
        .json();
    let ids: Vec<u64> = active["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["license_id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1001, 500_000, 500_100], "{active}");
    let notices = vendor
        .run(&["--json", "report", "notices", "--days", "400"])
        .json();
    let ids: Vec<u64> = notices["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["license_id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1001], "{notices}");

    // Tampered exports are refused whole, naming the line and the reason.
    let code = acme["code"].as_str().unwrap().to_owned();
    let at = code.len() / 2;
    let swapped = if &code[at..=at] == "A" { "B" } else { "A" };
    let one_symbol = format!("{}{swapped}{}", &code[..at], &code[at + 1..]);
    let file = tampered(&contoso_file, "symbol.jsonl", |r| {
        r["code"] = Value::from(one_symbol)
    });
    let r = import(&vendor, &file);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("line 2") && r.stderr.contains("nothing was imported"),
        "{}",
        r.stderr
    );
    let file = tampered(&contoso_file, "widened.jsonl", |r| {
        r["license"]["named_users"] = Value::from(45)
    });
    let r = import(&vendor, &file);
    assert!(
        r.stderr.contains("differs from the one its code signs"),
        "{}",
        r.stderr
    );
    // A code Contoso's key signed outside its frame (60 users; the frame allows 50), put
    // behind its chain by hand: the vendor refuses it.
    let file = tampered(&contoso_file, "outside.jsonl", |r| {
        r["license"]["named_users"] = Value::from(60);
        let license: license_core::License = serde_json::from_value(r["license"].clone()).unwrap();
        r["code"] = Value::from(outside_frame_code(
            &contoso,
            &license,
            "ACME Corp",
            "DB-JBW44-P5J45-44VPC-YCED6",
        ));
    });
    let r = import(&vendor, &file);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("60 named users") && r.stderr.contains("Contoso"),
        "{}",
        r.stderr
    );
    // Another file format, and a file cut short.
    let r = import(&vendor, &vendor.path("Contoso.bundle.json"));
    assert!(
        r.stderr.contains("not a valid reseller ledger export"),
        "{}",
        r.stderr
    );
    let cut = contoso_file.with_file_name("cut.jsonl");
    std::fs::write(&cut, text.lines().take(2).collect::<Vec<_>>().join("\n")).unwrap();
    assert!(import(&vendor, &cut).stderr.contains("cut short"));
    assert_eq!(
        std::fs::read_to_string(&imports).unwrap(),
        before,
        "nothing was imported"
    );

    // The customer's installation verifies Fabrikam's code with the vendor's key alone.
    let code_file = fabrikam.path("code.txt");
    std::fs::write(&code_file, umbrella["code"].as_str().unwrap()).unwrap();
    let check = |key: &str| {
        license_check(
            &code_file,
            &[
                "--licensee",
                "Umbrella",
                "--database",
                "DB-M5EYY-WDFFY-G360Y-BMBQS",
                "--key",
                key,
            ],
        )
    };
    let (code, v) = check(&vendor_key(&vendor));
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(
        (
            v["issuer"]["reseller"].as_str(),
            v["issuer"]["chain"][0]["name"].as_str()
        ),
        (Some("Fabrikam"), Some("Contoso"))
    );
    assert_ne!(
        check(&contoso_key).0,
        Some(0),
        "a reseller's key is no vendor key"
    );

    // Erasure reaches the imported records too.
    let v = vendor
        .run(&["--json", "ledger", "erase", "--licensee", "umbrella"])
        .json();
    assert_eq!(v["records_changed"], 1);
    assert!(!std::fs::read_to_string(&imports).unwrap().contains("Umbrella"));

    // Once the vendor's revocation list revokes Contoso's certificate, its codes (and its
    // sub-reseller's) are refused.
    revoke_certificate(&vendor, 7);
    let r = import(&vendor, &fabrikam_file);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("revoked"), "{}", r.stderr);
}

/// What a tampered reseller tool could sign: `license` with Contoso's own key, behind
/// its installed chain, without the frame check `licensectl` makes before signing.
fn outside_frame_code(
    contoso: &Env,
    license: &license_core::License,
    licensee: &str,
    database: &str,
) -> String {
    let key = license_issue::VendorKey::load(&contoso.path("reseller/reseller-key.pem")).unwrap();
    let chain_text = std::fs::read_to_string(contoso.path("reseller/chains/demo-erp.txt")).unwrap();
    let chain = license_core::CertificateChain::parse(&chain_text).unwrap();
    let ctx = license_core::Context::new("demo-erp", licensee).with_database(database);
    let code = license_core::sign(license, &ctx, key.signing_key()).unwrap();
    // A reseller's code: the chain with the code tag (0xD0 | certificates), then the code.
    let mut bytes = chain.as_bytes().to_vec();
    bytes[0] = 0xD0 | chain.len() as u8;
    bytes.extend_from_slice(code.as_bytes());
    license_core::UntrustedDelegatedCode::from_bytes(&bytes)
        .unwrap()
        .to_string()
}

/// The vendor revokes the first-level certificate `serial` (`reseller revoke`) and
/// publishes the product's revocation list (`revoke --list`), which then names it.
fn revoke_certificate(vendor: &Env, serial: u32) {
    let serial = serial.to_string();
    let r = vendor
        .run_on(
            "2026-12-02",
            &[
                "--json",
                "reseller",
                "revoke",
                "--serial",
                &serial,
                "--reason",
                "contract ended",
            ],
        )
        .json();
    assert_eq!(r["reseller"], "Contoso", "{r}");
    let list = vendor
        .run_on("2026-12-02", &["--json", "revoke", "--list"])
        .json();
    assert_eq!(
        list["certificates"][0].as_u64().map(|s| s.to_string()),
        Some(serial),
        "{list}"
    );
}

/// A crash during an import leaves a torn last record in `imports/ledger.jsonl`: `ledger
/// check` reports it, `ledger repair` sets it aside, and importing the file again adds what
/// is missing, once.
#[test]
fn an_import_cut_by_a_crash_is_repaired_and_completed() {
    let vendor = Env::ready();
    let (contoso, _, _) = certified(&vendor, "Contoso", "7", "50", &["--subscription-days", "400"]);
    issue_on(
        &contoso,
        "2026-11-02",
        &subscription("ACME Corp", "20", "DB-JBW44-P5J45-44VPC-YCED6"),
    );
    issue_on(
        &contoso,
        "2026-11-03",
        &subscription("Globex", "5", "DB-W8STC-VSF9H-YFBJ2-ZE7KA"),
    );
    let file = export(&contoso, "Contoso");
    assert_eq!(import(&vendor, &file).json()["imported"], 2);
    // The second record's line cut in the middle, as a crash while writing leaves it.
    let imports = vendor.path("imports/ledger.jsonl");
    let text = std::fs::read_to_string(&imports).unwrap();
    let first = text.find('\n').unwrap() + 1;
    std::fs::write(&imports, &text[..first + (text.len() - first) / 2]).unwrap();
    let r = vendor.run(&["ledger", "check"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("imports"), "{}", r.stderr);
    let r = import(&vendor, &file);
    assert_eq!(r.code, 3, "{}", r.stderr);
    let repaired = vendor.run(&["ledger", "repair"]).ok().to_owned();
    assert!(repaired.contains("torn imported record"), "{repaired}");
    let v = import(&vendor, &file).json();
    assert_eq!(
        (v["imported"].as_u64(), v["already_imported"].as_u64()),
        (Some(1), Some(1))
    );
    vendor.run(&["ledger", "check"]).ok();
    let issued = vendor
        .run(&["--json", "report", "issued", "--month", "2026-11"])
        .json();
    assert_eq!(issued["codes"].as_array().unwrap().len(), 2);
}
