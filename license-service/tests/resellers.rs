//! Resellers' certificates and keys (issue 21, item 3) over HTTP on the loopback: the
//! vendor certifies a reseller whose key the service keeps (sealed: never in the database
//! in plain form); the reseller's licenses made in the service carry its certificate chain
//! and verify offline with `license-verify` against the vendor's public key only; the
//! frame is enforced before signing; narrowing re-checks the reseller's users; a revoked
//! certificate signs nothing more and is listed on the revocation list, which refuses its
//! codes offline; a reseller that keeps its own key gets the library's bundle and its
//! monthly export is imported (the library's `check_import`).

mod common;

use common::{Client, Service, key, new_license, today};
use license_core::{Date, Frame, IdRange, Kind, KindSet, LineSet, ModuleSet};
use license_issue::{
    Catalogs, Issuer, Ledger, MemoryLedger, Month, ResellerBundle, ResellerExport, ResellerHome,
};
use license_service::rights::{OrgKind, Rights};
use license_verify::{Utc, Verifier};
use serde_json::{Value, json};

fn frame(users: u32) -> Frame {
    let mut f = Frame::new(
        KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription),
        LineSet::from_bits(0b11),
        ModuleSet::from_bits(u64::MAX),
        Date::from_ymd(2030, 1, 1).unwrap(),
    );
    f.named_users = Some(users);
    f.license_ids = Some(IdRange {
        first: 700_000,
        last: 700_999,
    });
    f
}

/// An order of a reseller (naming no reseller: the service signs as the caller's).
fn order(licensee: &str, users: u32) -> Value {
    let mut o = new_license(licensee);
    o["customer"]["reseller"].take();
    o["named_users"] = json!(users);
    o
}

fn verifier(licensee: &str, database: &str) -> Verifier {
    Verifier::builder(vec![key().public_key()], "demo-erp", today())
        .licensee(licensee)
        .database(database)
        .build()
        .unwrap()
}

fn noon() -> Utc {
    Utc(Utc::start_of(today()).0 + 12 * 3600)
}

fn reseller_admin(svc: &Service, org: i64, email: &str) -> Client {
    svc.user(org, email, true, &Rights::default());
    svc.login(email, "")
}

#[test]
fn a_resellers_code_made_here_carries_its_chain_and_verifies_offline_with_the_vendor_key_only() {
    let svc = Service::any();
    let r = svc.store.create_org(OrgKind::Reseller, "Contoso", "").unwrap();
    let mut va = svc.certifier();
    let (status, cert) = va.post(
        &format!("/api/v1/resellers/{r}/certify"),
        &json!({"product": "demo-erp", "frame": frame(50)}),
    );
    assert_eq!(status, 201, "{cert}");
    assert_eq!(cert["custody"], "service", "{cert}");
    assert!(
        cert.get("bundle").is_none(),
        "the service keeps the key: no bundle"
    );
    let mut ra = reseller_admin(&svc, r, "ra@contoso.test");

    let (status, made) = ra.post("/api/v1/licenses", &order("ACME Corp", 25));
    assert_eq!(status, 201, "{made}");
    let code = made["code"].as_str().unwrap();
    assert_eq!(
        made["license"]["license_id"], 700_000,
        "the certificate's id range"
    );
    // Offline, as the host application does: only the vendor's public key.
    let db = common::pg::db("DB-ACME Corp");
    let v = verifier("ACME Corp", &db).verify_text_at(code, noon()).unwrap();
    let issuer = v.issuer().expect("a reseller's code names its reseller");
    assert_eq!(issuer.reseller().name, "Contoso");
    assert_eq!(issuer.reseller().serial, cert["serial"].as_u64().unwrap() as u32);
    // Another vendor key: refused.
    let other = Verifier::builder(
        vec![license_issue::VendorKey::from_seed(&[6; 32]).public_key()],
        "demo-erp",
        today(),
    )
    .licensee("ACME Corp")
    .database(db.as_str())
    .build()
    .unwrap();
    assert!(other.verify_text_at(code, noon()).is_err());

    // Outside the frame: refused before signing by the library (its check of the
    // certificate's frame), naming the limit; nothing issued.
    let (status, err) = ra.post("/api/v1/licenses", &order("Beta GmbH", 51));
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (422, Some("outside_frame")),
        "{err}"
    );
    assert!(
        err["error"]["message"].as_str().unwrap().contains("limit of 50"),
        "{err}"
    );
    // Naming another reseller: the library refuses it.
    let mut foreign = order("Beta GmbH", 5);
    foreign["customer"]["reseller"] = json!("Fabrikam");
    let (status, err) = ra.post("/api/v1/licenses", &foreign);
    assert_eq!(status, 422, "{err}");
    let (_, list) = ra.get("/api/v1/licenses");
    assert_eq!(list["licenses"].as_array().unwrap().len(), 1, "{list}");

    // The vendor's own licenses keep the vendor's plain codes and ids.
    let mut erp = svc.token(svc.vendor_org, &["orders"]);
    let (status, vendor_made) = erp.post("/api/v1/licenses", &new_license("Gamma AG"));
    assert_eq!(status, 201, "{vendor_made}");
    let vendor_code = vendor_made["code"].as_str().unwrap();
    let v = verifier("Gamma AG", &common::pg::db("DB-Gamma AG"))
        .verify_text_at(vendor_code, noon())
        .unwrap();
    assert!(v.issuer().is_none(), "the vendor's own code has no chain");
    // And the reseller's next id stays in its range: after its own highest one there,
    // whatever ids the vendor's took (on the file ledger the vendor's ids continue after
    // the highest recorded id; on PostgreSQL from their own sequence).
    let vendor_id = vendor_made["license"]["license_id"].as_u64().unwrap();
    let (status, next) = ra.post("/api/v1/licenses", &order("Delta SA", 5));
    assert_eq!(status, 201, "{next}");
    let next_id = next["license"]["license_id"].as_u64().unwrap();
    assert!(
        (700_001..=700_999).contains(&next_id) && next_id != vendor_id,
        "{next}"
    );
}

