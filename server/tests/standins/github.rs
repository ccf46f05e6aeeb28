//! GitHub: plain OAuth 2.0 on the web host (`/login/oauth/authorize`, `/login/oauth/access_token`)
//! and the REST API on its own host (`/user`, `/user/emails`, `/user/orgs`), two listeners sharing
//! one state, like github.com and api.github.com. GitHub quirks kept: token errors come back with
//! HTTP 200; the token endpoint answers form-encoded unless asked for JSON; scopes are reported
//! comma-separated; the API insists on a User-Agent; `/user/emails` needs `user:email`, and
//! `/user/orgs` lists private memberships only with `read:org`.

use super::{
    bearer, challenge_is_well_formed, client_credentials, found, header_str, html_page, json_response, now,
    pkce_matches, random_token, redirect_with, Decision, Log, Mode, Params, Registration, Server, Switches,
};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    Router,
};
use serde_json::{json, Value};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
};

#[derive(Clone, Debug)]
pub struct GithubEmail {
    pub email: String,
    pub primary: bool,
    pub verified: bool,
    /// `"public"`, `"private"` or null.
    pub visibility: Option<String>,
}

impl GithubEmail {
    pub fn new(email: &str, primary: bool, verified: bool) -> Self {
        Self { email: email.into(), primary, verified, visibility: if primary { Some("private".into()) } else { None } }
    }
}

#[derive(Clone, Debug)]
pub struct GithubOrg {
    pub login: String,
    pub id: u64,
    /// Whether the person made their membership public (private is GitHub's default).
    pub public_membership: bool,
}

impl GithubOrg {
    pub fn new(login: &str, id: u64) -> Self {
        Self { login: login.into(), id, public_membership: false }
    }
}

#[derive(Clone, Debug)]
pub struct GithubAccount {
    pub id: u64,
    pub login: String,
    pub name: Option<String>,
    /// The public profile email (null unless the person made one public).
    pub public_email: Option<String>,
    pub emails: Vec<GithubEmail>,
    pub orgs: Vec<GithubOrg>,
}

impl GithubAccount {
    pub fn new(id: u64, login: &str) -> Self {
        Self { id, login: login.into(), name: None, public_email: None, emails: Vec::new(), orgs: Vec::new() }
    }
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.into());
        self
    }
    pub fn email(mut self, email: GithubEmail) -> Self {
        self.emails.push(email);
        self
    }
    pub fn org(mut self, org: GithubOrg) -> Self {
        self.orgs.push(org);
        self
    }
}

struct Grant {
    redirect_uri: Option<String>,
    scopes: Vec<String>,
    code_challenge: String,
    account: GithubAccount,
    issued_at: i64,
}

pub struct GithubState {
    pub registration: Registration,
    pub switches: Switches,
    pub log: Log,
    account: Mutex<GithubAccount>,
    codes: Mutex<HashMap<String, Grant>>,
    tokens: Mutex<HashMap<String, (GithubAccount, Vec<String>)>>,
    api_base: OnceLock<String>,
}

#[derive(Clone)]
pub struct GithubStandin {
    pub state: Arc<GithubState>,
    /// github.com
    pub web: Arc<Server>,
    /// api.github.com
    pub api: Arc<Server>,
}

