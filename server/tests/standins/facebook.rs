//! Facebook Login: the dialog on www.facebook.com (`/v21.0/dialog/oauth`), the token and profile
//! on graph.facebook.com (`/v21.0/oauth/access_token`, `/v21.0/me?fields=…`): two listeners, one
//! state. Facebook quirks kept: the redirect back carries the fragment `#_=_`; errors are
//! `{"error": {"message", "type": "OAuthException", "code", "fbtrace_id"}}`; `/me` only returns
//! the fields asked for and leaves `email` out when the person declined that permission; the
//! subject is an app-scoped numeric id sent as a string. Client credentials go in the request
//! (query or form), as Facebook documents; HTTP Basic is not accepted.

use super::{
    bearer, challenge_is_well_formed, found, html_page, json_response, now, pkce_matches, random_token, redirect_with,
    Decision, Log, Mode, Params, Registration, Server, Switches,
};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, Method, StatusCode, Uri},
    response::Response,
    Router,
};
use serde_json::{json, Map, Value};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

pub const GRAPH_VERSION: &str = "v21.0";

#[derive(Clone, Debug)]
pub struct FacebookAccount {
    /// App-scoped user id.
    pub id: String,
    pub name: String,
    /// `None`: the person has no confirmed email or declined the `email` permission.
    pub email: Option<String>,
}

impl FacebookAccount {
    pub fn new(id: &str, name: &str, email: Option<&str>) -> Self {
        Self { id: id.into(), name: name.into(), email: email.map(str::to_string) }
    }
}

struct Grant {
    redirect_uri: String,
    code_challenge: String,
    account: FacebookAccount,
    issued_at: i64,
}

pub struct FacebookState {
    pub registration: Registration,
    pub switches: Switches,
    pub log: Log,
    account: Mutex<FacebookAccount>,
    codes: Mutex<HashMap<String, Grant>>,
    tokens: Mutex<HashMap<String, FacebookAccount>>,
}

#[derive(Clone)]
pub struct FacebookStandin {
    pub state: Arc<FacebookState>,
    /// www.facebook.com
    pub www: Arc<Server>,
    /// graph.facebook.com
    pub graph: Arc<Server>,
}

impl FacebookStandin {
    pub async fn start(registration: Registration) -> Self {
        let state = Arc::new(FacebookState {
            registration,
            switches: Switches::default(),
            log: Log::default(),
            account: Mutex::new(FacebookAccount::new("0", "Nobody", None)),
            codes: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
        });
        let www = Server::start(Router::new().fallback(www).with_state(state.clone())).await;
        let graph = Server::start(Router::new().fallback(graph).with_state(state.clone())).await;
        Self { state, www, graph }
    }
    /// `base_url` in the bridge config.
    pub fn base_url(&self) -> String {
        self.www.url()
    }
    /// `graph_url` in the bridge config.
    pub fn graph_url(&self) -> String {
        self.graph.url()
    }
    pub fn set_account(&self, account: FacebookAccount) {
        *self.state.account.lock().expect("account") = account;
    }
    pub fn set_mode(&self, mode: Mode) {
        self.state.switches.set_mode(mode);
    }
    pub fn set_decision(&self, decision: Decision) {
        self.state.switches.set_decision(decision);
    }
    pub fn events(&self) -> Vec<String> {
        self.state.log.lines()
    }
    pub fn count(&self, prefix: &str) -> usize {
        self.events().iter().filter(|l| l.starts_with(prefix)).count()
    }
}

fn graph_error(status: StatusCode, message: &str, kind: &str, code: u32, subcode: Option<u32>) -> Response {
    let mut error = Map::new();
    error.insert("message".into(), message.into());
    error.insert("type".into(), kind.into());
    error.insert("code".into(), code.into());
    if let Some(s) = subcode {
        error.insert("error_subcode".into(), s.into());
    }
    error.insert("fbtrace_id".into(), random_token("A", 22).into());
    let mut response = json_response(status, json!({ "error": error }));
    response.headers_mut().insert("www-authenticate", header::HeaderValue::from_static("OAuth \"Facebook Platform\" \"invalid_request\""));
    response
}

