//! Issue 20: an NFR code issued by a reseller. An NFR code carries the all-modules flag
//! ("every module, present and future") unless modules are given; a reseller may sign it
//! only if the vendor certified it for every module present and future (`reseller certify
//! --modules all-future`). A frame listing modules refuses it before signing with a
//! message saying both ways out, and still allows an NFR code listing its modules.

mod common;

use common::Env;
use common::reseller::{keygen, license_check, vendor_key};

/// A reseller certified by the vendor for NFR codes with `modules`: its home.
fn nfr_reseller(vendor: &Env, modules: &str, serial: &str) -> Env {
    let env = Env::new();
    let key = keygen(&env);
    let bundle = vendor.path(&format!("nfr-{serial}.bundle.json"));
    vendor
        .run(&[
            "reseller",
            "certify",
            "--public-key",
            &key,
            "--name",
            "Contoso",
            "--serial",
            serial,
            "--kinds",
            "nfr",
            "--modules",
            modules,
            "--max-users",
            "50",
            "--nfr-days",
            "800",
            "--until",
            "2027-12-31",
            "--license-ids",
            if serial == "7" {
                "500000-500999"
            } else {
                "600000-600999"
            },
            "--bundle",
            bundle.to_str().unwrap(),
        ])
        .ok();
    env.run(&["reseller", "install", bundle.to_str().unwrap()]).ok();
    env
}

fn nfr(env: &Env, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "--json",
        "issue",
        "--licensee",
        "Partner GmbH",
        "--kind",
        "nfr",
        "--users",
        "5",
        "--database",
        "DB-JBW44-P5J45-44VPC-YCED6",
    ];
    args.extend_from_slice(extra);
    env.run(&args)
}

#[test]
fn a_resellers_nfr_code_has_every_module_only_under_a_frame_with_every_module() {
    let vendor = Env::ready();
    let listing = nfr_reseller(&vendor, "all", "7");
    let r = nfr(&listing, &[]);
    r.fails(
        2,
        "the order lies outside the frame of reseller Contoso: every module, present and future (the all-modules flag an NFR code carries unless modules are given) is not allowed: the frame lists its modules; give the modules (--modules), or ask the vendor for a frame with every module present and future (reseller certify --modules all-future)",
    );
    // Listing its modules, the same reseller's NFR code is inside its frame.
    let v = nfr(&listing, &["--modules", "crm,budget"]).json();
    assert_eq!(v["scope"]["kind"], "nfr", "{v}");

    let every = nfr_reseller(&vendor, "all-future", "8");
    let v = nfr(&every, &[]).json();
    let code = v["code"].as_str().unwrap().to_owned();
    // The customer's installation grants a module number the catalog does not have yet.
    let file = every.path("nfr.txt");
    std::fs::write(&file, &code).unwrap();
    let (exit, out) = license_check(
        &file,
        &[
            "--licensee",
            "Partner GmbH",
            "--database",
            "DB-JBW44-P5J45-44VPC-YCED6",
            "--key",
            &vendor_key(&vendor),
        ],
    );
    assert_eq!(exit, Some(0), "{out}");
    assert_eq!(out["issuer"]["reseller"], "Contoso", "{out}");
    assert_eq!(out["license"]["all_modules"], true, "{out}");
    assert_eq!(out["license"]["kind"], "nfr", "{out}");
}
