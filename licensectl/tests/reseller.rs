//! `licensectl reseller`: the vendor certifies a reseller's key, the reseller installs the
//! chain and certifies a sub-reseller inside its frame (a wider one is refused).

mod common;

use common::Env;
use common::reseller::{certified, certify, keygen, license_check, vendor_key};

/// A subscription for ACME Corp with 20 users and crm, inside the test frames.
const ACME_20: &[&str] = &[
    "--licensee",
    "ACME Corp",
    "--kind",
    "subscription",
    "--users",
    "20",
    "--modules",
    "crm",
];

#[test]
fn vendor_certifies_reseller_installs_and_certifies_a_sub_reseller() {
    let vendor = Env::ready();
    let contoso = Env::new();
    contoso.run(&["catalog", "--init-demo"]).ok();
    let key = keygen(&contoso);
    // The key file is private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(contoso.path("reseller/reseller-key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let chain = certify(&vendor, &key, "Contoso", "7", "100", &["--depth", "1"])
        .ok()
        .trim()
        .to_owned();
    let vendor_hex = vendor_key(&vendor);
    let installed = contoso
        .run(&[
            "--json",
            "reseller",
            "install",
            &chain,
            "--product",
            "demo-erp",
            "--vendor-key",
            &vendor_hex,
        ])
        .json();
    assert_eq!(installed["reseller"], "Contoso");
    assert_eq!(installed["serial"], 7);
    // A chain checked against another vendor key is refused.
    let stranger = Env::ready();
    let r = contoso.run(&[
        "reseller",
        "install",
        &chain,
        "--product",
        "demo-erp",
        "--vendor-key",
        &vendor_key(&stranger),
    ]);
    assert_ne!(r.code, 0);
    // Key ids are one byte: a stranger's random key has the vendor's id once in 256 runs,
    // and then the chain is refused for its signature instead.
    assert!(
        r.stderr.contains("does not know") || r.stderr.contains("is not signed by its issuer"),
        "{}",
        r.stderr
    );

    // Contoso certifies Fabrikam inside its frame; 101 users would widen it.
    let fabrikam = Env::new();
    let sub_key = keygen(&fabrikam);
    let wide = certify(&contoso, &sub_key, "Fabrikam", "1", "101", &["--as-reseller"]);
    assert_ne!(wide.code, 0);
    assert!(
        wide.stderr.contains("wider than its issuer's") && wide.stderr.contains("101 named users"),
        "{}",
        wide.stderr
    );
    let sub_chain = certify(&contoso, &sub_key, "Fabrikam", "1", "50", &["--as-reseller"])
        .ok()
        .trim()
        .to_owned();
    let installed = fabrikam
        .run(&[
            "--json",
            "reseller",
            "install",
            &sub_chain,
            "--product",
            "demo-erp",
            "--vendor-key",
            &vendor_hex,
        ])
        .json();
    assert_eq!(
        (installed["reseller"].as_str(), installed["depth"].as_u64()),
        (Some("Fabrikam"), Some(2))
    );
    // Fabrikam holds no delegation: it cannot certify anyone.
    fabrikam.run(&["catalog", "--init-demo"]).ok();
    let r = certify(&fabrikam, &key, "Loop", "3", "10", &["--as-reseller"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("sub-resellers"), "{}", r.stderr);
}

/// Must show (issuing): the vendor certifies Contoso with a bundle (chain, catalog, keys);
/// in Contoso's home `issue`, `upgrade` and `renew` sign with its key and chain, anything
/// outside the frame is refused before signing (and not recorded), and `license-check`
/// accepts the code with the vendor's key alone.
#[test]
fn a_reseller_issues_upgrades_and_renews_in_its_own_home() {
    let vendor = Env::ready();
    let (contoso, key, installed) = certified(
        &vendor,
        "Contoso",
        "7",
        "50",
        &["--subscription-days", "400", "--depth", "1"],
    );
    assert_eq!(installed["license_ids"], "500000-500999");
    assert!(installed["catalog"].as_str().unwrap().ends_with("demo-erp.toml"));
    // The catalog came with it: names work in Contoso's home.
    let (id, code) = contoso.issue(&[ACME_20, &["--database", "DB-JBW44-P5J45-44VPC-YCED6"][..]].concat());
    assert_eq!(id, 500_000);
    let ledger = std::fs::read_to_string(contoso.path("ledger.jsonl")).unwrap();
    assert!(ledger.contains("\"reseller\":\"Contoso\""), "{ledger}");

    // Outside the frame: each refused naming its limit, nothing recorded.
    for (extra, says) in [
        (&["--users", "51", "--modules", "crm"][..], "51 named users"),
        (&["--users", "5", "--modules", "crm,bi"][..], "module bi"),
        (
            &["--users", "5", "--modules", "crm", "--months", "14"][..],
            "days",
        ),
    ] {
        let mut args = vec![
            "issue",
            "--licensee",
            "Beta",
            "--kind",
            "subscription",
            "--database",
            "DB-JBW44-P5J45-44VPC-YCED6",
        ];
        args.extend_from_slice(extra);
        let r = contoso.run(&args);
        assert_ne!(r.code, 0, "{extra:?}");
        assert!(
            r.stderr.contains(says) && r.stderr.contains("Contoso"),
            "{extra:?}: {}",
            r.stderr
        );
    }
    let r = contoso.run(&["issue", "--licensee", "Beta", "--kind", "full", "--users", "5"]);
    assert!(r.stderr.contains("Contoso"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(contoso.path("ledger.jsonl")).unwrap(),
        ledger,
        "refused orders record nothing"
    );

    // Upgrade inside the frame, and beyond it.
    let up = contoso
        .run(&["--json", "upgrade", "500000", "--users", "40"])
        .json();
    assert_eq!(up["scope"]["named_users"], 40);
    let r = contoso.run(&["upgrade", "500000", "--users", "60"]);
    assert!(r.stderr.contains("60 named users"), "{}", r.stderr);
    // Renew early, inside the frame.
    let renewed = contoso.run(&["--json", "renew", "500000", "--early"]).json();
    assert_eq!(renewed[0]["scope"]["valid_from"], "2027-11-22", "{renewed}");

    // The customer's installation knows only the vendor's key.
    let file = contoso.path("code.txt");
    std::fs::write(&file, &code).unwrap();
    let acme = [
        "--licensee",
        "ACME Corp",
        "--database",
        "DB-JBW44-P5J45-44VPC-YCED6",
        "--key",
    ];
    let vendor_hex = vendor_key(&vendor);
    let (exit, v) = license_check(&file, &[&acme[..], &[vendor_hex.as_str()]].concat());
    assert_eq!(exit, Some(0), "{v}");
    assert_eq!(v["issuer"]["reseller"], "Contoso", "{v}");
    // ... and refuses it with the reseller's key in place of the vendor's.
    let (exit, _) = license_check(&file, &[&acme[..], &[key.as_str()]].concat());
    assert_eq!(exit, Some(1));
    // Contoso hands Fabrikam a narrower frame with a bundle; the catalog and the vendor's
    // keys travel on. Fabrikam's codes name both resellers.
    let (fabrikam, _, _) = certified(
        &contoso,
        "Fabrikam",
        "1",
        "10",
        &[
            "--subscription-days",
            "400",
            "--trial-days",
            "20",
            "--as-reseller",
        ],
    );
    let trial = |days: &'static str| {
        let t = ["--licensee", "Gamma", "--kind", "trial", "--days", days];
        [
            &t[..],
            &["--users", "3", "--modules", "crm", "--line", "standard"],
        ]
        .concat()
    };
    // 21 days: inside the catalog's trial terms (30 days), outside Fabrikam's frame.
    let r = fabrikam.run(&[&["issue"][..], &trial("21")].concat());
    assert!(
        r.stderr.contains("Fabrikam") && r.stderr.contains("limit of 20 days"),
        "{}",
        r.stderr
    );
    let (sub_id, sub_code) = fabrikam.issue(&trial("16"));
    assert_eq!(sub_id, 500_100);
    let file = fabrikam.path("code.txt");
    std::fs::write(&file, &sub_code).unwrap();
    let (exit, v) = license_check(&file, &["--licensee", "Gamma", "--key", &vendor_hex]);
    assert_eq!(exit, Some(0), "{v}");
    assert_eq!(v["issuer"]["reseller"], "Fabrikam", "{v}");
    assert_eq!(v["issuer"]["chain"][0]["name"], "Contoso", "{v}");

    // A reseller's home signs no revocation list.
    let r = contoso.run(&["revoke", "--list"]);
    assert!(r.stderr.contains("vendor's key"), "{}", r.stderr);
}

/// A certificate serial is used once per product (revocation lists revoke by serial); the
/// vendor revokes Contoso's certificate, and with the next list installed the customer's
/// installation refuses Contoso's code.
#[test]
fn a_revoked_certificate_refuses_every_code_under_it() {
    let vendor = Env::ready();
    let (contoso, _, _) = certified(&vendor, "Contoso", "7", "50", &["--subscription-days", "400"]);
    let (_, code) = contoso.issue(ACME_20);
    // Serial 7 is Contoso's: a second certificate with it is refused before signing.
    let other = keygen(&Env::new());
    let r = certify(&vendor, &other, "Other", "7", "10", &[]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("already reseller Contoso's"), "{}", r.stderr);
    let r = vendor.run(&["reseller", "revoke", "--serial", "99"]);
    assert!(r.stderr.contains("no certificate 99"), "{}", r.stderr);

    let file = contoso.path("code.txt");
    std::fs::write(&file, &code).unwrap();
    let key = vendor_key(&vendor);
    let ok = ["--licensee", "ACME Corp", "--key", key.as_str()];
    assert_eq!(license_check(&file, &ok).0, Some(0));
    vendor.run(&["reseller", "revoke", "--serial", "7"]).ok();
    // The vendor's own import already refuses the certificate's codes, before any list.
    let export = contoso.path("contoso-2026-11.jsonl");
    let export = export.to_str().unwrap();
    contoso
        .run(&["report", "export", "--month", "2026-11", "--out", export])
        .ok();
    let r = vendor.run(&["report", "import", export]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("revoked"), "{}", r.stderr);
    let r = vendor.run(&["reseller", "revoke", "--serial", "7"]);
    assert!(r.stderr.contains("was revoked on 2026-11-22"), "{}", r.stderr);
    let list = vendor.run(&["--json", "revoke", "--list"]).json();
    assert_eq!(list["certificates"], serde_json::json!([7]), "{list}");
    let list_file = list["file"].as_str().unwrap().to_owned();
    // Relative to the directory licensectl ran in (the home's parent).
    let list_path = vendor.home().parent().unwrap().join(&list_file);
    let list_arg = list_path.to_str().unwrap();
    let (exit, v) = license_check(&file, &[&ok[..], &["--revocation-list", list_arg]].concat());
    assert_eq!(exit, Some(1), "{v}");
    assert!(
        v["errors"][0]["message"].as_str().unwrap().contains("revoked"),
        "{v}"
    );
}
