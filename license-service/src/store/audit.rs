//! The audit log: who did what to what, one line per step that changes something or opens
//! or ends a session. Every action is an [`AuditAction`], so the log's list of actions (the
//! portal's filter, the API's `action=`) is exact by construction, and a search reads one
//! page from the database however long the log has grown.

use serde::Serialize;

use super::{PagedQuery, Store, like_pattern};
use crate::clock::now_ms;
use crate::db::{Row, Val};
use crate::error::StoreError;

/// What an audit line records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuditAction {
    /// A company registered.
    Register,
    /// An account confirmed its address.
    Confirm,
    /// A session began.
    Login,
    /// A session ended.
    Logout,
    /// A password was set from a mailed link.
    PasswordReset,
    /// A user was added or invited.
    AddUser,
    /// A reseller organisation was added.
    AddReseller,
    /// The vendor certified a reseller (a frame).
    CertifyReseller,
    /// The vendor narrowed a reseller's frame.
    NarrowReseller,
    /// The vendor revoked a reseller.
    RevokeReseller,
    /// A reseller's monthly export was imported.
    ImportExport,
    /// A license was issued.
    Issue,
    /// A license was changed by an order of the API's generic form.
    Order,
    /// More users or modules were added to a license.
    Upgrade,
    /// A reduction was scheduled.
    Reduce,
    /// A scheduled reduction was withdrawn.
    WithdrawReduction,
    /// A license was renewed.
    Renew,
    /// A subscription was cancelled.
    Cancel,
    /// A license was activated, moved or recovered (bound to a machine or database).
    Activate,
    /// A license was revoked.
    Revoke,
    /// A license was transferred to another company.
    Transfer,
    /// A maintenance pack was bought for a license.
    Maintenance,
    /// A maintenance pack was bought for a site.
    MaintenanceSite,
    /// A trial began.
    Trial,
    /// Tickets were created.
    CreateTickets,
    /// Tickets were passed on to another organisation.
    PassOnTickets,
    /// A ticket was redeemed.
    RedeemTicket,
    /// A revocation list was published.
    PublishRevocations,
    /// A licensee's name was erased (GDPR).
    Erase,
    /// An API token was created.
    CreateToken,
    /// An API token was revoked.
    RevokeToken,
    /// A webhook was added.
    AddWebhook,
    /// A webhook was removed.
    RemoveWebhook,
}

impl AuditAction {
    /// Every action, in the order the portal's filter lists them.
    pub const ALL: [AuditAction; 33] = [
        AuditAction::Activate,
        AuditAction::AddReseller,
        AuditAction::AddUser,
        AuditAction::AddWebhook,
        AuditAction::Cancel,
        AuditAction::CertifyReseller,
        AuditAction::Confirm,
        AuditAction::CreateTickets,
        AuditAction::CreateToken,
        AuditAction::Erase,
        AuditAction::ImportExport,
        AuditAction::Issue,
        AuditAction::Login,
        AuditAction::Logout,
        AuditAction::Maintenance,
        AuditAction::MaintenanceSite,
        AuditAction::NarrowReseller,
        AuditAction::Order,
        AuditAction::PassOnTickets,
        AuditAction::PasswordReset,
        AuditAction::PublishRevocations,
        AuditAction::RedeemTicket,
        AuditAction::Reduce,
        AuditAction::Register,
        AuditAction::RemoveWebhook,
        AuditAction::Renew,
        AuditAction::Revoke,
        AuditAction::RevokeReseller,
        AuditAction::RevokeToken,
        AuditAction::Transfer,
        AuditAction::Trial,
        AuditAction::Upgrade,
        AuditAction::WithdrawReduction,
    ];

