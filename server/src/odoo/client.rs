//! Odoo's external API over JSON-RPC (`/jsonrpc`, Odoo ≤18) with an API key.
//! It must never log the API key, and never retry a write on its own.

use crate::config::OdooConfig;
use serde::Deserialize;
use serde_json::{json, Value};
use std::{sync::Arc, time::Duration};
use tokio::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum OdooError {
    #[error("Odoo at {url} cannot be reached: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("Odoo answered HTTP {status} to {what}")]
    Http { status: u16, what: String },
    #[error("Odoo refused the API key of `{login}` (check api_login and the API key)")]
    ApiKeyRejected { login: String },
    #[error("Odoo denied the call {model}.{method}: {message}")]
    AccessError { model: String, method: String, message: String },
    #[error("Odoo error {name} in {model}.{method}: {message}")]
    Fault { name: String, model: String, method: String, message: String },
    #[error("unexpected answer from Odoo: {0}")]
    Protocol(String),
}

/// A `res.users` row as the bridge reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OdooUser {
    pub id: i64,
    pub login: String,
    pub email: Option<String>,
    pub name: String,
    pub active: bool,
    /// Portal (share) users land on a different page; kept for later policy.
    pub share: bool,
    pub oauth_provider_id: Option<i64>,
    pub oauth_uid: Option<String>,
}

/// An `auth.oauth.provider` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OdooProviderRecord {
    pub id: i64,
    pub name: String,
    pub enabled: bool,
    pub auth_endpoint: String,
    pub validation_endpoint: String,
}

const USER_FIELDS: &[&str] = &["id", "login", "email", "name", "active", "share", "oauth_provider_id", "oauth_uid"];

#[derive(Clone)]
pub struct OdooClient {
    config: Arc<OdooConfig>,
    http: reqwest::Client,
    /// The technical user's uid, learnt from `common.authenticate` on first use.
    uid: Arc<Mutex<Option<i64>>>,
}

#[derive(Deserialize)]
struct RpcResponse {
    #[serde(default)]
    result: Option<Value>,
    #[serde(default)]
    error: Option<RpcError>,
}

#[derive(Deserialize)]
struct RpcError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    data: Option<RpcErrorData>,
}

#[derive(Deserialize)]
struct RpcErrorData {
    #[serde(default)]
    name: String,
    #[serde(default)]
    message: String,
}

impl OdooClient {
    pub fn new(config: OdooConfig) -> Result<Self, OdooError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("login-bridge/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| OdooError::Protocol(e.to_string()))?;
        Ok(Self { config: Arc::new(config), http, uid: Arc::new(Mutex::new(None)) })
    }

    pub fn config(&self) -> &OdooConfig {
        &self.config
    }

