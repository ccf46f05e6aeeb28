//! Durable state: pending requests and flows, issued tokens, identity links, in a SQLite file or
//! in PostgreSQL (which several bridges may share). One set of queries and migrations serves both.
//! It stores secrets only as hashes, except the PKCE verifier a flow needs to finish.

mod admin;
mod audit;
mod caps;
mod connect;
pub mod inspect;
mod odoo_sessions;
mod sessions;

pub use admin::{BlockedUser, LinkRecord};
pub use audit::{unix_now_ms, AuditCount, AuditEntry, AuditKind, AuditOutcome, AuditQuery};
pub use caps::Bounded;
pub use odoo_sessions::OdooSession;

use crate::{
    config::{StoreCaps, StoreConfig},
    flow::{LoginTarget, PendingFlow},
    tokens::{digest, unix_now},
};
use sqlx::{AnyPool, Row};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the store folder {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    /// `store` and `reason` never hold the password (see `StoreBackend::describe`).
    #[error("cannot open the store ({store}): {reason}")]
    Open { store: String, reason: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored row is corrupt: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("the {} table holds its cap of {cap} rows ([store] {}); the oldest expires in {retry_after} s", .table.table(), .table.cap_key())]
    Full { table: Bounded, cap: u32, retry_after: u64 },
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

/// The schema migrations this binary carries (`server/migrations`), applied by `Store::open`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    caps: StoreCaps,
}

