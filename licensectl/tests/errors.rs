//! The errors a user meets: a one-line cause on stderr and a documented exit code
//! (1 invalid code, 2 bad input or refused by the rules, 3 files and corrupt data).

mod common;
use common::*;

use std::fs;

#[test]
fn missing_key_file() {
    let env = Env::new();
    env.run(&["catalog", "--init-demo"]).ok();
    env.run(&[&["issue"], ACME].concat())
        .fails(3, "no signing key at");
    // The key ring is there but its key file is gone.
    env.run(&["keygen"]).ok();
    let pem = find(&env.path("keys"), "key-");
    fs::remove_file(&pem).unwrap();
    env.run(&[&["issue"], ACME].concat()).fails(3, "but its key file");
    let out = env.run(&[&["issue"], ACME].concat());
    assert!(
        out.stderr
            .contains("is missing: restore the file from your backup, or run `licensectl keygen --rotate`"),
        "{}",
        out.stderr
    );
    assert!(!env.path("ledger.jsonl").exists() || fs::read(env.path("ledger.jsonl")).unwrap().is_empty());
}

#[cfg(unix)]
#[test]
fn key_file_with_wrong_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::ready();
    let pem = find(&env.path("keys"), "key-");
    fs::set_permissions(&pem, fs::Permissions::from_mode(0o644)).unwrap();
    env.run(&[&["issue"], ACME].concat()).fails(
        3,
        "is readable by its group and readable by other users (mode 644): run `chmod 600",
    );
    fs::set_permissions(&pem, fs::Permissions::from_mode(0o620)).unwrap();
    env.run(&[&["issue"], ACME].concat())
        .fails(3, "is writable by its group (mode 620)");
    fs::set_permissions(&pem, fs::Permissions::from_mode(0o600)).unwrap();
    env.run(&[&["issue"], ACME].concat()).ok();
}

