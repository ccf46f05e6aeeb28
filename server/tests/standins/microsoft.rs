//! Microsoft Entra ID (v2.0 endpoints) on the shared OpenID engine. What makes it unusual:
//! discovery per tenant under `{authority}/{tenant}/v2.0`; for the multi-tenant aliases
//! (`organizations`, `common`) the discovery `issuer` is the literal template
//! `{authority}/{tenantid}/v2.0` while each ID token's `iss` names the person's own tenant;
//! the person is `oid` + `tid` (`sub` is pairwise per app); `email` is only an optional claim and
//! `xms_edov` says whether the tenant owns the email's domain. No `iss` on the authorization
//! response; errors carry AADSTS codes.

use super::{
    b64url,
    oidc_core::{Account, Endpoint, Flavor, Grant, OidcStandin},
    random_guid, random_token, Registration, SigningKey,
};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The tenant of personal Microsoft accounts (outlook.com, live.com).
pub const CONSUMERS_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";
/// Contoso: allowed in the bridge's test config.
pub const TENANT_A: &str = "3f1c2a7e-5b0d-4e8a-9c61-0d2b7a4e9f13";
/// Fabrikam: also allowed.
pub const TENANT_B: &str = "a7d45e12-9c3b-4f60-8e21-6b5c0f9d3a84";
/// Northwind: a real Entra tenant the bridge's config does not allow.
pub const TENANT_C: &str = "c0ffee00-1d2e-4f3a-8b4c-5d6e7f8a9b0c";

pub const MULTI_TENANT_ALIASES: &[&str] = &["organizations", "common"];

fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A work, school or personal account as Entra describes it in an ID token.
#[derive(Clone, Debug)]
pub struct EntraAccount {
    pub oid: String,
    pub tid: String,
    pub name: String,
    pub preferred_username: String,
    /// The optional `email` claim (absent when the app did not ask for it or the user has none).
    pub email: Option<String>,
    /// The optional `xms_edov` claim: the tenant verified it owns the email's domain.
    pub xms_edov: Option<bool>,
}

impl EntraAccount {
    pub fn new(oid: &str, tid: &str, email: &str) -> Self {
        Self {
            oid: oid.into(),
            tid: tid.into(),
            name: "Alice Example".into(),
            preferred_username: email.into(),
            email: Some(email.into()),
            xms_edov: Some(true),
        }
    }
    pub fn email(mut self, email: Option<&str>) -> Self {
        self.email = email.map(str::to_string);
        if let Some(e) = email {
            self.preferred_username = e.to_string();
        }
        self
    }
    pub fn xms_edov(mut self, value: Option<bool>) -> Self {
        self.xms_edov = value;
        self
    }

    /// The claims of a v2.0 ID token for the app `client_id`. `sub` is pairwise: stable for this
    /// person and app, different for another app.
    pub fn to_account(&self, client_id: &str) -> Account {
        let sub = b64url(&Sha256::digest(format!("{}|{}|{client_id}", self.oid, self.tid).as_bytes()));
        let mut account = Account::new(&sub[..43])
            .name(&self.name)
            .claim("oid", self.oid.clone())
            .claim("tid", self.tid.clone())
            .claim("preferred_username", self.preferred_username.clone())
            .claim("ver", "2.0")
            .claim("aio", random_token("", 96))
            .claim("rh", "1.AXoA".to_string() + &random_token("", 40) + ".")
            .claim("uti", random_token("", 22))
            .claim("sid", random_guid());
        if let Some(email) = &self.email {
            account = account.claim("email", email.clone());
        }
        if let Some(edov) = self.xms_edov {
            account = account.claim("xms_edov", edov);
        }
        account
    }
}

pub struct Microsoft;

impl Microsoft {
    fn issuer_for(base: &str, segment: &str) -> String {
        if MULTI_TENANT_ALIASES.contains(&segment) {
            format!("{base}/{{tenantid}}/v2.0")
        } else if segment == "consumers" {
            format!("{base}/{CONSUMERS_TENANT}/v2.0")
        } else {
            format!("{base}/{segment}/v2.0")
        }
    }
}

