//! The shared OpenID Connect engine: discovery, JWKS, authorize (auto-approve), token (code +
//! PKCE, client_secret_basic or _post), userinfo. What differs between providers — paths,
//! discovery fields, authorization-response extras, ID-token issuer — is a [`Flavor`]:
//! Google, GitLab and a Keycloak-like generic provider here, Microsoft in `microsoft.rs`.

use super::{
    at_hash, bearer, client_credentials, challenge_is_well_formed, found, html_page, json_response, no_store, now,
    pkce_matches, random_token, redirect_with, Decision, Log, Mode, Params, Registration, Server, SigningKey, Switches,
};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    Router,
};
use serde_json::{json, Map, Value};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
};

/// Which endpoint a request path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Discovery,
    Authorize,
    Token,
    UserInfo,
    Jwks,
    /// RP-Initiated Logout's end_session_endpoint.
    EndSession,
}

/// What makes one OpenID provider look like itself.
pub trait Flavor: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    /// The endpoint a path is, with the path's variable segment (Microsoft's tenant) or "".
    fn route(&self, path: &str) -> Option<(Endpoint, String)>;
    /// The issuer a bridge is configured with (what `{issuer}/.well-known/openid-configuration` serves).
    fn issuer(&self, base: &str) -> String;
    fn discovery(&self, base: &str, segment: &str) -> Value;
    /// `iss` of an ID token for these claims.
    fn id_token_issuer(&self, base: &str, _claims: &Map<String, Value>) -> String {
        self.issuer(base)
    }
    /// Extra parameters on a successful authorization response (RFC 9207 `iss`, session state…).
    fn authorization_extras(&self, _base: &str, _grant: &Grant) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    /// Extra parameters on an error authorization response.
    fn error_extras(&self, _base: &str) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    fn access_denied_description(&self) -> Option<&'static str> {
        None
    }
    /// Claims added to every ID token besides iss/sub/aud/exp/iat/nonce (e.g. Google's `azp`).
    fn id_token_extras(&self, _grant: &Grant, _client_id: &str) -> Map<String, Value> {
        Map::new()
    }
    fn token_extras(&self, _grant: &Grant) -> Map<String, Value> {
        Map::new()
    }
    /// The `scope` a token response reports.
    fn granted_scope(&self, grant: &Grant) -> String {
        grant.scope.clone()
    }
    fn access_token(&self) -> String {
        random_token("", 40)
    }
    fn decorate_jwk(&self, _base: &str, jwk: &mut Map<String, Value>) {
        jwk.insert("alg".into(), "RS256".into());
    }
    /// The JSON error body of the token endpoint.
    fn token_error(&self, error: &str, description: &str) -> Value {
        json!({"error": error, "error_description": description})
    }
    /// What userinfo answers for these ID-token claims.
    fn userinfo(&self, claims: &Map<String, Value>) -> Value {
        let mut out = Map::new();
        for (k, v) in claims {
            if !PROTOCOL_CLAIMS.contains(&k.as_str()) {
                out.insert(k.clone(), v.clone());
            }
        }
        Value::Object(out)
    }
    /// Checks the flavor makes on the authorization request beyond the common ones (Microsoft
    /// refuses an account outside the tenant in the path). `Err` is a page, not a redirect.
    fn check_account(&self, _segment: &str, _claims: &Map<String, Value>) -> Result<(), String> {
        Ok(())
    }
}

/// Claims about the token rather than the person: never copied into userinfo.
pub const PROTOCOL_CLAIMS: &[&str] =
    &["iss", "aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash", "auth_time", "aio", "rh", "uti", "ver", "sid", "acr", "amr"];

/// The person the stand-in signs in as.
#[derive(Clone, Debug, Default)]
pub struct Account {
    pub sub: String,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub name: Option<String>,
    /// Any other claim, as the provider would put it in the ID token and userinfo.
    pub extra: Map<String, Value>,
}

