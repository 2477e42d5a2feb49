//! Creating an installation's database code from the operating system's random source
//! (the format and its parser are `license_core::DatabaseCode`).

use license_core::{DATABASE_CODE_BYTES, DatabaseCode};

/// A new database code for this installation, from the operating system's random
/// source (`getrandom`).
///
/// Create it once, when the application is installed or its database is created, store
/// it in that database (a settings table, say), and show it in the license dialog: the
/// customer sends it to the vendor, who issues a code bound to it, and the verifier is
/// built with it ([`VerifierBuilder::database`](crate::VerifierBuilder::database)). A
/// copy of the database carries its code along; a new database gets a new code. Never
/// create one at each start: a license bound to the old code would stop working.
///
/// Fails only when the operating system has no random source to offer.
///
/// ```
/// let code = license_verify::new_database_code()?;
/// assert!(code.to_string().starts_with("DB-"));
/// // Later, reading it back from the database (or as the customer typed it):
/// let stored = license_verify::license_core::DatabaseCode::parse(&code.to_string()).unwrap();
/// assert_eq!(stored, code);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn new_database_code() -> std::io::Result<DatabaseCode> {
    let mut bytes = [0u8; DATABASE_CODE_BYTES];
    getrandom::fill(&mut bytes).map_err(std::io::Error::from)?;
    Ok(DatabaseCode::from_random(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_random_and_parse() {
        let a = new_database_code().unwrap();
        let b = new_database_code().unwrap();
        assert_ne!(a, b);
        assert_eq!(DatabaseCode::parse(&a.to_string()), Ok(a));
    }
}
