//! Issue 19, item 5: the database code of an order is read with the library's reader
//! (`license_core::DatabaseCode::parse`) unless the product's catalog says its database
//! identifiers are its own (`database_codes = "free-form"`).

use license_core::{DatabaseCodeError, Date, Kind};
use license_issue::OrderError;
use license_issue::*;

/// A valid code (docs/FORMAT.md, "Database code": the pinned example).
const CODE: &str = "DB-B80ZZ-01W25-SE82D-XMET2";

fn day() -> Date {
    Date::from_ymd(2026, 11, 22).unwrap()
}

fn issuer(catalog: Catalog) -> Issuer<MemoryLedger> {
    let mut catalogs = Catalogs::new();
    catalogs.insert(catalog);
    Issuer::new(catalogs, VendorKey::from_seed(&[5; 32]), MemoryLedger::new())
}

fn order(database: &str) -> NewLicense {
    let mut o = NewLicense::new("demo-erp", Kind::Subscription, Customer::new("ACME Corp"));
    o.named_users = Some(10);
    o.bind = BindTo::database(database);
    o
}

#[test]
fn a_mistyped_database_code_is_refused_with_its_group() {
    let mut is = issuer(Catalog::demo().unwrap());
    // Group 3 mistyped: refused before signing, naming the group.
    let typo = CODE.replace("SE82D", "SE82E");
    let e = is.issue(&order(&typo), day()).unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Order(OrderError::InvalidDatabaseCode {
                error: DatabaseCodeError::Typo { group: 3 },
                ..
            })
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("typo in group 3 of the database code"),
        "{e}"
    );
    assert!(e.to_string().contains("database_codes = \"free-form\""), "{e}");
    // The README's old example is no database code of the toolkit's form.
    let e = is.issue(&order("DB-7F3A-22C1"), day()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Order(OrderError::InvalidDatabaseCode {
                error: DatabaseCodeError::WrongLength { .. },
                ..
            })
        ),
        "{e:?}"
    );
    // Case, dashes and the usual confusions are forgiven; the canonical text is signed.
    let sloppy = "db b8ozz 01w25 se82d xmet2";
    let issued = is.issue(&order(sloppy), day()).unwrap();
    assert_eq!(issued.database.as_deref(), Some(CODE));
    // A rehost to a mistyped code is refused too; to a valid one it is signed canonical.
    let id = issued.license.license_id;
    let e = is
        .rehost(id, BindTo::database(typo.as_str()), Unbind::default(), day())
        .unwrap_err();
    assert!(
        matches!(e, Error::Order(OrderError::InvalidDatabaseCode { .. })),
        "{e:?}"
    );
    let other = "DB-0000000000000000XXXX";
    assert!(
        is.rehost(id, BindTo::database(other), Unbind::default(), day())
            .is_err()
    );
}

#[test]
fn a_catalog_may_take_free_form_database_identifiers() {
    let text = DEMO_CATALOG.replacen(
        "database_codes = \"toolkit\"",
        "database_codes = \"free-form\"",
        1,
    );
    let catalog = Catalog::from_toml(&text, std::path::Path::new("free-form demo")).unwrap();
    assert_eq!(catalog.defaults.database_codes, DatabaseCodes::FreeForm);
    let mut is = issuer(catalog);
    let issued = is.issue(&order(" DB-7F3A-22C1 "), day()).unwrap();
    assert_eq!(issued.database.as_deref(), Some("DB-7F3A-22C1"));
    for empty in ["  ", " - -\t"] {
        assert!(matches!(
            is.issue(&order(empty), day()),
            Err(Error::Order(OrderError::EmptyDatabaseCode))
        ));
    }
    let bad = DEMO_CATALOG.replacen("database_codes = \"toolkit\"", "database_codes = \"any\"", 1);
    assert!(Catalog::from_toml(&bad, std::path::Path::new("bad")).is_err());
}

#[test]
fn fingerprint_errors_speak_of_a_fingerprint() {
    let catalog = Catalog::demo().unwrap();
    let e = BindTo::machine_fingerprint("AQFC9-DQR50-84Z8K-9EQZH", None, &catalog).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("fingerprint"), "{text}");
    assert!(!text.contains("license code"), "{text}");
}
