//! `GET /odoo/authorize[/{provider}]`: Odoo's auth_endpoint, the start of the Odoo-initiated flow.
//! It must never redirect when the request fails a check: the error page is the answer.

use super::{client_ip::ClientIp, start::redirect_to_provider};
use crate::{
    bridge::AppState,
    error::BridgeError,
    flow::{LoginTarget, ODOO_REQUEST_TTL_SECS},
    odoo::request::OdooAuthorizeRequest,
    tokens::random_256,
};
use axum::{
    extract::{Path, RawQuery, State},
    response::{IntoResponse, Response},
};

pub async fn authorize_any(State(state): State<AppState>, client: ClientIp, RawQuery(query): RawQuery) -> Result<Response, BridgeError> {
    authorize(state, None, client, query.unwrap_or_default()).await
}

pub async fn authorize_with_provider(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    client: ClientIp,
    RawQuery(query): RawQuery,
) -> Result<Response, BridgeError> {
    authorize(state, Some(provider), client, query.unwrap_or_default()).await
}

async fn authorize(state: AppState, provider: Option<String>, client: ClientIp, query: String) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let request = OdooAuthorizeRequest::parse(&bridge.config, &query)?;
    let target = LoginTarget::OdooInitiated {
        odoo_id: request.odoo_id,
        odoo_state: request.state,
        provider_record: request.provider_record,
    };
    match provider {
        Some(provider) => redirect_to_provider(bridge, &provider, target, Default::default(), client).await,
        None => {
            // No provider chosen in Odoo: keep the request and let the person pick.
            let id = random_256();
            bridge.store.put_odoo_request(&id, &target, ODOO_REQUEST_TTL_SECS).await?;
            Ok(super::see_other(&format!("/?pending={id}")).into_response())
        }
    }
}
