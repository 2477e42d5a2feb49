//! The mails of a company's new codes go out in the language each administrator chose in
//! the portal (stored with the user), English where it chose none.

mod common;

use common::Service;
use license_notify::Language;
use license_service::notify::admins_of;
use license_service::rights::{OrgKind, Rights};

#[test]
fn each_administrator_gets_its_mails_in_the_language_it_chose() {
    let svc = Service::sqlite();
    let org = svc
        .store
        .create_org(OrgKind::Company, "Mustermann GmbH", "")
        .unwrap();
    let (de, _) = svc.user(org, "chef@mustermann.test", true, &Rights::default());
    svc.user(org, "admin@mustermann.test", true, &Rights::default());
    svc.user(org, "user@mustermann.test", false, &Rights::default());
    svc.store.set_language(de, "de").unwrap();

    let mut admins = admins_of(&svc.store, org).unwrap();
    admins.sort_by(|a, b| a.address.cmp(&b.address));
    let got: Vec<(&str, Language)> = admins.iter().map(|r| (r.address.as_str(), r.language)).collect();
    assert_eq!(
        got,
        [
            ("admin@mustermann.test", Language::En),
            ("chef@mustermann.test", Language::De),
        ]
    );
}
