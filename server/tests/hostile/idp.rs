//! The hostile OpenID provider: an axum server on 127.0.0.1:0 that answers like an honest
//! provider until a test flips its [`Scenario`], then misbehaves in exactly one way. Its RSA
//! keys are generated for each instance (nothing is shared between tests), its endpoints live
//! under a random path prefix (so a relying party can only find them through discovery), and
//! it records every request it gets, so tests can assert what the bridge sent — and what it
//! did *not* fetch.

use super::front::Front;
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    Router,
};
use base64::{
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
    Engine as _,
};
use rsa::{pkcs8::EncodePublicKey, traits::PublicKeyParts, Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
    time::{SystemTime, UNIX_EPOCH},
};

// ---------------------------------------------------------------------------------------------
// What the provider can do wrong

/// An endpoint of the provider (for the scenarios that target one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Discovery,
    Jwks,
    Authorize,
    Token,
    UserInfo,
}

/// One misbehaviour at a time; [`HostileIdp::set`] switches it at any moment (also between the
/// authorization request and the token request of the same login).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scenario {
    /// A correct provider: RS256 with `kid`, every claim right, `iss` on the authorization response.
    Honest,
    /// ID token with `alg: none` and no signature.
    AlgNone,
    /// RS256 ID token whose signature bytes were altered.
    BadSignature,
    /// No `kid` in the ID token header; the JWKS holds one key (the right one).
    KidAbsentSingleKey,
    /// No `kid` in the ID token header; the JWKS holds two keys (the right one second).
    KidAbsentMultipleKeys,
    /// `iat` this many seconds from now; `exp` stays 10 minutes in the future of both.
    IatOffset(i64),
    /// No `iat` claim.
    MissingIat,
    /// `exp` in the past (`iat` one minute ago, well within any age limit).
    ExpiredIdToken,
    /// `aud` names another client.
    WrongAudience,
    /// `aud` is [this client, another client] and there is no `azp`.
    ExtraAudienceWithoutAzp,
    /// `iss` of the ID token is not the provider's issuer.
    WrongIdTokenIssuer,
    /// The discovery document names an `issuer` other than the URL it was fetched from.
    DiscoveryIssuerMismatch,
    /// No `sub` claim.
    MissingSub,
    /// The ID token carries only protocol claims and `sub`; userinfo has the person's claims.
    ClaimsOnlyInUserinfo,
    /// Like `ClaimsOnlyInUserinfo`, but userinfo names another `sub`.
    UserinfoOtherSub,
    /// `nonce` in the ID token is not the one of the authorization request.
    WrongNonce,
    /// No `nonce` in the ID token.
    MissingNonce,
    /// The token endpoint accepts only `client_secret_basic` (and discovery says so).
    RequireClientSecretBasic,
    /// ID token `alg: HS256`, keyed with the provider's RSA public key (algorithm confusion);
    /// discovery advertises HS256 too, as a hostile provider would.
    Hs256WithPublicKey,
    /// HS256 keyed with the client secret, HS256 listed in discovery: what the crate accepts
    /// unless the bridge pins asymmetric algorithms.
    Hs256WithClientSecret,
    /// The authorization response's `iss` names this other issuer (mix-up, RFC 9207).
    MixUpIss(String),
    /// No `iss` on the authorization response although discovery advertises
    /// `authorization_response_iss_parameter_supported`.
    OmitIss,
    /// A careless provider: codes can be redeemed again and PKCE is not checked.
    SloppyCodes,
    /// The endpoint is served by the raw front with a body of [`super::front::PADDING_BYTES`]
    /// of padding before the real JSON (a valid document, just huge). For `UserInfo` the ID token
    /// carries no email, so the bridge has to ask userinfo.
    Oversized(Endpoint),
    /// The endpoint answers `302 Found` to another URL of this server (which records hits).
    /// For `UserInfo` the ID token carries no email.
    Redirect(Endpoint),
    /// Userinfo carries no email of its own, only distributed claims (`_claim_names` /
    /// `_claim_sources`) pointing at a URL of this server, which records hits.
    DistributedClaims,
}

