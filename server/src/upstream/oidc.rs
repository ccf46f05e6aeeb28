//! OpenID Connect providers (google, microsoft, gitlab, oidc) through the `openidconnect` crate:
//! discovery, PKCE, ID-token checks, then the small per-kind rules in `claims_rules`.
//! It must never hand out an identity whose ID token (signature, iss, aud, azp, exp, iat, nonce) failed.

use super::{
    claims_rules::{self, VerifiedClaims},
    logout_token::{self, LogoutClaims},
    AuthorizationStart, Availability, Discovered, RefreshOutcome, UpstreamError, UpstreamIdentity, UpstreamSession,
};
use crate::{
    config::{KindSettings, ProviderConfig},
    error::error_chain,
    tokens::random_256,
};
use openidconnect::{
    core::{
        CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreGrantType,
        CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm, CoreResponseMode,
        CoreResponseType, CoreSubjectIdentifierType, CoreTokenResponse, CoreUserInfoClaims,
    },
    AdditionalProviderMetadata, AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, JsonWebKeySet, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, ProviderMetadata, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use std::{sync::Arc, time::Duration};
use tokio::sync::RwLock;
use url::Url;

/// The discovery fields the `openidconnect` core types do not carry.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ExtraMetadata {
    /// RFC 9207: when true, the authorization response must carry `iss`.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: Option<bool>,
    /// RP-Initiated Logout 1.0: where the bridge sends a browser to end the provider session.
    #[serde(default)]
    pub end_session_endpoint: Option<openidconnect::EndSessionUrl>,
}
impl AdditionalProviderMetadata for ExtraMetadata {}

type Metadata = ProviderMetadata<
    ExtraMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

type TokenError = openidconnect::RequestTokenError<
    openidconnect::HttpClientError<openidconnect::reqwest::Error>,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
>;

type DiscoveredClient =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// Largest answer accepted from a provider: discovery, JWKS, token, userinfo, API (a hostile
/// provider could send gigabytes).
const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

pub struct OidcProvider {
    config: ProviderConfig,
    /// `revalidate_every` is set: ask for a refresh token (`offline_access`).
    offline: bool,
    redirect_uri: RedirectUrl,
    http: openidconnect::reqwest::Client,
    metadata: Discovered<Metadata>,
    /// When a logout token last made the bridge fetch the JWKS again (Unix seconds): anyone can
    /// POST a forged token, and each must not cost a request to the provider.
    logout_keys_refreshed_at: std::sync::atomic::AtomicI64,
}

/// At most one key refresh per this many seconds on behalf of logout tokens.
const LOGOUT_KEY_REFRESH_EVERY_SECS: i64 = 60;

impl OidcProvider {
    pub fn new(config: ProviderConfig, redirect_uri: String, http: openidconnect::reqwest::Client, offline: bool) -> Result<Self, UpstreamError> {
        let redirect_uri = RedirectUrl::new(redirect_uri).map_err(|e| UpstreamError::Internal(e.to_string()))?;
        Ok(Self {
            config,
            offline,
            redirect_uri,
            http,
            metadata: RwLock::new(Err(Availability::Starting)),
            logout_keys_refreshed_at: std::sync::atomic::AtomicI64::new(0),
        })
    }

    pub fn config(&self) -> &ProviderConfig {
        &self.config
    }

    pub async fn availability(&self) -> Availability {
        match &*self.metadata.read().await {
            Ok(_) => Availability::Ready,
            Err(a) => a.clone(),
        }
    }

    /// Discovers, then re-discovers hourly (keys rotate); retries with back-off while down.
    pub async fn keep_discovered(&self) {
        let mut backoff = Duration::from_secs(1);
        // Already discovered (a reload does it before going live): the next fetch is the hourly one.
        if matches!(self.availability().await, Availability::Ready) {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        loop {
            if self.refresh().await {
                backoff = Duration::from_secs(1);
                tokio::time::sleep(Duration::from_secs(3600)).await;
            } else {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(60));
            }
        }
    }

    /// Fetches discovery and JWKS now; returns whether the provider is usable.
    pub async fn refresh(&self) -> bool {
        let result = crate::metrics::time_upstream(&self.config.id, "discovery", self.discover()).await;
        let ok = result.is_ok();
        match &result {
            Ok(_) => tracing::info!(provider = %self.config.id, "provider discovered"),
            Err(reason) => tracing::warn!(provider = %self.config.id, %reason, "provider discovery failed; will retry"),
        }
        *self.metadata.write().await = result.map(Arc::new).map_err(Availability::Down);
        ok
    }

