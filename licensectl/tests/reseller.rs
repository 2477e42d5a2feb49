//! `licensectl reseller`: the vendor certifies a reseller's key, the reseller installs the
//! chain and certifies a sub-reseller inside its frame (a wider one is refused).

mod common;

use common::Env;

fn vendor_key(vendor: &Env) -> String {
    let keys = vendor.run(&["pubkey", "--format", "hex"]).ok().to_owned();
    // One line per key: key id, then the public key in hex.
    let line = keys.lines().next().expect("a key");
    line.split_whitespace().last().expect("a key").to_owned()
}

fn certify<'a>(
    env: &'a Env,
    key: &'a str,
    name: &'a str,
    serial: &'a str,
    users: &'a str,
    extra: &[&'a str],
) -> common::Run {
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
        "--until",
        "2027-12-31",
    ];
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn vendor_certifies_reseller_installs_and_certifies_a_sub_reseller() {
    let vendor = Env::ready();
    let contoso = Env::new();
    contoso.run(&["catalog", "--init-demo"]).ok();
    let key = contoso.run(&["--json", "reseller", "keygen"]).json()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
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
    assert!(r.stderr.contains("does not know"), "{}", r.stderr);

    // Contoso certifies Fabrikam inside its frame; 101 users would widen it.
    let fabrikam = Env::new();
    let sub_key = fabrikam.run(&["--json", "reseller", "keygen"]).json()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
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
