//! Plain OAuth 2.0 providers (GitHub, Facebook) through the `oauth2` crate: code + PKCE S256,
//! then one adapter call that reads the profile from the provider's API.
//! It must never take an identity from anything but the provider's own API with this token.

use super::{oidc::{fetch_capped_with, CappedHttp}, AuthorizationStart, Availability, NotAllowedReason, UpstreamError, UpstreamIdentity};
use crate::{
    config::{KindSettings, ProviderConfig},
    error::error_chain,
    tokens::random_256,
};
use oauth2::{
    basic::BasicClient, AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use serde::Deserialize;

/// Graph API version the Facebook adapter speaks.
pub const FACEBOOK_GRAPH_VERSION: &str = "v21.0";

pub(crate) type ReadyClient = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// The client a GitHub or Facebook login uses (also what `doctor` probes the token endpoint with,
/// so both authenticate the same way).
pub(crate) fn basic_client(config: &ProviderConfig, redirect_uri: String) -> Result<ReadyClient, UpstreamError> {
    let (auth, token) = match &config.settings {
        KindSettings::Github { web_url, .. } => {
            let base = web_url.as_str().trim_end_matches('/');
            (format!("{base}/login/oauth/authorize"), format!("{base}/login/oauth/access_token"))
        }
        KindSettings::Facebook { dialog_url, graph_url } => (
            format!("{}/{FACEBOOK_GRAPH_VERSION}/dialog/oauth", dialog_url.as_str().trim_end_matches('/')),
            format!("{}/{FACEBOOK_GRAPH_VERSION}/oauth/access_token", graph_url.as_str().trim_end_matches('/')),
        ),
        _ => return Err(UpstreamError::Internal(format!("{} is not a plain OAuth 2.0 kind", config.kind.as_str()))),
    };
    let internal = |e: url::ParseError| UpstreamError::Internal(e.to_string());
    Ok(BasicClient::new(ClientId::new(config.client_id.clone()))
        .set_client_secret(ClientSecret::new(config.client_secret.expose().to_string()))
        // Both document client_id/client_secret in the body of the token request.
        .set_auth_type(AuthType::RequestBody)
        .set_auth_uri(AuthUrl::new(auth).map_err(internal)?)
        .set_token_uri(TokenUrl::new(token).map_err(internal)?)
        .set_redirect_uri(RedirectUrl::new(redirect_uri).map_err(internal)?))
}

pub struct OAuth2Provider {
    config: ProviderConfig,
    client: ReadyClient,
    /// The same client with `fallback_client_secret`, during a secret rotation.
    fallback: Option<ReadyClient>,
    http: oauth2::reqwest::Client,
}

impl OAuth2Provider {
    pub fn new(config: ProviderConfig, redirect_uri: String, http: oauth2::reqwest::Client) -> Result<Self, UpstreamError> {
        let client = basic_client(&config, redirect_uri)?;
        let fallback = config.fallback_client_secret.as_ref().map(|s| client.clone().set_client_secret(ClientSecret::new(s.expose().to_string())));
        Ok(Self { config, client, fallback, http })
    }

    pub fn config(&self) -> &ProviderConfig {
        &self.config
    }

    /// No discovery: these providers are usable as soon as they are configured.
    pub fn availability(&self) -> Availability {
        Availability::Ready
    }

    pub fn start(&self) -> AuthorizationStart {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = self.client.authorize_url(|| CsrfToken::new(random_256()));
        for scope in &self.config.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state) = request.set_pkce_challenge(challenge).url();
        AuthorizationStart { url, state: state.secret().clone(), nonce: None, pkce_verifier: verifier.secret().clone() }
    }

    async fn exchange(
        &self,
        client: &ReadyClient,
        code: &str,
        pkce_verifier: &str,
    ) -> Result<oauth2::basic::BasicTokenResponse, oauth2::basic::BasicRequestTokenError<oauth2::HttpClientError<oauth2::reqwest::Error>>> {
        let exchange = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()));
        let http = CappedHttp(&self.http);
        crate::metrics::time_upstream(&self.config.id, "token", exchange.request_async(&http))
            .await
    }

    pub async fn finish(&self, code: String, pkce_verifier: String) -> Result<UpstreamIdentity, UpstreamError> {
        let provider = self.config.display_name.clone();
        let mut answer = self.exchange(&self.client, &code, &pkce_verifier).await;
        if let (Err(error), Some(fallback)) = (&answer, &self.fallback) {
            if super::refused_client(error) {
                answer = self.exchange(fallback, &code, &pkce_verifier).await;
                if answer.is_ok() {
                    super::note_fallback_secret_used(&self.config);
                }
            }
        }
        let token = answer.map_err(|e| UpstreamError::TokenExchange { provider: provider.clone(), reason: error_chain(&e) })?;
        let access_token = token.access_token().secret();
        match &self.config.settings {
            KindSettings::Github { api_url, allowed_organizations, .. } => {
                github_identity(self, api_url.as_str().trim_end_matches('/'), allowed_organizations, access_token).await
            }
            KindSettings::Facebook { graph_url, .. } => facebook_identity(self, graph_url.as_str().trim_end_matches('/'), access_token).await,
            _ => Err(UpstreamError::Internal("not a plain OAuth 2.0 kind".into())),
        }
    }

    async fn get_json<T: for<'de> Deserialize<'de>>(&self, url: &str, access_token: &str, accept: &str) -> Result<T, UpstreamError> {
        let provider = self.config.display_name.clone();
        let request = self.http.get(url).bearer_auth(access_token).header("Accept", accept);
        let bytes = crate::metrics::time_upstream(&self.config.id, "userinfo", fetch_capped_with(request, url))
            .await
            .map_err(|reason| UpstreamError::UserInfo { provider: provider.clone(), reason })?;
        serde_json::from_slice(&bytes).map_err(|e| UpstreamError::UserInfo { provider, reason: format!("{url}: {e}") })
    }
}