impl GithubStandin {
    pub async fn start(registration: Registration) -> Self {
        let state = Arc::new(GithubState {
            registration,
            switches: Switches::default(),
            log: Log::default(),
            account: Mutex::new(GithubAccount::new(1, "nobody")),
            codes: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            api_base: OnceLock::new(),
        });
        let web = Server::start(Router::new().fallback(web).with_state(state.clone())).await;
        let api = Server::start(Router::new().fallback(api).with_state(state.clone())).await;
        let _ = state.api_base.set(api.url());
        Self { state, web, api }
    }
    /// `base_url` in the bridge config.
    pub fn base_url(&self) -> String {
        self.web.url()
    }
    /// `api_url` in the bridge config.
    pub fn api_url(&self) -> String {
        self.api.url()
    }
    pub fn set_account(&self, account: GithubAccount) {
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

async fn web(State(state): State<Arc<GithubState>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    if state.switches.mode() == Mode::Failing {
        state.log.push(format!("500 {}", uri.path()));
        return html_page(StatusCode::SERVICE_UNAVAILABLE, "Unicorn!", "No server is currently available to service your request.");
    }
    match (uri.path(), &method) {
        ("/login/oauth/authorize", &Method::GET) => authorize(&state, &Params::parse(uri.query().unwrap_or(""))),
        ("/login/oauth/access_token", &Method::POST) => access_token(&state, &headers, &body),
        (path, _) => {
            state.log.push(format!("404 {method} {path}"));
            html_page(StatusCode::NOT_FOUND, "Page not found", "This is not the web page you are looking for.")
        }
    }
}

fn authorize(state: &GithubState, q: &Params) -> Response {
    let reg = &state.registration;
    state.log.push(format!("authorize {}", q.0.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(",")));
    if q.get("client_id") != Some(reg.client_id.as_str()) {
        return html_page(StatusCode::NOT_FOUND, "Page not found", "This is not the web page you are looking for.");
    }
    let registered = reg.first_redirect_uri();
    let state_param = q.get("state").unwrap_or_default().to_string();
    // GitHub sends redirect_uri mismatches to the registered callback URL.
    let redirect_uri = match q.value("redirect_uri") {
        Some(r) if reg.allows(r) => r.to_string(),
        Some(_) => {
            state.log.push("authorize error redirect_uri_mismatch");
            return found(&redirect_with(
                &registered,
                &[
                    ("error", "redirect_uri_mismatch".into()),
                    ("error_description", "The redirect_uri MUST match the registered callback URL for this application.".into()),
                    ("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch".into()),
                    ("state", state_param),
                ],
                None,
            ));
        }
        None => registered.clone(),
    };
    let fail = |error: &str, description: &str| -> Response {
        state.log.push(format!("authorize error {error}: {description}"));
        found(&redirect_with(
            &redirect_uri,
            &[("error", error.into()), ("error_description", description.into()), ("state", state_param.clone())],
            None,
        ))
    };
    if state_param.is_empty() {
        return fail("invalid_request", "state is required by this stand-in");
    }
    let Some(challenge) = q.value("code_challenge") else {
        return fail("invalid_request", "code_challenge is required (PKCE)");
    };
    if q.get("code_challenge_method") != Some("S256") || !challenge_is_well_formed(challenge) {
        return fail("invalid_request", "code_challenge_method must be S256 with a SHA-256 challenge");
    }
    if state.switches.decision() == Decision::Deny {
        state.log.push("authorize error access_denied");
        return found(&redirect_with(
            &redirect_uri,
            &[
                ("error", "access_denied".into()),
                ("error_description", "The user has denied your application access.".into()),
                ("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied".into()),
                ("state", state_param),
            ],
            None,
        ));
    }
    // Scopes are space-separated in the request (GitHub also accepts commas).
    let scopes: Vec<String> = q
        .get("scope")
        .unwrap_or_default()
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let code = random_token("", 20).to_lowercase();
    let grant = Grant {
        redirect_uri: q.value("redirect_uri").map(str::to_string),
        scopes,
        code_challenge: challenge.to_string(),
        account: state.account.lock().expect("account").clone(),
        issued_at: now(),
    };
    state.codes.lock().expect("codes").insert(code.clone(), grant);
    state.log.push("authorize approved");
    found(&redirect_with(&redirect_uri, &[("code", code), ("state", state_param)], None))
}

fn access_token(state: &GithubState, headers: &HeaderMap, body: &Bytes) -> Response {
    let reg = &state.registration;
    let wants_json = header_str(headers, header::ACCEPT).is_some_and(|a| a.contains("application/json"));
    let content_type = header_str(headers, header::CONTENT_TYPE).unwrap_or_default();
    let form = if content_type.starts_with("application/json") {
        let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        Params(
            value
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))).collect())
                .unwrap_or_default(),
        )
    } else {
        Params::parse(&String::from_utf8_lossy(body))
    };
    let answer = |pairs: Vec<(&str, String)>| -> Response {
        if wants_json {
            let map: serde_json::Map<String, Value> = pairs.into_iter().map(|(k, v)| (k.to_string(), Value::String(v))).collect();
            json_response(StatusCode::OK, Value::Object(map))
        } else {
            let text = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
            let mut response = (StatusCode::OK, text).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"));
            response
        }
    };
    // GitHub reports token errors with HTTP 200.
    let error = |error: &str, description: &str, anchor: &str| -> Response {
        state.log.push(format!("token error {error}: {description}"));
        answer(vec![
            ("error", error.into()),
            ("error_description", description.into()),
            ("error_uri", format!("https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#{anchor}")),
        ])
    };
    let (client_id, secret, method) = match client_credentials(headers, &form) {
        Ok(c) => c,
        Err(_) => return error("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.", "incorrect-client-credentials"),
    };
    if client_id != reg.client_id || secret != reg.client_secret {
        return error("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.", "incorrect-client-credentials");
    }
    let Some(grant) = form.value("code").and_then(|c| state.codes.lock().expect("codes").remove(c)) else {
        return error("bad_verification_code", "The code passed is incorrect or expired.", "bad-verification-code");
    };
    if let Some(sent) = form.value("redirect_uri") {
        if grant.redirect_uri.as_deref().is_some_and(|r| r != sent) {
            return error("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.", "redirect-uri-mismatch");
        }
    }
    if now() - grant.issued_at > 600 {
        return error("bad_verification_code", "The code passed is incorrect or expired.", "bad-verification-code");
    }
    let verified = form.value("code_verifier").ok_or("code_verifier is missing (PKCE)").and_then(|v| pkce_matches(v, &grant.code_challenge));
    if let Err(reason) = verified {
        return error("bad_verification_code", &format!("The code passed is incorrect or expired ({reason})."), "bad-verification-code");
    }
    let token = random_token("gho_", 36);
    let scope = grant.scopes.join(",");
    state.tokens.lock().expect("tokens").insert(token.clone(), (grant.account, grant.scopes));
    state.log.push(format!("token issued ({method:?} client auth, {} answer)", if wants_json { "json" } else { "form" }));
    answer(vec![("access_token", token), ("token_type", "bearer".into()), ("scope", scope)])
}

