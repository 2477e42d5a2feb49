//! Commands that need this machine: verify, fingerprint, demo (built on license-verify).

use license_core::Date;
use license_issue::Error;

use crate::VerifyArgs;
use crate::home::Home;

fn pending() -> Error {
    Error::InvalidOrder("this command waits for license-verify".into())
}

pub fn verify(_home: &Home, _a: &VerifyArgs, _today: Date, _json: bool) -> Result<u8, Error> {
    Err(pending())
}

pub fn fingerprint(_product: &str, _json: bool) -> Result<u8, Error> {
    Err(pending())
}

pub fn demo(_today: Date, _json: bool) -> Result<u8, Error> {
    Err(pending())
}
