//! The service's own records, on either database (`crate::db`): organisations (the vendor,
//! resellers, companies), users, sessions, API tokens, single-use mailed tokens, login
//! throttling, which company holds each license and which reseller made it, trials, and
//! the audit log. The licenses themselves are in the library's ledger.

use serde::Serialize;

pub mod audit;
pub mod resellers;

use crate::auth::secret;
use crate::clock::now_ms;
use crate::db::{Db, Row, Tx, Val};
use crate::error::StoreError;
use crate::rights::{OrgKind, Rights, Role};

/// Failed logins per key (account or address) within [`THROTTLE_WINDOW_MS`] before more
/// attempts are refused until the window ends.
pub const THROTTLE_FAILURES: i64 = 5;
/// The throttling window.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60_000;
/// Failed logins from one address within the window before it is throttled (an office
/// behind one address has several users).
pub const THROTTLE_FAILURES_PER_ADDRESS: i64 = 20;

/// An account.
#[derive(Clone, Debug)]
pub struct User {
    /// Its id.
    pub id: i64,
    /// Its organisation.
    pub org_id: i64,
    /// The organisation's kind.
    pub org_kind: OrgKind,
    /// Its address (lowercase).
    pub email: String,
    /// The Argon2id PHC string.
    pub password: String,
    /// Administrator of its organisation.
    pub admin: bool,
    /// The address was confirmed.
    pub confirmed: bool,
    /// The TOTP secret (base32), "" when none.
    pub totp: String,
    /// The rights its administrator granted.
    pub rights: Rights,
    /// The language of its pages and mails (`en`, `de`).
    pub language: String,
}

impl User {
    /// Its role.
    pub const fn role(&self) -> Role {
        Role::of(self.org_kind, self.admin)
    }
}

/// An organisation.
#[derive(Clone, Debug, Serialize)]
pub struct Org {
    /// Its id.
    pub id: i64,
    /// Its kind.
    pub kind: OrgKind,
    /// Its name.
    pub name: String,
    /// A reseller's frame (JSON of `license_core::Frame`), "" otherwise.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub frame: String,
}

/// An API token as listed (never its secret).
#[derive(Clone, Debug, Serialize)]
pub struct TokenInfo {
    /// Its id.
    pub id: i64,
    /// Its organisation.
    pub org_id: i64,
    /// Its name.
    pub name: String,
    /// Its scopes.
    pub scopes: Vec<String>,
    /// When it was revoked (ms), 0 if live.
    pub revoked_ms: i64,
}

/// Which company holds a license and which reseller created it (0: none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Owner {
    /// The license.
    pub license_id: u32,
    /// The company holding it.
    pub company_id: i64,
    /// The reseller that created it.
    pub reseller_id: i64,
}

/// The store.
pub struct Store {
    db: Box<dyn Db>,
}

const USER_COLUMNS: &str =
    "u.id, u.org_id, o.kind, u.email, u.password, u.admin, u.confirmed, u.totp, u.rights, u.language";

fn user_of(r: &Row) -> Result<User, StoreError> {
    let kind =
        OrgKind::parse(r[2].text()).ok_or_else(|| StoreError::Damaged(format!("org kind {:?}", r[2])))?;
    let rights = match r[8].text() {
        "" => Rights::default(),
        t => serde_json::from_str(t).map_err(|e| StoreError::Damaged(format!("rights: {e}")))?,
    };
    Ok(User {
        id: r[0].int(),
        org_id: r[1].int(),
        org_kind: kind,
        email: r[3].text().to_owned(),
        password: r[4].text().to_owned(),
        admin: r[5].int() != 0,
        confirmed: r[6].int() != 0,
        totp: r[7].text().to_owned(),
        rights,
        language: r[9].text().to_owned(),
    })
}

fn org_of(r: &Row) -> Result<Org, StoreError> {
    Ok(Org {
        id: r[0].int(),
        kind: OrgKind::parse(r[1].text()).ok_or_else(|| StoreError::Damaged("org kind".into()))?,
        name: r[2].text().to_owned(),
        frame: r[3].text().to_owned(),
    })
}