    async fn discover(&self) -> Result<Metadata, String> {
        let metadata = match &self.config.settings {
            KindSettings::Microsoft { authority, tenant, .. } => self.discover_microsoft(authority, tenant).await?,
            settings => {
                let issuer = claims_rules::discovery_issuer(settings).ok_or("not an OpenID Connect kind")?;
                let issuer = IssuerUrl::new(issuer.as_str().trim_end_matches('/').to_string()).map_err(|e| e.to_string())?;
                Metadata::discover_async(issuer, &CappedHttp(&self.http)).await.map_err(|e| error_chain(&e))?
            }
        };
        let mut endpoints = vec![("jwks_uri", metadata.jwks_uri().url().clone())];
        endpoints.push(("authorization_endpoint", metadata.authorization_endpoint().url().clone()));
        match metadata.token_endpoint() {
            Some(token) => endpoints.push(("token_endpoint", token.url().clone())),
            None => return Err("discovery document has no token_endpoint".into()),
        }
        if let Some(userinfo) = metadata.userinfo_endpoint() {
            endpoints.push(("userinfo_endpoint", userinfo.url().clone()));
        }
        for (name, url) in endpoints {
            if url.scheme() != "https" && !crate::config::is_loopback(&url) {
                return Err(format!("{name} {url} is not https"));
            }
        }
        Ok(metadata)
    }

    /// Entra ID's multi-tenant documents name the issuer `…/{tenantid}/v2.0`, which the crate's
    /// discovery (rightly) refuses as a mismatch; so the document is fetched here and the issuer
    /// is checked per token against its `tid` instead (see `claims_rules::microsoft`).
    async fn discover_microsoft(&self, authority: &Url, tenant: &str) -> Result<Metadata, String> {
        let url = format!("{}/{tenant}/v2.0/.well-known/openid-configuration", authority.as_str().trim_end_matches('/'));
        let bytes = fetch_capped(&self.http, &url).await?;
        let metadata: Metadata = serde_json::from_slice(&bytes).map_err(|e| format!("discovery document: {e}"))?;
        let expected_prefix = authority.as_str().trim_end_matches('/');
        if !metadata.issuer().as_str().starts_with(expected_prefix) {
            return Err(format!("discovery issuer {} is not under {expected_prefix}", metadata.issuer().as_str()));
        }
        let jwks = JsonWebKeySet::fetch_async(metadata.jwks_uri(), &CappedHttp(&self.http)).await.map_err(|e| error_chain(&e))?;
        Ok(metadata.set_jwks(jwks))
    }

    async fn client(&self) -> Result<(Arc<Metadata>, DiscoveredClient), UpstreamError> {
        self.client_with(&self.config.client_secret).await
    }

