//! Issue 20, item 1 (Must show): a reseller's revocations and cancellations travel to the
//! vendor. Contoso issues three subscriptions in March, revokes one in March (a storno)
//! and cancels one in April; after the April import the vendor's active list, pro rata and
//! invoice for March and April are exact to the day, and `license-check` refuses the
//! revoked license's code with the vendor's next revocation list.

mod common;

use common::Env;
use common::reseller::{certified, vendor_key};
use serde_json::Value;

fn subscription<'a>(licensee: &'a str, database: &'a str) -> Vec<&'a str> {
    vec![
        "--json",
        "issue",
        "--licensee",
        licensee,
        "--kind",
        "subscription",
        "--line",
        "standard",
        "--users",
        "10",
        "--modules",
        "crm",
        "--database",
        database,
    ]
}

/// Contoso exports `month` on `day` and the vendor imports the file the day after.
fn export_and_import(contoso: &Env, vendor: &Env, month: &str, day: &str, import_day: &str) -> Value {
    let out = contoso.path(&format!("contoso-{month}.jsonl"));
    let out = out.to_str().unwrap();
    contoso
        .run_on(
            day,
            &["--json", "report", "export", "--month", month, "--out", out],
        )
        .json();
    vendor
        .run_on(import_day, &["--json", "report", "import", out])
        .json()
}

fn subscription_line(invoice: &Value) -> Value {
    let lines = invoice["resellers"][0]["lines"].as_array().unwrap();
    lines
        .iter()
        .find(|l| l["reseller"] == "Contoso" && l["kind"] == "subscription")
        .unwrap_or_else(|| panic!("no subscription line in {invoice}"))
        .clone()
}