impl Flavor for Microsoft {
    fn name(&self) -> &'static str {
        "microsoft"
    }
    fn route(&self, path: &str) -> Option<(Endpoint, String)> {
        if path == "/oidc/userinfo" {
            return Some((Endpoint::UserInfo, String::new()));
        }
        let rest = path.strip_prefix('/')?;
        let (tenant, rest) = rest.split_once('/')?;
        let known = MULTI_TENANT_ALIASES.contains(&tenant) || tenant == "consumers" || is_guid(tenant);
        if !known {
            return None;
        }
        let endpoint = match rest {
            "v2.0/.well-known/openid-configuration" => Endpoint::Discovery,
            "oauth2/v2.0/authorize" => Endpoint::Authorize,
            "oauth2/v2.0/token" => Endpoint::Token,
            "discovery/v2.0/keys" => Endpoint::Jwks,
            _ => return None,
        };
        Some((endpoint, tenant.to_string()))
    }
    /// The `issuer` as configured is not used for Microsoft (the bridge takes `authority` +
    /// `tenant`); this is the multi-tenant template.
    fn issuer(&self, base: &str) -> String {
        format!("{base}/{{tenantid}}/v2.0")
    }
    fn discovery(&self, base: &str, tenant: &str) -> Value {
        let t = format!("{base}/{tenant}");
        json!({
            "token_endpoint": format!("{t}/oauth2/v2.0/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": format!("{t}/discovery/v2.0/keys"),
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": Self::issuer_for(base, tenant),
            "request_uri_parameter_supported": false,
            "userinfo_endpoint": format!("{base}/oidc/userinfo"),
            "authorization_endpoint": format!("{t}/oauth2/v2.0/authorize"),
            "device_authorization_endpoint": format!("{t}/oauth2/v2.0/devicecode"),
            "http_logout_supported": true,
            "frontchannel_logout_supported": true,
            "end_session_endpoint": format!("{t}/oauth2/v2.0/logout"),
            "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
            "kerberos_endpoint": format!("{t}/kerberos"),
            "tenant_region_scope": null,
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
            "rbac_url": "https://pas.windows.net"
        })
    }
    fn id_token_issuer(&self, base: &str, claims: &Map<String, Value>) -> String {
        let tid = claims.get("tid").and_then(Value::as_str).unwrap_or("missing-tid");
        format!("{base}/{tid}/v2.0")
    }
    fn authorization_extras(&self, _: &str, _: &Grant) -> Vec<(&'static str, String)> {
        vec![("session_state", random_guid())]
    }
    fn access_denied_description(&self) -> Option<&'static str> {
        Some("AADSTS65004: User declined to consent to access the app.")
    }
    fn id_token_extras(&self, grant: &Grant, _: &str) -> Map<String, Value> {
        let mut extras = Map::new();
        extras.insert("nbf".into(), grant.issued_at.into());
        extras
    }
    fn token_extras(&self, _: &Grant) -> Map<String, Value> {
        let mut extras = Map::new();
        extras.insert("ext_expires_in".into(), 3599.into());
        extras
    }
    fn granted_scope(&self, grant: &Grant) -> String {
        let mut scopes: Vec<&str> = grant.scope.split(' ').filter(|s| !s.is_empty()).collect();
        scopes.push("https://graph.microsoft.com/User.Read");
        scopes.join(" ")
    }
    fn access_token(&self) -> String {
        // Graph access tokens are JWTs the app must not read; any opaque-looking value will do.
        random_token("eyJ0eXAiOiJKV1QiLCJub25jZSI6Ij.", 600)
    }
    fn decorate_jwk(&self, base: &str, jwk: &mut Map<String, Value>) {
        // Entra publishes x5t and the issuer template, and no `alg`.
        let kid = jwk.get("kid").cloned().unwrap_or(Value::Null);
        jwk.insert("x5t".into(), kid);
        jwk.insert("issuer".into(), format!("{base}/{{tenantid}}/v2.0").into());
    }
    fn token_error(&self, error: &str, description: &str) -> Value {
        let code = match error {
            "invalid_grant" if description.contains("code_verifier") => 501481,
            "invalid_grant" => 70008,
            "invalid_client" => 7000215,
            _ => 900144,
        };
        json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {description} Trace ID: {} Correlation ID: {} Timestamp: 2025-01-01 00:00:00Z", random_guid(), random_guid()),
            "error_codes": [code],
            "timestamp": "2025-01-01 00:00:00Z",
            "trace_id": random_guid(),
            "correlation_id": random_guid(),
            "error_uri": "https://login.microsoftonline.com/error?code=".to_string() + &code.to_string()
        })
    }
    fn userinfo(&self, claims: &Map<String, Value>) -> Value {
        // graph.microsoft.com/oidc/userinfo: a few profile claims, no tenant, no xms_edov.
        let mut out = Map::new();
        for key in ["sub", "name", "family_name", "given_name", "picture", "email"] {
            if let Some(v) = claims.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
        Value::Object(out)
    }
    fn check_account(&self, segment: &str, claims: &Map<String, Value>) -> Result<(), String> {
        let tid = claims.get("tid").and_then(Value::as_str).unwrap_or_default();
        match segment {
            "organizations" if tid == CONSUMERS_TENANT => {
                Err("AADSTS50020: personal Microsoft accounts cannot sign in through /organizations.".into())
            }
            "consumers" if tid != CONSUMERS_TENANT => Err("AADSTS9002331: only personal Microsoft accounts can sign in here.".into()),
            "common" | "organizations" | "consumers" => Ok(()),
            guid if guid != tid => Err(format!("AADSTS50020: User account from identity provider does not exist in tenant {guid}.")),
            _ => Ok(()),
        }
    }
}

/// The Entra stand-in: authority = [`OidcStandin::url`]; the app registration's client id.
pub struct MicrosoftStandin {
    pub inner: OidcStandin,
    pub client_id: String,
}

impl MicrosoftStandin {
    pub async fn start(registration: Registration, key_slot: usize) -> Self {
        let client_id = registration.client_id.clone();
        let inner = OidcStandin::start(Box::new(Microsoft), registration, SigningKey::new(key_slot, "nOo3ZDrODXEK1jKWhXslHR_KXEg")).await;
        Self { inner, client_id }
    }
    pub fn authority(&self) -> String {
        self.inner.url()
    }
    pub fn set_account(&self, account: EntraAccount) {
        self.inner.set_account(account.to_account(&self.client_id));
    }
}

impl std::ops::Deref for MicrosoftStandin {
    type Target = OidcStandin;
    fn deref(&self) -> &OidcStandin {
        &self.inner
    }
}
