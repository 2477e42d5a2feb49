//! A vendor's day with licensectl: keygen -> issue -> inspect -> verify -> upgrade ->
//! reduce -> report, checking output and exit codes.

mod common;
use common::*;

#[test]
fn keygen_issue_inspect_verify_upgrade_reduce_report() {
    let env = Env::new();
    let out = env.run(&["keygen"]);
    let text = out.ok();
    assert!(text.contains("Generated signing key 0x"), "{text}");
    assert!(!text.contains("PRIVATE KEY"), "the private key is never printed");
    env.run(&["keygen"]).fails(2, "use `licensectl keygen --rotate`");
    env.run(&["catalog", "--init-demo"]).ok();
    // This day holds the quarterly rule of vendor-hosted instances (the demo product's
    // contract-year rule is in tests/lifecycle.rs).
    env.use_quarterly_rule();

    // Issue: a table by default, the code on its own line.
    let out = env.run(&[&["issue"], ACME].concat());
    let text = out.ok();
    assert!(
        text.starts_with(
            "Issued: license 1001, revision 1 (issue) for ACME Corp, database DB-JBW44-P5J45-44VPC-YCED6"
        ),
        "{text}"
    );
    assert!(
        text.contains("modules           crm, budget, planning, bi"),
        "{text}"
    );
    assert!(text.contains("product line      expert"), "{text}");
    let code = text.lines().nth(2).unwrap().trim().to_owned();
    assert!(
        code.len() > 100 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "{code}"
    );

    // Inspect without a key: the scope in plain words, marked unverified.
    let text = env.run(&["inspect", &code]).ok().to_owned();
    assert!(text.starts_with("UNVERIFIED"), "{text}");
    assert!(text.contains("named users       25"), "{text}");
    assert!(
        text.contains("valid             from 2026-11-22 until 2027-11-22 (last day 2027-11-21)"),
        "{text}"
    );
    assert!(text.contains("status            valid (on 2026-11-22)"), "{text}");
    let v = env.run(&["--json", "inspect", &code]).json();
    assert_eq!(v["verified"], false);
    assert_eq!(
        v["scope"]["modules"],
        serde_json::json!(["crm", "budget", "planning", "bi"])
    );

    // With the key (the context comes from the ledger): verified.
    let text = env.run(&["inspect", &code, "--verify"]).ok().to_owned();
    assert!(text.starts_with("VERIFIED: signed by key 0x"), "{text}");
    // With the exported public key and an explicit context.
    let hex_line = env.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    let public = hex_line.split_whitespace().nth(1).unwrap().to_owned();
    let args = [
        "inspect",
        &code,
        "--public-key",
        &public,
        "--licensee",
        "acme  corp",
        "--database",
        "dbjbw44p5j4544vpcyced6",
    ];
    env.run(&args).ok();
    // A wrong licensee or database does not verify: exit code 1.
    env.run(&[
        "inspect",
        &code,
        "--public-key",
        &public,
        "--licensee",
        "Other Inc",
        "--database",
        "DB-JBW44-P5J45-44VPC-YCED6",
    ])
    .fails(1, "licensee name does not match");
    env.run(&[
        "inspect",
        &code,
        "--verify",
        "--database",
        "DB-1Q56R-8CS12-2XBB2-WT1HW",
    ])
    .fails(1, "another database");
    // A typo is located.
    let mut typo: Vec<char> = code.chars().collect();
    typo[7] = if typo[7] == 'X' { 'Y' } else { 'X' };
    let typo: String = typo.into_iter().collect();
    env.run(&["inspect", &typo]).fails(1, "typo in group 2");

    // Upgrade: a new revision, effective at once.
    let v = env
        .run(&[
            "--json",
            "upgrade",
            "1001",
            "--users",
            "30",
            "--add-modules",
            "documents",
        ])
        .json();
    assert_eq!(v["operation"], "upgrade");
    assert_eq!(v["scope"]["revision"], 2);
    assert_eq!(v["scope"]["named_users"], 30);
    assert_eq!(v["scope"]["valid_from"], "2026-11-22");
    let upgraded = v["code"].as_str().unwrap().to_owned();
    assert!(
        env.run(&["inspect", &upgraded, "--verify"])
            .ok()
            .contains("documents")
    );

    // Reduce on 12 December (the cutoff for 1 January): effective 1 January.
    let text = env
        .run_on("2026-12-12", &["reduce", "1001", "--users", "20"])
        .ok()
        .to_owned();
    assert!(
        text.starts_with(
            "Reduction ordered on 2026-12-12: effective 2027-01-01 (quarterly rule: ordered at least 20 days before the quarter start); can be withdrawn until 2026-12-12."
        ),
        "{text}"
    );
    // A second reduction while it is pending is refused with the way out.
    env.run_on("2026-12-12", &["reduce", "1001", "--seats", "5"])
        .fails(2, "reduce 1001 --withdraw");
    // Reduce again after the start, one day past the cutoff for 1 April: 1 July.
    let v = env
        .run_on(
            "2027-03-13",
            &["--json", "reduce", "1001", "--remove-modules", "bi"],
        )
        .json();
    assert_eq!(v["effective"], "2027-07-01");
    assert_eq!(v["scheduled"]["scope"]["revision"], 4);
    assert!(v["immediate"].is_null());

    // Reports.
    let csv = env
        .run(&["report", "issued", "--month", "2026-11", "--csv"])
        .ok()
        .to_owned();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "date,license_id,revision,kind,operation,product,licensee,reseller,customer_ref,line,named_users,concurrent_seats,modules,valid_from,expires,maintenance_ends"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[1].starts_with("2026-11-22,1001,1,subscription,issue,demo-erp,ACME Corp,Reseller One,,expert,25,10,crm budget planning bi,2026-11-22,2027-11-22,2027-11-22"), "{csv}");
    let v = env
        .run(&["--json", "report", "issued", "--month", "2026-12"])
        .json();
    assert_eq!(v["month"], "2026-12");
    assert_eq!(
        v["totals"][2],
        serde_json::json!({"kind": "subscription", "new_licenses": 0, "codes": 1})
    );
    let table = env
        .run(&["report", "issued", "--month", "2026-11"])
        .ok()
        .to_owned();
    assert!(table.contains("subscription  1             2"), "{table}");
    // January is billed with the reduced users from the 1st.
    let v = env
        .run(&[
            "--json",
            "report",
            "prorata",
            "--month",
            "2027-01",
            "--reseller",
            "Reseller One",
        ])
        .json();
    assert_eq!(v["rows"][0]["days"], 31);
    assert_eq!(v["rows"][0]["named_users"], 20);
    assert_eq!(v["resellers"][0]["user_days"], 31 * 20);
    let v = env
        .run(&["--json", "report", "active", "--day", "2027-02-01"])
        .json();
    assert_eq!(v["subscriptions"][0]["revision"], 3);
    let v = env
        .run_on("2027-10-25", &["--json", "report", "notices", "--days", "28"])
        .json();
    assert_eq!(v["notices"][0]["what"], "subscription");
    assert_eq!(v["notices"][0]["days_left"], 28);
    env.run(&["report", "issued", "--month", "2026-13"])
        .fails(2, "invalid month");
}

