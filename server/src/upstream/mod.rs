//! The upstream identity providers: one shared flow, with a small adapter per kind where the
//! provider is not plain OpenID Connect (`oauth2_flow`) or needs extra claim rules (`claims_rules`).
//! It must never trust an unverified ID token, and never follow an upstream redirect.

pub(crate) mod claims_rules;
pub mod kinds;
pub mod logout_token;
pub(crate) mod oauth2_flow;
pub(crate) mod oidc;

use crate::config::{Config, ProviderConfig, ProviderKind};
use std::{sync::Arc, time::Duration};
use tokio::sync::RwLock;
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    #[error("{provider} cannot be reached right now: {reason}")]
    Unavailable { provider: String, reason: String },
    #[error("{provider} answered the token request with an error: {reason}")]
    TokenExchange { provider: String, reason: String },
    #[error("{provider} returned an ID token that failed validation: {reason}")]
    InvalidIdToken { provider: String, reason: String },
    #[error("{provider} returned no ID token")]
    MissingIdToken { provider: String },
    #[error("{provider} profile request failed: {reason}")]
    UserInfo { provider: String, reason: String },
    #[error("{provider} sent the person back with issuer {got}, expected {expected} (possible mix-up attack)")]
    IssuerMismatch { provider: String, got: String, expected: String },
    #[error("{provider}: {reason}")]
    NotAllowed { provider: String, reason: NotAllowedReason },
    #[error("internal error building the upstream request: {0}")]
    Internal(String),
}

/// Why a provider's rules refuse a person who did sign in upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAllowedReason {
    /// Google's `hd`, or "a personal account" when there is none.
    GoogleDomain(String),
    /// The Entra ID tenant id (`tid`).
    MicrosoftTenant(String),
    /// The GitHub login that belongs to none of the allowed organisations.
    GithubOrganization(String),
}

impl std::fmt::Display for NotAllowedReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::GoogleDomain(domain) => write!(f, "Google Workspace domain {domain} is not allowed"),
            Self::MicrosoftTenant(tid) => write!(f, "Microsoft tenant {tid} is not allowed"),
            Self::GithubOrganization(login) => write!(f, "GitHub user {login} is not a member of an allowed organization"),
        }
    }
}

/// Upstream calls never take longer than this (DESIGN: ≤10 s).
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether a provider can be used right now.
#[derive(Clone, Debug)]
pub enum Availability {
    Starting,
    Ready,
    Down(String),
}

/// What the bridge keeps to finish a login it started.
#[derive(Debug)]
pub struct AuthorizationStart {
    pub url: Url,
    pub state: String,
    /// OpenID Connect only.
    pub nonce: Option<String>,
    pub pkce_verifier: String,
}

/// The person as the provider vouches for them, after every check passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpstreamIdentity {
    pub provider_id: String,
    /// The provider's stable subject (`sub`; Entra `tid:oid`; GitHub and Facebook numeric ids).
    pub subject: String,
    pub email: Option<String>,
    /// Only a verified email may be used to find an Odoo account.
    pub email_verified: bool,
    pub name: Option<String>,
    /// Groups or roles the provider asserts (for later group mapping).
    pub groups: Vec<String>,
}

/// What a sign-in leaves besides the identity, for logout and re-validation.
#[derive(Clone, Default)]
pub struct UpstreamSession {
    /// The provider's session id (`sid` of the ID token): back-channel logout may name only it.
    pub sid: Option<String>,
    /// Only asked for (and kept) when the provider has `revalidate_every`.
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for UpstreamSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The refresh token is a secret: never in a log line.
        f.debug_struct("UpstreamSession").field("sid", &self.sid).field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>")).finish()
    }
}

/// What a refresh_token grant said about the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// Still valid; the provider may have rotated the refresh token.
    Valid { refresh_token: Option<String> },
    /// The provider refused (`invalid_grant`): revoked, expired, disabled or deleted.
    Refused(String),
    /// No answer worth acting on (outage, garbage): try again later, end nothing.
    Unavailable(String),
}

/// One configured provider, whichever adapter it needs.
pub enum Provider {
    Oidc(oidc::OidcProvider),
    OAuth2(oauth2_flow::OAuth2Provider),
}

impl Provider {
    pub fn config(&self) -> &ProviderConfig {
        match self {
            Self::Oidc(p) => p.config(),
            Self::OAuth2(p) => p.config(),
        }
    }

    pub async fn availability(&self) -> Availability {
        match self {
            Self::Oidc(p) => p.availability().await,
            Self::OAuth2(p) => p.availability(),
        }
    }

    pub async fn refresh(&self) -> bool {
        match self {
            Self::Oidc(p) => p.refresh().await,
            Self::OAuth2(_) => true,
        }
    }

    /// `login_hint` goes to OpenID providers (OIDC Core §3.1.2.1); GitHub's and Facebook's
    /// authorize pages take no email hint.
    pub async fn start(&self, login_hint: Option<&str>) -> Result<AuthorizationStart, UpstreamError> {
        match self {
            Self::Oidc(p) => p.start(login_hint).await,
            Self::OAuth2(p) => Ok(p.start()),
        }
    }

    /// RFC 9207 for OpenID providers; plain OAuth providers send no `iss`.
    pub async fn check_response_issuer(&self, iss: Option<&str>) -> Result<(), UpstreamError> {
        match self {
            Self::Oidc(p) => p.check_response_issuer(iss).await,
            Self::OAuth2(_) => Ok(()),
        }
    }

