//! `/healthz` (the process serves) and `/readyz` (store, providers and Odoo reachable).
//! It must never reveal a secret or an internal error text beyond a short reason.

use crate::{bridge::AppState, upstream::Availability};
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
    for (id, client) in &bridge.odoo {
        let value = match client.version().await {
            Ok(version) => json!({"status": "ok", "version": version.get("server_version")}),
            Err(error) => json!({"status": "down", "reason": error.to_string()}),
        };
        odoo.insert(id.clone(), value);
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
