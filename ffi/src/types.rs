//! Plain values shared by several handles: dates, enumerations, limits.

use license_core::{Component, Date, Kind, Status};

use crate::result::Failure;

/// A count that is not limited (named users, concurrent seats, a seat pool's limit).
pub const LIC_UNLIMITED: u32 = u32::MAX;

/// A calendar day (UTC). `{0, 0, 0}` stands for "no date" where a function says so.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct lic_date {
    /// The year, 1970 to 9999.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

/// "No date".
pub(crate) const NO_DATE: lic_date = lic_date {
    year: 0,
    month: 0,
    day: 0,
};

impl From<Date> for lic_date {
    fn from(d: Date) -> lic_date {
        let (year, month, day) = d.ymd();
        lic_date { year, month, day }
    }
}

/// The day `d` stands for, checked.
pub(crate) fn date(d: lic_date) -> Result<Date, Failure> {
    Ok(Date::from_ymd(d.year, d.month, d.day)?)
}

/// Where a license stands on the day it was verified (see `lic_license_status`).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum lic_status {
    /// Before its first valid day (e.g. a reduction that starts next quarter).
    NotYetValid = 1,
    /// Valid, and not about to expire (or perpetual).
    Valid = 2,
    /// Valid, expiring within the notice window (30 days by default).
    ExpiringSoon = 3,
    /// Expired, in the grace period: fully usable.
    InGrace = 4,
    /// Expired and past grace: only the demo seat count is usable.
    DemoMode = 5,
    /// Expired and past grace, with no demo mode.
    Expired = 6,
    /// An interim code past its end: replaced by its successor on the day
    /// `lic_license_expires` gives; enter the code valid from that day. Not usable.
    Replaced = 7,
}

impl lic_status {
    /// The status with this number, if there is one.
    pub(crate) const fn from_u32(n: u32) -> Option<lic_status> {
        Some(match n {
            1 => lic_status::NotYetValid,
            2 => lic_status::Valid,
            3 => lic_status::ExpiringSoon,
            4 => lic_status::InGrace,
            5 => lic_status::DemoMode,
            6 => lic_status::Expired,
            7 => lic_status::Replaced,
            _ => return None,
        })
    }

    /// The status's C name as a NUL-terminated string ("LIC_STATUS_VALID").
    pub(crate) const fn name_nul(self) -> &'static str {
        match self {
            lic_status::NotYetValid => "LIC_STATUS_NOT_YET_VALID\0",
            lic_status::Valid => "LIC_STATUS_VALID\0",
            lic_status::ExpiringSoon => "LIC_STATUS_EXPIRING_SOON\0",
            lic_status::InGrace => "LIC_STATUS_IN_GRACE\0",
            lic_status::DemoMode => "LIC_STATUS_DEMO_MODE\0",
            lic_status::Expired => "LIC_STATUS_EXPIRED\0",
            lic_status::Replaced => "LIC_STATUS_REPLACED\0",
        }
    }
}

impl From<Status> for lic_status {
    fn from(s: Status) -> lic_status {
        match s {
            Status::NotYetValid { .. } => lic_status::NotYetValid,
            Status::Valid => lic_status::Valid,
            Status::ExpiringSoon { .. } => lic_status::ExpiringSoon,
            Status::InGrace { .. } => lic_status::InGrace,
            Status::DemoMode { .. } => lic_status::DemoMode,
            Status::Expired { .. } => lic_status::Expired,
            Status::Replaced { .. } => lic_status::Replaced,
        }
    }
}

/// The kind of license (the numbers are the format's).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum lic_kind {
    /// Perpetual; releases limited by maintenance.
    Full = 0,
    /// Trial or demo: time-limited evaluation.
    Trial = 1,
    /// Subscription: one paid term.
    Subscription = 2,
    /// Not for resale: internal demo license.
    Nfr = 3,
}

impl From<Kind> for lic_kind {
    fn from(k: Kind) -> lic_kind {
        match k {
            Kind::Full => lic_kind::Full,
            Kind::Trial => lic_kind::Trial,
            Kind::Subscription => lic_kind::Subscription,
            Kind::Nfr => lic_kind::Nfr,
        }
    }
}

/// A component of a machine fingerprint. Sets of components are bit masks: bit `n`
/// stands for the component numbered `n`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum lic_component {
    /// The operating system's install id.
    OsInstallId = 0,
    /// The hardware (SMBIOS/board) UUID.
    HardwareUuid = 1,
    /// The CPU: brand string and core count.
    Cpu = 2,
    /// The physical network adapters' MAC addresses.
    Network = 3,
    /// The root file system's id (format 2).
    RootFileSystem = 4,
    /// The main board's serial number (format 2).
    BoardSerial = 5,
}

/// The component numbered `n` (a `lic_component` value from C).
pub(crate) fn component(n: u32) -> Result<Component, Failure> {
    let c = match n {
        0 => Component::OsInstallId,
        1 => Component::HardwareUuid,
        2 => Component::Cpu,
        3 => Component::Network,
        4 => Component::RootFileSystem,
        5 => Component::BoardSerial,
        _ => return Err(Failure::invalid(format!("{n} is not a lic_component (0 to 5)"))),
    };
    debug_assert_eq!(u32::from(c.index()), n);
    Ok(c)
}

/// A count for C: `LIC_UNLIMITED` for "not limited".
pub(crate) fn count(n: Option<u32>) -> u32 {
    n.unwrap_or(LIC_UNLIMITED)
}

/// A limit from C: `LIC_UNLIMITED` is "not limited".
pub(crate) fn limit(n: u32) -> Option<u32> {
    (n != LIC_UNLIMITED).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_are_checked() {
        let d = Date::from_ymd(2026, 2, 28).unwrap();
        assert_eq!(date(lic_date::from(d)).unwrap(), d);
        let bad = lic_date {
            year: 2026,
            month: 2,
            day: 30,
        };
        assert_eq!(
            date(bad).unwrap_err().code,
            crate::result::lic_result::InvalidDate
        );
        assert!(date(NO_DATE).is_err());
    }

    #[test]
    fn components_match_the_format() {
        for c in Component::ALL {
            assert_eq!(component(u32::from(c.index())).unwrap(), c);
        }
        assert_eq!(lic_component::Network as u32, 3);
        assert_eq!(lic_component::BoardSerial as u32, 5);
        assert!(component(6).is_err());
        assert_eq!(limit(count(None)), None);
        assert_eq!(limit(count(Some(5))), Some(5));
    }
}
