//! A look at a store without changing it: which migrations it holds compared with the ones this
//! binary carries, and whether this process may write to it. Used by `login-bridge doctor`.
//! It must never migrate, and never leave a row behind (its probe write is rolled back), so a
//! bridge running on the same store is not disturbed.

use super::{connect, StoreError, MIGRATOR};
use crate::config::{StoreBackend, StoreConfig};
use sqlx::{migrate::Migrate, AnyPool};

/// A store opened for inspection only.
pub struct Inspection {
    pool: AnyPool,
    backend: StoreBackend,
}

/// How the store's migrations compare with the binary's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Versions the binary carries and the store does not have yet (an older bridge made it).
    pub pending: Vec<i64>,
    /// Versions the store has and this binary does not know (a newer bridge made it).
    pub unknown: Vec<i64>,
    /// Versions whose file changed after the store applied them.
    pub changed: Vec<i64>,
    /// A migration that failed half-way (PostgreSQL/SQLite record it as not successful).
    pub dirty: Option<i64>,
    /// How many the store has applied.
    pub applied: usize,
    /// How many the binary carries.
    pub embedded: usize,
}

impl Inspection {
    /// Connects like `Store::open` (the SQLite file and its folder are created when missing,
    /// as `serve` would) but migrates nothing.
    pub async fn open(config: &StoreConfig) -> Result<Self, StoreError> {
        let pool = connect::connect(&config.backend).await?;
        Ok(Self { pool, backend: config.backend.clone() })
    }

    /// Whether sqlx's bookkeeping table exists: a store no bridge has opened yet has none.
    async fn has_migrations_table(&self) -> Result<bool, StoreError> {
        let sql = match self.backend {
            StoreBackend::Sqlite { .. } => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
            StoreBackend::Postgres { .. } => "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = '_sqlx_migrations' AND schemaname = ANY(current_schemas(false))",
        };
        let count: i64 = sqlx::query_scalar(sql).fetch_one(&self.pool).await?;
        Ok(count > 0)
    }

    /// Compares the applied migrations with the embedded ones, by version and checksum.
    pub async fn migrations(&self) -> Result<MigrationStatus, StoreError> {
        let embedded: Vec<_> = MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration()).collect();
        let mut status = MigrationStatus { embedded: embedded.len(), ..MigrationStatus::default() };
        if !self.has_migrations_table().await? {
            status.pending = embedded.iter().map(|m| m.version).collect();
            return Ok(status);
        }
        let mut conn = self.pool.acquire().await?;
        status.dirty = conn.dirty_version().await?;
        let applied = conn.list_applied_migrations().await?;
        status.applied = applied.len();
        for migration in &embedded {
            match applied.iter().find(|a| a.version == migration.version) {
                None => status.pending.push(migration.version),
                Some(a) if a.checksum != migration.checksum => status.changed.push(migration.version),
                Some(_) => {}
            }
        }
        status.unknown = applied.iter().filter(|a| !embedded.iter().any(|m| m.version == a.version)).map(|a| a.version).collect();
        Ok(status)
    }

    /// Writes and deletes a probe row in a transaction that is rolled back: proves the
    /// database accepts writes from this user (read-only file, missing grants) without a trace.
    /// `schema_ready`: the bridge's tables exist; otherwise a scratch table is created instead.
    pub async fn probe_write(&self, schema_ready: bool) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        if schema_ready {
            sqlx::query(
                "INSERT INTO identity_links (provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email, created_at, last_login_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL, 0, 0)",
            )
            .bind("login-bridge-doctor")
            .bind("probe")
            .bind("login-bridge-doctor")
            .bind(0_i64)
            .bind("login-bridge-doctor-probe")
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM identity_links WHERE provider_id = $1 AND odoo_id = $2")
                .bind("login-bridge-doctor")
                .bind("login-bridge-doctor")
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("CREATE TABLE login_bridge_doctor_probe (id INTEGER)").execute(&mut *tx).await?;
        }
        tx.rollback().await?;
        Ok(())
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}
