//! `GET /odoo/tokeninfo`: Odoo's validation_endpoint; redeems a token exactly once, and only for
//! a caller its Odoo's `tokeninfo_allowed_ips` admits.
//! It must never answer 200 for a token that is unknown, used, expired or meant for another Odoo,
//! and never use up a token on a call it refuses for the caller's address.

use super::client_ip::ClientIp;
use crate::{bridge::AppState, config::Config, error::correlation_id};
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

pub async fn tokeninfo(State(state): State<AppState>, client: ClientIp, headers: HeaderMap, Query(params): Query<TokenInfoParams>) -> Response {
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
    if let Some(refusal) = check_caller(&state, client, params.odoo.as_deref(), &token).await {
        return refusal;
    }
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

/// The allow-lists of the Odoo the call names (`?odoo=`) and of the Odoo the token belongs to,
/// checked before the token is redeemed so that a refused call leaves it usable.
async fn check_caller(state: &AppState, client: ClientIp, asked: Option<&str>, token: &str) -> Option<Response> {
    let config = &state.bridge.config;
    if config.odoo.iter().all(|o| o.tokeninfo_allowed_ips.is_empty()) {
        return None;
    }
    if let Some(odoo) = asked.and_then(|id| config.odoo(id)) {
        if !odoo.tokeninfo_allows(client.0) {
            return Some(refuse_caller(config, client, Some(&odoo.id)));
        }
    }
    // Nobody's server: refused without looking the token up.
    if !config.odoo.iter().any(|o| o.tokeninfo_allows(client.0)) {
        return Some(refuse_caller(config, client, None));
    }
    match state.bridge.store.token_odoo(token).await {
        Ok(Some(odoo_id)) => {
            let odoo = config.odoo(&odoo_id)?;
            (!odoo.tokeninfo_allows(client.0)).then(|| refuse_caller(config, client, Some(&odoo.id)))
        }
        // Unknown tokens get their 401 from the redemption; store failures their 503.
        Ok(None) | Err(_) => None,
    }
}

/// 403 and the log line that names the address and where to allow it.
fn refuse_caller(config: &Config, client: ClientIp, odoo_id: Option<&str>) -> Response {
    let index = odoo_id.and_then(|id| config.odoo.iter().position(|o| o.id == id));
    let fix = match index {
        Some(i) => format!("if {client} is the Odoo server of [[odoo]] id = \"{}\", add it to odoo[{i}].tokeninfo_allowed_ips; behind a reverse proxy set trusted_proxies so the real address is seen", config.odoo[i].id),
        None => format!("if {client} is an Odoo server, add it to tokeninfo_allowed_ips of its [[odoo]]; behind a reverse proxy set trusted_proxies so the real address is seen"),
    };
    tracing::warn!(correlation_id = %correlation_id(), status = 403, ip = %client, odoo = ?odoo_id, fix, "tokeninfo call refused: the caller's address is not in tokeninfo_allowed_ips (the token stays usable)");
    refuse(StatusCode::FORBIDDEN, "access_denied", "caller not allowed")
}

/// An OAuth-style error: JSON body, `WWW-Authenticate: Bearer error=…`, never cached.
pub(crate) fn refuse(status: StatusCode, error: &'static str, description: &'static str) -> Response {
    let mut response = (status, Json(json!({"error": error, "error_description": description}))).into_response();
    let headers = response.headers_mut();
    let challenge = format!("Bearer error=\"{error}\"");
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        headers.insert(header::WWW_AUTHENTICATE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