#[test]
fn the_key_the_service_keeps_is_never_in_the_database_in_plain_form() {
    let svc = Service::sqlite();
    let r = svc.certified_reseller("Contoso", &frame(50));
    let row = svc.store.reseller_key(r).unwrap().unwrap();
    assert_eq!(row.custody, license_service::store::resellers::Custody::Service);
    let key = common::master_key().open_key(&row.sealed, r).unwrap();
    assert_eq!(hex::encode(key.public_key().to_bytes()), row.public_key);
    let seed = key.signing_key().to_bytes();
    let pem = key.to_pkcs8_pem().unwrap();
    let pem_body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    // The whole database file (and its journal): neither the raw key, nor its hex, nor
    // its PEM (header or body).
    let file = svc.db_file.clone().unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    for side in ["-wal", "-journal"] {
        let mut p = file.clone().into_os_string();
        p.push(side);
        if let Ok(b) = std::fs::read(&p) {
            bytes.extend(b);
        }
    }
    assert!(bytes.len() > 1000, "the database was read");
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(
        contains(row.public_key.as_bytes()),
        "the public key is stored (the check reads the right file)"
    );
    assert!(!contains(&seed), "the raw private key");
    assert!(!contains(hex::encode(seed).as_bytes()), "its hex");
    assert!(!contains(b"PRIVATE KEY"), "a PEM");
    assert!(!contains(&pem_body.as_bytes()[..24]), "the PEM's body");
    // Sealed for this reseller: the row moved to another reseller does not open.
    assert!(common::master_key().open_key(&row.sealed, r + 1).is_err());
}

