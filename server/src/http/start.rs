//! `/login/{provider}` (GET link or form POST): starts the upstream login for a chosen target.
//! It must never accept a `return_to` that leaves the configured Odoo.

use super::cookies::set_flow_cookie;
use crate::{
    bridge::{AppState, Bridge},
    error::BridgeError,
    flow::{LoginTarget, FLOW_TTL_SECS},
    login::start_login,
    odoo::request::check_return_to,
};
use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
    Form,
};
use serde::Deserialize;

/// Parameters of `/login/{provider}`, from the query string or a form.
#[derive(Debug, Default, Deserialize)]
pub struct StartParams {
    pub odoo: Option<String>,
    pub return_to: Option<String>,
    pub pending: Option<String>,
}

pub async fn start_get(state: State<AppState>, provider: Path<String>, Query(params): Query<StartParams>) -> Result<Response, BridgeError> {
    start(state, provider, params).await
}

pub async fn start_post(state: State<AppState>, provider: Path<String>, Form(params): Form<StartParams>) -> Result<Response, BridgeError> {
    start(state, provider, params).await
}

async fn start(State(state): State<AppState>, Path(provider): Path<String>, params: StartParams) -> Result<Response, BridgeError> {
    let target = resolve_target(&state.bridge, params).await?;
    redirect_to_provider(&state.bridge, &provider, target).await
}

/// Where this login is heading: a pending Odoo request, or a bridge-initiated login.
pub async fn resolve_target(bridge: &Bridge, params: StartParams) -> Result<LoginTarget, BridgeError> {
    if let Some(pending) = params.pending.filter(|p| !p.is_empty()) {
        return bridge.store.odoo_request(&pending).await?.ok_or(BridgeError::FlowExpired);
    }
    let odoo_param = params.odoo.filter(|o| !o.is_empty());
    let odoo = bridge.odoo_or_default(odoo_param.as_deref()).ok_or_else(|| match &odoo_param {
        Some(id) => BridgeError::UnknownOdoo(id.clone()),
        None => BridgeError::OdooNotChosen,
    })?;
    let return_to = match params.return_to.filter(|r| !r.is_empty()) {
        Some(r) => Some(check_return_to(&r).map_err(BridgeError::BadReturnTo)?),
        None => None,
    };
    Ok(LoginTarget::BridgeInitiated { odoo_id: odoo.config().id.clone(), return_to })
}

pub async fn redirect_to_provider(bridge: &Bridge, provider: &str, target: LoginTarget) -> Result<Response, BridgeError> {
    let started = start_login(bridge, provider, target).await?;
    let mut response = super::see_other(&started.upstream_url).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_flow_cookie(&started.state, bridge.config.secure_cookies(), FLOW_TTL_SECS));
    Ok(response)
}
