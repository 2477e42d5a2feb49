//! The rules of the clock-rollback, replay and revocation guards, on in-memory state.
//! Pure: the caller passes the time and persists the state (see `state.rs`).

use license_core::{
    CertificateRevocations, Date, License, RevocationEntry, RevocationList, SubCertificateSerial,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::time::Utc;

/// Everything the guards remember. Serialized into the state file; field order is the
/// state format (see `docs/SECURITY.md`, "State file"): do not reorder.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Guards {
    /// The latest time seen (Unix seconds, UTC).
    pub high_water: i64,
    /// One record per license id seen, ascending by id.
    pub licenses: Vec<LicenseRecord>,
    /// The installed revocation list, if any.
    pub revocation: Option<RevocationRecord>,
    /// Serials of first-level reseller certificates the installed list revokes (format
    /// version 2 lists). Not in the postcard body: `state.rs` writes it as a trailing
    /// section, so state files without it keep decoding.
    #[serde(skip)]
    pub revoked_certificates: Vec<u32>,
    /// Sub-reseller certificates the installed list revokes, by the pair of serials
    /// (format version 3 lists), ascending. A second trailing section of the state file.
    #[serde(skip)]
    pub revoked_sub_certificates: Vec<SubCertificateSerial>,
}

/// What the replay guard remembers of one license id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LicenseRecord {
    pub license_id: u32,
    /// The highest revision in effect, and since which day (days since 1970-01-01).
    pub current: Option<(u32, u32)>,
    /// Higher revisions that take effect later (a reduction next quarter): revision and
    /// first day, ascending by day, each higher than every earlier one.
    pub pending: Vec<(u32, u32)>,
}

/// The installed revocation list: enough to refuse revoked codes and older lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RevocationRecord {
    pub sequence: u64,
    pub digest: [u8; 32],
    pub issued: u32,
    pub expires: u32,
    pub entries: Vec<RevocationEntry>,
}

/// A revision scheduled to replace the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PendingChange {
    /// The revision that will take effect.
    pub revision: u32,
    /// The day it takes effect; from then on lower revisions are refused.
    pub starts: Date,
}

/// About the installed revocation list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RevocationListInfo {
    /// Its sequence number.
    pub sequence: u64,
    /// The day it was signed.
    pub issued: Date,
    /// The first day it is no longer current. Its revocations stay in force after that
    /// until a newer list replaces it; ask the vendor for a current list.
    pub expires: Date,
    /// How many licenses it names.
    pub entries: usize,
}

fn day(d: u32) -> Date {
    Date::from_days_since_unix_epoch(d)
}

impl Guards {
    /// A fresh state for a first run at `now`.
    pub fn first_run(now: Utc) -> Guards {
        Guards {
            high_water: now.0,
            ..Guards::default()
        }
    }

    /// Refuse a clock more than `tolerance` seconds behind the high-water mark.
    pub fn check_clock(&self, now: Utc, tolerance: i64) -> Result<(), Error> {
        if now.0.saturating_add(tolerance) < self.high_water {
            return Err(Error::ClockTurnedBack {
                now,
                seen: Utc(self.high_water),
            });
        }
        Ok(())
    }

    /// Raise the high-water mark to `now`; whether it moved.
    pub fn observe_time(&mut self, now: Utc) -> bool {
        if now.0 > self.high_water {
            self.high_water = now.0;
            true
        } else {
            false
        }
    }

    /// Whether the installed revocation list revokes the first-level reseller
    /// certificate `serial`.
    pub fn is_certificate_revoked(&self, serial: u32) -> bool {
        self.revoked_certificates.binary_search(&serial).is_ok()
    }

    /// Whether the installed revocation list revokes the sub-reseller certificate
    /// `sub_reseller` under the first-level certificate `reseller`.
    pub fn is_sub_certificate_revoked(&self, reseller: u32, sub_reseller: u32) -> bool {
        self.revoked_sub_certificates
            .binary_search(&SubCertificateSerial {
                reseller,
                sub_reseller,
            })
            .is_ok()
    }

