//! Parsing and verifying a code performs no heap allocation.

mod common;

use common::*;
use license_core::*;

#[test]
fn parse_and_verify_do_not_allocate() {
    let text = reference_code().to_string();
    let keys = public_keys();
    let machine = reference_machine();
    let ctx = reference_context(&machine);
    let today = day(2027, 1, 1);
    let mut result = None;
    let info = allocation_counter::measure(|| {
        let verified = UntrustedCode::parse(&text).and_then(|c| c.verify(&keys, &ctx));
        result = Some(verified.map(|v| v.evaluate(today, today, &Policy::default()).status));
    });
    assert_eq!(result, Some(Ok(Status::Valid)));
    assert_eq!(info.count_total, 0, "{info:?}");
    // Errors do not allocate either (the typo locator included).
    let typo = text.replacen('0', "1", 1);
    let info = allocation_counter::measure(|| {
        let e = UntrustedCode::parse(&typo).map(|_| ());
        assert!(e.is_err());
    });
    assert_eq!(info.count_total, 0, "{info:?}");
}
