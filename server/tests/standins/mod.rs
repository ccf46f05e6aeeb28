//! Local stand-ins for the upstream identity providers (Google, Microsoft Entra ID, GitHub,
//! Facebook, GitLab, a Keycloak-like generic OpenID provider), shaped like the real APIs, on
//! 127.0.0.1 port 0, plus the driver that walks a browser through bridge → provider → Odoo.
//!
//! Every stand-in auto-approves as the account the test chose, checks what the real provider
//! checks (client, exact redirect URI, single-use code bound to the redirect URI) and, stricter
//! than some real ones, insists on PKCE S256, a `state`, and a `nonce` for OpenID kinds.
#![allow(dead_code)]

pub mod drive;
pub mod facebook;
pub mod github;
pub mod microsoft;
pub mod oidc_core;

use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Router,
};
use base64::{
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
    Engine as _,
};
use rsa::{traits::PublicKeyParts, Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicU8, Ordering},
        Arc, Mutex, OnceLock,
    },
    time::{SystemTime, UNIX_EPOCH},
};
use tokio::task::JoinHandle;

// ---------------------------------------------------------------------------------------------
// Small helpers

pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `prefix` + `len` random characters from `[A-Za-z0-9]` (the shape of most provider tokens).
pub fn random_token(prefix: &str, len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..len).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    format!("{prefix}{tail}")
}

