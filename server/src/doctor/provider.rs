//! One upstream provider: discovery (OpenID kinds) and its issuer, the signing keys, the
//! provider's clock against ours, and the client credentials (see `token_probe`).

use super::{
    http::{self, Recording},
    token_probe::{self, Verdict, PROBE_CODE},
    Check,
};
use crate::{
    config::{is_loopback, Config, KindSettings, ProviderConfig, ProviderKind},
    upstream::{claims_rules, oauth2_flow},
};
use openidconnect::{
    core::{CoreClient, CoreJsonWebKeySet, CoreProviderMetadata},
    AuthorizationCode, ClientId, ClientSecret, PkceCodeChallenge, RedirectUrl,
};
use std::time::SystemTime;

/// Past this much difference the admin should look at the clock; past `CLOCK_ERROR_SECS` the
/// bridge refuses ID tokens (`iat` in the future, see upstream/oidc.rs).
const CLOCK_WARNING_SECS: i64 = 60;
const CLOCK_ERROR_SECS: i64 = 300;

pub fn scope(provider: &ProviderConfig) -> String {
    format!("provider:{}", provider.id)
}

/// The config keys an admin edits for this provider, for fix sentences.
fn table(p: &ProviderConfig) -> String {
    format!("[[provider]] id = \"{}\"", p.id)
}

pub async fn check(config: &Config, p: &ProviderConfig) -> Vec<Check> {
    let scope = scope(p);
    let client = match http::client() {
        Ok(c) => c,
        Err(reason) => return vec![Check::error(&scope, "http", format!("cannot build an HTTP client: {reason}"), "report this as a bug")],
    };
    match p.kind {
        ProviderKind::Github | ProviderKind::Facebook => oauth2_checks(config, p, &scope, &client).await,
        _ => oidc_checks(config, p, &scope, &client).await,
    }
}

/// A provider may quote what it was sent: its words never carry the secret into the report.
fn scrub(p: &ProviderConfig, verdict: Verdict) -> Verdict {
    let secret = p.client_secret.expose();
    let clean = |text: String| if secret.is_empty() { text } else { text.replace(secret, "***") };
    match verdict {
        Verdict::Accepted(t) => Verdict::Accepted(clean(t)),
        Verdict::BadClient(t) => Verdict::BadClient(clean(t)),
        Verdict::RedirectUri(t) => Verdict::RedirectUri(clean(t)),
        Verdict::Unauthorized(t) => Verdict::Unauthorized(clean(t)),
        Verdict::Other(t) => Verdict::Other(clean(t)),
        Verdict::Unreachable(t) => Verdict::Unreachable(clean(t)),
    }
}

/// GitHub and Facebook have no discovery: the token endpoint is the one round trip.
async fn oauth2_checks(config: &Config, p: &ProviderConfig, scope: &str, client: &http::Client) -> Vec<Check> {
    let basic = match oauth2_flow::basic_client(p, config.redirect_uri(&p.id)) {
        Ok(c) => c,
        Err(e) => return vec![Check::error(scope, "client_credentials", e.to_string(), format!("check the URLs of {}", table(p)))],
    };
    let token_url = basic.token_uri().to_string();
    let recording = Recording::new(client);
    let (_, verifier) = PkceCodeChallenge::new_random_sha256();
    let result = basic.exchange_code(AuthorizationCode::new(PROBE_CODE.into())).set_pkce_verifier(verifier).request_async(&recording).await;
    let seen = recording.seen();
    let verdict = match result {
        Ok(_) => Verdict::Other("the provider issued a token for a made-up code".into()),
        Err(e) => match token_probe::refusal(&e, seen.map(|s| s.status)) {
            Ok(refusal) => token_probe::classify(&refusal),
            Err(verdict) => verdict,
        },
    };
    vec![credentials_check(config, p, scope, &token_url, verdict), clock_check(scope, p, seen.and_then(|s| s.date))]
}

