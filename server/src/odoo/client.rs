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
    #[error("the bridge has no API access to Odoo `{odoo}` (no api_login configured)")]
    NoApiAccess { odoo: String },
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
    pub group_ids: Vec<i64>,
}

/// An `auth.oauth.provider` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OdooProviderRecord {
    pub id: i64,
    pub name: String,
    pub enabled: bool,
    pub client_id: Option<String>,
    pub auth_endpoint: String,
    pub validation_endpoint: String,
    pub data_endpoint: Option<String>,
    pub scope: Option<String>,
    pub body: Option<String>,
    pub css_class: Option<String>,
}

const USER_FIELDS: &[&str] = &["id", "login", "email", "name", "active", "share", "oauth_provider_id", "oauth_uid"];

/// Which external API this Odoo speaks, learnt from `/web/webclient/version_info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiFlavor {
    /// Odoo ≤18: `/jsonrpc` `execute_kw` with the technical user's uid and key.
    JsonRpc,
    /// Odoo 19+: `POST /json/2/{model}/{method}`, bearer key, named arguments.
    Json2,
}

#[derive(Clone)]
pub struct OdooClient {
    config: Arc<OdooConfig>,
    http: reqwest::Client,
    /// The technical user's uid (JSON-RPC), learnt from `common.authenticate` on first use.
    uid: Arc<Mutex<Option<i64>>>,
    flavor: Arc<Mutex<Option<(ApiFlavor, i64)>>>,
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
        Ok(Self { config: Arc::new(config), http, uid: Arc::new(Mutex::new(None)), flavor: Arc::new(Mutex::new(None)) })
    }

    pub fn config(&self) -> &OdooConfig {
        &self.config
    }

    fn credentials(&self) -> Result<&crate::config::OdooApiCredentials, OdooError> {
        self.config.api.as_ref().ok_or_else(|| OdooError::NoApiAccess { odoo: self.config.id.clone() })
    }

    fn unreachable(&self, e: &reqwest::Error) -> OdooError {
        OdooError::Unreachable { url: self.config.base(), reason: crate::error::error_chain(e) }
    }

    /// A JSON-RPC call (`/jsonrpc`, or another JSON-RPC route such as version_info), timed
    /// for `login_bridge_odoo_request_duration_seconds` by `what` (the code's name for the call).
    async fn rpc(&self, path: &str, params: Value, what: &str) -> Result<Value, OdooError> {
        crate::metrics::time_odoo(&self.config.id, what, self.rpc_untimed(path, params, what)).await
    }

    async fn rpc_untimed(&self, path: &str, params: Value, what: &str) -> Result<Value, OdooError> {
        let url = format!("{}{path}", self.config.base());
        let body = json!({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1});
        let response = self.http.post(&url).json(&body).send().await.map_err(|e| self.unreachable(&e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(OdooError::Http { status: status.as_u16(), what: what.to_string() });
        }
        let parsed: RpcResponse = response.json().await.map_err(|e| OdooError::Protocol(format!("{what}: {e}")))?;
        if let Some(error) = parsed.error {
            let (name, message) = match error.data {
                Some(d) => (d.name, d.message),
                None => (String::new(), error.message),
            };
            let login = self.config.api.as_ref().map(|a| a.login.clone()).unwrap_or_default();
            return Err(classify_fault(&login, what, name, message));
        }
        parsed.result.ok_or_else(|| OdooError::Protocol(format!("{what}: neither result nor error")))
    }

    async fn call(&self, service: &str, method: &str, args: Value, what: &str) -> Result<Value, OdooError> {
        self.rpc("/jsonrpc", json!({"service": service, "method": method, "args": args}), what).await
    }

    /// The server's version (`server_version_info[0]`) and which API to use, cached.
    pub async fn api_flavor(&self) -> Result<(ApiFlavor, i64), OdooError> {
        let mut cached = self.flavor.lock().await;
        if let Some(known) = *cached {
            return Ok(known);
        }
        let info = self.rpc("/web/webclient/version_info", json!({}), "version_info").await?;
        let major = info
            .get("server_version_info")
            .and_then(|v| v.get(0))
            .and_then(Value::as_i64)
            .ok_or_else(|| OdooError::Protocol(format!("version_info without server_version_info: {info}")))?;
        let known = (if major >= 19 { ApiFlavor::Json2 } else { ApiFlavor::JsonRpc }, major);
        *cached = Some(known);
        Ok(known)
    }

    /// `version_info`: reachability and the server version (no API key needed).
    pub async fn version(&self) -> Result<Value, OdooError> {
        self.rpc("/web/webclient/version_info", json!({}), "version_info").await
    }

    async fn uid(&self) -> Result<i64, OdooError> {
        let credentials = self.credentials()?;
        let mut cached = self.uid.lock().await;
        if let Some(uid) = *cached {
            return Ok(uid);
        }
        let result = self
            .call(
                "common",
                "authenticate",
                json!([self.config.database, credentials.login, credentials.key.expose(), {}]),
                "common.authenticate",
            )
            .await?;
        let uid = result.as_i64().ok_or_else(|| OdooError::ApiKeyRejected { login: credentials.login.clone() })?;
        *cached = Some(uid);
        Ok(uid)
    }

    /// One model method, with `execute_kw`'s positional `args` and `kwargs`, over whichever
    /// API this Odoo speaks.
    pub async fn execute_kw(&self, model: &str, method: &str, args: Value, kwargs: Value) -> Result<Value, OdooError> {
        let credentials = self.credentials()?;
        let (flavor, _) = self.api_flavor().await?;
        let result = match flavor {
            ApiFlavor::JsonRpc => {
                let uid = self.uid().await?;
                self.call(
                    "object",
                    "execute_kw",
                    json!([self.config.database, uid, credentials.key.expose(), model, method, args, kwargs]),
                    &format!("{model}.{method}"),
                )
                .await
            }
            ApiFlavor::Json2 => self.json2(model, method, &args, kwargs).await,
        };
        if let Err(OdooError::ApiKeyRejected { .. }) = &result {
            // The key may have been rotated since we authenticated: forget the uid.
            *self.uid.lock().await = None;
        }
        result
    }

    /// Odoo 19's JSON-2: named arguments only, so the positional ones are named here. Timed like `rpc`.
    async fn json2(&self, model: &str, method: &str, args: &Value, kwargs: Value) -> Result<Value, OdooError> {
        let what = format!("{model}.{method}");
        crate::metrics::time_odoo(&self.config.id, &what, self.json2_untimed(model, method, args, kwargs)).await
    }

    async fn json2_untimed(&self, model: &str, method: &str, args: &Value, kwargs: Value) -> Result<Value, OdooError> {
        let credentials = self.credentials()?;
        let what = format!("{model}.{method}");
        let mut body = match kwargs {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let positional = json2_argument_names(model, method)
            .ok_or_else(|| OdooError::Protocol(format!("{what} is not mapped to JSON-2 arguments")))?;
        let args = args.as_array().cloned().unwrap_or_default();
        for (name, value) in positional.iter().zip(args) {
            body.insert(name.to_string(), value);
        }
        // JSON-2 `create` takes a list of value dicts and returns a list of ids.
        let single_create = method == "create" && body.get("vals_list").is_some_and(Value::is_object);
        if single_create {
            if let Some(vals) = body.remove("vals_list") {
                body.insert("vals_list".into(), json!([vals]));
            }
        }
        let url = format!("{}/json/2/{model}/{method}", self.config.base());
        let response = self
            .http
            .post(&url)
            .header("Authorization", format!("bearer {}", credentials.key.expose()))
            .header("X-Odoo-Database", &self.config.database)
            .json(&Value::Object(body))
            .send()
            .await
            .map_err(|e| self.unreachable(&e))?;
        let status = response.status();
        let value: Value = response.json().await.map_err(|e| OdooError::Protocol(format!("{what}: {e}")))?;
        if status.as_u16() == 401 {
            return Err(OdooError::ApiKeyRejected { login: credentials.login.clone() });
        }
        if !status.is_success() {
            let name = value.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            let message = value.get("message").and_then(Value::as_str).unwrap_or_default().to_string();
            if name.is_empty() {
                return Err(OdooError::Http { status: status.as_u16(), what });
            }
            return Err(classify_fault(&credentials.login, &what, name, message));
        }
        if single_create {
            return value.get(0).cloned().ok_or_else(|| OdooError::Protocol(format!("{what}: no id returned")));
        }
        Ok(value)
    }

    /// Active users whose `field` equals `value` exactly.
    pub async fn users_where(&self, field: &str, value: &str) -> Result<Vec<OdooUser>, OdooError> {
        let rows = self
            .execute_kw("res.users", "search_read", json!([[[field, "=", value]]]), json!({"fields": self.user_fields().await?, "limit": 10}))
            .await?;
        self.parse_users(rows).await
    }

    /// `res.users`' groups field: `groups_id` up to Odoo 18, renamed `group_ids` in 19.
    pub async fn groups_field(&self) -> Result<&'static str, OdooError> {
        let (_, major) = self.api_flavor().await?;
        Ok(if major >= 19 { "group_ids" } else { "groups_id" })
    }

    async fn user_fields(&self) -> Result<Vec<&'static str>, OdooError> {
        let mut fields = USER_FIELDS.to_vec();
        fields.push(self.groups_field().await?);
        Ok(fields)
    }

    async fn parse_users(&self, rows: Value) -> Result<Vec<OdooUser>, OdooError> {
        let groups_field = self.groups_field().await?;
        parse_rows(rows, |row| parse_user(row, groups_field))
    }

    /// Whether an archived user has this login or email (to tell "archived" from "no account").
    pub async fn archived_user_exists(&self, email: &str) -> Result<bool, OdooError> {
        let domain = json!([["active", "=", false], "|", ["login", "=", email], ["email", "=", email]]);
        let rows = self.execute_kw("res.users", "search_read", json!([domain]), json!({"fields": ["id"], "limit": 1})).await?;
        Ok(rows.as_array().is_some_and(|r| !r.is_empty()))
    }

    pub async fn user(&self, id: i64) -> Result<Option<OdooUser>, OdooError> {
        let rows = self
            .execute_kw("res.users", "search_read", json!([[["id", "=", id]]]), json!({"fields": self.user_fields().await?, "limit": 1}))
            .await?;
        Ok(self.parse_users(rows).await?.into_iter().next())
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

    /// Creates a user without Odoo's invitation mail; returns the new id.
    pub async fn create_user(&self, vals: Value) -> Result<i64, OdooError> {
        let id = self
            .execute_kw("res.users", "create", json!([vals]), json!({"context": {"no_reset_password": true}}))
            .await?;
        id.as_i64().ok_or_else(|| OdooError::Protocol(format!("res.users.create returned {id}")))
    }

    pub async fn write(&self, model: &str, ids: &[i64], vals: Value) -> Result<(), OdooError> {
        self.execute_kw(model, "write", json!([ids, vals]), json!({})).await?;
        Ok(())
    }

    /// Writes a fresh random `oauth_access_token`: every Odoo session of the user ends at once
    /// (it is one of Odoo's session-token fields). Never reuses a value, so no old session revives.
    pub async fn revoke_sessions(&self, user_id: i64) -> Result<(), OdooError> {
        let fresh = format!("revoked-{}", crate::tokens::random_256());
        self.write("res.users", &[user_id], json!({"oauth_access_token": fresh})).await
    }

    /// Group ids for XML ids like `base.group_portal`; an unknown XML id is an error.
    pub async fn group_ids(&self, xml_ids: &[String]) -> Result<Vec<i64>, OdooError> {
        if xml_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut domain = vec![json!(["model", "=", "res.groups"])];
        let mut alternatives = Vec::new();
        for xml_id in xml_ids {
            let (module, name) = xml_id.split_once('.').unwrap_or(("", xml_id));
            alternatives.push(json!(["&", ["module", "=", module], ["name", "=", name]]));
        }
        // Prefix-notation OR of (module AND name) pairs.
        for _ in 1..alternatives.len() {
            domain.push(json!("|"));
        }
        let mut flat = domain;
        for alternative in alternatives {
            if let Value::Array(parts) = alternative {
                flat.extend(parts);
            }
        }
        let rows = self
            .execute_kw("ir.model.data", "search_read", json!([flat]), json!({"fields": ["module", "name", "res_id"]}))
            .await?;
        let rows = rows.as_array().cloned().unwrap_or_default();
        xml_ids
            .iter()
            .map(|xml_id| {
                rows.iter()
                    .find(|r| format!("{}.{}", r["module"].as_str().unwrap_or(""), r["name"].as_str().unwrap_or("")) == *xml_id)
                    .and_then(|r| r["res_id"].as_i64())
                    .ok_or_else(|| OdooError::Fault {
                        name: "UnknownXmlId".into(),
                        model: "ir.model.data".into(),
                        method: "search_read".into(),
                        message: format!("no group with XML id {xml_id}"),
                    })
            })
            .collect()
    }

    pub async fn get_param(&self, key: &str) -> Result<Option<String>, OdooError> {
        let value = self.execute_kw("ir.config_parameter", "get_param", json!([key]), json!({})).await?;
        Ok(value.as_str().map(str::to_string))
    }

    /// Returns the previous value, like Odoo.
    pub async fn set_param(&self, key: &str, value: &str) -> Result<Option<String>, OdooError> {
        let previous = self.execute_kw("ir.config_parameter", "set_param", json!([key, value]), json!({})).await?;
        Ok(previous.as_str().map(str::to_string))
    }

    /// `installed`, `uninstalled`, … or `None` when Odoo does not know the module.
    pub async fn module_state(&self, name: &str) -> Result<Option<String>, OdooError> {
        let rows = self
            .execute_kw("ir.module.module", "search_read", json!([[["name", "=", name]]]), json!({"fields": ["name", "state"]}))
            .await?;
        Ok(rows.get(0).and_then(|r| r.get("state")).and_then(Value::as_str).map(str::to_string))
    }

    pub async fn provider_records(&self) -> Result<Vec<OdooProviderRecord>, OdooError> {
        let rows = self
            .execute_kw(
                "auth.oauth.provider",
                "search_read",
                json!([[]]),
                json!({"fields": ["id", "name", "enabled", "client_id", "auth_endpoint", "validation_endpoint", "data_endpoint", "scope", "body", "css_class"]}),
            )
            .await?;
        parse_rows(rows, |row| {
            Some(OdooProviderRecord {
                id: row.get("id")?.as_i64()?,
                name: text(row, "name").unwrap_or_default(),
                enabled: row.get("enabled").and_then(Value::as_bool).unwrap_or(false),
                client_id: text(row, "client_id"),
                auth_endpoint: text(row, "auth_endpoint").unwrap_or_default(),
                validation_endpoint: text(row, "validation_endpoint").unwrap_or_default(),
                data_endpoint: text(row, "data_endpoint"),
                scope: text(row, "scope"),
                body: text(row, "body"),
                css_class: text(row, "css_class"),
            })
        })
    }
}

