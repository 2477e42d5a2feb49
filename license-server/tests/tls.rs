//! TLS with a given certificate (self-signed, generated in the test): the client verifies
//! the server's certificate and gets a lease; plain HTTP to the TLS port gets no lease.

mod common;

use std::sync::Arc;

use common::{Options, PRODUCT, start_on};
use license_verify::seat_client::{PinnedServerKey, SeatClient, SeatError};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

fn agent(roots: Vec<Certificate<'static>>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::Specific(Arc::new(roots)))
                .build(),
        )
        .build()
        .into()
}

#[test]
fn leases_over_tls_with_a_given_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, signing_key.serialize_pem()).unwrap();
    let mut o = Options::seats(2);
    o.tls = Some((cert_path, key_path));
    let s = start_on(&dir.path().join("data"), &o).unwrap();
    assert!(s.base.starts_with("https://"));

    let trusted = agent(vec![Certificate::from_der(cert.der()).to_owned()]);
    let c = SeatClient::new(
        &s.base,
        PRODUCT,
        "ws-tls",
        Box::new(PinnedServerKey(s.server_key)),
    )
    .unwrap()
    .with_agent(trusted.clone());
    let lease = c.acquire(None).unwrap();
    assert_eq!(lease.in_use, 1);
    let admin = license_server::admin::AdminClient::new(&s.base, &s.admin_token).with_agent(trusted.clone());
    assert_eq!(admin.holders().unwrap()[0].holder, "ws-tls");

    // A client that does not trust the certificate gets no lease.
    let other = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let untrusting = SeatClient::new(&s.base, PRODUCT, "ws-2", Box::new(PinnedServerKey(s.server_key)))
        .unwrap()
        .with_agent(agent(vec![Certificate::from_der(other.cert.der()).to_owned()]));
    assert!(matches!(
        untrusting.acquire(None),
        Err(SeatError::Unreachable { .. })
    ));
    // Plain HTTP to the TLS port gets no lease either.
    let plain = SeatClient::new(
        &format!("http://{}", s.addr),
        PRODUCT,
        "ws-3",
        Box::new(PinnedServerKey(s.server_key)),
    )
    .unwrap();
    assert!(plain.acquire(None).is_err());
    assert_eq!(
        admin.status().unwrap().in_use,
        1,
        "only the trusting client holds a seat"
    );
}