impl Store {
    /// Connects and brings the schema up to date. Several bridges may start at once on one
    /// PostgreSQL: sqlx takes an advisory lock around the migrations.
    pub async fn open(config: &StoreConfig) -> Result<Self, StoreError> {
        let pool = connect::connect(&config.backend).await?;
        MIGRATOR.run(&pool).await?;
        tracing::info!(store = %config.backend.describe(), "store open");
        Ok(Self { pool, caps: config.caps })
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Remembers an Odoo-initiated request until the person picks a provider.
    pub async fn put_odoo_request(&self, id: &str, target: &LoginTarget, ttl: i64) -> Result<(), StoreError> {
        let data = serde_json::to_string(target)?;
        let mut tx = self.begin_capped(Bounded::OdooRequests).await?;
        sqlx::query("INSERT INTO odoo_requests (id_hash, data, expires_at) VALUES ($1, $2, $3)")
            .bind(digest(id))
            .bind(data)
            .bind(unix_now() + ttl)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads (without consuming: the page may be reloaded) a pending Odoo request.
    pub async fn odoo_request(&self, id: &str) -> Result<Option<LoginTarget>, StoreError> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM odoo_requests WHERE id_hash = $1 AND expires_at > $2")
            .bind(digest(id))
            .bind(unix_now())
            .fetch_optional(&self.pool)
            .await?;
        data.map(|d| serde_json::from_str(&d)).transpose().map_err(Into::into)
    }

    pub async fn put_flow(&self, state: &str, flow: &PendingFlow, ttl: i64) -> Result<(), StoreError> {
        let data = serde_json::to_string(flow)?;
        let mut tx = self.begin_capped(Bounded::PendingFlows).await?;
        sqlx::query("INSERT INTO pending_flows (state_hash, provider_id, data, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(digest(state))
            .bind(&flow.provider_id)
            .bind(data)
            .bind(unix_now() + ttl)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes and returns a flow: a `state` can finish at most one login, on whichever bridge
    /// the callback reaches (the DELETE is atomic; a second one finds nothing).
    pub async fn take_flow(&self, state: &str) -> Result<Option<PendingFlow>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query("DELETE FROM pending_flows WHERE state_hash = $1 RETURNING data, expires_at")
            .bind(digest(state))
            .fetch_optional(&mut *tx)
            .await?;
        caps::release(&mut tx, Bounded::PendingFlows, u64::from(row.is_some())).await?;
        tx.commit().await?;
        match row {
            Some(r) if r.try_get::<i64, _>("expires_at")? > unix_now() => Ok(Some(serde_json::from_str(r.try_get::<&str, _>("data")?)?)),
            _ => Ok(None),
        }
    }

    pub async fn put_token(&self, token: &str, issued: &IssuedToken) -> Result<(), StoreError> {
        let mut tx = self.begin_capped(Bounded::IssuedTokens).await?;
        sqlx::query(
            "INSERT INTO issued_tokens (token_hash, odoo_id, subject, email, name, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(digest(token))
        .bind(&issued.odoo_id)
        .bind(&issued.subject)
        .bind(&issued.email)
        .bind(&issued.name)
        .bind(issued.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The Odoo a live, unused token belongs to, without using it up (tokeninfo checks the
    /// caller against that Odoo's allow-list before redeeming).
    pub async fn token_odoo(&self, token: &str) -> Result<Option<String>, StoreError> {
        let odoo_id = sqlx::query_scalar("SELECT odoo_id FROM issued_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
            .bind(digest(token))
            .bind(unix_now())
            .fetch_optional(&self.pool)
            .await?;
        Ok(odoo_id)
    }

    /// Marks a token used and returns it, atomically: a second redemption finds nothing, also
    /// from another bridge at the same moment (PostgreSQL re-checks `used_at IS NULL` on the row
    /// once the first UPDATE commits).
    pub async fn redeem_token(&self, token: &str) -> Result<Option<IssuedToken>, StoreError> {
        self.redeem(token, None).await
    }

    /// Like `redeem_token`, but only a token of one of `odoo_ids`: a token of any other Odoo is
    /// left usable. One statement, so an allow-listed tokeninfo call costs no extra lookup.
    pub async fn redeem_token_of(&self, token: &str, odoo_ids: &[&str]) -> Result<Option<IssuedToken>, StoreError> {
        self.redeem(token, Some(odoo_ids)).await
    }

    async fn redeem(&self, token: &str, odoo_ids: Option<&[&str]>) -> Result<Option<IssuedToken>, StoreError> {
        let mut sql = String::from("UPDATE issued_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1");
        if let Some(ids) = odoo_ids {
            // `IN ($3, $4, …)`: the Any driver binds no arrays. An empty list matches nothing.
            let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
            let list = if placeholders.is_empty() { "NULL".to_string() } else { placeholders.join(", ") };
            sql.push_str(&format!(" AND odoo_id IN ({list})"));
        }
        sql.push_str(" RETURNING odoo_id, subject, email, name, expires_at");
        let mut query = sqlx::query(&sql).bind(unix_now()).bind(digest(token));
        for id in odoo_ids.unwrap_or_default() {
            query = query.bind(*id);
        }
        let Some(r) = query.fetch_optional(&self.pool).await? else { return Ok(None) };
        Ok(Some(IssuedToken {
            odoo_id: r.try_get("odoo_id")?,
            subject: r.try_get("subject")?,
            email: r.try_get("email")?,
            name: r.try_get("name")?,
            expires_at: r.try_get("expires_at")?,
        }))
    }

    pub async fn find_link(&self, provider_id: &str, upstream_subject: &str, odoo_id: &str) -> Result<Option<IdentityLink>, StoreError> {
        let row = sqlx::query(
            "SELECT provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email FROM identity_links \
             WHERE provider_id = $1 AND upstream_subject = $2 AND odoo_id = $3",
        )
        .bind(provider_id)
        .bind(upstream_subject)
        .bind(odoo_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(admin::identity_link).transpose()?)
    }

    /// Creates or refreshes a link (the Odoo user may have changed after an admin re-link).
    pub async fn save_link(&self, link: &IdentityLink) -> Result<(), StoreError> {
        let now = unix_now();
        sqlx::query(
            "INSERT INTO identity_links (provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email, created_at, last_login_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
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

    /// Deletes every expired request, flow, token and bridge session and counts each capped table again; returns how
    /// many rows went.
    pub async fn purge_expired(&self) -> Result<u64, StoreError> {
        let now = unix_now();
        let mut removed = 0;
        for table in Bounded::ALL {
            removed += self.purge_table(table, now).await?;
        }
        removed += self.purge_bridge_sessions().await?;
        Ok(removed)
    }
}
