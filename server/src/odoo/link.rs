//! Finds the Odoo user for a verified person and writes the link Odoo's `auth_oauth` looks up.
//! It must never link by an email the policy did not accept, nor pick one of several matches.

use super::client::{OdooClient, OdooError, OdooUser};
use crate::{
    policy::{self, PolicyRefusal},
    store::{IdentityLink, Store, StoreError},
    upstream::UpstreamIdentity,
};

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error(transparent)]
    Policy(#[from] PolicyRefusal),
    #[error("no Odoo account for {email}")]
    NoAccount { email: String },
    #[error("several Odoo accounts use {email}")]
    Ambiguous { email: String },
    #[error("no auth.oauth.provider record in Odoo points at this bridge")]
    NoProviderRecord,
    #[error(transparent)]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The Odoo user a login ends as, and the subject Odoo will see for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedUser {
    pub user: OdooUser,
    pub subject: String,
}

/// The subject Odoo knows a user by. One per Odoo user, whichever upstream identity signs in,
/// so several identities reach the same account despite Odoo's one-provider-per-user model.
pub fn bridge_subject(user_id: i64) -> String {
    format!("login-bridge-{user_id}")
}

/// Resolves the person to an Odoo user and makes sure Odoo will find them under `provider_record`.
pub async fn link_person(
    client: &OdooClient,
    store: &Store,
    identity: &UpstreamIdentity,
    provider_record: i64,
) -> Result<LinkedUser, LinkError> {
    let odoo = client.config();
    let user = match existing_link(client, store, identity).await? {
        Some(user) => {
            if let Some(email) = identity.email.as_deref() {
                policy::check_domain(odoo, &email.to_lowercase())?;
            }
            user
        }
        None => {
            let email = policy::email_for_linking(odoo, identity)?;
            find_by_email(client, &email).await?
        }
    };
    let subject = bridge_subject(user.id);
    if user.oauth_provider_id != Some(provider_record) || user.oauth_uid.as_deref() != Some(subject.as_str()) {
        client.link_user(user.id, provider_record, &subject).await?;
        tracing::info!(odoo = %odoo.id, user_id = user.id, provider_record, "linked Odoo user");
    }
    store
        .save_link(&IdentityLink {
            provider_id: identity.provider_id.clone(),
            upstream_subject: identity.subject.clone(),
            odoo_id: odoo.id.clone(),
            odoo_user_id: user.id,
            bridge_subject: subject.clone(),
            email: identity.email.clone(),
        })
        .await?;
    Ok(LinkedUser { user, subject })
}

/// A link made at an earlier login, if its Odoo user still exists and is active.
async fn existing_link(client: &OdooClient, store: &Store, identity: &UpstreamIdentity) -> Result<Option<OdooUser>, LinkError> {
    let Some(link) = store.find_link(&identity.provider_id, &identity.subject, &client.config().id).await? else {
        return Ok(None);
    };
    Ok(client.user(link.odoo_user_id).await?.filter(|u| u.active))
}

/// The one active user whose login, or else whose email, is this address.
async fn find_by_email(client: &OdooClient, email: &str) -> Result<OdooUser, LinkError> {
    let by_login = client.users_where("login", email).await?;
    if let [user] = by_login.as_slice() {
        return Ok(user.clone());
    }
    if by_login.len() > 1 {
        return Err(LinkError::Ambiguous { email: email.to_string() });
    }
    let by_email = client.users_where("email", email).await?;
    match by_email.as_slice() {
        [user] => Ok(user.clone()),
        [] => Err(LinkError::NoAccount { email: email.to_string() }),
        _ => Err(LinkError::Ambiguous { email: email.to_string() }),
    }
}

/// The `auth.oauth.provider` record for a bridge-initiated login: the configured one, else the
/// record whose auth_endpoint is this provider's bridge URL, else any record pointing at the bridge.
pub async fn provider_record_for(client: &OdooClient, public_base: &str, provider_id: &str) -> Result<i64, LinkError> {
    if let Some(id) = client.config().odoo_provider_id {
        return Ok(id);
    }
    let records = client.provider_records().await?;
    let exact = format!("{public_base}/odoo/authorize/{provider_id}");
    let generic = format!("{public_base}/odoo/authorize");
    let rank = |endpoint: &str| {
        if endpoint == exact {
            Some(0)
        } else if endpoint == generic {
            Some(1)
        } else if endpoint.starts_with(&format!("{generic}/")) {
            Some(2)
        } else {
            None
        }
    };
    records
        .iter()
        .filter_map(|r| rank(&r.auth_endpoint).map(|score| (score, !r.enabled, r.id)))
        .min()
        .map(|(_, _, id)| id)
        .ok_or(LinkError::NoProviderRecord)
}
