//! `[[provider]] revalidate_every`: the bridge uses each stored refresh token on schedule; when
//! the provider refuses it (`invalid_grant`: the account was disabled or removed, the grant was
//! revoked) the person's Odoo sessions end. Run every minute (serve.rs); `run_once` takes the clock.
//! It must never end a session because the provider could not be reached: that only logs.

use super::{audit, end_sessions, open, seal};
use crate::{
    bridge::Bridge,
    store::{AuditEntry, AuditKind, AuditOutcome, StoreError},
    upstream::RefreshOutcome,
};

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub still_valid: usize,
    pub ended: usize,
    /// Not known this time (provider down, odd answer): tried again at the next run.
    pub deferred: usize,
}

/// How long a re-validation that could not be done waits before the next attempt.
pub const RETRY_AFTER_SECS: i64 = 60;

pub async fn run_once(bridge: &Bridge, now: i64) -> Result<Summary, StoreError> {
    let mut summary = Summary::default();
    let key = bridge.config.sessions.refresh_token_key.as_ref();
    for session in bridge.store.sessions_due_revalidation(now).await? {
        let (odoo_id, user_id) = (session.odoo_id.clone(), session.odoo_user_id);
        let (Some(every), Some(provider), Some(stored)) =
            (bridge.config.sessions.revalidate_every.get(&session.provider_id), bridge.upstreams.get(&session.provider_id), session.refresh_token.as_deref())
        else {
            // The provider is gone or no longer re-validated: the token has no use left.
            bridge.store.drop_refresh_token(&odoo_id, user_id).await?;
            continue;
        };
        // Leased for a minute: a crash or an outage retries at the next run, and another bridge
        // sharing the store leaves it alone meanwhile.
        let Some(due_at) = session.revalidate_at else { continue };
        if !bridge.store.claim_revalidation(&odoo_id, user_id, due_at, now + RETRY_AFTER_SECS).await? {
            continue;
        }
        let token = match open(key, stored) {
            Ok(token) => token,
            Err(error) => {
                tracing::warn!(odoo = %odoo_id, user_id, %error, "cannot read the stored refresh token; this session is no longer re-validated");
                bridge.store.drop_refresh_token(&odoo_id, user_id).await?;
                continue;
            }
        };
        match provider.refresh_grant(&token).await {
            RefreshOutcome::Valid { refresh_token } => {
                let keep = refresh_token.as_deref().unwrap_or(&token);
                match seal(key, keep) {
                    Ok(sealed) => bridge.store.session_revalidated(&odoo_id, user_id, session.login_at, &sealed, now + every.as_secs() as i64).await?,
                    Err(error) => {
                        tracing::warn!(odoo = %odoo_id, user_id, %error, "cannot seal the rotated refresh token; this session is no longer re-validated");
                        bridge.store.drop_refresh_token(&odoo_id, user_id).await?;
                    }
                }
                summary.still_valid += 1;
            }
            RefreshOutcome::Refused(why) => {
                let entry = AuditEntry {
                    odoo_id: Some(odoo_id.clone()),
                    provider_id: Some(session.provider_id.clone()),
                    upstream_subject: Some(session.upstream_subject.clone()),
                    email: session.email.clone(),
                    odoo_user_id: Some(user_id),
                    reason: Some(format!("{} refused the re-validation: {why}", session.provider_id)),
                    ..AuditEntry::now(AuditKind::Revalidation, AuditOutcome::Refused)
                };
                let Some(client) = bridge.odoo(&odoo_id) else {
                    bridge.store.delete_session(&odoo_id, user_id).await?;
                    continue;
                };
                match end_sessions(bridge, client, user_id).await {
                    Ok(()) => {
                        tracing::info!(provider = %session.provider_id, odoo = %odoo_id, user_id, %why, "re-validation refused: Odoo sessions ended");
                        audit(bridge, entry).await;
                        summary.ended += 1;
                    }
                    Err(error) => {
                        tracing::warn!(odoo = %odoo_id, user_id, %error, "re-validation refused but the session could not be ended; retrying next minute");
                        summary.deferred += 1;
                    }
                }
            }
            RefreshOutcome::Unavailable(why) => {
                tracing::warn!(provider = %session.provider_id, odoo = %odoo_id, user_id, reason = %why, "re-validation not possible right now; the session is kept and tried again next run");
                summary.deferred += 1;
            }
        }
    }
    Ok(summary)
}
