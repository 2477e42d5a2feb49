//! Webhook endpoints registered at run time (through a backend's API): the URL checked
//! against the target policy when it is registered (and again at every delivery), a new
//! random signing secret shown once to the one who registers it.
//!
//! May use: `error`, `outbox`, `webhook`.

use zeroize::Zeroizing;

use crate::error::NotifyError;
use crate::outbox::store::{OutboxStore, StoredEndpoint};
use crate::webhook::target::{TargetPolicy, check_target};

/// Register `url` for `owner`: refused (`TargetRefused`, `BadUrl`, ...) unless it is an
/// `http`/`https` URL whose every address the policy allows; the new endpoint and its
/// secret (`whsec_` and 64 hex digits), which the caller shows once.
pub fn register_endpoint(
    store: &dyn OutboxStore,
    owner: &str,
    url: &str,
    policy: &TargetPolicy,
    now: i64,
) -> Result<(StoredEndpoint, Zeroizing<String>), NotifyError> {
    check_target(url, policy)?;
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut bytes[..]).map_err(|e| NotifyError::Random(e.to_string()))?;
    let secret = Zeroizing::new(format!("whsec_{}", hex::encode(&bytes[..])));
    let id = store.add_endpoint(owner, url, &secret, now)?;
    Ok((
        StoredEndpoint {
            id,
            owner: owner.to_owned(),
            url: url.to_owned(),
            secret: secret.clone(),
            created: now,
        },
        secret,
    ))
}
