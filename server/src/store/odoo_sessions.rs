//! Odoo sessions made through the bridge (the latest sign-in per Odoo user) and the `jti` of
//! accepted back-channel logout tokens: what logout, `max_session_age` and re-validation read.
//! It keeps a refresh token only while its session lives: every way a session ends deletes the row.

use super::{Store, StoreError};
use crate::tokens::unix_now;
use sqlx::{any::AnyRow, Row};

/// The latest sign-in through the bridge of one Odoo user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdooSession {
    pub odoo_id: String,
    pub odoo_user_id: i64,
    pub provider_id: String,
    pub upstream_subject: String,
    /// The provider's session id (`sid` of the ID token), when it sent one.
    pub upstream_sid: Option<String>,
    pub email: Option<String>,
    /// Unix seconds.
    pub login_at: i64,
    /// As stored: sealed when a key is configured (`odoo_sessions::seal`), else the token itself.
    pub refresh_token: Option<String>,
    /// When re-validation is next due (Unix seconds); `None` = never.
    pub revalidate_at: Option<i64>,
}

const COLUMNS: &str = "odoo_id, odoo_user_id, provider_id, upstream_subject, upstream_sid, email, login_at, refresh_token, revalidate_at";

fn session(r: &AnyRow) -> Result<OdooSession, sqlx::Error> {
    Ok(OdooSession {
        odoo_id: r.try_get("odoo_id")?,
        odoo_user_id: r.try_get("odoo_user_id")?,
        provider_id: r.try_get("provider_id")?,
        upstream_subject: r.try_get("upstream_subject")?,
        upstream_sid: r.try_get("upstream_sid")?,
        email: r.try_get("email")?,
        login_at: r.try_get("login_at")?,
        refresh_token: r.try_get("refresh_token")?,
        revalidate_at: r.try_get("revalidate_at")?,
    })
}

