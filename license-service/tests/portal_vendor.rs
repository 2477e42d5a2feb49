//! The vendor's pages in the browser (headless Chromium through WebDriver, PostgreSQL when
//! `LICENSE_TEST_PG` is set): the vendor's administrator finds a customer and its
//! licenses, certifies a reseller with a frame (an entry that cannot be read first: the
//! field is named), narrows the frame and revokes the certificate, each confirmed on a page
//! saying what it does; publishes the revocation list, which names the revoked
//! certificate; erases a licensee's name after a page saying what is erased and what is
//! kept; and the audit log shows each of those actions. A clerk sees the reseller but no
//! form to change it, and its certification is refused. Every page passes axe-core;
//! screenshots under `target/screenshots/portal-vendor-*.png`.

mod common;
mod portal_support;

use browser_test::Browser;
use common::Service;
use license_core::{Date, Frame, Kind, KindSet, LineSet, ModuleSet};
use license_service::rights::{OrgKind, Rights};
use portal_support::{check, login_vendor, url};

fn frame() -> Frame {
    Frame::new(
        KindSet::EMPTY.with(Kind::Subscription),
        LineSet::from_bits(0b1),
        ModuleSet::from_bits(0b1),
        Date::from_ymd(2030, 1, 1).unwrap(),
    )
}

