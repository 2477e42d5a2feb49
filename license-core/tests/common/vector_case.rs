//! One case of a golden-vectors file checked as recorded (`tests/vectors.rs`,
//! `tests/vectors_v2.rs`): the code verified in the case's context must give the recorded
//! verdict.

use license_core::*;
use serde_json::Value;

use super::error_name;

/// Verify `case` with `keys`, its machine read by the format's `machine_of`: a refusal must
/// be the recorded error; a valid code must grant the recorded license, and is handed to
/// `valid` (with the case's name and context) for the format's further checks.
pub fn verify_as_recorded(
    case: &Value,
    keys: &[PublicKey],
    machine_of: fn(&Value) -> Option<MachineFingerprint>,
    valid: impl FnOnce(&str, &VerifiedLicense, &License, &Context<'_>),
) {
    let name = case["name"].as_str().unwrap();
    let ctx_json = &case["context"];
    let machine = machine_of(&ctx_json["machine"]);
    let ctx = Context {
        product: ctx_json["product"].as_str().unwrap(),
        licensee: ctx_json["licensee"].as_str().unwrap(),
        database: ctx_json["database"].as_str(),
        machine: machine.as_ref(),
    };
    let code = case["code"].as_str().unwrap();
    let outcome = UntrustedCode::parse(code).and_then(|c| c.verify(keys, &ctx));
    match (case["valid"].as_bool().unwrap(), outcome) {
        (true, Ok(verified)) => {
            let expected: License = serde_json::from_value(case["license"].clone()).unwrap();
            assert_eq!(verified.license(), &expected, "{name}");
            valid(name, &verified, &expected, &ctx);
        }
        (false, Err(e)) => assert_eq!(error_name(&e), case["error"].as_str().unwrap(), "{name}"),
        (valid, outcome) => panic!("{name}: expected valid={valid}, got {outcome:?}"),
    }
}