/// An address as stored: trimmed, lowercase.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    /// Over `db`.
    pub fn new(db: Box<dyn Db>) -> Store {
        Store { db }
    }

    /// "sqlite" or "postgres".
    pub fn backend(&self) -> &'static str {
        self.db.backend()
    }

    /// Run `f` in one transaction and return its value.
    fn tx<T>(&self, mut f: impl FnMut(&mut dyn Tx) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut out = None;
        self.db.tx(&mut |tx| {
            out = Some(f(tx)?);
            Ok(())
        })?;
        out.ok_or_else(|| StoreError::Backend("the transaction returned nothing".into()))
    }

    fn query(&self, sql: &str, params: &[Val]) -> Result<Vec<Row>, StoreError> {
        self.tx(|tx| tx.query(sql, params))
    }

    /// The vendor's organisation (created with `name` on first use).
    pub fn vendor_org(&self, name: &str) -> Result<i64, StoreError> {
        self.tx(|tx| {
            if let Some(r) = tx
                .query("SELECT id FROM svc_orgs WHERE kind = 'vendor'", &[])?
                .first()
            {
                return Ok(r[0].int());
            }
            insert_org(tx, OrgKind::Vendor, name, "")
        })
    }

    /// A new organisation; `Duplicate` when a reseller has the name.
    pub fn create_org(&self, kind: OrgKind, name: &str, frame: &str) -> Result<i64, StoreError> {
        self.tx(|tx| insert_org(tx, kind, name, frame))
    }

    /// A new organisation with its first user (its administrator), in one transaction;
    /// `None` when the address has an account (nothing is created then).
    pub fn create_org_with_admin(
        &self,
        kind: OrgKind,
        name: &str,
        frame: &str,
        email: &str,
        password_hash: &str,
        rights: &Rights,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let email = normalize_email(email);
        let rights = serde_json::to_string(rights).map_err(|e| StoreError::Damaged(e.to_string()))?;
        self.tx(|tx| {
            if !tx
                .query(
                    "SELECT id FROM svc_users WHERE email = $1",
                    &[email.clone().into()],
                )?
                .is_empty()
            {
                return Ok(None);
            }
            let org = insert_org(tx, kind, name, frame)?;
            let user = insert_user(tx, org, &email, password_hash, true, "", &rights)?;
            Ok(Some((org, user)))
        })
    }

    /// A new user of `org_id`; `None` when the address has an account.
    pub fn create_user(
        &self,
        org_id: i64,
        email: &str,
        password_hash: &str,
        admin: bool,
        totp: &str,
        rights: &Rights,
    ) -> Result<Option<i64>, StoreError> {
        let email = normalize_email(email);
        let rights = serde_json::to_string(rights).map_err(|e| StoreError::Damaged(e.to_string()))?;
        self.tx(|tx| {
            if !tx
                .query(
                    "SELECT id FROM svc_users WHERE email = $1",
                    &[email.clone().into()],
                )?
                .is_empty()
            {
                return Ok(None);
            }
            insert_user(tx, org_id, &email, password_hash, admin, totp, &rights).map(Some)
        })
    }

    /// The user with this address.
    pub fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM svc_users u JOIN svc_orgs o ON o.id = u.org_id WHERE u.email = $1"
        );
        self.query(&sql, &[normalize_email(email).into()])?
            .first()
            .map(user_of)
            .transpose()
    }

    /// The user with this id.
    pub fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM svc_users u JOIN svc_orgs o ON o.id = u.org_id WHERE u.id = $1"
        );
        self.query(&sql, &[id.into()])?.first().map(user_of).transpose()
    }

    /// The users of an organisation.
    pub fn users_of(&self, org_id: i64) -> Result<Vec<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM svc_users u JOIN svc_orgs o ON o.id = u.org_id WHERE u.org_id = $1 ORDER BY u.id"
        );
        self.query(&sql, &[org_id.into()])?.iter().map(user_of).collect()
    }

    /// The organisation with this id.
    pub fn org(&self, id: i64) -> Result<Option<Org>, StoreError> {
        self.query(
            "SELECT id, kind, name, frame FROM svc_orgs WHERE id = $1",
            &[id.into()],
        )?
        .first()
        .map(org_of)
        .transpose()
    }

    /// The organisations of a kind.
    pub fn orgs(&self, kind: OrgKind) -> Result<Vec<Org>, StoreError> {
        self.query(
            "SELECT id, kind, name, frame FROM svc_orgs WHERE kind = $1 ORDER BY id",
            &[kind.as_str().into()],
        )?
        .iter()
        .map(org_of)
        .collect()
    }

    /// A page of the organisations of `kind` whose name contains `search` (case-insensitive;
    /// `%`, `_` and `\` match themselves) or whose number it is (every one for ""), by
    /// number: `limit` of them after skipping `offset`, and how many match in all.
    pub fn orgs_page(
        &self,
        kind: OrgKind,
        search: &str,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Org>, i64), StoreError> {
        let mut params: Vec<Val> = vec![kind.as_str().into()];
        let mut filter = "WHERE kind = $1".to_owned();
        if let Some(clause) = search_clause("id", "name", search, &mut params) {
            filter.push_str(&format!(" AND {clause}"));
        }
        let q = PagedQuery {
            columns: "id, kind, name, frame",
            from: format!("svc_orgs {filter}"),
            order: "id",
            params,
        };
        let (orgs, total) = self.read_page(&q, offset, limit, true, org_of)?;
        Ok((orgs, total.unwrap_or(0)))
    }

    /// A page of `q`'s rows: `limit` after skipping `offset`, each read by `row`, and (when
    /// `count`) how many rows `q` has in all, read in one transaction.
    fn read_page<T>(
        &self,
        q: &PagedQuery<'_>,
        offset: i64,
        limit: i64,
        count: bool,
        row: impl Fn(&Row) -> Result<T, StoreError>,
    ) -> Result<(Vec<T>, Option<i64>), StoreError> {
        let n = q.params.len();
        let count_sql = format!("SELECT COUNT(*) FROM {}", q.from);
        let page_sql = format!(
            "SELECT {} FROM {} ORDER BY {} LIMIT ${} OFFSET ${}",
            q.columns,
            q.from,
            q.order,
            n + 1,
            n + 2
        );
        self.tx(|tx| {
            let total = if count {
                let r = tx.query(&count_sql, &q.params)?;
                Some(r.first().and_then(|r| r.first()).map_or(0, Val::int))
            } else {
                None
            };
            let mut p = q.params.clone();
            p.push(limit.max(0).into());
            p.push(offset.max(0).into());
            let rows = tx
                .query(&page_sql, &p)?
                .iter()
                .map(&row)
                .collect::<Result<_, _>>()?;
            Ok((rows, total))
        })
    }

    /// Mark the address confirmed.
    pub fn confirm(&self, user_id: i64) -> Result<(), StoreError> {
        self.tx(|tx| {
            tx.exec(
                "UPDATE svc_users SET confirmed = 1 WHERE id = $1",
                &[user_id.into()],
            )
        })
        .map(drop)
    }

    /// Set the language of the user's pages and mails (`en`, `de`: the portal's catalog
    /// checks it first).
    pub fn set_language(&self, user_id: i64, language: &str) -> Result<(), StoreError> {
        self.tx(|tx| {
            tx.exec(
                "UPDATE svc_users SET language = $1 WHERE id = $2",
                &[language.into(), user_id.into()],
            )
        })
        .map(drop)
    }

    /// Set a new password (and end every session of the user).
    pub fn set_password(&self, user_id: i64, password_hash: &str) -> Result<(), StoreError> {
        self.tx(|tx| {
            tx.exec(
                "UPDATE svc_users SET password = $1, confirmed = 1 WHERE id = $2",
                &[password_hash.into(), user_id.into()],
            )?;
            tx.exec("DELETE FROM svc_sessions WHERE user_id = $1", &[user_id.into()])
        })
        .map(drop)
    }

    /// Use TOTP step `step` for the user: false if it (or a later one) was used already.
    pub fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        self.tx(|tx| {
            tx.exec(
                "UPDATE svc_users SET totp_step = $1 WHERE id = $2 AND totp_step < $1",
                &[step.into(), user_id.into()],
            )
        })
        .map(|n| n == 1)
    }

    /// A single-use token for `purpose` (`confirm`, `reset`), valid for `ttl_ms`; only its
    /// digest is stored.
    pub fn one_time(&self, purpose: &str, user_id: i64, ttl_ms: i64) -> Result<String, StoreError> {
        let token = secret::token("lkm_")?;
        let hash = secret::digest(&token);
        self.tx(|tx| {
            tx.exec(
                "INSERT INTO svc_one_time (hash, purpose, user_id, expires_ms) VALUES ($1, $2, $3, $4)",
                &[
                    hash.as_slice().into(),
                    purpose.into(),
                    user_id.into(),
                    (now_ms() + ttl_ms).into(),
                ],
            )
        })?;
        Ok(token)
    }

    /// Use a single-use token: its user, if it is live, unused and for `purpose` (then it
    /// is used up).
    pub fn redeem(&self, purpose: &str, token: &str) -> Result<Option<i64>, StoreError> {
        let hash = secret::digest(token);
        self.tx(|tx| {
            let n = tx.exec(
                "UPDATE svc_one_time SET used = 1 WHERE hash = $1 AND purpose = $2 AND used = 0 AND expires_ms > $3",
                &[hash.as_slice().into(), purpose.into(), now_ms().into()],
            )?;
            if n != 1 {
                return Ok(None);
            }
            Ok(tx
                .query("SELECT user_id FROM svc_one_time WHERE hash = $1", &[hash.as_slice().into()])?
                .first()
                .map(|r| r[0].int()))
        })
    }

    /// Whether logins under `key` are throttled now (too many failures in the window).
    pub fn throttled(&self, key: &str, max_failures: i64) -> Result<bool, StoreError> {
        let rows = self.query(
            "SELECT failures, window_ms FROM svc_throttle WHERE key = $1",
            &[key.into()],
        )?;
        Ok(rows
            .first()
            .is_some_and(|r| r[0].int() >= max_failures && r[1].int() + THROTTLE_WINDOW_MS > now_ms()))
    }

    /// Count a failed login under `key` (a new window when the last one ended).
    pub fn failed_login(&self, key: &str) -> Result<(), StoreError> {
        let now = now_ms();
        self.tx(|tx| {
            tx.exec(
                "INSERT INTO svc_throttle (key, failures, window_ms) VALUES ($1, 1, $2)
                 ON CONFLICT (key) DO UPDATE SET
                   failures = CASE WHEN svc_throttle.window_ms + $3 > $2 THEN svc_throttle.failures + 1 ELSE 1 END,
                   window_ms = CASE WHEN svc_throttle.window_ms + $3 > $2 THEN svc_throttle.window_ms ELSE $2 END",
                &[key.into(), now.into(), THROTTLE_WINDOW_MS.into()],
            )
        })
        .map(drop)
    }

    /// Forget the failures under `key` (after a successful login).
    pub fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        self.tx(|tx| tx.exec("DELETE FROM svc_throttle WHERE key = $1", &[key.into()]))
            .map(drop)
    }

    /// A new session of `user_id` for `ttl_ms`: (cookie value, CSRF token).
    pub fn create_session(&self, user_id: i64, ttl_ms: i64) -> Result<(String, String), StoreError> {
        let token = secret::token("lks_")?;
        let csrf = secret::token("")?;
        let hash = secret::digest(&token);
        let now = now_ms();
        self.tx(|tx| {
            tx.exec("DELETE FROM svc_sessions WHERE expires_ms <= $1", &[now.into()])?;
            tx.exec(
                "INSERT INTO svc_sessions (hash, user_id, csrf, expires_ms) VALUES ($1, $2, $3, $4)",
                &[
                    hash.as_slice().into(),
                    user_id.into(),
                    csrf.clone().into(),
                    (now + ttl_ms).into(),
                ],
            )
        })?;
        Ok((token, csrf))
    }

    /// The live session a cookie value names: its user and CSRF token.
    pub fn session(&self, token: &str) -> Result<Option<(User, String)>, StoreError> {
        let rows = self.query(
            "SELECT user_id, csrf FROM svc_sessions WHERE hash = $1 AND expires_ms > $2",
            &[secret::digest(token).as_slice().into(), now_ms().into()],
        )?;
        let Some(r) = rows.first() else { return Ok(None) };
        Ok(self.user(r[0].int())?.map(|u| (u, r[1].text().to_owned())))
    }

    /// End the session a cookie value names.
    pub fn end_session(&self, token: &str) -> Result<(), StoreError> {
        self.tx(|tx| {
            tx.exec(
                "DELETE FROM svc_sessions WHERE hash = $1",
                &[secret::digest(token).as_slice().into()],
            )
        })
        .map(drop)
    }

    /// A new API token of `org_id` with `scopes`: (id, the token, shown once).
    pub fn create_token(
        &self,
        org_id: i64,
        name: &str,
        scopes: &[String],
    ) -> Result<(i64, String), StoreError> {
        let token = secret::token("lkt_")?;
        let hash = secret::digest(&token);
        let id = self.tx(|tx| {
            let r = tx.query(
                "INSERT INTO svc_tokens (org_id, hash, name, scopes, created_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[
                    org_id.into(),
                    hash.as_slice().into(),
                    name.into(),
                    scopes.join(" ").into(),
                    now_ms().into(),
                ],
            )?;
            Ok(r.first().map_or(0, |r| r[0].int()))
        })?;
        Ok((id, token))
    }

    /// The live token a bearer value names, with its organisation's kind.
    pub fn token(&self, token: &str) -> Result<Option<(TokenInfo, OrgKind)>, StoreError> {
        let rows = self.query(
            "SELECT t.id, t.org_id, t.name, t.scopes, t.revoked_ms, o.kind FROM svc_tokens t JOIN svc_orgs o ON o.id = t.org_id
             WHERE t.hash = $1 AND t.revoked_ms = 0",
            &[secret::digest(token).as_slice().into()],
        )?;
        let Some(r) = rows.first() else { return Ok(None) };
        let kind = OrgKind::parse(r[5].text()).ok_or_else(|| StoreError::Damaged("org kind".into()))?;
        Ok(Some((token_of(r), kind)))
    }

    /// The tokens of an organisation.
    pub fn tokens_of(&self, org_id: i64) -> Result<Vec<TokenInfo>, StoreError> {
        Ok(self
            .query(
                "SELECT id, org_id, name, scopes, revoked_ms FROM svc_tokens WHERE org_id = $1 ORDER BY id",
                &[org_id.into()],
            )?
            .iter()
            .map(token_of)
            .collect())
    }

    /// Revoke token `id` of `org_id`: false if there is no such live token.
    pub fn revoke_token(&self, org_id: i64, id: i64) -> Result<bool, StoreError> {
        self.tx(|tx| {
            tx.exec(
                "UPDATE svc_tokens SET revoked_ms = $1 WHERE id = $2 AND org_id = $3 AND revoked_ms = 0",
                &[now_ms().into(), id.into(), org_id.into()],
            )
        })
        .map(|n| n == 1)
    }

    /// Record who holds a new license and who made it.
    pub fn record_license(&self, owner: Owner, product: &str) -> Result<(), StoreError> {
        self.tx(|tx| {
            tx.exec(
                "INSERT INTO svc_licenses (license_id, company_id, reseller_id, product, created_ms)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (license_id) DO NOTHING",
                &[
                    i64::from(owner.license_id).into(),
                    owner.company_id.into(),
                    owner.reseller_id.into(),
                    product.into(),
                    now_ms().into(),
                ],
            )
        })
        .map(drop)
    }

    /// Record that `company_id` holds the license now (a transfer).
    pub fn set_company(&self, license_id: u32, company_id: i64) -> Result<(), StoreError> {
        self.tx(|tx| {
            tx.exec(
                "UPDATE svc_licenses SET company_id = $1 WHERE license_id = $2",
                &[company_id.into(), i64::from(license_id).into()],
            )
        })
        .map(drop)
    }

    /// Who holds a license (`None`: the service did not create it).
    pub fn owner(&self, license_id: u32) -> Result<Option<Owner>, StoreError> {
        Ok(self
            .query(
                "SELECT license_id, company_id, reseller_id FROM svc_licenses WHERE license_id = $1",
                &[i64::from(license_id).into()],
            )?
            .first()
            .map(owner_of))
    }

    /// One page of the licenses a company holds, or a reseller made, or (both 0) every
    /// one, newest first: those whose number is `search` or whose product contains it
    /// (case-insensitive); with the number of all that match. Indexed SQL, so a page costs
    /// the same with 100,000 licenses as with ten.
    pub fn license_page(
        &self,
        company_id: i64,
        reseller_id: i64,
        search: &str,
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<(u32, String)>), StoreError> {
        let mut wheres: Vec<String> = Vec::new();
        let mut params: Vec<Val> = Vec::new();
        match (company_id, reseller_id) {
            (0, 0) => {}
            (c, 0) => {
                params.push(c.into());
                wheres.push(format!("company_id = ${}", params.len()));
            }
            (_, r) => {
                params.push(r.into());
                wheres.push(format!("reseller_id = ${}", params.len()));
            }
        }
        wheres.extend(search_clause("license_id", "product", search, &mut params));
        let filter = if wheres.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", wheres.join(" AND "))
        };
        let q = PagedQuery {
            columns: "license_id, product",
            from: format!("svc_licenses{filter}"),
            order: "license_id DESC",
            params,
        };
        let (rows, total) = self.read_page(&q, offset, limit, true, |r| {
            Ok((u32::try_from(r[0].int()).unwrap_or(0), r[1].text().to_owned()))
        })?;
        Ok((total.unwrap_or(0), rows))
    }

    /// The licenses a company holds, or a reseller made, or (both 0) every one.
    pub fn licenses(&self, company_id: i64, reseller_id: i64) -> Result<Vec<Owner>, StoreError> {
        let (sql, p): (&str, Vec<Val>) = match (company_id, reseller_id) {
            (0, 0) => (
                "SELECT license_id, company_id, reseller_id FROM svc_licenses ORDER BY license_id",
                vec![],
            ),
            (c, 0) => (
                "SELECT license_id, company_id, reseller_id FROM svc_licenses WHERE company_id = $1 ORDER BY license_id",
                vec![c.into()],
            ),
            (_, r) => (
                "SELECT license_id, company_id, reseller_id FROM svc_licenses WHERE reseller_id = $1 ORDER BY license_id",
                vec![r.into()],
            ),
        };
        Ok(self.query(sql, &p)?.iter().map(owner_of).collect())
    }

    /// Claim the one trial of `product` for `company_id`: false if it had one.
    pub fn claim_trial(&self, company_id: i64, product: &str) -> Result<bool, StoreError> {
        self.tx(|tx| {
            tx.exec(
                "INSERT INTO svc_trials (company_id, product, license_id) VALUES ($1, $2, 0)
                 ON CONFLICT (company_id, product) DO NOTHING",
                &[company_id.into(), product.into()],
            )
        })
        .map(|n| n == 1)
    }

    /// Give a claimed trial back (its issuing failed), or record its license.
    pub fn settle_trial(
        &self,
        company_id: i64,
        product: &str,
        license_id: Option<u32>,
    ) -> Result<(), StoreError> {
        self.tx(|tx| match license_id {
            Some(id) => tx.exec(
                "UPDATE svc_trials SET license_id = $1 WHERE company_id = $2 AND product = $3",
                &[i64::from(id).into(), company_id.into(), product.into()],
            ),
            None => tx.exec(
                "DELETE FROM svc_trials WHERE company_id = $1 AND product = $2 AND license_id = 0",
                &[company_id.into(), product.into()],
            ),
        })
        .map(drop)
    }
}