#[test]
fn subscription_lifecycle_renew_cancel_revoke_and_revocation_list() {
    let env = Env::ready();
    let (id, _) = env.issue(ACME);
    let id = id.to_string();
    // Due once the cancellation deadline (2027-08-22) has passed.
    env.run_on("2027-08-22", &["renew", &id])
        .fails(2, "can be renewed from 2027-08-23");
    let v = env.run_on("2027-10-25", &["--json", "renew", "--due"]).json();
    assert_eq!(v[0]["scope"]["valid_from"], "2027-11-22");
    assert_eq!(v[0]["scope"]["expires"], "2028-11-22");
    let text = env.run_on("2028-01-10", &["cancel", &id]).ok().to_owned();
    assert!(
        text.contains("paid until 2028-11-21 (last day), then 14 days of grace (fully usable to 2028-12-05), then demo mode with 2 seats until a new code is entered."),
        "{text}"
    );
    env.run_on("2028-10-30", &["renew", &id])
        .fails(2, "was cancelled and ends on 2028-11-22");
    env.run_on("2028-02-01", &["revoke", &id, "--reason", "order reversed"])
        .ok();
    env.run_on("2028-02-01", &["upgrade", &id, "--users", "40"])
        .fails(2, "was revoked on 2028-02-01");
    let v = env.run_on("2028-02-01", &["--json", "revoke", "--list"]).json();
    assert_eq!(v["sequence"], 1);
    assert_eq!(
        v["entries"][0],
        serde_json::json!({"license_id": 1001, "revisions": "all"})
    );
    let v = env
        .run_on("2028-02-02", &["--json", "revoke", "--list", "--valid-days", "7"])
        .json();
    assert_eq!(v["sequence"], 2, "sequence numbers increase");
    assert_eq!(v["expires"], "2028-02-09");
    assert!(env.path("revocations/demo-erp/list-2.bin").exists());
}

