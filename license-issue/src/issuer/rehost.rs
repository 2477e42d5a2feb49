//! Rehosting (another machine or database) and transfer to another licensee.

use license_core::Date;

use super::Issuer;
use crate::error::Error;
use crate::issuer::error::OrderError;
use crate::issuer::order::{BindTo, Customer, Reissued, Unbind};
use crate::ledger::store::{Ledger, Operation};

/// The moves a license has left in the 365 days up to a day ([`Issuer::moves_left`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MovesLeft {
    /// The catalog's `max_moves_per_year`.
    pub limit: u32,
    /// Moves in the 365 days up to the day.
    pub used: u32,
    /// Moves still allowed (`limit - used`, at least 0).
    pub left: u32,
    /// The code is bound now (binding an unbound license is its activation, no move).
    pub bound: bool,
    /// With none left: the day the next move is possible.
    pub next: Option<Date>,
}

impl<L: Ledger> Issuer<L> {
    /// Bind the license to another machine or database (a rehost): a new revision; the
    /// old binding is superseded and listed on the next revocation list. The part of the
    /// binding `bind` does not replace is kept unless `unbind` removes it.
    pub fn rehost(
        &mut self,
        license_id: u32,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        self.transact(
            None,
            |is| is.rehost_now(license_id, bind.clone(), unbind, today),
            |_| None,
        )
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn rehost_now(
        &mut self,
        license_id: u32,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        if bind.database.is_none()
            && bind.machine.is_none()
            && bind.seat_server.is_none()
            && unbind.is_nothing()
        {
            return Err(Error::Order(OrderError::NothingToRehost));
        }
        self.check_moves(license_id, today)?;
        self.rebind(license_id, None, Operation::Rehost, &bind, unbind, today)
    }

    /// A rehost of a bound license is a move (a recovery after a lost machine too): at
    /// most the catalog's `max_moves_per_year` in the 365 days up to `today`. Binding an
    /// unbound license (its activation) is no move.
    fn check_moves(&self, license_id: u32, today: Date) -> Result<(), Error> {
        match self.moves_left(license_id, today)? {
            Some(m) if m.bound && m.left == 0 => Err(Error::Order(OrderError::TooManyMoves {
                license_id,
                limit: m.limit,
                next: m.next.unwrap_or(today),
            })),
            _ => Ok(()),
        }
    }

    /// How many moves the license has left on `today` under its catalog's
    /// `max_moves_per_year` (`None`: the catalog sets no limit), counted as a rehost
    /// counts them.
    pub fn moves_left(&self, license_id: u32, today: Date) -> Result<Option<MovesLeft>, Error> {
        let h = self.open(license_id, today)?;
        let Some(limit) = self.catalogs.get(&h.product)?.defaults.max_moves_per_year else {
            return Ok(None);
        };
        let bound = self
            .current(&h, today)
            .is_ok_and(|r| r.license.binding != license_core::Binding::NONE);
        // A rehost of a revision that was bound is a move; one of an unbound revision was
        // its activation.
        let mut moves: Vec<Date> = h
            .revisions
            .windows(2)
            .filter(|w| {
                w[1].operation == Operation::Rehost
                    && w[0].license.binding != license_core::Binding::NONE
                    && today.days_since(w[1].recorded) < 365
            })
            .map(|w| w[1].recorded)
            .collect();
        moves.sort();
        let used = u32::try_from(moves.len()).unwrap_or(u32::MAX);
        // The move that falls out of the window first makes room.
        let next = moves
            .len()
            .checked_sub(limit as usize)
            .and_then(|i| moves.get(i))
            .map(|oldest| oldest.checked_add_days(365).unwrap_or(today));
        Ok(Some(MovesLeft {
            limit,
            used,
            left: limit.saturating_sub(used),
            bound,
            next,
        }))
    }

    /// Transfer the license to another licensee (a reseller's license to its end
    /// customer). The binding changes as with [`Issuer::rehost`]: the parts `bind` gives
    /// replace the old ones, the parts `unbind` names are removed, the rest is kept. The
    /// reseller stays recorded unless `to.reseller` names another.
    pub fn transfer(
        &mut self,
        license_id: u32,
        to: Customer,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        self.transact(
            None,
            |is| is.transfer_now(license_id, to.clone(), bind.clone(), unbind, today),
            |_| None,
        )
    }

    /// The operation itself, once, on a fresh read (see `Issuer::transact`).
    pub(super) fn transfer_now(
        &mut self,
        license_id: u32,
        to: Customer,
        bind: BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        if to.licensee.trim().is_empty() {
            return Err(Error::Order(OrderError::EmptyLicensee));
        }
        self.rebind(license_id, Some(to), Operation::Transfer, &bind, unbind, today)
    }

    fn rebind(
        &mut self,
        license_id: u32,
        to: Option<Customer>,
        operation: Operation,
        bind: &BindTo,
        unbind: Unbind,
        today: Date,
    ) -> Result<Reissued, Error> {
        let h = self.open(license_id, today)?;
        let catalog = self.catalogs.get(&h.product)?.clone();
        let current = self.current(&h, today)?.license.binding;
        let (binding, database) = bind.rebind(unbind, current, h.database.as_deref())?;
        // A new database code is read as the catalog takes it; the one kept was before.
        let database = match &bind.database {
            Some(_) => database.map(|d| catalog.database_code(&d)).transpose()?,
            None => database,
        };
        self.change_now(&h, &catalog, operation, today, to, Some(database), None, |l| {
            let mut out = *l;
            out.binding = binding;
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use license_core::{Date, Kind};

    use crate::catalog::product::{Catalog, Catalogs, DEMO_CATALOG};
    use crate::error::Error;
    use crate::issuer::Issuer;
    use crate::issuer::error::OrderError;
    use crate::issuer::order::{BindTo, Customer, NewLicense, Unbind};
    use crate::keys::vendor::VendorKey;
    use crate::ledger::store::MemoryLedger;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::from_ymd(y, m, day).unwrap()
    }

    fn db(n: u32) -> BindTo {
        let mut bytes = [0u8; 10];
        bytes[..4].copy_from_slice(&n.to_be_bytes());
        BindTo::database(license_core::DatabaseCode::from_random(bytes).to_string())
    }

    #[test]
    fn moves_are_limited_per_365_days_and_the_first_activation_is_no_move() {
        let text = DEMO_CATALOG.replacen("[defaults]\n", "[defaults]\nmax_moves_per_year = 2\n", 1);
        let catalog = Catalog::from_toml(&text, std::path::Path::new("moves")).unwrap();
        assert_eq!(catalog.defaults.max_moves_per_year, Some(2));
        let mut catalogs = Catalogs::new();
        catalogs.insert(catalog);
        let mut is = Issuer::new(catalogs, VendorKey::from_seed(&[7; 32]), MemoryLedger::new());
        let mut o = NewLicense::new("demo-erp", Kind::Full, Customer::new("ACME Corp"));
        o.line = Some("expert".into());
        o.named_users = Some(5);
        let id = is.issue(&o, d(2026, 1, 10)).unwrap().license.license_id;
        // Activation: binding the unbound license is no move.
        is.rehost(id, db(1), Unbind::default(), d(2026, 1, 11)).unwrap();
        let left = |is: &Issuer<MemoryLedger>, day| is.moves_left(id, day).unwrap().unwrap();
        assert_eq!(
            (left(&is, d(2026, 2, 1)).left, left(&is, d(2026, 2, 1)).used),
            (2, 0)
        );
        is.rehost(id, db(2), Unbind::default(), d(2026, 3, 1)).unwrap();
        assert_eq!(left(&is, d(2026, 4, 1)).left, 1);
        assert_eq!(left(&is, d(2026, 4, 1)).next, None);
        is.rehost(id, db(3), Unbind::default(), d(2026, 6, 1)).unwrap();
        // None left: the day the refusal names.
        let none = left(&is, d(2026, 9, 1));
        assert_eq!((none.left, none.limit, none.next), (0, 2, Some(d(2027, 3, 1))));
        assert!(none.bound);
        let e = is
            .rehost(id, db(4), Unbind::default(), d(2026, 9, 1))
            .unwrap_err();
        assert!(
            matches!(
                &e,
                Error::Order(OrderError::TooManyMoves { limit: 2, next, .. }) if *next == d(2027, 3, 1)
            ),
            "{e}"
        );
        assert!(e.to_string().contains("2027-03-01"), "{e}");
        assert_eq!(e.kind_name(), "too_many_moves");
        // 365 days after the first move, one is allowed again.
        is.rehost(id, db(4), Unbind::default(), d(2027, 3, 1)).unwrap();
        assert!(is.rehost(id, db(5), Unbind::default(), d(2027, 3, 2)).is_err());
    }

    #[test]
    fn a_catalog_without_a_limit_has_no_moves_count() {
        let mut catalogs = Catalogs::new();
        catalogs.insert(Catalog::from_toml(DEMO_CATALOG, std::path::Path::new("demo")).unwrap());
        let mut is = Issuer::new(catalogs, VendorKey::from_seed(&[7; 32]), MemoryLedger::new());
        let mut o = NewLicense::new("demo-erp", Kind::Full, Customer::new("ACME Corp"));
        o.named_users = Some(5);
        let id = is.issue(&o, d(2026, 1, 10)).unwrap().license.license_id;
        assert_eq!(is.moves_left(id, d(2026, 1, 10)).unwrap(), None);
    }
}