fn user_json(api: &str, a: &GithubAccount) -> Value {
    let login = &a.login;
    json!({
        "login": login,
        "id": a.id,
        "node_id": format!("MDQ6VXNlcj{}", a.id),
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{}?v=4", a.id),
        "gravatar_id": "",
        "url": format!("{api}/users/{login}"),
        "html_url": format!("https://github.com/{login}"),
        "followers_url": format!("{api}/users/{login}/followers"),
        "following_url": format!("{api}/users/{login}/following{{/other_user}}"),
        "gists_url": format!("{api}/users/{login}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/users/{login}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/users/{login}/subscriptions"),
        "organizations_url": format!("{api}/users/{login}/orgs"),
        "repos_url": format!("{api}/users/{login}/repos"),
        "events_url": format!("{api}/users/{login}/events{{/privacy}}"),
        "received_events_url": format!("{api}/users/{login}/received_events"),
        "type": "User",
        "user_view_type": "private",
        "site_admin": false,
        "name": a.name,
        "company": null,
        "blog": "",
        "location": null,
        "email": a.public_email,
        "hireable": null,
        "bio": null,
        "twitter_username": null,
        "notification_email": a.public_email,
        "public_repos": 8,
        "public_gists": 1,
        "followers": 3,
        "following": 0,
        "created_at": "2011-01-25T18:44:36Z",
        "updated_at": "2025-01-20T10:00:00Z"
    })
}

