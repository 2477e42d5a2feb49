//! The ticket report: per reseller, tickets created (or received from the level above),
//! passed on to a sub-reseller, redeemed and open, and each ticket with its state.
//! Redeemed means a ledger record carries the ticket's id (the vendor's own records and
//! those imported from a reseller or sub-reseller that redeemed offline alike), so at each
//! level of a chain the report shows what it received, passed on and redeemed.

use std::collections::BTreeMap;

use license_core::{Date, Kind};
use serde::Serialize;

use super::TicketPool;
use crate::channel::tickets::id::TicketId;
use crate::ledger::store::Record;
use crate::report::lists::{Column, ReportRow, col, csv_only};

/// Where a ticket stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TicketState {
    /// Not redeemed; redeemable here.
    Open,
    /// Not redeemed (as far as this ledger knows); handed to the reseller to redeem offline.
    HandedOver,
    /// Not redeemed (as far as this ledger knows); passed on to a sub-reseller.
    PassedOn,
    /// Redeemed: a code was issued for it.
    Redeemed,
}

impl TicketState {
    /// `open`, `handed-over`, `passed-on` or `redeemed`.
    pub fn name(self) -> &'static str {
        match self {
            TicketState::Open => "open",
            TicketState::HandedOver => "handed-over",
            TicketState::PassedOn => "passed-on",
            TicketState::Redeemed => "redeemed",
        }
    }
}

/// One ticket in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TicketRow {
    /// The ticket id.
    pub ticket: TicketId,
    /// Its reseller.
    pub reseller: String,
    /// Its state.
    pub state: TicketState,
    /// The day it was created.
    pub created: Date,
    /// The product.
    pub product: String,
    /// The kind of license it gives.
    pub kind: Kind,
    /// The day it was handed to the reseller, if it was.
    pub handed_over: Option<Date>,
    /// The day this home received it from the level above (a reseller's pool).
    pub received: Option<Date>,
    /// The sub-reseller it was passed on to, if it was.
    pub passed_to: Option<String>,
    /// The reseller that redeemed it (from the ledger record).
    pub redeemed_by: Option<String>,
    /// The day it was redeemed.
    pub redeemed: Option<Date>,
    /// The licensee it was redeemed for.
    pub licensee: Option<String>,
    /// The license it gave.
    pub license_id: Option<u32>,
}

impl ReportRow for TicketRow {
    const COLUMNS: &'static [Column] = &[
        col("ticket", "ticket"),
        col("reseller", "reseller"),
        col("state", "state"),
        col("created", "created"),
        csv_only("product"),
        col("kind", "kind"),
        csv_only("handed_over"),
        csv_only("received"),
        col("passed_to", "passed on to"),
        col("redeemed", "redeemed"),
        col("redeemed_by", "by"),
        col("licensee", "licensee"),
        col("license_id", "license"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            Some(self.ticket.to_string()),
            Some(self.reseller.clone()),
            Some(self.state.name().into()),
            Some(self.created.to_string()),
            Some(self.product.clone()),
            Some(self.kind.to_string()),
            self.handed_over.map(|d| d.to_string()),
            self.received.map(|d| d.to_string()),
            self.passed_to.clone(),
            self.redeemed.map(|d| d.to_string()),
            self.redeemed_by.clone(),
            self.licensee.clone(),
            self.license_id.map(|n| n.to_string()),
        ]
    }
}

/// One reseller's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TicketTotals {
    /// The reseller.
    pub reseller: String,
    /// Tickets created for it (in a reseller's pool: received for it).
    pub created: usize,
    /// Of those, received from the level above (imported into this pool).
    pub received: usize,
    /// Of those, redeemed (here, or by whoever they were handed or passed to).
    pub redeemed: usize,
    /// Of those, not redeemed.
    pub open: usize,
    /// Of the open ones, handed to the reseller to redeem offline.
    pub handed_over: usize,
    /// Of those, passed on to a sub-reseller (redeemed or not).
    pub passed_on: usize,
}

impl ReportRow for TicketTotals {
    const COLUMNS: &'static [Column] = &[
        col("reseller", "reseller"),
        col("created", "created"),
        col("received", "received"),
        col("passed_on", "passed on"),
        col("redeemed", "redeemed"),
        col("open", "open"),
        col("handed_over", "of them handed over"),
    ];

    fn cells(&self) -> Vec<Option<String>> {
        vec![
            Some(self.reseller.clone()),
            Some(self.created.to_string()),
            Some(self.received.to_string()),
            Some(self.passed_on.to_string()),
            Some(self.redeemed.to_string()),
            Some(self.open.to_string()),
            Some(self.handed_over.to_string()),
        ]
    }
}

/// The ticket report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TicketReport {
    /// Per reseller, by name.
    pub resellers: Vec<TicketTotals>,
    /// Every ticket, in the order created.
    pub tickets: Vec<TicketRow>,
}