#[test]
fn maintenance_rehost_transfer_and_trial() {
    let env = Env::ready();
    let (id, _) = env.issue(&[
        "--licensee",
        "Reseller One",
        "--users",
        "5",
        "--modules",
        "crm",
        "--maintenance-months",
        "0",
        "--database",
        "DB-ZSNRK-1WQ6N-GHZP2-K95B9",
        "--reseller",
        "Reseller One",
    ]);
    assert_eq!(id, 1001);
    let v = env
        .run_on("2027-01-10", &["--json", "maintenance", "1001"])
        .json();
    assert_eq!(v["scope"]["maintenance_ends"], "2028-01-10");
    let v = env
        .run_on("2027-06-01", &["--json", "maintenance", "1001"])
        .json();
    assert_eq!(
        v["scope"]["maintenance_ends"], "2029-01-10",
        "a second pack extends the first"
    );
    let v = env
        .run_on(
            "2027-06-02",
            &[
                "--json",
                "rehost",
                "1001",
                "--database",
                "DB-XBCB3-D56SS-K3RXM-4N75J",
            ],
        )
        .json();
    assert_eq!(v["database"], "DB-XBCB3-D56SS-K3RXM-4N75J");
    let v = env
        .run_on(
            "2027-06-03",
            &[
                "--json",
                "rehost",
                "1001",
                "--to",
                "End Customer Ltd",
                "--customer-ref",
                "EC-9",
            ],
        )
        .json();
    assert_eq!(v["licensee"], "End Customer Ltd");
    assert_eq!(v["scope"]["revision"], 5);
    env.run_on("2027-06-03", &["rehost", "1001"])
        .fails(2, "give the new binding");
    env.run_on("2027-06-03", &["rehost", "1001", "--machine", "NOT-A-PRINT"])
        .fails(2, "machine fingerprint is invalid");
    let v = env.run_on("2027-06-03", &["--json", "revoke", "--list"]).json();
    assert_eq!(v["entries"][0]["revisions"], serde_json::json!({"up-to": 4}));
    let v = env
        .run(&["--json", "issue", "--licensee", "Prospect", "--kind", "trial"])
        .json();
    assert_eq!(v["scope"]["expires"], "2026-12-22");
    assert_eq!(v["scope"]["named_users"], 10);
    assert_eq!(v["scope"]["line"], "expert");
    assert_eq!(v["scope"]["modules"].as_array().unwrap().len(), 6);
    let v = env
        .run(&[
            "--json",
            "issue",
            "--licensee",
            "Partner",
            "--kind",
            "nfr",
            "--users",
            "3",
        ])
        .json();
    assert_eq!(v["scope"]["kind"], "nfr");
}

#[test]
fn key_rotation_keeps_old_codes_verifiable() {
    let env = Env::ready();
    let (_, old) = env.issue(ACME);
    env.run(&["keygen", "--rotate"]).ok();
    let (_, new) = env.issue(ACME);
    let v = env.run(&["--json", "pubkey"]).json();
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[1]["current"], true);
    assert_ne!(&old[..7], &new[..7], "a different key id in the code");
    env.run(&["inspect", &old, "--verify"]).ok();
    env.run(&["inspect", &new, "--verify"]).ok();
    let rust = env.run(&["pubkey", "--format", "rust"]).ok().to_owned();
    assert!(
        rust.contains("pub const VENDOR_PUBLIC_KEYS: [[u8; 32]; 2] = ["),
        "{rust}"
    );
    let c = env.run(&["pubkey", "--format", "c"]).ok().to_owned();
    assert!(
        c.contains("static const uint8_t VENDOR_PUBLIC_KEYS[2][32] = {"),
        "{c}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for entry in std::fs::read_dir(env.path("keys")).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "pem") {
                assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
            }
        }
    }
}

