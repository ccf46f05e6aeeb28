//! OpenID Connect Back-Channel Logout 1.0 §2.6: validating a logout token. The signature is
//! checked by the `openidconnect` crate's JWK code (`JsonWebKey::verify_signature`) against the
//! provider's JWKS; the crate's token types cannot carry a token without `sub`, which the spec
//! allows (a `sid`-only token), so the compact JWS is split and its claims read here.
//! It must never accept a token whose signature, issuer, audience, time or event failed.

use super::claims_rules;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use openidconnect::{
    core::{CoreJsonWebKey, CoreJsonWebKeyUse, CoreJwsSigningAlgorithm},
    JsonWebKey, JsonWebKeySet,
};
use serde::Deserialize;
use serde_json::Value;

/// The event a logout token must carry (§2.4).
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// A logout token is sent the moment the provider ends a session; an old one is a replay.
pub const MAX_LOGOUT_TOKEN_AGE_SECS: i64 = 600;
/// Clocks drift; a token issued further in the future than this is refused.
const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// What a valid logout token says: whose session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutClaims {
    pub subject: Option<String>,
    pub sid: Option<String>,
    pub jti: String,
    /// Until when the token could be accepted (its `exp`, or `iat` + the maximum age, whichever
    /// is later): its `jti` must be remembered that long.
    pub remember_until: i64,
}

/// Why a token is refused; `Signature` may be a key rotation (fetch the JWKS again once).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    Signature(String),
    #[error("{0}")]
    Claims(String),
}

#[derive(Deserialize)]
struct Header {
    alg: CoreJwsSigningAlgorithm,
    kid: Option<String>,
    typ: Option<String>,
    crit: Option<Value>,
}

fn segment(text: &str, what: &str) -> Result<Vec<u8>, Refusal> {
    URL_SAFE_NO_PAD.decode(text).map_err(|_| Refusal::Claims(format!("the {what} is not base64url")))
}

/// Validates `token` for the client `client_id` of the provider `issuer`.
pub fn verify(
    token: &str,
    jwks: &JsonWebKeySet<CoreJsonWebKey>,
    issuer: &str,
    templated_issuer: bool,
    client_id: &str,
    allowed_algs: &[CoreJwsSigningAlgorithm],
) -> Result<LogoutClaims, Refusal> {
    let claims = Refusal::Claims;
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts[..] else {
        return Err(claims("the logout token is not a signed JWT".into()));
    };
    let header: Header = serde_json::from_slice(&segment(header_b64, "JOSE header")?)
        .map_err(|e| claims(format!("the JOSE header is not valid: {e}")))?;
    if header.crit.is_some() {
        return Err(claims("critical JOSE header parameters are not supported".into()));
    }
    if !allowed_algs.contains(&header.alg) {
        return Err(claims(format!("signature algorithm {:?} is not allowed", header.alg)));
    }
    // §2.4 recommends `logout+jwt`; plain JWT (or no typ) is what most providers still send.
    if let Some(typ) = header.typ.as_deref() {
        let typ = typ.to_ascii_lowercase();
        if !matches!(typ.as_str(), "jwt" | "logout+jwt" | "application/logout+jwt") {
            return Err(claims(format!("typ `{typ}` is not a logout token")));
        }
    }
    let signature = segment(signature_b64, "signature")?;
    let message = format!("{header_b64}.{payload_b64}");
    let candidates: Vec<&CoreJsonWebKey> = jwks
        .keys()
        .iter()
        .filter(|k| header.kid.as_deref().is_none_or(|kid| k.key_id().is_some_and(|id| id.as_str() == kid)))
        .filter(|k| k.key_use().is_none_or(|u| *u == CoreJsonWebKeyUse::Signature))
        .collect();
    if candidates.is_empty() {
        return Err(Refusal::Signature("no key of the provider's JWKS matches the token's kid".into()));
    }
    if !candidates.iter().any(|k| k.verify_signature(&header.alg, message.as_bytes(), &signature).is_ok()) {
        return Err(Refusal::Signature("the signature does not verify with the provider's keys".into()));
    }

    let payload: Value = serde_json::from_slice(&segment(payload_b64, "payload")?).map_err(|e| claims(format!("the claims are not JSON: {e}")))?;
    let text = |name: &str| payload.get(name).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let iss = text("iss").ok_or_else(|| claims("iss is missing".into()))?;
    if iss != issuer && !(templated_issuer && claims_rules::issuer_matches_template(issuer, &iss)) {
        return Err(claims(format!("iss `{iss}` is not the provider's issuer")));
    }
    let audience_ok = match payload.get("aud") {
        Some(Value::String(aud)) => aud == client_id,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(client_id)),
        _ => false,
    };
    if !audience_ok {
        return Err(claims("aud does not name this client".into()));
    }
    let now = chrono::Utc::now().timestamp();
    let iat = payload.get("iat").and_then(Value::as_i64).ok_or_else(|| claims("iat is missing".into()))?;
    if iat > now + MAX_CLOCK_SKEW_SECS {
        return Err(claims(format!("iat is {}s in the future", iat - now)));
    }
    if now - iat > MAX_LOGOUT_TOKEN_AGE_SECS {
        return Err(claims(format!("iat is {}s old", now - iat)));
    }
    let exp = match payload.get("exp") {
        None => None,
        Some(v) => Some(v.as_i64().ok_or_else(|| claims("exp is not a number".into()))?),
    };
    if exp.is_some_and(|exp| exp + MAX_CLOCK_SKEW_SECS < now) {
        return Err(claims("the logout token has expired".into()));
    }
    let has_event = payload.get("events").and_then(Value::as_object).and_then(|e| e.get(BACKCHANNEL_LOGOUT_EVENT)).is_some_and(Value::is_object);
    if !has_event {
        return Err(claims(format!("events does not hold {BACKCHANNEL_LOGOUT_EVENT}")));
    }
    // §2.4: a nonce marks an ID token; an ID token must never pass for a logout token.
    if payload.get("nonce").is_some() {
        return Err(claims("a logout token must not contain a nonce".into()));
    }
    let subject = text("sub");
    let sid = text("sid");
    if subject.is_none() && sid.is_none() {
        return Err(claims("neither sub nor sid is present".into()));
    }
    let jti = text("jti").filter(|j| j.len() <= 256).ok_or_else(|| claims("jti is missing".into()))?;
    let remember_until = exp.unwrap_or(0).max(iat + MAX_LOGOUT_TOKEN_AGE_SECS) + MAX_CLOCK_SKEW_SECS;
    Ok(LogoutClaims { subject, sid, jti, remember_until })
}
