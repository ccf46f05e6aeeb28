//! What Odoo sends the bridge (`/odoo/authorize`) and what the bridge sends back to Odoo's signin.
//! It must never redirect anywhere but a configured Odoo's exact `/auth_oauth/signin`.

use crate::config::{Config, OdooConfig};
use url::form_urlencoded;

/// Longest `state` Odoo could plausibly send (db name + id + a redirect URL).
const MAX_STATE_LEN: usize = 4096;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthorizeRequestError {
    #[error("the request repeats the parameter `{0}`")]
    Duplicate(String),
    #[error("the request has no `{0}`")]
    Missing(&'static str),
    #[error("response_type `{0}` is not supported; Odoo sends `token`")]
    ResponseType(String),
    #[error("client_id `{0}` is not a configured Odoo")]
    UnknownClient(String),
    #[error("redirect_uri `{got}` is not this Odoo's signin URL `{expected}`")]
    RedirectUri { got: String, expected: String },
    #[error("state is longer than {MAX_STATE_LEN} bytes")]
    StateTooLong,
}

/// Odoo's implicit-flow request, checked against the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdooAuthorizeRequest {
    pub odoo_id: String,
    /// Odoo's `state`, byte for byte; it goes back unchanged.
    pub state: String,
    /// `state.p`, the `auth.oauth.provider` record that sent the person, when readable.
    pub provider_record: Option<i64>,
}

impl OdooAuthorizeRequest {
    /// Checks the raw query; any failure means an error page and no redirect at all.
    pub fn parse(config: &Config, raw_query: &str) -> Result<Self, AuthorizeRequestError> {
        let mut params: Vec<(String, String)> = Vec::new();
        for (key, value) in form_urlencoded::parse(raw_query.as_bytes()) {
            if params.iter().any(|(k, _)| *k == key) {
                return Err(AuthorizeRequestError::Duplicate(key.into_owned()));
            }
            params.push((key.into_owned(), value.into_owned()));
        }
        let get = |name: &'static str| {
            params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).ok_or(AuthorizeRequestError::Missing(name))
        };
        let client_id = get("client_id")?;
        let odoo = config.odoo(&client_id).ok_or_else(|| AuthorizeRequestError::UnknownClient(client_id.clone()))?;
        let redirect_uri = get("redirect_uri")?;
        let expected = odoo.signin_url();
        // Exact string match: no normalisation, no prefix, no extra path or query.
        if redirect_uri != expected {
            return Err(AuthorizeRequestError::RedirectUri { got: redirect_uri, expected });
        }
        let response_type = get("response_type")?;
        if response_type != "token" {
            return Err(AuthorizeRequestError::ResponseType(response_type));
        }
        let state = get("state")?;
        if state.len() > MAX_STATE_LEN {
            return Err(AuthorizeRequestError::StateTooLong);
        }
        Ok(Self { odoo_id: odoo.id.clone(), provider_record: provider_record_in_state(&state), state })
    }
}

