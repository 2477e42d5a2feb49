//! The license lifecycle as the vendors' contracts define it, through licensectl (and
//! license-check where the customer's side matters): show, reductions, renewals, sites.

mod common;
use common::*;
use std::process::Command;

#[test]
fn show_names_the_code_in_force_and_the_scheduled_one() {
    let env = Env::ready();
    let (id, first) = env.issue(ACME);
    let id = id.to_string();
    let renewed = env.run_on("2027-09-01", &["--json", "renew", &id]).json();
    let next = renewed[0]["code"].as_str().unwrap().to_owned();
    let text = env.run_on("2027-09-01", &["show", &id]).ok().to_owned();
    assert!(
        text.starts_with(
            "License 1001 of demo-erp for ACME Corp, database DB-JBW44-P5J45-44VPC-YCED6, on 2027-09-01"
        ),
        "{text}"
    );
    let (now, later) = text
        .split_once("Scheduled from 2027-11-22, replaces revision 1 that day")
        .unwrap();
    assert!(
        now.contains("In force: revision 1 (new license), issued 2026-11-22"),
        "{text}"
    );
    assert!(now.contains(&first), "{text}");
    assert!(
        later.contains(": revision 2 (renewal), issued 2027-09-01"),
        "{text}"
    );
    assert!(later.contains(&next), "{text}");
    let v = env.run_on("2027-09-01", &["--json", "show", &id]).json();
    assert_eq!(v["in_force"]["revision"], 1);
    assert_eq!(v["in_force"]["code"], first.as_str());
    assert_eq!(v["in_force"]["last_day"], "2027-11-21");
    assert_eq!(v["scheduled"][0]["revision"], 2);
    assert_eq!(v["scheduled"][0]["valid_from"], "2027-11-22");
    // From the renewal's first day it is the code in force, nothing is scheduled.
    let v = env.run_on("2027-11-22", &["--json", "show", &id]).json();
    assert_eq!(v["in_force"]["revision"], 2);
    assert_eq!(v["scheduled"], serde_json::json!([]));
    env.run(&["show", "4711"]).fails(2, "4711");
}

/// The vendor's public key as hex (from `licensectl pubkey --format hex`).
fn key_hex(env: &Env) -> String {
    let out = env.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    out.split_whitespace().nth(1).expect("key hex").to_owned()
}

/// One check of `file` on `day` through both verifying CLIs; asserts they agree on the
/// exit code and the JSON, and returns (exit code, JSON).
fn check_both(
    env: &Env,
    file: &std::path::Path,
    licensee: &str,
    db: &str,
    day: &str,
) -> (i32, serde_json::Value) {
    let file = file.to_str().unwrap();
    let vendor = env.run_on(
        day,
        &[
            "--json",
            "verify",
            "--file",
            file,
            "--licensee",
            licensee,
            "--database",
            db,
        ],
    );
    let key = key_hex(env);
    let customer = Command::new(license_check_bin())
        .args([
            "--json",
            "--date",
            day,
            "verify",
            "--file",
            file,
            "--licensee",
            licensee,
        ])
        .args(["--database", db, "--key", &key, "--product", "demo-erp"])
        .args([
            "--modules",
            "crm,budget,planning,bi,documents,api",
            "--lines",
            "standard,expert",
        ])
        .output()
        .unwrap();
    let a: serde_json::Value =
        serde_json::from_str(&vendor.stdout).unwrap_or_else(|e| panic!("{e}: {vendor:?}"));
    let b: serde_json::Value = serde_json::from_slice(&customer.stdout).unwrap();
    assert_eq!(
        vendor.code,
        customer.status.code().unwrap(),
        "{day}: exit codes differ"
    );
    assert_eq!(a, b, "{day}: licensectl and license-check say different things");
    (vendor.code, a)
}

