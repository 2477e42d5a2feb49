//! Ticket pools through `licensectl ticket`: create, redeem (once per ticket), report,
//! export to a reseller and import there; `license-check` verifies a redeemed code.

mod common;

use common::Env;
use common::reseller::{certified, license_check, vendor_key};
use serde_json::Value;

/// `ticket create --json` with `args`; the ticket ids.
fn create(env: &Env, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--json", "ticket", "create"];
    all.extend_from_slice(args);
    env.run(&all).json()["tickets"]
        .as_array()
        .expect("tickets")
        .iter()
        .map(|t| t.as_str().expect("id").to_owned())
        .collect()
}

/// `ticket redeem --json` for a licensee and database code.
fn redeem(env: &Env, ticket: &str, licensee: &str, db: &str) -> common::Run {
    env.run(&[
        "--json",
        "ticket",
        "redeem",
        ticket,
        "--licensee",
        licensee,
        "--database",
        db,
    ])
}

/// `license-check verify` of `code` for the installation, with the vendor key `key`
/// alone: asserts it is valid.
fn assert_license_check_accepts(dir: &std::path::Path, code: &str, licensee: &str, db: &str, key: &str) {
    let file = dir.join("customer.lic");
    std::fs::write(&file, code).unwrap();
    let (exit, v) = license_check(&file, &["--licensee", licensee, "--database", db, "--key", key]);
    assert_eq!((exit, &v["status"]), (Some(0), &Value::from("valid")), "{v}");
}

const SCOPE: &[&str] = &[
    "--reseller",
    "Contoso",
    "--kind",
    "subscription",
    "--line",
    "standard",
    "--users",
    "10",
    "--modules",
    "crm,budget",
];