impl Store {
    /// Remembers a sign-in; it replaces the user's previous one (whose Odoo session it ends).
    pub async fn save_session(&self, s: &OdooSession) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO odoo_sessions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (odoo_id, odoo_user_id) DO UPDATE SET provider_id = excluded.provider_id, \
             upstream_subject = excluded.upstream_subject, upstream_sid = excluded.upstream_sid, email = excluded.email, \
             login_at = excluded.login_at, refresh_token = excluded.refresh_token, revalidate_at = excluded.revalidate_at"
        ))
        .bind(&s.odoo_id)
        .bind(s.odoo_user_id)
        .bind(&s.provider_id)
        .bind(&s.upstream_subject)
        .bind(&s.upstream_sid)
        .bind(&s.email)
        .bind(s.login_at)
        .bind(&s.refresh_token)
        .bind(s.revalidate_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn session(&self, odoo_id: &str, odoo_user_id: i64) -> Result<Option<OdooSession>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM odoo_sessions WHERE odoo_id = $1 AND odoo_user_id = $2"))
            .bind(odoo_id)
            .bind(odoo_user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(session).transpose()?)
    }

    /// The sessions an upstream identity opened, in every Odoo.
    pub async fn sessions_of_subject(&self, provider_id: &str, upstream_subject: &str) -> Result<Vec<OdooSession>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM odoo_sessions WHERE provider_id = $1 AND upstream_subject = $2"))
            .bind(provider_id)
            .bind(upstream_subject)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(session).collect::<Result<_, _>>()?)
    }

    /// The sessions opened within one upstream session (`sid`), in every Odoo.
    pub async fn sessions_of_sid(&self, provider_id: &str, sid: &str) -> Result<Vec<OdooSession>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM odoo_sessions WHERE provider_id = $1 AND upstream_sid = $2"))
            .bind(provider_id)
            .bind(sid)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(session).collect::<Result<_, _>>()?)
    }

    /// Sessions of one Odoo signed in at or before `login_before` (Unix seconds), oldest first.
    pub async fn sessions_older_than(&self, odoo_id: &str, login_before: i64) -> Result<Vec<OdooSession>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM odoo_sessions WHERE odoo_id = $1 AND login_at <= $2 ORDER BY login_at"))
            .bind(odoo_id)
            .bind(login_before)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(session).collect::<Result<_, _>>()?)
    }

    /// Sessions with a refresh token whose re-validation is due at `now` (Unix seconds).
    pub async fn sessions_due_revalidation(&self, now: i64) -> Result<Vec<OdooSession>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM odoo_sessions WHERE refresh_token IS NOT NULL AND revalidate_at IS NOT NULL AND revalidate_at <= $1 \
             ORDER BY revalidate_at"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(session).collect::<Result<_, _>>()?)
    }

    /// Takes a due re-validation for this bridge until `lease_until`: `false` when another bridge
    /// on the same store took it first (two bridges must never spend one rotating refresh token:
    /// the second would get `invalid_grant` and end a valid session).
    pub async fn claim_revalidation(&self, odoo_id: &str, odoo_user_id: i64, due_at: i64, lease_until: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE odoo_sessions SET revalidate_at = $1 WHERE odoo_id = $2 AND odoo_user_id = $3 AND revalidate_at = $4")
            .bind(lease_until)
            .bind(odoo_id)
            .bind(odoo_user_id)
            .bind(due_at)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// After a successful re-validation: the next due time and the (possibly rotated) token.
    /// Only the sign-in that was re-validated is touched (`login_at`): a newer one keeps its own.
    pub async fn session_revalidated(&self, odoo_id: &str, odoo_user_id: i64, login_at: i64, refresh_token: &str, next_at: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE odoo_sessions SET refresh_token = $1, revalidate_at = $2 WHERE odoo_id = $3 AND odoo_user_id = $4 AND login_at = $5")
            .bind(refresh_token)
            .bind(next_at)
            .bind(odoo_id)
            .bind(odoo_user_id)
            .bind(login_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets a user's session (and its refresh token): it has ended.
    pub async fn delete_session(&self, odoo_id: &str, odoo_user_id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM odoo_sessions WHERE odoo_id = $1 AND odoo_user_id = $2")
            .bind(odoo_id)
            .bind(odoo_user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records a logout token's `jti` until `expires_at`; `false` when it was seen before (a
    /// replay), also when two bridges receive it at the same moment (the primary key decides).
    pub async fn remember_logout_jti(&self, provider_id: &str, jti: &str, expires_at: i64) -> Result<bool, StoreError> {
        let now = unix_now();
        // An expired row of the same jti may still be there (purged each minute): it no longer counts.
        sqlx::query("DELETE FROM logout_token_ids WHERE provider_id = $1 AND jti = $2 AND expires_at <= $3")
            .bind(provider_id)
            .bind(jti)
            .bind(now)
            .execute(&self.pool)
            .await?;
        let done = sqlx::query("INSERT INTO logout_token_ids (provider_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (provider_id, jti) DO NOTHING")
            .bind(provider_id)
            .bind(jti)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes the `jti`s no token could be replayed with any more; returns how many went.
    pub async fn purge_logout_jtis(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM logout_token_ids WHERE expires_at <= $1").bind(now).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }
}

impl Store {
    /// Forgets a `jti` whose logout could not be carried out, so the provider's retry is accepted.
    pub async fn forget_logout_jti(&self, provider_id: &str, jti: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM logout_token_ids WHERE provider_id = $1 AND jti = $2").bind(provider_id).bind(jti).execute(&self.pool).await?;
        Ok(())
    }

    /// Stops re-validating a session (its provider no longer has `revalidate_every`, or its
    /// stored token cannot be read): the refresh token is deleted.
    pub async fn drop_refresh_token(&self, odoo_id: &str, odoo_user_id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE odoo_sessions SET refresh_token = NULL, revalidate_at = NULL WHERE odoo_id = $1 AND odoo_user_id = $2")
            .bind(odoo_id)
            .bind(odoo_user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
