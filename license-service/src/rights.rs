//! Roles and rights.
//!
//! - The vendor: administrators and clerks.
//! - A reseller: its administrator holds the frame the vendor certified (a
//!   `license_core::Frame`); each reseller user holds a frame the administrator grants,
//!   checked with the library's `Frame::narrows` (the rule that keeps a sub-reseller's
//!   certificate inside its parent's: every set a subset, every limit at most as wide),
//!   plus the rights to use tickets and to read reports, which only a holder may grant.
//!   An order is checked with `Frame::admits` on the license the library would issue.
//! - A customer company: its administrator, and users with or without the right to order.

use license_core::{Frame, License, Violation};
use serde::{Deserialize, Serialize};

/// What kind of organisation an account belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The vendor (one).
    Vendor,
    /// A reseller.
    Reseller,
    /// A customer company.
    Company,
}

impl OrgKind {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            OrgKind::Vendor => "vendor",
            OrgKind::Reseller => "reseller",
            OrgKind::Company => "company",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> Option<OrgKind> {
        match s {
            "vendor" => Some(OrgKind::Vendor),
            "reseller" => Some(OrgKind::Reseller),
            "company" => Some(OrgKind::Company),
            _ => None,
        }
    }
}

/// A user's role: the organisation's kind and whether the user is its administrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The vendor's administrator.
    VendorAdmin,
    /// The vendor's clerk.
    VendorClerk,
    /// A reseller's administrator.
    ResellerAdmin,
    /// A reseller's user.
    ResellerUser,
    /// A customer company's administrator.
    CustomerAdmin,
    /// A customer company's user.
    CustomerUser,
}

impl Role {
    /// The role of an administrator or a user of an organisation of `kind`.
    pub const fn of(kind: OrgKind, admin: bool) -> Role {
        match (kind, admin) {
            (OrgKind::Vendor, true) => Role::VendorAdmin,
            (OrgKind::Vendor, false) => Role::VendorClerk,
            (OrgKind::Reseller, true) => Role::ResellerAdmin,
            (OrgKind::Reseller, false) => Role::ResellerUser,
            (OrgKind::Company, true) => Role::CustomerAdmin,
            (OrgKind::Company, false) => Role::CustomerUser,
        }
    }

    /// The column of the permission matrix.
    pub const fn column(self) -> &'static str {
        match self {
            Role::VendorAdmin => "vendor_admin",
            Role::VendorClerk => "vendor_clerk",
            Role::ResellerAdmin => "reseller_admin",
            Role::ResellerUser => "reseller_user",
            Role::CustomerAdmin => "customer_admin",
            Role::CustomerUser => "customer_user",
        }
    }

    /// Whether the role belongs to the vendor (and so needs a second factor).
    pub const fn is_vendor(self) -> bool {
        matches!(self, Role::VendorAdmin | Role::VendorClerk)
    }

    /// Whether the role administers its organisation.
    pub const fn is_admin(self) -> bool {
        matches!(
            self,
            Role::VendorAdmin | Role::ResellerAdmin | Role::CustomerAdmin
        )
    }
}

/// The rights an administrator grants a user of its organisation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rights {
    /// A customer user: may order (trials, additional orders, reductions).
    #[serde(default)]
    pub order: bool,
    /// A reseller user: the frame it may create licenses in (inside the reseller's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<Frame>,
    /// A reseller user: may create and pass on tickets.
    #[serde(default)]
    pub tickets: bool,
    /// A reseller user: may read the reseller's reports.
    #[serde(default)]
    pub reports: bool,
}