/// Reads `p` from Odoo's JSON state (`{"d": db, "p": id, "r": url}`).
pub fn provider_record_in_state(state: &str) -> Option<i64> {
    let value: serde_json::Value = serde_json::from_str(state).ok()?;
    match value.get("p")? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A `return_to` must be a path on the Odoo (no scheme, no host, no `//`, no backslash).
pub fn check_return_to(return_to: &str) -> Result<String, String> {
    let ok = return_to.starts_with('/')
        && !return_to.starts_with("//")
        && !return_to.contains('\\')
        && !return_to.chars().any(|c| c.is_control() || c.is_whitespace())
        && return_to.len() <= 2048;
    if ok {
        Ok(return_to.to_string())
    } else {
        Err(format!("`{return_to}` is not a path on Odoo"))
    }
}

/// Where the browser goes after an Odoo-initiated login: the fragment answer of the implicit flow.
pub fn implicit_flow_answer(odoo: &OdooConfig, token: &str, expires_in: i64, odoo_state: &str) -> String {
    let fragment = form_urlencoded::Serializer::new(String::new())
        .append_pair("access_token", token)
        .append_pair("token_type", "Bearer")
        .append_pair("expires_in", &expires_in.to_string())
        .append_pair("state", odoo_state)
        .finish();
    format!("{}#{fragment}", odoo.signin_url())
}

/// Where the browser goes after a bridge-initiated login: Odoo's signin with a state we build.
pub fn bridge_signin_url(odoo: &OdooConfig, token: &str, provider_record: i64, return_to: Option<&str>) -> String {
    let mut state = serde_json::Map::new();
    state.insert("d".into(), odoo.database.clone().into());
    state.insert("p".into(), provider_record.into());
    if let Some(path) = return_to {
        // Odoo unquotes `r` with unquote_plus, so quote it the way its own login page does.
        let quoted: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
        state.insert("r".into(), quoted.into());
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("access_token", token)
        .append_pair("state", &serde_json::Value::Object(state).to_string())
        .finish();
    format!("{}?{query}", odoo.signin_url())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        let text = r#"
public_url = "http://127.0.0.1:3000"
listen = "127.0.0.1:3000"
[store]
url = "sqlite://data/test.db"
[[odoo]]
id = "acme"
url = "http://127.0.0.1:8069"
database = "acme"
api_login = "admin"
api_key_env = "KEY"
[[provider]]
id = "devidp"
kind = "oidc"
issuer = "http://127.0.0.1:9000"
client_id = "login-bridge"
client_secret_env = "SECRET"
"#;
        Config::parse(text, Path::new("t.toml"), Path::new("."), &|_| Some("x".into())).expect("test config")
    }

    fn query(redirect_uri: &str) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "token")
            .append_pair("client_id", "acme")
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "openid email")
            .append_pair("state", r#"{"d": "acme", "p": 4, "r": "http%3A%2F%2F127.0.0.1%3A8069%2Fweb"}"#)
            .finish()
    }

    #[test]
    fn accepts_exact_redirect_uri_and_keeps_state_byte_exact() {
        let request = OdooAuthorizeRequest::parse(&config(), &query("http://127.0.0.1:8069/auth_oauth/signin")).expect("valid");
        assert_eq!(request.odoo_id, "acme");
        assert_eq!(request.state, r#"{"d": "acme", "p": 4, "r": "http%3A%2F%2F127.0.0.1%3A8069%2Fweb"}"#);
        assert_eq!(request.provider_record, Some(4));
    }

    #[test]
    fn refuses_every_redirect_uri_that_is_not_an_exact_match() {
        let variants = [
            "http://127.0.0.1:8069/auth_oauth/signin/",
            "http://127.0.0.1:8069/auth_oauth/signin/extra",
            "http://127.0.0.1:8069/auth_oauth/signin?x=1",
            "http://127.0.0.1:8069/auth_oauth/signin#x",
            "https://127.0.0.1:8069/auth_oauth/signin",
            "http://127.0.0.1:8070/auth_oauth/signin",
            "http://localhost:8069/auth_oauth/signin",
            "http://127.0.0.1:8069/AUTH_OAUTH/signin",
            "http://127.0.0.1:8069/auth_oauth/signin%2F",
            "http://127.0.0.1:8069@evil.example/auth_oauth/signin",
            "http://evil.example/auth_oauth/signin",
            "//127.0.0.1:8069/auth_oauth/signin",
            "/auth_oauth/signin",
            "",
        ];
        for variant in variants {
            let result = OdooAuthorizeRequest::parse(&config(), &query(variant));
            assert!(
                matches!(result, Err(AuthorizeRequestError::RedirectUri { .. })),
                "{variant:?} must be refused, got {result:?}"
            );
        }
    }

    #[test]
    fn refuses_unknown_client_missing_state_other_response_types_and_duplicates() {
        let c = config();
        let q = query("http://127.0.0.1:8069/auth_oauth/signin");
        assert_eq!(
            OdooAuthorizeRequest::parse(&c, &q.replace("client_id=acme", "client_id=other")),
            Err(AuthorizeRequestError::UnknownClient("other".into()))
        );
        assert_eq!(
            OdooAuthorizeRequest::parse(&c, &q.replace("response_type=token", "response_type=code")),
            Err(AuthorizeRequestError::ResponseType("code".into()))
        );
        let without_state = q.split("&state=").next().unwrap_or_default().to_string();
        assert_eq!(OdooAuthorizeRequest::parse(&c, &without_state), Err(AuthorizeRequestError::Missing("state")));
        assert_eq!(
            OdooAuthorizeRequest::parse(&c, &format!("{q}&client_id=acme")),
            Err(AuthorizeRequestError::Duplicate("client_id".into()))
        );
        assert_eq!(
            OdooAuthorizeRequest::parse(&c, &format!("{q}{}", "x".repeat(5000))),
            Err(AuthorizeRequestError::StateTooLong)
        );
    }

    #[test]
    fn return_to_must_be_a_path_on_odoo() {
        assert!(check_return_to("/odoo/sales?x=1").is_ok());
        for bad in ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "odoo", "/a b", "javascript:alert(1)", ""] {
            assert!(check_return_to(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn implicit_answer_puts_token_and_state_in_the_fragment() {
        let c = config();
        let url = implicit_flow_answer(&c.odoo[0], "TOKEN", 120, r#"{"d": "acme", "p": 4}"#);
        assert_eq!(
            url,
            "http://127.0.0.1:8069/auth_oauth/signin#access_token=TOKEN&token_type=Bearer&expires_in=120&state=%7B%22d%22%3A+%22acme%22%2C+%22p%22%3A+4%7D"
        );
    }

    #[test]
    fn bridge_signin_url_carries_db_record_and_quoted_return_path() {
        let c = config();
        let url = bridge_signin_url(&c.odoo[0], "T", 7, Some("/odoo/sales"));
        let parsed = url::Url::parse(&url).expect("url");
        assert_eq!(parsed.path(), "/auth_oauth/signin");
        let state = parsed.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).expect("state");
        let state: serde_json::Value = serde_json::from_str(&state).expect("json");
        assert_eq!(state["d"], "acme");
        assert_eq!(state["p"], 7);
        assert_eq!(state["r"], "%2Fodoo%2Fsales");
    }
}
