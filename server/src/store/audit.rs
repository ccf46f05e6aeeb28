//! The audit log: who signed in (or was refused, signed out, revoked) where, when, from which
//! address and why. Rows are only ever added, and deleted by age (`[audit] retention_days`).
//! It must never hold a secret: no token, code, cookie or client secret goes into a row.

use super::{Store, StoreError};
use crate::tokens::random_256;
use serde::{Deserialize, Serialize};
use sqlx::{any::AnyRow, Row};

/// What happened to someone's access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// A sign-in through the bridge, into Odoo or into the bridge's own pages.
    Login,
    /// The provider (back-channel) or the person (`/logout`) ended a session.
    Logout,
    /// An admin (`users revoke`) or the person ("sign out everywhere") ended every session.
    Revoke,
    /// `max_session_age` ended an Odoo session made through the bridge.
    SessionExpired,
    /// The upstream re-validation (refresh token) was refused: the account is gone or disabled.
    Revalidation,
    /// An identity was unlinked from its Odoo user.
    Unlink,
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    Success,
    /// A rule said no (no Odoo account, blocked, domain not allowed, …): the person's side.
    Refused,
    /// Something broke (provider or Odoo unreachable, bad answer, store full): the system's side.
    Failed,
}

impl AuditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Logout => "logout",
            Self::Revoke => "revoke",
            Self::SessionExpired => "session_expired",
            Self::Revalidation => "revalidation",
            Self::Unlink => "unlink",
        }
    }
}

impl AuditOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }
}

/// One row of the audit log. Every field but the first four may be unknown at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Random; rows are never updated, the id only keeps two rows of one millisecond apart.
    pub event_id: String,
    /// Unix time in milliseconds.
    pub at_ms: i64,
    pub kind: AuditKind,
    pub outcome: AuditOutcome,
    pub odoo_id: Option<String>,
    pub provider_id: Option<String>,
    pub upstream_subject: Option<String>,
    pub email: Option<String>,
    pub odoo_user_id: Option<i64>,
    pub odoo_login: Option<String>,
    /// Why, in words an admin reads (the error's message or a stable reason code).
    pub reason: Option<String>,
    /// The client's address as `http::client_ip` resolved it.
    pub ip: Option<String>,
    /// The id on the person's error page and on every log line of the flow.
    pub correlation_id: Option<String>,
    /// From the start of the flow to its end, for logins.
    pub duration_ms: Option<i64>,
}

impl AuditEntry {
    /// A new entry stamped now, with a fresh id and nothing else known yet.
    pub fn now(kind: AuditKind, outcome: AuditOutcome) -> Self {
        Self {
            event_id: random_256(),
            at_ms: unix_now_ms(),
            kind,
            outcome,
            odoo_id: None,
            provider_id: None,
            upstream_subject: None,
            email: None,
            odoo_user_id: None,
            odoo_login: None,
            reason: None,
            ip: None,
            correlation_id: None,
            duration_ms: None,
        }
    }
}

/// Which rows to read, newest first. Every filter left `None` matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only rows at or after this Unix time in milliseconds.
    pub since_ms: Option<i64>,
    /// Only rows before this Unix time in milliseconds.
    pub until_ms: Option<i64>,
    /// One person, exactly: an email or Odoo login (any case), an upstream subject or an Odoo user id.
    pub user: Option<String>,
    /// Free text, any case, found anywhere in email, login, subject, provider, reason or ip.
    pub search: Option<String>,
    pub odoo_id: Option<String>,
    pub provider_id: Option<String>,
    pub kind: Option<AuditKind>,
    pub outcome: Option<AuditOutcome>,
    /// At most this many rows (0 = the default, 1000).
    pub limit: u32,
}

/// How many rows of one provider and outcome fall into one time bucket (the dashboard's chart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCount {
    /// Start of the bucket, Unix milliseconds.
    pub bucket_ms: i64,
    pub provider_id: Option<String>,
    pub outcome: AuditOutcome,
    pub count: i64,
}

pub fn unix_now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

const COLUMNS: &str = "event_id, at_ms, kind, outcome, odoo_id, provider_id, upstream_subject, email, odoo_user_id, \
                       odoo_login, reason, ip, correlation_id, duration_ms";

/// Reads a stored word back into its enum; a word this binary doesn't know is a corrupt row.
fn word<T: serde::de::DeserializeOwned>(text: String) -> Result<T, StoreError> {
    Ok(serde_json::from_value(serde_json::Value::String(text))?)
}

fn entry(r: &AnyRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        event_id: r.try_get("event_id")?,
        at_ms: r.try_get("at_ms")?,
        kind: word(r.try_get("kind")?)?,
        outcome: word(r.try_get("outcome")?)?,
        odoo_id: r.try_get("odoo_id")?,
        provider_id: r.try_get("provider_id")?,
        upstream_subject: r.try_get("upstream_subject")?,
        email: r.try_get("email")?,
        odoo_user_id: r.try_get("odoo_user_id")?,
        odoo_login: r.try_get("odoo_login")?,
        reason: r.try_get("reason")?,
        ip: r.try_get("ip")?,
        correlation_id: r.try_get("correlation_id")?,
        duration_ms: r.try_get("duration_ms")?,
    })
}