// ---- GitHub ----------------------------------------------------------------------------

#[derive(Deserialize)]
struct GithubUser {
    id: u64,
    login: String,
    name: Option<String>,
}

#[derive(Deserialize)]
struct GithubEmail {
    email: String,
    primary: bool,
    verified: bool,
}

#[derive(Deserialize)]
struct GithubOrg {
    login: String,
}

const GITHUB_JSON: &str = "application/vnd.github+json";

/// Subject = the numeric id (a login can be renamed and then taken by someone else);
/// email = the primary address, and only when GitHub has verified it.
async fn github_identity(p: &OAuth2Provider, api: &str, allowed_orgs: &[String], token: &str) -> Result<UpstreamIdentity, UpstreamError> {
    let user: GithubUser = p.get_json(&format!("{api}/user"), token, GITHUB_JSON).await?;
    let emails: Vec<GithubEmail> = p.get_json(&format!("{api}/user/emails"), token, GITHUB_JSON).await?;
    if !allowed_orgs.is_empty() && !github_member_of_any(p, api, allowed_orgs, token).await? {
        return Err(UpstreamError::NotAllowed {
            provider: p.config.display_name.clone(),
            reason: NotAllowedReason::GithubOrganization(user.login.clone()),
        });
    }
    let primary = emails.into_iter().find(|e| e.primary && e.verified);
    Ok(UpstreamIdentity {
        provider_id: p.config.id.clone(),
        subject: user.id.to_string(),
        email_verified: primary.is_some(),
        email: primary.map(|e| e.email),
        name: user.name.or(Some(user.login)),
        groups: Vec::new(),
    })
}

/// Pages through `/user/orgs` (100 a page, at most `GITHUB_MAX_ORG_PAGES` pages).
async fn github_member_of_any(p: &OAuth2Provider, api: &str, allowed: &[String], token: &str) -> Result<bool, UpstreamError> {
    for page in 1..=GITHUB_MAX_ORG_PAGES {
        let orgs: Vec<GithubOrg> = p.get_json(&format!("{api}/user/orgs?per_page=100&page={page}"), token, GITHUB_JSON).await?;
        if orgs.iter().any(|o| allowed.contains(&o.login.to_ascii_lowercase())) {
            return Ok(true);
        }
        if orgs.len() < 100 {
            break;
        }
    }
    Ok(false)
}

/// Nobody belongs to more than 1,000 organizations; the cap bounds a hostile API.
const GITHUB_MAX_ORG_PAGES: u32 = 10;

// ---- Facebook --------------------------------------------------------------------------

#[derive(Deserialize)]
struct FacebookMe {
    id: String,
    name: Option<String>,
    email: Option<String>,
}

/// Subject = the app-scoped id. The Graph API returns `email` only for a confirmed address,
/// and omits it when the person declined the permission.
async fn facebook_identity(p: &OAuth2Provider, graph: &str, token: &str) -> Result<UpstreamIdentity, UpstreamError> {
    // appsecret_proof lets apps that "Require App Secret" call the Graph API at all.
    let proof = appsecret_proof(p.config.client_secret.expose(), token);
    let url = format!("{graph}/{FACEBOOK_GRAPH_VERSION}/me?fields=id,name,email&appsecret_proof={proof}");
    let me: FacebookMe = p.get_json(&url, token, "application/json").await?;
    Ok(UpstreamIdentity {
        provider_id: p.config.id.clone(),
        subject: me.id,
        email_verified: me.email.is_some(),
        email: me.email,
        name: me.name,
        groups: Vec::new(),
    })
}

/// HMAC-SHA256 of the access token keyed with the app secret, hex (Graph API "appsecret_proof").
fn appsecret_proof(app_secret: &str, access_token: &str) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(app_secret.as_bytes()) else {
        return String::new();
    };
    mac.update(access_token.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appsecret_proof_is_hmac_sha256_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            appsecret_proof("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
