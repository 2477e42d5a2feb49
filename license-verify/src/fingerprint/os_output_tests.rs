//! The Windows and macOS install-id parsers on outputs recorded from the real commands
//! (`samples/`): `reg query HKLM\SOFTWARE\Microsoft\Cryptography /v MachineGuid` and
//! `ioreg -rd1 -c IOPlatformExpertDevice`. These run on every platform, so the parsing of
//! both systems' outputs is tested by the Linux CI; the collectors themselves run only there.

use super::other::{parse_ioreg, parse_reg_query};

const REG_QUERY: &str = include_str!("samples/windows-reg-query.txt");
const REG_QUERY_SEARCH: &str = include_str!("samples/windows-reg-query-search.txt");
const REG_QUERY_WOW64_ERROR: &str = include_str!("samples/windows-reg-query-wow64-error.txt");
const REG_QUERY_WRONG_TYPE: &str = include_str!("samples/windows-reg-query-wrong-type.txt");
const IOREG_ARM64: &str = include_str!("samples/macos-ioreg-arm64.txt");
const IOREG_X86_64: &str = include_str!("samples/macos-ioreg-x86_64.txt");
const IOREG_EMPTY: &str = include_str!("samples/macos-ioreg-empty.txt");

#[test]
fn reg_query_gives_the_machine_guid() {
    assert_eq!(
        parse_reg_query(REG_QUERY),
        Some("0d6c7f3e-91a4-4b2e-a8c5-3f0e9d1b7a42")
    );
    // `reg query ... /f` adds a summary line.
    assert_eq!(
        parse_reg_query(REG_QUERY_SEARCH),
        Some("6f1e4d2a-0b3c-4d5e-8f90-123456789abc")
    );
    // The same output with Unix line ends (a capture through another shell).
    assert_eq!(
        parse_reg_query(&REG_QUERY.replace("\r\n", "\n")),
        Some("0d6c7f3e-91a4-4b2e-a8c5-3f0e9d1b7a42")
    );
}

#[test]
fn reg_query_without_the_value_gives_nothing() {
    // What a 32-bit process sees on 64-bit Windows without the 64-bit registry view.
    assert_eq!(parse_reg_query(REG_QUERY_WOW64_ERROR), None);
    // Another value type is not the machine GUID.
    assert_eq!(parse_reg_query(REG_QUERY_WRONG_TYPE), None);
    assert_eq!(parse_reg_query(""), None);
    // The key path line names the key, not the value.
    assert_eq!(
        parse_reg_query("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n"),
        None
    );
}

#[test]
fn ioreg_gives_the_platform_uuid_on_both_architectures() {
    assert_eq!(
        parse_ioreg(IOREG_ARM64),
        Some("3A1F5C2E-8B7D-4E6A-9C0B-1D2E3F4A5B6C")
    );
    assert_eq!(
        parse_ioreg(IOREG_X86_64),
        Some("00000000-0000-1000-8000-0CC47A1B2C3D")
    );
    // Not the serial number, which comes first.
    assert_ne!(parse_ioreg(IOREG_ARM64), Some("C02XX0XXXXXX"));
}

#[test]
fn ioreg_without_the_uuid_gives_nothing() {
    assert_eq!(parse_ioreg(IOREG_EMPTY), None);
    let without: String = IOREG_ARM64
        .lines()
        .filter(|l| !l.contains("IOPlatformUUID"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(parse_ioreg(&without), None);
    // A key that only starts with the name, or a value that is not a string.
    assert_eq!(parse_ioreg("      \"IOPlatformUUIDX\" = \"A\"\n"), None);
    assert_eq!(parse_ioreg("      \"IOPlatformUUID\" = <00ff>\n"), None);
}
