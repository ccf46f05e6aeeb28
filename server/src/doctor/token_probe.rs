//! The client-credentials probe: a token request with a made-up authorization code, sent the
//! way a login sends it (same crate, same client authentication, PKCE verifier, redirect URI).
//! A provider that knows the client refuses only the code (`invalid_grant`); one that does not
//! refuses the client (`invalid_client`, HTTP 401). No login happens and no token is issued.

use crate::error::error_chain;
use oauth2::{basic::BasicErrorResponseType, RequestTokenError, StandardErrorResponse};
use serde_json::Value;

/// The code sent: recognisable in the provider's logs as the doctor's.
pub const PROBE_CODE: &str = "login-bridge-doctor-probe";

/// What the provider said about the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Only the code was refused: the client id and secret are right.
    Accepted(String),
    /// The client id or the secret is wrong.
    BadClient(String),
    /// The redirect URI is not registered for this client.
    RedirectUri(String),
    /// The client may not use the authorization code grant.
    Unauthorized(String),
    /// Something else; the provider's own words.
    Other(String),
    /// No answer at all.
    Unreachable(String),
}

/// An error answer reduced to its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refusal {
    pub status: Option<u16>,
    pub code: Option<String>,
    pub description: Option<String>,
}

impl Refusal {
    fn text(&self) -> String {
        let code = self.code.clone().unwrap_or_else(|| format!("HTTP {}", self.status.unwrap_or(0)));
        match self.description.as_deref().filter(|d| !d.is_empty()) {
            Some(d) => format!("{code}: {d}"),
            None => code,
        }
    }
}

pub fn classify(refusal: &Refusal) -> Verdict {
    let code = refusal.code.as_deref().unwrap_or_default().to_ascii_lowercase();
    let description = refusal.description.as_deref().unwrap_or_default().to_ascii_lowercase();
    let text = refusal.text();
    let mentions_redirect = ["redirect_uri", "redirect uri", "reply url", "reply address"].iter().any(|w| description.contains(w));
    match code.as_str() {
        // GitHub says incorrect_client_credentials (with HTTP 200).
        "invalid_client" | "incorrect_client_credentials" | "unauthorized" => Verdict::BadClient(text),
        "" if refusal.status == Some(401) => Verdict::BadClient(text),
        "redirect_uri_mismatch" => Verdict::RedirectUri(text),
        _ if mentions_redirect => Verdict::RedirectUri(text),
        "unauthorized_client" => Verdict::Unauthorized(text),
        // GitHub says bad_verification_code for a code it does not know.
        "invalid_grant" | "bad_verification_code" => Verdict::Accepted(text),
        _ => Verdict::Other(text),
    }
}

/// What `oauth2`'s token request returned, whatever the provider's dialect.
pub fn refusal<RE: std::error::Error + 'static>(
    error: &RequestTokenError<RE, StandardErrorResponse<BasicErrorResponseType>>,
    status: Option<u16>,
) -> Result<Refusal, Verdict> {
    match error {
        RequestTokenError::ServerResponse(e) => {
            Ok(Refusal { status, code: Some(e.error().as_ref().to_string()), description: e.error_description().cloned() })
        }
        // GitHub answers errors with HTTP 200, Facebook with a Graph error object: neither is
        // RFC 6749's shape, so the crate hands back the body.
        RequestTokenError::Parse(_, body) => Ok(parse_body(body, status)),
        RequestTokenError::Request(e) => Err(Verdict::Unreachable(error_chain(e))),
        RequestTokenError::Other(text) => Ok(Refusal { status, code: None, description: Some(text.clone()) }),
    }
}

/// `{"error": "...", "error_description": "..."}`, the form-encoded same, or Facebook's
/// `{"error": {"message", "type", "code", "error_subcode"}}` mapped to RFC 6749 codes.
fn parse_body(body: &[u8], status: Option<u16>) -> Refusal {
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        match json.get("error") {
            Some(Value::String(code)) => {
                let description = json.get("error_description").and_then(Value::as_str).map(str::to_string);
                return Refusal { status, code: Some(code.clone()), description };
            }
            Some(Value::Object(graph)) => return facebook(graph, status),
            _ => {}
        }
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let field = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    if let Some(code) = field("error") {
        return Refusal { status, code: Some(code), description: field("error_description") };
    }
    let excerpt: String = String::from_utf8_lossy(body).chars().take(200).collect();
    Refusal { status, code: None, description: Some(format!("unexpected answer: {excerpt}")) }
}

/// Graph API errors: code 1 "Error validating client secret." and 101 "Invalid application ID"
/// are the client; 100 is the code (or, mentioning it, the redirect URI).
fn facebook(graph: &serde_json::Map<String, Value>, status: Option<u16>) -> Refusal {
    let message = graph.get("message").and_then(Value::as_str).unwrap_or_default().to_string();
    let number = graph.get("code").and_then(Value::as_i64);
    let lower = message.to_ascii_lowercase();
    let code = match number {
        Some(101) => "invalid_client",
        Some(1) if lower.contains("client secret") || lower.contains("client_secret") => "invalid_client",
        Some(100) if lower.contains("redirect_uri") => "redirect_uri_mismatch",
        Some(100) => "invalid_grant",
        _ => "",
    };
    let description = format!("{message} (Graph error {})", number.map(|n| n.to_string()).unwrap_or_else(|| "?".into()));
    Refusal { status, code: (!code.is_empty()).then(|| code.to_string()), description: Some(description) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(status: u16, body: &str) -> Verdict {
        classify(&parse_body(body.as_bytes(), Some(status)))
    }

    #[test]
    fn standard_errors() {
        assert!(matches!(verdict(401, r#"{"error":"invalid_client","error_description":"Unauthorized"}"#), Verdict::BadClient(_)));
        assert!(matches!(verdict(400, r#"{"error":"invalid_grant","error_description":"Malformed auth code."}"#), Verdict::Accepted(_)));
        assert!(matches!(verdict(400, r#"{"error":"unauthorized_client"}"#), Verdict::Unauthorized(_)));
        assert!(matches!(verdict(400, r#"{"error":"redirect_uri_mismatch"}"#), Verdict::RedirectUri(_)));
        assert!(matches!(
            verdict(400, r#"{"error":"invalid_request","error_description":"AADSTS50011: The redirect URI 'x' does not match the reply url"}"#),
            Verdict::RedirectUri(_)
        ));
        assert!(matches!(verdict(401, "Unauthorized"), Verdict::BadClient(_)));
        assert!(matches!(verdict(400, r#"{"error":"invalid_scope"}"#), Verdict::Other(t) if t == "invalid_scope"));
    }

    #[test]
    fn github_answers_errors_with_200_in_json_or_form() {
        assert!(matches!(verdict(200, r#"{"error":"incorrect_client_credentials","error_description":"The client_id and/or client_secret passed are incorrect."}"#), Verdict::BadClient(_)));
        assert!(matches!(verdict(200, "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired."), Verdict::Accepted(_)));
    }

    #[test]
    fn facebook_graph_errors() {
        let secret = r#"{"error":{"message":"Error validating client secret.","type":"OAuthException","code":1,"fbtrace_id":"A"}}"#;
        assert!(matches!(verdict(400, secret), Verdict::BadClient(t) if t.contains("Error validating client secret.")));
        assert!(matches!(verdict(400, r#"{"error":{"message":"Error validating application. Invalid application ID.","code":101}}"#), Verdict::BadClient(_)));
        assert!(matches!(verdict(400, r#"{"error":{"message":"Invalid verification code format.","code":100,"error_subcode":36008}}"#), Verdict::Accepted(_)));
    }
}
