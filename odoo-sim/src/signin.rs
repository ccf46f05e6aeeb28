// Owns: `GET /auth_oauth/signin` end to end (state checks, one validation call, user lookup or sign-up, session, redirect).
// Must never hold the state lock while calling the provider, nor accept a token without validating it.

use crate::db::{Database, User, GROUP_PORTAL};
use crate::page_session::anonymous_cookie;
use crate::pyjson::py_repr;
use crate::request_url::host;
use crate::responses::Reply;
use crate::seed::SignupScope;
use crate::sessions::session_cookie;
use crate::state::SharedSim;
use crate::token_validation::{auth_oauth_rpc, TokenPlacement};
use crate::urlcodec::{first, local_redirect, parse_query, url_parse, url_unquote_plus};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::{Map, Value};

/// The page auth_oauth answers when the token is still in the URL fragment (file 04).
pub const FRAGMENT_TO_QUERY_PAGE: &str = "<html><head><script>
                var l = window.location;
                var q = l.hash.substring(1);
                var r = l.pathname + l.search;
                if(q.length !== 0) {
                    var s = l.search ? (l.search === '?' ? '' : '&') : '?';
                    r = l.pathname + l.search + s + q;
                }
                if (r == l.pathname) {
                    r = '/';
                }
                window.location = r;
            </script></head><body></body></html>";

/// Why a sign-in ends on `/web/login?oauth_error=N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OAuthError {
    /// auth_signup is not installed.
    SignupNotInstalled = 1,
    /// Any other exception (validation failure, sign-up error…).
    Failure = 2,
    /// AccessDenied: no linked user and sign-up refused.
    AccessDenied = 3,
}

/// Python truthiness of a JSON value.
fn truthy(v: &Value) -> bool {
    crate::orm::bool_value(v)
}

/// Python `str(value)`.
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => py_repr(other),
    }
}

/// The checked, parsed part of the request that comes before any outgoing call.
struct SigninRequest {
    state: Map<String, Value>,
    provider: Value,
    access_token: Option<String>,
}

