//! Sources through sysinfo (CPU everywhere; network adapters outside Linux) and the
//! Windows and macOS install ids. The Windows and macOS paths compile only there and
//! are not tested by our CI (Linux); their output parsers are tested everywhere.

use license_core::Component;

use super::{Part, Unknown, digest_of};

/// CPU brand and physical core count, through sysinfo with only the CPU list refreshed
/// (no process enumeration).
pub(crate) fn cpu(app_key: &[u8]) -> Part {
    use sysinfo::{CpuRefreshKind, RefreshKind, System};
    const SOURCE: &str = "sysinfo CPU";
    let system = System::new_with_specifics(RefreshKind::nothing().with_cpu(CpuRefreshKind::nothing()))
        .map_err(|_| Unknown::Failed {
            source: SOURCE,
            kind: std::io::ErrorKind::Other,
        })?;
    let brand = system
        .cpus()
        .first()
        .map(|c| c.brand().trim())
        .unwrap_or_default();
    if brand.is_empty() {
        return Err(Unknown::Placeholder(SOURCE));
    }
    let cores = System::physical_core_count().unwrap_or(system.cpus().len());
    digest_of(app_key, Component::Cpu, SOURCE, &cpu_raw(brand, cores))
}

/// The raw CPU value that is hashed: `"<brand> | <physical cores>"`.
pub(crate) fn cpu_raw(brand: &str, cores: usize) -> String {
    format!("{brand} | {cores}")
}

/// The `MachineGuid` value from `reg query HKLM\SOFTWARE\Microsoft\Cryptography /v MachineGuid`.
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) fn parse_reg_query(output: &str) -> Option<&str> {
    output.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next()? == "MachineGuid").then_some(())?;
        (words.next()? == "REG_SZ").then_some(())?;
        words.next()
    })
}

/// The `IOPlatformUUID` value from `ioreg -rd1 -c IOPlatformExpertDevice`.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub(crate) fn parse_ioreg(output: &str) -> Option<&str> {
    output.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("\"IOPlatformUUID\"")?;
        let value = rest.trim_start().strip_prefix('=')?.trim();
        value.strip_prefix('"')?.strip_suffix('"')
    })
}

#[cfg(any(windows, target_os = "macos"))]
fn run(program: &str, args: &[&str]) -> Result<String, Unknown> {
    let out = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .map_err(|e| super::io_unknown("the OS install id", &e))?;
    if !out.status.success() {
        return Err(Unknown::PermissionDenied("the OS install id"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(windows)]
pub(crate) fn os_install_id(app_key: &[u8]) -> Part {
    const SOURCE: &str = "MachineGuid";
    let out = run(
        "reg",
        &[
            "query",
            r"HKLM\SOFTWARE\Microsoft\Cryptography",
            "/v",
            "MachineGuid",
        ],
    )?;
    let value = parse_reg_query(&out).ok_or(Unknown::Placeholder(SOURCE))?;
    digest_of(app_key, Component::OsInstallId, SOURCE, value)
}

#[cfg(target_os = "macos")]
pub(crate) fn os_install_id(app_key: &[u8]) -> Part {
    const SOURCE: &str = "IOPlatformUUID";
    let out = run("ioreg", &["-rd1", "-c", "IOPlatformExpertDevice"])?;
    let value = parse_ioreg(&out).ok_or(Unknown::Placeholder(SOURCE))?;
    digest_of(app_key, Component::OsInstallId, SOURCE, value)
}

#[cfg(not(any(windows, target_os = "macos", target_os = "linux")))]
pub(crate) fn os_install_id(_app_key: &[u8]) -> Part {
    Err(Unknown::Unsupported)
}

/// The `Volume Serial Number is 1A2B-3C4D` line of `cmd /C vol %SystemDrive%`.
#[cfg_attr(not(windows), allow(dead_code))]
pub(crate) fn parse_vol(output: &str) -> Option<&str> {
    output.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("Volume Serial Number is")?;
        let v = rest.trim();
        (!v.is_empty()).then_some(v)
    })
}

/// The `Volume UUID:` line of `diskutil info /`.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub(crate) fn parse_diskutil(output: &str) -> Option<&str> {
    output.lines().find_map(|line| {
        let v = line.trim().strip_prefix("Volume UUID:")?.trim();
        (!v.is_empty()).then_some(v)
    })
}

/// The `IOPlatformSerialNumber` value from `ioreg -rd1 -c IOPlatformExpertDevice`.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))]
pub(crate) fn parse_ioreg_serial(output: &str) -> Option<&str> {
    output.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("\"IOPlatformSerialNumber\"")?;
        let value = rest.trim_start().strip_prefix('=')?.trim();
        value.strip_prefix('"')?.strip_suffix('"')
    })
}

#[cfg(windows)]
pub(crate) fn root_file_system(app_key: &[u8]) -> Part {
    const SOURCE: &str = "vol";
    let drive = std::env::var("SystemDrive").unwrap_or_else(|_| "C:".into());
    let out = run("cmd", &["/C", "vol", &drive])?;
    let value = parse_vol(&out).ok_or(Unknown::Placeholder(SOURCE))?;
    digest_of(app_key, Component::RootFileSystem, SOURCE, value)
}

