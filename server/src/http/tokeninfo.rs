//! `GET /odoo/tokeninfo`: Odoo's validation_endpoint; redeems a token exactly once, and only for
//! a caller its Odoo's `tokeninfo_allowed_ips` admits.
//! It must never answer 200 for a token that is unknown, used, expired or meant for another Odoo,
//! and never use up a token on a call it refuses for the caller's address.

use super::client_ip::ClientIp;
use crate::{bridge::AppState, config::Config, error::correlation_id, metrics::metrics};
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

pub async fn tokeninfo(state: State<AppState>, client: ClientIp, headers: HeaderMap, params: Query<TokenInfoParams>) -> Response {
    let (result, response) = answer(state, client, headers, params).await;
    metrics().tokeninfo(result.label());
    response
}

/// How a tokeninfo call ended, as the `result` label of `login_bridge_tokeninfo_requests_total`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    /// No token, or sent twice.
    BadRequest,
    /// Unknown, already redeemed or expired.
    UnknownOrUsed,
    /// A live token of another Odoo than the one asking.
    WrongOdoo,
    /// The caller's address is not in `tokeninfo_allowed_ips`.
    RefusedIp,
    StoreError,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::BadRequest => "bad_request",
            Self::UnknownOrUsed => "unknown_or_used",
            Self::WrongOdoo => "wrong_odoo",
            Self::RefusedIp => "refused_ip",
            Self::StoreError => "store_error",
        }
    }
}

async fn answer(State(state): State<AppState>, client: ClientIp, headers: HeaderMap, Query(params): Query<TokenInfoParams>) -> (Outcome, Response) {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_string());
    let token = match (bearer, params.access_token) {
        (Some(_), Some(_)) => return (Outcome::BadRequest, refuse(StatusCode::BAD_REQUEST, "invalid_request", "the token was sent twice")),
        (Some(t), None) | (None, Some(t)) if !t.is_empty() => t,
        _ => return (Outcome::BadRequest, refuse(StatusCode::UNAUTHORIZED, "invalid_token", "no token")),
    };
    let admitted = match admitted_odoos(&state.bridge.config, client, params.odoo.as_deref()) {
        Ok(admitted) => admitted,
        Err(refusal) => return (Outcome::RefusedIp, refusal),
    };
    let redeemed = match &admitted {
        None => state.bridge.store.redeem_token(&token).await,
        Some(ids) => state.bridge.store.redeem_token_of(&token, ids).await,
    };
    match redeemed {
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
            (Outcome::Ok, response)
        }
        Ok(Some(issued)) => {
            tracing::warn!(token_odoo = %issued.odoo_id, asking_odoo = ?params.odoo, "token presented to the wrong Odoo");
            (Outcome::WrongOdoo, refuse(StatusCode::UNAUTHORIZED, "invalid_token", "token not valid"))
        }
        Ok(None) if admitted.is_some() => refused_token(&state, client, &token).await,
        Ok(None) => (Outcome::UnknownOrUsed, refuse(StatusCode::UNAUTHORIZED, "invalid_token", "token not valid")),
        Err(error) => (Outcome::StoreError, store_failure(&error)),
    }
}

/// The Odoo whose `tokeninfo_allowed_ips` admit the caller: `None` when every Odoo does (no
/// allow-lists), else the ids its token must belong to. Refused at once, without touching any
/// token, when the Odoo the call names (`?odoo=`) or every Odoo refuses the address.
fn admitted_odoos<'a>(config: &'a Config, client: ClientIp, asked: Option<&str>) -> Result<Option<Vec<&'a str>>, Response> {
    if config.odoo.iter().all(|o| o.tokeninfo_allowed_ips.is_empty()) {
        return Ok(None);
    }
    if let Some(odoo) = asked.and_then(|id| config.odoo(id)) {
        if !odoo.tokeninfo_allows(client.0) {
            return Err(refuse_caller(config, client, Some(&odoo.id)));
        }
    }
    let admitted: Vec<&str> = config.odoo.iter().filter(|o| o.tokeninfo_allows(client.0)).map(|o| o.id.as_str()).collect();
    // Nobody's server: refused without looking the token up.
    if admitted.is_empty() {
        return Err(refuse_caller(config, client, None));
    }
    Ok(Some(admitted))
}

/// Nothing was redeemed for an allow-listed caller: a live token of an Odoo that refuses this
/// address gets the 403 that says where to allow it (and stays usable); anything else is 401.
async fn refused_token(state: &AppState, client: ClientIp, token: &str) -> (Outcome, Response) {
    let config = &state.bridge.config;
    match state.bridge.store.token_odoo(token).await {
        Ok(Some(odoo_id)) => (Outcome::RefusedIp, refuse_caller(config, client, Some(&odoo_id))),
        Ok(None) => (Outcome::UnknownOrUsed, refuse(StatusCode::UNAUTHORIZED, "invalid_token", "token not valid")),
        Err(error) => (Outcome::StoreError, store_failure(&error)),
    }
}

/// 503 and the log line: Odoo shows "try again", the admin finds the cause by correlation id.
fn store_failure(error: &crate::store::StoreError) -> Response {
    tracing::error!(correlation_id = %correlation_id(), error = %error, "tokeninfo store failure");
    refuse(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", "try again")
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