    async fn client_with(&self, secret: &crate::config::Secret) -> Result<(Arc<Metadata>, DiscoveredClient), UpstreamError> {
        let metadata = match &*self.metadata.read().await {
            Ok(m) => m.clone(),
            Err(Availability::Down(reason)) => {
                return Err(UpstreamError::Unavailable { provider: self.config.display_name.clone(), reason: reason.clone() })
            }
            Err(_) => {
                return Err(UpstreamError::Unavailable { provider: self.config.display_name.clone(), reason: "still connecting".into() })
            }
        };
        let client = CoreClient::from_provider_metadata(
            (*metadata).clone(),
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(secret.expose().to_string())),
        )
        .set_redirect_uri(self.redirect_uri.clone());
        Ok((metadata, client))
    }

    /// Builds the authorization request: code flow, PKCE S256, fresh 256-bit state and nonce.
    pub async fn start(&self, login_hint: Option<&str>) -> Result<AuthorizationStart, UpstreamError> {
        let (_, client) = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        // The crate's default state/nonce carry 128 bits; the design asks for 256.
        let mut request = client.authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            || CsrfToken::new(random_256()),
            || Nonce::new(random_256()),
        );
        for scope in &self.config.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        for (name, value) in claims_rules::extra_authorize_params(&self.config.settings) {
            request = request.add_extra_param(name, value);
        }
        if let Some(hint) = login_hint {
            request = request.add_extra_param("login_hint", hint.to_string());
        }
        if self.offline {
            // Google refuses the `offline_access` scope and grants refresh tokens for
            // `access_type=offline` instead; everyone else follows OIDC Core §11.
            request = match self.config.settings {
                KindSettings::Google { .. } => request.add_extra_param("access_type", "offline"),
                _ => request.add_scope(Scope::new("offline_access".into())),
            };
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(AuthorizationStart {
            url,
            state: state.secret().clone(),
            nonce: Some(nonce.secret().clone()),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// RFC 9207: the `iss` of the authorization response must be this provider's issuer,
    /// and must be present when the provider advertises it.
    pub async fn check_response_issuer(&self, iss: Option<&str>) -> Result<(), UpstreamError> {
        let (metadata, _) = self.client().await?;
        let expected = metadata.issuer().as_str().to_string();
        let required = metadata.additional_metadata().authorization_response_iss_parameter_supported == Some(true);
        let matches = |got: &str| got == expected || claims_rules::issuer_matches_template(&expected, got);
        match iss {
            Some(got) if !matches(got) => Err(UpstreamError::IssuerMismatch {
                provider: self.config.display_name.clone(),
                got: got.to_string(),
                expected,
            }),
            None if required => Err(UpstreamError::IssuerMismatch {
                provider: self.config.display_name.clone(),
                got: "(none)".into(),
                expected,
            }),
            _ => Ok(()),
        }
    }

    async fn exchange(&self, client: &DiscoveredClient, code: &str, pkce_verifier: &str) -> Result<Result<CoreTokenResponse, TokenError>, UpstreamError> {
        let request = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| UpstreamError::Internal(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()));
        let http = CappedHttp(&self.http);
        Ok(crate::metrics::time_upstream(&self.config.id, "token", request.request_async(&http)).await)
    }

    /// Exchanges the code and returns the verified identity, with the provider's session id and
    /// (when re-validation is on) its refresh token.
    pub async fn finish(&self, code: String, pkce_verifier: String, nonce: String) -> Result<(UpstreamIdentity, UpstreamSession), UpstreamError> {
        let provider = self.config.display_name.clone();
        let (metadata, mut client) = self.client().await?;
        let mut answer = self.exchange(&client, &code, &pkce_verifier).await?;
        if let (Err(error), Some(fallback)) = (&answer, &self.config.fallback_client_secret) {
            // A refused client authenticates nothing, so the code is still unused upstream.
            if super::refused_client(error) {
                client = self.client_with(fallback).await?.1;
                answer = self.exchange(&client, &code, &pkce_verifier).await?;
                if answer.is_ok() {
                    super::note_fallback_secret_used(&self.config);
                }
            }
        }
        let response = answer.map_err(|e| UpstreamError::TokenExchange { provider: provider.clone(), reason: error_chain(&e) })?;
        let id_token = response.id_token().ok_or_else(|| UpstreamError::MissingIdToken { provider: provider.clone() })?;
        let nonce = Nonce::new(nonce);
        let templated = matches!(self.config.settings, KindSettings::Microsoft { .. });

        let verified = id_token.claims(&id_token_verifier(&client, templated), &nonce).map(|c| c.clone());
        let claims = match verified {
            Ok(claims) => claims,
            Err(first) => {
                // An unknown key may mean the provider rotated its keys: fetch JWKS again once.
                tracing::info!(provider = %self.config.id, error = %first, "ID token check failed; refreshing keys once");
                self.refresh().await;
                let (_, refreshed) = self.client().await?;
                let verifier = id_token_verifier(&refreshed, templated);
                let claims = id_token
                    .claims(&verifier, &nonce)
                    .map(|c| c.clone())
                    .map_err(|e| UpstreamError::InvalidIdToken { provider: provider.clone(), reason: error_chain(&e) })?;
                claims
            }
        };
        // The signature and standard claims are verified above; the raw payload is read only
        // for the provider-specific claims (hd, tid, oid, xms_edov, mapped names) the crate's
        // typed claims do not carry.
        let raw = claims_rules::payload_of_verified(&id_token.to_string())
            .map_err(|reason| UpstreamError::InvalidIdToken { provider: provider.clone(), reason })?;
        let session = UpstreamSession {
            sid: raw.get("sid").and_then(|v| v.as_str()).filter(|s| !s.is_empty() && s.len() <= 512).map(str::to_string),
            refresh_token: if self.offline { response.refresh_token().map(|t| t.secret().clone()) } else { None },
        };
        let mut verified = VerifiedClaims {
            subject: claims.subject().as_str().to_string(),
            issuer: claims.issuer().as_str().to_string(),
            discovery_issuer: metadata.issuer().as_str().to_string(),
            email: claims.email().map(|e| e.as_str().to_string()),
            email_verified: claims.email_verified(),
            name: claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_string()),
            raw,
        };

        if verified.email.is_none() && client.user_info_url().is_some() {
            let request = client
                .user_info(response.access_token().clone(), Some(claims.subject().clone()))
                .map_err(|e| UpstreamError::Internal(e.to_string()))?;
            let http = CappedHttp(&self.http);
            let info: CoreUserInfoClaims = crate::metrics::time_upstream(&self.config.id, "userinfo", request.request_async(&http))
                .await
                .map_err(|e| UpstreamError::UserInfo { provider: provider.clone(), reason: error_chain(&e) })?;
            verified.email = info.email().map(|e| e.as_str().to_string());
            verified.email_verified = info.email_verified();
            if verified.name.is_none() {
                verified.name = info.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_string());
            }
        }
        claims_rules::identity(&self.config, verified).map(|identity| (identity, session))
    }

    /// Back-Channel Logout 1.0 §2.6: the logout token's signature (JWKS, asymmetric algorithms
    /// only, keys fetched again once for a rotation), issuer, audience, times, events, nonce,
    /// sub/sid and jti. Errors are the `error_description` the provider gets.
    pub async fn verify_logout_token(&self, token: &str) -> Result<LogoutClaims, String> {
        let (metadata, _) = self.client().await.map_err(|e| e.to_string())?;
        let templated = matches!(self.config.settings, KindSettings::Microsoft { .. });
        let check = |metadata: &Metadata| {
            logout_token::verify(token, metadata.jwks(), metadata.issuer().as_str(), templated, &self.config.client_id, &ALLOWED_ID_TOKEN_ALGS)
        };
        match check(&metadata) {
            Err(logout_token::Refusal::Signature(first)) if self.may_refresh_keys_for_logout() => {
                tracing::info!(provider = %self.config.id, error = %first, "logout token signature check failed; refreshing keys once");
                self.refresh().await;
                let (metadata, _) = self.client().await.map_err(|e| e.to_string())?;
                check(&metadata).map_err(|e| e.to_string())
            }
            other => other.map_err(|e| e.to_string()),
        }
    }

    /// Claims the once-a-minute key refresh for logout tokens; false if it was used recently.
    fn may_refresh_keys_for_logout(&self) -> bool {
        use std::sync::atomic::Ordering;
        let now = chrono::Utc::now().timestamp();
        let last = self.logout_keys_refreshed_at.load(Ordering::SeqCst);
        now - last >= LOGOUT_KEY_REFRESH_EVERY_SECS
            && self.logout_keys_refreshed_at.compare_exchange(last, now, Ordering::SeqCst, Ordering::SeqCst).is_ok()
    }

    /// The provider's end-session URL for RP-initiated logout, or `None` when it has none (or
    /// an insecure one, or is not discovered yet).
    pub async fn end_session_url(&self, post_logout_redirect_uri: &str, state: &str) -> Option<Url> {
        let (metadata, _) = self.client().await.ok()?;
        let endpoint = metadata.additional_metadata().end_session_endpoint.clone()?;
        if endpoint.url().scheme() != "https" && !crate::config::is_loopback(endpoint.url()) {
            return None;
        }
        let redirect = openidconnect::PostLogoutRedirectUrl::new(post_logout_redirect_uri.to_string()).ok()?;
        Some(
            openidconnect::LogoutRequest::from(endpoint)
                .set_client_id(ClientId::new(self.config.client_id.clone()))
                .set_post_logout_redirect_uri(redirect)
                .set_state(CsrfToken::new(state.to_string()))
                .http_get_url(),
        )
    }

    /// The refresh_token grant: still valid (and perhaps a rotated token), refused by the
    /// provider (`invalid_grant`: revoked, expired, account disabled or deleted), or not known
    /// right now (outage, garbage answer, any other error: never a reason to end sessions).
    pub async fn refresh_grant(&self, refresh_token: &str) -> RefreshOutcome {
        let (_, client) = match self.client().await {
            Ok(c) => c,
            Err(error) => return RefreshOutcome::Unavailable(error.to_string()),
        };
        let token = openidconnect::RefreshToken::new(refresh_token.to_string());
        let request = match client.exchange_refresh_token(&token) {
            Ok(r) => r,
            Err(error) => return RefreshOutcome::Unavailable(error.to_string()),
        };
        match request.request_async(&CappedHttp(&self.http)).await {
            Ok(response) => RefreshOutcome::Valid { refresh_token: response.refresh_token().map(|t| t.secret().clone()) },
            Err(openidconnect::RequestTokenError::ServerResponse(answer))
                if *answer.error() == openidconnect::core::CoreErrorResponseType::InvalidGrant =>
            {
                let why = answer.error_description().map(|d| format!("invalid_grant: {d}")).unwrap_or_else(|| "invalid_grant".into());
                RefreshOutcome::Refused(why)
            }
            Err(error) => RefreshOutcome::Unavailable(error_chain(&error)),
        }
    }
}

