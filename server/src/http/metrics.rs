//! `GET /metrics`: the Prometheus scrape, for the addresses `[metrics] allowed_ips` admits.
//! It must never answer anyone else with more than a bare 404 (not even that the page exists).

use super::client_ip::ClientIp;
use crate::{bridge::AppState, metrics::metrics as registry};
use axum::{
    extract::State,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

/// OpenMetrics text, which Prometheus asks for and reads.
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

pub async fn metrics(State(state): State<AppState>, client: ClientIp) -> Response {
    if client == ClientIp::UNKNOWN || !state.bridge.config.metrics.allows(client.0) {
        tracing::debug!(ip = %client, "GET /metrics refused: the address is not in [metrics] allowed_ips");
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut response = registry().encode().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