/// OpenID kinds: discovery, issuer, JWKS, clock (from the discovery answer), credentials.
async fn oidc_checks(config: &Config, p: &ProviderConfig, scope: &str, client: &http::Client) -> Vec<Check> {
    let (url, expected) = discovery_url(p);
    let skip = |check: &str| Check::skipped(scope, check, "needs the discovery document, which failed above");
    let skipped = || ["issuer", "jwks", "clock", "client_credentials"].map(skip).to_vec();
    let answer = match http::get(client, &url).await {
        Ok(a) if a.status == 200 => a,
        Ok(a) => {
            let mut checks = vec![Check::error(
                scope,
                "discovery",
                format!("{url} answered HTTP {} instead of the discovery document", a.status),
                discovery_fix(p),
            )];
            checks.extend(skipped());
            return checks;
        }
        Err(reason) => {
            let mut checks = vec![Check::error(scope, "discovery", format!("{url} cannot be reached: {reason}"), discovery_fix(p))];
            checks.extend(skipped());
            return checks;
        }
    };
    let now = SystemTime::now();
    let metadata: CoreProviderMetadata = match serde_json::from_slice(&answer.body) {
        Ok(m) => m,
        Err(e) => {
            let mut checks = vec![Check::error(scope, "discovery", format!("{url} is not an OpenID discovery document: {e}"), discovery_fix(p))];
            checks.extend(skipped());
            return checks;
        }
    };
    let mut checks = vec![discovery_check(p, scope, &url, &metadata)];
    checks.push(issuer_check(p, scope, &expected, metadata.issuer().as_str()));
    checks.push(jwks_check(p, scope, client, &metadata).await);
    checks.push(clock_check_at(scope, p, answer.date, now));
    checks.push(oidc_credentials(config, p, scope, client, metadata).await);
    checks
}

/// Where the bridge reads discovery, and what the issuer must be (Entra: a prefix).
fn discovery_url(p: &ProviderConfig) -> (String, Expected) {
    match &p.settings {
        KindSettings::Microsoft { authority, tenant, .. } => {
            let authority = authority.as_str().trim_end_matches('/').to_string();
            (format!("{authority}/{tenant}/v2.0/.well-known/openid-configuration"), Expected::Under(authority))
        }
        settings => {
            let issuer = claims_rules::discovery_issuer(settings).map(|u| u.as_str().trim_end_matches('/').to_string()).unwrap_or_default();
            (format!("{issuer}/.well-known/openid-configuration"), Expected::Exactly(issuer))
        }
    }
}

enum Expected {
    Exactly(String),
    /// Entra multi-tenant documents name `…/{tenantid}/v2.0`; the bridge checks the tenant per token.
    Under(String),
}

fn discovery_fix(p: &ProviderConfig) -> String {
    match p.kind {
        ProviderKind::Microsoft => format!("check `authority` and `tenant` of {}, and that this machine reaches the provider (proxy, firewall, DNS)", table(p)),
        _ => format!("check `issuer` of {} (discovery is read at {{issuer}}/.well-known/openid-configuration), and that this machine reaches the provider (proxy, firewall, DNS)", table(p)),
    }
}

/// The bridge refuses non-https endpoints (except loopback) and marks the provider down.
fn discovery_check(p: &ProviderConfig, scope: &str, url: &str, metadata: &CoreProviderMetadata) -> Check {
    let mut endpoints = vec![("jwks_uri", metadata.jwks_uri().url().clone()), ("authorization_endpoint", metadata.authorization_endpoint().url().clone())];
    match metadata.token_endpoint() {
        Some(token) => endpoints.push(("token_endpoint", token.url().clone())),
        None => return Check::error(scope, "discovery", format!("{url} names no token_endpoint"), discovery_fix(p)),
    }
    if let Some(userinfo) = metadata.userinfo_endpoint() {
        endpoints.push(("userinfo_endpoint", userinfo.url().clone()));
    }
    if let Some((name, endpoint)) = endpoints.iter().find(|(_, u)| u.scheme() != "https" && !is_loopback(u)) {
        return Check::error(
            scope,
            "discovery",
            format!("the discovery document's {name} {endpoint} is not https: the bridge will not use this provider"),
            format!("configure the provider to publish https endpoints, or correct `issuer` of {}", table(p)),
        );
    }
    Check::ok(scope, "discovery", format!("{url} answers"))
}