/// Must show: a pool of 5, 3 redeemed (one of them twice: for the same installation,
/// which gives the same code, and for another, which is refused), the report shows 3
/// redeemed and 2 open; license-check accepts a redeemed code.
#[test]
fn a_pool_of_five_three_redeemed_once_each_two_open() {
    let env = Env::ready();
    let mut args = SCOPE.to_vec();
    args.extend(["--count", "5"]);
    let ids = create(&env, &args);
    assert_eq!(ids.len(), 5);
    for id in &ids {
        assert!(id.starts_with("TK-") && id.len() == 20, "{id}");
    }

    let first = redeem(&env, &ids[0], "ACME Corp", "DB-WTACV-SH0H1-5XM79-PBX0Q").json();
    assert_eq!(first["again"], false);
    let code = first["issued"]["code"].as_str().unwrap().to_owned();
    assert_eq!(first["issued"]["scope"]["named_users"], 10);
    // The same installation again (typed in lower case, licensee spelled loosely): the
    // same code, nothing issued.
    let again = redeem(
        &env,
        &ids[0].to_lowercase(),
        "acme  corp",
        "DB-WTACV-SH0H1-5XM79-PBX0Q",
    )
    .json();
    assert_eq!(again["again"], true);
    assert_eq!(again["issued"]["code"], code.as_str());
    // Another installation: refused, naming the first redemption.
    redeem(&env, &ids[0], "ACME Corp", "DB-SJ8JV-SH44K-N7754-P7W3X")
        .fails(2, "was already redeemed on 2026-11-22 for ACME Corp");
    redeem(&env, &ids[1], "Globex", "DB-6VK70-G97Z1-RRRWZ-28CA1").ok();
    redeem(&env, &ids[2], "Initech", "DB-A5ARP-KHA47-AHDZ0-EA3XM").ok();

    let report = env.run(&["--json", "ticket", "report"]).json();
    assert_eq!(
        report["resellers"],
        serde_json::json!([{"reseller": "Contoso", "created": 5, "received": 0, "passed_on": 0, "redeemed": 3, "open": 2, "handed_over": 0}])
    );
    let states: Vec<&str> = report["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["redeemed", "redeemed", "redeemed", "open", "open"]);
    assert_eq!(report["tickets"][0]["licensee"], "ACME Corp");
    assert_eq!(report["tickets"][0]["ticket"], ids[0].as_str());
    // The ledger has exactly three codes, each carrying its ticket and reseller.
    let ledger = std::fs::read_to_string(env.path("ledger.jsonl")).unwrap();
    assert_eq!(ledger.lines().count(), 3);
    assert!(ledger.contains(&format!("\"ticket\":\"{}\"", ids[0])));
    assert!(ledger.contains("\"reseller\":\"Contoso\""));
    let table = env.run(&["ticket", "report", "--reseller", "Contoso"]);
    assert!(
        table
            .ok()
            .contains("Contoso   5        0         0          3         2"),
        "{}",
        table.stdout
    );
    let csv = env.run(&["ticket", "report", "--csv"]);
    assert_eq!(csv.ok().lines().count(), 6);

    // The customer's installation accepts the redeemed code.
    assert_license_check_accepts(
        env.dir.path(),
        &code,
        "ACME Corp",
        "DB-WTACV-SH0H1-5XM79-PBX0Q",
        &vendor_key(&env),
    );
}

#[test]
fn typos_and_scopes_the_catalog_refuses() {
    let env = Env::ready();
    let mut args = SCOPE.to_vec();
    args.extend(["--count", "1"]);
    let id = create(&env, &args).remove(0);
    // One wrong symbol: named.
    let mut wrong: Vec<char> = id.chars().collect();
    wrong[9] = if wrong[9] == '7' { '8' } else { '7' };
    let wrong: String = wrong.into_iter().collect();
    redeem(&env, &wrong, "ACME", "DB-SWXBS-0S6CH-NSJ2J-9FDYJ")
        .fails(2, "symbol 6 (group 2, character 1) looks mistyped");
    redeem(&env, "TK-123", "ACME", "DB-SWXBS-0S6CH-NSJ2J-9FDYJ").fails(2, "is not a ticket id");
    redeem(&env, &id, "ACME", "").fails(2, "database code is empty");
    env.run(&["ticket", "redeem", &id, "--licensee", "ACME"])
        .fails(2, "give its database code or machine fingerprint");
    // Outside the catalog: nothing created.
    let wide = SCOPE.iter().map(|a| if *a == "10" { "6000" } else { a });
    let wide: Vec<&str> = wide.chain(["--count", "3"]).collect();
    env.run(&[&["ticket", "create"], &wide[..]].concat())
        .fails(2, "exceeds the 5000");
    env.run(&[&["ticket", "create"], SCOPE, &["--count", "0"]].concat())
        .fails(2, "create 1 to 10000");
    let report = env.run(&["--json", "ticket", "report"]).json();
    assert_eq!(report["resellers"][0]["created"], 1);
}

#[test]
fn exported_tickets_are_redeemed_by_the_reseller_not_by_the_vendor() {
    let vendor = Env::ready();
    let mut args = SCOPE.to_vec();
    args.extend(["--count", "3"]);
    let ids = create(&vendor, &args);
    redeem(&vendor, &ids[0], "ACME", "DB-ZSNRK-1WQ6N-GHZP2-K95B9").ok();
    let file = vendor.dir.path().join("contoso-tickets.json");
    let file_arg = file.to_str().unwrap();
    vendor
        .run(&["ticket", "export", "--reseller", "Contoso", "--out", file_arg])
        .ok();
    let export: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        export["tickets"].as_array().unwrap().len(),
        2,
        "the redeemed one stays"
    );
    redeem(&vendor, &ids[1], "Globex", "DB-XBCB3-D56SS-K3RXM-4N75J")
        .fails(2, "was handed to reseller Contoso on 2026-11-22");
    let report = vendor.run(&["--json", "ticket", "report"]).json();
    assert_eq!(report["resellers"][0]["handed_over"], 2);
    assert_eq!(report["tickets"][1]["state"], "handed-over");

    // The reseller's home: its key, the vendor's certificate in a bundle (chain, catalog,
    // vendor keys), then the tickets.
    let key = vendor_key(&vendor);
    // A certificate of at most 5 users cannot redeem tickets of 10: the import refuses
    // them, naming the ticket and the limit, and adds nothing.
    let (narrow, _, _) = certified(&vendor, "Contoso", "8", "5", &[]);
    narrow.run(&["ticket", "import", file_arg]).fails(
        2,
        "cannot be redeemed here: the order lies outside the frame of reseller Contoso",
    );
    assert_eq!(
        narrow.run(&["--json", "ticket", "report"]).json()["tickets"],
        serde_json::json!([])
    );

    // Certified again with a wider frame (the bundle file is written anew).
    std::fs::remove_file(vendor.path("Contoso.bundle.json")).unwrap();
    let (reseller, _, _) = certified(&vendor, "Contoso", "7", "50", &[]);
    let imported = reseller.run(&["--json", "ticket", "import", file_arg]).json();
    assert_eq!(
        (imported["added"].as_u64(), imported["already"].as_u64()),
        (Some(2), Some(0))
    );
    let again = reseller.run(&["--json", "ticket", "import", file_arg]).json();
    assert_eq!(again["already"], 2);

    // Redeemed offline in the reseller's home: signed with its key and chain, an id from
    // its range, the ticket on its ledger record; once per ticket there too.
    let r = redeem(&reseller, &ids[1], "Globex", "DB-6VK70-G97Z1-RRRWZ-28CA1").json();
    assert_eq!(r["issued"]["scope"]["license_id"], 500_000);
    let code = r["issued"]["code"].as_str().unwrap().to_owned();
    redeem(&reseller, &ids[1], "Globex", "DB-SJ8JV-SH44K-N7754-P7W3X").fails(2, "already redeemed");
    let ledger = std::fs::read_to_string(reseller.path("ledger.jsonl")).unwrap();
    assert!(ledger.contains(&format!("\"ticket\":\"{}\"", ids[1])), "{ledger}");
    let report = reseller.run(&["--json", "ticket", "report"]).json();
    assert_eq!(
        (
            report["resellers"][0]["redeemed"].as_u64(),
            report["resellers"][0]["open"].as_u64()
        ),
        (Some(1), Some(1))
    );
    // The customer's installation knows only the vendor's key.
    assert_license_check_accepts(
        reseller.dir.path(),
        &code,
        "Globex",
        "DB-6VK70-G97Z1-RRRWZ-28CA1",
        &key,
    );

    // The reseller's monthly export, imported by the vendor: the vendor's ticket report
    // counts the ticket redeemed offline.
    let month = reseller.path("contoso-2026-11.jsonl");
    let month_arg = month.to_str().unwrap();
    reseller
        .run_on(
            "2026-12-01",
            &["report", "export", "--month", "2026-11", "--out", month_arg],
        )
        .ok();
    vendor.run_on("2026-12-02", &["report", "import", month_arg]).ok();
    let report = vendor.run(&["--json", "ticket", "report"]).json();
    assert_eq!(
        report["resellers"],
        serde_json::json!([{"reseller": "Contoso", "created": 3, "received": 0, "passed_on": 0, "redeemed": 2, "open": 1, "handed_over": 1}])
    );
    assert_eq!(report["tickets"][1]["state"], "redeemed");
    assert_eq!(report["tickets"][1]["licensee"], "Globex");
    assert_eq!(report["tickets"][1]["license_id"], 500_000);

    // Tickets for another reseller are refused.
    let other = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"Contoso\"", "\"Fabrikam\"");
    let other_file = reseller.dir.path().join("other.json");
    std::fs::write(&other_file, other).unwrap();
    reseller
        .run(&["ticket", "import", other_file.to_str().unwrap()])
        .fails(2, "exported for reseller Fabrikam, not for Contoso");
    std::fs::write(&other_file, "{").unwrap();
    reseller
        .run(&["ticket", "import", other_file.to_str().unwrap()])
        .fails(3, "not a valid file of exported tickets");
}

