//! What each OpenID Connect kind adds on top of a verified ID token: Google's `hd`, Entra's
//! tenant, issuer template and `oid`+`tid` subject, an admin's claim mapping.
//! It must never run on claims whose signature and standard checks have not passed.

use super::{NotAllowedReason, UpstreamError, UpstreamIdentity};
use crate::config::{KindSettings, ProviderConfig};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde_json::Value;
use url::Url;

/// Entra ID's tenant for personal Microsoft accounts, whose emails Microsoft has verified.
pub const MICROSOFT_CONSUMERS_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// An ID token after `openidconnect` verified it, plus its raw payload.
#[derive(Debug, Clone)]
pub struct VerifiedClaims {
    pub subject: String,
    pub issuer: String,
    /// The issuer named by discovery (Entra: may contain `{tenantid}`).
    pub discovery_issuer: String,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub name: Option<String>,
    pub raw: Value,
}

pub fn discovery_issuer(settings: &KindSettings) -> Option<&Url> {
    match settings {
        KindSettings::Google { issuer, .. } | KindSettings::Gitlab { issuer } | KindSettings::Oidc { issuer, .. } => Some(issuer),
        _ => None,
    }
}

/// Hints sent with the authorization request.
pub fn extra_authorize_params(settings: &KindSettings) -> Vec<(String, String)> {
    match settings {
        // With one hosted domain Google shows only that Workspace's accounts; it is a hint,
        // the `hd` claim is still checked.
        KindSettings::Google { hosted_domains, .. } if hosted_domains.len() == 1 => vec![("hd".into(), hosted_domains[0].clone())],
        _ => Vec::new(),
    }
}

/// `…/{tenantid}/v2.0` matches `…/<tid>/v2.0` for exactly one path segment.
pub fn issuer_matches_template(template: &str, got: &str) -> bool {
    let Some((prefix, suffix)) = template.split_once("{tenantid}") else {
        return false;
    };
    got.strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix))
        .is_some_and(|tid| !tid.is_empty() && tid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// The JSON payload of a JWT whose signature has already been verified.
pub fn payload_of_verified(jwt: &str) -> Result<Value, String> {
    let payload = jwt.split('.').nth(1).ok_or("ID token has no payload")?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|e| format!("ID token payload: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("ID token payload: {e}"))
}

fn text(raw: &Value, claim: &str) -> Option<String> {
    raw.get(claim).and_then(Value::as_str).map(str::to_string).filter(|s| !s.is_empty())
}

/// Providers send booleans as `true` or, sometimes, as the string "true".
fn flag(raw: &Value, claim: &str) -> Option<bool> {
    match raw.get(claim)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => Some(s.eq_ignore_ascii_case("true")),
        _ => None,
    }
}

fn groups(raw: &Value, claim: &str) -> Vec<String> {
    match raw.get(claim) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Some(Value::String(s)) => s.split([' ', ',']).filter(|g| !g.is_empty()).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

fn not_allowed(config: &ProviderConfig, reason: NotAllowedReason) -> UpstreamError {
    UpstreamError::NotAllowed { provider: config.display_name.clone(), reason }
}

/// Applies the kind's rules and returns the identity the rest of the bridge trusts.
pub fn identity(config: &ProviderConfig, claims: VerifiedClaims) -> Result<UpstreamIdentity, UpstreamError> {
    let mut identity = UpstreamIdentity {
        provider_id: config.id.clone(),
        subject: claims.subject.clone(),
        email: claims.email.clone(),
        email_verified: claims.email_verified.unwrap_or(false),
        name: claims.name.clone(),
        groups: groups(&claims.raw, "groups"),
    };
    match &config.settings {
        KindSettings::Google { hosted_domains, .. } => {
            if !hosted_domains.is_empty() {
                // The Workspace domain is the `hd` claim; an email suffix proves nothing.
                let hd = text(&claims.raw, "hd").map(|d| d.to_ascii_lowercase());
                if !hd.as_ref().is_some_and(|d| hosted_domains.contains(d)) {
                    let shown = hd.unwrap_or_else(|| "a personal account".into());
                    return Err(not_allowed(config, NotAllowedReason::GoogleDomain(shown)));
                }
            }
        }
        KindSettings::Microsoft { tenant, allowed_tenants, .. } => {
            let tid = text(&claims.raw, "tid").ok_or_else(|| UpstreamError::InvalidIdToken {
                provider: config.display_name.clone(),
                reason: "no tid claim".into(),
            })?;
            let issuer_ok = if claims.discovery_issuer.contains("{tenantid}") {
                claims.discovery_issuer.replace("{tenantid}", &tid) == claims.issuer
            } else {
                claims.discovery_issuer == claims.issuer
            };
            if !issuer_ok {
                return Err(UpstreamError::InvalidIdToken {
                    provider: config.display_name.clone(),
                    reason: format!("issuer {} does not belong to tenant {tid}", claims.issuer),
                });
            }
            let tid_lower = tid.to_ascii_lowercase();
            let tenant_is_id = tenant.len() == 36 && tenant.chars().filter(|c| *c == '-').count() == 4;
            if tenant_is_id && tenant.to_ascii_lowercase() != tid_lower {
                return Err(not_allowed(config, NotAllowedReason::MicrosoftTenant(tid)));
            }
            if !allowed_tenants.is_empty() && !allowed_tenants.contains(&tid_lower) {
                return Err(not_allowed(config, NotAllowedReason::MicrosoftTenant(tid)));
            }
            // Entra's `sub` differs per app registration; `oid` within a tenant does not.
            let oid = text(&claims.raw, "oid").ok_or_else(|| UpstreamError::InvalidIdToken {
                provider: config.display_name.clone(),
                reason: "no oid claim (request the profile scope)".into(),
            })?;
            identity.subject = format!("{tid_lower}:{}", oid.to_ascii_lowercase());
            identity.email = text(&claims.raw, "email");
            identity.email_verified = tid_lower == MICROSOFT_CONSUMERS_TENANT || flag(&claims.raw, "xms_edov") == Some(true);
            identity.groups = groups(&claims.raw, "roles");
        }
        KindSettings::Oidc { claims: mapping, .. } => {
            identity.email = text(&claims.raw, &mapping.email).or(claims.email);
            identity.email_verified = flag(&claims.raw, &mapping.email_verified).or(claims.email_verified).unwrap_or(false);
            identity.name = text(&claims.raw, &mapping.name).or(claims.name);
            identity.groups = groups(&claims.raw, &mapping.groups);
        }
        KindSettings::Gitlab { .. } | KindSettings::Github { .. } | KindSettings::Facebook { .. } => {}
    }
    Ok(identity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_template_matches_exactly_one_segment() {
        let t = "https://login.microsoftonline.com/{tenantid}/v2.0";
        assert!(issuer_matches_template(t, "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"));
        assert!(!issuer_matches_template(t, "https://login.microsoftonline.com/a/b/v2.0"));
        assert!(!issuer_matches_template(t, "https://evil.example/72f988bf/v2.0"));
        assert!(!issuer_matches_template(t, "https://login.microsoftonline.com//v2.0"));
        assert!(!issuer_matches_template("https://accounts.google.com", "https://accounts.google.com"));
    }

    #[test]
    fn reads_string_and_bool_flags() {
        let raw = serde_json::json!({"a": true, "b": "true", "c": "False", "d": 1});
        assert_eq!(flag(&raw, "a"), Some(true));
        assert_eq!(flag(&raw, "b"), Some(true));
        assert_eq!(flag(&raw, "c"), Some(false));
        assert_eq!(flag(&raw, "d"), None);
    }
}