#[test]
fn narrowing_the_frame_rechecks_the_users_and_a_revoked_certificate_signs_nothing_and_is_listed() {
    let svc = Service::any();
    let r = svc.certified_reseller("Contoso", &frame(50));
    let (ru_id, _) = svc.user(
        r,
        "ru@contoso.test",
        false,
        &Rights {
            frame: Some(frame(40)),
            ..Rights::default()
        },
    );
    let (inside_id, _) = svc.user(
        r,
        "ri@contoso.test",
        false,
        &Rights {
            frame: Some(frame(20)),
            ..Rights::default()
        },
    );
    let mut ra = reseller_admin(&svc, r, "ra@contoso.test");
    let mut ru = svc.login("ru@contoso.test", "");
    let (status, made) = ra.post("/api/v1/licenses", &order("ACME Corp", 45));
    assert_eq!(status, 201, "{made}");
    let early = made["code"].as_str().unwrap().to_owned();

    let mut va = svc.certifier();
    // Wider than certified: refused naming the limit.
    let (status, err) = va.post(
        &format!("/api/v1/resellers/{r}/narrow"),
        &json!({"product": "demo-erp", "frame": frame(60)}),
    );
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (422, Some("wider_frame")),
        "{err}"
    );
    let (status, narrowed) = va.post(
        &format!("/api/v1/resellers/{r}/narrow"),
        &json!({"product": "demo-erp", "frame": frame(30)}),
    );
    assert_eq!(status, 200, "{narrowed}");
    assert_eq!(narrowed["users_narrowed"], json!([ru_id]), "{narrowed}");
    // The user whose frame was wider than the new one lost it; the other kept its own.
    let ru_rights = svc.store.user(ru_id).unwrap().unwrap().rights;
    assert_eq!(ru_rights.frame, None);
    let ri_rights = svc.store.user(inside_id).unwrap().unwrap().rights;
    assert_eq!(ri_rights.frame.unwrap().named_users, Some(20));
    let (status, err) = ru.post("/api/v1/licenses", &order("Beta GmbH", 10));
    assert_eq!(status, 403, "{err}");
    // The administrator: 35 is outside the new frame, 25 inside, signed under the new
    // certificate.
    let (status, err) = ra.post("/api/v1/licenses", &order("Beta GmbH", 35));
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (422, Some("outside_frame")),
        "{err}"
    );
    let (status, made) = ra.post("/api/v1/licenses", &order("Beta GmbH", 25));
    assert_eq!(status, 201, "{made}");
    let v = verifier("Beta GmbH", &common::pg::db("DB-Beta GmbH"))
        .verify_text_at(made["code"].as_str().unwrap(), noon())
        .unwrap();
    assert_eq!(
        v.issuer().unwrap().reseller().serial,
        narrowed["serial"].as_u64().unwrap() as u32
    );
    // The earlier code (under the replaced certificate) stays valid: narrowing is no
    // revocation.
    assert!(
        verifier("ACME Corp", &common::pg::db("DB-ACME Corp"))
            .verify_text_at(&early, noon())
            .is_ok()
    );

    // Revoked: nothing more is signed, and the product's revocation list names the serial.
    let (status, revoked) = va.post(
        &format!("/api/v1/resellers/{r}/revoke"),
        &json!({"product": "demo-erp"}),
    );
    assert_eq!(status, 200, "{revoked}");
    let (status, err) = ra.post("/api/v1/licenses", &order("Epsilon", 5));
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("no_certificate")),
        "{err}"
    );
    let (status, again) = va.post(
        &format!("/api/v1/resellers/{r}/revoke"),
        &json!({"product": "demo-erp"}),
    );
    assert_eq!(status, 404, "{again}");
    let mut erp = svc.token(svc.vendor_org, &["orders"]);
    let (status, list) = erp.post("/api/v1/revocations/demo-erp", &json!({"valid_days": 10}));
    assert_eq!(status, 200, "{list}");
    let bytes = hex::decode(list["list_hex"].as_str().unwrap()).unwrap();
    let verifier = verifier("Beta GmbH", &common::pg::db("DB-Beta GmbH"));
    verifier.ingest_revocation_list_at(&bytes, noon()).unwrap();
    assert!(
        verifier
            .verify_text_at(made["code"].as_str().unwrap(), noon())
            .is_err(),
        "a code under the revoked certificate is refused offline"
    );
}

