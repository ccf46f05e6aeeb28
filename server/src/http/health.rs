//! `/healthz` (the process serves) and `/readyz` (store, providers and Odoo reachable).
//! It must never reveal a secret or an internal error text beyond a short reason.

use crate::{
    bridge::{AppState, Bridge},
    upstream::Availability,
};
use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

pub async fn healthz() -> impl IntoResponse {
    Json(json!({"status": "ok"}))
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let bridge = &state.bridge;
    let store_ok = bridge.store.ping().await.is_ok();
    let mut providers = serde_json::Map::new();
    for (config, availability) in bridge.upstreams.availability().await {
        let value = match availability {
            Availability::Ready => json!({"status": "ok"}),
            Availability::Starting => json!({"status": "starting"}),
            Availability::Down(reason) => json!({"status": "down", "reason": reason}),
        };
        providers.insert(config.id, value);
    }
    let mut odoo = serde_json::Map::new();
    for (id, reachable) in odoo_reachability(bridge).await {
        let value = match reachable {
            Ok(version) => json!({"status": "ok", "version": version}),
            Err(reason) => json!({"status": "down", "reason": reason}),
        };
        odoo.insert(id, value);
    }
    let ready = store_ok;
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = json!({
        "status": if ready { "ok" } else { "unavailable" },
        "store": if store_ok { "ok" } else { "down" },
        "providers": providers,
        "odoo": odoo,
    });
    (status, Json(body))
}

/// Each Odoo by id: its server version when it answers, else why not (also the admin dashboard's).
pub async fn odoo_reachability(bridge: &Bridge) -> Vec<(String, Result<serde_json::Value, String>)> {
    let mut out = Vec::new();
    for (id, client) in &bridge.odoo {
        let reachable = match client.version().await {
            Ok(version) => Ok(version.get("server_version").cloned().unwrap_or(serde_json::Value::Null)),
            Err(error) => Err(error.to_string()),
        };
        out.push((id.clone(), reachable));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