/// Why a grant is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GrantError {
    /// The granted frame is wider than the granter's.
    #[error("the rights are wider than your own: {0}")]
    Wider(Violation),
    /// A right the granter does not hold.
    #[error("you cannot grant the right `{0}`, which you do not hold")]
    NotHeld(&'static str),
    /// A right that does not apply to this kind of organisation.
    #[error("the right `{0}` does not apply to this organisation")]
    NotApplicable(&'static str),
}

/// Whether `child`'s frame lies inside `parent`'s, by the library's `Frame::narrows` (the
/// delegation depth, which only certificates carry, is left out of the comparison; so is
/// the license-id range when the child gives none: a user's licenses take the ids of its
/// reseller's certificate).
pub fn frame_inside(child: &Frame, parent: &Frame) -> Result<(), Violation> {
    let mut c = *child;
    let mut p = *parent;
    c.delegation_depth = 0;
    p.delegation_depth = 1;
    if c.license_ids.is_none() {
        c.license_ids = p.license_ids;
    }
    c.narrows(&p)
}

impl Rights {
    /// The rights a reseller's administrator holds: the reseller's whole frame, tickets and
    /// reports.
    pub const fn reseller_admin(frame: Frame) -> Rights {
        Rights {
            order: false,
            frame: Some(frame),
            tickets: true,
            reports: true,
        }
    }

    /// Whether the holder of `self` (in an organisation of `kind`) may grant `wanted`:
    /// never beyond its own.
    pub fn may_grant(&self, kind: OrgKind, wanted: &Rights) -> Result<(), GrantError> {
        match kind {
            OrgKind::Company => {
                if wanted.frame.is_some() || wanted.tickets || wanted.reports {
                    return Err(GrantError::NotApplicable("frame, tickets, reports"));
                }
                if wanted.order && !self.order {
                    return Err(GrantError::NotHeld("order"));
                }
            }
            OrgKind::Reseller => {
                if wanted.order {
                    return Err(GrantError::NotApplicable("order"));
                }
                if wanted.tickets && !self.tickets {
                    return Err(GrantError::NotHeld("tickets"));
                }
                if wanted.reports && !self.reports {
                    return Err(GrantError::NotHeld("reports"));
                }
                if let Some(f) = &wanted.frame {
                    let Some(own) = &self.frame else {
                        return Err(GrantError::NotHeld("frame"));
                    };
                    frame_inside(f, own).map_err(GrantError::Wider)?;
                }
            }
            OrgKind::Vendor => {
                if *wanted != Rights::default() {
                    return Err(GrantError::NotApplicable("order, frame, tickets, reports"));
                }
            }
        }
        Ok(())
    }

    /// Whether a reseller user with these rights may create `license` (the library's
    /// `Frame::admits`); a user without a frame may create none.
    pub fn admits(&self, license: &License) -> Result<(), Option<Violation>> {
        match &self.frame {
            Some(f) => f.admits(license).map_err(Some),
            None => Err(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use license_core::{Date, Kind, KindSet, LineSet, ModuleSet};

    fn frame(modules: u64, users: Option<u32>) -> Frame {
        let mut f = Frame::new(
            KindSet::EMPTY.with(Kind::Trial).with(Kind::Subscription),
            LineSet::from_bits(0b11),
            ModuleSet::from_bits(modules),
            Date::from_ymd(2030, 1, 1).unwrap(),
        );
        f.named_users = users;
        f
    }

    #[test]
    fn a_reseller_user_gets_at_most_the_admins_frame() {
        let admin = Rights::reseller_admin(frame(0b111, Some(100)));
        let narrower = Rights {
            frame: Some(frame(0b011, Some(10))),
            tickets: true,
            ..Rights::default()
        };
        assert_eq!(admin.may_grant(OrgKind::Reseller, &narrower), Ok(()));
        let wider_modules = Rights {
            frame: Some(frame(0b1111, Some(10))),
            ..Rights::default()
        };
        assert!(matches!(
            admin.may_grant(OrgKind::Reseller, &wider_modules),
            Err(GrantError::Wider(Violation::Module(3)))
        ));
        let more_users = Rights {
            frame: Some(frame(0b1, Some(101))),
            ..Rights::default()
        };
        assert!(matches!(
            admin.may_grant(OrgKind::Reseller, &more_users),
            Err(GrantError::Wider(Violation::NamedUsers { .. }))
        ));
        // The narrower user cannot hand on reports it does not hold.
        let reports = Rights {
            reports: true,
            ..Rights::default()
        };
        assert_eq!(
            narrower.may_grant(OrgKind::Reseller, &reports),
            Err(GrantError::NotHeld("reports"))
        );
    }

    #[test]
    fn customer_rights_and_roles() {
        let admin = Rights {
            order: true,
            ..Rights::default()
        };
        let orderer = Rights {
            order: true,
            ..Rights::default()
        };
        assert_eq!(admin.may_grant(OrgKind::Company, &orderer), Ok(()));
        assert!(Rights::default().may_grant(OrgKind::Company, &orderer).is_err());
        assert!(
            admin
                .may_grant(OrgKind::Company, &Rights::reseller_admin(frame(1, None)))
                .is_err()
        );
        assert_eq!(Role::of(OrgKind::Vendor, false), Role::VendorClerk);
        assert!(Role::VendorClerk.is_vendor() && !Role::CustomerAdmin.is_vendor());
    }
}