fn classify_fault(login: &str, what: &str, name: String, message: String) -> OdooError {
    let (model, method) = what.rsplit_once('.').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default();
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

fn parse_user(row: &Value, groups_field: &str) -> Option<OdooUser> {
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
        group_ids: row.get(groups_field).and_then(Value::as_array).map(|ids| ids.iter().filter_map(Value::as_i64).collect()).unwrap_or_default(),
    })
}

fn parse_rows<T>(rows: Value, parse: impl Fn(&Value) -> Option<T>) -> Result<Vec<T>, OdooError> {
    let rows = rows.as_array().ok_or_else(|| OdooError::Protocol("expected a list of records".into()))?;
    rows.iter()
        .map(|row| parse(row).ok_or_else(|| OdooError::Protocol(format!("unexpected record shape: {row}"))))
        .collect()
}

/// Positional `execute_kw` arguments of the methods the bridge calls, by JSON-2 name.
fn json2_argument_names(model: &str, method: &str) -> Option<&'static [&'static str]> {
    Some(match (model, method) {
        ("ir.config_parameter", "get_param") => &["key"],
        ("ir.config_parameter", "set_param") => &["key", "value"],
        (_, "search_read" | "search" | "search_count") => &["domain"],
        (_, "read" | "unlink") => &["ids"],
        (_, "write") => &["ids", "vals"],
        (_, "create") => &["vals_list"],
        _ => return None,
    })
}
