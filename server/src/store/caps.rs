//! Caps on the short-lived tables. Each holds at most its `[store] max_…` rows, counted in
//! `row_counts` by the same transaction that adds or deletes a row: checking a cap is one UPDATE
//! of one row whatever the table's size, and on PostgreSQL that row's lock orders the inserts of
//! every bridge sharing the database, so the count is exact there too.
//! It must never let a table go over its cap, and never refuse while expired rows could make room.

use super::{Store, StoreError};
use crate::{config::StoreCaps, tokens::unix_now};
use sqlx::{Any, Transaction};

/// The tables with a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bounded {
    /// Odoo-initiated requests waiting on the provider page.
    OdooRequests,
    /// Logins gone to the provider.
    PendingFlows,
    /// Tokens handed to Odoo (used or not, until they expire).
    IssuedTokens,
}

/// How many expired rows a request that finds its table full deletes to make room: enough for
/// the requests behind it, few enough to stay within a login's time budget.
const RECLAIM_BATCH: u32 = 100;

impl Bounded {
    pub const ALL: [Bounded; 3] = [Self::OdooRequests, Self::PendingFlows, Self::IssuedTokens];

    pub fn table(self) -> &'static str {
        match self {
            Self::OdooRequests => "odoo_requests",
            Self::PendingFlows => "pending_flows",
            Self::IssuedTokens => "issued_tokens",
        }
    }

    /// The `[store]` key of this table's cap.
    pub fn cap_key(self) -> &'static str {
        match self {
            Self::OdooRequests => "max_pending_requests",
            Self::PendingFlows => "max_pending_flows",
            Self::IssuedTokens => "max_live_tokens",
        }
    }

    fn key_column(self) -> &'static str {
        match self {
            Self::OdooRequests => "id_hash",
            Self::PendingFlows => "state_hash",
            Self::IssuedTokens => "token_hash",
        }
    }

    /// The configured cap; 0 (no cap) still counts, so turning a cap on later is exact at once.
    pub fn cap(self, caps: &StoreCaps) -> u32 {
        match self {
            Self::OdooRequests => caps.pending_requests,
            Self::PendingFlows => caps.pending_flows,
            Self::IssuedTokens => caps.live_tokens,
        }
    }
}

impl Store {
    /// A transaction holding one place in `table`: insert the row and commit, or drop it and the
    /// place is free again. `StoreError::Full` when the table is at its cap and no row has expired.
    pub(super) async fn begin_capped(&self, table: Bounded) -> Result<Transaction<'static, Any>, StoreError> {
        let cap = table.cap(&self.caps);
        let limit = if cap == 0 { i64::MAX } else { i64::from(cap) };
        for attempt in 0..2 {
            let mut tx = self.pool.begin().await?;
            let reserved = sqlx::query("UPDATE row_counts SET row_count = row_count + 1 WHERE counted_table = $1 AND row_count < $2")
                .bind(table.table())
                .bind(limit)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if reserved == 1 {
                return Ok(tx);
            }
            tx.rollback().await?;
            let now = unix_now();
            let oldest: Option<i64> = sqlx::query_scalar(&format!("SELECT MIN(expires_at) FROM {}", table.table())).fetch_one(&self.pool).await?;
            match oldest {
                // Expired rows count until deleted: make room now, not at the next purge.
                Some(expires_at) if expires_at <= now && attempt == 0 => {
                    self.reclaim(table, now).await?;
                }
                // Counted full yet empty: rows were deleted behind the count's back; count again
                // (cheap: the table is empty).
                None if attempt == 0 => self.recount(table).await?,
                _ => {
                    // The oldest row frees its place when it expires.
                    let retry_after = oldest.map_or(1, |expires_at| (expires_at - now).max(1)).unsigned_abs();
                    return Err(StoreError::Full { table, cap, retry_after });
                }
            }
        }
        Err(StoreError::Full { table, cap, retry_after: 1 })
    }

    /// Deletes up to `RECLAIM_BATCH` expired rows, oldest first, and gives their places back.
    async fn reclaim(&self, table: Bounded, now: i64) -> Result<u64, StoreError> {
        let (name, key) = (table.table(), table.key_column());
        let mut tx = self.pool.begin().await?;
        let removed = sqlx::query(&format!(
            "DELETE FROM {name} WHERE {key} IN (SELECT {key} FROM {name} WHERE expires_at <= $1 ORDER BY expires_at LIMIT {RECLAIM_BATCH})"
        ))
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        release(&mut tx, table, removed).await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// Deletes every expired row of `table` and sets its count from the rows themselves.
    /// Rows are deleted before the count is locked, the order every other writer keeps too
    /// (takes: the row, then the count), so two bridges purging at once never deadlock.
    pub(super) async fn purge_table(&self, table: Bounded, now: i64) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let removed = sqlx::query(&format!("DELETE FROM {} WHERE expires_at <= $1", table.table())).bind(now).execute(&mut *tx).await?.rows_affected();
        count_rows(&mut tx, table).await?;
        tx.commit().await?;
        Ok(removed)
    }

    async fn recount(&self, table: Bounded) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        count_rows(&mut tx, table).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The rows `table` holds now (expired ones included until purged), counted: for tests and
    /// operators, not for requests.
    pub async fn row_count(&self, table: Bounded) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", table.table())).fetch_one(&self.pool).await?)
    }

    /// What `row_counts` says `table` holds (what the cap is checked against).
    pub async fn counted_rows(&self, table: Bounded) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT row_count FROM row_counts WHERE counted_table = $1").bind(table.table()).fetch_one(&self.pool).await?)
    }
}

/// Gives back the places of `removed` rows deleted in `tx`.
pub(super) async fn release(tx: &mut Transaction<'static, Any>, table: Bounded, removed: u64) -> Result<(), StoreError> {
    if removed > 0 {
        sqlx::query("UPDATE row_counts SET row_count = row_count - $1 WHERE counted_table = $2")
            .bind(i64::try_from(removed).unwrap_or(i64::MAX))
            .bind(table.table())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Sets the count of `table` from its rows. The count's row is locked first (a no-op UPDATE) and
/// counted in a later statement: on PostgreSQL that statement's snapshot then holds every insert
/// that got its place before, and inserts after wait for this transaction.
async fn count_rows(tx: &mut Transaction<'static, Any>, table: Bounded) -> Result<(), StoreError> {
    sqlx::query("UPDATE row_counts SET row_count = row_count WHERE counted_table = $1").bind(table.table()).execute(&mut **tx).await?;
    sqlx::query(&format!("UPDATE row_counts SET row_count = (SELECT COUNT(*) FROM {}) WHERE counted_table = $1", table.table()))
        .bind(table.table())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