/// Most clocks drift; a token issued further in the future than this is refused.
const MAX_CLOCK_SKEW_SECS: i64 = 300;
/// An ID token is used seconds after it is issued; an old one is a replay.
const MAX_ID_TOKEN_AGE_SECS: i64 = 600;

/// Signatures the bridge accepts on ID tokens: asymmetric only. The crate would otherwise take
/// whatever discovery lists, HS256 keyed with the client secret included.
const ALLOWED_ID_TOKEN_ALGS: [CoreJwsSigningAlgorithm; 8] = [
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha384,
    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    CoreJwsSigningAlgorithm::RsaSsaPssSha384,
    CoreJwsSigningAlgorithm::RsaSsaPssSha512,
    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
    CoreJwsSigningAlgorithm::EcdsaP384Sha384,
];

/// The crate checks the signature (only `ALLOWED_ID_TOKEN_ALGS`), iss, aud, azp and exp; `iat` is ours.
/// `templated_issuer`: Entra multi-tenant issuers are checked per token in `claims_rules`.
fn id_token_verifier(client: &DiscoveredClient, templated_issuer: bool) -> openidconnect::core::CoreIdTokenVerifier<'_> {
    client
        .id_token_verifier()
        .set_allowed_algs(ALLOWED_ID_TOKEN_ALGS)
        .require_issuer_match(!templated_issuer)
        .set_issue_time_verifier_fn(|issued_at| {
            let age = chrono::Utc::now().signed_duration_since(issued_at).num_seconds();
            if age < -MAX_CLOCK_SKEW_SECS {
                Err(format!("iat is {}s in the future", -age))
            } else if age > MAX_ID_TOKEN_AGE_SECS {
                Err(format!("iat is {age}s old"))
            } else {
                Ok(())
            }
        })
}