impl Account {
    pub fn new(sub: &str) -> Self {
        Self { sub: sub.into(), ..Self::default() }
    }
    pub fn email(mut self, email: &str, verified: bool) -> Self {
        self.email = Some(email.into());
        self.email_verified = Some(verified);
        self
    }
    /// An email claim with no `email_verified` claim at all.
    pub fn email_only(mut self, email: &str) -> Self {
        self.email = Some(email.into());
        self.email_verified = None;
        self
    }
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.into());
        self
    }
    pub fn claim(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }
    pub fn claims(&self) -> Map<String, Value> {
        let mut claims = Map::new();
        claims.insert("sub".into(), self.sub.clone().into());
        if let Some(name) = &self.name {
            claims.insert("name".into(), name.clone().into());
        }
        if let Some(email) = &self.email {
            claims.insert("email".into(), email.clone().into());
        }
        if let Some(verified) = self.email_verified {
            claims.insert("email_verified".into(), verified.into());
        }
        for (k, v) in &self.extra {
            claims.insert(k.clone(), v.clone());
        }
        claims
    }
}

/// An authorization code's binding, kept until it is redeemed once.
#[derive(Clone, Debug)]
pub struct Grant {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub nonce: String,
    pub code_challenge: String,
    pub claims: Map<String, Value>,
    pub issued_at: i64,
    pub segment: String,
}

/// How long a code may wait before it is redeemed (Google: a few minutes; Entra: 10 min).
const CODE_LIFETIME_SECS: i64 = 600;

pub struct OidcState {
    pub flavor: Box<dyn Flavor>,
    base: OnceLock<String>,
    pub registration: Registration,
    pub switches: Switches,
    pub log: Log,
    account: Mutex<Account>,
    /// The first key signs; every key is published.
    keys: Mutex<Vec<SigningKey>>,
    codes: Mutex<HashMap<String, Grant>>,
    tokens: Mutex<HashMap<String, Map<String, Value>>>,
    /// Claims forced into the next ID tokens last (to forge a bad token on purpose).
    tamper: Mutex<Map<String, Value>>,
    /// Refresh tokens handed out → the subject they belong to (used by the refresh_token grant).
    refresh_tokens: Mutex<HashMap<String, String>>,
    /// Subjects whose account an administrator disabled: their refresh tokens are refused.
    disabled: Mutex<std::collections::HashSet<String>>,
}

impl OidcState {
    pub fn base(&self) -> &str {
        self.base.get().map(String::as_str).unwrap_or("")
    }
}

/// One running OpenID provider stand-in.
#[derive(Clone)]
pub struct OidcStandin {
    pub state: Arc<OidcState>,
    pub server: Arc<Server>,
}

impl OidcStandin {
    pub async fn start(flavor: Box<dyn Flavor>, registration: Registration, key: SigningKey) -> Self {
        let state = Arc::new(OidcState {
            flavor,
            base: OnceLock::new(),
            registration,
            switches: Switches::default(),
            log: Log::default(),
            account: Mutex::new(Account::new("nobody")),
            keys: Mutex::new(vec![key]),
            codes: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            tamper: Mutex::new(Map::new()),
            refresh_tokens: Mutex::new(HashMap::new()),
            disabled: Mutex::new(Default::default()),
        });
        let router = Router::new().fallback(handle).with_state(state.clone());
        let server = Server::start(router).await;
        let _ = state.base.set(server.url());
        Self { state, server }
    }