#[test]
fn a_reseller_keeping_its_own_key_gets_a_bundle_and_its_monthly_export_is_imported() {
    let svc = Service::any();
    let dir = tempfile::tempdir().unwrap();
    let home = ResellerHome::new(dir.path().join("fabrikam"));
    let pk = home.keygen().unwrap();
    let r = svc.store.create_org(OrgKind::Reseller, "Fabrikam", "").unwrap();
    let mut va = svc.certifier();
    let (status, cert) = va.post(
        &format!("/api/v1/resellers/{r}/certify"),
        &json!({"product": "demo-erp", "frame": frame(50), "public_key": hex::encode(pk.to_bytes())}),
    );
    assert_eq!(status, 201, "{cert}");
    assert_eq!(cert["custody"], "own");
    assert!(
        svc.store.reseller_key(r).unwrap().unwrap().sealed.is_empty(),
        "no private key kept"
    );
    // Another key for the same reseller: refused.
    let (status, err) = va.post(
        &format!("/api/v1/resellers/{r}/certify"),
        &json!({"product": "demo-erp", "frame": frame(50), "public_key": hex::encode([1u8; 32])}),
    );
    assert_eq!(status, 409, "{err}");
    // It issues offline, not in the portal.
    let mut ra = reseller_admin(&svc, r, "ra@fabrikam.test");
    let (status, err) = ra.post("/api/v1/licenses", &order("ACME Corp", 5));
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("own_key")),
        "{err}"
    );

    // Offline: the bundle installed, a license issued with the library, the month exported.
    let bundle = ResellerBundle::parse(cert["bundle"].as_str().unwrap()).unwrap();
    let (_, catalog) = home.install_bundle(&bundle, Some(&[key().public_key()])).unwrap();
    let mut catalogs = Catalogs::new();
    catalogs.insert(catalog);
    let mut issuer = Issuer::new(catalogs, home.signer().unwrap(), MemoryLedger::new());
    let mut o = license_issue::NewLicense::new(
        "demo-erp",
        Kind::Subscription,
        license_issue::Customer::new("Omega Ltd"),
    );
    o.line = Some("standard".into());
    o.named_users = Some(5);
    issuer.issue(&o, today()).unwrap();
    let records = issuer.ledger().records().unwrap();
    let export = ResellerExport::of_month(
        "Fabrikam",
        &home.signer().unwrap(),
        &records,
        Month::parse("2026-11").unwrap(),
        today(),
    )
    .unwrap();
    let text = export.to_text().unwrap();
    let (status, done) = va.post(
        &format!("/api/v1/resellers/{r}/imports"),
        &json!({"export": text}),
    );
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (done["imported"].as_u64(), done["already_imported"].as_u64()),
        (Some(1), Some(0))
    );
    let (status, done) = va.post(
        &format!("/api/v1/resellers/{r}/imports"),
        &json!({"export": text}),
    );
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (done["imported"].as_u64(), done["already_imported"].as_u64()),
        (Some(0), Some(1))
    );
    // A record changed after signing: the whole file is refused.
    let forged = text.replacen("\"named_users\":5", "\"named_users\":500", 1);
    assert_ne!(forged, text, "the export holds the field");
    let (status, err) = va.post(
        &format!("/api/v1/resellers/{r}/imports"),
        &json!({"export": forged}),
    );
    assert!(matches!(status, 400 | 422), "{status} {err}");
    // Another reseller's export: refused naming the field.
    let c = svc.store.create_org(OrgKind::Reseller, "Contoso", "").unwrap();
    let (status, err) = va.post(
        &format!("/api/v1/resellers/{c}/imports"),
        &json!({"export": text}),
    );
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (400, Some("export")),
        "{err}"
    );
}

#[test]
fn a_users_frame_wider_than_its_resellers_grants_nothing_whenever_it_is_used() {
    // The reseller's frame narrowed without the re-check of its users (as after a
    // restore or a change by another instance): at use, the user's wider frame is void.
    let svc = Service::any();
    let r = svc.certified_reseller("Contoso", &frame(50));
    svc.user(
        r,
        "ru@contoso.test",
        false,
        &Rights {
            frame: Some(frame(40)),
            ..Rights::default()
        },
    );
    let mut ru = svc.login("ru@contoso.test", "");
    let (status, made) = ru.post("/api/v1/licenses", &order("ACME Corp", 5));
    assert_eq!(status, 201, "{made}");
    let live = svc.store.certificate(r, "demo-erp").unwrap().unwrap();
    let serial = svc.store.next_serial("demo-erp").unwrap();
    svc.store
        .record_certificate(
            r,
            "demo-erp",
            serial,
            &live.chain,
            &serde_json::to_string(&frame(30)).unwrap(),
        )
        .unwrap();
    let (status, err) = ru.post("/api/v1/licenses", &order("Beta GmbH", 5));
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (403, Some("forbidden")),
        "{err}"
    );
}

#[test]
fn a_resellers_changes_of_its_licenses_carry_its_chain_and_stay_inside_its_frame() {
    let svc = Service::any();
    let r = svc.certified_reseller("Contoso", &frame(50));
    let mut ra = reseller_admin(&svc, r, "ra@contoso.test");
    let (status, made) = ra.post("/api/v1/licenses", &order("ACME Corp", 10));
    assert_eq!(status, 201, "{made}");
    let id = made["license"]["license_id"].as_u64().unwrap();
    let (status, up) = ra.post(
        &format!("/api/v1/licenses/{id}/upgrade"),
        &json!({"named_users": 40}),
    );
    assert_eq!(status, 200, "{up}");
    let v = verifier("ACME Corp", &common::pg::db("DB-ACME Corp"))
        .verify_text_at(up["now"]["code"].as_str().unwrap(), noon())
        .unwrap();
    assert_eq!(v.issuer().unwrap().reseller().name, "Contoso");
    assert_eq!(v.named_users(), Some(40));
    // Beyond the certificate's frame: refused before signing.
    let (status, err) = ra.post(
        &format!("/api/v1/licenses/{id}/upgrade"),
        &json!({"named_users": 60}),
    );
    assert_eq!(
        (status, err["error"]["kind"].as_str()),
        (422, Some("outside_frame")),
        "{err}"
    );
}