impl Store {
    pub async fn record_audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO audit_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(&e.event_id)
        .bind(e.at_ms)
        .bind(e.kind.as_str())
        .bind(e.outcome.as_str())
        .bind(&e.odoo_id)
        .bind(&e.provider_id)
        .bind(&e.upstream_subject)
        .bind(&e.email)
        .bind(e.odoo_user_id)
        .bind(&e.odoo_login)
        .bind(&e.reason)
        .bind(&e.ip)
        .bind(&e.correlation_id)
        .bind(e.duration_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The rows `query` selects, newest first.
    pub async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        // Conditions are added only for the filters given: the Any driver cannot type a NULL
        // parameter on PostgreSQL in `$n IS NULL OR …`, and fewer conditions plan better anyway.
        let mut conditions: Vec<String> = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        if let Some(since) = query.since_ms {
            binds.push(Bind::Int(since));
            conditions.push(format!("at_ms >= ${}", binds.len()));
        }
        if let Some(until) = query.until_ms {
            binds.push(Bind::Int(until));
            conditions.push(format!("at_ms < ${}", binds.len()));
        }
        if let Some(user) = query.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            // Emails and logins compare in any case; the upstream subject is case-sensitive.
            binds.push(Bind::Text(user.to_lowercase()));
            binds.push(Bind::Text(user.to_string()));
            let (lower, exact) = (binds.len() - 1, binds.len());
            let mut condition = format!("(LOWER(email) = ${lower} OR LOWER(odoo_login) = ${lower} OR upstream_subject = ${exact}");
            if let Ok(id) = user.parse::<i64>() {
                binds.push(Bind::Int(id));
                condition.push_str(&format!(" OR odoo_user_id = ${}", binds.len()));
            }
            conditions.push(condition + ")");
        }
        if let Some(text) = query.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pattern = format!("%{}%", text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            binds.push(Bind::Text(pattern));
            let n = binds.len();
            conditions.push(format!(
                "(LOWER(COALESCE(email, '')) LIKE ${n} ESCAPE '\\' OR LOWER(COALESCE(odoo_login, '')) LIKE ${n} ESCAPE '\\' \
                 OR LOWER(COALESCE(upstream_subject, '')) LIKE ${n} ESCAPE '\\' OR LOWER(COALESCE(provider_id, '')) LIKE ${n} ESCAPE '\\' \
                 OR LOWER(COALESCE(reason, '')) LIKE ${n} ESCAPE '\\' OR LOWER(COALESCE(ip, '')) LIKE ${n} ESCAPE '\\')"
            ));
        }
        let mut text_filter = |column: &str, value: Option<&str>| {
            if let Some(v) = value {
                binds.push(Bind::Text(v.to_string()));
                conditions.push(format!("{column} = ${}", binds.len()));
            }
        };
        text_filter("odoo_id", query.odoo_id.as_deref());
        text_filter("provider_id", query.provider_id.as_deref());
        text_filter("kind", query.kind.map(AuditKind::as_str));
        text_filter("outcome", query.outcome.map(AuditOutcome::as_str));
        let filter = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
        let limit = if query.limit == 0 { 1000 } else { query.limit };
        let sql = format!("SELECT {COLUMNS} FROM audit_log{filter} ORDER BY at_ms DESC, event_id LIMIT {limit}");
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = match b {
                Bind::Int(i) => q.bind(i),
                Bind::Text(t) => q.bind(t),
            };
        }
        q.fetch_all(&self.pool).await?.iter().map(entry).collect()
    }

    /// Counts per time bucket, provider and outcome of one kind of row since `since_ms`.
    pub async fn audit_counts(&self, kind: AuditKind, since_ms: i64, bucket_ms: i64) -> Result<Vec<AuditCount>, StoreError> {
        let bucket_ms = bucket_ms.max(1);
        let rows = sqlx::query(
            "SELECT (at_ms / $1) * $1 AS bucket_ms, provider_id, outcome, COUNT(*) AS n FROM audit_log \
             WHERE kind = $2 AND at_ms >= $3 GROUP BY (at_ms / $1) * $1, provider_id, outcome ORDER BY 1, 2, 3",
        )
        .bind(bucket_ms)
        .bind(kind.as_str())
        .bind(since_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditCount {
                    bucket_ms: r.try_get("bucket_ms")?,
                    provider_id: r.try_get("provider_id")?,
                    outcome: word(r.try_get("outcome")?)?,
                    count: r.try_get("n")?,
                })
            })
            .collect()
    }

    /// Deletes the rows older than `before_ms`; returns how many went.
    pub async fn purge_audit(&self, before_ms: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM audit_log WHERE at_ms < $1").bind(before_ms).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }
}

enum Bind {
    Int(i64),
    Text(String),
}
