//! The library's refusals in the reader's language. The JSON API answers the library's own
//! English `message`; a German page words the same refusal from the error it was written
//! from ([`Cause`]) and the German catalog `messages/library-de.txt` (`kind = text` with
//! `{name}` placeholders, days written as German readers write them). A refusal the
//! catalog does not word yet keeps the library's English text (the caller falls back).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use license_core::{Date, Kind, Violation};
use license_issue::{Error, OrderError, TicketError};

use super::i18n::{Lang, parse};
use crate::error::{ApiError, Cause};

/// The German catalog, compiled in.
pub const GERMAN: &str = include_str!("../../messages/library-de.txt");

fn german() -> &'static BTreeMap<String, String> {
    static CATALOG: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    // Compiled in and checked by the tests below: a broken file is empty here.
    CATALOG.get_or_init(|| parse(GERMAN).unwrap_or_default())
}

/// A value to put into a text.
enum Arg {
    Text(String),
    Day(Date),
}

type Args = Vec<(&'static str, Arg)>;

fn n(v: impl ToString) -> Arg {
    Arg::Text(v.to_string())
}

/// The words the library passes as `what` (a limit's name, a part of a name), in German.
fn word(lang: Lang, what: &str) -> String {
    match (lang, what) {
        (Lang::De, "named users") => "Benannte Benutzer".to_owned(),
        (Lang::De, "concurrent seats") => "Gleichzeitige Plätze".to_owned(),
        (Lang::De, "term") => "Laufzeit".to_owned(),
        (Lang::De, "maintenance") => "Wartung".to_owned(),
        (Lang::De, "site") => "Standort".to_owned(),
        (Lang::De, "order") => "Bestellung".to_owned(),
        _ => what.to_owned(),
    }
}

fn kind_word(lang: Lang, kind: Kind) -> String {
    match (lang, kind) {
        (Lang::De, Kind::Trial) => "Test".to_owned(),
        (Lang::De, Kind::Subscription) => "Abonnement".to_owned(),
        (Lang::De, Kind::Full) => "Kauf".to_owned(),
        _ => kind.to_string(),
    }
}

/// The catalog key and values of a library error the catalog words (`None`: not worded).
fn library(lang: Lang, e: &Error) -> Option<(&'static str, Args)> {
    use OrderError as O;
    Some(match e {
        Error::Order(o) => match o {
            O::EmptyLicensee => ("empty_licensee", vec![]),
            O::EmptyDatabaseCode => ("empty_database_code", vec![]),
            O::NothingToRehost => ("nothing_to_rehost", vec![]),
            O::NoUsersOrSeats => ("no_users_or_seats", vec![]),
            O::TooManyMoves {
                license_id,
                limit,
                next,
            } => (
                "too_many_moves",
                vec![
                    ("license_id", n(license_id)),
                    ("limit", n(limit)),
                    ("next", Arg::Day(*next)),
                ],
            ),
            O::OverLimit {
                what,
                requested,
                max,
                product,
            } => (
                "over_limit",
                vec![
                    ("what", Arg::Text(word(lang, what))),
                    ("requested", n(requested)),
                    ("max", n(max)),
                    ("product", n(product)),
                ],
            ),
            O::MustBeLimited { what, product, max } => (
                "must_be_limited",
                vec![
                    ("what", Arg::Text(word(lang, what))),
                    ("product", n(product)),
                    ("max", n(max)),
                ],
            ),
            O::ChangeIsEmpty { license_id } => ("change_is_empty", vec![("license_id", n(license_id))]),
            O::ReducesNothing { license_id } => ("reduces_nothing", vec![("license_id", n(license_id))]),
            O::ChangeReduces { license_id, what } => (
                "change_reduces",
                vec![("license_id", n(license_id)), ("what", n(what))],
            ),
            O::NoLicenseAtSite { site } => ("no_license_at_site", vec![("site", n(site))]),
            O::UnknownOrder { order_ref } => ("unknown_order", vec![("order_ref", n(order_ref))]),
            O::NotInOrder {
                license_id,
                order_ref,
            } => (
                "not_in_order",
                vec![("license_id", n(license_id)), ("order_ref", n(order_ref))],
            ),
            O::EmptyName { what } => ("empty_name", vec![("what", Arg::Text(word(lang, what)))]),
            O::Revoked { license_id, on } => (
                "revoked",
                vec![("license_id", n(license_id)), ("on", Arg::Day(*on))],
            ),
            O::Cancelled { license_id, ends } => (
                "cancelled",
                vec![("license_id", n(license_id)), ("ends", Arg::Day(*ends))],
            ),
            O::ReductionPending {
                license_id,
                revision,
                effective,
            } => (
                "reduction_pending",
                vec![
                    ("license_id", n(license_id)),
                    ("revision", n(revision)),
                    ("effective", Arg::Day(*effective)),
                ],
            ),
            O::WithdrawReductionFirst {
                license_id,
                effective,
                what,
                cutoff,
                ..
            } => (
                "withdraw_reduction_first",
                vec![
                    ("license_id", n(license_id)),
                    ("effective", Arg::Day(*effective)),
                    ("what", n(what)),
                    ("cutoff", Arg::Day(*cutoff)),
                ],
            ),
            O::ReductionFixed {
                license_id,
                effective,
                what,
                cutoff,
                ..
            } => (
                "reduction_fixed",
                vec![
                    ("license_id", n(license_id)),
                    ("effective", Arg::Day(*effective)),
                    ("what", n(what)),
                    ("cutoff", Arg::Day(*cutoff)),
                ],
            ),
            O::NoPendingReduction { license_id } => {
                ("no_pending_reduction", vec![("license_id", n(license_id))])
            }
            O::WithdrawalTooLate {
                license_id,
                effective,
                cutoff,
            } => (
                "withdrawal_too_late",
                vec![
                    ("license_id", n(license_id)),
                    ("effective", Arg::Day(*effective)),
                    ("cutoff", Arg::Day(*cutoff)),
                ],
            ),
            O::ReductionAfterExpiry {
                license_id,
                effective,
                expires,
            } => (
                "reduction_after_expiry",
                vec![
                    ("license_id", n(license_id)),
                    ("effective", Arg::Day(*effective)),
                    ("expires", Arg::Day(*expires)),
                ],
            ),
            O::RenewalTooEarly {
                license_id,
                opens,
                expires,
            } => (
                "renewal_too_early",
                vec![
                    ("license_id", n(license_id)),
                    ("opens", Arg::Day(*opens)),
                    ("expires", Arg::Day(*expires)),
                ],
            ),
            O::RenewalLapsed {
                license_id,
                expires,
                closed,
            } => (
                "renewal_lapsed",
                vec![
                    ("license_id", n(license_id)),
                    ("expires", Arg::Day(*expires)),
                    ("closed", Arg::Day(*closed)),
                ],
            ),
            O::NotApplicable { license_id, kind, .. } => (
                "not_applicable",
                vec![
                    ("license_id", n(license_id)),
                    ("kind", Arg::Text(kind_word(lang, *kind))),
                ],
            ),
            O::Erased { license_id } => ("erased", vec![("license_id", n(license_id))]),
            _ => return None,
        },
        Error::Ticket(t) => match t {
            TicketError::Unknown { ticket } => ("ticket_unknown", vec![("ticket", n(ticket))]),
            TicketError::Redeemed {
                ticket,
                on,
                license_id,
                ..
            } => (
                "ticket_redeemed",
                vec![
                    ("ticket", n(ticket)),
                    ("on", Arg::Day(*on)),
                    ("license_id", n(license_id)),
                ],
            ),
            TicketError::HandedOver { ticket, reseller, .. } => (
                "ticket_handed_over",
                vec![("ticket", n(ticket)), ("reseller", n(reseller))],
            ),
            TicketError::PassedOn { ticket, to, .. } => {
                ("ticket_passed_on", vec![("ticket", n(ticket)), ("to", n(to))])
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// An amount, "unlimited" when `None`.
fn amount(v: Option<u32>) -> Arg {
    v.map_or_else(|| Arg::Text("unbegrenzt".to_owned()), n)
}

/// The key and values of a limit an order exceeds.
fn violation(lang: Lang, v: &Violation) -> Option<(&'static str, Args)> {
    Some(match *v {
        Violation::Kind(k) => ("violation.kind", vec![("kind", Arg::Text(kind_word(lang, k)))]),
        Violation::Line(l) => ("violation.line", vec![("line", n(l))]),
        Violation::Module(m) => ("violation.module", vec![("module", n(m))]),
        Violation::NamedUsers { requested, max } => (
            "violation.named_users",
            vec![("requested", amount(requested)), ("max", n(max))],
        ),
        Violation::ConcurrentSeats { requested, max } => (
            "violation.concurrent_seats",
            vec![("requested", amount(requested)), ("max", n(max))],
        ),
        Violation::Days {
            kind,
            requested: Some(days),
            max,
        } => (
            "violation.days",
            vec![
                ("kind", Arg::Text(kind_word(lang, kind))),
                ("days", n(days)),
                ("max", n(max)),
            ],
        ),
        Violation::Maintenance {
            requested: Some(days),
            max,
        } => ("violation.maintenance", vec![("days", n(days)), ("max", n(max))]),
        _ => return None,
    })
}

fn fill(lang: Lang, key: &str, args: &Args) -> Option<String> {
    let mut out = german().get(key)?.clone();
    for (name, value) in args {
        let value = match value {
            Arg::Text(t) => t.clone(),
            Arg::Day(d) => lang.date(*d),
        };
        out = out.replace(&format!("{{{name}}}"), &value);
    }
    Some(out)
}

/// The refusal `e` in `lang`, when the library wrote it and the catalog words it; `None`
/// for English (the library's own words) and for what the catalog does not word.
pub fn text(lang: Lang, e: &ApiError) -> Option<String> {
    if lang == Lang::En {
        return None;
    }
    match e.cause.as_ref()? {
        Cause::Library(err) => {
            let (key, args) = library(lang, err)?;
            fill(lang, key, &args)
        }
        Cause::Outside(v) => {
            let (key, args) = violation(lang, v)?;
            let limit = fill(lang, key, &args)?;
            fill(lang, "outside_rights", &vec![("limit", Arg::Text(limit))])
        }
        // The portal's own refusals are worded by `page::reason`.
        Cause::Worded { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use license_issue::TicketId;

    fn day(d: u8) -> Date {
        Date::from_ymd(2027, 3, d).unwrap()
    }

    /// One error of every kind the catalog words.
    fn samples() -> Vec<Error> {
        use OrderError as O;
        let ticket = TicketId::generate().expect("the system's random source");
        let orders = vec![
            O::EmptyLicensee,
            O::EmptyDatabaseCode,
            O::NothingToRehost,
            O::NoUsersOrSeats,
            O::TooManyMoves {
                license_id: 7,
                limit: 3,
                next: day(9),
            },
            O::OverLimit {
                what: "named users",
                requested: 90,
                max: 50,
                product: "erp".into(),
            },
            O::MustBeLimited {
                what: "concurrent seats",
                product: "erp".into(),
                max: 9,
            },
            O::ChangeIsEmpty { license_id: 7 },
            O::ReducesNothing { license_id: 7 },
            O::ChangeReduces {
                license_id: 7,
                what: "users 10 -> 5".into(),
            },
            O::NoLicenseAtSite { site: "Linz".into() },
            O::UnknownOrder {
                order_ref: "A-1".into(),
            },
            O::NotInOrder {
                license_id: 7,
                order_ref: "A-1".into(),
            },
            O::EmptyName { what: "site" },
            O::Revoked {
                license_id: 7,
                on: day(2),
            },
            O::Cancelled {
                license_id: 7,
                ends: day(31),
            },
            O::ReductionPending {
                license_id: 7,
                revision: 2,
                effective: day(1),
            },
            O::WithdrawReductionFirst {
                license_id: 7,
                revision: 2,
                effective: day(1),
                what: "users".into(),
                cutoff: day(3),
            },
            O::ReductionFixed {
                license_id: 7,
                revision: 2,
                effective: day(1),
                what: "users".into(),
                cutoff: day(3),
            },
            O::NoPendingReduction { license_id: 7 },
            O::WithdrawalTooLate {
                license_id: 7,
                effective: day(20),
                cutoff: day(5),
            },
            O::ReductionAfterExpiry {
                license_id: 7,
                effective: day(20),
                expires: day(5),
            },
            O::RenewalTooEarly {
                license_id: 7,
                opens: day(20),
                expires: day(25),
            },
            O::RenewalLapsed {
                license_id: 7,
                expires: day(1),
                closed: day(15),
            },
            O::NotApplicable {
                license_id: 7,
                kind: Kind::Full,
                what: "a full license has no term",
            },
            O::Erased { license_id: 7 },
        ];
        let mut out: Vec<Error> = orders.into_iter().map(Error::Order).collect();
        for t in [
            TicketError::Unknown { ticket },
            TicketError::Redeemed {
                ticket,
                licensee: "ACME".into(),
                on: day(2),
                license_id: 7,
            },
            TicketError::HandedOver {
                ticket,
                reseller: "Contoso".into(),
                on: day(2),
            },
            TicketError::PassedOn {
                ticket,
                to: "Fabrikam".into(),
                on: day(2),
            },
        ] {
            out.push(Error::Ticket(t));
        }
        out
    }

    fn violations() -> Vec<Violation> {
        vec![
            Violation::Kind(Kind::Full),
            Violation::Line(2),
            Violation::Module(5),
            Violation::NamedUsers {
                requested: Some(80),
                max: 50,
            },
            Violation::ConcurrentSeats {
                requested: None,
                max: 10,
            },
            Violation::Days {
                kind: Kind::Subscription,
                requested: Some(800),
                max: 400,
            },
            Violation::Maintenance {
                requested: Some(800),
                max: 365,
            },
        ]
    }

    #[test]
    fn every_worded_refusal_is_in_the_catalog_filled_and_every_key_is_used() {
        let catalog = parse(GERMAN).expect("library-de.txt parses");
        let mut used = std::collections::BTreeSet::new();
        for e in samples() {
            let (key, _) = library(Lang::De, &e).unwrap_or_else(|| panic!("not worded: {e}"));
            used.insert(key.to_owned());
            let api = ApiError::from(e);
            let de = text(Lang::De, &api).unwrap_or_else(|| panic!("{key} is not in the catalog"));
            assert!(!de.contains('{') && !de.contains('}'), "{key}: {de}");
            assert_eq!(
                text(Lang::En, &api),
                None,
                "English pages show the library's words"
            );
        }
        for v in violations() {
            let (key, _) = violation(Lang::De, &v).unwrap();
            used.insert(key.to_owned());
            let api = ApiError {
                cause: Some(Cause::Outside(v)),
                ..ApiError::forbidden("outside")
            };
            let de = text(Lang::De, &api).unwrap();
            assert!(
                de.starts_with("Die Bestellung liegt außerhalb Ihrer Rechte"),
                "{de}"
            );
            assert!(!de.contains('{'), "{key}: {de}");
        }
        used.insert("outside_rights".to_owned());
        let keys: std::collections::BTreeSet<String> = catalog.keys().cloned().collect();
        assert_eq!(keys, used, "the catalog's keys and the worded refusals differ");
    }

    #[test]
    fn german_days_and_words() {
        let e = ApiError::from(Error::Order(OrderError::TooManyMoves {
            license_id: 7,
            limit: 3,
            next: day(9),
        }));
        let de = text(Lang::De, &e).unwrap();
        assert!(de.contains("09.03.2027") && de.contains("3"), "{de}");
        let e = ApiError::from(Error::Order(OrderError::OverLimit {
            what: "named users",
            requested: 90,
            max: 50,
            product: "erp".into(),
        }));
        assert!(text(Lang::De, &e).unwrap().contains("Benannte Benutzer"));
        // A refusal the catalog does not word keeps the library's text (None here).
        let e = ApiError::from(Error::Order(OrderError::LicenseIdsExhausted));
        assert_eq!(text(Lang::De, &e), None);
        assert_eq!(text(Lang::De, &ApiError::not_found("license")), None);
    }
}