/// `/v21.0/x` → `x` for any `vNN.N` version prefix; unversioned paths too.
fn unversioned(path: &str) -> &str {
    let trimmed = path.trim_start_matches('/');
    match trimmed.split_once('/') {
        Some((v, rest)) if v.starts_with('v') && v[1..].contains('.') => rest,
        _ => trimmed,
    }
}

async fn www(State(state): State<Arc<FacebookState>>, method: Method, uri: Uri) -> Response {
    if state.switches.mode() == Mode::Failing {
        state.log.push(format!("500 {}", uri.path()));
        return html_page(StatusCode::INTERNAL_SERVER_ERROR, "Sorry, something went wrong.", "We're working on it and we'll get it fixed as soon as we can.");
    }
    if method == Method::GET && unversioned(uri.path()) == "dialog/oauth" {
        return dialog(&state, &Params::parse(uri.query().unwrap_or("")));
    }
    state.log.push(format!("404 {method} {}", uri.path()));
    html_page(StatusCode::NOT_FOUND, "This page isn't available", "The link you followed may be broken, or the page may have been removed.")
}

fn dialog(state: &FacebookState, q: &Params) -> Response {
    let reg = &state.registration;
    state.log.push(format!("dialog {}", q.0.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(",")));
    if q.get("client_id") != Some(reg.client_id.as_str()) {
        return html_page(StatusCode::BAD_REQUEST, "Invalid App ID", "The provided app ID does not look like a valid app ID.");
    }
    let Some(redirect_uri) = q.value("redirect_uri").filter(|r| reg.allows(r)) else {
        state.log.push("dialog refused: redirect_uri not allowed");
        return html_page(
            StatusCode::BAD_REQUEST,
            "URL blocked",
            "This redirect failed because the redirect URI is not allowlisted in the app's client OAuth settings.",
        );
    };
    let state_param = q.get("state").unwrap_or_default().to_string();
    let fail = |error: &str, reason: &str, description: &str| -> Response {
        state.log.push(format!("dialog error {error}: {description}"));
        found(&redirect_with(
            redirect_uri,
            &[("error_code", "100".into()), ("error_reason", reason.into()), ("error", error.into()), ("error_description", description.into()), ("state", state_param.clone())],
            Some("_=_"),
        ))
    };
    if q.get("response_type").is_some_and(|r| r != "code") {
        return fail("invalid_request", "invalid_response_type", "This stand-in serves response_type=code only.");
    }
    if state_param.is_empty() {
        return fail("invalid_request", "missing_state", "state is required by this stand-in.");
    }
    let Some(challenge) = q.value("code_challenge") else {
        return fail("invalid_request", "missing_code_challenge", "code_challenge is required (PKCE).");
    };
    if q.get("code_challenge_method") != Some("S256") || !challenge_is_well_formed(challenge) {
        return fail("invalid_request", "invalid_code_challenge_method", "code_challenge_method must be S256.");
    }
    if state.switches.decision() == Decision::Deny {
        state.log.push("dialog error access_denied");
        return found(&redirect_with(
            redirect_uri,
            &[("error_reason", "user_denied".into()), ("error", "access_denied".into()), ("error_description", "Permissions error.".into()), ("state", state_param)],
            Some("_=_"),
        ));
    }
    let mut account = state.account.lock().expect("account").clone();
    // Without the email permission requested, Facebook never shares the address.
    let scopes = q.get("scope").unwrap_or_default();
    if !scopes.split([',', ' ']).any(|s| s == "email") {
        account.email = None;
    }
    let code = random_token("AQ", 300);
    state.codes.lock().expect("codes").insert(
        code.clone(),
        Grant { redirect_uri: redirect_uri.to_string(), code_challenge: challenge.to_string(), account, issued_at: now() },
    );
    state.log.push("dialog approved");
    found(&redirect_with(redirect_uri, &[("code", code), ("state", state_param)], Some("_=_")))
}

async fn graph(State(state): State<Arc<FacebookState>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    if state.switches.mode() == Mode::Failing {
        state.log.push(format!("500 graph {}", uri.path()));
        return graph_error(StatusCode::INTERNAL_SERVER_ERROR, "An unexpected error has occurred. Please retry your request later.", "OAuthException", 2, None);
    }
    let mut params = Params::parse(uri.query().unwrap_or(""));
    if method == Method::POST {
        params = params.merged(Params::parse(&String::from_utf8_lossy(&body)));
    }
    match (unversioned(uri.path()), &method) {
        ("oauth/access_token", &Method::GET | &Method::POST) => access_token(&state, &headers, &params),
        ("me", &Method::GET) => me(&state, &headers, &params),
        (path, _) => {
            state.log.push(format!("graph 404 {method} {path}"));
            graph_error(StatusCode::BAD_REQUEST, "Unknown path components", "OAuthException", 2500, None)
        }
    }
}