    /// `http://127.0.0.1:port` (Microsoft's `authority`).
    pub fn url(&self) -> String {
        self.server.url()
    }
    /// What the bridge config names as `issuer`.
    pub fn issuer(&self) -> String {
        self.state.flavor.issuer(self.state.base())
    }
    pub fn set_account(&self, account: Account) {
        *self.state.account.lock().expect("account") = account;
    }
    pub fn set_mode(&self, mode: Mode) {
        self.state.switches.set_mode(mode);
    }
    pub fn set_decision(&self, decision: Decision) {
        self.state.switches.set_decision(decision);
    }
    /// Signs with a new key from now on and stops publishing the old one.
    pub fn rotate_keys(&self, key: SigningKey) {
        *self.state.keys.lock().expect("keys") = vec![key];
    }
    /// Publishes an extra key besides the signing key (Google publishes two).
    pub fn publish_key(&self, key: SigningKey) {
        self.state.keys.lock().expect("keys").push(key);
    }
    /// Claims put into the next ID tokens over the computed ones (forgeries on purpose).
    pub fn tamper_id_token(&self, claims: Map<String, Value>) {
        *self.state.tamper.lock().expect("tamper") = claims;
    }
    /// An administrator disables the account `sub`: its refresh tokens stop working.
    pub fn disable_account(&self, sub: &str) {
        self.state.disabled.lock().expect("disabled").insert(sub.to_string());
    }
    /// The claims of a valid back-channel logout token for this client (Back-Channel Logout 1.0
    /// §2.4): iss, aud, iat, exp, a fresh jti and the logout event; add `sub` and/or `sid`.
    pub fn logout_claims(&self) -> Map<String, Value> {
        let mut claims = Map::new();
        claims.insert("iss".into(), self.issuer().into());
        claims.insert("aud".into(), self.state.registration.client_id.clone().into());
        claims.insert("iat".into(), now().into());
        claims.insert("exp".into(), (now() + 120).into());
        claims.insert("jti".into(), random_token("", 24).into());
        claims.insert("events".into(), json!({"http://schemas.openid.net/event/backchannel-logout": {}}));
        claims
    }
    /// Signs `claims` with the provider's current key, as its logout tokens are.
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        let key = self.state.keys.lock().expect("keys")[0].clone();
        key.sign_jwt(&Value::Object(claims.clone()))
    }
    pub fn events(&self) -> Vec<String> {
        self.state.log.lines()
    }
    pub fn count(&self, prefix: &str) -> usize {
        self.events().iter().filter(|l| l.starts_with(prefix)).count()
    }
}

