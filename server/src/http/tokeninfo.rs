//! `GET /odoo/tokeninfo`: Odoo's validation_endpoint; redeems a token exactly once.
//! It must never answer 200 for a token that is unknown, used, expired or meant for another Odoo.

use crate::{bridge::AppState, error::correlation_id};
use axum::{
    extract::{Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
pub struct TokenInfoParams {
    access_token: Option<String>,
    /// Optional audience check: `validation_endpoint = …/odoo/tokeninfo?odoo=acme`.
    odoo: Option<String>,
}

pub async fn tokeninfo(State(state): State<AppState>, headers: HeaderMap, Query(params): Query<TokenInfoParams>) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_string());
    let token = match (bearer, params.access_token) {
        (Some(_), Some(_)) => return refuse(StatusCode::BAD_REQUEST, "invalid_request", "the token was sent twice"),
        (Some(t), None) | (None, Some(t)) if !t.is_empty() => t,
        _ => return refuse(StatusCode::UNAUTHORIZED, "invalid_token", "no token"),
    };
    match state.bridge.store.redeem_token(&token).await {
        Ok(Some(issued)) if params.odoo.as_deref().is_none_or(|o| o == issued.odoo_id) => {
            let body = json!({
                "sub": issued.subject,
                "id": issued.subject,
                "user_id": issued.subject,
                "email": issued.email,
                "name": issued.name,
                "aud": issued.odoo_id,
            });
            let mut response = Json(body).into_response();
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Ok(Some(issued)) => {
            tracing::warn!(token_odoo = %issued.odoo_id, asking_odoo = ?params.odoo, "token presented to the wrong Odoo");
            refuse(StatusCode::UNAUTHORIZED, "invalid_token", "token not valid")
        }
        Ok(None) => refuse(StatusCode::UNAUTHORIZED, "invalid_token", "token not valid"),
        Err(error) => {
            tracing::error!(correlation_id = %correlation_id(), error = %error, "tokeninfo store failure");
            refuse(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", "try again")
        }
    }
}

fn refuse(status: StatusCode, error: &'static str, description: &'static str) -> Response {
    let mut response = (status, Json(json!({"error": error, "error_description": description}))).into_response();
    let headers = response.headers_mut();
    let challenge = format!("Bearer error=\"{error}\"");
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        headers.insert(header::WWW_AUTHENTICATE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