impl Scenario {
    /// Whether the ID token leaves the person's claims to userinfo.
    fn claims_only_in_userinfo(&self) -> bool {
        matches!(
            self,
            Scenario::ClaimsOnlyInUserinfo
                | Scenario::UserinfoOtherSub
                | Scenario::DistributedClaims
                | Scenario::Oversized(Endpoint::UserInfo)
                | Scenario::Redirect(Endpoint::UserInfo)
        )
    }
}

// ---------------------------------------------------------------------------------------------
// What it recorded

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Discovery,
    Jwks,
    Authorize,
    Token,
    UserInfo,
    /// The target of a `Redirect` scenario.
    RedirectTarget,
    /// The endpoint named by `_claim_sources`.
    ClaimSource,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic` (client_secret_basic).
    Basic,
    /// `client_id` + `client_secret` in the body (client_secret_post).
    Post,
    None,
}

/// One request the provider got.
#[derive(Debug, Clone)]
pub struct Hit {
    pub kind: Kind,
    pub method: String,
    pub path: String,
    /// Query parameters (GET) or form parameters (POST), in order.
    pub params: Vec<(String, String)>,
    /// How a token request authenticated the client.
    pub client_auth: Option<ClientAuth>,
    /// The status the provider answered.
    pub status: u16,
    /// Why the provider refused, if it did.
    pub refusal: Option<String>,
}

impl Hit {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Keys

/// An RSA-2048 signing key, generated fresh.
#[derive(Clone)]
pub struct Key {
    pub kid: String,
    private: RsaPrivateKey,
}

/// DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2 note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

impl Key {
    pub fn generate() -> Key {
        let private = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).expect("RSA key generation");
        Key { kid: format!("hostile-{}", random_hex(6)), private }
    }

    pub fn jwk(&self) -> Value {
        let public = self.private.to_public_key();
        json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
            "n": b64url(&public.n().to_bytes_be()), "e": b64url(&public.e().to_bytes_be()),
        })
    }

    fn rs256(&self, signing_input: &[u8]) -> Vec<u8> {
        let digest = Sha256::digest(signing_input);
        let padding = Pkcs1v15Sign { hash_len: Some(32), prefix: Box::new(SHA256_DIGEST_INFO) };
        self.private.sign(padding, &digest).expect("RS256 signature")
    }

    /// The public key as PEM (SubjectPublicKeyInfo): what confused verifiers use as HMAC key.
    pub fn public_pem(&self) -> String {
        self.private.to_public_key().to_public_key_pem(rsa::pkcs8::LineEnding::LF).expect("public key PEM")
    }
}

// ---------------------------------------------------------------------------------------------
// The provider

/// The person the provider signs in.
#[derive(Clone, Debug)]
pub struct Person {
    pub sub: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
}

#[derive(Clone, Debug)]
struct Grant {
    redirect_uri: String,
    scope: String,
    nonce: Option<String>,
    challenge: Option<(String, String)>,
    person: Person,
    redeemed: bool,
}

struct Keys {
    signing: Key,
    /// Published besides the signing key (generated on demand).
    extra: Option<Key>,
}

pub struct Inner {
    base: String,
    front_base: String,
    /// Random path prefix of every endpoint but discovery.
    prefix: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
    issuer: Mutex<String>,
    scenario: Mutex<Scenario>,
    keys: Mutex<Keys>,
    person: Mutex<Person>,
    codes: Mutex<HashMap<String, Grant>>,
    access_tokens: Mutex<HashMap<String, Grant>>,
    hits: Mutex<Vec<Hit>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running hostile provider (cheap to clone).
#[derive(Clone)]
pub struct HostileIdp {
    pub inner: Arc<Inner>,
    pub front: Arc<Front>,
}

pub const CLIENT_ID: &str = "login-bridge-rp";

impl HostileIdp {
    /// Starts the provider (and its raw front) for a relying party whose redirect URI is given.
    pub async fn start(redirect_uri: &str) -> HostileIdp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind hostile provider");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let front_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind hostile front");
        let front_base = format!("http://{}", front_listener.local_addr().expect("address"));
        let inner = Arc::new(Inner {
            issuer: Mutex::new(base.clone()),
            base,
            front_base,
            prefix: format!("/op-{}", random_hex(4)),
            client_id: CLIENT_ID.into(),
            client_secret: format!("secret-{}", random_hex(16)),
            redirect_uri: redirect_uri.into(),
            scenario: Mutex::new(Scenario::Honest),
            keys: Mutex::new(Keys { signing: Key::generate(), extra: None }),
            person: Mutex::new(Person {
                sub: format!("hostile-sub-{}", random_hex(6)),
                email: "alice@example.com".into(),
                email_verified: true,
                name: "Alice Example".into(),
            }),
            codes: Mutex::new(HashMap::new()),
            access_tokens: Mutex::new(HashMap::new()),
            hits: Mutex::new(Vec::new()),
        });
        let router = Router::new().fallback(handle).with_state(inner.clone());
        let front = Front::start(front_listener, router.clone(), inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        HostileIdp { inner, front }
    }

    /// `http://127.0.0.1:port` of the axum server.
    pub fn url(&self) -> String {
        self.inner.base.clone()
    }
    /// `http://127.0.0.1:port` of the raw front (same provider, hand-written HTTP/1.1).
    pub fn front_url(&self) -> String {
        self.inner.front_base.clone()
    }
    /// The issuer it claims to be (discovery `issuer`, ID token `iss`).
    pub fn issuer(&self) -> String {
        lock(&self.inner.issuer).clone()
    }
    /// Makes the provider claim to be the front's URL (to serve discovery through the front).
    pub fn use_front_as_issuer(&self) {
        *lock(&self.inner.issuer) = self.inner.front_base.clone();
    }
    pub fn set(&self, scenario: Scenario) {
        if scenario == Scenario::KidAbsentMultipleKeys {
            let mut keys = lock(&self.inner.keys);
            if keys.extra.is_none() {
                keys.extra = Some(Key::generate());
            }
        }
        *lock(&self.inner.scenario) = scenario;
    }
    pub fn scenario(&self) -> Scenario {
        lock(&self.inner.scenario).clone()
    }
    pub fn person(&self) -> Person {
        lock(&self.inner.person).clone()
    }
    /// Signs with a brand-new key (new `kid`) from now on and stops publishing the old one.
    /// Returns the new kid.
    pub fn rotate_key(&self) -> String {
        let key = Key::generate();
        let kid = key.kid.clone();
        let mut keys = lock(&self.inner.keys);
        keys.signing = key;
        keys.extra = None;
        kid
    }
    pub fn signing_kid(&self) -> String {
        lock(&self.inner.keys).signing.kid.clone()
    }
    /// The kids the JWKS publishes right now.
    pub fn published_kids(&self) -> Vec<String> {
        jwks_keys(&self.inner).iter().filter_map(|k| k["kid"].as_str().map(str::to_string)).collect()
    }
    pub fn path_of(&self, endpoint: Endpoint) -> String {
        self.inner.path_of(endpoint)
    }

    pub fn hits(&self) -> Vec<Hit> {
        lock(&self.inner.hits).clone()
    }
    pub fn hits_of(&self, kind: Kind) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.kind == kind).collect()
    }
    pub fn count(&self, kind: Kind) -> usize {
        self.hits_of(kind).len()
    }
    /// Every request, one line each (for failure messages).
    pub fn journal(&self) -> String {
        self.hits()
            .iter()
            .map(|h| {
                let params: Vec<String> = h.params.iter().map(|(k, v)| format!("{k}={}", short(v))).collect();
                format!(
                    "  {:?} {} {} -> {}{} [{}]{}",
                    h.kind,
                    h.method,
                    h.path,
                    h.status,
                    h.client_auth.map(|a| format!(" ({a:?} auth)")).unwrap_or_default(),
                    params.join(" "),
                    h.refusal.as_ref().map(|r| format!(" refused: {r}")).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn short(v: &str) -> String {
    if v.len() > 24 {
        format!("{}…", &v[..24])
    } else {
        v.to_string()
    }
}

impl Inner {
    pub fn path_of(&self, endpoint: Endpoint) -> String {
        match endpoint {
            Endpoint::Discovery => "/.well-known/openid-configuration".into(),
            Endpoint::Jwks => format!("{}/keys", self.prefix),
            Endpoint::Authorize => format!("{}/authorize", self.prefix),
            Endpoint::Token => format!("{}/token", self.prefix),
            Endpoint::UserInfo => format!("{}/me", self.prefix),
        }
    }

    /// The endpoint a path is (the front uses this to decide what to pad).
    pub fn endpoint_at(&self, path: &str) -> Option<Endpoint> {
        [Endpoint::Discovery, Endpoint::Jwks, Endpoint::Authorize, Endpoint::Token, Endpoint::UserInfo]
            .into_iter()
            .find(|e| self.path_of(*e) == path)
    }

    pub fn scenario(&self) -> Scenario {
        lock(&self.scenario).clone()
    }

    fn url_of(&self, endpoint: Endpoint) -> String {
        let base = if self.scenario() == Scenario::Oversized(endpoint) { &self.front_base } else { &self.base };
        format!("{base}{}", self.path_of(endpoint))
    }

    fn record(&self, hit: Hit) {
        lock(&self.hits).push(hit);
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers

async fn handle(State(inner): State<Arc<Inner>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path().to_string();
    let query: Vec<(String, String)> = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).into_owned().collect();
    let scenario = inner.scenario();
    let mut hit = Hit { kind: Kind::Unknown, method: method.to_string(), path: path.clone(), params: query.clone(), client_auth: None, status: 0, refusal: None };

    let redirect_target = format!("{}/redirected", inner.prefix);
    let claim_source = format!("{}/claims-source", inner.prefix);
    let endpoint = inner.endpoint_at(&path);
    let response = if path.starts_with(&redirect_target) {
        hit.kind = Kind::RedirectTarget;
        json_response(StatusCode::OK, json!({}))
    } else if path == claim_source {
        hit.kind = Kind::ClaimSource;
        json_response(StatusCode::OK, json!({"email": "alice@example.com", "email_verified": true}))
    } else if let Some(endpoint) = endpoint {
        hit.kind = match endpoint {
            Endpoint::Discovery => Kind::Discovery,
            Endpoint::Jwks => Kind::Jwks,
            Endpoint::Authorize => Kind::Authorize,
            Endpoint::Token => Kind::Token,
            Endpoint::UserInfo => Kind::UserInfo,
        };
        if scenario == Scenario::Redirect(endpoint) {
            hit.refusal = Some("redirected on purpose".into());
            found(&format!("{}{redirect_target}/{endpoint:?}", inner.base))
        } else {
            match (endpoint, &method) {
                (Endpoint::Discovery, &Method::GET) => json_response(StatusCode::OK, discovery(&inner, &scenario)),
                (Endpoint::Jwks, &Method::GET) => json_response(StatusCode::OK, json!({ "keys": jwks_keys(&inner) })),
                (Endpoint::Authorize, &Method::GET) => authorize(&inner, &scenario, &query, &mut hit),
                (Endpoint::Token, &Method::POST) => token(&inner, &scenario, &headers, &body, &mut hit),
                (Endpoint::UserInfo, &Method::GET | &Method::POST) => userinfo(&inner, &scenario, &headers, &mut hit),
                _ => (StatusCode::METHOD_NOT_ALLOWED, "method not allowed").into_response(),
            }
        }
    } else {
        (StatusCode::NOT_FOUND, "not found").into_response()
    };
    hit.status = response.status().as_u16();
    inner.record(hit);
    response
}

fn discovery(inner: &Inner, scenario: &Scenario) -> Value {
    let issuer = match scenario {
        Scenario::DiscoveryIssuerMismatch => format!("{}/someone-else", lock(&inner.issuer)),
        _ => lock(&inner.issuer).clone(),
    };
    let auth_methods = match scenario {
        Scenario::RequireClientSecretBasic => json!(["client_secret_basic"]),
        _ => json!(["client_secret_basic", "client_secret_post"]),
    };
    let algs = match scenario {
        Scenario::Hs256WithPublicKey | Scenario::Hs256WithClientSecret => json!(["RS256", "HS256"]),
        _ => json!(["RS256"]),
    };
    json!({
        "issuer": issuer,
        "authorization_endpoint": inner.url_of(Endpoint::Authorize),
        "token_endpoint": inner.url_of(Endpoint::Token),
        "userinfo_endpoint": inner.url_of(Endpoint::UserInfo),
        "jwks_uri": inner.url_of(Endpoint::Jwks),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algs,
        "token_endpoint_auth_methods_supported": auth_methods,
        "scopes_supported": ["openid", "email", "profile"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "email", "email_verified", "name"],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": true
    })
}

fn jwks_keys(inner: &Inner) -> Vec<Value> {
    let keys = lock(&inner.keys);
    match (&*lock(&inner.scenario), &keys.extra) {
        // The key that signs is listed second: "take the first key" would be wrong.
        (Scenario::KidAbsentMultipleKeys, Some(extra)) => vec![extra.jwk(), keys.signing.jwk()],
        _ => vec![keys.signing.jwk()],
    }
}

fn authorize(inner: &Inner, scenario: &Scenario, q: &[(String, String)], hit: &mut Hit) -> Response {
    let get = |k: &str| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    if get("client_id").as_deref() != Some(inner.client_id.as_str()) || get("redirect_uri").as_deref() != Some(inner.redirect_uri.as_str()) {
        hit.refusal = Some("unknown client or redirect_uri".into());
        return (StatusCode::BAD_REQUEST, "unknown client or redirect_uri").into_response();
    }
    let mut params: Vec<(&str, String)> = Vec::new();
    if get("response_type").as_deref() != Some("code") {
        hit.refusal = Some("response_type is not code".into());
        params.push(("error", "unsupported_response_type".into()));
    } else {
        let code = format!("code-{}", random_hex(16));
        let challenge = get("code_challenge").map(|c| (get("code_challenge_method").unwrap_or_else(|| "plain".into()), c));
        let grant = Grant {
            redirect_uri: inner.redirect_uri.clone(),
            scope: get("scope").unwrap_or_default(),
            nonce: get("nonce"),
            challenge,
            person: lock(&inner.person).clone(),
            redeemed: false,
        };
        lock(&inner.codes).insert(code.clone(), grant);
        params.push(("code", code));
    }
    if let Some(state) = get("state") {
        params.push(("state", state));
    }
    match scenario {
        Scenario::MixUpIss(other) => params.push(("iss", other.clone())),
        Scenario::OmitIss => {}
        _ => params.push(("iss", lock(&inner.issuer).clone())),
    }
    let mut target = url::Url::parse(&inner.redirect_uri).expect("redirect URI");
    target.query_pairs_mut().extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
    found(target.as_str())
}

fn token(inner: &Inner, scenario: &Scenario, headers: &HeaderMap, body: &Bytes, hit: &mut Hit) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    hit.params = form.clone();
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let refuse = |hit: &mut Hit, status: StatusCode, error: &str, why: &str| -> Response {
        hit.refusal = Some(format!("{error}: {why}"));
        no_store(json_response(status, json!({"error": error, "error_description": why})))
    };

    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(id, secret)| (form_unescape(id), form_unescape(secret))));
    let (auth, credentials) = match (basic, get("client_secret")) {
        (Some(c), None) => (ClientAuth::Basic, Some(c)),
        (None, Some(secret)) => (ClientAuth::Post, Some((get("client_id").unwrap_or_default(), secret))),
        (Some(_), Some(_)) => (ClientAuth::Basic, None),
        (None, None) => (ClientAuth::None, None),
    };
    hit.client_auth = Some(auth);
    if *scenario == Scenario::RequireClientSecretBasic && auth != ClientAuth::Basic {
        return refuse(hit, StatusCode::UNAUTHORIZED, "invalid_client", "this client must use client_secret_basic");
    }
    if credentials != Some((inner.client_id.clone(), inner.client_secret.clone())) {
        return refuse(hit, StatusCode::UNAUTHORIZED, "invalid_client", "client authentication failed");
    }
    if get("grant_type").as_deref() != Some("authorization_code") {
        return refuse(hit, StatusCode::BAD_REQUEST, "unsupported_grant_type", "only authorization_code");
    }
    let sloppy = *scenario == Scenario::SloppyCodes;
    let code = get("code").unwrap_or_default();
    let grant = {
        let mut codes = lock(&inner.codes);
        match codes.get_mut(&code) {
            None => None,
            Some(grant) if grant.redeemed && !sloppy => Some(Err(())),
            Some(grant) => {
                grant.redeemed = true;
                Some(Ok(grant.clone()))
            }
        }
    };
    let grant = match grant {
        None => return refuse(hit, StatusCode::BAD_REQUEST, "invalid_grant", "unknown code"),
        Some(Err(())) => return refuse(hit, StatusCode::BAD_REQUEST, "invalid_grant", "code already used"),
        Some(Ok(grant)) => grant,
    };
    if get("redirect_uri").as_deref() != Some(grant.redirect_uri.as_str()) {
        return refuse(hit, StatusCode::BAD_REQUEST, "invalid_grant", "redirect_uri differs");
    }
    if let (Some((method, challenge)), false) = (&grant.challenge, sloppy) {
        let Some(verifier) = get("code_verifier") else {
            return refuse(hit, StatusCode::BAD_REQUEST, "invalid_grant", "code_verifier missing");
        };
        let computed = if method == "S256" { b64url(&Sha256::digest(verifier.as_bytes())) } else { verifier.clone() };
        if &computed != challenge {
            return refuse(hit, StatusCode::BAD_REQUEST, "invalid_grant", "code_verifier does not match");
        }
    }

    let access_token = format!("at-{}", random_hex(24));
    let id_token = id_token(inner, scenario, &grant, &access_token);
    lock(&inner.access_tokens).insert(access_token.clone(), grant.clone());
    no_store(json_response(
        StatusCode::OK,
        json!({
            "access_token": access_token, "token_type": "Bearer", "expires_in": 300,
            "scope": grant.scope, "id_token": id_token
        }),
    ))
}

fn id_token(inner: &Inner, scenario: &Scenario, grant: &Grant, access_token: &str) -> String {
    let now = now();
    let issuer = lock(&inner.issuer).clone();
    let person = &grant.person;
    let mut claims = Map::new();
    claims.insert("iss".into(), issuer.clone().into());
    claims.insert("sub".into(), person.sub.clone().into());
    claims.insert("aud".into(), inner.client_id.clone().into());
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), (now + 600).into());
    claims.insert("auth_time".into(), now.into());
    if let Some(nonce) = &grant.nonce {
        claims.insert("nonce".into(), nonce.clone().into());
    }
    claims.insert("at_hash".into(), b64url(&Sha256::digest(access_token.as_bytes())[..16]).into());
    if !scenario.claims_only_in_userinfo() {
        claims.insert("email".into(), person.email.clone().into());
        claims.insert("email_verified".into(), person.email_verified.into());
        claims.insert("name".into(), person.name.clone().into());
    }
    match scenario {
        Scenario::IatOffset(offset) => {
            claims.insert("iat".into(), (now + offset).into());
            claims.insert("exp".into(), (now.max(now + offset) + 600).into());
        }
        Scenario::MissingIat => {
            claims.remove("iat");
        }
        Scenario::ExpiredIdToken => {
            claims.insert("iat".into(), (now - 60).into());
            claims.insert("exp".into(), (now - 30).into());
        }
        Scenario::WrongAudience => {
            claims.insert("aud".into(), "another-client".into());
        }
        Scenario::ExtraAudienceWithoutAzp => {
            claims.insert("aud".into(), json!([inner.client_id, "another-client"]));
            claims.remove("azp");
        }
        Scenario::WrongIdTokenIssuer => {
            claims.insert("iss".into(), format!("{issuer}/impostor").into());
        }
        Scenario::MissingSub => {
            claims.remove("sub");
        }
        Scenario::WrongNonce => {
            claims.insert("nonce".into(), format!("not-the-nonce-{}", random_hex(8)).into());
        }
        Scenario::MissingNonce => {
            claims.remove("nonce");
        }
        _ => {}
    }
    sign(inner, scenario, &Value::Object(claims))
}