/// Controller checks of `signin(**kw)` that end in a bare HTTP error.
fn parse_request(params: &[(String, String)], db: &Database, host: &str) -> Result<SigninRequest, StatusCode> {
    let raw_state = first(params, "state").ok_or(StatusCode::INTERNAL_SERVER_ERROR)?;
    let state: Value = serde_json::from_str(raw_state).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let Value::Object(state) = state else { return Err(StatusCode::INTERNAL_SERVER_ERROR) };
    let dbname = state.get("d").ok_or(StatusCode::INTERNAL_SERVER_ERROR)?;
    let Value::String(dbname) = dbname else { return Err(StatusCode::INTERNAL_SERVER_ERROR) };
    if !db.db_filter_accepts(dbname, host) {
        return Err(StatusCode::BAD_REQUEST);
    }
    if *dbname != db.name {
        // ensure_db() on a database this server does not have
        return Err(StatusCode::INTERNAL_SERVER_ERROR);
    }
    let provider = state.get("p").cloned().ok_or(StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(SigninRequest {
        state,
        provider,
        access_token: first(params, "access_token").map(str::to_string),
    })
}

/// `browse(state['p'])`: an integer id (or digits, which PostgreSQL casts) of an existing provider.
fn provider_id(db: &Database, p: &Value) -> Option<i64> {
    let id = match p {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    db.providers.contains_key(&id).then_some(id)
}

/// `_auth_oauth_validate`: one validation call, the optional data call, the subject.
async fn validate(
    sim: &SharedSim,
    provider: i64,
    access_token: Option<&str>,
) -> Result<(String, Map<String, Value>), OAuthError> {
    let (version, validation_endpoint, data_endpoint, placement) = {
        let world = sim.world();
        let p = world.db.providers.get(&provider).ok_or(OAuthError::Failure)?;
        let placement = if world.db.authorization_header_enabled() {
            TokenPlacement::BearerHeader
        } else {
            TokenPlacement::Query
        };
        (world.db.version.clone(), p.validation_endpoint.clone(), p.data_endpoint.clone(), placement)
    };
    // requests.get(False) raises before any I/O
    let endpoint = validation_endpoint.ok_or(OAuthError::Failure)?;
    let (answer, record) =
        auth_oauth_rpc(&sim.http, &version, &endpoint, access_token, placement, provider, "validation").await;
    sim.log_validation(record);
    let mut validation = answer.map_err(|_| OAuthError::Failure)?;
    if validation.get("error").is_some_and(truthy) {
        return Err(OAuthError::Failure);
    }
    if let Some(data_endpoint) = data_endpoint.filter(|d| !d.is_empty()) {
        let (data, record) =
            auth_oauth_rpc(&sim.http, &version, &data_endpoint, access_token, placement, provider, "data").await;
        sim.log_validation(record);
        validation.extend(data.map_err(|_| OAuthError::Failure)?);
    }
    // every candidate key is popped, then the first truthy one wins
    let candidates: Vec<Option<Value>> =
        version.subject_keys().iter().map(|k| validation.remove(*k)).collect();
    let subject = candidates.into_iter().flatten().find(truthy);
    let Some(subject) = subject else {
        return Err(if version.missing_subject_is_access_denied() {
            OAuthError::AccessDenied
        } else {
            OAuthError::Failure
        });
    };
    let subject = py_str(&subject);
    validation.insert("user_id".into(), Value::String(subject.clone()));
    Ok((subject, validation))
}

/// `_auth_oauth_signin`: the linked user gets the token written, else auth_signup creates one.
/// Returns the uid to log in.
fn signin_user(
    db: &mut Database,
    provider: i64,
    subject: &str,
    validation: &Map<String, Value>,
    request: &SigninRequest,
) -> Result<i64, OAuthError> {
    if let Some(uid) = db.find_oauth_user(provider, subject) {
        let token = request.access_token.clone().ok_or(OAuthError::Failure)?;
        if let Some(user) = db.users.get_mut(&uid) {
            user.oauth_access_token = Some(token);
        }
        return Ok(uid);
    }
    // _generate_signup_values
    let email = match validation.get("email") {
        Some(v) => v.clone(),
        None => Value::String(format!("provider_{provider}_user_{subject}")),
    };
    let name = validation.get("name").cloned().unwrap_or_else(|| email.clone());
    let token = request.access_token.clone().ok_or(OAuthError::Failure)?;
    if !db.signup_installed {
        return Err(OAuthError::SignupNotInstalled);
    }
    // signup(values, token): invitations are not simulated, so any token is invalid
    if request.state.get("t").is_some_and(truthy) {
        return Err(OAuthError::AccessDenied);
    }
    if db.signup_scope() != SignupScope::B2c {
        return Err(OAuthError::AccessDenied);
    }
    if !truthy(&email) {
        // ValueError('Signup: no login given for new user')
        return Err(OAuthError::Failure);
    }
    if !truthy(&name) {
        return Err(OAuthError::Failure);
    }
    let login = py_str(&email);
    let id = db.next_user_id();
    let user = User {
        id,
        login: login.clone(),
        email: Some(login),
        name: py_str(&name),
        password: None,
        api_keys: vec![],
        active: true,
        groups: vec![GROUP_PORTAL],
        oauth_provider_id: Some(provider),
        oauth_uid: Some(subject.to_string()),
        oauth_access_token: Some(token),
        partner_id: db.next_partner_id(),
        settings_id: id,
    };
    // copy() failing (login taken…) becomes SignupError, re-raised as AccessDenied
    db.check_user_constraints(&user).map_err(|_| OAuthError::AccessDenied)?;
    db.users.insert(id, user);
    Ok(id)
}

/// Where the browser goes after a successful sign-in (`state` r / a / m, else home).
fn redirect_target(db: &Database, state: &Map<String, Value>) -> Result<String, OAuthError> {
    let home = db.version.home_path();
    let r = state.get("r").filter(|v| truthy(v));
    if let Some(r) = r {
        // url_unquote_plus(non-string) raises inside the try: oauth_error=2
        let Value::String(r) = r else { return Err(OAuthError::Failure) };
        return Ok(url_unquote_plus(r));
    }
    let modern = db.version.major >= 18;
    if let Some(a) = state.get("a").filter(|v| truthy(v)) {
        return Ok(if modern { format!("/odoo/action-{}", py_str(a)) } else { format!("/web#action={}", py_str(a)) });
    }
    if let Some(m) = state.get("m").filter(|v| truthy(v)) {
        return Ok(if modern { format!("/odoo?menu_id={}", py_str(m)) } else { format!("/web#menu_id={}", py_str(m)) });
    }
    Ok(home.to_string())
}

/// `GET /auth_oauth/signin`.
pub async fn signin(State(sim): State<SharedSim>, headers: HeaderMap, uri: Uri) -> Reply {
    let params = uri.query().map(parse_query).unwrap_or_default();
    if params.is_empty() {
        let mut world = sim.world();
        let cs = world.sessions.classify(&headers, &world.db);
        let cookie = anonymous_cookie(&mut world, &cs);
        return Reply::html(FRAGMENT_TO_QUERY_PAGE.to_string()).cookie_opt(cookie);
    }
    let request = {
        let world = sim.world();
        parse_request(&params, &world.db, &host(&headers))
    };
    let request = match request {
        Ok(r) => r,
        Err(status) => return Reply::werkzeug_error(status),
    };
    let provider = {
        let world = sim.world();
        provider_id(&world.db, &request.provider)
    };
    let outcome = match provider {
        None => Err(OAuthError::Failure),
        Some(provider) => match validate(&sim, provider, request.access_token.as_deref()).await {
            Err(e) => Err(e),
            Ok((subject, validation)) => {
                let mut world = sim.world();
                signin_user(&mut world.db, provider, &subject, &validation, &request)
                    .and_then(|uid| Ok((uid, redirect_target(&world.db, &request.state)?)))
            }
        },
    };
    match &outcome {
        Ok((uid, url)) => tracing::info!(uid, url = url.as_str(), "auth_oauth signin succeeded"),
        Err(e) => tracing::info!(error = ?e, "auth_oauth signin failed"),
    }
    let mut world = sim.world();
    let cs = world.sessions.classify(&headers, &world.db);
    match outcome {
        Ok((uid, url)) => {
            let Some(user) = world.db.active_user(uid).cloned() else {
                return failure(&mut world, &cs, OAuthError::AccessDenied);
            };
            if let Some(old) = cs.stored_sid() {
                world.sessions.delete(old);
            }
            let sid = world.sessions.create_authenticated(uid, user.session_token());
            let location = local_redirect(&url);
            let header_location = if url_parse(&location).path == "/web" && !user.is_internal() {
                "/".to_string()
            } else {
                location.clone()
            };
            Reply::redirect_showing(&header_location, &location).cookie(session_cookie(&sid))
        }
        Err(e) => failure(&mut world, &cs, e),
    }
}

fn failure(world: &mut crate::state::World, cs: &crate::sessions::CookieSession, e: OAuthError) -> Reply {
    let cookie = anonymous_cookie(world, cs);
    Reply::redirect(&format!("/web/login?oauth_error={}", e as u8)).cookie_opt(cookie)
}