    pub async fn finish(&self, code: String, pkce_verifier: String, nonce: Option<String>) -> Result<(UpstreamIdentity, UpstreamSession), UpstreamError> {
        match self {
            Self::Oidc(p) => {
                let nonce = nonce.ok_or_else(|| UpstreamError::Internal("flow has no nonce".into()))?;
                p.finish(code, pkce_verifier, nonce).await
            }
            Self::OAuth2(p) => p.finish(code, pkce_verifier).await.map(|identity| (identity, UpstreamSession::default())),
        }
    }

    /// Back-channel logout: only OpenID providers sign logout tokens (GitHub and Facebook have
    /// no logout protocol at all).
    pub async fn verify_logout_token(&self, token: &str) -> Result<logout_token::LogoutClaims, String> {
        match self {
            Self::Oidc(p) => p.verify_logout_token(token).await,
            Self::OAuth2(_) => Err(format!("provider kind `{}` has no back-channel logout", self.config().kind.as_str())),
        }
    }

    /// Where to end the provider's own session (RP-initiated logout), if it has such a page.
    pub async fn end_session_url(&self, post_logout_redirect_uri: &str, state: &str) -> Option<Url> {
        match self {
            Self::Oidc(p) => p.end_session_url(post_logout_redirect_uri, state).await,
            Self::OAuth2(_) => None,
        }
    }

    /// The refresh_token grant (re-validation); plain OAuth kinds are never configured for it.
    pub async fn refresh_grant(&self, refresh_token: &str) -> RefreshOutcome {
        match self {
            Self::Oidc(p) => p.refresh_grant(refresh_token).await,
            Self::OAuth2(_) => RefreshOutcome::Unavailable("not an OpenID Connect provider".into()),
        }
    }
}

/// Every configured provider, the OpenID ones discovering themselves in the background.
#[derive(Clone)]
pub struct Upstreams {
    providers: Arc<Vec<Arc<Provider>>>,
    /// The background discovery tasks, stopped when a reload replaces these providers.
    discovery: Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Upstreams {
    pub fn new(config: &Config) -> Result<Self, UpstreamError> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would open the bridge to SSRF through a hostile provider.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(UPSTREAM_TIMEOUT)
            .connect_timeout(UPSTREAM_TIMEOUT)
            .user_agent(concat!("login-bridge/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| UpstreamError::Internal(e.to_string()))?;
        let providers = config
            .providers
            .iter()
            .map(|p| {
                let redirect_uri = config.redirect_uri(&p.id);
                let provider = match p.kind {
                    ProviderKind::Github | ProviderKind::Facebook => {
                        Provider::OAuth2(oauth2_flow::OAuth2Provider::new(p.clone(), redirect_uri, http.clone())?)
                    }
                    _ => {
                        let offline = config.sessions.revalidate_every.contains_key(&p.id);
                        Provider::Oidc(oidc::OidcProvider::new(p.clone(), redirect_uri, http.clone(), offline)?)
                    }
                };
                Ok(Arc::new(provider))
            })
            .collect::<Result<Vec<_>, UpstreamError>>()?;
        Ok(Self { providers: Arc::new(providers), discovery: Arc::default() })
    }

    /// Starts one background task per OpenID provider that discovers it and retries with
    /// back-off. A provider that is down at start never stops the bridge.
    pub fn spawn_discovery(&self) {
        for provider in self.providers.iter() {
            if let Provider::Oidc(_) = provider.as_ref() {
                let provider = provider.clone();
                let task = tokio::spawn(async move {
                    if let Provider::Oidc(p) = provider.as_ref() {
                        p.keep_discovered().await;
                    }
                });
                self.discovery.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(task.abort_handle());
            }
        }
    }

    /// Ends the background discovery (a reload replaced these providers).
    pub fn stop_discovery(&self) {
        for task in self.discovery.lock().unwrap_or_else(std::sync::PoisonError::into_inner).drain(..) {
            task.abort();
        }
    }

    /// Discovers every provider once, now (tests and one-shot commands).
    pub async fn discover_all(&self) {
        for provider in self.providers.iter() {
            provider.refresh().await;
        }
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Provider>> {
        self.providers.iter().find(|p| p.config().id == id)
    }

    pub async fn availability(&self) -> Vec<(ProviderConfig, Availability)> {
        let mut out = Vec::new();
        for p in self.providers.iter() {
            out.push((p.config().clone(), p.availability().await));
        }
        out
    }
}

/// Shared by the OpenID providers: the discovered state behind a lock.
pub(crate) type Discovered<T> = RwLock<Result<Arc<T>, Availability>>;

/// Whether a token endpoint refused the client itself (wrong client id or secret): the one
/// answer a `fallback_client_secret` can fix. GitHub says so in a 200 body the crates cannot
/// parse as a token, hence the look at the raw answer.
pub(crate) fn refused_client<RE, T>(error: &oauth2::RequestTokenError<RE, T>) -> bool
where
    RE: std::error::Error + 'static,
    T: oauth2::ErrorResponse + serde::Serialize + 'static,
{
    match error {
        oauth2::RequestTokenError::ServerResponse(answer) => serde_json::to_value(answer)
            .ok()
            .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(|e| e == "invalid_client"))
            .unwrap_or(false),
        oauth2::RequestTokenError::Parse(_, body) => String::from_utf8_lossy(body).contains("incorrect_client_credentials"),
        _ => false,
    }
}

/// Logged when the fallback secret got a token: the admin is mid-rotation and should finish it.
pub(crate) fn note_fallback_secret_used(provider: &ProviderConfig) {
    tracing::warn!(
        provider = %provider.id,
        fix = "the provider no longer accepts client_secret: put the new secret in client_secret_env/_file and remove fallback_client_secret_*",
        "the provider refused client_secret as invalid_client and accepted fallback_client_secret"
    );
}