#[cfg(target_os = "macos")]
pub(crate) fn root_file_system(app_key: &[u8]) -> Part {
    const SOURCE: &str = "diskutil info /";
    let out = run("diskutil", &["info", "/"])?;
    let value = parse_diskutil(&out).ok_or(Unknown::Placeholder(SOURCE))?;
    digest_of(app_key, Component::RootFileSystem, SOURCE, value)
}

#[cfg(target_os = "macos")]
pub(crate) fn board_serial(app_key: &[u8]) -> Part {
    const SOURCE: &str = "IOPlatformSerialNumber";
    let out = run("ioreg", &["-rd1", "-c", "IOPlatformExpertDevice"])?;
    let value = parse_ioreg_serial(&out).ok_or(Unknown::Placeholder(SOURCE))?;
    digest_of(app_key, Component::BoardSerial, SOURCE, value)
}

/// Windows has no unprivileged, process-free source of the board serial.
#[cfg(windows)]
pub(crate) fn board_serial(_app_key: &[u8]) -> Part {
    Err(Unknown::Unsupported)
}

#[cfg(not(any(windows, target_os = "macos", target_os = "linux")))]
pub(crate) fn root_file_system(_app_key: &[u8]) -> Part {
    Err(Unknown::Unsupported)
}

#[cfg(not(any(windows, target_os = "macos", target_os = "linux")))]
pub(crate) fn board_serial(_app_key: &[u8]) -> Part {
    Err(Unknown::Unsupported)
}

/// Network adapters through sysinfo. Outside Linux virtual adapters cannot be told from
/// physical ones this way; locally administered and multicast MACs are still left out.
#[cfg(not(target_os = "linux"))]
pub(crate) fn network(app_key: &[u8]) -> Part {
    const SOURCE: &str = "sysinfo networks";
    let networks = sysinfo::Networks::new_with_refreshed_list().map_err(|_| Unknown::Failed {
        source: SOURCE,
        kind: std::io::ErrorKind::Other,
    })?;
    let mut unstable_macs = 0;
    let mut digests = Vec::new();
    for data in networks.values() {
        match license_core::mac_digest(app_key, data.mac_address().0) {
            Some(d) => digests.push(d),
            None => unstable_macs += 1,
        }
    }
    if digests.is_empty() {
        return Err(Unknown::NoStableAdapter {
            virtual_adapters: 0,
            unstable_macs,
        });
    }
    Ok((SOURCE, digests))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_and_serial_outputs() {
        let vol = " Volume in drive C has no label.\r\n Volume Serial Number is 1A2B-3C4D\r\n";
        assert_eq!(parse_vol(vol), Some("1A2B-3C4D"));
        assert_eq!(parse_vol("The system cannot find the drive specified."), None);
        let du = "   Device Identifier:         disk3s1s1\n   Volume UUID:               7C1A8D2E-1111-4B22-9F33-0123456789AB\n";
        assert_eq!(parse_diskutil(du), Some("7C1A8D2E-1111-4B22-9F33-0123456789AB"));
        let io = "    \"IOPlatformSerialNumber\" = \"C02XK0ABJGH5\"\n    \"IOPlatformUUID\" = \"X\"\n";
        assert_eq!(parse_ioreg_serial(io), Some("C02XK0ABJGH5"));
        assert_eq!(parse_ioreg_serial("nothing"), None);
    }

    #[test]
    fn windows_registry_output() {
        let out = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    6f1e4d2a-0b3c-4d5e-8f90-123456789abc\r\n\r\n";
        assert_eq!(parse_reg_query(out), Some("6f1e4d2a-0b3c-4d5e-8f90-123456789abc"));
        assert_eq!(
            parse_reg_query("ERROR: The system was unable to find the specified registry key"),
            None
        );
    }

    #[test]
    fn macos_ioreg_output() {
        let out = "+-o J314sAP  <class IOPlatformExpertDevice>\n    {\n      \"IOPlatformSerialNumber\" = \"C02XX\"\n      \"IOPlatformUUID\" = \"5C4A8E2B-1D3F-4E6A-9B7C-0D1E2F3A4B5C\"\n    }\n";
        assert_eq!(parse_ioreg(out), Some("5C4A8E2B-1D3F-4E6A-9B7C-0D1E2F3A4B5C"));
        assert_eq!(parse_ioreg("\"IOPlatformUUID\" = 5"), None);
    }

    #[test]
    fn cpu_value() {
        assert_eq!(cpu_raw("AMD EPYC", 2), "AMD EPYC | 2");
        // On any machine the CPU brand is readable through sysinfo, or reported unknown.
        match cpu(b"k") {
            Ok((_, d)) => assert_eq!(d.len(), 1),
            Err(why) => assert!(matches!(why, Unknown::Placeholder(_) | Unknown::Failed { .. })),
        }
    }
}