#[test]
fn a_damaged_pool_file_is_reported_and_left_alone() {
    let env = Env::ready();
    let mut args = SCOPE.to_vec();
    args.extend(["--count", "2"]);
    create(&env, &args);
    let path = env.path("tickets.jsonl");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0x20;
    std::fs::write(&path, &bytes).unwrap();
    env.run(&["ticket", "report"]).fails(3, "is corrupt at line 1");
    env.run(&[&["ticket", "create"], &args[..]].concat())
        .fails(3, "is corrupt at line 1");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

/// A ticket redeemed for this machine's fingerprint: the same fingerprint again gives the
/// same code, and `verify` on this machine accepts it. (Skipped where this machine has
/// no readable fingerprint, as in `tests/machine.rs`.)
#[test]
fn a_ticket_redeemed_for_this_machine() {
    let env = Env::ready();
    let Some(print) = env.run(&["--json", "fingerprint"]).json()["fingerprint"]
        .as_str()
        .map(str::to_owned)
    else {
        eprintln!("no machine fingerprint readable here: the machine redemption is not exercised");
        return;
    };
    let mut args = SCOPE.to_vec();
    args.extend(["--count", "1"]);
    let id = create(&env, &args).remove(0);
    let run = |fp: &str| {
        env.run(&[
            "--json",
            "ticket",
            "redeem",
            &id,
            "--licensee",
            "Bob's Garage",
            "--machine",
            fp,
        ])
    };
    let first = run(&print).json();
    let again = run(&print).json();
    assert_eq!(
        (first["again"].as_bool(), again["again"].as_bool()),
        (Some(false), Some(true))
    );
    let code = first["issued"]["code"].as_str().unwrap();
    assert_eq!(again["issued"]["code"], code);
    let out = env.run(&["verify", code, "--licensee", "Bob's Garage"]);
    assert!(out.ok().starts_with("USABLE now"), "{}", out.stdout);
}

/// Issue 20, item 7 (second half): tickets handed down a chain. The vendor hands Contoso 4
/// tickets; Contoso redeems one and passes two on to its sub-reseller Fabrikam (never more
/// than it holds, never to itself, and a ticket passed on is not redeemed here);
/// Fabrikam redeems one; each level's report shows what it received, passed on and
/// redeemed, and the vendor's import accepts Fabrikam's redemption of Contoso's ticket.
#[test]
fn tickets_are_passed_down_a_chain_and_each_level_reports_them() {
    let vendor = Env::ready();
    let mut args = SCOPE.to_vec();
    args.extend(["--count", "4"]);
    let ids = create(&vendor, &args);
    let file = vendor.dir.path().join("contoso-tickets.json");
    let file_arg = file.to_str().unwrap();
    vendor
        .run(&["ticket", "export", "--reseller", "Contoso", "--out", file_arg])
        .ok();
    let (contoso, _, _) = certified(&vendor, "Contoso", "7", "50", &["--depth", "1"]);
    contoso.run(&["ticket", "import", file_arg]).ok();
    let (fabrikam, _, _) = certified(&contoso, "Fabrikam", "1", "10", &["--as-reseller"]);

    // Never more than it holds, never to itself.
    let down = contoso.dir.path().join("fabrikam-tickets.json");
    let down_arg = down.to_str().unwrap();
    contoso
        .run(&[
            "ticket", "pass-on", "--to", "Fabrikam", "--count", "5", "--out", down_arg,
        ])
        .fails(2, "5 tickets cannot be passed on: this home holds 4");
    contoso
        .run(&["ticket", "pass-on", "--to", "Contoso", "--count", "1"])
        .fails(2, "the tickets are Contoso's own: pass them on to a sub-reseller");
    contoso
        .run(&["ticket", "pass-on", "--to", "Fabrikam", "--count", "0"])
        .fails(2, "0 tickets cannot be passed on");
    // Contoso redeems the first, then passes two on.
    redeem(&contoso, &ids[0], "ACME", "DB-ZSNRK-1WQ6N-GHZP2-K95B9").ok();
    let passed = contoso
        .run(&[
            "--json", "ticket", "pass-on", "--to", "Fabrikam", "--count", "2", "--out", down_arg,
        ])
        .json();
    assert_eq!(passed["tickets"], 2, "{passed}");
    let export: Value = serde_json::from_str(&std::fs::read_to_string(&down).unwrap()).unwrap();
    let passed_ids: Vec<&str> = export["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(passed_ids, [ids[1].as_str(), ids[2].as_str()]);
    assert_eq!(export["tickets"][0]["passed_from"], "Contoso");
    assert_eq!(export["reseller"], "Fabrikam");
    redeem(&contoso, &ids[1], "Globex", "DB-XBCB3-D56SS-K3RXM-4N75J")
        .fails(2, "was passed on to sub-reseller Fabrikam on 2026-11-22");
    contoso
        .run(&["ticket", "pass-on", "--to", "Fabrikam", "--count", "2"])
        .fails(2, "2 tickets cannot be passed on: this home holds 1");

    // Fabrikam imports them and redeems one in its own home.
    let imported = fabrikam.run(&["--json", "ticket", "import", down_arg]).json();
    assert_eq!(imported["added"], 2);
    let r = redeem(&fabrikam, &ids[1], "Umbrella", "DB-M5EYY-WDFFY-G360Y-BMBQS").json();
    assert_eq!(r["issued"]["scope"]["license_id"], 500_100);

    // Each level's report: received, passed on, redeemed.
    let totals = |env: &Env| env.run(&["--json", "ticket", "report"]).json()["resellers"].clone();
    assert_eq!(
        totals(&fabrikam),
        serde_json::json!([{"reseller": "Fabrikam", "created": 2, "received": 2, "passed_on": 0, "redeemed": 1, "open": 1, "handed_over": 0}])
    );
    assert_eq!(
        totals(&contoso),
        serde_json::json!([{"reseller": "Contoso", "created": 4, "received": 4, "passed_on": 2, "redeemed": 1, "open": 3, "handed_over": 0}])
    );
    let rows = contoso.run(&["--json", "ticket", "report"]).json()["tickets"].clone();
    assert_eq!(
        (rows[1]["state"].as_str(), rows[1]["passed_to"].as_str()),
        (Some("passed-on"), Some("Fabrikam"))
    );

    // The month's exports: Contoso learns of Fabrikam's redemption from its export, and
    // the vendor accepts Fabrikam's redemption of a ticket it handed to Contoso.
    let month = |env: &Env, name: &str| {
        let path = env.path(&format!("{name}-2026-11.jsonl"));
        env.run_on(
            "2026-12-01",
            &[
                "report",
                "export",
                "--month",
                "2026-11",
                "--out",
                path.to_str().unwrap(),
            ],
        )
        .ok();
        path
    };
    let fabrikam_month = month(&fabrikam, "Fabrikam");
    contoso
        .run_on(
            "2026-12-02",
            &["report", "import", fabrikam_month.to_str().unwrap()],
        )
        .ok();
    assert_eq!(
        totals(&contoso),
        serde_json::json!([{"reseller": "Contoso", "created": 4, "received": 4, "passed_on": 2, "redeemed": 2, "open": 2, "handed_over": 0}])
    );
    vendor
        .run_on(
            "2026-12-02",
            &["report", "import", month(&contoso, "Contoso").to_str().unwrap()],
        )
        .ok();
    vendor
        .run_on(
            "2026-12-02",
            &["report", "import", fabrikam_month.to_str().unwrap()],
        )
        .ok();
    let report = vendor.run(&["--json", "ticket", "report"]).json();
    assert_eq!(
        report["resellers"],
        serde_json::json!([{"reseller": "Contoso", "created": 4, "received": 0, "passed_on": 0, "redeemed": 2, "open": 2, "handed_over": 2}])
    );
    assert_eq!(
        (
            report["tickets"][1]["redeemed_by"].as_str(),
            report["tickets"][1]["licensee"].as_str()
        ),
        (Some("Fabrikam"), Some("Umbrella"))
    );
}