fn issuer_check(p: &ProviderConfig, scope: &str, expected: &Expected, got: &str) -> Check {
    let (matches, wanted) = match expected {
        Expected::Exactly(issuer) => (got.trim_end_matches('/') == issuer || got == issuer, issuer.clone()),
        Expected::Under(prefix) => (got.starts_with(prefix.as_str()), format!("an issuer under {prefix}")),
    };
    if matches {
        return Check::ok(scope, "issuer", format!("the discovery document names issuer {got}"));
    }
    let fix = match (expected, p.kind) {
        (Expected::Under(_), _) => format!("set `authority` of {} to the provider's authority (the start of {got})", table(p)),
        _ => format!("set `issuer = \"{got}\"` in {} if that is the provider you mean (ID tokens must carry exactly that issuer)", table(p)),
    };
    Check::error(scope, "issuer", format!("the discovery document names issuer {got}, but the config expects {wanted}: the bridge refuses this provider"), fix)
}

async fn jwks_check(p: &ProviderConfig, scope: &str, client: &http::Client, metadata: &CoreProviderMetadata) -> Check {
    let url = metadata.jwks_uri().url().to_string();
    match CoreJsonWebKeySet::fetch_async(metadata.jwks_uri(), &Recording::new(client)).await {
        Ok(set) if set.keys().is_empty() => Check::error(
            scope,
            "jwks",
            format!("{url} publishes no keys: no ID token from {} can be verified", p.display_name),
            "ask the provider's admin to publish its signing keys (the jwks_uri of its discovery document)",
        ),
        Ok(set) => Check::ok(scope, "jwks", format!("{url} publishes {} key(s)", set.keys().len())),
        Err(e) => Check::error(
            scope,
            "jwks",
            format!("{url} cannot be read: {}", crate::error::error_chain(&e)),
            format!("check that this machine reaches {url} (proxy, firewall); the bridge needs it to verify ID tokens"),
        ),
    }
}

fn clock_check(scope: &str, p: &ProviderConfig, date: Option<SystemTime>) -> Check {
    clock_check_at(scope, p, date, SystemTime::now())
}

/// Compares the provider's `Date` with our clock at the time of the answer.
fn clock_check_at(scope: &str, p: &ProviderConfig, date: Option<SystemTime>, now: SystemTime) -> Check {
    let Some(theirs) = date else {
        return Check::skipped(scope, "clock", format!("no Date header from {} to compare clocks with", p.display_name));
    };
    let skew = http::skew_seconds(theirs, now);
    let text = match skew {
        0 => format!("this machine's clock agrees with {}'s", p.display_name),
        s if s > 0 => format!("this machine's clock is {s} s behind {}'s", p.display_name),
        s => format!("this machine's clock is {} s ahead of {}'s", -s, p.display_name),
    };
    let fix = "synchronise this machine's clock (NTP: `timedatectl set-ntp true`, or chrony/ntpd)";
    match skew.abs() {
        s if s > CLOCK_ERROR_SECS => {
            Check::error(scope, "clock", format!("{text}: more than {CLOCK_ERROR_SECS} s, so the bridge refuses its ID tokens (iat)"), fix)
        }
        s if s > CLOCK_WARNING_SECS => Check::warning(scope, "clock", format!("{text}: logins fail once it passes {CLOCK_ERROR_SECS} s"), fix),
        _ => Check::ok(scope, "clock", text),
    }
}

async fn oidc_credentials(config: &Config, p: &ProviderConfig, scope: &str, client: &http::Client, metadata: CoreProviderMetadata) -> Check {
    let token_url = metadata.token_endpoint().map(|u| u.to_string()).unwrap_or_default();
    let redirect = match RedirectUrl::new(config.redirect_uri(&p.id)) {
        Ok(r) => r,
        Err(e) => return Check::error(scope, "client_credentials", format!("the redirect URI is not a URL: {e}"), "check `public_url`"),
    };
    // The same client a login builds (upstream/oidc.rs): same client authentication method.
    let oidc = CoreClient::from_provider_metadata(metadata, ClientId::new(p.client_id.clone()), Some(ClientSecret::new(p.client_secret.expose().to_string())))
        .set_redirect_uri(redirect);
    let request = match oidc.exchange_code(AuthorizationCode::new(PROBE_CODE.into())) {
        Ok(r) => r,
        Err(e) => return Check::error(scope, "client_credentials", format!("no token endpoint: {e}"), discovery_fix(p)),
    };
    let (_, verifier) = PkceCodeChallenge::new_random_sha256();
    let recording = Recording::new(client);
    let result = request.set_pkce_verifier(verifier).request_async(&recording).await;
    let verdict = match result {
        Ok(_) => Verdict::Other("the provider issued a token for a made-up code".into()),
        Err(e) => match token_probe::refusal(&e, recording.seen().map(|s| s.status)) {
            Ok(refusal) => token_probe::classify(&refusal),
            Err(verdict) => verdict,
        },
    };
    credentials_check(config, p, scope, &token_url, verdict)
}