    /// Its name in the log (and the API).
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditAction::Register => "register",
            AuditAction::Confirm => "confirm",
            AuditAction::Login => "login",
            AuditAction::Logout => "logout",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::AddUser => "add_user",
            AuditAction::AddReseller => "add_reseller",
            AuditAction::CertifyReseller => "certify_reseller",
            AuditAction::NarrowReseller => "narrow_reseller",
            AuditAction::RevokeReseller => "revoke_reseller",
            AuditAction::ImportExport => "import_export",
            AuditAction::Issue => "issue",
            AuditAction::Order => "order",
            AuditAction::Upgrade => "upgrade",
            AuditAction::Reduce => "reduce",
            AuditAction::WithdrawReduction => "withdraw_reduction",
            AuditAction::Renew => "renew",
            AuditAction::Cancel => "cancel",
            AuditAction::Activate => "activate",
            AuditAction::Revoke => "revoke",
            AuditAction::Transfer => "transfer",
            AuditAction::Maintenance => "maintenance",
            AuditAction::MaintenanceSite => "maintenance_site",
            AuditAction::Trial => "trial",
            AuditAction::CreateTickets => "create_tickets",
            AuditAction::PassOnTickets => "pass_on_tickets",
            AuditAction::RedeemTicket => "redeem_ticket",
            AuditAction::PublishRevocations => "publish_revocations",
            AuditAction::Erase => "erase",
            AuditAction::CreateToken => "create_token",
            AuditAction::RevokeToken => "revoke_token",
            AuditAction::AddWebhook => "add_webhook",
            AuditAction::RemoveWebhook => "remove_webhook",
        }
    }

    /// The action named `name` (as [`AuditAction::as_str`] writes it).
    pub fn parse(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// One line of the audit log.
#[derive(Clone, Debug, Serialize)]
pub struct AuditLine {
    /// Its id (ascending).
    pub id: i64,
    /// When (ms since the epoch).
    pub at_ms: i64,
    /// Who: `user:<id>`, `token:<id>` or `anonymous`.
    pub actor: String,
    /// The actor's organisation.
    pub org_id: i64,
    /// What.
    pub action: String,
    /// On what.
    pub subject: String,
}

/// Which lines a search of the log reads.
#[derive(Clone, Debug, Default)]
pub struct AuditSearch {
    /// Only this action (`None`: every one).
    pub action: Option<AuditAction>,
    /// Only lines whose actor contains this (case-insensitive; "" for every actor).
    pub actor: String,
    /// Only lines older than this id (`None`: from the newest), for reading the whole log
    /// a page at a time.
    pub before: Option<i64>,
}

impl AuditSearch {
    /// The `WHERE` clause and its parameters.
    fn filter(&self) -> (String, Vec<Val>) {
        let mut wheres = Vec::new();
        let mut params: Vec<Val> = Vec::new();
        if let Some(a) = self.action {
            params.push(a.as_str().into());
            wheres.push(format!("action = ${}", params.len()));
        }
        let actor = self.actor.trim();
        if !actor.is_empty() {
            params.push(like_pattern(actor).into());
            wheres.push(format!("unicode_lower(actor) LIKE ${} ESCAPE '\\'", params.len()));
        }
        if let Some(before) = self.before {
            params.push(before.into());
            wheres.push(format!("id < ${}", params.len()));
        }
        if wheres.is_empty() {
            (String::new(), params)
        } else {
            (format!(" WHERE {}", wheres.join(" AND ")), params)
        }
    }
}

fn line(r: &Row) -> AuditLine {
    AuditLine {
        id: r[0].int(),
        at_ms: r[1].int(),
        actor: r[2].text().to_owned(),
        org_id: r[3].int(),
        action: r[4].text().to_owned(),
        subject: r[5].text().to_owned(),
    }
}

impl Store {
    /// Append to the audit log.
    pub fn audit(
        &self,
        actor: &str,
        org_id: i64,
        action: AuditAction,
        subject: &str,
    ) -> Result<(), StoreError> {
        self.tx(|tx| {
            tx.exec(
                "INSERT INTO svc_audit (at_ms, actor, org_id, action, subject) VALUES ($1, $2, $3, $4, $5)",
                &[
                    now_ms().into(),
                    actor.into(),
                    org_id.into(),
                    action.as_str().into(),
                    subject.into(),
                ],
            )
        })
        .map(drop)
    }

    /// The newest `limit` lines of the audit log (of one organisation unless `org_id` is 0),
    /// newest first.
    pub fn audit_log(&self, org_id: i64, limit: i64) -> Result<Vec<AuditLine>, StoreError> {
        let rows = self.query(
            "SELECT id, at_ms, actor, org_id, action, subject FROM svc_audit
             WHERE (CAST($1 AS BIGINT) = 0 OR org_id = $1) ORDER BY id DESC LIMIT $2",
            &[org_id.into(), limit.into()],
        )?;
        Ok(rows.iter().map(line).collect())
    }

    /// The lines `search` finds, newest first: `limit` of them after skipping `offset`, and
    /// how many it finds in all (`None` when `count` is false: counting reads every
    /// matching line's index entry, and a reader walking the log by `before` needs no total).
    pub fn audit_search(
        &self,
        search: &AuditSearch,
        offset: i64,
        limit: i64,
        count: bool,
    ) -> Result<(Vec<AuditLine>, Option<i64>), StoreError> {
        let (filter, params) = search.filter();
        let q = PagedQuery {
            columns: "id, at_ms, actor, org_id, action, subject",
            from: format!("svc_audit{filter}"),
            order: "id DESC",
            params,
        };
        self.read_page(&q, offset, limit, count, |r| Ok(line(r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_name_and_reads_back() {
        let mut names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
        let sorted = {
            let mut s = names.clone();
            s.sort_unstable();
            s
        };
        assert_eq!(names, sorted, "ALL is listed by name");
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len(), "no name twice");
        assert_eq!(AuditAction::parse("Erase"), None);
        assert_eq!(AuditAction::parse(""), None);
    }

    #[test]
    fn a_search_filters_in_sql_with_the_actor_escaped() {
        let s = AuditSearch {
            action: Some(AuditAction::Erase),
            actor: " User:5_% ".into(),
            before: Some(40),
        };
        let (sql, params) = s.filter();
        assert_eq!(
            sql,
            " WHERE action = $1 AND unicode_lower(actor) LIKE $2 ESCAPE '\\' AND id < $3"
        );
        assert_eq!(params[0].text(), "erase");
        assert_eq!(params[1].text(), "%user:5\\_\\%%");
        assert_eq!(params[2].int(), 40);
        assert_eq!(AuditSearch::default().filter().0, "");
    }
}
