//! Admin commands (`login-bridge users …`): links as a list, explicit links, blocks, voided tokens.
//! It must never touch a link or a block but the one the command names.

use super::{IdentityLink, Store, StoreError};
use crate::tokens::unix_now;
use sqlx::{any::AnyRow, Row};

/// A link as `users list` shows it: the link, when it was made and when it last signed someone
/// in (0 = never: an explicit link nobody has used yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecord {
    pub link: IdentityLink,
    pub created_at: i64,
    pub last_login_at: i64,
}

/// An Odoo user an admin blocked from signing in through the bridge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedUser {
    pub odoo_id: String,
    pub odoo_user_id: i64,
    /// The Odoo login when blocked, for people reading `users list`.
    pub login: String,
    pub reason: Option<String>,
    pub created_at: i64,
}

/// A row of identity_links; a column of an unexpected type is an error, not a panic.
pub(super) fn identity_link(r: &AnyRow) -> Result<IdentityLink, sqlx::Error> {
    Ok(IdentityLink {
        provider_id: r.try_get("provider_id")?,
        upstream_subject: r.try_get("upstream_subject")?,
        odoo_id: r.try_get("odoo_id")?,
        odoo_user_id: r.try_get("odoo_user_id")?,
        bridge_subject: r.try_get("bridge_subject")?,
        email: r.try_get("email")?,
    })
}

fn link_record(r: &AnyRow) -> Result<LinkRecord, sqlx::Error> {
    Ok(LinkRecord { link: identity_link(r)?, created_at: r.try_get("created_at")?, last_login_at: r.try_get("last_login_at")? })
}

const LINK_COLUMNS: &str = "provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email, created_at, last_login_at";

impl Store {
    /// Every link of one Odoo (or of all when `odoo_id` is `None`), by user then provider.
    pub async fn links(&self, odoo_id: Option<&str>) -> Result<Vec<LinkRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {LINK_COLUMNS} FROM identity_links WHERE $1 IS NULL OR odoo_id = $1 \
             ORDER BY odoo_id, odoo_user_id, provider_id, upstream_subject"
        ))
        .bind(odoo_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(link_record).collect::<Result<_, _>>()?)
    }

    /// An admin's link: like `save_link`, but not a login (last_login_at stays as it was, 0 when new).
    pub async fn save_explicit_link(&self, link: &IdentityLink) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO identity_links (provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email, created_at, last_login_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0) \
             ON CONFLICT (provider_id, upstream_subject, odoo_id) DO UPDATE SET \
             odoo_user_id = excluded.odoo_user_id, bridge_subject = excluded.bridge_subject, \
             email = COALESCE(excluded.email, identity_links.email)",
        )
        .bind(&link.provider_id)
        .bind(&link.upstream_subject)
        .bind(&link.odoo_id)
        .bind(link.odoo_user_id)
        .bind(&link.bridge_subject)
        .bind(&link.email)
        .bind(unix_now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes one link; false when there was none.
    pub async fn delete_link(&self, provider_id: &str, upstream_subject: &str, odoo_id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM identity_links WHERE provider_id = $1 AND upstream_subject = $2 AND odoo_id = $3")
            .bind(provider_id)
            .bind(upstream_subject)
            .bind(odoo_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Removes every link to one Odoo user and returns them.
    pub async fn delete_links_of_user(&self, odoo_id: &str, odoo_user_id: i64) -> Result<Vec<LinkRecord>, StoreError> {
        let rows = sqlx::query(&format!("DELETE FROM identity_links WHERE odoo_id = $1 AND odoo_user_id = $2 RETURNING {LINK_COLUMNS}"))
            .bind(odoo_id)
            .bind(odoo_user_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(link_record).collect::<Result<_, _>>()?)
    }

    /// Blocks a user (or updates the reason of a block); true when they were not blocked before.
    pub async fn block_user(&self, blocked: &BlockedUser) -> Result<bool, StoreError> {
        let was_blocked = self.is_blocked(&blocked.odoo_id, blocked.odoo_user_id).await?;
        sqlx::query(
            "INSERT INTO blocked_users (odoo_id, odoo_user_id, login, reason, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (odoo_id, odoo_user_id) DO UPDATE SET login = excluded.login, reason = excluded.reason",
        )
        .bind(&blocked.odoo_id)
        .bind(blocked.odoo_user_id)
        .bind(&blocked.login)
        .bind(&blocked.reason)
        .bind(blocked.created_at)
        .execute(&self.pool)
        .await?;
        Ok(!was_blocked)
    }

    /// Lifts a block; false when the user was not blocked.
    pub async fn unblock_user(&self, odoo_id: &str, odoo_user_id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM blocked_users WHERE odoo_id = $1 AND odoo_user_id = $2")
            .bind(odoo_id)
            .bind(odoo_user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn is_blocked(&self, odoo_id: &str, odoo_user_id: i64) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM blocked_users WHERE odoo_id = $1 AND odoo_user_id = $2")
            .bind(odoo_id)
            .bind(odoo_user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// The blocked users of one Odoo (or of all when `odoo_id` is `None`).
    pub async fn blocked_users(&self, odoo_id: Option<&str>) -> Result<Vec<BlockedUser>, StoreError> {
        let rows = sqlx::query(
            "SELECT odoo_id, odoo_user_id, login, reason, created_at FROM blocked_users \
             WHERE $1 IS NULL OR odoo_id = $1 ORDER BY odoo_id, odoo_user_id",
        )
        .bind(odoo_id)
        .fetch_all(&self.pool)
        .await?;
        let blocked = rows.iter().map(|r| {
            Ok::<_, sqlx::Error>(BlockedUser {
                odoo_id: r.try_get("odoo_id")?,
                odoo_user_id: r.try_get("odoo_user_id")?,
                login: r.try_get("login")?,
                reason: r.try_get("reason")?,
                created_at: r.try_get("created_at")?,
            })
        });
        Ok(blocked.collect::<Result<_, _>>()?)
    }

    /// Spends every unredeemed token naming `subject` at this Odoo, so a token minted just before
    /// a revoke or block cannot open a new session. Returns how many there were.
    pub async fn void_tokens(&self, odoo_id: &str, subject: &str) -> Result<u64, StoreError> {
        let done = sqlx::query("UPDATE issued_tokens SET used_at = $1 WHERE odoo_id = $2 AND subject = $3 AND used_at IS NULL")
            .bind(unix_now())
            .bind(odoo_id)
            .bind(subject)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