/// A version-4 looking GUID (Microsoft correlation ids, session states).
pub fn random_guid() -> String {
    let bytes: [u8; 16] = rand::random();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-4{}-a{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

/// Query or form parameters in order, keeping duplicates so they can be refused (RFC 6749 §3.1).
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(text: &str) -> Self {
        Params(url::form_urlencoded::parse(text.as_bytes()).into_owned().collect())
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    /// A non-empty value.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }
    pub fn duplicated(&self) -> Option<&str> {
        self.0
            .iter()
            .enumerate()
            .find(|(i, (k, _))| self.0[..*i].iter().any(|(seen, _)| seen == k))
            .map(|(_, (k, _))| k.as_str())
    }
    pub fn merged(mut self, other: Params) -> Params {
        self.0.extend(other.0);
        self
    }
}

pub fn header_str<'a>(headers: &'a HeaderMap, name: header::HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The bearer token of a request (`Authorization: Bearer x`; GitHub also takes `token x`).
pub fn bearer(headers: &HeaderMap, also_token_scheme: bool) -> Option<String> {
    let value = header_str(headers, header::AUTHORIZATION)?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let ok = scheme.eq_ignore_ascii_case("bearer") || (also_token_scheme && scheme.eq_ignore_ascii_case("token"));
    ok.then(|| token.trim().to_string())
}

pub fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// Token responses must not be cached (RFC 6749 §5.1).
pub fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

pub fn html_page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!("<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>");
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

pub fn found(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    match HeaderValue::from_str(location) {
        Ok(v) => {
            response.headers_mut().insert(header::LOCATION, v);
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    response
}

/// `redirect_uri` with the given parameters added to its query (keeping any it already has).
pub fn redirect_with(redirect_uri: &str, params: &[(&str, String)], fragment: Option<&str>) -> String {
    let mut url = url::Url::parse(redirect_uri).expect("registered redirect URIs are URLs");
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in params {
            query.append_pair(k, v);
        }
    }
    url.set_fragment(fragment);
    url.to_string()
}

// ---------------------------------------------------------------------------------------------
// PKCE (RFC 7636) and client authentication (RFC 6749 §2.3.1)

/// A code challenge as S256 makes it: 43 base64url characters.
pub fn challenge_is_well_formed(challenge: &str) -> bool {
    challenge.len() == 43 && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The verifier is 43-128 unreserved characters and BASE64URL(SHA256(verifier)) is the challenge.
pub fn pkce_matches(verifier: &str, challenge: &str) -> Result<(), &'static str> {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !well_formed {
        return Err("code_verifier is not 43-128 unreserved characters");
    }
    if b64url(&Sha256::digest(verifier.as_bytes())) != challenge {
        return Err("code_verifier does not match the code_challenge");
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic` with form-urlencoded id and secret.
    Basic,
    /// `client_id` and `client_secret` in the request body.
    Post,
}

/// Who the client says it is and how. Using both methods at once is an error (RFC 6749 §2.3).
pub fn client_credentials(headers: &HeaderMap, form: &Params) -> Result<(String, String, ClientAuth), String> {
    let basic = header_str(headers, header::AUTHORIZATION)
        .and_then(|v| v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic ")))
        .map(|b| b.trim().to_string());
    match (basic, form.value("client_secret")) {
        (Some(_), Some(_)) => Err("client authenticated with more than one method".into()),
        (Some(encoded), None) => {
            let decoded = STANDARD.decode(encoded).map_err(|_| "Authorization: Basic is not base64".to_string())?;
            let text = String::from_utf8(decoded).map_err(|_| "Authorization: Basic is not UTF-8".to_string())?;
            let (id, secret) = text.split_once(':').ok_or("Authorization: Basic without ':'")?;
            let unescape = |s: &str| -> String {
                url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
            };
            let id = unescape(id);
            if let Some(form_id) = form.value("client_id") {
                if form_id != id {
                    return Err("client_id in the body differs from the Basic credentials".into());
                }
            }
            Ok((id, unescape(secret), ClientAuth::Basic))
        }
        (None, Some(secret)) => {
            let id = form.value("client_id").ok_or("client_secret without client_id")?;
            Ok((id.to_string(), secret.to_string(), ClientAuth::Post))
        }
        (None, None) => Err("no client authentication".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Signing keys: generated once per test run, one slot per stand-in (and spares for rotation)

const KEY_SLOTS: usize = 8;
static KEYS: [OnceLock<RsaPrivateKey>; KEY_SLOTS] = [const { OnceLock::new() }; KEY_SLOTS];

pub fn rsa_key(slot: usize) -> &'static RsaPrivateKey {
    KEYS[slot % KEY_SLOTS].get_or_init(|| RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).expect("RSA key generation"))
}

/// DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2 note 1): what RS256 signs before the hash.
const SHA256_DIGEST_INFO: [u8; 19] = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

#[derive(Clone)]
pub struct SigningKey {
    pub kid: String,
    key: &'static RsaPrivateKey,
}

impl SigningKey {
    pub fn new(slot: usize, kid: &str) -> Self {
        Self { kid: kid.to_string(), key: rsa_key(slot) }
    }

    /// The public JWK without `alg` (Microsoft omits it; others add it).
    pub fn jwk(&self) -> Map<String, Value> {
        let public = self.key.to_public_key();
        let mut jwk = Map::new();
        jwk.insert("kty".into(), "RSA".into());
        jwk.insert("use".into(), "sig".into());
        jwk.insert("kid".into(), self.kid.clone().into());
        jwk.insert("n".into(), b64url(&public.n().to_bytes_be()).into());
        jwk.insert("e".into(), b64url(&public.e().to_bytes_be()).into());
        jwk
    }

    /// A compact JWS, RS256, with `kid` in the header.
    pub fn sign_jwt(&self, claims: &Value) -> String {
        let header = json!({"alg": "RS256", "kid": self.kid, "typ": "JWT"});
        let signing_input = format!("{}.{}", b64url(header.to_string().as_bytes()), b64url(claims.to_string().as_bytes()));
        let digest = Sha256::digest(signing_input.as_bytes());
        let padding = Pkcs1v15Sign { hash_len: Some(32), prefix: Box::new(SHA256_DIGEST_INFO) };
        let signature = self.key.sign(padding, &digest).expect("RS256 signature");
        format!("{signing_input}.{}", b64url(&signature))
    }
}

/// OpenID `at_hash`: base64url of the left half of SHA-256(access token).
pub fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    b64url(&digest[..16])
}

// ---------------------------------------------------------------------------------------------
// Scenario switches shared by every stand-in

/// Whether the stand-in answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Up,
    /// Every endpoint answers 500 (an outage behind a load balancer).
    Failing,
}

/// What the person does on the consent screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    /// The person clicks "Cancel": `error=access_denied` goes back to the redirect URI.
    Deny,
}

#[derive(Default)]
pub struct Switches {
    mode: AtomicU8,
    deny: AtomicU8,
}

impl Switches {
    pub fn set_mode(&self, mode: Mode) {
        self.mode.store(if mode == Mode::Failing { 1 } else { 0 }, Ordering::SeqCst);
    }
    pub fn mode(&self) -> Mode {
        if self.mode.load(Ordering::SeqCst) == 1 {
            Mode::Failing
        } else {
            Mode::Up
        }
    }
    pub fn set_decision(&self, decision: Decision) {
        self.deny.store(if decision == Decision::Deny { 1 } else { 0 }, Ordering::SeqCst);
    }
    pub fn decision(&self) -> Decision {
        if self.deny.load(Ordering::SeqCst) == 1 {
            Decision::Deny
        } else {
            Decision::Approve
        }
    }
}

/// What a stand-in saw, in order, for assertions and for failure messages.
#[derive(Default)]
pub struct Log(Mutex<Vec<String>>);

impl Log {
    pub fn push(&self, line: impl Into<String>) {
        self.0.lock().expect("log").push(line.into());
    }
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().expect("log").clone()
    }
}

/// The app registration at the provider: one client, the redirect URIs registered for it.
#[derive(Clone, Debug)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uris: Arc<Mutex<Vec<String>>>,
}

impl Registration {
    pub fn new(client_id: &str, client_secret: &str, redirect_uri: &str) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uris: Arc::new(Mutex::new(vec![redirect_uri.to_string()])),
        }
    }
    pub fn allows(&self, redirect_uri: &str) -> bool {
        self.redirect_uris.lock().expect("registration").iter().any(|r| r == redirect_uri)
    }
    pub fn add_redirect_uri(&self, redirect_uri: &str) {
        self.redirect_uris.lock().expect("registration").push(redirect_uri.to_string());
    }
    pub fn first_redirect_uri(&self) -> String {
        self.redirect_uris.lock().expect("registration")[0].clone()
    }
}

// ---------------------------------------------------------------------------------------------
// A loopback HTTP server that can be stopped (connection refused) and started again

pub struct Server {
    pub addr: SocketAddr,
    router: Router,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Server {
    pub async fn start(router: Router) -> Arc<Server> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind stand-in");
        let addr = listener.local_addr().expect("stand-in address");
        let server = Arc::new(Server { addr, router: router.clone(), task: Mutex::new(None) });
        server.serve(listener);
        server
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let router = self.router.clone();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        *self.task.lock().expect("task") = Some(task);
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Closes the port: new connections are refused. (Use before the bridge first connects:
    /// connections it already pooled are not cut.)
    pub fn stop(&self) {
        if let Some(task) = self.task.lock().expect("task").take() {
            task.abort();
        }
    }

    /// Listens again on the same port.
    pub async fn restart(&self) {
        self.stop();
        let mut last = None;
        for _ in 0..50 {
            match tokio::net::TcpListener::bind(self.addr).await {
                Ok(listener) => {
                    self.serve(listener);
                    return;
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("cannot listen on {} again: {last:?}", self.addr);
    }
}

/// Decodes one base64url JWT segment as JSON (for assertions on what a stand-in issued).
pub fn b64url_decode_json(segment: &str) -> Value {
    let bytes = URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')).expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON segment")
}
