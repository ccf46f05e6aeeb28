//! The upstream identity providers: discovery, the authorization request and the code exchange.
//! It must never trust an unverified ID token, and never follow an upstream redirect.

mod oidc;

pub use oidc::{AuthorizationStart, UpstreamIdentity};

use crate::config::{Config, ProviderConfig};
use std::{sync::Arc, time::Duration};
use tokio::sync::RwLock;

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
    #[error("{provider} userinfo request failed: {reason}")]
    UserInfo { provider: String, reason: String },
    #[error("{provider} sent the person back with issuer {got}, expected {expected} (possible mix-up attack)")]
    IssuerMismatch { provider: String, got: String, expected: String },
    #[error("internal error building the upstream request: {0}")]
    Internal(String),
}

/// Upstream calls never take longer than this (DESIGN: ≤10 s).
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether a provider's discovery has succeeded.
#[derive(Clone, Debug)]
pub enum Availability {
    Starting,
    Ready,
    Down(String),
}

/// Every configured provider, each discovering itself in the background.
#[derive(Clone)]
pub struct Upstreams {
    providers: Arc<Vec<Arc<oidc::OidcProvider>>>,
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
            .map(|p| oidc::OidcProvider::new(p.clone(), config.redirect_uri(&p.id), http.clone()).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { providers: Arc::new(providers) })
    }

    /// Starts one background task per provider that discovers it and retries with back-off.
    /// A provider that is down at start never stops the bridge.
    pub fn spawn_discovery(&self) {
        for provider in self.providers.iter() {
            let provider = provider.clone();
            tokio::spawn(async move { provider.keep_discovered().await });
        }
    }

    /// Discovers every provider once, now (used by tests and `doctor`-like checks).
    pub async fn discover_all(&self) {
        for provider in self.providers.iter() {
            provider.refresh().await;
        }
    }

    pub fn get(&self, id: &str) -> Option<&Arc<oidc::OidcProvider>> {
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

/// Shared by the providers: the discovered state behind a lock.
pub(crate) type Discovered<T> = RwLock<Result<Arc<T>, Availability>>;
