//! Logout routes: `POST /logout/backchannel/{provider}` (the provider ends a session,
//! Back-Channel Logout 1.0), `GET /logout?odoo=ID[&provider=ID]` (the person signs out: the
//! provider's end-session page, then Odoo's own logout) and `GET /logout/done` (where providers
//! send the browser back).
//! The GET routes change nothing at the bridge (it has no session of its own): they only lead
//! the browser to the provider's and Odoo's logout pages, which carry their own protections.

use super::client_ip::ClientIp;
use crate::{
    bridge::Bridge,
    error::BridgeError,
    odoo_sessions::{backchannel::{self, BackchannelError}, post_logout_redirect_uri},
};
use axum::{
    extract::{rejection::FormRejection, Path, Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Form,
};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Deserialize)]
pub struct BackchannelForm {
    logout_token: Option<String>,
}

/// §2.8: 200 on success, 400 with an OAuth-style error otherwise; never cached.
pub async fn backchannel(
    State(bridge): State<Arc<Bridge>>,
    Path(provider): Path<String>,
    client: ClientIp,
    form: Result<Form<BackchannelForm>, FormRejection>,
) -> Response {
    let token = match form {
        Ok(Form(BackchannelForm { logout_token: Some(token) })) if !token.is_empty() => token,
        Ok(_) => return invalid_request("logout_token is missing"),
        Err(rejection) => return invalid_request(&format!("the body must be a form: {rejection}")),
    };
    let ip = client.for_audit();
    match backchannel::logout(&bridge, &provider, &token, ip).await {
        Ok(_) => no_store(StatusCode::OK.into_response()),
        Err(error) => {
            let correlation_id = crate::error::correlation_id();
            match &error {
                BackchannelError::Store(_) | BackchannelError::NotEnded(_) => {
                    tracing::warn!(%provider, %error, %correlation_id, "back-channel logout failed")
                }
                _ => tracing::info!(%provider, %error, %correlation_id, "back-channel logout refused"),
            }
            let description = match &error {
                BackchannelError::Store(_) => format!("internal error (reference {correlation_id})"),
                other => other.to_string(),
            };
            invalid_request(&description)
        }
    }
}

fn invalid_request(description: &str) -> Response {
    let body = serde_json::json!({"error": "invalid_request", "error_description": description});
    let mut response = (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
    response = no_store(response);
    response
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Debug, Deserialize)]
pub struct LogoutParams {
    odoo: Option<String>,
    provider: Option<String>,
}

/// Odoo's `/web/session/logout?redirect=` only redirects locally, so the order is: here → the
/// provider's end_session (if it has one) → `/logout/done` → Odoo's logout.
pub async fn logout(State(bridge): State<Arc<Bridge>>, Query(params): Query<LogoutParams>) -> Result<Response, BridgeError> {
    let client = match params.odoo.as_deref() {
        Some(id) => bridge.odoo(id).ok_or_else(|| BridgeError::UnknownOdoo(id.to_string()))?,
        None => bridge.odoo_or_default(None).ok_or(BridgeError::OdooNotChosen)?,
    };
    let odoo_id = client.config().id.clone();
    if let Some(provider_id) = params.provider.as_deref() {
        let provider = bridge.upstreams.get(provider_id).ok_or_else(|| BridgeError::UnknownProvider(provider_id.to_string()))?;
        // `state` per RP-Initiated Logout §2; nothing rides on it: /logout/done only leads to
        // Odoo's own logout, which is harmless to reach from anywhere.
        let state = crate::tokens::random_256();
        if let Some(url) = provider.end_session_url(&post_logout_redirect_uri(&bridge.config, &odoo_id), &state).await {
            return Ok(super::see_other(url.as_str()));
        }
    }
    Ok(super::see_other(&odoo_logout_url(client.config())))
}

#[derive(Debug, Deserialize)]
pub struct DoneParams {
    odoo: Option<String>,
}

/// The provider's session has ended; Odoo's logout ends the browser's Odoo session and shows its login page.
pub async fn done(State(bridge): State<Arc<Bridge>>, Query(params): Query<DoneParams>) -> Result<Response, BridgeError> {
    let client = match params.odoo.as_deref() {
        Some(id) => bridge.odoo(id).ok_or_else(|| BridgeError::UnknownOdoo(id.to_string()))?,
        None => bridge.odoo_or_default(None).ok_or(BridgeError::OdooNotChosen)?,
    };
    Ok(super::see_other(&odoo_logout_url(client.config())))
}

fn odoo_logout_url(odoo: &crate::config::OdooConfig) -> String {
    format!("{}/web/session/logout", odoo.base())
}