/// A new organisation; a reseller's (and the vendor's) name is unique, companies may share
/// one (two firms of one name in two towns).
fn insert_org(tx: &mut dyn Tx, kind: OrgKind, name: &str, frame: &str) -> Result<i64, StoreError> {
    let taken = if kind == OrgKind::Company {
        Vec::new()
    } else {
        tx.query(
            "SELECT id FROM svc_orgs WHERE kind = $1 AND lower(name) = lower($2)",
            &[kind.as_str().into(), name.into()],
        )?
    };
    if !taken.is_empty() {
        return Err(StoreError::Duplicate(format!("{} {name:?}", kind.as_str())));
    }
    let r = tx.query(
        "INSERT INTO svc_orgs (kind, name, frame, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
        &[kind.as_str().into(), name.into(), frame.into(), now_ms().into()],
    )?;
    Ok(r.first().map_or(0, |r| r[0].int()))
}

fn insert_user(
    tx: &mut dyn Tx,
    org_id: i64,
    email: &str,
    password_hash: &str,
    admin: bool,
    totp: &str,
    rights: &str,
) -> Result<i64, StoreError> {
    let r = tx.query(
        "INSERT INTO svc_users (org_id, email, password, admin, confirmed, totp, rights, created_ms)
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7) RETURNING id",
        &[
            org_id.into(),
            email.into(),
            password_hash.into(),
            admin.into(),
            totp.into(),
            rights.into(),
            now_ms().into(),
        ],
    )?;
    Ok(r.first().map_or(0, |r| r[0].int()))
}

