//! The reports' words: a month from a form (validated, the error naming the field), a
//! month and a report's kind label in the reader's language, the months of the charts.

use license_core::Date;
use license_issue::Month;

use crate::portal::i18n::Lang;

/// The month a form names, or `default` when it names none; refused with a text for the
/// `month` field.
pub fn month_field(lang: Lang, given: Option<&str>, default: Month) -> Result<Month, String> {
    match given.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => Month::parse(s).map_err(|_| {
            lang.f(
                "reports.month.invalid",
                &[
                    ("given", &s.chars().take(20).collect::<String>()),
                    ("example", &default.to_string()),
                ],
            )
        }),
    }
}

/// A month as its people write it (`2026-11`, `11.2026`).
pub fn month_words(lang: Lang, m: Month) -> String {
    match lang {
        Lang::En => format!("{:04}-{:02}", m.year, m.month),
        Lang::De => format!("{:02}.{:04}", m.month, m.year),
    }
}

/// The month before `m`.
pub fn previous(m: Month) -> Month {
    if m.month == 1 {
        Month {
            year: m.year.saturating_sub(1),
            month: 12,
        }
    } else {
        Month {
            year: m.year,
            month: m.month - 1,
        }
    }
}

/// The `n` months up to and including the month of `today`, oldest first.
pub fn last_months(today: Date, n: usize) -> Vec<Month> {
    let mut out = vec![Month::of(today)];
    while out.len() < n {
        let first = out[out.len() - 1];
        out.push(previous(first));
    }
    out.reverse();
    out
}

/// The day a month's point of "active subscriptions" is read on: its last day, or `today`
/// for the month not over yet.
pub fn reading_day(m: Month, today: Date) -> Date {
    m.bounds().map_or(today, |(_, next)| {
        license_issue::calendar::last_day(next).min(today)
    })
}

/// A report's kind label (`full`, `demo/trial`, `subscription`, `nfr`) in words.
pub fn kind_words(lang: Lang, label: &str) -> &'static str {
    match label {
        "full" => lang.t("kind.full"),
        "demo/trial" => lang.t("kind.trial"),
        "subscription" => lang.t("kind.subscription"),
        _ => lang.t("kind.nfr"),
    }
}

/// A day in words, or "–" when there is none.
pub fn day_words(lang: Lang, d: Option<Date>) -> String {
    d.map_or_else(|| "–".to_owned(), |d| lang.date(d))
}

/// An exclusive end as the last day in words, or "–".
pub fn last_day_words(lang: Lang, end: Option<Date>) -> String {
    day_words(lang, end.map(license_issue::calendar::last_day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_back_across_a_year_and_their_reading_days() {
        let today = Date::from_ymd(2026, 11, 22).unwrap();
        let months = last_months(today, 12);
        assert_eq!(months.len(), 12);
        assert_eq!(
            months[0],
            Month {
                year: 2025,
                month: 12
            }
        );
        assert_eq!(
            months[11],
            Month {
                year: 2026,
                month: 11
            }
        );
        assert_eq!(reading_day(months[11], today), today);
        assert_eq!(
            reading_day(Month { year: 2026, month: 2 }, today),
            Date::from_ymd(2026, 2, 28).unwrap()
        );
        assert_eq!(month_words(Lang::De, months[0]), "12.2025");
        assert_eq!(kind_words(Lang::En, "demo/trial"), Lang::En.t("kind.trial"));
        let default = Month::of(today);
        assert_eq!(month_field(Lang::En, Some(" "), default), Ok(default));
        assert!(
            month_field(Lang::En, Some("2026-13"), default)
                .unwrap_err()
                .contains("2026-13")
        );
    }
}