/// Must show (findings 1 and 2): a full license, 40 users, crm and bi, bought on
/// 2026-03-15; on 2026-12-01 `reduce --users 30 --remove-modules bi --add-modules
/// documents`. On-premises the reduction takes effect on the contract anniversary
/// 2027-03-15. Both codes in one license file, checked by licensectl and license-check the
/// day before, the day of, and 1, 14 and 15 days after: the reduced scope from its first
/// day, never grace or demo mode of the larger code.
#[test]
fn mixed_order_and_reduction_through_both_tools() {
    let env = Env::ready();
    let (db, who) = ("DB-JBW44-P5J45-44VPC-YCED6", "ACME Corp");
    env.run_on(
        "2026-03-15",
        &[
            "issue",
            "--licensee",
            who,
            "--line",
            "expert",
            "--users",
            "40",
            "--modules",
            "crm,bi",
            "--database",
            db,
        ],
    )
    .ok();
    let v = env
        .run_on(
            "2026-12-01",
            &[
                "--json",
                "reduce",
                "1001",
                "--users",
                "30",
                "--remove-modules",
                "bi",
                "--add-modules",
                "documents",
            ],
        )
        .json();
    assert_eq!(
        (v["effective"].as_str(), v["policy"].as_str()),
        (Some("2027-03-15"), Some("contract-year"))
    );
    assert_eq!(v["withdrawal_cutoff"], "2026-12-15");
    let additions = v["immediate"]["code"].as_str().unwrap().to_owned();
    let reduced = v["scheduled"]["code"].as_str().unwrap().to_owned();
    // One license file with both codes, the later one first: the order does not matter.
    let file = env.dir.path().join("license.txt");
    std::fs::write(&file, format!("{reduced}\n\n{additions}\n")).unwrap();
    let (code, before) = check_both(&env, &file, who, db, "2027-03-14");
    assert_eq!(code, 0, "{before}");
    assert_eq!(before["license"]["revision"], 2);
    assert_eq!(
        before["status"], "valid",
        "an interim code is not 'expiring soon'"
    );
    assert_eq!(before["allowed_now"]["named_users"], 40);
    assert_eq!(
        before["allowed_now"]["modules"],
        serde_json::json!(["crm", "bi", "documents"])
    );
    assert_eq!(
        before["scheduled"],
        serde_json::json!({"revision": 3, "starts": "2027-03-15"})
    );
    for day in ["2027-03-15", "2027-03-16", "2027-03-29", "2027-03-30"] {
        let (code, v) = check_both(&env, &file, who, db, day);
        assert_eq!(code, 0, "{day}: {v}");
        assert_eq!(v["license"]["revision"], 3, "{day}: the reduced code is in force");
        assert_eq!(v["status"], "valid", "{day}: never grace or demo mode");
        assert_eq!(v["allowed_now"]["named_users"], 30, "{day}");
        assert_eq!(
            v["allowed_now"]["modules"],
            serde_json::json!(["crm", "documents"]),
            "{day}"
        );
        assert_eq!(
            v["license"]["maintenance_last_day"], "2028-03-14",
            "{day}: next year's maintenance"
        );
    }
    // The additions code alone after the reduction date: replaced, not grace or demo
    // mode, and the customer is told which code to enter. Exit 3 from both.
    let alone = env.dir.path().join("additions.txt");
    std::fs::write(&alone, &additions).unwrap();
    for day in ["2027-03-15", "2027-03-29", "2027-03-30", "2028-01-01"] {
        let (code, v) = check_both(&env, &alone, who, db, day);
        assert_eq!(code, 3, "{day}: {v}");
        assert_eq!(v["status"], "replaced", "{day}: {v}");
        assert_eq!(v["status_detail"]["on"], "2027-03-15");
        assert_eq!(
            v["status_words"],
            "replaced on 2027-03-15: enter the code valid from 2027-03-15"
        );
        assert_eq!(v["allowed_now"]["named_users"], 0);
    }
    // The text says the same.
    let text = env.run_on(
        "2027-03-16",
        &[
            "verify",
            "--file",
            alone.to_str().unwrap(),
            "--licensee",
            who,
            "--database",
            db,
        ],
    );
    assert_eq!(text.code, 3);
    assert!(
        text.stdout.contains("Status:           replaced on 2027-03-15"),
        "{}",
        text.stdout
    );
    // A release built after the anniversary is covered by the reduced scope only.
    let late = env.run_on(
        "2027-06-01",
        &[
            "--json",
            "verify",
            "--file",
            file.to_str().unwrap(),
            "--licensee",
            who,
            "--database",
            db,
            "--build-date",
            "2027-06-01",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&late.stdout).unwrap();
    assert_eq!(
        (late.code, &v["release"]["release"]),
        (0, &serde_json::json!("covered"))
    );
    // A pure reduction: the original code and the reduced one in one file.
    let (_, original) = env.issue(&[
        "--licensee",
        "Other GmbH",
        "--users",
        "40",
        "--database",
        "DB-XBCB3-D56SS-K3RXM-4N75J",
    ]);
    let v = env.run(&["--json", "reduce", "1002", "--users", "30"]).json();
    assert_eq!(v["effective"], "2027-11-22");
    assert!(
        v["immediate"].is_null(),
        "maintenance ends at the anniversary already"
    );
    let file2 = env.dir.path().join("license2.txt");
    std::fs::write(
        &file2,
        format!("{original}\n{}\n", v["scheduled"]["code"].as_str().unwrap()),
    )
    .unwrap();
    for (day, revision, users) in [
        ("2027-11-21", 1, 40),
        ("2027-11-22", 2, 30),
        ("2027-11-23", 2, 30),
        ("2027-12-06", 2, 30),
        ("2027-12-07", 2, 30),
    ] {
        let (code, v) = check_both(&env, &file2, "Other GmbH", "DB-XBCB3-D56SS-K3RXM-4N75J", day);
        assert_eq!(code, 0, "{day}: {v}");
        assert_eq!(v["license"]["revision"], revision, "{day}");
        assert_eq!(v["allowed_now"]["named_users"], users, "{day}");
        assert_eq!(v["status"], "valid", "{day}");
    }
    // show: the additions code in force, the reduced one scheduled.
    let shown = env.run_on("2027-03-14", &["--json", "show", "1001"]).json();
    assert_eq!(shown["in_force"]["revision"], 2);
    assert_eq!(shown["scheduled"][0]["revision"], 3);
}

/// The same mixed order for an instance the vendor hosts (demo-erp-hosted, quarterly):
/// ordered on 2026-12-01, in force from 1 January 2027 (cutoff 12 December).
#[test]
fn hosted_mixed_order_takes_effect_at_the_quarter_start() {
    let env = Env::ready();
    std::fs::remove_file(env.path("catalog/demo-erp.toml")).unwrap();
    std::fs::write(
        env.path("catalog/demo-erp-hosted.toml"),
        include_str!("../../license-issue/catalogs/demo-erp-hosted.toml"),
    )
    .unwrap();
    let (db, who) = ("DB-JBATK-HCMNA-4ATNP-8Z349", "Cloud Customer");
    let (id, _) = env.issue(&[
        "--licensee",
        who,
        "--kind",
        "subscription",
        "--line",
        "expert",
        "--users",
        "40",
        "--modules",
        "crm,bi",
        "--database",
        db,
    ]);
    assert_eq!(id, 5001);
    let v = env
        .run_on(
            "2026-12-01",
            &[
                "--json",
                "reduce",
                "5001",
                "--users",
                "30",
                "--remove-modules",
                "bi",
                "--add-modules",
                "documents",
            ],
        )
        .json();
    assert_eq!(
        (v["effective"].as_str(), v["policy"].as_str()),
        (Some("2027-01-01"), Some("quarterly"))
    );
    assert_eq!(v["withdrawal_cutoff"], "2026-12-12");
    let file = env.dir.path().join("license.txt");
    std::fs::write(
        &file,
        format!(
            "{}\n{}\n",
            v["immediate"]["code"].as_str().unwrap(),
            v["scheduled"]["code"].as_str().unwrap()
        ),
    )
    .unwrap();
    let key = key_hex(&env);
    let run = |day: &str| {
        let out = Command::new(license_check_bin())
            .args([
                "--json",
                "--date",
                day,
                "verify",
                "--file",
                file.to_str().unwrap(),
            ])
            .args([
                "--licensee",
                who,
                "--database",
                db,
                "--key",
                &key,
                "--product",
                "demo-erp-hosted",
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code().unwrap(), v)
    };
    let (code, v) = run("2026-12-31");
    assert_eq!(
        (code, &v["license"]["revision"], &v["allowed_now"]["named_users"]),
        (0, &2.into(), &40.into())
    );
    for day in ["2027-01-01", "2027-01-02", "2027-01-15", "2027-01-16"] {
        let (code, v) = run(day);
        assert_eq!(code, 0, "{day}: {v}");
        assert_eq!(v["license"]["revision"], 3, "{day}");
        assert_eq!(v["allowed_now"]["named_users"], 30, "{day}");
        assert!(
            v["status"] == "valid" || v["status"] == "expiring-soon",
            "{day}: {v}"
        );
    }
}

/// Finding 3 and 8: the renewal is due once the cancellation deadline has passed, must be
/// out 28 days before expiry at the latest (report renewals lists it after that), may be
/// issued earlier on request; the notice goes out one calendar month before the last day.
#[test]
fn renewals_due_late_early_and_notices_in_months() {
    let env = Env::ready();
    let (id, _) = env.issue(ACME);
    let other = [
        "--licensee",
        "Beta AG",
        "--kind",
        "subscription",
        "--users",
        "5",
        "--database",
        "DB-321F8-K4QMG-G1D5H-WKRJF",
    ];
    env.issue(&other);
    let id = id.to_string();
    // Before the cancellation deadline (2027-08-22): only on request.
    env.run_on("2027-05-01", &["renew", &id])
        .fails(2, "can be renewed from 2027-08-23");
    let early = env
        .run_on("2027-05-01", &["--json", "renew", &id, "--early"])
        .json();
    assert_eq!(early[0]["scope"]["valid_from"], "2027-11-22");
    // Finding 9: by issue day the renewal counts in May, by term start in November.
    let ops = |args: &[&str]| {
        let v = env
            .run_on("2027-12-01", &[&["--json", "report", "issued"], args].concat())
            .json();
        v["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["license_id"].as_u64().unwrap(),
                    c["operation"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(ops(&["--month", "2027-05"]), [(1001, "renew".to_owned())]);
    assert_eq!(ops(&["--month", "2027-05", "--by", "term-start"]), []);
    assert_eq!(
        ops(&["--month", "2027-11", "--by", "term-start"]),
        [(1001, "renew".to_owned())]
    );
    assert_eq!(ops(&["--month", "2026-11", "--by", "term-start"]).len(), 2);
    // Notices in calendar months: last day 2027-11-21, one month before: 2027-10-21.
    let none = env.run_on("2027-10-20", &["--json", "report", "notices"]).json();
    assert_eq!(none["notices"], serde_json::json!([]));
    let v = env.run_on("2027-10-21", &["--json", "report", "notices"]).json();
    let rows = v["notices"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "license 1001 is renewed already: {v}");
    assert_eq!(rows[0]["license_id"], 1002);
    assert_eq!(rows[0]["notice_on"], "2027-10-21");
    assert_eq!(rows[0]["last_day"], "2027-11-21");
    // The at-the-latest day is 2027-10-25: due that day, late after it, until renewed.
    let v = env.run_on("2027-10-24", &["--json", "report", "renewals"]).json();
    assert_eq!(v["renewals"], serde_json::json!([]));
    let v = env.run_on("2027-10-25", &["--json", "report", "renewals"]).json();
    assert_eq!(v["renewals"][0]["state"], "due today");
    let v = env.run_on("2027-10-26", &["--json", "report", "renewals"]).json();
    assert_eq!(v["renewals"][0]["license_id"], 1002);
    assert_eq!(
        (
            v["renewals"][0]["state"].as_str(),
            v["renewals"][0]["days_late"].as_u64()
        ),
        (Some("late"), Some(1))
    );
    assert_eq!(v["renewals"][0]["renew_by"], "2027-10-25");
    let table = env.run_on("2027-10-26", &["report", "renewals"]).ok().to_owned();
    assert!(table.contains("2027-11-21"), "the last day is shown: {table}");
    // renew --due issues it (the early one is not renewed twice).
    let due = env.run_on("2027-10-26", &["--json", "renew", "--due"]).json();
    assert_eq!(due.as_array().unwrap().len(), 1, "{due}");
    assert_eq!(due[0]["scope"]["license_id"], 1002);
    let v = env.run_on("2027-10-26", &["--json", "report", "renewals"]).json();
    assert_eq!(v["renewals"], serde_json::json!([]));
}

/// Finding 5: `cancel` says what the code really does after the last paid day, and the
/// verifier agrees day by day.
#[test]
fn cancel_says_what_happens_after_the_last_paid_day() {
    let env = Env::ready();
    let (id, _) = env.issue(ACME);
    let id = id.to_string();
    let text = env.run_on("2027-05-01", &["cancel", &id]).ok().to_owned();
    assert!(
        text.contains(
            "paid until 2027-11-21 (last day), then 14 days of grace (fully usable to 2027-12-05), then demo mode with 2 seats until a new code is entered."
        ),
        "{text}"
    );
    let v = env.run_on("2027-05-02", &["--json", "show", &id]).json();
    assert_eq!(v["cancelled"]["last_day"], "2027-11-21");
    let code = v["in_force"]["code"].as_str().unwrap().to_owned();
    let status = |day: &str| {
        let out = env.run_on(
            day,
            &[
                "--json",
                "verify",
                &code,
                "--licensee",
                "ACME Corp",
                "--database",
                "DB-JBW44-P5J45-44VPC-YCED6",
            ],
        );
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        (
            v["status"].as_str().unwrap().to_owned(),
            v["allowed_now"]["named_users"].clone(),
        )
    };
    assert_eq!(status("2027-11-21").1, 25);
    assert_eq!(status("2027-12-05"), ("in-grace".to_owned(), 25.into()));
    assert_eq!(status("2027-12-06"), ("demo-mode".to_owned(), 2.into()));
    // Without grace and demo mode the words say the product stops.
    let (id2, _) = env.issue(&[
        "--licensee",
        "Strict AG",
        "--kind",
        "subscription",
        "--users",
        "3",
        "--grace-days",
        "0",
        "--demo-seats",
        "0",
        "--database",
        "DB-FRKYB-DQZT4-CDCFS-CPJ3R",
    ]);
    let v = env
        .run_on("2027-05-01", &["--json", "cancel", &id2.to_string()])
        .json();
    assert_eq!(
        (v["grace_days"].as_u64(), v["demo_seats"].as_u64()),
        (Some(0), Some(0))
    );
    let text = env
        .run_on("2027-05-01", &["show", &id2.to_string()])
        .ok()
        .to_owned();
    assert!(text.contains("cancelled on 2027-05-01"), "{text}");
}

/// Finding 10: a site pack over three server licenses gives three new codes, each
/// covering releases to the same new maintenance end; a server pack on one of them
/// afterwards extends only that one.
#[test]
fn site_pack_over_three_servers_then_a_server_pack() {
    let env = Env::ready();
    let server = |day: &str, who: &str, db: &str, site: Option<&str>| {
        let mut args = vec![
            "--json",
            "issue",
            "--licensee",
            who,
            "--users",
            "5",
            "--database",
            db,
        ];
        if let Some(s) = site {
            args.extend(["--site", s]);
        }
        let v = env.run_on(day, &args).json();
        v["scope"]["license_id"].as_u64().unwrap()
    };
    let a = server(
        "2026-03-15",
        "Sched AG",
        "DB-SKTMJ-V5ZD0-ZQ6QB-MZC5D",
        Some("Berlin"),
    );
    let b = server(
        "2026-11-22",
        "Sched AG",
        "DB-TCTZA-1R43B-ATQZZ-CNJS5",
        Some("Berlin"),
    );
    let c = server("2026-11-22", "Sched AG", "DB-SE6F8-66WJW-M6442-3Y3HD", None);
    let other = server(
        "2026-11-22",
        "Sched AG",
        "DB-GSPDA-KYSXP-DVR8Z-A3YNV",
        Some("Hamburg"),
    );
    // The third server joins the site later.
    env.run_on("2026-12-01", &["site", &c.to_string(), "Berlin"]).ok();
    let v = env
        .run_on("2027-01-10", &["--json", "maintenance", "--site", "berlin"])
        .json();
    let packs = v.as_array().unwrap();
    assert_eq!(packs.len(), 3, "{v}");
    let ids: Vec<u64> = packs.iter().map(|p| p["license_id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [a, b, c]);
    for p in packs {
        // 12 months from the latest maintenance still running (2027-11-22).
        assert_eq!(p["now"]["scope"]["maintenance_ends"], "2028-11-22", "{p}");
        assert_eq!(p["now"]["operation"], "maintenance");
    }
    // Each new code covers a release built in 2028 (license-check --build-date).
    let key = key_hex(&env);
    let covered = |code: &str, db: &str| {
        let out = Command::new(license_check_bin())
            .args([
                "--json",
                "--date",
                "2028-07-01",
                "verify",
                code,
                "--licensee",
                "Sched AG",
            ])
            .args([
                "--database",
                db,
                "--key",
                &key,
                "--product",
                "demo-erp",
                "--build-date",
                "2028-06-01",
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            out.status.code().unwrap(),
            v["release"]["release"].as_str().unwrap().to_owned(),
        )
    };
    for (p, db) in packs.iter().zip([
        "DB-SKTMJ-V5ZD0-ZQ6QB-MZC5D",
        "DB-TCTZA-1R43B-ATQZZ-CNJS5",
        "DB-SE6F8-66WJW-M6442-3Y3HD",
    ]) {
        assert_eq!(
            covered(p["now"]["code"].as_str().unwrap(), db),
            (0, "covered".into())
        );
    }
    // The other site's license is untouched.
    let d = env
        .run_on("2027-01-10", &["--json", "show", &other.to_string()])
        .json();
    assert_eq!(d["in_force"]["revision"], 1);
    let old = d["in_force"]["code"].as_str().unwrap().to_owned();
    assert_eq!(
        covered(&old, "DB-GSPDA-KYSXP-DVR8Z-A3YNV"),
        (3, "not-covered".into())
    );
    // A server pack on one of them afterwards extends only that one.
    let v = env
        .run_on("2027-02-01", &["--json", "maintenance", &b.to_string()])
        .json();
    assert_eq!(v["scope"]["maintenance_ends"], "2029-11-22");
    for (id, ends) in [(a, "2028-11-22"), (b, "2029-11-22"), (c, "2028-11-22")] {
        let s = env
            .run_on("2027-02-01", &["--json", "show", &id.to_string()])
            .json();
        assert_eq!(s["in_force"]["scope"]["maintenance_ends"], ends, "license {id}");
    }
    env.run(&["maintenance", "--site", "Paris"])
        .fails(2, "no license belongs to site 'Paris'");
}

/// Finding 10: a reseller's order of several licenses goes to its end customer in one
/// step (or a chosen subset of it).
#[test]
fn rehost_an_order_to_the_end_customer() {
    let env = Env::ready();
    let sold = |db: &str, order: &str| {
        let (id, _) = env.issue(&[
            "--licensee",
            "Reseller One",
            "--users",
            "5",
            "--database",
            db,
            "--reseller",
            "Reseller One",
            "--order",
            order,
        ]);
        id
    };
    let (a, b) = (
        sold("DB-T8JMV-QP3BF-4JGVV-9QEMX", "R-77"),
        sold("DB-321F8-K4QMG-G1D5H-WKRJF", "R-77"),
    );
    let (c, d) = (
        sold("DB-JKF96-C8S5S-Q9XCE-AH05V", "R-78"),
        sold("DB-DMK4W-HZS0D-06A8E-F500F", "R-78"),
    );
    let v = env
        .run(&["--json", "rehost", "--order", "R-77", "--to", "End Customer GmbH"])
        .json();
    let moved: Vec<u64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["license_id"].as_u64().unwrap())
        .collect();
    assert_eq!(moved, [a, b]);
    for r in v.as_array().unwrap() {
        assert_eq!(r["now"]["licensee"], "End Customer GmbH");
        assert_eq!(r["now"]["operation"], "transfer");
    }
    let shown = env.run(&["--json", "show", &b.to_string()]).json();
    assert_eq!(
        (shown["licensee"].as_str(), shown["database"].as_str()),
        (Some("End Customer GmbH"), Some("DB-321F8-K4QMG-G1D5H-WKRJF"))
    );
    // A chosen subset of another order.
    let v = env
        .run(&[
            "--json",
            "rehost",
            "--order",
            "R-78",
            "--licenses",
            &d.to_string(),
            "--to",
            "Other End User",
        ])
        .json();
    assert_eq!(v.as_array().unwrap().len(), 1);
    let shown = env.run(&["--json", "show", &c.to_string()]).json();
    assert_eq!(
        shown["licensee"], "Reseller One",
        "not chosen: stays with the reseller"
    );
    env.run(&[
        "rehost",
        "--order",
        "R-78",
        "--licenses",
        &a.to_string(),
        "--to",
        "X",
    ])
    .fails(2, "is not part of order 'R-78'");
    env.run(&["rehost", "--order", "R-99", "--to", "X"])
        .fails(2, "no license was issued in order 'R-99'");
}
