// Owns: the outgoing validation/data calls of `_auth_oauth_rpc`, shaped like python-requests' `requests.get`, and their log.
// Must never decide about users or sessions; it only returns the JSON dict Odoo would see.

use crate::urlcodec::append_query;
use crate::version::OdooVersion;
use serde::Serialize;
use serde_json::{Map, Value};
use std::io::Read;

pub const USER_AGENT: &str = "python-requests/2.31.0";

/// One outgoing request, as the simulator sent it (readable at `GET /__sim/validation_log`).
#[derive(Debug, Clone, Serialize)]
pub struct ValidationRecord {
    pub provider_id: i64,
    /// "validation" or "data".
    pub purpose: &'static str,
    pub method: &'static str,
    pub url: String,
    pub path: String,
    pub query: Option<String>,
    /// Request headers in the order they were sent.
    pub headers: Vec<(String, String)>,
    /// HTTP status of the answer, if one came.
    pub status: Option<u16>,
    /// Transport or decoding error, if any.
    pub error: Option<String>,
}

/// How the access token travels: `?access_token=` or `Authorization: Bearer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPlacement {
    Query,
    BearerHeader,
}

/// A failure Python would raise inside `_auth_oauth_rpc` (network error, non-JSON body…).
#[derive(Debug, Clone)]
pub struct RpcFailure(pub String);

/// `_auth_oauth_rpc(endpoint, access_token)`: the answer dict, an error dict built from the
/// status/`WWW-Authenticate`, or a failure.
pub async fn auth_oauth_rpc(
    client: &reqwest::Client,
    version: &OdooVersion,
    endpoint: &str,
    access_token: Option<&str>,
    placement: TokenPlacement,
    provider_id: i64,
    purpose: &'static str,
) -> (Result<Map<String, Value>, RpcFailure>, ValidationRecord) {
    let url = match (placement, access_token) {
        (TokenPlacement::Query, Some(t)) => append_query(endpoint, &[("access_token", t)]),
        // python-requests drops params whose value is None
        _ => endpoint.to_string(),
    };
    // Host goes first, as python-requests sends it (and the HTTP stack keeps a given Host)
    let authority = url::Url::parse(&url)
        .ok()
        .and_then(|u| u.host_str().map(|h| match u.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_string(),
        }))
        .unwrap_or_default();
    let mut headers: Vec<(String, String)> = vec![
        ("Host".into(), authority),
        ("User-Agent".into(), USER_AGENT.into()),
        ("Accept-Encoding".into(), "gzip, deflate".into()),
        ("Accept".into(), "*/*".into()),
        ("Connection".into(), "keep-alive".into()),
    ];
    if placement == TokenPlacement::BearerHeader {
        headers.push(("Authorization".into(), format!("Bearer {}", access_token.unwrap_or("None"))));
    }
    let parsed = url::Url::parse(&url);
    let mut record = ValidationRecord {
        provider_id,
        purpose,
        method: "GET",
        url: url.clone(),
        path: parsed.as_ref().map(|u| u.path().to_string()).unwrap_or_default(),
        query: parsed.as_ref().ok().and_then(|u| u.query().map(str::to_string)),
        headers: headers.clone(),
        status: None,
        error: None,
    };
    let parsed = match parsed {
        Ok(u) if u.scheme() == "http" || u.scheme() == "https" => u,
        Ok(u) => {
            let msg = format!("No connection adapters were found for {:?}", u.as_str());
            record.error = Some(msg.clone());
            return (Err(RpcFailure(msg)), record);
        }
        Err(e) => {
            let msg = format!("Invalid URL {url:?}: {e}");
            record.error = Some(msg.clone());
            return (Err(RpcFailure(msg)), record);
        }
    };
    let mut request = client.get(parsed);
    for (k, v) in &headers {
        request = request.header(k.as_str(), v.as_str());
    }
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => {
            let msg = format!("request to the validation endpoint failed: {e}");
            record.error = Some(msg.clone());
            return (Err(RpcFailure(msg)), record);
        }
    };
    let status = response.status();
    record.status = Some(status.as_u16());
    tracing::debug!(provider_id, purpose, status = status.as_u16(), "validation endpoint answered");
    let www_authenticate = response
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let encoding = response
        .headers()
        .get(reqwest::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_ascii_lowercase());
    let raw = match response.bytes().await {
        Ok(b) => b.to_vec(),
        Err(e) => {
            let msg = format!("reading the validation answer failed: {e}");
            record.error = Some(msg.clone());
            return (Err(RpcFailure(msg)), record);
        }
    };
    // requests: `response.ok` is any status below 400
    if version.checks_validation_status() && status.as_u16() >= 400 {
        if let Some(challenge) = www_authenticate.as_deref().and_then(parse_bearer_challenge) {
            if challenge.contains_key("error") {
                return (Ok(challenge), record);
            }
        }
        let mut err = Map::new();
        err.insert("error".into(), Value::String("invalid_request".into()));
        return (Ok(err), record);
    }
    let body = match decode_body(&raw, encoding.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            record.error = Some(e.clone());
            return (Err(RpcFailure(e)), record);
        }
    };
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => (Ok(map), record),
        Ok(other) => {
            let msg = format!("validation answer is JSON but not an object: {other}");
            record.error = Some(msg.clone());
            (Err(RpcFailure(msg)), record)
        }
        Err(e) => {
            let msg = format!("validation answer is not JSON: {e}");
            record.error = Some(msg.clone());
            (Err(RpcFailure(msg)), record)
        }
    }
}

/// Undoes `Content-Encoding: gzip|deflate` (python-requests advertises and decodes both).
fn decode_body(raw: &[u8], encoding: Option<&str>) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match encoding {
        Some("gzip") | Some("x-gzip") => flate2::read::GzDecoder::new(raw)
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| format!("bad gzip body: {e}")),
        Some("deflate") => {
            let zlib = flate2::read::ZlibDecoder::new(raw).read_to_end(&mut out).map(|_| ());
            if zlib.is_ok() {
                return Ok(out);
            }
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(raw)
                .read_to_end(&mut out)
                .map(|_| out)
                .map_err(|e| format!("bad deflate body: {e}"))
        }
        _ => Ok(raw.to_vec()),
    }
}

/// Werkzeug's `parse_www_authenticate_header` for the `Bearer` scheme: the challenge's
/// parameters as a dict, or `None` for another scheme.
pub fn parse_bearer_challenge(header: &str) -> Option<Map<String, Value>> {
    let header = header.trim();
    let (scheme, rest) = match header.split_once(char::is_whitespace) {
        Some((s, r)) => (s, r),
        None => (header, ""),
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut map = Map::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ',' {
                break;
            }
            key.push(c);
            chars.next();
        }
        let key = key.trim().to_string();
        if key.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                value.push(n);
                            }
                        }
                        '"' => break,
                        c => value.push(c),
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' {
                        break;
                    }
                    value.push(c);
                    chars.next();
                }
                value = value.trim().to_string();
            }
        }
        map.insert(key, Value::String(value));
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_challenge_is_parsed_like_werkzeug() {
        let c = parse_bearer_challenge(r#"Bearer realm="x", error="invalid_token", error_description="expired""#)
            .expect("bearer");
        assert_eq!(c.get("error").and_then(Value::as_str), Some("invalid_token"));
        assert_eq!(c.get("realm").and_then(Value::as_str), Some("x"));
        assert!(parse_bearer_challenge("Basic realm=\"x\"").is_none());
    }
}
