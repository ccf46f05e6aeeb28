//! Sessions of the bridge's own pages: a person signs in to `/account` or `/admin` through a
//! provider (the same flow as a login to Odoo), and the bridge remembers them for an hour.
//! It must never let a session for one page open another, nor outlive its absolute expiry.

use crate::{
    bridge::Bridge,
    error::BridgeError,
    odoo::link::{decide, LinkDecision, LinkError},
    tokens::{digest, random_256, same_secret, unix_now},
    upstream::UpstreamIdentity,
};
use serde::{Deserialize, Serialize};

/// Absolute lifetime of a session: long enough to look around, short enough that a forgotten
/// browser tab does not stay signed in to the admin pages.
pub const SESSION_TTL_SECS: i64 = 3600;

/// Which of the bridge's own pages a sign-in is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "page", rename_all = "snake_case")]
pub enum BridgePage {
    /// `/account?odoo=ID`: the person's own links and sessions in one Odoo.
    Account { odoo_id: String },
    /// `/admin`: the dashboard (only for the emails in `[admin] emails`).
    Admin,
}

impl BridgePage {
    /// Where the person lands once signed in.
    pub fn home(&self) -> String {
        match self {
            Self::Account { odoo_id } => {
                format!("/account?{}", url::form_urlencoded::Serializer::new(String::new()).append_pair("odoo", odoo_id).finish())
            }
            Self::Admin => "/admin".to_string(),
        }
    }

    pub fn odoo_id(&self) -> Option<&str> {
        match self {
            Self::Account { odoo_id } => Some(odoo_id),
            Self::Admin => None,
        }
    }
}

/// A signed-in person, as the store keeps them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub page: BridgePage,
    pub provider_id: String,
    pub upstream_subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    /// Account pages: the Odoo user this person is, found at sign-in; `None` = no Odoo user.
    pub odoo_user_id: Option<i64>,
    /// Unix seconds.
    pub expires_at: i64,
}

/// A session just opened: its id (for the cookie only) and where to send the browser.
pub struct Opened {
    pub id: String,
    pub location: String,
}

/// Opens a session for a person the provider just verified.
pub async fn open(bridge: &Bridge, page: BridgePage, identity: &UpstreamIdentity) -> Result<Opened, BridgeError> {
    let odoo_user_id = match page.odoo_id() {
        Some(odoo_id) => find_odoo_user(bridge, odoo_id, identity).await?,
        None => None,
    };
    let session = Session {
        page,
        provider_id: identity.provider_id.clone(),
        upstream_subject: identity.subject.clone(),
        email: identity.email.clone(),
        email_verified: identity.email_verified,
        odoo_user_id,
        expires_at: unix_now() + SESSION_TTL_SECS,
    };
    let id = random_256();
    bridge.store.put_bridge_session(&id, &session).await?;
    tracing::info!(provider = %session.provider_id, page = ?session.page, user_id = ?odoo_user_id, "signed in to the bridge's own pages");
    Ok(Opened { id, location: session.page.home() })
}

/// The Odoo user a login would end as, without creating or writing anything: the link for this
/// identity, else (with `link_by_email`) the account of their verified email.
async fn find_odoo_user(bridge: &Bridge, odoo_id: &str, identity: &UpstreamIdentity) -> Result<Option<i64>, BridgeError> {
    let client = bridge.odoo(odoo_id).ok_or_else(|| BridgeError::UnknownOdoo(odoo_id.to_string()))?;
    if let Some(link) = bridge.store.find_link(&identity.provider_id, &identity.subject, odoo_id).await? {
        return Ok(Some(link.odoo_user_id));
    }
    if !client.config().link_by_email || client.config().api.is_none() {
        return Ok(None);
    }
    match decide(client, &bridge.store, identity).await {
        Ok(LinkDecision::Existing { user, .. }) => Ok(Some(user.id)),
        // Would be created at a login: there is no account to show yet.
        Ok(LinkDecision::Create { .. }) => Ok(None),
        Err(LinkError::NoAccount { .. } | LinkError::Archived { .. } | LinkError::Policy(_)) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The CSRF token of a session: derived from its id (one-way), so it needs no storage and
/// names no other session; every form of the session's pages carries it.
pub fn csrf_token(session_id: &str) -> String {
    digest(&format!("login-bridge csrf v1 {session_id}"))
}

/// Whether `given` is the CSRF token of the session `session_id`.
pub fn csrf_ok(session_id: &str, given: Option<&str>) -> bool {
    given.is_some_and(|g| same_secret(g, &csrf_token(session_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_token_is_per_session_and_checked_exactly() {
        let (a, b) = (random_256(), random_256());
        assert!(csrf_ok(&a, Some(&csrf_token(&a))));
        assert!(!csrf_ok(&a, Some(&csrf_token(&b))));
        assert!(!csrf_ok(&a, None));
        assert!(!csrf_ok(&a, Some("")));
        assert!(!csrf_token(&a).contains(&a), "the token must not reveal the session id");
    }

    #[test]
    fn home_pages() {
        assert_eq!(BridgePage::Account { odoo_id: "a c".into() }.home(), "/account?odoo=a+c");
        assert_eq!(BridgePage::Admin.home(), "/admin");
    }
}