async fn handle(State(state): State<Arc<OidcState>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path().to_string();
    let query = Params::parse(uri.query().unwrap_or(""));
    let Some((endpoint, segment)) = state.flavor.route(&path) else {
        state.log.push(format!("404 {method} {path}"));
        return html_page(StatusCode::NOT_FOUND, "Not Found", "No such page.");
    };
    if state.switches.mode() == Mode::Failing {
        state.log.push(format!("500 {endpoint:?} (failing)"));
        return html_page(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", "The server is down for maintenance.");
    }
    let base = state.base().to_string();
    match (endpoint, &method) {
        (Endpoint::Discovery, &Method::GET) => {
            state.log.push(format!("discovery {segment}"));
            json_response(StatusCode::OK, state.flavor.discovery(&base, &segment))
        }
        (Endpoint::Jwks, &Method::GET) => {
            state.log.push("jwks");
            let keys: Vec<Value> = state
                .keys
                .lock()
                .expect("keys")
                .iter()
                .map(|k| {
                    let mut jwk = k.jwk();
                    state.flavor.decorate_jwk(&base, &mut jwk);
                    Value::Object(jwk)
                })
                .collect();
            json_response(StatusCode::OK, json!({ "keys": keys }))
        }
        (Endpoint::Authorize, &Method::GET) => authorize(&state, &base, &segment, &query),
        (Endpoint::Token, &Method::POST) => token(&state, &base, &headers, &body),
        (Endpoint::UserInfo, &Method::GET | &Method::POST) => userinfo(&state, &headers),
        (Endpoint::EndSession, &Method::GET) => end_session(&state, &query),
        _ => {
            state.log.push(format!("405 {method} {path}"));
            (StatusCode::METHOD_NOT_ALLOWED, "method not allowed").into_response()
        }
    }
}

fn authorize(state: &OidcState, base: &str, segment: &str, q: &Params) -> Response {
    let reg = &state.registration;
    let flavor = &state.flavor;
    state.log.push(format!("authorize {}", q.0.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(",")));
    // Errors about the client or the redirect URI are shown, never redirected (RFC 6749 §4.1.2.1).
    if q.get("client_id") != Some(reg.client_id.as_str()) {
        state.log.push("authorize refused: invalid_client");
        return html_page(StatusCode::BAD_REQUEST, "Error 401: invalid_client", "The OAuth client was not found.");
    }
    let Some(redirect_uri) = q.value("redirect_uri").filter(|r| reg.allows(r)) else {
        state.log.push(format!("authorize refused: redirect_uri_mismatch ({:?})", q.get("redirect_uri")));
        return html_page(
            StatusCode::BAD_REQUEST,
            "Error 400: redirect_uri_mismatch",
            "The redirect URI in the request does not match the ones authorized for the OAuth client.",
        );
    };
    let state_param = q.get("state").map(str::to_string);
    let fail = |error: &str, description: &str| -> Response {
        state.log.push(format!("authorize error {error}: {description}"));
        let mut params = vec![("error", error.to_string()), ("error_description", description.to_string())];
        if let Some(s) = &state_param {
            params.push(("state", s.clone()));
        }
        params.extend(flavor.error_extras(base));
        found(&redirect_with(redirect_uri, &params, None))
    };
    if let Some(key) = q.duplicated() {
        return fail("invalid_request", &format!("parameter {key} is included more than once"));
    }
    if q.get("response_type") != Some("code") {
        return fail("unsupported_response_type", "only response_type=code is enabled for this client");
    }
    let scope = q.get("scope").unwrap_or_default().to_string();
    if !scope.split(' ').any(|s| s == "openid") {
        return fail("invalid_scope", "the openid scope is required");
    }
    if state_param.as_deref().unwrap_or_default().is_empty() {
        return fail("invalid_request", "state is required by this stand-in");
    }
    let Some(nonce) = q.value("nonce") else {
        return fail("invalid_request", "nonce is required by this stand-in");
    };
    let Some(challenge) = q.value("code_challenge") else {
        return fail("invalid_request", "code_challenge is required (PKCE)");
    };
    if q.get("code_challenge_method") != Some("S256") {
        return fail("invalid_request", "code_challenge_method must be S256");
    }
    if !challenge_is_well_formed(challenge) {
        return fail("invalid_request", "code_challenge is not a base64url SHA-256");
    }
    let claims = state.account.lock().expect("account").claims();
    if let Err(page) = flavor.check_account(segment, &claims) {
        state.log.push(format!("authorize refused: {page}"));
        return html_page(StatusCode::BAD_REQUEST, "Sign-in error", &page);
    }
    if state.switches.decision() == Decision::Deny {
        let description = flavor.access_denied_description().unwrap_or("The resource owner denied the request.");
        return fail("access_denied", description);
    }
    let grant = Grant {
        client_id: reg.client_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        scope,
        nonce: nonce.to_string(),
        code_challenge: challenge.to_string(),
        claims,
        issued_at: now(),
        segment: segment.to_string(),
    };
    let code = random_token("", 48);
    let mut params = vec![("code", code.clone()), ("state", state_param.unwrap_or_default())];
    params.extend(flavor.authorization_extras(base, &grant));
    state.codes.lock().expect("codes").insert(code, grant);
    state.log.push("authorize approved");
    found(&redirect_with(redirect_uri, &params, None))
}

fn token(state: &OidcState, base: &str, headers: &HeaderMap, body: &Bytes) -> Response {
    let flavor = &state.flavor;
    let reg = &state.registration;
    let error = |status: StatusCode, error: &str, description: &str| -> Response {
        state.log.push(format!("token error {error}: {description}"));
        let mut response = no_store(json_response(status, flavor.token_error(error, description)));
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"token\""));
        }
        response
    };
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "the body must be application/x-www-form-urlencoded");
    }
    let form = Params::parse(&String::from_utf8_lossy(body));
    if let Some(key) = form.duplicated() {
        return error(StatusCode::BAD_REQUEST, "invalid_request", &format!("parameter {key} is repeated"));
    }
    let (client_id, secret, method) = match client_credentials(headers, &form) {
        Ok(c) => c,
        Err(reason) => return error(StatusCode::UNAUTHORIZED, "invalid_client", &reason),
    };
    if client_id != reg.client_id || secret != reg.client_secret {
        return error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed");
    }
    if form.get("grant_type") == Some("refresh_token") {
        return refresh(state, &form, &error);
    }
    if form.get("grant_type") != Some("authorization_code") {
        return error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "only authorization_code and refresh_token");
    }
    let Some(code) = form.value("code") else {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "code is missing");
    };
    // Single use: the code is gone whatever happens next.
    let Some(grant) = state.codes.lock().expect("codes").remove(code) else {
        return error(StatusCode::BAD_REQUEST, "invalid_grant", "the code is unknown, expired or already used");
    };
    if grant.client_id != client_id {
        return error(StatusCode::BAD_REQUEST, "invalid_grant", "the code was issued to another client");
    }
    if form.get("redirect_uri") != Some(grant.redirect_uri.as_str()) {
        return error(StatusCode::BAD_REQUEST, "invalid_grant", "redirect_uri differs from the authorization request");
    }
    if now() - grant.issued_at > CODE_LIFETIME_SECS {
        return error(StatusCode::BAD_REQUEST, "invalid_grant", "the code expired");
    }
    let Some(verifier) = form.value("code_verifier") else {
        return error(StatusCode::BAD_REQUEST, "invalid_grant", "code_verifier is missing (PKCE)");
    };
    if let Err(reason) = pkce_matches(verifier, &grant.code_challenge) {
        return error(StatusCode::BAD_REQUEST, "invalid_grant", reason);
    }

    let access_token = flavor.access_token();
    let issued = now();
    let mut claims = Map::new();
    claims.insert("iss".into(), flavor.id_token_issuer(base, &grant.claims).into());
    claims.insert("aud".into(), client_id.clone().into());
    claims.insert("iat".into(), issued.into());
    claims.insert("exp".into(), (issued + 3600).into());
    claims.insert("nonce".into(), grant.nonce.clone().into());
    claims.insert("at_hash".into(), at_hash(&access_token).into());
    claims.extend(flavor.id_token_extras(&grant, &client_id));
    for (k, v) in &grant.claims {
        claims.insert(k.clone(), v.clone());
    }
    for (k, v) in state.tamper.lock().expect("tamper").iter() {
        claims.insert(k.clone(), v.clone());
    }
    let key = state.keys.lock().expect("keys")[0].clone();
    let id_token = key.sign_jwt(&Value::Object(claims.clone()));
    state.tokens.lock().expect("tokens").insert(access_token.clone(), grant.claims.clone());

    let mut response = Map::new();
    response.insert("access_token".into(), access_token.into());
    response.insert("token_type".into(), "Bearer".into());
    response.insert("expires_in".into(), 3599.into());
    response.insert("scope".into(), flavor.granted_scope(&grant).into());
    response.insert("id_token".into(), id_token.into());
    response.extend(flavor.token_extras(&grant));
    if let Some(refresh_token) = response.get("refresh_token").and_then(Value::as_str) {
        let sub = grant.claims.get("sub").and_then(Value::as_str).unwrap_or_default().to_string();
        state.refresh_tokens.lock().expect("refresh tokens").insert(refresh_token.to_string(), sub);
    }
    state.log.push(format!("token issued ({method:?} client auth, scope {})", grant.scope));
    no_store(json_response(StatusCode::OK, Value::Object(response)))
}