/// GET with a size cap; used where the crate does not fetch for us.
pub async fn fetch_capped(http: &openidconnect::reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    fetch_capped_with(http.get(url).header("Accept", "application/json"), url).await
}

/// Sends a prepared GET and reads at most `MAX_DOCUMENT_BYTES` of a 2xx answer.
pub async fn fetch_capped_with(request: openidconnect::reqwest::RequestBuilder, url: &str) -> Result<Vec<u8>, String> {
    let mut response = request.send().await.map_err(|e| error_chain(&e))?;
    if !response.status().is_success() {
        return Err(format!("{url} answered HTTP {}", response.status().as_u16()));
    }
    read_capped(&mut response, url).await
}

/// Reads a body, giving up as soon as it passes `MAX_DOCUMENT_BYTES`.
async fn read_capped(response: &mut openidconnect::reqwest::Response, url: &str) -> Result<Vec<u8>, String> {
    let too_big = || format!("{url} answered more than {MAX_DOCUMENT_BYTES} bytes");
    if response.content_length().is_some_and(|n| n > MAX_DOCUMENT_BYTES as u64) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| error_chain(&e))? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_DOCUMENT_BYTES {
            return Err(too_big());
        }
    }
    Ok(body)
}

/// The HTTP client handed to `openidconnect`/`oauth2` (discovery, JWKS, token, userinfo): the
/// crates' own reqwest client reads whole bodies however large they are, so a hostile provider
/// could make the bridge buffer gigabytes; this one stops at `MAX_DOCUMENT_BYTES`.
pub struct CappedHttp<'a>(pub &'a openidconnect::reqwest::Client);

impl<'c> openidconnect::AsyncHttpClient<'c> for CappedHttp<'_> {
    type Error = openidconnect::HttpClientError<openidconnect::reqwest::Error>;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<openidconnect::HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let url = request.uri().to_string();
            let mut response = self.0.execute(request.try_into().map_err(Box::new)?).await.map_err(Box::new)?;
            let mut builder = openidconnect::http::Response::builder().status(response.status()).version(response.version());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let body = read_capped(&mut response, &url).await.map_err(openidconnect::HttpClientError::Other)?;
            builder.body(body).map_err(openidconnect::HttpClientError::Http)
        })
    }
}
