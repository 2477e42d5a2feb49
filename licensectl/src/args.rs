//! The command line: every command and option of `licensectl`, as clap parses them. The
//! doc comments are the help text. Nothing here runs a command (`commands` does).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use license_core::{Date, IdRange};

/// The vendor's license tool: keys, codes, ledger, reports.
#[derive(Parser, Debug)]
#[command(
    name = "licensectl",
    version,
    about = "The vendor's license tool: keys, license codes, ledger, reports. Start with `licensectl demo`.",
    after_help = "Exit codes: 0 success; 1 a code that does not verify or is not usable; 2 bad input or refused by \
                  the business rules; 3 a file, key or data problem (missing, unsafe permissions, corrupt). \
                  `verify` as `license-check verify`: 0 usable, 1 refused, 2 wrong command line, 3 genuine but not usable now."
)]
pub(crate) struct Cli {
    /// The licensing directory (keys, catalog/, ledger.jsonl, revocations/).
    #[arg(long, global = true, env = "LICENSECTL_HOME", default_value = "licensing")]
    pub(crate) home: PathBuf,
    /// Use this catalog file instead of <home>/catalog/*.toml.
    #[arg(long, global = true, env = "LICENSECTL_CATALOG")]
    pub(crate) catalog: Option<PathBuf>,
    /// The day of the operation, YYYY-MM-DD (UTC); default: today. `verify --state-file`
    /// with a day only reads the state file (nothing is written).
    #[arg(long, global = true, env = "LICENSECTL_DATE", value_parser = parse_date)]
    pub(crate) date: Option<Date>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|e| e.to_string())
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Generate the vendor signing key (PKCS#8 PEM, mode 0600) and its key ring.
    Keygen {
        /// Add a new current key to an existing ring; old keys keep verifying.
        #[arg(long)]
        rotate: bool,
    },
    /// List the key ring's keys, or export the public keys for a host application.
    Pubkey {
        /// Export format: hex, rust (a `const`) or c (an array).
        #[arg(long, value_enum)]
        format: Option<KeyFormat>,
    },
    /// Show a product catalog, or install/print the built-in demo catalog; `catalog
    /// export` writes it as host source code.
    #[command(args_conflicts_with_subcommands = true)]
    Catalog {
        #[command(subcommand)]
        action: Option<CatalogCommand>,
        /// Install the demo catalog as <home>/catalog/demo-erp.toml.
        #[arg(long)]
        init_demo: bool,
        /// Print the demo catalog's TOML.
        #[arg(long, conflicts_with = "init_demo")]
        print_demo: bool,
        /// The product (default: the only catalog).
        #[arg(long)]
        product: Option<String>,
    },
    /// Issue a new license (full, trial, subscription or NFR).
    Issue(IssueArgs),
    /// An additional order: more users, seats or modules, or a higher line; effective at once.
    Upgrade {
        /// The license id.
        license_id: u32,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// A reduction (or mixed order), effective at the next contract anniversary (on-premises) or quarter start (hosted), per the catalog; or withdraw a pending one.
    Reduce {
        /// The license id.
        license_id: u32,
        #[command(flatten)]
        change: ChangeArgs,
        /// Modules to remove (comma-separated names).
        #[arg(long, value_delimiter = ',')]
        remove_modules: Vec<String>,
        /// Withdraw the pending reduction instead (until its cutoff).
        #[arg(long, conflicts_with_all = ["users", "seats", "add_modules", "remove_modules", "line", "seat_server"])]
        withdraw: bool,
    },
    /// The next term's code of a subscription or NFR license (from 4 weeks before expiry).
    Renew {
        /// The license id.
        #[arg(required_unless_present = "due")]
        license_id: Option<u32>,
        /// Renew every subscription and NFR license whose renewal is due: its cancellation
        /// deadline has passed without a cancellation, and its next term has no code yet.
        #[arg(long, conflicts_with_all = ["license_id", "users", "seats", "add_modules", "line", "remove_modules"])]
        due: bool,
        /// On the customer's request: renew on any day of the current term, even before
        /// the cancellation deadline.
        #[arg(long, requires = "license_id")]
        early: bool,
        /// The next term's scope (a reduction or an addition at renewal; no notice period,
        /// the current term is not touched).
        #[command(flatten)]
        change: ChangeArgs,
        /// Modules the next term no longer has (comma-separated names).
        #[arg(long, value_delimiter = ',', requires = "license_id")]
        remove_modules: Vec<String>,
    },
    /// Cancel a subscription: no further renewal, usable to the end of the paid term.
    Cancel {
        /// The license id.
        license_id: u32,
    },
    /// Revoke a license (listed on the next revocation list), or publish the list.
    Revoke {
        /// The license id.
        #[arg(required_unless_present = "list")]
        license_id: Option<u32>,
        /// Why (kept in the ledger).
        #[arg(long)]
        reason: Option<String>,
        /// Build and sign the revocation list instead (written to <home>/revocations/).
        #[arg(long, conflicts_with_all = ["license_id", "reason"])]
        list: bool,
        /// Days the list stays current.
        #[arg(long, default_value_t = 30, requires = "list")]
        valid_days: u32,
        /// The product whose list to build (lists are per product; default: the only catalog).
        #[arg(long, requires = "list")]
        product: Option<String>,
    },
    /// Associate a 12-month maintenance pack: with one perpetual license (a server pack),
    /// or with every license of a customer's site (--site NAME: one new code each, all
    /// with the same new maintenance end).
    Maintenance {
        /// The license id (a server pack).
        #[arg(required_unless_present = "site")]
        license_id: Option<u32>,
        /// A site pack: every license of this site (see `licensectl site`).
        #[arg(long, conflicts_with = "license_id")]
        site: Option<String>,
    },
    /// Assign a license to a customer's site (recorded in the ledger; no new code).
    Site {
        /// The license id.
        license_id: u32,
        /// The site's name (e.g. "Berlin data center").
        name: String,
    },
    /// Bind a license to another machine or database, or transfer it to another licensee;
    /// with --order, transfer a whole order (or --licenses of it) to the end customer.
    Rehost {
        /// The license id.
        #[arg(required_unless_present = "order")]
        license_id: Option<u32>,
        /// Transfer every license of this order (with --to), bindings kept.
        #[arg(long, conflicts_with = "license_id", requires = "to")]
        order: Option<String>,
        /// Only these licenses of the order (comma-separated ids).
        #[arg(long, value_delimiter = ',', requires = "order")]
        licenses: Vec<u32>,
        #[command(flatten)]
        bind: BindArgs,
        /// Remove the database binding (a rehost otherwise keeps the part not given).
        #[arg(long, conflicts_with = "database")]
        unbind_database: bool,
        /// Remove the machine binding (a rehost otherwise keeps the part not given).
        #[arg(long, conflicts_with = "machine")]
        unbind_machine: bool,
        /// Remove the seat-server binding (a rehost otherwise keeps the part not given).
        #[arg(long, conflicts_with = "seat_server")]
        unbind_seat_server: bool,
        /// Transfer to this licensee (e.g. a reseller's license to its end customer).
        #[arg(long)]
        to: Option<String>,
        /// The new licensee's contact data.
        #[arg(long, requires = "to")]
        contact: Option<String>,
        /// The new licensee's customer reference.
        #[arg(long, requires = "to")]
        customer_ref: Option<String>,
    },
    /// Decode a code without any key and show its scope (unverified); with a key, verify it.
    Inspect(InspectArgs),
    /// Verify a code on this machine as the host application would.
    Verify(verify_cli::VerifyArgs),
    /// The code in force for a license and any code scheduled to replace it, in plain words.
    Show {
        /// The license id.
        license_id: u32,
    },
    /// Show this machine's fingerprint (what a customer sends to get a machine-bound code).
    Fingerprint {
        /// The product id the fingerprint is keyed with (default: the only catalog's, as
        /// for issue; the demo product when there is no catalog).
        #[arg(long)]
        product: Option<String>,
        /// Run as root: also bind what only root can read (hardware UUID, board serial).
        /// Only for a product that itself runs as root; by default a fingerprint taken as
        /// root holds what the product reads as a service user.
        #[arg(long)]
        as_root: bool,
    },
    /// Reports from the ledger.
    Report {
        #[command(subcommand)]
        report: ReportCommand,
    },
    /// Issue, verify and explain the reference license for this machine (throwaway key).
    Demo,
    /// Check, repair or erase personal data in the ledger.
    Ledger {
        #[command(subcommand)]
        action: LedgerCommand,
    },
    /// Reseller delegation: a reseller's key, its certificate (the frame it may issue in).
    Reseller {
        #[command(subcommand)]
        action: ResellerCommand,
    },
    /// Ticket pools: tickets a reseller passes on, each redeemed once for one installation.
    Ticket {
        #[command(subcommand)]
        action: TicketCommand,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum TicketCommand {
    /// Create a pool of tickets for a reseller, each standing for one license of the scope
    /// given (checked against the catalog first); prints the ticket ids.
    Create {
        /// The reseller the tickets are for (invoiced for the licenses).
        #[arg(long)]
        reseller: String,
        /// How many tickets (1-10000).
        #[arg(long)]
        count: u32,
        #[command(flatten)]
        scope: ScopeArgs,
        /// Your customer number or order reference (kept with every license).
        #[arg(long)]
        customer_ref: Option<String>,
        /// The order the tickets belong to (e.g. the ERP's order number).
        #[arg(long)]
        order: Option<String>,
    },
    /// Redeem a ticket for one installation: issues its code bound to the database code or
    /// machine fingerprint; the same installation again gets the same code.
    Redeem {
        /// The ticket id (TK-XXXXX-XXXXX-XXXXX).
        ticket: String,
        /// The licensee name (signed: the installation must use exactly this name).
        #[arg(long)]
        licensee: String,
        #[command(flatten)]
        bind: BindArgs,
        /// Contact or address (personal data: keep it minimal).
        #[arg(long)]
        contact: Option<String>,
    },
    /// Write a reseller's open tickets for redemption in its own home; this home no longer
    /// redeems them.
    Export {
        /// The reseller.
        #[arg(long)]
        reseller: String,
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// In a reseller's home: pass tickets it received (and still holds) on to its
    /// sub-reseller, never more than it holds; writes the file the sub-reseller imports
    /// (`ticket import`), and this home no longer redeems them.
    PassOn {
        /// The sub-reseller (the name in its certificate).
        #[arg(long)]
        to: String,
        /// How many tickets.
        #[arg(long)]
        count: u32,
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// In a reseller's home: add the tickets the vendor (or the reseller above) exported
    /// or passed on to its pool.
    Import {
        /// The file `ticket export` wrote.
        file: PathBuf,
    },
    /// Tickets per reseller: created, redeemed, open, and each ticket's state.
    Report {
        /// Only this reseller's tickets.
        #[arg(long)]
        reseller: Option<String>,
        /// CSV (one row per ticket) instead of a table.
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum ResellerCommand {
    /// In the reseller's home: generate its signing key (PKCS#8 PEM, mode 0600) and print
    /// the public key to send to the vendor.
    Keygen,
    /// Certify a reseller's public key with a frame for one product; prints the
    /// certificate chain as text. From the vendor's home it signs with the current vendor
    /// key; with --as-reseller, from a reseller's home, it certifies a sub-reseller inside
    /// the installed chain (never wider).
    Certify(CertifyArgs),
    /// At the vendor: revoke a reseller certificate the vendor signed (by serial), or with
    /// --sub-serial a sub-reseller's certificate under it (registered when an import met
    /// its codes). The next revocation list of the product (`revoke --list`) refuses every
    /// code under it, its sub-resellers' included.
    Revoke {
        /// The certificate's serial (the first-level reseller's).
        #[arg(long)]
        serial: u32,
        /// The serial the reseller gave its sub-reseller's certificate: revoke only that
        /// sub-reseller (a revocation list of format version 3).
        #[arg(long)]
        sub_serial: Option<u32>,
        /// The product (default: the only catalog).
        #[arg(long)]
        product: Option<String>,
        /// Why (kept in the register).
        #[arg(long)]
        reason: Option<String>,
    },
    /// At the vendor: the certificate register, the reseller certificates it signed and the
    /// sub-reseller certificates its imports met, with their serials and revocations.
    List {
        /// The product (default: every product).
        #[arg(long)]
        product: Option<String>,
    },
    /// In the reseller's home: install what the vendor sent, after checking it against the
    /// vendor's public key and this reseller's key: a bundle file (`reseller certify
    /// --bundle`: the chain, the product's catalog, the vendor's keys), or a certificate
    /// chain's text with --product and --vendor-key.
    Install {
        /// A bundle file, or the certificate chain text.
        cert: String,
        /// The product it is for (a bundle names it).
        #[arg(long)]
        product: Option<String>,
        /// The vendor's public key (hex), as `licensectl pubkey --format hex` prints it; a
        /// bundle brings the vendor's keys, and this pins the one it must verify against.
        #[arg(long)]
        vendor_key: Option<String>,
    },
}

#[derive(Args, Debug)]
pub(crate) struct CertifyArgs {
    /// The reseller's public key (hex), as `licensectl reseller keygen` printed it.
    #[arg(long)]
    pub(crate) public_key: String,
    /// The reseller's display name (1-32 bytes), shown in errors and reports.
    #[arg(long)]
    pub(crate) name: String,
    /// The certificate's serial (the vendor revokes certificates by it).
    #[arg(long)]
    pub(crate) serial: u32,
    /// The product (default: the only catalog).
    #[arg(long)]
    pub(crate) product: Option<String>,
    /// Kinds it may issue (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', required = true)]
    pub(crate) kinds: Vec<KindArg>,
    /// Product lines it may issue (comma-separated names; default: all of the catalog's).
    #[arg(long, value_delimiter = ',')]
    pub(crate) lines: Vec<String>,
    /// Modules it may grant (comma-separated names; `all`: the catalog's modules today;
    /// `all-future`: every module present and future, which NFR codes with the all-modules
    /// flag need).
    #[arg(long, value_delimiter = ',', required = true)]
    pub(crate) modules: Vec<String>,
    /// The most named users per license.
    #[arg(long)]
    pub(crate) max_users: Option<u32>,
    /// The most concurrent seats per license.
    #[arg(long)]
    pub(crate) max_seats: Option<u32>,
    /// The most days a trial may be usable (term plus grace).
    #[arg(long)]
    pub(crate) trial_days: Option<u32>,
    /// The most days a subscription may be usable (term plus grace).
    #[arg(long)]
    pub(crate) subscription_days: Option<u32>,
    /// The most days an NFR license may be usable (term plus grace).
    #[arg(long)]
    pub(crate) nfr_days: Option<u32>,
    /// The first issue day no longer allowed (the certificate's end).
    #[arg(long, value_parser = parse_date)]
    pub(crate) until: Date,
    /// Further levels of sub-resellers it may certify (0-2).
    #[arg(long, default_value_t = 0)]
    pub(crate) depth: u8,
    /// Every license must be bound to a database or machine.
    #[arg(long)]
    pub(crate) binding_required: bool,
    /// The license ids its new licenses take, FIRST-LAST (disjoint from the vendor's own
    /// and every other reseller's; a sub-reseller's inside its parent's).
    #[arg(long, value_parser = parse_id_range)]
    pub(crate) license_ids: IdRange,
    /// Sign as the reseller of this home (a sub-reseller certificate).
    #[arg(long)]
    pub(crate) as_reseller: bool,
    /// Also write a bundle to this file: the chain, the product's catalog (so the
    /// reseller sees names) and the vendor's public keys, for `reseller install`.
    #[arg(long)]
    pub(crate) bundle: Option<PathBuf>,
}

fn parse_id_range(s: &str) -> Result<IdRange, String> {
    let bad = || format!("'{s}': give the range as FIRST-LAST, e.g. 500000-599999");
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let first = a.trim().parse().map_err(|_| bad())?;
    let last = b.trim().parse().map_err(|_| bad())?;
    if first > last {
        return Err(format!("'{s}': the first id is above the last"));
    }
    Ok(IdRange { first, last })
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum KeyFormat {
    Hex,
    Rust,
    C,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum KindArg {
    Full,
    Trial,
    Subscription,
    Nfr,
}

impl KindArg {
    pub(crate) fn kind(self) -> license_core::Kind {
        use license_core::Kind;
        match self {
            KindArg::Full => Kind::Full,
            KindArg::Trial => Kind::Trial,
            KindArg::Subscription => Kind::Subscription,
            KindArg::Nfr => Kind::Nfr,
        }
    }
}

#[derive(Args, Debug, Default)]
pub(crate) struct BindArgs {
    /// Bind to this database code.
    #[arg(long)]
    pub(crate) database: Option<String>,
    /// Bind to this machine fingerprint (as printed by the product or `licensectl fingerprint`).
    #[arg(long)]
    pub(crate) machine: Option<String>,
    /// Machine components that may change (default: the catalog's).
    #[arg(long, requires = "machine")]
    pub(crate) tolerance: Option<u8>,
    /// Bind to the customer's seat server: its key, 64 hex digits, as `license-server key`
    /// prints it (instances serving one license share one key).
    #[arg(long, value_name = "KEY")]
    pub(crate) seat_server: Option<String>,
}

#[derive(Args, Debug)]
pub(crate) struct IssueArgs {
    /// The licensee name (signed: the installation must use exactly this name).
    #[arg(long)]
    pub(crate) licensee: String,
    #[command(flatten)]
    pub(crate) scope: ScopeArgs,
    /// First valid day (default: today).
    #[arg(long, value_parser = parse_date)]
    pub(crate) valid_from: Option<Date>,
    #[command(flatten)]
    pub(crate) bind: BindArgs,
    /// The reseller that sold it.
    #[arg(long)]
    pub(crate) reseller: Option<String>,
    /// Your customer number or order reference.
    #[arg(long)]
    pub(crate) customer_ref: Option<String>,
    /// The customer's site the license belongs to (site maintenance packs cover it).
    #[arg(long)]
    pub(crate) site: Option<String>,
    /// The order this license is part of (several licenses of one order are transferred
    /// together with `rehost --order`).
    #[arg(long)]
    pub(crate) order: Option<String>,
    /// Contact or address (personal data: keep it minimal).
    #[arg(long)]
    pub(crate) contact: Option<String>,
}

/// What a new license grants: shared by `issue` and `ticket create` (a ticket's scope).
#[derive(Args, Debug)]
pub(crate) struct ScopeArgs {
    /// The product (default: the only catalog).
    #[arg(long)]
    pub(crate) product: Option<String>,
    /// Kind of license.
    #[arg(long, value_enum, default_value = "full")]
    pub(crate) kind: KindArg,
    /// Product line name (default: the catalog's; trials: the trial line).
    #[arg(long)]
    pub(crate) line: Option<String>,
    /// Named users.
    #[arg(long)]
    pub(crate) users: Option<u32>,
    /// Concurrent seats.
    #[arg(long)]
    pub(crate) seats: Option<u32>,
    /// Seats in demo mode after grace (default: the catalog's; at most its max_demo_seats).
    #[arg(long)]
    pub(crate) demo_seats: Option<u32>,
    /// Modules (comma-separated names, or `all`).
    #[arg(long, value_delimiter = ',')]
    pub(crate) modules: Vec<String>,
    /// Term in months (default: the catalog's for the kind).
    #[arg(long, conflicts_with_all = ["days", "until"])]
    pub(crate) months: Option<u32>,
    /// Term in days.
    #[arg(long, conflicts_with = "until")]
    pub(crate) days: Option<u32>,
    /// Valid until this day (exclusive).
    #[arg(long, value_parser = parse_date)]
    pub(crate) until: Option<Date>,
    /// Grace days after expiry (default: the catalog's; at most its max_grace_days).
    #[arg(long)]
    pub(crate) grace_days: Option<u16>,
    /// Full licenses: months of maintenance (0 = none; default: one catalog pack).
    #[arg(long)]
    pub(crate) maintenance_months: Option<u32>,
}

#[derive(Args, Debug)]
pub(crate) struct ChangeArgs {
    /// The new number of named users.
    #[arg(long)]
    pub(crate) users: Option<u32>,
    /// The new number of concurrent seats.
    #[arg(long)]
    pub(crate) seats: Option<u32>,
    /// Modules to add (comma-separated names).
    #[arg(long, value_delimiter = ',')]
    pub(crate) add_modules: Vec<String>,
    /// The new product line.
    #[arg(long)]
    pub(crate) line: Option<String>,
    /// Bind the code to the customer's seat server: its key, 64 hex digits, as
    /// `license-server key` prints it.
    #[arg(long, value_name = "KEY")]
    pub(crate) seat_server: Option<String>,
}

#[derive(Args, Debug)]
pub(crate) struct InspectArgs {
    /// The license code.
    pub(crate) code: String,
    /// Verify the signature with the key ring in <home>/keys (or --public-key).
    #[arg(long)]
    pub(crate) verify: bool,
    /// Verify with this public key (64 hex digits) instead of the key ring.
    #[arg(long)]
    pub(crate) public_key: Option<String>,
    /// Product id (default: from the ledger, or the only catalog).
    #[arg(long)]
    pub(crate) product: Option<String>,
    /// Licensee (default: from the ledger).
    #[arg(long)]
    pub(crate) licensee: Option<String>,
    /// Database code (default: from the ledger).
    #[arg(long)]
    pub(crate) database: Option<String>,
    /// A signed revocation list to check the code against (with --verify); repeat for
    /// several. A code it lists is reported as revoked or superseded (exit 1).
    #[arg(long = "revocation-list")]
    pub(crate) revocation_lists: Vec<PathBuf>,
}

/// `report issued --by`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum IssuedByArg {
    /// The day of issue.
    Issue,
    /// The first day of the code's term.
    TermStart,
}

#[derive(Subcommand, Debug)]
pub(crate) enum CatalogCommand {
    /// Write the catalog as source code for the host application: the product id, the
    /// module and line names with their numbers, and the vendor public keys of the key ring.
    Export {
        /// rust (a module of constants) or c (a header).
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The product (default: the only catalog).
        #[arg(long)]
        product: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum ExportFormat {
    Rust,
    C,
}

#[derive(Subcommand, Debug)]
pub(crate) enum ReportCommand {
    /// Codes issued in a month, by kind (full, demo/trial, subscription, NFR).
    Issued {
        /// The month, YYYY-MM (default: the current one).
        #[arg(long)]
        month: Option<String>,
        /// CSV instead of a table.
        #[arg(long)]
        csv: bool,
        /// Which day puts a code into the month: the day it was issued (default) or the
        /// first day of its term (`term-start`: a renewal counts when its term starts).
        #[arg(long, value_enum, default_value_t = IssuedByArg::Issue)]
        by: IssuedByArg,
        /// Only this reseller's codes (a first-level reseller: its sub-resellers' too).
        #[arg(long)]
        reseller: Option<String>,
    },
    /// Subscriptions active on a day.
    Active {
        /// The day (default: --date or today).
        #[arg(long, value_parser = parse_date)]
        day: Option<Date>,
        /// CSV instead of a table.
        #[arg(long)]
        csv: bool,
    },
    /// Pro-rata subscription days within a month, per reseller (the invoice basis).
    Prorata {
        /// The month, YYYY-MM (default: the current one).
        #[arg(long)]
        month: Option<String>,
        /// Only this reseller's subscriptions.
        #[arg(long)]
        reseller: Option<String>,
        /// CSV instead of a table.
        #[arg(long)]
        csv: bool,
    },
    /// The monthly invoice basis per reseller: the codes it created by kind and its
    /// subscriptions pro rata (a sub-reseller's are invoiced to its first-level reseller).
    Invoice {
        /// The month, YYYY-MM (default: the current one).
        #[arg(long)]
        month: Option<String>,
        /// Only this reseller (a first-level reseller: with its sub-resellers).
        #[arg(long)]
        reseller: Option<String>,
        /// CSV instead of a table (one line per reseller and kind).
        #[arg(long)]
        csv: bool,
    },
    /// In a reseller's home: export the codes it issued in a month, for the vendor.
    Export {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// Write to this new file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// At the vendor: import a reseller's monthly export; every code is verified and one
    /// bad record refuses the whole file. Importing a file again adds nothing.
    Import {
        /// The file `report export` wrote.
        file: PathBuf,
    },
    /// Renewals that should be out by today (the at-the-latest day has come) and have no
    /// code yet.
    Renewals {
        /// CSV instead of a table.
        #[arg(long)]
        csv: bool,
    },
    /// Renewal notices due: by default those whose notice day (the catalog's
    /// `notice_months` before the last day, e.g. one month) has come; with --days, the
    /// licenses whose subscription or maintenance ends within N days.
    Notices {
        /// Days ahead instead of the catalog's calendar months.
        #[arg(long)]
        days: Option<u32>,
        /// CSV instead of a table.
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum LedgerCommand {
    /// Check the ledger: records and a torn last record after a crash.
    Check,
    /// Set a torn last record aside (kept in a side file) so issuing can continue.
    Repair,
    /// Erase a licensee's personal data (name replaced by a pseudonym, contact removed);
    /// the accounting numbers stay.
    Erase {
        /// The licensee name (case and white space ignored).
        #[arg(long)]
        licensee: String,
        /// The pseudonym to use (default: a random one).
        #[arg(long)]
        pseudonym: Option<String>,
    },
}
