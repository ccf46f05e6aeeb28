//! The Odoo half of `setup`: reads the provider records and parameters, and applies a plan.
//! It must never delete a record nor write anything the plan does not list.

use super::plan::{Change, EmbedAddonState, ExistingRecord, OdooState, AUTHORIZATION_HEADER, EMBED_ODOO_ID, EMBED_URL, INVITATION_SCOPE};
use crate::odoo::{OdooClient, OdooError};
use serde_json::{json, Map, Value};

/// The fields setup compares; `sequence` is read here because `provider_records()` omits it.
const RECORD_FIELDS: &[&str] = &[
    "id",
    "name",
    "enabled",
    "client_id",
    "auth_endpoint",
    "validation_endpoint",
    "data_endpoint",
    "scope",
    "body",
    "css_class",
    "sequence",
];

/// Odoo writes `false` for an empty Char field.
fn text(row: &Value, key: &str) -> Option<String> {
    row.get(key).and_then(Value::as_str).map(str::to_string)
}

fn parse_record(row: &Value) -> Option<ExistingRecord> {
    Some(ExistingRecord {
        id: row.get("id")?.as_i64()?,
        name: text(row, "name").unwrap_or_default(),
        enabled: row.get("enabled").and_then(Value::as_bool).unwrap_or(false),
        client_id: text(row, "client_id"),
        auth_endpoint: text(row, "auth_endpoint").unwrap_or_default(),
        validation_endpoint: text(row, "validation_endpoint"),
        data_endpoint: text(row, "data_endpoint"),
        scope: text(row, "scope"),
        body: text(row, "body"),
        css_class: text(row, "css_class"),
        sequence: row.get("sequence").and_then(Value::as_i64),
    })
}

/// Every `auth.oauth.provider` record (disabled ones too: a re-run must find and re-enable them).
pub async fn read_records(client: &OdooClient) -> Result<Vec<ExistingRecord>, OdooError> {
    let rows = client
        .execute_kw("auth.oauth.provider", "search_read", json!([[]]), json!({"fields": RECORD_FIELDS}))
        .await?;
    let rows = rows.as_array().ok_or_else(|| OdooError::Protocol(format!("auth.oauth.provider.search_read returned {rows}")))?;
    rows.iter()
        .map(|row| parse_record(row).ok_or_else(|| OdooError::Protocol(format!("unexpected auth.oauth.provider record: {row}"))))
        .collect()
}

/// What the plan is computed from.
pub async fn read_state(client: &OdooClient, major: i64) -> Result<OdooState, OdooError> {
    let records = read_records(client).await?;
    let authorization_header = client.get_param(AUTHORIZATION_HEADER).await?;
    let invitation_scope = client.get_param(INVITATION_SCOPE).await?;
    let embed_addon = match client.module_state("login_bridge_embed").await?.as_deref() {
        Some("installed" | "to upgrade") => {
            Some(EmbedAddonState { url: client.get_param(EMBED_URL).await?, odoo_id: client.get_param(EMBED_ODOO_ID).await? })
        }
        _ => None,
    };
    Ok(OdooState { major, records, authorization_header, invitation_scope, embed_addon })
}

/// Carries out one change; returns the new record's id for a create.
pub async fn apply(client: &OdooClient, change: &Change) -> Result<Option<i64>, OdooError> {
    match change {
        Change::Create { record } => {
            let vals: Map<String, Value> = record.fields().into_iter().map(|(k, v)| (k.to_string(), v.to_json())).collect();
            let id = client.execute_kw("auth.oauth.provider", "create", json!([Value::Object(vals)]), json!({})).await?;
            // Odoo returns the id, or a one-element list when several value dicts were sent.
            let id = id.as_i64().or_else(|| id.get(0).and_then(Value::as_i64));
            id.map(Some).ok_or_else(|| OdooError::Protocol("auth.oauth.provider.create returned no id".into()))
        }
        Change::Update { id, fields, .. } => {
            let vals: Map<String, Value> = fields.iter().map(|c| (c.field.to_string(), c.to.to_json())).collect();
            client.write("auth.oauth.provider", &[*id], Value::Object(vals)).await?;
            Ok(None)
        }
        Change::Disable { id, .. } => {
            client.write("auth.oauth.provider", &[*id], json!({"enabled": false})).await?;
            Ok(None)
        }
        Change::SetParam { key, to, .. } => {
            client.set_param(key, to).await?;
            Ok(None)
        }
    }
}