#[test]
fn a_resellers_storno_and_cancellation_reach_the_vendors_reports_and_revocation_list() {
    let vendor = Env::ready();
    let (contoso, _, _) = certified(&vendor, "Contoso", "7", "50", &["--subscription-days", "400"]);
    let mut codes = Vec::new();
    for (who, day, db) in [
        ("ACME Corp", "2027-03-02", "DB-ZSNRK-1WQ6N-GHZP2-K95B9"),
        ("Globex", "2027-03-03", "DB-XBCB3-D56SS-K3RXM-4N75J"),
        ("Hooli", "2027-03-04", "DB-SWXBS-0S6CH-NSJ2J-9FDYJ"),
    ] {
        let v = contoso.run_on(day, &subscription(who, db)).json();
        codes.push(v["code"].as_str().unwrap().to_owned());
    }
    // The Globex purchase is undone: Contoso revokes it in its home and is told how it
    // reaches the customers.
    let said = contoso
        .run_on("2027-03-20", &["revoke", "500001", "--reason", "storno"])
        .ok()
        .to_owned();
    assert!(
        said.starts_with("License 500001 revoked on 2027-03-20 in your ledger. Only the vendor signs revocation lists: the revocation goes to the vendor signed with your key in your export of 2027-03 (from 2027-04-01); once the vendor has imported it, its next revocation list names the license"),
        "{said}"
    );
    assert!(
        said.contains("licensectl report export --month 2027-03"),
        "{said}"
    );
    let r = contoso.run_on("2027-03-20", &["revoke", "--list"]);
    r.fails(2, "reaches the vendor with your monthly export");

    let v = export_and_import(&contoso, &vendor, "2027-03", "2027-04-01", "2027-04-02");
    assert_eq!(v["imported"], 4, "three codes and the revocation: {v}");
    // Hooli cancels in April (after the notice deadline: one more term, to 2029-03-04).
    contoso.run_on("2027-04-15", &["cancel", "500002"]).ok();
    let v = export_and_import(&contoso, &vendor, "2027-04", "2027-05-01", "2027-05-02");
    assert_eq!(v["imported"], 1, "{v}");

    // Active on 2027-04-20: ACME and Hooli (cancelled, ends 2028-03-04), not Globex.
    let active = vendor
        .run_on(
            "2027-05-02",
            &["--json", "report", "active", "--day", "2027-04-20"],
        )
        .json();
    let rows = active["subscriptions"].as_array().unwrap();
    let ids: Vec<u64> = rows.iter().map(|r| r["license_id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [500_000, 500_002], "{active}");
    assert_eq!(rows[1]["cancelled_ends"], "2028-03-04", "{active}");
    assert!(rows[0]["cancelled_ends"].is_null());

    // Pro rata: March ACME 2-31 (30 days) and Hooli 4-31 (28), the storno not at all;
    // April both whole (30 + 30).
    let prorata = |month: &str| {
        vendor
            .run_on(
                "2027-05-02",
                &[
                    "--json",
                    "report",
                    "prorata",
                    "--month",
                    month,
                    "--reseller",
                    "Contoso",
                ],
            )
            .json()
    };
    let march = prorata("2027-03");
    let rows: Vec<(u64, String, String, u64)> = march["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["license_id"].as_u64().unwrap(),
                r["from"].as_str().unwrap().to_owned(),
                r["to"].as_str().unwrap().to_owned(),
                r["days"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (500_000, "2027-03-02".into(), "2027-03-31".into(), 30),
            (500_002, "2027-03-04".into(), "2027-03-31".into(), 28)
        ],
        "{march}"
    );
    assert_eq!(march["resellers"][0]["days"], 58);
    assert_eq!(march["resellers"][0]["user_days"], 580);
    let april = prorata("2027-04");
    assert_eq!(april["resellers"][0]["days"], 60, "{april}");
    assert_eq!(april["resellers"][0]["user_days"], 600);

    // Invoices: March two new subscriptions (the storno is not invoiced), April none.
    let invoice = |month: &str| {
        vendor
            .run_on("2027-05-02", &["--json", "report", "invoice", "--month", month])
            .json()
    };
    let line = subscription_line(&invoice("2027-03"));
    assert_eq!(
        (
            &line["new_licenses"],
            &line["codes"],
            &line["subscriptions"],
            &line["subscription_days"],
            &line["user_days"]
        ),
        (&2.into(), &2.into(), &2.into(), &58.into(), &580.into()),
        "{line}"
    );
    let line = subscription_line(&invoice("2027-04"));
    assert_eq!(
        (
            &line["new_licenses"],
            &line["subscriptions"],
            &line["subscription_days"]
        ),
        (&0.into(), &2.into(), &60.into()),
        "{line}"
    );

    // The vendor's next revocation list names the revoked license; license-check refuses
    // its code with that list and accepts ACME's.
    let list = vendor
        .run_on(
            "2027-05-02",
            &["--json", "revoke", "--list", "--valid-days", "30"],
        )
        .json();
    assert_eq!(
        list["entries"],
        serde_json::json!([{"license_id": 500_001, "revisions": "all"}]),
        "{list}"
    );
    let list_file = vendor.dir.path().join(list["file"].as_str().unwrap());
    let list_file = list_file.to_str().unwrap().to_owned();
    let key = vendor_key(&vendor);
    let check = |code: &str, licensee: &str, db: &str| {
        let file = contoso.path(&format!("{licensee}.txt"));
        std::fs::write(&file, code).unwrap();
        let out = std::process::Command::new(common::license_check_bin())
            .args([
                "--json",
                "--date",
                "2027-05-03",
                "verify",
                "--product",
                "demo-erp",
            ])
            .args([
                "--file",
                file.to_str().unwrap(),
                "--licensee",
                licensee,
                "--database",
                db,
            ])
            .args(["--key", &key, "--revocation-list", &list_file])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code(), v)
    };
    let (exit, v) = check(&codes[1], "Globex", "DB-XBCB3-D56SS-K3RXM-4N75J");
    assert_eq!(exit, Some(1), "{v}");
    assert!(v.to_string().contains("revoked"), "{v}");
    let (exit, v) = check(&codes[0], "ACME Corp", "DB-ZSNRK-1WQ6N-GHZP2-K95B9");
    assert_eq!(exit, Some(0), "{v}");

    // The vendor can revoke an imported license itself; the next list carries it too.
    vendor
        .run_on("2027-05-03", &["revoke", "500000", "--reason", "unpaid"])
        .ok();
    let list = vendor
        .run_on("2027-05-03", &["--json", "revoke", "--list"])
        .json();
    assert_eq!(list["entries"].as_array().unwrap().len(), 2, "{list}");
    vendor
        .run_on("2027-05-03", &["revoke", "500000"])
        .fails(2, "500000");
}