#[test]
fn damaged_key_file() {
    let env = Env::ready();
    let pem = find(&env.path("keys"), "key-");
    fs::write(
        &pem,
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    env.run(&[&["issue"], ACME].concat())
        .fails(3, "is not an Ed25519 PKCS#8 PEM private key");
}

#[test]
fn corrupt_catalog() {
    let env = Env::ready();
    let path = env.path("catalog/demo-erp.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("bi = 3", "bi = 3\nbi2 = 3")).unwrap();
    env.run(&[&["issue"], ACME].concat())
        .fails(3, "modules 'bi' and 'bi2' share bit 3");
    fs::write(&path, "product = \"demo-erp\"\n[modules\n").unwrap();
    env.run(&[&["issue"], ACME].concat()).fails(3, "catalog");
    fs::write(&path, text.replace("[trial]", "[trial]\ncolour = \"red\"")).unwrap();
    env.run(&["catalog"]).fails(3, "unknown field `colour`");
    // An explicit catalog file that does not exist.
    env.run(&["--catalog", "nowhere.toml", "catalog"])
        .fails(3, "nowhere.toml");
}

#[test]
fn unknown_module_and_other_input_errors() {
    let env = Env::ready();
    let mut args = vec![
        "issue",
        "--licensee",
        "ACME Corp",
        "--users",
        "5",
        "--modules",
        "crm,payroll",
    ];
    env.run(&args).fails(
        2,
        "unknown module 'payroll' for product demo-erp: the catalog defines crm, budget",
    );
    args[6] = "crm";
    env.run(&[
        "issue",
        "--licensee",
        "ACME Corp",
        "--users",
        "5",
        "--line",
        "gold",
    ])
    .fails(2, "unknown product line 'gold'");
    env.run(&["issue", "--licensee", "ACME Corp", "--users", "0"])
        .fails(2, "at least one user");
    env.run(&["issue", "--licensee", "ACME Corp", "--users", "9000"])
        .fails(2, "exceeds the 5000");
    env.run(&[
        "issue",
        "--licensee",
        "X",
        "--users",
        "5",
        "--kind",
        "subscription",
        "--until",
        "2026-11-01",
    ])
    .fails(2, "expire on 2026-11-01");
    env.run(&["issue", "--licensee", "X", "--users", "5", "--product", "other"])
        .fails(2, "no catalog for product 'other'");
    env.run(&["upgrade", "4242", "--users", "9"])
        .fails(2, "license 4242 is not in the ledger");
    env.run(&["inspect", "HELLO"]).fails(1, "license code");
    env.run(&["inspect", ""]).fails(1, "no license code was entered");
    // Nothing was recorded by the refused orders.
    env.run(&args).ok();
    let v = env
        .run(&["--json", "report", "issued", "--month", "2026-11"])
        .json();
    assert_eq!(v["codes"].as_array().unwrap().len(), 1);
    // clap's own usage errors also exit with 2.
    assert_eq!(env.run(&["issue"]).code, 2);
    assert_eq!(env.run(&["frobnicate"]).code, 2);
    assert_eq!(env.run(&["--date", "2026-02-30", "report", "issued"]).code, 2);
}

#[test]
fn huge_month_counts_are_refused_not_overflowed() {
    let env = Env::ready();
    env.run(&[
        "issue",
        "--licensee",
        "A",
        "--kind",
        "subscription",
        "--users",
        "3",
        "--months",
        "4294967295",
    ])
    .fails(
        2,
        "term of 4294967295 months is out of range: use 1 to 1200 months",
    );
    env.run(&[
        "issue",
        "--licensee",
        "A",
        "--users",
        "3",
        "--maintenance-months",
        "4294967295",
    ])
    .fails(2, "maintenance of 4294967295 months is out of range");
    let path = env.path("catalog/demo-erp.toml");
    let text = fs::read_to_string(&path).unwrap();
    for key in ["subscription_months", "maintenance_months"] {
        let from = format!("{key} = 12");
        fs::write(&path, text.replace(&from, &format!("{key} = 4294967295"))).unwrap();
        env.run(&[&["issue"], ACME].concat()).fails(
            3,
            &format!("defaults.{key} = 4294967295 is too long: at most 1200 months"),
        );
    }
    fs::write(&path, text).unwrap();
    env.run(&[
        "issue",
        "--licensee",
        "A",
        "--kind",
        "subscription",
        "--users",
        "3",
        "--months",
        "1200",
    ])
    .ok();
}

#[test]
fn broken_catalog_is_reported_by_verify_and_a_warning_elsewhere() {
    let env = Env::ready();
    let (_, code) = env.issue(ACME);
    let path = env.path("catalog/demo-erp.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("bi = 3", "bi = 3\nbi2 = 3")).unwrap();
    env.run(&[
        "verify",
        &code,
        "--licensee",
        "ACME Corp",
        "--product",
        "demo-erp",
    ])
    .fails(3, "modules 'bi' and 'bi2' share bit 3");
    let out = env.run(&["inspect", &code]);
    out.ok();
    assert!(
        out.stderr.contains("warning: the product catalog"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("share bit 3"), "{}", out.stderr);
    let out = env.run(&["report", "issued", "--month", "2026-11"]);
    out.ok();
    assert!(
        out.stderr.contains("share bit 3") && out.stderr.contains("Showing line numbers"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("module#"), "{}", out.stdout);
}

#[test]
fn demo_seats_and_grace_days_are_limited_by_the_catalog() {
    let env = Env::ready();
    let base = ["issue", "--licensee", "A", "--users", "3"];
    env.run(&[&base[..], &["--demo-seats", "4294967295"]].concat())
        .fails(
            2,
            "demo seats of 4294967295 exceeds the 100 the product demo-erp allows",
        );
    env.run(&[&base[..], &["--grace-days", "65535"]].concat()).fails(
        2,
        "grace days of 65535 exceeds the 90 the product demo-erp allows",
    );
    env.run(&[&base[..], &["--grace-days", "90", "--demo-seats", "100"]].concat())
        .ok();
    let path = env.path("catalog/demo-erp.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("grace_days = 14", "grace_days = 400")).unwrap();
    env.run(&["catalog"]).fails(
        3,
        "defaults.grace_days = 400 is above defaults.max_grace_days = 90",
    );
}

/// Issue 19, item 5: `issue` and `rehost --database` read the database code with the
/// library's reader: a typo is refused with its group (nothing signed, nothing recorded),
/// a code with case and dashes changed is signed in its canonical form, and the old README
/// example `DB-7F3A-22C1` is not a database code unless the catalog says `free-form`.
#[test]
fn a_mistyped_database_code_is_refused_with_its_group() {
    let env = Env::ready();
    let issue = |db: &str| {
        env.run(&[
            "issue",
            "--licensee",
            "ACME Corp",
            "--users",
            "5",
            "--database",
            db,
        ])
    };
    issue("DB-GBGM2-P3A1B-E2BR1-0N8XN").fails(2, "typo in group 4 of the database code");
    assert!(!env.path("ledger.jsonl").exists() || fs::read(env.path("ledger.jsonl")).unwrap().is_empty());
    issue("DB-7F3A-22C1").fails(2, "a database code has 20 characters after DB-");
    // The pinned example of docs/FORMAT.md, typed sloppily: signed as DB-B80ZZ-01W25-SE82D-XMET2.
    let (id, code) = env.issue(&[
        "--licensee",
        "ACME Corp",
        "--users",
        "5",
        "--database",
        "db b8ozz 01w25 se82d xmet2",
    ]);
    env.run(&[
        "verify",
        &code,
        "--licensee",
        "ACME Corp",
        "--database",
        "DB-B80ZZ-01W25-SE82D-XMET2",
    ])
    .ok();
    let id = id.to_string();
    env.run(&["rehost", &id, "--database", "DB-B80ZZ-01W25-SE82D-XMET3"])
        .fails(2, "typo in group 4 of the database code");
    // A product with database identifiers of its own says so once in its catalog.
    let path = env.path("catalog/demo-erp.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen(
            "database_codes = \"toolkit\"",
            "database_codes = \"free-form\"",
            1,
        ),
    )
    .unwrap();
    issue("DB-7F3A-22C1").ok();
}

#[test]
fn names_with_controls_or_nothing_visible_are_refused_by_the_librarys_rule() {
    let env = Env::ready();
    env.run(&["issue", "--licensee", "ACME\u{202E}proC", "--users", "5"])
        .fails(
            2,
            "--licensee is refused: it contains a bidirectional control character",
        );
    env.run(&["issue", "--licensee", "\u{200B}", "--users", "5"])
        .fails(
            2,
            "--licensee is refused: it is empty or has no visible character",
        );
    env.run(&[
        "issue",
        "--licensee",
        "ACME Corp",
        "--users",
        "5",
        "--customer-ref",
        "K\u{7}1",
    ])
    .fails(2, "--customer-ref is refused: it contains a control character");
}