/// The refresh_token grant (RFC 6749 §6): rotates the refresh token, refuses a disabled account's.
fn refresh(state: &OidcState, form: &Params, error: &dyn Fn(StatusCode, &str, &str) -> Response) -> Response {
    let Some(token) = form.value("refresh_token") else {
        return error(StatusCode::BAD_REQUEST, "invalid_request", "refresh_token is missing");
    };
    let Some(sub) = state.refresh_tokens.lock().expect("refresh tokens").remove(token) else {
        return error(StatusCode::BAD_REQUEST, "invalid_grant", "the refresh token is unknown or was rotated");
    };
    if state.disabled.lock().expect("disabled").contains(&sub) {
        return error(StatusCode::BAD_REQUEST, "invalid_grant", "Account disabled");
    }
    let rotated = random_token("rt-", 48);
    state.refresh_tokens.lock().expect("refresh tokens").insert(rotated.clone(), sub);
    state.log.push("token refreshed");
    no_store(json_response(
        StatusCode::OK,
        json!({"access_token": state.flavor.access_token(), "token_type": "Bearer", "expires_in": 300, "refresh_token": rotated}),
    ))
}

/// RP-Initiated Logout 1.0: the provider session ends and the browser goes back to the client's
/// post_logout_redirect_uri with the state (this stand-in asks no confirmation).
fn end_session(state: &OidcState, q: &Params) -> Response {
    state.log.push(format!("end_session {}", q.0.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(",")));
    if q.get("client_id") != Some(state.registration.client_id.as_str()) {
        return html_page(StatusCode::BAD_REQUEST, "Logout error", "unknown client_id");
    }
    match q.value("post_logout_redirect_uri") {
        Some(uri) => {
            let params: Vec<(&str, String)> = q.value("state").map(|s| vec![("state", s.to_string())]).unwrap_or_default();
            found(&redirect_with(uri, &params, None))
        }
        None => html_page(StatusCode::OK, "Signed out", "You are signed out."),
    }
}

