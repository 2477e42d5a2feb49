//! A reseller's code through the C ABI: verifies like any other code, reports its
//! reseller and chain depth, and a code outside the frame gets its own result number.

mod common;

use std::ptr;

use common::*;
use ed25519_dalek::SigningKey;
use license_core::{CertificateChain, Context, sign, sign_delegated};
use license_ffi::*;

fn ok(r: lic_result) {
    assert_eq!(r, lic_result::Ok);
}

fn reseller() -> SigningKey {
    reseller_key()
}

fn chain() -> CertificateChain {
    reseller_chain(PRODUCT, &vendor_key(), 25)
}

fn verify(verifier: *const lic_verifier, code: &str) -> Result<*mut lic_license, lic_result> {
    let mut license = ptr::null_mut();
    // SAFETY: a live verifier and string.
    let r =
        unsafe { lic_verifier_verify_text_at(verifier, code.as_ptr().cast(), code.len(), NOW, &mut license) };
    if r == lic_result::Ok { Ok(license) } else { Err(r) }
}

#[test]
fn a_resellers_code_verifies_and_reports_its_reseller() {
    let ctx = Context::new(PRODUCT, LICENSEE).with_database(DATABASE);
    let code = sign_delegated(&base_license(), &ctx, &reseller(), &chain())
        .expect("inside")
        .to_string();
    let v = test_verifier();
    let license = verify(v, &code).expect("verifies");
    let mut buf = [0 as std::ffi::c_char; 32];
    let (mut len, mut depth) = (0usize, 99u32);
    // SAFETY: live handle and buffers.
    unsafe {
        let mut usable = false;
        ok(lic_license_is_usable(license, &mut usable));
        assert!(usable);
        // Too small: only the length is written.
        assert_eq!(
            lic_license_reseller(license, buf.as_mut_ptr(), 4, &mut len, &mut depth),
            lic_result::BufferTooSmall
        );
        assert_eq!((len, depth), (7, 99));
        ok(lic_license_reseller(
            license,
            buf.as_mut_ptr(),
            buf.len(),
            &mut len,
            &mut depth,
        ));
        let name: Vec<u8> = buf[..len].iter().map(|&c| c as u8).collect();
        assert_eq!((name.as_slice(), depth), (&b"Contoso"[..], 1));
        assert_eq!(
            lic_license_reseller(license, buf.as_mut_ptr(), buf.len(), &mut len, ptr::null_mut()),
            lic_result::NullArgument
        );
        lic_license_free(license);
    }
    // The vendor's own code: no reseller, depth 0.
    let plain = sign(&base_license(), &ctx, &vendor_key())
        .expect("sign")
        .to_string();
    let license = verify(v, &plain).expect("verifies");
    // SAFETY: live handle and buffers.
    unsafe {
        ok(lic_license_reseller(
            license,
            buf.as_mut_ptr(),
            buf.len(),
            &mut len,
            &mut depth,
        ));
        assert_eq!((len, depth), (0, 0));
        lic_license_free(license);
    }
    // Outside the frame (26 users), as a dishonest reseller would sign it.
    let wide = license_core::License {
        named_users: Some(26),
        ..base_license()
    };
    let inner = sign(&wide, &ctx, &reseller()).expect("sign");
    let mut bytes = chain().as_bytes().to_vec();
    bytes[0] = 0xD1;
    bytes.extend_from_slice(inner.as_bytes());
    let text = license_core::UntrustedDelegatedCode::from_bytes(&bytes)
        .expect("decodes")
        .to_string();
    assert_eq!(verify(v, &text).err(), Some(lic_result::OutsideFrame));
    assert_eq!(lic_result::OutsideFrame as u32, 156);
    // SAFETY: freed once.
    unsafe { lic_verifier_free(v) };
}
