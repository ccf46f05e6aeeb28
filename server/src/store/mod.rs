//! Durable state: pending requests and flows, issued tokens, identity links (SQLite via sqlx).
//! It stores secrets only as hashes, except the PKCE verifier a flow needs to finish.

use crate::{
    config::StoreConfig,
    flow::{LoginTarget, PendingFlow},
    tokens::{digest, unix_now},
};
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Row, SqlitePool,
};
use std::{str::FromStr, time::Duration};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the store folder {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored row is corrupt: {0}")]
    Corrupt(#[from] serde_json::Error),
}

/// A token as the bridge remembers it: who it names and for which Odoo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub odoo_id: String,
    pub subject: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub expires_at: i64,
}

/// An upstream identity linked to an Odoo user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityLink {
    pub provider_id: String,
    pub upstream_subject: String,
    pub odoo_id: String,
    pub odoo_user_id: i64,
    pub bridge_subject: String,
    pub email: Option<String>,
}

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    pub async fn open(config: &StoreConfig) -> Result<Self, StoreError> {
        let StoreConfig::Sqlite { path } = config;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| StoreError::CreateDir { path: parent.display().to_string(), source })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            // WAL + NORMAL: a crash loses at most the last transaction, never corrupts.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Remembers an Odoo-initiated request until the person picks a provider.
    pub async fn put_odoo_request(&self, id: &str, target: &LoginTarget, ttl: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO odoo_requests (id_hash, data, expires_at) VALUES (?, ?, ?)")
            .bind(digest(id))
            .bind(serde_json::to_string(target)?)
            .bind(unix_now() + ttl)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Reads (without consuming: the page may be reloaded) a pending Odoo request.
    pub async fn odoo_request(&self, id: &str) -> Result<Option<LoginTarget>, StoreError> {
        let row = sqlx::query("SELECT data FROM odoo_requests WHERE id_hash = ? AND expires_at > ?")
            .bind(digest(id))
            .bind(unix_now())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| serde_json::from_str(r.get::<&str, _>("data"))).transpose().map_err(Into::into)
    }

    pub async fn put_flow(&self, state: &str, flow: &PendingFlow, ttl: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO pending_flows (state_hash, provider_id, data, expires_at) VALUES (?, ?, ?, ?)")
            .bind(digest(state))
            .bind(&flow.provider_id)
            .bind(serde_json::to_string(flow)?)
            .bind(unix_now() + ttl)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes and returns a flow: a `state` can finish at most one login.
    pub async fn take_flow(&self, state: &str) -> Result<Option<PendingFlow>, StoreError> {
        let row = sqlx::query("DELETE FROM pending_flows WHERE state_hash = ? RETURNING data, expires_at")
            .bind(digest(state))
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) if r.get::<i64, _>("expires_at") > unix_now() => {
                Ok(Some(serde_json::from_str(r.get::<&str, _>("data"))?))
            }
            _ => Ok(None),
        }
    }

    pub async fn put_token(&self, token: &str, issued: &IssuedToken) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO issued_tokens (token_hash, odoo_id, subject, email, name, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(digest(token))
        .bind(&issued.odoo_id)
        .bind(&issued.subject)
        .bind(&issued.email)
        .bind(&issued.name)
        .bind(issued.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The Odoo a live, unused token belongs to, without using it up (tokeninfo checks the
    /// caller against that Odoo's allow-list before redeeming).
    pub async fn token_odoo(&self, token: &str) -> Result<Option<String>, StoreError> {
        let odoo_id = sqlx::query_scalar("SELECT odoo_id FROM issued_tokens WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2")
            .bind(digest(token))
            .bind(unix_now())
            .fetch_optional(&self.pool)
            .await?;
        Ok(odoo_id)
    }

    /// Marks a token used and returns it, atomically: a second redemption finds nothing.
    pub async fn redeem_token(&self, token: &str) -> Result<Option<IssuedToken>, StoreError> {
        let row = sqlx::query(
            "UPDATE issued_tokens SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1 \
             RETURNING odoo_id, subject, email, name, expires_at",
        )
        .bind(unix_now())
        .bind(digest(token))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| IssuedToken {
            odoo_id: r.get("odoo_id"),
            subject: r.get("subject"),
            email: r.get("email"),
            name: r.get("name"),
            expires_at: r.get("expires_at"),
        }))
    }

    pub async fn find_link(&self, provider_id: &str, upstream_subject: &str, odoo_id: &str) -> Result<Option<IdentityLink>, StoreError> {
        let row = sqlx::query(
            "SELECT provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email FROM identity_links \
             WHERE provider_id = ? AND upstream_subject = ? AND odoo_id = ?",
        )
        .bind(provider_id)
        .bind(upstream_subject)
        .bind(odoo_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(identity_link))
    }

    /// Creates or refreshes a link (the Odoo user may have changed after an admin re-link).
    pub async fn save_link(&self, link: &IdentityLink) -> Result<(), StoreError> {
        let now = unix_now();
        sqlx::query(
            "INSERT INTO identity_links (provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email, created_at, last_login_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) \
             ON CONFLICT (provider_id, upstream_subject, odoo_id) DO UPDATE SET \
             odoo_user_id = excluded.odoo_user_id, bridge_subject = excluded.bridge_subject, \
             email = excluded.email, last_login_at = excluded.last_login_at",
        )
        .bind(&link.provider_id)
        .bind(&link.upstream_subject)
        .bind(&link.odoo_id)
        .bind(link.odoo_user_id)
        .bind(&link.bridge_subject)
        .bind(&link.email)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deletes every expired request, flow and token; returns how many rows went.
    pub async fn purge_expired(&self) -> Result<u64, StoreError> {
        let now = unix_now();
        let mut removed = 0;
        for table in ["odoo_requests", "pending_flows", "issued_tokens"] {
            removed += sqlx::query(&format!("DELETE FROM {table} WHERE expires_at <= ?"))
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected();
        }
        Ok(removed)
    }
}

// ---- Admin commands (`login-bridge users …`): links as a list, explicit links, blocks ----------

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

fn identity_link(r: &sqlx::sqlite::SqliteRow) -> IdentityLink {
    IdentityLink {
        provider_id: r.get("provider_id"),
        upstream_subject: r.get("upstream_subject"),
        odoo_id: r.get("odoo_id"),
        odoo_user_id: r.get("odoo_user_id"),
        bridge_subject: r.get("bridge_subject"),
        email: r.get("email"),
    }
}

fn link_record(r: &sqlx::sqlite::SqliteRow) -> LinkRecord {
    LinkRecord {
        link: identity_link(r),
        created_at: r.get("created_at"),
        last_login_at: r.get("last_login_at"),
    }
}

const LINK_COLUMNS: &str = "provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email, created_at, last_login_at";

impl Store {
    /// Every link of one Odoo (or of all when `odoo_id` is `None`), by user then provider.
    pub async fn links(&self, odoo_id: Option<&str>) -> Result<Vec<LinkRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {LINK_COLUMNS} FROM identity_links WHERE ?1 IS NULL OR odoo_id = ?1 \
             ORDER BY odoo_id, odoo_user_id, provider_id, upstream_subject"
        ))
        .bind(odoo_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(link_record).collect())
    }

    /// An admin's link: like `save_link`, but not a login (last_login_at stays as it was, 0 when new).
    pub async fn save_explicit_link(&self, link: &IdentityLink) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO identity_links (provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email, created_at, last_login_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0) \
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
        let done = sqlx::query("DELETE FROM identity_links WHERE provider_id = ? AND upstream_subject = ? AND odoo_id = ?")
            .bind(provider_id)
            .bind(upstream_subject)
            .bind(odoo_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Removes every link to one Odoo user and returns them.
    pub async fn delete_links_of_user(&self, odoo_id: &str, odoo_user_id: i64) -> Result<Vec<LinkRecord>, StoreError> {
        let rows = sqlx::query(&format!("DELETE FROM identity_links WHERE odoo_id = ? AND odoo_user_id = ? RETURNING {LINK_COLUMNS}"))
            .bind(odoo_id)
            .bind(odoo_user_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(link_record).collect())
    }

    /// Blocks a user (or updates the reason of a block); true when they were not blocked before.
    pub async fn block_user(&self, blocked: &BlockedUser) -> Result<bool, StoreError> {
        let was_blocked = self.is_blocked(&blocked.odoo_id, blocked.odoo_user_id).await?;
        sqlx::query(
            "INSERT INTO blocked_users (odoo_id, odoo_user_id, login, reason, created_at) VALUES (?, ?, ?, ?, ?) \
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
        let done = sqlx::query("DELETE FROM blocked_users WHERE odoo_id = ? AND odoo_user_id = ?")
            .bind(odoo_id)
            .bind(odoo_user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn is_blocked(&self, odoo_id: &str, odoo_user_id: i64) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM blocked_users WHERE odoo_id = ? AND odoo_user_id = ?")
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
             WHERE ?1 IS NULL OR odoo_id = ?1 ORDER BY odoo_id, odoo_user_id",
        )
        .bind(odoo_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| BlockedUser {
                odoo_id: r.get("odoo_id"),
                odoo_user_id: r.get("odoo_user_id"),
                login: r.get("login"),
                reason: r.get("reason"),
                created_at: r.get("created_at"),
            })
            .collect())
    }

    /// Spends every unredeemed token naming `subject` at this Odoo, so a token minted just before
    /// a revoke or block cannot open a new session. Returns how many there were.
    pub async fn void_tokens(&self, odoo_id: &str, subject: &str) -> Result<u64, StoreError> {
        let done = sqlx::query("UPDATE issued_tokens SET used_at = ? WHERE odoo_id = ? AND subject = ? AND used_at IS NULL")
            .bind(unix_now())
            .bind(odoo_id)
            .bind(subject)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
