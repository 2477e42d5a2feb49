//! Why a ticket pool or a redemption was refused: the `Ticket` part of [`crate::Error`].
//! A ticket id that does not read has its own error, beside the reader (`id`).

use std::path::PathBuf;

use license_core::Date;

use crate::channel::tickets::id::{TicketId, TicketIdError};
use crate::error::class::ErrorClass;

/// Why a ticket id, a pool or a redemption was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TicketError {
    /// A ticket id that does not read: malformed, a foreign character or mistyped.
    #[error(transparent)]
    Id(#[from] TicketIdError),
    /// A well-formed ticket id this pool does not hold.
    #[error(
        "ticket {ticket} is not in this ticket pool: check that it was created (or imported) in this licensing directory"
    )]
    Unknown {
        /// The ticket.
        ticket: TicketId,
    },
    /// A ticket already redeemed for another installation or licensee.
    #[error(
        "ticket {ticket} was already redeemed on {on} for {licensee} (license {license_id}): a ticket gives one license; for another installation, rehost that license or use another ticket"
    )]
    Redeemed {
        /// The ticket.
        ticket: TicketId,
        /// The licensee it was redeemed for.
        licensee: String,
        /// The day.
        on: Date,
        /// The license it gave.
        license_id: u32,
    },
    /// A ticket the vendor handed to its reseller for redemption in the reseller's home.
    #[error(
        "ticket {ticket} was handed to reseller {reseller} on {on} to be redeemed in its own licensing directory: redeem it there (the reseller's ledger reports it)"
    )]
    HandedOver {
        /// The ticket.
        ticket: TicketId,
        /// The reseller.
        reseller: String,
        /// The day of the export.
        on: Date,
    },
    /// A ticket this home passed on to its sub-reseller.
    #[error(
        "ticket {ticket} was passed on to sub-reseller {to} on {on}: it is redeemed in {to}'s licensing directory, not here"
    )]
    PassedOn {
        /// The ticket.
        ticket: TicketId,
        /// The sub-reseller.
        to: String,
        /// The day.
        on: Date,
    },
    /// More tickets asked to be passed on than this home holds.
    #[error(
        "{asked} tickets cannot be passed on: this home holds {held} (received from the level above, neither redeemed nor passed on); pass on 1 to {held}, or ask for more tickets"
    )]
    NotEnough {
        /// The number asked for.
        asked: u32,
        /// The number held.
        held: usize,
    },
    /// Tickets passed on to the reseller that holds them.
    #[error(
        "the tickets are {reseller}'s own: pass them on to a sub-reseller (the name in its certificate), or redeem them here"
    )]
    PassOnToSelf {
        /// The reseller.
        reseller: String,
    },
    /// A redemption without a database code or machine fingerprint.
    #[error("a ticket is redeemed for one installation: give its database code or machine fingerprint")]
    NoInstallation,
    /// Too many (or no) tickets asked for.
    #[error("{count} tickets cannot be created at once: create 1 to {max} per call")]
    Count {
        /// The number asked for.
        count: u32,
        /// The most allowed.
        max: u32,
    },
    /// A ticket's order names a licensee or binding: those come with the redemption.
    #[error("a ticket's scope has no licensee and no binding: they are given when the ticket is redeemed")]
    ScopeHasLicensee,
    /// The pool file is damaged.
    #[error("the ticket pool {} is corrupt at line {line} ({reason}): restore it from a backup; nothing was changed", .path.display())]
    Corrupt {
        /// The pool file.
        path: PathBuf,
        /// The 1-based line.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// Another process has the pool open.
    #[error("the ticket pool {} is in use by another process: wait for it to finish", .path.display())]
    InUse {
        /// The pool file.
        path: PathBuf,
    },
    /// A file of exported tickets that cannot be read.
    #[error(
        "this is not a valid file of exported tickets ({reason}): ask the vendor to export the tickets again"
    )]
    Export {
        /// What is wrong.
        reason: String,
    },
    /// Exported tickets for another reseller than this home's.
    #[error(
        "these tickets were exported for reseller {found}, not for {expected}: import them in {found}'s licensing directory"
    )]
    WrongReseller {
        /// The reseller of this home.
        expected: String,
        /// The reseller they are for.
        found: String,
    },
    /// An imported ticket this home could not issue (outside its reseller's frame).
    #[error("ticket {ticket} cannot be redeemed here: {reason}")]
    OutsideScope {
        /// The ticket.
        ticket: TicketId,
        /// Why issuing its scope is refused: a [`crate::Error`] (downcast to read it; kept
        /// as a trait object so that this module does not import the error it is part of).
        reason: Box<dyn std::error::Error + Send + Sync>,
    },
    /// An imported ticket whose id the pool holds with another scope.
    #[error(
        "ticket {ticket} is already in this pool with another scope: the file is not the vendor's export of it; ask the vendor"
    )]
    ImportConflict {
        /// The ticket.
        ticket: TicketId,
    },
}

impl TicketError {
    /// A stable name for the kind of error (the variant's name in snake case).
    pub fn kind_name(&self) -> &'static str {
        match self {
            TicketError::Id(e) => e.kind_name(),
            TicketError::Unknown { .. } => "ticket_unknown",
            TicketError::Redeemed { .. } => "ticket_redeemed",
            TicketError::HandedOver { .. } => "ticket_handed_over",
            TicketError::PassedOn { .. } => "ticket_passed_on",
            TicketError::NotEnough { .. } => "ticket_not_enough",
            TicketError::PassOnToSelf { .. } => "ticket_pass_on_to_self",
            TicketError::NoInstallation => "ticket_no_installation",
            TicketError::Count { .. } => "ticket_count",
            TicketError::ScopeHasLicensee => "ticket_scope_has_licensee",
            TicketError::Corrupt { .. } => "ticket_pool_corrupt",
            TicketError::InUse { .. } => "ticket_pool_in_use",
            TicketError::Export { .. } => "ticket_export",
            TicketError::WrongReseller { .. } => "ticket_wrong_reseller",
            TicketError::ImportConflict { .. } => "ticket_import_conflict",
            TicketError::OutsideScope { .. } => "ticket_outside_scope",
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            TicketError::Corrupt { .. } | TicketError::InUse { .. } | TicketError::Export { .. } => {
                ErrorClass::Data
            }
            _ => ErrorClass::Usage,
        }
    }
}