    async fn call(&self, service: &str, method: &str, args: Value, what: &str) -> Result<Value, OdooError> {
        let url = format!("{}/jsonrpc", self.config.base());
        let body = json!({"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}, "id": 1});
        let response = self.http.post(&url).json(&body).send().await.map_err(|e| OdooError::Unreachable {
            url: self.config.base(),
            reason: crate::error::error_chain(&e),
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(OdooError::Http { status: status.as_u16(), what: what.to_string() });
        }
        let parsed: RpcResponse = response
            .json()
            .await
            .map_err(|e| OdooError::Protocol(format!("{what}: {e}")))?;
        if let Some(error) = parsed.error {
            let (name, message) = match error.data {
                Some(d) => (d.name, d.message),
                None => (String::new(), error.message),
            };
            return Err(classify_fault(&self.config.api.login, what, name, message));
        }
        parsed.result.ok_or_else(|| OdooError::Protocol(format!("{what}: neither result nor error")))
    }

    /// `common.version`: reachability and the server version.
    pub async fn version(&self) -> Result<Value, OdooError> {
        self.call("common", "version", json!([]), "common.version").await
    }

    async fn uid(&self) -> Result<i64, OdooError> {
        let mut cached = self.uid.lock().await;
        if let Some(uid) = *cached {
            return Ok(uid);
        }
        let result = self
            .call(
                "common",
                "authenticate",
                json!([self.config.database, self.config.api.login, self.config.api.key.expose(), {}]),
                "common.authenticate",
            )
            .await?;
        let uid = result.as_i64().ok_or_else(|| OdooError::ApiKeyRejected { login: self.config.api.login.clone() })?;
        *cached = Some(uid);
        Ok(uid)
    }

    pub async fn execute_kw(&self, model: &str, method: &str, args: Value, kwargs: Value) -> Result<Value, OdooError> {
        let uid = self.uid().await?;
        let what = format!("{model}.{method}");
        let result = self
            .call(
                "object",
                "execute_kw",
                json!([self.config.database, uid, self.config.api.key.expose(), model, method, args, kwargs]),
                &what,
            )
            .await;
        if let Err(OdooError::ApiKeyRejected { .. }) = &result {
            // The key may have been rotated since we authenticated: forget the uid.
            *self.uid.lock().await = None;
        }
        result
    }

    /// Active users whose `field` equals `value` exactly.
    pub async fn users_where(&self, field: &str, value: &str) -> Result<Vec<OdooUser>, OdooError> {
        let rows = self
            .execute_kw("res.users", "search_read", json!([[[field, "=", value]]]), json!({"fields": USER_FIELDS, "limit": 10}))
            .await?;
        parse_rows(rows, parse_user)
    }

    pub async fn user(&self, id: i64) -> Result<Option<OdooUser>, OdooError> {
        let rows = self
            .execute_kw("res.users", "search_read", json!([[["id", "=", id]]]), json!({"fields": USER_FIELDS, "limit": 1}))
            .await?;
        Ok(parse_rows(rows, parse_user)?.into_iter().next())
    }

    /// Writes `oauth_provider_id` and `oauth_uid` so Odoo's `auth_oauth` finds the user.
    pub async fn link_user(&self, user_id: i64, provider_record: i64, subject: &str) -> Result<(), OdooError> {
        self.execute_kw(
            "res.users",
            "write",
            json!([[user_id], {"oauth_provider_id": provider_record, "oauth_uid": subject}]),
            json!({}),
        )
        .await?;
        Ok(())
    }

    pub async fn provider_records(&self) -> Result<Vec<OdooProviderRecord>, OdooError> {
        let rows = self
            .execute_kw(
                "auth.oauth.provider",
                "search_read",
                json!([[]]),
                json!({"fields": ["id", "name", "enabled", "auth_endpoint", "validation_endpoint"]}),
            )
            .await?;
        parse_rows(rows, |row| {
            Some(OdooProviderRecord {
                id: row.get("id")?.as_i64()?,
                name: text(row, "name").unwrap_or_default(),
                enabled: row.get("enabled").and_then(Value::as_bool).unwrap_or(false),
                auth_endpoint: text(row, "auth_endpoint").unwrap_or_default(),
                validation_endpoint: text(row, "validation_endpoint").unwrap_or_default(),
            })
        })
    }
}

fn classify_fault(login: &str, what: &str, name: String, message: String) -> OdooError {
    let (model, method) = what.split_once('.').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default();
    match name.as_str() {
        "odoo.exceptions.AccessDenied" => OdooError::ApiKeyRejected { login: login.to_string() },
        "odoo.exceptions.AccessError" => OdooError::AccessError { model, method, message },
        _ => OdooError::Fault { name, model, method, message },
    }
}

/// Odoo writes `false` for empty many2one and char fields.
fn text(row: &Value, key: &str) -> Option<String> {
    row.get(key).and_then(Value::as_str).map(str::to_string)
}

fn parse_user(row: &Value) -> Option<OdooUser> {
    Some(OdooUser {
        id: row.get("id")?.as_i64()?,
        login: text(row, "login")?,
        email: text(row, "email"),
        name: text(row, "name").unwrap_or_default(),
        active: row.get("active").and_then(Value::as_bool).unwrap_or(true),
        share: row.get("share").and_then(Value::as_bool).unwrap_or(false),
        // many2one reads as [id, "name"] or false
        oauth_provider_id: row.get("oauth_provider_id").and_then(|v| v.get(0)).and_then(Value::as_i64),
        oauth_uid: text(row, "oauth_uid"),
    })
}

fn parse_rows<T>(rows: Value, parse: impl Fn(&Value) -> Option<T>) -> Result<Vec<T>, OdooError> {
    let rows = rows.as_array().ok_or_else(|| OdooError::Protocol("expected a list of records".into()))?;
    rows.iter()
        .map(|row| parse(row).ok_or_else(|| OdooError::Protocol(format!("unexpected record shape: {row}"))))
        .collect()
}