fn access_token(state: &FacebookState, headers: &HeaderMap, p: &Params) -> Response {
    let reg = &state.registration;
    let error = |message: &str, code: u32, subcode: Option<u32>| -> Response {
        state.log.push(format!("token error {code}: {message}"));
        graph_error(StatusCode::BAD_REQUEST, message, "OAuthException", code, subcode)
    };
    if headers.contains_key(header::AUTHORIZATION) && p.value("client_secret").is_none() {
        return error("Missing client_secret parameter. (Facebook reads client credentials from the request parameters, not HTTP Basic.)", 1, None);
    }
    if p.get("client_id") != Some(reg.client_id.as_str()) {
        return error("Error validating application. Invalid application ID.", 101, None);
    }
    match p.value("client_secret") {
        None => return error("Missing client_secret parameter.", 1, None),
        Some(s) if s != reg.client_secret => return error("Error validating client secret.", 1, None),
        Some(_) => {}
    }
    let Some(code) = p.value("code") else {
        return error("Missing authorization code", 1, None);
    };
    let Some(grant) = state.codes.lock().expect("codes").remove(code) else {
        return error("This authorization code has been used.", 100, Some(36009));
    };
    if p.get("redirect_uri") != Some(grant.redirect_uri.as_str()) {
        return error(
            "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
            100,
            Some(36008),
        );
    }
    if now() - grant.issued_at > 600 {
        return error("This authorization code has expired.", 100, Some(36007));
    }
    let verified = p.value("code_verifier").ok_or("code_verifier is missing (PKCE)").and_then(|v| pkce_matches(v, &grant.code_challenge));
    if let Err(reason) = verified {
        return error(&format!("Invalid code verifier: {reason}."), 100, None);
    }
    let token = random_token("EAAG", 180);
    state.tokens.lock().expect("tokens").insert(token.clone(), grant.account);
    state.log.push("token issued");
    json_response(StatusCode::OK, json!({"access_token": token, "token_type": "bearer", "expires_in": 5183944}))
}

fn me(state: &FacebookState, headers: &HeaderMap, p: &Params) -> Response {
    let token = bearer(headers, false).or_else(|| p.value("access_token").map(str::to_string));
    let Some(token) = token else {
        state.log.push("me refused: no token");
        return graph_error(StatusCode::BAD_REQUEST, "An active access token must be used to query information about the current user.", "OAuthException", 2500, None);
    };
    let Some(account) = state.tokens.lock().expect("tokens").get(&token).cloned() else {
        state.log.push("me refused: bad token");
        return graph_error(StatusCode::BAD_REQUEST, "Invalid OAuth access token - Cannot parse access token", "OAuthException", 190, None);
    };
    let fields = p.value("fields").unwrap_or("id,name");
    let mut out = Map::new();
    for field in fields.split(',').map(str::trim) {
        match field {
            "id" => {
                out.insert("id".into(), account.id.clone().into());
            }
            "name" => {
                out.insert("name".into(), account.name.clone().into());
            }
            "email" => {
                if let Some(e) = &account.email {
                    out.insert("email".into(), e.clone().into());
                }
            }
            "first_name" => {
                out.insert("first_name".into(), account.name.split(' ').next().unwrap_or_default().into());
            }
            "last_name" => {
                out.insert("last_name".into(), account.name.split(' ').skip(1).collect::<Vec<_>>().join(" ").into());
            }
            "" => {}
            other => {
                state.log.push(format!("me refused: field {other}"));
                return graph_error(StatusCode::BAD_REQUEST, &format!("(#100) Tried accessing nonexisting field ({other}) on node type (User)"), "OAuthException", 100, None);
            }
        }
    }
    // Graph always answers the id.
    out.entry("id").or_insert(account.id.clone().into());
    state.log.push(format!("me fields={fields}"));
    json_response(StatusCode::OK, Value::Object(out))
}