/// The report of `pool`'s tickets (only `reseller`'s if given), redeemed as `records`
/// (the ledger, with any records imported from resellers) say.
pub fn ticket_report(pool: &TicketPool, records: &[Record], reseller: Option<&str>) -> TicketReport {
    let mut redemptions: BTreeMap<&str, &Record> = BTreeMap::new();
    for r in records.iter().filter(|r| r.code.is_some()) {
        if let Some(t) = &r.ticket {
            redemptions.entry(t.as_str()).or_insert(r);
        }
    }
    let mut totals: BTreeMap<&str, TicketTotals> = BTreeMap::new();
    let mut tickets = Vec::new();
    for t in pool
        .tickets()
        .filter(|t| reseller.is_none_or(|r| t.reseller == r))
    {
        let id = t.id.to_string();
        let redeemed = redemptions.get(id.as_str());
        let handed_over = pool.handed_over(&t.id).map(|(_, on)| on);
        let passed_to = pool.passed_on(&t.id).map(|(to, _)| to.to_owned());
        let state = match (redeemed, &passed_to, handed_over) {
            (Some(_), _, _) => TicketState::Redeemed,
            (None, Some(_), _) => TicketState::PassedOn,
            (None, None, Some(_)) => TicketState::HandedOver,
            (None, None, None) => TicketState::Open,
        };
        let sum = totals.entry(&t.reseller).or_insert_with(|| TicketTotals {
            reseller: t.reseller.clone(),
            created: 0,
            received: 0,
            redeemed: 0,
            open: 0,
            handed_over: 0,
            passed_on: 0,
        });
        sum.created += 1;
        sum.received += usize::from(t.imported.is_some());
        sum.passed_on += usize::from(passed_to.is_some());
        match state {
            TicketState::Redeemed => sum.redeemed += 1,
            TicketState::HandedOver => {
                sum.open += 1;
                sum.handed_over += 1;
            }
            TicketState::Open | TicketState::PassedOn => sum.open += 1,
        }
        tickets.push(TicketRow {
            ticket: t.id,
            reseller: t.reseller.clone(),
            state,
            created: t.created,
            product: t.order.product.clone(),
            kind: t.order.kind,
            handed_over,
            received: t.imported,
            passed_to,
            redeemed_by: redeemed.and_then(|r| r.reseller.clone()),
            redeemed: redeemed.map(|r| r.recorded),
            licensee: redeemed.map(|r| r.licensee.clone()),
            license_id: redeemed.map(|r| r.license.license_id),
        });
    }
    TicketReport {
        resellers: totals.into_values().collect(),
        tickets,
    }
}

#[cfg(test)]
mod tests {
    use license_core::Kind;

    use super::*;
    use crate::channel::tickets::test_support::{day, issuer};
    use crate::issuer::order::{BindTo, Customer, NewLicense};
    use crate::ledger::store::Ledger;

    #[test]
    fn created_redeemed_open_per_reseller() {
        let dir = tempfile::tempdir().unwrap();
        let day = day();
        let mut issuer = issuer();
        let mut pool = TicketPool::open(&dir.path().join("t.jsonl")).unwrap();
        let mut scope = NewLicense::new("demo-erp", Kind::Full, Customer::default());
        scope.named_users = Some(5);
        let a = pool.create(&issuer, "Contoso", &scope, 3, day).unwrap();
        let b = pool.create(&issuer, "Fabrikam", &scope, 2, day).unwrap();
        issuer
            .redeem(
                &pool,
                &a[1].id,
                Customer::new("ACME"),
                BindTo::database("DB-ZSNRK-1WQ6N-GHZP2-K95B9"),
                day,
            )
            .unwrap();
        pool.export("Fabrikam", |_| false, day).unwrap();
        let records = issuer.ledger().records().unwrap();
        let r = ticket_report(&pool, &records, None);
        let sums: Vec<_> = r
            .resellers
            .iter()
            .map(|t| (t.reseller.as_str(), t.created, t.redeemed, t.open, t.handed_over))
            .collect();
        assert_eq!(sums, [("Contoso", 3, 1, 2, 0), ("Fabrikam", 2, 0, 2, 2)]);
        assert!(r.resellers.iter().all(|t| t.received == 0 && t.passed_on == 0));
        assert_eq!(r.tickets.len(), 5);
        let redeemed = &r.tickets[1];
        assert_eq!(redeemed.ticket, a[1].id);
        assert_eq!(redeemed.state, TicketState::Redeemed);
        assert_eq!(redeemed.licensee.as_deref(), Some("ACME"));
        assert_eq!(redeemed.license_id, Some(records[0].license.license_id));
        assert_eq!(r.tickets[3].ticket, b[0].id);
        assert_eq!(r.tickets[3].state, TicketState::HandedOver);
        let only = ticket_report(&pool, &records, Some("Fabrikam"));
        assert_eq!((only.resellers.len(), only.tickets.len()), (1, 2));
        let csv = crate::report::lists::to_csv(&r.tickets).unwrap();
        assert!(csv.starts_with(
            "ticket,reseller,state,created,product,kind,handed_over,received,passed_to,redeemed,redeemed_by,licensee,license_id\n"
        ));
        assert!(
            csv.contains(&format!(
                "{},Contoso,redeemed,2026-12-01,demo-erp,full,,,,2026-12-01,Contoso,ACME,",
                a[1].id
            )),
            "{csv}"
        );
    }
}
