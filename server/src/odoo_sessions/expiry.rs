//! `[[odoo]] max_session_age`: Odoo sessions opened through the bridge end after that long.
//! Run every minute (serve.rs); `run_once` takes the clock so tests need not wait.
//! It must never end a session younger than the age: only sign-ins recorded at or before
//! `now - age` are picked, and a newer sign-in of the same user has replaced its row.

use super::{audit, end_sessions};
use crate::{
    bridge::Bridge,
    store::{AuditEntry, AuditKind, AuditOutcome, StoreError},
};

/// Ends the sessions older than their Odoo's `max_session_age` at `now` (Unix seconds);
/// returns how many users were signed out.
pub async fn run_once(bridge: &Bridge, now: i64) -> Result<usize, StoreError> {
    let mut ended = 0;
    for (odoo_id, age) in &bridge.config.sessions.max_session_age {
        let Some(client) = bridge.odoo(odoo_id) else { continue };
        let limit = now - age.as_secs() as i64;
        for session in bridge.store.sessions_older_than(odoo_id, limit).await? {
            // The user may have signed in again since the list was read: that session is young.
            let current = bridge.store.session(odoo_id, session.odoo_user_id).await?;
            if current.as_ref().map(|c| c.login_at) != Some(session.login_at) {
                continue;
            }
            let entry = AuditEntry {
                odoo_id: Some(odoo_id.clone()),
                provider_id: Some(session.provider_id.clone()),
                upstream_subject: Some(session.upstream_subject.clone()),
                email: session.email.clone(),
                odoo_user_id: Some(session.odoo_user_id),
                reason: Some(format!("max_session_age {}s reached (signed in at {})", age.as_secs(), session.login_at)),
                ..AuditEntry::now(AuditKind::SessionExpired, AuditOutcome::Success)
            };
            match end_sessions(bridge, client, session.odoo_user_id).await {
                Ok(()) => {
                    tracing::info!(odoo = %odoo_id, user_id = session.odoo_user_id, "max_session_age reached: Odoo sessions ended");
                    audit(bridge, entry).await;
                    ended += 1;
                }
                // The row stays: the next run tries again. Logged, not audited each minute.
                Err(error) => tracing::warn!(odoo = %odoo_id, user_id = session.odoo_user_id, %error, "max_session_age reached but the session could not be ended; retrying next minute"),
            }
        }
    }
    Ok(ended)
}
