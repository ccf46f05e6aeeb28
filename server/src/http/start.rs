//! `/login/{provider}` (GET link or form POST) starts the upstream login for a chosen target;
//! `GET /login?email=` (the email form without JavaScript) picks the provider by the domain.
//! It must never accept a `return_to` that leaves the configured Odoo.

use super::{client_ip::ClientIp, cookies::set_flow_cookie};
use crate::{
    bridge::{AppState, Bridge},
    error::BridgeError,
    flow::{LoginTarget, FLOW_TTL_SECS},
    login::{start_login, StartOptions},
    odoo::request::check_return_to,
};
use app::email_routing::{email_domain, route_for};
use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
    Form,
};
use serde::Deserialize;
use url::form_urlencoded;

/// Parameters of `/login/{provider}`, from the query string or a form.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct StartParams {
    pub odoo: Option<String>,
    pub return_to: Option<String>,
    pub pending: Option<String>,
    /// The page's language.
    pub lang: Option<String>,
    /// An address the provider may pre-fill.
    pub login_hint: Option<String>,
}

impl StartParams {
    /// The parameters that say where the login goes, to carry on a link or a form.
    pub fn target_pairs(&self) -> Vec<(&'static str, String)> {
        [("odoo", &self.odoo), ("return_to", &self.return_to), ("pending", &self.pending), ("lang", &self.lang)]
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().filter(|v| !v.is_empty()).map(|v| (name, v.clone())))
            .collect()
    }

    fn options(&self) -> StartOptions {
        StartOptions { login_hint: self.login_hint.clone(), lang: self.lang.clone() }
    }
}

pub async fn start_get(state: State<AppState>, provider: Path<String>, client: ClientIp, Query(params): Query<StartParams>) -> Result<Response, BridgeError> {
    start(state, provider, client, params).await
}

pub async fn start_post(state: State<AppState>, provider: Path<String>, client: ClientIp, Form(params): Form<StartParams>) -> Result<Response, BridgeError> {
    start(state, provider, client, params).await
}

async fn start(State(state): State<AppState>, Path(provider): Path<String>, client: ClientIp, params: StartParams) -> Result<Response, BridgeError> {
    let options = params.options();
    let target = resolve_target(&state.bridge, params).await?;
    redirect_to_provider(&state.bridge, &provider, target, options, client).await
}

/// The email form's query: the address and where the login goes.
#[derive(Debug, Deserialize)]
pub struct EmailParams {
    #[serde(default)]
    email: String,
    #[serde(flatten)]
    target: StartParams,
}

/// `GET /login?email=`: straight to the provider of the address's domain, or back to the page
/// saying why not (the hydrated page does the same without the round trip).
pub async fn start_by_email(State(state): State<AppState>, client: ClientIp, Query(params): Query<EmailParams>) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let EmailParams { email, mut target } = params;
    let problem = match email_domain(&email) {
        None => "invalid".to_string(),
        Some(domain) => {
            let routes: Vec<(String, usize)> = bridge
                .config
                .providers
                .iter()
                .enumerate()
                .flat_map(|(index, p)| p.email_domains.iter().map(move |d| (d.clone(), index)))
                .collect();
            match route_for(&routes, &domain) {
                Some(index) => {
                    let provider = bridge.config.providers[index].id.clone();
                    target.login_hint = Some(email.trim().to_string());
                    let options = target.options();
                    let login_target = resolve_target(bridge, target).await?;
                    return redirect_to_provider(bridge, &provider, login_target, options, client).await;
                }
                None => domain,
            }
        }
    };
    let mut back = target.target_pairs();
    back.push(("email_problem", problem));
    Ok(super::see_other(&format!("/?{}", query_string(&back))))
}

/// `pairs` as an `application/x-www-form-urlencoded` query, in order.
pub fn query_string(pairs: &[(&'static str, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
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

/// A start that fails (provider down, store full) is a login that ended: counted and audited.
pub async fn redirect_to_provider(bridge: &Bridge, provider: &str, target: LoginTarget, options: StartOptions, client: ClientIp) -> Result<Response, BridgeError> {
    let odoo_id = target.odoo_id().map(str::to_string);
    let started = match start_login(bridge, provider, target, options).await {
        Ok(started) => started,
        Err(error) => {
            crate::audit::login_never_began(bridge, provider, odoo_id.as_deref(), client, &error).await;
            return Err(error);
        }
    };
    let mut response = super::see_other(&started.upstream_url).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_flow_cookie(&started.state, bridge.config.secure_cookies(), FLOW_TTL_SECS));
    Ok(response)
}