fn sign(inner: &Inner, scenario: &Scenario, claims: &Value) -> String {
    let keys = lock(&inner.keys);
    let key = &keys.signing;
    let header = match scenario {
        Scenario::AlgNone => json!({"alg": "none", "typ": "JWT"}),
        Scenario::KidAbsentSingleKey | Scenario::KidAbsentMultipleKeys => json!({"alg": "RS256", "typ": "JWT"}),
        Scenario::Hs256WithPublicKey => json!({"alg": "HS256", "typ": "JWT", "kid": key.kid}),
        Scenario::Hs256WithClientSecret => json!({"alg": "HS256", "typ": "JWT"}),
        _ => json!({"alg": "RS256", "typ": "JWT", "kid": key.kid}),
    };
    let input = format!("{}.{}", b64url(header.to_string().as_bytes()), b64url(claims.to_string().as_bytes()));
    let signature = match scenario {
        Scenario::AlgNone => Vec::new(),
        Scenario::Hs256WithPublicKey => {
            use hmac::{Hmac, Mac};
            let mut mac = Hmac::<Sha256>::new_from_slice(key.public_pem().as_bytes()).expect("HMAC key");
            mac.update(input.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Scenario::Hs256WithClientSecret => {
            use hmac::{Hmac, Mac};
            let mut mac = Hmac::<Sha256>::new_from_slice(inner.client_secret.as_bytes()).expect("HMAC key");
            mac.update(input.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Scenario::BadSignature => {
            let mut signature = key.rs256(input.as_bytes());
            let middle = signature.len() / 2;
            signature[middle] ^= 0x5a;
            signature
        }
        _ => key.rs256(input.as_bytes()),
    };
    format!("{input}.{}", b64url(&signature))
}

fn userinfo(inner: &Inner, scenario: &Scenario, headers: &HeaderMap, hit: &mut Hit) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let Some(grant) = token.and_then(|t| lock(&inner.access_tokens).get(&t).cloned()) else {
        hit.refusal = Some("invalid_token".into());
        let mut response = json_response(StatusCode::UNAUTHORIZED, json!({"error": "invalid_token"}));
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
        return response;
    };
    let person = &grant.person;
    let body = match scenario {
        Scenario::UserinfoOtherSub => json!({
            "sub": format!("{}-someone-else", person.sub),
            "email": person.email, "email_verified": person.email_verified, "name": person.name
        }),
        Scenario::DistributedClaims => json!({
            "sub": person.sub,
            "name": person.name,
            "_claim_names": {"email": "src1", "email_verified": "src1"},
            "_claim_sources": {"src1": {
                "endpoint": format!("{}{}/claims-source", inner.base, inner.prefix),
                "access_token": format!("ksj3n283dke-{}", random_hex(4))
            }}
        }),
        _ => json!({"sub": person.sub, "email": person.email, "email_verified": person.email_verified, "name": person.name}),
    };
    json_response(StatusCode::OK, body)
}

// ---------------------------------------------------------------------------------------------
// Small helpers

pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn random_hex(bytes: usize) -> String {
    (0..bytes).map(|_| format!("{:02x}", rand::random::<u8>())).collect()
}

fn form_unescape(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
}

fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn found(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    response.headers_mut().insert(header::LOCATION, HeaderValue::from_str(location).expect("Location header"));
    response
}
