//! Logout, revocation and session lifetime: one way to end a person's Odoo sessions
//! (`end_sessions`, also what `users revoke` does), what a sign-in leaves behind for it
//! (`remember_login`), and the three things that call it besides an admin: the provider's
//! back-channel logout, `max_session_age` and the upstream re-validation.
//! It must never end a session on a guess: only on a verified logout token, a configured age,
//! or a provider's explicit refusal (an outage is not a refusal).

pub mod backchannel;
pub mod expiry;
pub mod revalidate;
mod seal;

use crate::{
    bridge::Bridge,
    odoo::{link::bridge_subject, OdooClient, OdooError},
    store::{OdooSession, StoreError},
    tokens::unix_now,
    upstream::{UpstreamIdentity, UpstreamSession},
};

pub use seal::{open, seal, SealError};

#[derive(Debug, thiserror::Error)]
pub enum EndError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Odoo(#[from] OdooError),
}

/// Ends every Odoo session of `user_id` now: spends the tokens minted for them that Odoo has not
/// redeemed yet, writes a fresh `oauth_access_token` (Odoo then refuses every older session),
/// and forgets the bridge's record of the session (and its refresh token). The record stays
/// when Odoo could not be reached, so the jobs try again.
pub async fn end_sessions(bridge: &Bridge, client: &OdooClient, user_id: i64) -> Result<(), EndError> {
    let odoo_id = &client.config().id;
    bridge.store.void_tokens(odoo_id, &bridge_subject(user_id)).await?;
    client.revoke_sessions(user_id).await?;
    bridge.store.delete_session(odoo_id, user_id).await?;
    Ok(())
}

/// After a successful sign-in into `odoo_id` as `user_id`: when, as whom upstream, the provider's
/// session id, and the refresh token when that provider is re-validated. This sign-in replaces
/// the user's previous one (Odoo ends that session itself when it redeems the new token).
pub async fn remember_login(bridge: &Bridge, odoo_id: &str, user_id: i64, identity: &UpstreamIdentity, upstream: UpstreamSession) -> Result<(), StoreError> {
    let now = unix_now();
    let every = bridge.config.sessions.revalidate_every.get(&identity.provider_id);
    let refresh_token = match (every, upstream.refresh_token) {
        (Some(_), Some(token)) => match seal(bridge.config.sessions.refresh_token_key.as_ref(), &token) {
            Ok(sealed) => Some(sealed),
            Err(error) => {
                tracing::warn!(provider = %identity.provider_id, %error, "cannot seal the refresh token; this session is not re-validated");
                None
            }
        },
        (Some(_), None) => {
            tracing::info!(provider = %identity.provider_id, "the provider granted no refresh token; this session is not re-validated");
            None
        }
        _ => None,
    };
    let revalidate_at = match (&refresh_token, every) {
        (Some(_), Some(every)) => Some(now + every.as_secs() as i64),
        _ => None,
    };
    bridge
        .store
        .save_session(&OdooSession {
            odoo_id: odoo_id.to_string(),
            odoo_user_id: user_id,
            provider_id: identity.provider_id.clone(),
            upstream_subject: identity.subject.clone(),
            upstream_sid: upstream.sid,
            email: identity.email.clone(),
            login_at: now,
            refresh_token,
            revalidate_at,
        })
        .await
}

/// The post-logout redirect URI the bridge sends to providers (RP-initiated logout): with one
/// Odoo configured `{public_url}/logout/done`, else `{public_url}/logout/done?odoo={id}` (one
/// to register per Odoo: providers compare it exactly).
pub fn post_logout_redirect_uri(config: &crate::config::Config, odoo_id: &str) -> String {
    let base = format!("{}/logout/done", config.public_base());
    if config.odoo.len() == 1 {
        base
    } else {
        let query: String = url::form_urlencoded::Serializer::new(String::new()).append_pair("odoo", odoo_id).finish();
        format!("{base}?{query}")
    }
}

/// `{public_url}/logout/backchannel/{provider}`: the back-channel logout URI to register.
pub fn backchannel_logout_uri(config: &crate::config::Config, provider_id: &str) -> String {
    format!("{}/logout/backchannel/{provider_id}", config.public_base())
}

/// Writes an audit row; a failure to write it is logged, never fatal to the logout itself.
pub(crate) async fn audit(bridge: &Bridge, entry: crate::store::AuditEntry) {
    if let Err(error) = bridge.store.record_audit(&entry).await {
        tracing::warn!(%error, kind = entry.kind.as_str(), "cannot write the audit row");
    }
}

/// What `check-config` prints about logout and session lifetime: the URIs to register at each
/// provider, the sign-out link per Odoo, and the lifetimes in force.
pub fn check_config_lines(config: &crate::config::Config) -> Vec<String> {
    use crate::config::ProviderKind;
    let mut lines = Vec::new();
    for p in &config.providers {
        match p.kind {
            ProviderKind::Github | ProviderKind::Facebook => {
                lines.push(format!("provider {}: no back-channel or RP-initiated logout ({} has none)", p.id, p.kind.as_str()))
            }
            _ => lines.push(format!(
                "provider {}: back-channel logout URI {} (register it at the provider if it sends logout tokens)",
                p.id,
                backchannel_logout_uri(config, &p.id)
            )),
        }
        if let Some(every) = config.sessions.revalidate_every.get(&p.id) {
            lines.push(format!("provider {}: re-validated every {}s with a refresh token (offline_access)", p.id, every.as_secs()));
        }
    }
    for o in &config.odoo {
        lines.push(format!(
            "odoo {}: sign-out link {}/logout?odoo={}&provider=<provider>; post-logout redirect URI to register at the providers {}",
            o.id,
            config.public_base(),
            o.id,
            post_logout_redirect_uri(config, &o.id)
        ));
        if let Some(age) = config.sessions.max_session_age.get(&o.id) {
            lines.push(format!("odoo {}: sessions opened through the bridge end after {}s (max_session_age)", o.id, age.as_secs()));
        }
    }
    if !config.sessions.revalidate_every.is_empty() && config.sessions.refresh_token_key.is_none() {
        lines.push("warning: refresh tokens are stored in the clear; set [sessions] refresh_token_key_env to seal them".into());
    }
    lines
}
