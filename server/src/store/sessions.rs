//! Sessions of the bridge's own pages (`/account`, `/admin`), keyed by the hash of their id.
//! It must never return a session past its absolute expiry, nor store the id itself.

use super::{Store, StoreError};
use crate::{
    session::Session,
    tokens::{digest, unix_now},
};
use sqlx::Row;

impl Store {
    /// Stores a new session under the hash of `id`.
    pub async fn put_bridge_session(&self, id: &str, session: &Session) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO bridge_sessions (id_hash, page, provider_id, upstream_subject, email, email_verified, odoo_user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(digest(id))
        .bind(serde_json::to_string(&session.page)?)
        .bind(&session.provider_id)
        .bind(&session.upstream_subject)
        .bind(&session.email)
        .bind(i64::from(session.email_verified))
        .bind(session.odoo_user_id)
        .bind(unix_now())
        .bind(session.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live session whose id is `id`, if any.
    pub async fn bridge_session(&self, id: &str) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(
            "SELECT page, provider_id, upstream_subject, email, email_verified, odoo_user_id, expires_at FROM bridge_sessions \
             WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(digest(id))
        .bind(unix_now())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(Session {
            page: serde_json::from_str(r.try_get::<&str, _>("page")?)?,
            provider_id: r.try_get("provider_id")?,
            upstream_subject: r.try_get("upstream_subject")?,
            email: r.try_get("email")?,
            email_verified: r.try_get::<i64, _>("email_verified")? != 0,
            odoo_user_id: r.try_get("odoo_user_id")?,
            expires_at: r.try_get("expires_at")?,
        }))
    }

    /// Ends a session (sign-out); false when there was none.
    pub async fn delete_bridge_session(&self, id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM bridge_sessions WHERE id_hash = $1").bind(digest(id)).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deletes the expired sessions; returns how many went.
    pub async fn purge_bridge_sessions(&self) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM bridge_sessions WHERE expires_at <= $1").bind(unix_now()).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }
}
