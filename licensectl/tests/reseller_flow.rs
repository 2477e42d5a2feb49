//! Must show (reporting): the vendor certifies Contoso, Contoso certifies Fabrikam; both
//! issue in their own homes and export the month; the vendor imports both exports (every
//! code verified, a second import adds nothing, a tampered file is refused whole) and runs
//! the issued, pro-rata and invoice reports; `license-check` accepts a reseller's code with
//! the vendor's key.

mod common;

use std::path::Path;

use common::Env;
use serde_json::Value;

fn public_key(env: &Env) -> String {
    env.run(&["--json", "reseller", "keygen"]).json()["public_key"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn vendor_key(vendor: &Env) -> String {
    let keys = vendor.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    let line = keys.lines().next().expect("a key");
    line.split_whitespace().last().expect("a key").to_owned()
}

/// `certifier` certifies `key` as `name`: trials (30 days) and subscriptions (400 usable
/// days), crm and budget, at most `users` users, the license ids `ids`, with a bundle.
fn certify(
    certifier: &Env,
    key: &str,
    name: &str,
    serial: &str,
    users: &str,
    ids: &str,
    extra: &[&str],
) -> String {
    let bundle = certifier.path(&format!("{name}.bundle.json"));
    let bundle = bundle.to_str().unwrap().to_owned();
    let mut args = vec![
        "reseller",
        "certify",
        "--public-key",
        key,
        "--name",
        name,
        "--serial",
        serial,
        "--kinds",
        "trial,subscription",
        "--modules",
        "crm,budget",
        "--max-users",
        users,
        "--trial-days",
        "30",
        "--subscription-days",
        "400",
        "--until",
        "2027-12-31",
        "--license-ids",
        ids,
        "--bundle",
        &bundle,
    ];
    args.extend_from_slice(extra);
    certifier.run(&args).ok();
    bundle
}

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
        &subscription("Direct AG", "10", "DB-0000-0001"),
    );

    let contoso = Env::new();
    let contoso_key = public_key(&contoso);
    let bundle = certify(
        &vendor,
        &contoso_key,
        "Contoso",
        "7",
        "50",
        "500000-500099",
        &["--depth", "1"],
    );
    contoso.run(&["reseller", "install", &bundle]).ok();
    let acme = issue_on(
        &contoso,
        "2026-11-02",
        &subscription("ACME Corp", "20", "DB-7F3A-22C1"),
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

    let fabrikam = Env::new();
    let fabrikam_key = public_key(&fabrikam);
    let sub_bundle = certify(
        &contoso,
        &fabrikam_key,
        "Fabrikam",
        "1",
        "10",
        "500050-500099",
        &["--as-reseller"],
    );
    fabrikam.run(&["reseller", "install", &sub_bundle]).ok();
    let umbrella = issue_on(
        &fabrikam,
        "2026-11-16",
        &subscription("Umbrella", "10", "DB-0000-0099"),
    );
    assert_eq!(umbrella["scope"]["license_id"], 500_050);

    // Each reseller exports its month; the vendor imports both.
    let contoso_file = export(&contoso, "Contoso");
    let fabrikam_file = export(&fabrikam, "Fabrikam");
    let text = std::fs::read_to_string(&contoso_file).unwrap();
    assert!(text.starts_with("{\"format\":\"license-kit/reseller-export\",\"version\":1,"));
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
        csv.contains("2026-11,Contoso,Fabrikam,subscription,1,1,1,15,150"),
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
    assert_eq!(ids, [1001, 500_000, 500_050], "{active}");
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
            "DB-7F3A-22C1",
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
    let r = import(&vendor, &bundle_path(&bundle));
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
        std::process::Command::new(common::license_check_bin())
            .args(["--json", "--date", "2026-11-20", "verify", "--file"])
            .arg(&code_file)
            .args(["--licensee", "Umbrella", "--database", "DB-0000-0099"])
            .args(["--key", key, "--product", "demo-erp"])
            .output()
            .unwrap()
    };
    let out = check(&vendor_key(&vendor));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{v}");
    assert_eq!(
        (
            v["issuer"]["reseller"].as_str(),
            v["issuer"]["chain"][0]["name"].as_str()
        ),
        (Some("Fabrikam"), Some("Contoso"))
    );
    assert_ne!(
        check(&contoso_key).status.code(),
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

fn bundle_path(bundle: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(bundle)
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

/// Publish a version-2 revocation list revoking the first-level certificate `serial`, as
/// the vendor's tooling would, in the vendor's `revocations/`.
fn revoke_certificate(vendor: &Env, serial: u32) {
    let key = license_issue::KeyRing::open(&vendor.path("keys"))
        .unwrap()
        .current()
        .unwrap();
    let issued = license_core::Date::from_ymd(2026, 12, 2).unwrap();
    let list = license_core::sign_revocation_list_with_certificates(
        "demo-erp",
        1,
        issued,
        issued.saturating_add_days(30),
        &[],
        &[serial],
        key.signing_key(),
    )
    .unwrap();
    let dir = vendor.path("revocations/demo-erp");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("list-1.bin"), list).unwrap();
}