fn org_json(api: &str, o: &GithubOrg) -> Value {
    let login = &o.login;
    json!({
        "login": login,
        "id": o.id,
        "node_id": format!("MDEyOk9yZ2FuaXphdGlvbj{}", o.id),
        "url": format!("{api}/orgs/{login}"),
        "repos_url": format!("{api}/orgs/{login}/repos"),
        "events_url": format!("{api}/orgs/{login}/events"),
        "hooks_url": format!("{api}/orgs/{login}/hooks"),
        "issues_url": format!("{api}/orgs/{login}/issues"),
        "members_url": format!("{api}/orgs/{login}/members{{/member}}"),
        "public_members_url": format!("{api}/orgs/{login}/public_members{{/member}}"),
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{}?v=4", o.id),
        "description": null
    })
}

fn api_error(status: StatusCode, message: &str, docs: &str) -> Response {
    json_response(status, json!({"message": message, "documentation_url": docs, "status": status.as_u16().to_string()}))
}

async fn api(State(state): State<Arc<GithubState>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_string();
    if state.switches.mode() == Mode::Failing {
        state.log.push(format!("500 api {path}"));
        return api_error(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable", "https://docs.github.com/rest");
    }
    if header_str(&headers, header::USER_AGENT).unwrap_or_default().is_empty() {
        state.log.push(format!("api {path} refused: no User-Agent"));
        let mut response = (
            StatusCode::FORBIDDEN,
            "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n",
        )
            .into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        return response;
    }
    if method != Method::GET {
        return api_error(StatusCode::NOT_FOUND, "Not Found", "https://docs.github.com/rest");
    }
    let Some(token) = bearer(&headers, true) else {
        state.log.push(format!("api {path} refused: no token"));
        return api_error(StatusCode::UNAUTHORIZED, "Requires authentication", "https://docs.github.com/rest/users/users#get-the-authenticated-user");
    };
    let Some((account, scopes)) = state.tokens.lock().expect("tokens").get(&token).cloned() else {
        state.log.push(format!("api {path} refused: bad token"));
        return api_error(StatusCode::UNAUTHORIZED, "Bad credentials", "https://docs.github.com/rest");
    };
    let api = state.api_base.get().cloned().unwrap_or_default();
    let has = |s: &str| scopes.iter().any(|g| g == s);
    let mut response = match path.as_str() {
        "/user" => {
            state.log.push("api /user");
            json_response(StatusCode::OK, user_json(&api, &account))
        }
        "/user/emails" if has("user:email") || has("user") => {
            state.log.push("api /user/emails");
            let emails: Vec<Value> = account
                .emails
                .iter()
                .map(|e| json!({"email": e.email, "primary": e.primary, "verified": e.verified, "visibility": e.visibility}))
                .collect();
            json_response(StatusCode::OK, Value::Array(emails))
        }
        "/user/emails" => {
            state.log.push("api /user/emails refused: scope");
            api_error(StatusCode::NOT_FOUND, "Not Found", "https://docs.github.com/rest/users/emails#list-email-addresses-for-the-authenticated-user")
        }
        "/user/orgs" => {
            let all = has("read:org") || has("user") || has("admin:org") || has("write:org");
            state.log.push(format!("api /user/orgs ({})", if all { "all" } else { "public memberships only" }));
            let orgs: Vec<Value> = account.orgs.iter().filter(|o| all || o.public_membership).map(|o| org_json(&api, o)).collect();
            json_response(StatusCode::OK, Value::Array(orgs))
        }
        _ => {
            state.log.push(format!("api 404 {path}"));
            api_error(StatusCode::NOT_FOUND, "Not Found", "https://docs.github.com/rest")
        }
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&scopes.join(", ")) {
        h.insert("x-oauth-scopes", v);
    }
    h.insert("x-github-media-type", HeaderValue::from_static("github.v3; format=json"));
    h.insert("x-github-api-version-selected", HeaderValue::from_static("2022-11-28"));
    response
}