#[test]
#[cfg_attr(
    not(has_chromium),
    ignore = "needs chromium and chromedriver on PATH (apt-get install chromium chromium-driver)"
)]
fn the_vendor_certifies_narrows_and_revokes_a_reseller_erases_a_licensee_and_reads_the_audit_log() {
    let svc = Service::any_with(portal_support::catalogs());
    let v = svc.vendor_org;
    let (_, va_secret) = svc.user(v, "va@vendor.test", true, &Rights::default());
    let (vc_id, vc_secret) = svc.user(v, "vc@vendor.test", false, &Rights::default());
    let contoso = svc
        .store
        .create_org(
            OrgKind::Reseller,
            "Contoso",
            &serde_json::to_string(&frame()).unwrap(),
        )
        .unwrap();
    let acme = svc.store.create_org(OrgKind::Company, "ACME Corp", "").unwrap();
    svc.store.create_org(OrgKind::Company, "Beta GmbH", "").unwrap();
    let mut api = svc.certifier();
    let (status, created) = api.post(
        &format!("/api/v1/licenses?company={acme}"),
        &common::new_license("ACME Corp"),
    );
    assert_eq!(status, 201, "{created}");
    let license = created["license"]["license_id"].as_u64().unwrap();

    let b = Browser::start().unwrap();
    login_vendor(&svc, &b, "va@vendor.test", &va_secret);

    // Customers: searchable, each linking to its licenses.
    b.submit("a[href='/portal/vendor/customers']").unwrap();
    b.source_containing(r#"id="customers""#).unwrap();
    check(&b, "vendor-customers");
    b.type_into("#q", "acme").unwrap();
    b.submit("#search").unwrap();
    b.source_containing(r#"id="count">1 companies"#).unwrap();
    assert!(!b.source().unwrap().contains("Beta GmbH"));
    b.submit(&format!("#licenses-{acme}")).unwrap();
    b.source_containing(r#"id="licenses""#).unwrap();
    assert!(b.has(&format!("a[href='/portal/licenses/{license}']")).unwrap());
    check(&b, "vendor-customer-licenses");
    // A search inside the company's licenses keeps the filter.
    b.type_into("#q", &license.to_string()).unwrap();
    b.submit("#search").unwrap();
    b.source_containing(&format!(r#"type="search" value="{license}""#))
        .unwrap();
    assert!(b.url().unwrap().contains(&format!("company={acme}")));
    assert!(b.has(&format!("a[href='/portal/licenses/{license}']")).unwrap());

    // Resellers: Contoso, not certified yet.
    b.submit("a[href='/portal/vendor/resellers']").unwrap();
    b.source_containing(r#"id="resellers""#).unwrap();
    check(&b, "vendor-resellers");
    b.submit(&format!("#reseller-{contoso}")).unwrap();
    b.source_containing(r#"id="no-certs""#).unwrap();
    check(&b, "vendor-reseller");

    // Certify: a number of users that is no number first, the field named.
    b.click("#certify-kind-subscription").unwrap();
    b.click("#certify-kind-trial").unwrap();
    b.click("#certify-line-standard").unwrap();
    b.click("#certify-module-crm").unwrap();
    b.click("#certify-module-budget").unwrap();
    b.type_into("#certify-named_users", "lots").unwrap();
    b.type_into("#certify-until", "2029-12-31").unwrap();
    b.submit("#certify-submit").unwrap();
    b.source_containing(r#"id="certify-error""#).unwrap();
    let error = b.text("#certify-error").unwrap();
    assert!(error.contains("Most named users per license"), "{error}");
    assert!(b.has("#certify-named_users[aria-invalid=true]").unwrap());
    // What was entered is kept.
    assert!(b.has("#certify-module-budget:checked").unwrap());
    check(&b, "vendor-certify-error");
    b.clear("#certify-named_users").unwrap();
    b.type_into("#certify-named_users", "50").unwrap();
    b.submit("#certify-submit").unwrap();
    b.source_containing(r#"id="confirm-text""#).unwrap();
    let what = b.text("#confirm-text").unwrap();
    assert!(
        what.contains("Contoso will be certified for demo-erp")
            && what.contains("modules: crm, budget")
            && what.contains("named users per license: 50")
            && what.contains("2029-12-31"),
        "{what}"
    );
    check(&b, "vendor-certify-confirm");
    b.submit("#confirm").unwrap();
    b.source_containing(r#"id="notice""#).unwrap();
    let cert = svc
        .store
        .certificate(contoso, "demo-erp")
        .unwrap()
        .expect("certified");
    let certified: Frame = serde_json::from_str(&cert.frame).unwrap();
    assert_eq!(certified.named_users, Some(50));
    assert!(certified.kinds.contains(Kind::Trial) && certified.kinds.contains(Kind::Subscription));
    assert_eq!(certified.not_after, Date::from_ymd(2030, 1, 1).unwrap());
    check(&b, "vendor-certified");

    // Narrow: a wider frame is refused naming the limit, a narrower one confirmed.
    b.click("#narrow-demo-erp-module-bi").unwrap();
    b.submit("#narrow-demo-erp-submit").unwrap();
    b.source_containing(r#"id="narrow-demo-erp-error""#).unwrap();
    let error = b.text("#narrow-demo-erp-error").unwrap();
    assert!(error.contains("not inside the certified one"), "{error}");
    check(&b, "vendor-narrow-wider");
    b.click("#narrow-demo-erp-module-bi").unwrap();
    b.clear("#narrow-demo-erp-named_users").unwrap();
    b.type_into("#narrow-demo-erp-named_users", "20").unwrap();
    b.submit("#narrow-demo-erp-submit").unwrap();
    b.source_containing(r#"id="confirm-text""#).unwrap();
    assert!(
        b.text("#confirm-text")
            .unwrap()
            .contains("named users per license: 20")
    );
    check(&b, "vendor-narrow-confirm");
    b.submit("#confirm").unwrap();
    b.source_containing(r#"id="notice""#).unwrap();
    let narrowed = svc.store.certificate(contoso, "demo-erp").unwrap().expect("live");
    assert_ne!(narrowed.serial, cert.serial);
    assert_eq!(
        serde_json::from_str::<Frame>(&narrowed.frame)
            .unwrap()
            .named_users,
        Some(20)
    );
    check(&b, "vendor-narrowed");

    // Revoke, confirmed.
    b.submit("#revoke-demo-erp").unwrap();
    b.source_containing(r#"id="confirm-text""#).unwrap();
    assert!(b.text("#confirm-text").unwrap().contains("refused offline"));
    check(&b, "vendor-revoke-confirm");
    b.submit("#confirm").unwrap();
    b.source_containing(r#"id="notice""#).unwrap();
    assert!(svc.store.certificate(contoso, "demo-erp").unwrap().is_none());
    assert!(!b.has("#revoke-demo-erp").unwrap());
    check(&b, "vendor-revoked");

    // The revocation list names the revoked certificate.
    b.submit("a[href='/portal/vendor/revocations']").unwrap();
    b.source_containing(r#"id="publish""#).unwrap();
    check(&b, "vendor-revocations");
    b.clear("#valid_days").unwrap();
    b.type_into("#valid_days", "none").unwrap();
    b.submit("#publish").unwrap();
    b.source_containing(r#"id="revocations-error""#).unwrap();
    assert!(
        b.text("#revocations-error")
            .unwrap()
            .contains("Days it stays current")
    );
    check(&b, "vendor-revocations-error");
    b.clear("#valid_days").unwrap();
    b.type_into("#valid_days", "10").unwrap();
    b.submit("#publish").unwrap();
    b.source_containing(r#"id="list""#).unwrap();
    let certs = b.text("#list-certificates").unwrap();
    assert!(certs.contains(&narrowed.serial.to_string()), "{certs}");
    check(&b, "vendor-revocations-published");

    // GDPR erasure: what is erased and what is kept, before it is done.
    b.submit("a[href='/portal/vendor/erasure']").unwrap();
    b.source_containing(r#"id="erase""#).unwrap();
    check(&b, "vendor-erasure");
    b.type_into("#licensee", "ACME Corp").unwrap();
    b.submit("#erase").unwrap();
    b.source_containing(r#"id="confirm-text""#).unwrap();
    let what = b.text("#confirm-text").unwrap();
    assert!(
        what.contains("Erased: the name “ACME Corp”") && what.contains("Kept: the licenses, their codes"),
        "{what}"
    );
    check(&b, "vendor-erasure-confirm");
    b.submit("#confirm").unwrap();
    b.source_containing(r#"id="message""#).unwrap();
    let done = b.text("#message").unwrap();
    assert!(done.contains("ledger records changed"), "{done}");
    assert!(!done.starts_with("0 "), "{done}");
    check(&b, "vendor-erased");

    // The audit log shows every one of those actions; filtered by one.
    b.submit("a[href='/portal/vendor/audit']").unwrap();
    b.source_containing(r#"id="audit""#).unwrap();
    let log = b.text("#audit").unwrap();
    for action in [
        "certify_reseller",
        "narrow_reseller",
        "revoke_reseller",
        "publish_revocations",
        "erase",
    ] {
        assert!(log.contains(action), "{action} missing: {log}");
    }
    check(&b, "vendor-audit");
    b.click("#action option[value=erase]").unwrap();
    b.submit("#filter").unwrap();
    b.source_containing(r#"id="count">1 lines"#).unwrap();
    check(&b, "vendor-audit-filtered");

    // A clerk sees the reseller, but no form to change it, and may not certify.
    b.submit("#logout").unwrap();
    login_vendor(&svc, &b, "vc@vendor.test", &vc_secret);
    b.go(&url(&svc, &format!("/portal/vendor/resellers/{contoso}")))
        .unwrap();
    b.source_containing(r#"id="certs""#).unwrap();
    assert!(!b.has("#certify").unwrap());
    assert!(!b.has("a[href='/portal/vendor/audit']").unwrap());
    check(&b, "vendor-reseller-clerk");
    b.go(&url(&svc, "/portal/vendor/audit")).unwrap();
    b.source_containing(r#"data-kind="forbidden""#).unwrap();
    check(&b, "vendor-audit-clerk-refused");
    let mut clerk = svc.client();
    let (session, csrf) = svc.store.create_session(vc_id, 3_600_000).unwrap();
    clerk.cookie = Some(session);
    let form = format!(
        "csrf={csrf}&product=demo-erp&kind=subscription&line=standard&named_users=5&until=2029-12-31&confirm=yes"
    );
    let origin = format!("http://{}", svc.addr);
    let reply = clerk.raw(
        "POST",
        &format!("/portal/vendor/resellers/{contoso}/certify"),
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", &origin),
        ],
        Some(form.as_bytes()),
    );
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(reply.body.contains(r#"data-kind="forbidden""#));
    assert!(svc.store.certificate(contoso, "demo-erp").unwrap().is_none());
}
