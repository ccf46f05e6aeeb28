//! `GET /callback/{provider}`: the upstream redirect URI, where a login finishes.
//! It must never finish a flow whose state is not bound to this browser's cookie.

use super::{
    client_ip::ClientIp,
    cookies::{clear_flow_cookie, flow_cookies, set_session_cookie},
    error_pages::PageContext,
};
use crate::{
    audit::{login_finished, login_never_began, FlowRecord, LoginFacts},
    bridge::AppState,
    correlation,
    error::BridgeError,
    login::{finish_login, CallbackAnswer, Finished},
    session::SESSION_TTL_SECS,
    tokens::same_secret,
};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct CallbackParams {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    iss: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    client: ClientIp,
    headers: HeaderMap,
    Query(params): Query<CallbackParams>,
) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let secure = bridge.config.secure_cookies();
    let flow = match bound_flow(bridge, &headers, params.state, secure).await {
        Ok(flow) => flow,
        // No flow: still a login that ended (expired, used, forged, or the store failing), with
        // the same reference on its page, its log line and its audit row.
        Err(error) => {
            return Ok(correlation::in_flow(correlation::fresh(), async {
                login_never_began(bridge, &provider, None, client, &error).await;
                error.into_response()
            })
            .await)
        }
    };
    // The pages from here on speak the language the login started in and lead back to its Odoo.
    let context = PageContext { lang: flow.lang.clone(), odoo_id: flow.target.odoo_id().map(str::to_string) };
    let answer = CallbackAnswer {
        code: params.code,
        error: params.error,
        error_description: params.error_description,
        iss: params.iss,
    };
    let record = FlowRecord::of(&flow);
    // The rest runs in the flow's span: its log lines and error page carry the start's id.
    let id = record.correlation_id.clone().unwrap_or_else(correlation::fresh);
    let mut response = correlation::in_flow(id, async {
        let mut facts = LoginFacts::default();
        let result = finish_login(bridge, &provider, flow, answer, &mut facts).await;
        login_finished(bridge, &record, client, facts, result.as_ref().err()).await;
        match result {
            Ok(Finished::Redirect(location)) => super::see_other(&location).into_response(),
            Ok(Finished::BridgeSession(opened)) => {
                let mut response = super::see_other(&opened.location).into_response();
                response.headers_mut().append(header::SET_COOKIE, set_session_cookie(&opened.id, secure, SESSION_TTL_SECS));
                response
            }
            Err(error) => {
                let mut response = error.into_response();
                response.extensions_mut().insert(context);
                response
            }
        }
    })
    .await;
    response.headers_mut().append(header::SET_COOKIE, clear_flow_cookie(secure));
    Ok(response)
}

/// The pending flow of `state`, taken (a flow finishes once), if it is this browser's.
async fn bound_flow(bridge: &crate::bridge::Bridge, headers: &HeaderMap, state: Option<String>, secure: bool) -> Result<crate::flow::PendingFlow, BridgeError> {
    let flow_state = state.filter(|s| !s.is_empty()).ok_or(BridgeError::FlowExpired)?;
    // Login-CSRF defence: the state must be the one this browser was given.
    if !flow_cookies(headers, secure).iter().any(|c| same_secret(c, &flow_state)) {
        return Err(BridgeError::FlowExpired);
    }
    bridge.store.take_flow(&flow_state).await?.ok_or(BridgeError::FlowExpired)
}