fn credentials_check(config: &Config, p: &ProviderConfig, scope: &str, token_url: &str, verdict: Verdict) -> Check {
    let verdict = scrub(p, verdict);
    let redirect = config.redirect_uri(&p.id);
    let check = "client_credentials";
    match verdict {
        Verdict::Accepted(said) => Check::ok(
            scope,
            check,
            format!("credentials accepted: the token endpoint knows client_id `{}` and its secret (it refused only the made-up code: {said})", p.client_id),
        ),
        Verdict::BadClient(said) => Check::error(
            scope,
            check,
            format!("{} refused the client ({said}): wrong client_id or client secret", p.display_name),
            format!(
                "compare `client_id` (now \"{}\") and the secret named by `client_secret_env` / `client_secret_file` of {} with the app \
                 registration at {} (secrets expire; create a new one there if needed)",
                p.client_id,
                table(p),
                p.display_name
            ),
        ),
        Verdict::RedirectUri(said) => Check::error(
            scope,
            check,
            format!("{} refused the redirect URI {redirect} ({said})", p.display_name),
            format!("register exactly {redirect} as a redirect URI of client `{}` at {} (or correct `public_url`)", p.client_id, p.display_name),
        ),
        Verdict::Unauthorized(said) => Check::error(
            scope,
            check,
            format!("{} does not let client `{}` use the authorization code flow ({said})", p.display_name, p.client_id),
            format!("in the app registration at {}, allow the authorization code grant (a \"web\" / confidential client) and register {redirect}", p.display_name),
        ),
        Verdict::Other(said) => Check::warning(
            scope,
            check,
            format!("{}'s token endpoint {token_url} answered {said}", p.display_name),
            format!("look this error up in {}'s documentation; check `client_id` and the secret of {} and that {redirect} is registered", p.display_name, table(p)),
        ),
        Verdict::Unreachable(reason) => Check::error(
            scope,
            check,
            format!("the token endpoint {token_url} cannot be reached: {reason}"),
            format!("check that this machine reaches {token_url} (proxy, firewall, DNS), and the URLs of {}", table(p)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn provider() -> ProviderConfig {
        let text = r#"
public_url = "http://127.0.0.1:3000"
listen = "127.0.0.1:3000"
[store]
url = "sqlite://x.db"
[[odoo]]
id = "acme"
url = "http://127.0.0.1:8069"
database = "acme"
odoo_provider_id = 1
[[provider]]
id = "google"
kind = "google"
client_id = "id"
client_secret_env = "S"
"#;
        let config = Config::parse(text, std::path::Path::new("t.toml"), std::path::Path::new("."), &|_| Some("s".into())).expect("config");
        config.providers[0].clone()
    }

    #[test]
    fn clock_thresholds() {
        let p = provider();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(clock_check_at("s", &p, Some(now + Duration::from_secs(30)), now).status, super::super::Status::Ok);
        let warn = clock_check_at("s", &p, Some(now - Duration::from_secs(90)), now);
        assert_eq!(warn.status, super::super::Status::Warning);
        assert!(warn.message.contains("90 s ahead"), "{}", warn.message);
        assert_eq!(clock_check_at("s", &p, Some(now + Duration::from_secs(301)), now).status, super::super::Status::Error);
        assert_eq!(clock_check_at("s", &p, None, now).status, super::super::Status::Skipped);
    }
}