    /// Refuse a revoked code.
    pub fn check_revoked(&self, license: &License) -> Result<(), Error> {
        if let Some(list) = &self.revocation
            && let Ok(i) = list
                .entries
                .binary_search_by_key(&license.license_id, |e| e.license_id)
            && list.entries[i].revisions.contains(license.revision)
        {
            return Err(Error::Revoked {
                license_id: license.license_id,
                revision: license.revision,
                list_sequence: list.sequence,
            });
        }
        Ok(())
    }

    fn record_mut(&mut self, license_id: u32) -> &mut LicenseRecord {
        let i = match self.licenses.binary_search_by_key(&license_id, |r| r.license_id) {
            Ok(i) => i,
            Err(i) => {
                self.licenses.insert(
                    i,
                    LicenseRecord {
                        license_id,
                        current: None,
                        pending: Vec::new(),
                    },
                );
                i
            }
        };
        &mut self.licenses[i]
    }

    /// The replay guard: refuse a revision lower than the one in effect, record a higher
    /// one (as pending if it starts later). Returns whether the state changed; after a
    /// refusal the state may have changed too (a scheduled revision took effect).
    pub fn admit(&mut self, license: &License, today: Date) -> Result<bool, Error> {
        let rec = self.record_mut(license.license_id);
        let before = rec.clone();
        // Scheduled revisions take effect on their day, even if their code was never entered again.
        let mut current = rec.current;
        rec.pending.retain(|&(revision, starts)| {
            let started = today >= day(starts);
            if started && current.is_none_or(|(c, _)| revision > c) {
                current = Some((revision, starts));
            }
            !started
        });
        rec.current = current;
        if let Some((current, since)) = rec.current
            && license.revision < current
        {
            rec.normalize();
            // The caller keeps a promotion made above (persists it) and reports the refusal.
            return Err(Error::Superseded {
                license_id: license.license_id,
                revision: license.revision,
                current,
                since: Some(day(since)),
            });
        }
        if rec.current.is_none_or(|(c, _)| license.revision > c) {
            if license.valid_from > today {
                rec.pending
                    .push((license.revision, license.valid_from.days_since_unix_epoch()));
            } else {
                rec.current = Some((license.revision, today.days_since_unix_epoch()));
            }
        }
        rec.normalize();
        Ok(*rec != before)
    }

    /// The next revision scheduled to replace `license_id`'s current one, if any.
    pub fn pending(&self, license_id: u32) -> Option<PendingChange> {
        let i = self
            .licenses
            .binary_search_by_key(&license_id, |r| r.license_id)
            .ok()?;
        self.licenses[i]
            .pending
            .first()
            .map(|&(revision, starts)| PendingChange {
                revision,
                starts: day(starts),
            })
    }

    /// Install a verified revocation list: refuse an older one, one with the same
    /// sequence number and other contents, and an expired one. Re-installing the
    /// installed list is a no-op. Returns whether the state changed.
    pub fn install_revocation(
        &mut self,
        list: &RevocationList<'_>,
        now: Utc,
        tolerance: i64,
    ) -> Result<bool, Error> {
        let signed = Utc::start_of(list.issued());
        if now.0.saturating_add(tolerance) < signed.0 {
            return Err(Error::ClockBeforeIssue {
                now,
                issued: list.issued(),
                what: "revocation list",
            });
        }
        let digest: [u8; 32] = Sha256::digest(list.as_bytes()).into();
        if let Some(installed) = &self.revocation {
            if list.sequence() < installed.sequence {
                return Err(Error::RevocationListRollback {
                    sequence: list.sequence(),
                    installed: installed.sequence,
                });
            }
            if list.sequence() == installed.sequence {
                return if digest == installed.digest {
                    Ok(false)
                } else {
                    Err(Error::RevocationListConflict {
                        sequence: list.sequence(),
                    })
                };
            }
        }
        if now.date() >= list.expires() {
            return Err(Error::RevocationListExpired {
                expires: list.expires(),
            });
        }
        self.revocation = Some(RevocationRecord {
            sequence: list.sequence(),
            digest,
            issued: list.issued().days_since_unix_epoch(),
            expires: list.expires().days_since_unix_epoch(),
            entries: list.entries().collect(),
        });
        self.revoked_certificates = list.revoked_certificates().collect();
        self.revoked_sub_certificates = list.revoked_sub_certificates().collect();
        Ok(true)
    }

