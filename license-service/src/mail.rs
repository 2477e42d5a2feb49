//! The seam for account mails (issue 21, item 4): the messages the service sends about
//! accounts and the trait that sends them.
//!
//! The service decides *that* a message goes out and with which single-use token. The
//! binary's [`Mailer`] is `crate::notify::OutboxMailer`: each message becomes a row of
//! `license-notify`'s outbox, rendered in the catalog's text and sent over SMTP by the
//! delivery worker (throttled like every mail). [`MemoryMailer`] keeps the messages in
//! memory (the tests that read tokens without an SMTP server); [`SpoolMailer`] writes each
//! as a JSON file (mode 0600) into a directory, for a deployment that hands mail to its
//! own transfer.
//!
//! A message's token is a secret: never logged, never in an error.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use license_notify::Language;
use serde::Serialize;

/// What a message is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MessageKind {
    /// Confirm the address: the link carries `token` (POST /api/v1/confirm).
    ConfirmAddress {
        /// The single-use token.
        token: String,
    },
    /// Someone tried to register with an address that already has an account (the
    /// registration answer does not say so; only the address's owner learns it).
    AlreadyRegistered,
    /// Set a new password: the link carries `token` (POST /api/v1/password/reset).
    ResetPassword {
        /// The single-use token.
        token: String,
    },
    /// An account was created for the address by its organisation's administrator: set a
    /// password with `token` (POST /api/v1/password/reset).
    Invitation {
        /// The single-use token.
        token: String,
    },
}

/// One outgoing message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    /// The recipient's address.
    pub to: String,
    /// What it says.
    pub what: MessageKind,
    /// The language of its text: the one stored with the recipient's account
    /// (`crate::ops::accounts::queue`).
    pub language: Language,
}

/// Sends (or queues) messages; see the module docs.
pub trait Mailer: Send + Sync {
    /// Queue `message`; an error means it was not queued (the caller's change stands, the
    /// user can ask again).
    fn queue(&self, message: Message) -> Result<(), String>;
}

/// Messages kept in memory: the tests' mailbox.
#[derive(Debug, Default)]
pub struct MemoryMailer {
    sent: Mutex<Vec<Message>>,
}

impl MemoryMailer {
    /// Every message queued so far.
    pub fn sent(&self) -> Vec<Message> {
        self.sent.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The token of the last message of this kind to `to` (`"confirm"`, `"reset"`, `"invitation"`).
    pub fn last_token(&self, to: &str, kind: &str) -> Option<String> {
        self.sent()
            .into_iter()
            .rev()
            .find_map(|m| match (m.to == to, kind, m.what) {
                (true, "confirm", MessageKind::ConfirmAddress { token })
                | (true, "reset", MessageKind::ResetPassword { token })
                | (true, "invitation", MessageKind::Invitation { token }) => Some(token),
                _ => None,
            })
    }
}

impl Mailer for MemoryMailer {
    fn queue(&self, message: Message) -> Result<(), String> {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(message);
        Ok(())
    }
}

/// Messages written as JSON files into a directory (mode 0600), one per message.
#[derive(Debug)]
pub struct SpoolMailer {
    dir: PathBuf,
}

impl SpoolMailer {
    /// Spool into `dir` (created 0700 if missing).
    pub fn new(dir: PathBuf) -> std::io::Result<SpoolMailer> {
        std::fs::create_dir_all(&dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(SpoolMailer { dir })
    }
}

impl Mailer for SpoolMailer {
    fn queue(&self, message: Message) -> Result<(), String> {
        let text = serde_json::to_vec_pretty(&message).map_err(|e| e.to_string())?;
        let name = crate::auth::secret::token("msg-").map_err(|e| e.to_string())?;
        license_fs::write_atomic(&self.dir.join(format!("{}.json", &name[..20])), &text)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spool_writes_one_private_file_per_message_and_the_memory_mailer_finds_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let spool = SpoolMailer::new(dir.path().join("spool")).unwrap();
        let m = Message {
            to: "a@b.test".into(),
            what: MessageKind::ResetPassword {
                token: "lkm_x".into(),
            },
            language: Language::De,
        };
        spool.queue(m.clone()).unwrap();
        spool.queue(m.clone()).unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join("spool"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 2);
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(
            text.contains("reset_password") && text.contains("lkm_x"),
            "{text}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let mem = MemoryMailer::default();
        mem.queue(m).unwrap();
        assert_eq!(mem.last_token("a@b.test", "reset").as_deref(), Some("lkm_x"));
        assert_eq!(mem.last_token("a@b.test", "confirm"), None);
    }
}
