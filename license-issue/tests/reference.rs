//! The reference license issued through `license-issue` is byte for byte the golden
//! vector of `license-core` (same seed key, day, machine and scope).

#[allow(clippy::duplicate_mod)]
#[path = "../../license-core/tests/common/mod.rs"]
mod core_fixtures;

use license_core::Kind;
use license_issue::*;

#[test]
fn reference_license_matches_the_golden_vector() {
    let mut catalogs = Catalogs::new();
    catalogs.insert(Catalog::demo().unwrap());
    let mut issuer = Issuer::new(
        catalogs,
        VendorKey::from_seed(&core_fixtures::SEED),
        MemoryLedger::new(),
    );
    let mut order = NewLicense::new("demo-erp", Kind::Subscription, Customer::new("ACME Corp"));
    order.line = Some("expert".into());
    order.named_users = Some(25);
    order.concurrent_seats = Some(10);
    order.modules = ["crm", "budget", "planning", "bi"].map(String::from).to_vec();
    order.bind = BindTo::machine(core_fixtures::reference_machine().binding(1).unwrap());
    let issued = issuer.issue(&order, core_fixtures::day(2026, 11, 22)).unwrap();
    assert_eq!(issued.license, core_fixtures::reference());
    assert_eq!(issued.code, core_fixtures::reference_code().to_string());

    // And the committed vector file says the same.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../license-core/tests/vectors/v2.json"
    ))
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let case = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "reference")
        .unwrap();
    assert_eq!(case["code"].as_str().unwrap(), issued.code);
}
