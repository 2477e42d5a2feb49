//! Lease tokens from a real server, checked offline by the client: forged, expired and
//! other-server tokens are refused.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Options, PRODUCT, start_on};
use license_verify::seat_client::{PinnedServerKey, SeatClient, SeatError, UntrustedLeaseToken, now_ms};

#[test]
fn tokens_are_verified_offline() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(2)).unwrap();
    let c = s.client("ws-1");
    let lease = c.acquire(Some(30)).unwrap();
    let pin = PinnedServerKey(s.server_key);
    let token = lease.token.clone();
    let claims = UntrustedLeaseToken::parse(&token)
        .unwrap()
        .verify_at(&pin, PRODUCT, "ws-1", now_ms())
        .unwrap();
    assert_eq!(claims.machine, "ws-1.acme.lan");
    assert_eq!(claims.server_key, s.server_key);

    // Expired: the same token checked after its expiry.
    let later = lease.expires_ms();
    assert!(matches!(
        UntrustedLeaseToken::parse(&token)
            .unwrap()
            .verify_at(&pin, PRODUCT, "ws-1", later),
        Err(SeatError::Expired { .. })
    ));
    assert!(matches!(
        c.adopt_token(&token, later),
        Err(SeatError::Expired { .. })
    ));

    // Forged: every single-bit change of the token's bytes is refused.
    let bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x01;
        let forged = URL_SAFE_NO_PAD.encode(&b);
        let r =
            UntrustedLeaseToken::parse(&forged).and_then(|t| t.verify_at(&pin, PRODUCT, "ws-1", now_ms()));
        assert!(r.is_err(), "byte {i} changed and still accepted");
    }

    // Another holder's token is not this holder's seat.
    assert!(matches!(
        s.client("ws-2").adopt_token(&token, now_ms()),
        Err(SeatError::OtherHolder { .. })
    ));
}

/// The client takes the licensed server from the vendor's code it verified itself.
#[test]
fn the_client_checks_the_server_against_the_codes_seat_server_binding() {
    use license_verify::Verifier;
    use license_verify::license_core::PublicKey;
    use license_verify::seat_client::LicensedServer;
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(2)).unwrap();
    let verifier = Verifier::builder(
        vec![PublicKey::from(common::vendor().verifying_key())],
        PRODUCT,
        common::today(),
    )
    .licensee(common::LICENSEE)
    .database(common::DATABASE)
    .build()
    .unwrap();
    let v = verifier.verify_file(dir.path().join("license.txt")).unwrap();
    let licensed = LicensedServer::from_verification(&v).unwrap();
    let c = SeatClient::new(&s.base, PRODUCT, "ws-1", Box::new(licensed)).unwrap();
    assert_eq!(c.acquire(None).unwrap().claims.server_key, s.server_key);

    // Another server (its own key, a code naming no server, allowed to serve anyway):
    // the client holding the vendor's code refuses its leases.
    let dir2 = tempfile::tempdir().unwrap();
    let mut o = Options::seats(2);
    o.seat_server = common::SeatBinding::Unbound;
    o.allow_unbound = true;
    let rogue = start_on(dir2.path(), &o).unwrap();
    let c = SeatClient::new(&rogue.base, PRODUCT, "ws-1", Box::new(licensed)).unwrap();
    assert!(matches!(c.acquire(None), Err(SeatError::UnlicensedServer { .. })));
}

#[test]
fn a_server_the_vendor_did_not_license_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_on(dir.path(), &Options::seats(2)).unwrap();
    // A client that expects another server key (e.g. a rogue server on the network).
    let c = SeatClient::new(&s.base, PRODUCT, "ws-1", Box::new(PinnedServerKey([9; 32]))).unwrap();
    let err = c.acquire(None).unwrap_err();
    assert!(matches!(err, SeatError::UnlicensedServer { .. }), "{err}");
    assert!(c.held().is_none(), "no seat recorded from an unlicensed server");
    // A client of another product refuses the lease too.
    let c = SeatClient::new(
        &s.base,
        "other-product",
        "ws-3",
        Box::new(PinnedServerKey(s.server_key)),
    )
    .unwrap();
    assert!(matches!(c.acquire(None), Err(SeatError::OtherProduct { .. })));
}
