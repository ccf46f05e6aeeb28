//! OpenID Connect Back-Channel Logout 1.0: a provider says a person's session ended; the bridge
//! ends that person's Odoo sessions. The token is validated by `upstream::logout_token`; here
//! it is checked for replay and mapped to Odoo users: by `sid` through the session recorded at
//! sign-in, or by `sub` through the identity links in every configured Odoo.
//! It must never act on a token twice (its `jti` is remembered until it expires).

use super::{audit, end_sessions};
use crate::{
    bridge::Bridge,
    store::{AuditEntry, AuditKind, AuditOutcome, StoreError},
};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum BackchannelError {
    #[error("unknown provider `{0}`")]
    UnknownProvider(String),
    #[error("invalid logout token: {0}")]
    InvalidToken(String),
    #[error("this logout token was already used (jti replayed)")]
    Replayed,
    #[error("no session or linked account is known for this logout token's sub/sid")]
    UnknownPerson,
    #[error("the Odoo sessions could not all be ended: {0}")]
    NotEnded(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One Odoo user whose sessions a logout ends.
#[derive(Debug, Clone)]
struct Target {
    upstream_subject: String,
    email: Option<String>,
}

/// Validates `logout_token` from `provider_id` and ends the matching Odoo sessions; returns how
/// many Odoo users were signed out.
pub async fn logout(bridge: &Bridge, provider_id: &str, logout_token: &str, ip: Option<String>) -> Result<usize, BackchannelError> {
    let provider = bridge.upstreams.get(provider_id).ok_or_else(|| BackchannelError::UnknownProvider(provider_id.to_string()))?;
    let claims = provider.verify_logout_token(logout_token).await.map_err(BackchannelError::InvalidToken)?;
    if !bridge.store.remember_logout_jti(provider_id, &claims.jti, claims.remember_until).await? {
        return Err(BackchannelError::Replayed);
    }

    // (odoo id, user id) → who, deduplicated (a link and a session usually name the same user).
    let mut targets: BTreeMap<(String, i64), Target> = BTreeMap::new();
    if let Some(sid) = &claims.sid {
        for s in bridge.store.sessions_of_sid(provider_id, sid).await? {
            if claims.subject.as_ref().is_none_or(|sub| *sub == s.upstream_subject) {
                targets.insert((s.odoo_id, s.odoo_user_id), Target { upstream_subject: s.upstream_subject, email: s.email });
            }
        }
    }
    // `sub` alone, or a `sid` the bridge never saw (the sign-in's ID token carried none): every
    // Odoo user this identity reaches. Ending more than the one session is the safe side.
    if let (true, Some(sub)) = (targets.is_empty(), &claims.subject) {
        for s in bridge.store.sessions_of_subject(provider_id, sub).await? {
            targets.insert((s.odoo_id, s.odoo_user_id), Target { upstream_subject: s.upstream_subject, email: s.email });
        }
        for odoo in &bridge.config.odoo {
            if let Some(link) = bridge.store.find_link(provider_id, sub, &odoo.id).await? {
                targets
                    .entry((link.odoo_id, link.odoo_user_id))
                    .or_insert(Target { upstream_subject: link.upstream_subject, email: link.email });
            }
        }
    }
    if targets.is_empty() {
        tracing::info!(provider = provider_id, sub = ?claims.subject, sid = ?claims.sid, "back-channel logout for nobody the bridge knows");
        return Err(BackchannelError::UnknownPerson);
    }

    let reason = format!("back-channel logout from {provider_id}");
    let mut failures = Vec::new();
    let mut ended = 0;
    for ((odoo_id, user_id), target) in targets {
        let entry = AuditEntry {
            odoo_id: Some(odoo_id.clone()),
            provider_id: Some(provider_id.to_string()),
            upstream_subject: Some(target.upstream_subject.clone()),
            email: target.email.clone(),
            odoo_user_id: Some(user_id),
            ip: ip.clone(),
            ..AuditEntry::now(AuditKind::Logout, AuditOutcome::Success)
        };
        // Sessions in an Odoo that is no longer configured, or reached without API access, cannot be ended.
        let Some(client) = bridge.odoo(&odoo_id).filter(|c| c.config().api.is_some()) else { continue };
        match end_sessions(bridge, client, user_id).await {
            Ok(()) => {
                tracing::info!(provider = provider_id, odoo = %odoo_id, user_id, "back-channel logout: Odoo sessions ended");
                ended += 1;
                audit(bridge, AuditEntry { reason: Some(reason.clone()), ..entry }).await;
            }
            Err(error) => {
                tracing::warn!(provider = provider_id, odoo = %odoo_id, user_id, %error, "back-channel logout: cannot end the Odoo sessions");
                audit(bridge, AuditEntry { outcome: AuditOutcome::Failed, reason: Some(format!("{reason}: {error}")), ..entry }).await;
                failures.push(format!("Odoo `{odoo_id}`: {error}"));
            }
        }
    }
    if !failures.is_empty() {
        // The provider may send the token again: it must not then count as a replay.
        bridge.store.forget_logout_jti(provider_id, &claims.jti).await?;
        return Err(BackchannelError::NotEnded(failures.join("; ")));
    }
    Ok(ended)
}