    /// About the installed revocation list.
    pub fn revocation_info(&self) -> Option<RevocationListInfo> {
        self.revocation.as_ref().map(|r| RevocationListInfo {
            sequence: r.sequence,
            issued: day(r.issued),
            expires: day(r.expires),
            entries: r.entries.len(),
        })
    }

    /// Combine with the state another process wrote meanwhile: the stricter of both
    /// (latest time, highest revisions, newest revocation list).
    pub fn merge(&mut self, other: &Guards) {
        self.high_water = self.high_water.max(other.high_water);
        for theirs in &other.licenses {
            let mine = self.record_mut(theirs.license_id);
            mine.current = match (mine.current, theirs.current) {
                (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
                (a, b) => a.or(b),
            };
            mine.pending.extend_from_slice(&theirs.pending);
            mine.normalize();
        }
        if let Some(theirs) = &other.revocation
            && self
                .revocation
                .as_ref()
                .is_none_or(|mine| theirs.sequence > mine.sequence)
        {
            self.revocation = Some(theirs.clone());
            self.revoked_certificates.clone_from(&other.revoked_certificates);
            self.revoked_sub_certificates
                .clone_from(&other.revoked_sub_certificates);
        }
    }
}

/// A chain's verification asks the installed list (as the state file keeps it).
impl CertificateRevocations for Guards {
    fn revokes_reseller(&self, serial: u32) -> bool {
        self.is_certificate_revoked(serial)
    }