fn token_of(r: &Row) -> TokenInfo {
    TokenInfo {
        id: r[0].int(),
        org_id: r[1].int(),
        name: r[2].text().to_owned(),
        scopes: r[3].text().split_whitespace().map(str::to_owned).collect(),
        revoked_ms: r[4].int(),
    }
}

fn owner_of(r: &Row) -> Owner {
    Owner {
        license_id: u32::try_from(r[0].int()).unwrap_or(0),
        company_id: r[1].int(),
        reseller_id: r[2].int(),
    }
}

/// A `LIKE ... ESCAPE '\'` pattern matching every lower-cased text that contains `search`
/// (lower-cased; `%`, `_` and `\` in it match themselves).
fn like_pattern(search: &str) -> String {
    let escaped: String = search
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// A query read a page at a time (`Store::read_page`): `SELECT columns FROM from ORDER BY
/// order`, `from` with its `WHERE` over `params` ($1, $2, ...).
struct PagedQuery<'a> {
    columns: &'a str,
    from: String,
    order: &'a str,
    params: Vec<Val>,
}

/// The condition of a list's search (`None` for an empty one): `text_column` contains
/// `search` (case-insensitive, `unicode_lower`), or `id_column` is it when it is a number;
/// its values are pushed onto `params`.
fn search_clause(id_column: &str, text_column: &str, search: &str, params: &mut Vec<Val>) -> Option<String> {
    let search = search.trim();
    if search.is_empty() {
        return None;
    }
    params.push(like_pattern(search).into());
    let like = format!("unicode_lower({text_column}) LIKE ${} ESCAPE '\\'", params.len());
    Some(match search.parse::<i64>() {
        Ok(n) => {
            params.push(n.into());
            format!("({id_column} = ${} OR {like})", params.len())
        }
        Err(_) => like,
    })
}