fn userinfo(state: &OidcState, headers: &HeaderMap) -> Response {
    let claims = bearer(headers, false).and_then(|t| state.tokens.lock().expect("tokens").get(&t).cloned());
    match claims {
        Some(claims) => {
            state.log.push("userinfo");
            json_response(StatusCode::OK, state.flavor.userinfo(&claims))
        }
        None => {
            state.log.push("userinfo refused: invalid_token");
            let mut response = json_response(StatusCode::UNAUTHORIZED, json!({"error": "invalid_token"}));
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
            response
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Google (accounts.google.com): issuer at the root, iss on the authorization response.

pub struct Google;

impl Flavor for Google {
    fn name(&self) -> &'static str {
        "google"
    }
    fn route(&self, path: &str) -> Option<(Endpoint, String)> {
        let endpoint = match path {
            "/.well-known/openid-configuration" => Endpoint::Discovery,
            "/o/oauth2/v2/auth" => Endpoint::Authorize,
            "/token" => Endpoint::Token,
            "/v1/userinfo" => Endpoint::UserInfo,
            "/oauth2/v3/certs" => Endpoint::Jwks,
            _ => return None,
        };
        Some((endpoint, String::new()))
    }
    fn issuer(&self, base: &str) -> String {
        base.to_string()
    }
    fn discovery(&self, base: &str, _: &str) -> Value {
        json!({
            "issuer": base,
            "authorization_endpoint": format!("{base}/o/oauth2/v2/auth"),
            "device_authorization_endpoint": format!("{base}/device/code"),
            "token_endpoint": format!("{base}/token"),
            "userinfo_endpoint": format!("{base}/v1/userinfo"),
            "revocation_endpoint": format!("{base}/revoke"),
            "jwks_uri": format!("{base}/oauth2/v3/certs"),
            "response_types_supported": ["code", "token", "id_token", "code token", "code id_token", "token id_token", "code token id_token", "none"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_supported": ["aud", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss", "name", "picture", "sub"],
            "code_challenge_methods_supported": ["plain", "S256"],
            "grant_types_supported": ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer"]
        })
    }
    fn authorization_extras(&self, base: &str, grant: &Grant) -> Vec<(&'static str, String)> {
        let mut extras = vec![("scope", google_scope(&grant.scope)), ("authuser", "0".into())];
        if let Some(hd) = grant.claims.get("hd").and_then(Value::as_str) {
            extras.push(("hd", hd.to_string()));
        }
        extras.push(("prompt", "consent".into()));
        extras.push(("iss", self.issuer(base)));
        extras
    }
    fn access_denied_description(&self) -> Option<&'static str> {
        None
    }
    fn error_extras(&self, base: &str) -> Vec<(&'static str, String)> {
        vec![("iss", self.issuer(base))]
    }
    fn id_token_extras(&self, _: &Grant, client_id: &str) -> Map<String, Value> {
        let mut extras = Map::new();
        extras.insert("azp".into(), client_id.into());
        extras
    }
    fn granted_scope(&self, grant: &Grant) -> String {
        google_scope(&grant.scope)
    }
    fn access_token(&self) -> String {
        random_token("ya29.a0AfB_by", 120)
    }
}

/// Google reports the profile/email scopes by their long names.
fn google_scope(requested: &str) -> String {
    requested
        .split(' ')
        .map(|s| match s {
            "email" => "https://www.googleapis.com/auth/userinfo.email",
            "profile" => "https://www.googleapis.com/auth/userinfo.profile",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// GitLab (gitlab.com or self-hosted): Doorkeeper OpenID, no iss on the authorization response.

pub struct Gitlab;

impl Flavor for Gitlab {
    fn name(&self) -> &'static str {
        "gitlab"
    }
    fn route(&self, path: &str) -> Option<(Endpoint, String)> {
        let endpoint = match path {
            "/.well-known/openid-configuration" => Endpoint::Discovery,
            "/oauth/authorize" => Endpoint::Authorize,
            "/oauth/token" => Endpoint::Token,
            "/oauth/userinfo" => Endpoint::UserInfo,
            "/oauth/discovery/keys" => Endpoint::Jwks,
            _ => return None,
        };
        Some((endpoint, String::new()))
    }
    fn issuer(&self, base: &str) -> String {
        base.to_string()
    }
    fn discovery(&self, base: &str, _: &str) -> Value {
        json!({
            "issuer": base,
            "authorization_endpoint": format!("{base}/oauth/authorize"),
            "token_endpoint": format!("{base}/oauth/token"),
            "revocation_endpoint": format!("{base}/oauth/revoke"),
            "introspection_endpoint": format!("{base}/oauth/introspect"),
            "userinfo_endpoint": format!("{base}/oauth/userinfo"),
            "jwks_uri": format!("{base}/oauth/discovery/keys"),
            "scopes_supported": ["api", "read_api", "read_user", "create_runner", "manage_runner", "k8s_proxy", "self_rotate", "read_repository", "write_repository", "read_registry", "write_registry", "read_virtual_registry", "read_observability", "write_observability", "ai_features", "sudo", "admin_mode", "read_service_ping", "openid", "profile", "email", "ai_workflows", "user:*"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "grant_types_supported": ["authorization_code", "password", "client_credentials", "device_code", "refresh_token"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claim_types_supported": ["normal"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "sub_legacy", "name", "nickname", "preferred_username", "email", "email_verified", "website", "profile", "picture", "groups", "groups_direct", "https://gitlab.org/claims/groups/owner", "https://gitlab.org/claims/groups/maintainer", "https://gitlab.org/claims/groups/developer"],
            "code_challenge_methods_supported": ["plain", "S256"]
        })
    }
    fn access_denied_description(&self) -> Option<&'static str> {
        Some("The resource owner or authorization server denied the request.")
    }
    fn id_token_extras(&self, grant: &Grant, _: &str) -> Map<String, Value> {
        let mut extras = Map::new();
        extras.insert("auth_time".into(), grant.issued_at.into());
        extras
    }
    fn token_extras(&self, _: &Grant) -> Map<String, Value> {
        let mut extras = Map::new();
        extras.insert("expires_in".into(), 7200.into());
        extras.insert("refresh_token".into(), random_token("", 64).into());
        extras.insert("created_at".into(), now().into());
        extras
    }
    fn access_token(&self) -> String {
        random_token("", 64).to_lowercase()
    }
    fn userinfo(&self, claims: &Map<String, Value>) -> Value {
        let mut out = Map::new();
        for key in ["sub", "sub_legacy", "name", "nickname", "preferred_username", "email", "email_verified", "website", "profile", "picture", "groups"] {
            if let Some(v) = claims.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        if let Some(groups) = claims.get("groups_direct") {
            out.entry("groups").or_insert(groups.clone());
        }
        Value::Object(out)
    }
}

// ---------------------------------------------------------------------------------------------
// A generic provider shaped like Keycloak: realm issuer, RFC 9207 advertised and sent.

pub struct Keycloak {
    pub realm: String,
}

impl Keycloak {
    fn prefix(&self) -> String {
        format!("/realms/{}", self.realm)
    }
}

impl Flavor for Keycloak {
    fn name(&self) -> &'static str {
        "keycloak"
    }
    fn route(&self, path: &str) -> Option<(Endpoint, String)> {
        let rest = path.strip_prefix(&self.prefix())?;
        let endpoint = match rest {
            "/.well-known/openid-configuration" => Endpoint::Discovery,
            "/protocol/openid-connect/auth" => Endpoint::Authorize,
            "/protocol/openid-connect/token" => Endpoint::Token,
            "/protocol/openid-connect/userinfo" => Endpoint::UserInfo,
            "/protocol/openid-connect/certs" => Endpoint::Jwks,
            "/protocol/openid-connect/logout" => Endpoint::EndSession,
            _ => return None,
        };
        Some((endpoint, String::new()))
    }
    fn issuer(&self, base: &str) -> String {
        format!("{base}{}", self.prefix())
    }
    fn discovery(&self, base: &str, _: &str) -> Value {
        let issuer = self.issuer(base);
        let oc = format!("{issuer}/protocol/openid-connect");
        json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{oc}/auth"),
            "token_endpoint": format!("{oc}/token"),
            "introspection_endpoint": format!("{oc}/token/introspect"),
            "userinfo_endpoint": format!("{oc}/userinfo"),
            "end_session_endpoint": format!("{oc}/logout"),
            "frontchannel_logout_session_supported": true,
            "frontchannel_logout_supported": true,
            "jwks_uri": format!("{oc}/certs"),
            "check_session_iframe": format!("{oc}/login-status-iframe.html"),
            "grant_types_supported": ["authorization_code", "implicit", "refresh_token", "password", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "urn:openid:params:grant-type:ciba"],
            "acr_values_supported": ["0", "1"],
            "response_types_supported": ["code", "none", "id_token", "token", "id_token token", "code id_token", "code token", "code id_token token"],
            "subject_types_supported": ["public", "pairwise"],
            "id_token_signing_alg_values_supported": ["PS384", "RS384", "EdDSA", "ES384", "HS256", "HS512", "ES256", "RS256", "HS384", "ES512", "PS256", "PS512", "RS512"],
            "userinfo_signing_alg_values_supported": ["PS384", "RS384", "EdDSA", "ES384", "HS256", "HS512", "ES256", "RS256", "HS384", "ES512", "PS256", "PS512", "RS512", "none"],
            "response_modes_supported": ["query", "fragment", "form_post", "query.jwt", "fragment.jwt", "form_post.jwt", "jwt"],
            "registration_endpoint": format!("{issuer}/clients-registrations/openid-connect"),
            "token_endpoint_auth_methods_supported": ["private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"],
            "claims_supported": ["aud", "sub", "iss", "auth_time", "name", "given_name", "family_name", "preferred_username", "email", "acr"],
            "claim_types_supported": ["normal"],
            "claims_parameter_supported": true,
            "scopes_supported": ["openid", "profile", "email", "roles", "web-origins", "acr", "basic", "address", "phone", "offline_access", "microprofile-jwt", "organization"],
            "request_parameter_supported": true,
            "request_uri_parameter_supported": true,
            "require_request_uri_registration": true,
            "code_challenge_methods_supported": ["plain", "S256"],
            "tls_client_certificate_bound_access_tokens": true,
            "revocation_endpoint": format!("{oc}/revoke"),
            "backchannel_logout_supported": true,
            "backchannel_logout_session_supported": true,
            "require_pushed_authorization_requests": false,
            "pushed_authorization_request_endpoint": format!("{oc}/ext/par/request"),
            "authorization_response_iss_parameter_supported": true
        })
    }
    fn authorization_extras(&self, base: &str, _: &Grant) -> Vec<(&'static str, String)> {
        vec![("session_state", super::random_guid()), ("iss", self.issuer(base))]
    }
    fn error_extras(&self, base: &str) -> Vec<(&'static str, String)> {
        vec![("iss", self.issuer(base))]
    }
    fn access_denied_description(&self) -> Option<&'static str> {
        Some("User denied consent")
    }
    fn id_token_extras(&self, grant: &Grant, client_id: &str) -> Map<String, Value> {
        let mut extras = Map::new();
        extras.insert("auth_time".into(), grant.issued_at.into());
        extras.insert("typ".into(), "ID".into());
        extras.insert("azp".into(), client_id.into());
        extras.insert("sid".into(), super::random_guid().into());
        extras.insert("acr".into(), "1".into());
        extras
    }
    fn token_extras(&self, _: &Grant) -> Map<String, Value> {
        let mut extras = Map::new();
        extras.insert("expires_in".into(), 300.into());
        extras.insert("refresh_expires_in".into(), 1800.into());
        extras.insert("refresh_token".into(), random_token("eyJhbGciOiJIUzUxMiJ9.", 80).into());
        extras.insert("not-before-policy".into(), 0.into());
        extras.insert("session_state".into(), super::random_guid().into());
        extras
    }
    fn userinfo(&self, claims: &Map<String, Value>) -> Value {
        let mut out = Map::new();
        for (k, v) in claims {
            if !PROTOCOL_CLAIMS.contains(&k.as_str()) && k != "typ" {
                out.insert(k.clone(), v.clone());
            }
        }
        Value::Object(out)
    }
}