#[test]
fn erase_a_customer_keeps_the_numbers() {
    let env = Env::ready();
    let mut args = ACME.to_vec();
    args.extend_from_slice(&["--contact", "1 Main Street, Springfield"]);
    env.issue(&args);
    let v = env
        .run(&["--json", "ledger", "erase", "--licensee", "acme corp"])
        .json();
    assert_eq!(v["records_changed"], 1);
    let ledger = std::fs::read_to_string(env.path("ledger.jsonl")).unwrap();
    assert!(
        !ledger.contains("ACME") && !ledger.contains("Springfield"),
        "{ledger}"
    );
    let v = env
        .run(&["--json", "report", "issued", "--month", "2026-11"])
        .json();
    assert_eq!(v["codes"][0]["named_users"], 25);
    assert!(v["codes"][0]["licensee"].as_str().unwrap().starts_with("erased-"));
}

#[test]
fn cancellation_notice_is_a_catalog_setting_and_the_message_is_honest() {
    let env = Env::ready();
    let (id, _) = env.issue(ACME);
    let id = id.to_string();
    // Default (3 months): cancelled on 2027-10-01, after the deadline 2027-08-22.
    let text = env.run_on("2027-10-01", &["cancel", &id]).ok().to_owned();
    assert!(text.contains("it renews once more"), "{text}");
    assert!(
        text.contains("paid until 2028-11-21 (last day), then 14 days of grace (fully usable to 2028-12-05), then demo mode with 2 seats until a new code is entered."),
        "{text}"
    );
    let v = env.run_on("2027-10-25", &["--json", "renew", "--due"]).json();
    assert_eq!(v[0]["scope"]["expires"], "2028-11-22", "the promised renewal");

    // A product without notice (USE-CASES §2): any day before the end stops the renewal.
    let path = env.path("catalog/demo-erp.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("cancellation_notice_months = 3", "cancellation_notice_months = 0"),
    )
    .unwrap();
    let (id, _) = env.issue(ACME);
    let v = env
        .run_on("2027-11-21", &["--json", "cancel", &id.to_string()])
        .json();
    assert_eq!(
        (
            v["ends"].as_str(),
            v["last_day"].as_str(),
            v["renews_once_more"].as_bool()
        ),
        (Some("2027-11-22"), Some("2027-11-21"), Some(false))
    );
    std::fs::write(
        &path,
        text.replace(
            "cancellation_notice_months = 3",
            "cancellation_notice_months = 5000",
        ),
    )
    .unwrap();
    env.run(&["catalog"])
        .fails(3, "cancellation_notice_months = 5000 is too long");
}

#[test]
fn renew_due_keeps_going_after_a_failure_and_exits_non_zero() {
    let env = Env::ready();
    for users in ["5", "25", "6"] {
        env.issue(&["--licensee", "R", "--kind", "subscription", "--users", users]);
    }
    // The catalog's limit lowered after issuing: license 1002 can no longer be renewed.
    let path = env.path("catalog/demo-erp.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("max_named_users = 5000", "max_named_users = 10"),
    )
    .unwrap();
    let out = env.run_on("2027-10-25", &["renew", "--due"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stdout.matches("Renewed: license").count(),
        2,
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("license 1001") && out.stdout.contains("license 1003"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("error: license 1002 was not renewed: named users of 25"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 of 3 renewals due failed"),
        "{}",
        out.stderr
    );
    // The two renewals were recorded: only 1002 is still due.
    let out = env.run_on("2027-10-26", &["--json", "renew", "--due"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn prorata_bills_a_late_renewal_from_the_end_of_the_previous_term() {
    let env = Env::ready();
    env.issue(&["--licensee", "Late Ltd", "--kind", "subscription", "--users", "4"]);
    // Term ends 2027-11-22; renewed in grace on 2027-11-30 (valid from that day).
    let v = env.run_on("2027-11-30", &["--json", "renew", "1001"]).json();
    assert_eq!(v[0]["scope"]["valid_from"], "2027-11-30");
    let v = env
        .run(&["--json", "report", "prorata", "--month", "2027-11"])
        .json();
    let days: u64 = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["days"].as_u64().unwrap())
        .sum();
    assert_eq!(days, 30, "every day of November is billed: {v}");
    assert_eq!(v["resellers"][0]["user_days"], 30 * 4);
}