    fn revokes_sub_reseller(&self, reseller: u32, sub_reseller: u32) -> bool {
        self.is_sub_certificate_revoked(reseller, sub_reseller)
    }
}

impl LicenseRecord {
    /// Keep only scheduled revisions above the current one, ascending by day, each
    /// higher than every one scheduled before it (a later, lower one can never win).
    fn normalize(&mut self) {
        if let Some((c, _)) = self.current {
            self.pending.retain(|&(r, _)| r > c);
        }
        self.pending
            .sort_unstable_by_key(|&(r, s)| (s, core::cmp::Reverse(r)));
        let mut best: Option<u32> = None;
        self.pending.retain(|&(r, _)| {
            let keep = best.is_none_or(|b| r > b);
            if keep {
                best = Some(r);
            }
            keep
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use license_core::{Binding, Kind, ModuleSet, ProductLine};

    fn d(y: u16, m: u8, dd: u8) -> Date {
        Date::from_ymd(y, m, dd).unwrap()
    }

    fn license(revision: u32, valid_from: Date) -> License {
        License {
            license_id: 42,
            revision,
            kind: Kind::Full,
            line: ProductLine::new(0).unwrap(),
            named_users: Some(10),
            concurrent_seats: None,
            demo_seats: 0,
            modules: ModuleSet::EMPTY,
            issued: d(2026, 1, 1),
            valid_from,
            expires: None,
            grace_days: 0,
            maintenance_ends: None,
            binding: Binding::NONE,
            interim: false,
        }
    }

    #[test]
    fn clock() {
        let mut g = Guards::first_run(Utc(10_000));
        assert!(g.check_clock(Utc(10_000 - 3600), 3600).is_ok());
        assert!(matches!(
            g.check_clock(Utc(10_000 - 3601), 3600),
            Err(Error::ClockTurnedBack {
                seen: Utc(10_000),
                ..
            })
        ));
        assert!(g.observe_time(Utc(20_000)));
        assert!(!g.observe_time(Utc(15_000)));
        assert_eq!(g.high_water, 20_000);
    }

    #[test]
    fn replay_with_a_scheduled_reduction() {
        let mut g = Guards::default();
        let jan = d(2026, 1, 1);
        let june = d(2026, 6, 1);
        let july = d(2026, 7, 1);
        assert!(
            g.admit(&license(1, jan), june).unwrap(),
            "first sight is recorded"
        );
        // The reduction (revision 2) starts in July: recorded as pending, not yet current.
        assert!(g.admit(&license(2, july), june).unwrap());
        assert_eq!(
            g.pending(42),
            Some(PendingChange {
                revision: 2,
                starts: july
            })
        );
        assert!(
            g.admit(&license(1, jan), june).is_ok(),
            "the old code runs until July"
        );
        // From July on the old code is superseded, although revision 2 was not entered again.
        assert!(matches!(
            g.admit(&license(1, jan), july),
            Err(Error::Superseded { current: 2, since: Some(s), .. }) if s == july
        ));
        assert_eq!(g.pending(42), None);
        assert!(g.admit(&license(2, july), july).is_ok());
    }

    #[test]
    fn two_scheduled_changes_each_take_effect_on_their_day() {
        let mut g = Guards::default();
        let (jan, june, july, aug, oct) = (
            d(2026, 1, 1),
            d(2026, 6, 1),
            d(2026, 7, 1),
            d(2026, 8, 1),
            d(2026, 10, 1),
        );
        g.admit(&license(1, jan), june).unwrap();
        g.admit(&license(2, july), june).unwrap();
        g.admit(&license(3, oct), june).unwrap();
        assert_eq!(
            g.pending(42),
            Some(PendingChange {
                revision: 2,
                starts: july
            })
        );
        assert!(matches!(
            g.admit(&license(1, jan), aug),
            Err(Error::Superseded { current: 2, .. })
        ));
        assert_eq!(
            g.pending(42),
            Some(PendingChange {
                revision: 3,
                starts: oct
            })
        );
        assert!(g.admit(&license(2, july), aug).is_ok());
        assert!(matches!(
            g.admit(&license(2, july), oct),
            Err(Error::Superseded { current: 3, .. })
        ));
    }

    #[test]
    fn a_newer_code_in_effect_replaces_a_pending_one() {
        let mut g = Guards::default();
        let (jan, june, july) = (d(2026, 1, 1), d(2026, 6, 1), d(2026, 7, 1));
        g.admit(&license(1, jan), june).unwrap();
        g.admit(&license(2, july), june).unwrap();
        // The reduction is withdrawn: revision 3 takes effect at once.
        g.admit(&license(3, june), june).unwrap();
        assert_eq!(g.pending(42), None);
        assert!(matches!(
            g.admit(&license(2, july), july),
            Err(Error::Superseded { current: 3, .. })
        ));
        assert!(matches!(
            g.admit(&license(1, jan), june),
            Err(Error::Superseded { current: 3, .. })
        ));
    }

    #[test]
    fn merge_keeps_the_stricter_state() {
        let (jan, june, july) = (d(2026, 1, 1), d(2026, 6, 1), d(2026, 7, 1));
        let mut a = Guards::first_run(Utc(100));
        a.admit(&license(1, jan), june).unwrap();
        let mut b = Guards::first_run(Utc(200));
        b.admit(&license(3, jan), june).unwrap();
        let mut c = Guards::first_run(Utc(50));
        c.admit(&license(2, july), june).unwrap();
        a.merge(&b);
        a.merge(&c);
        assert_eq!(a.high_water, 200);
        assert_eq!(a.licenses.len(), 1);
        assert_eq!(a.licenses[0].current.map(|c| c.0), Some(3));
        assert!(
            a.licenses[0].pending.is_empty(),
            "a pending revision below the current one is dropped"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Whatever order codes are entered in, a revision lower than one in effect on
        /// an earlier or the same day is never accepted again.
        #[test]
        fn a_lower_revision_than_one_in_effect_is_never_accepted(
            steps in proptest::collection::vec((0u32..6, 0i64..120, 0i64..5), 1..40),
        ) {
            let mut g = Guards::default();
            let start = d(2026, 1, 1);
            let mut today = start;
            let mut in_effect: Option<u32> = None;
            let mut scheduled: Vec<(u32, Date)> = Vec::new();
            for (revision, starts_in, advance) in steps {
                today = today.saturating_add_days(advance);
                for (r, s) in &scheduled {
                    if *s <= today {
                        in_effect = in_effect.max(Some(*r));
                    }
                }
                let valid_from = today.saturating_add_days(starts_in % 3 * 40 - 40).max(start);
                let result = g.admit(&license(revision, valid_from), today);
                if in_effect.is_some_and(|c| revision < c) {
                    proptest::prop_assert!(matches!(result, Err(Error::Superseded { .. })), "{result:?}");
                } else {
                    proptest::prop_assert!(result.is_ok(), "{result:?}");
                    if valid_from <= today {
                        in_effect = in_effect.max(Some(revision));
                    } else {
                        scheduled.push((revision, valid_from));
                    }
                }
            }
        }
    }
}
