//! The flow cookie that binds a `state` to the browser that started the login, and the session
//! cookie of the bridge's own pages (`/account`, `/admin`).
//! It must never be readable by scripts or sent cross-site on sub-requests (HttpOnly, Lax).

use axum::http::{header, HeaderMap, HeaderValue};

/// `lb_` so it never collides with Odoo's `session_id` (browsers share cookies across ports).
const FLOW_COOKIE: &str = "lb_flow";
/// Over https the `__Host-` prefix pins it to this host, path `/`, Secure.
const FLOW_COOKIE_HOST: &str = "__Host-lb_flow";

pub fn flow_cookie_name(secure: bool) -> &'static str {
    if secure {
        FLOW_COOKIE_HOST
    } else {
        FLOW_COOKIE
    }
}

pub fn set_flow_cookie(state: &str, secure: bool, max_age: i64) -> HeaderValue {
    let secure_attr = if secure { "; Secure" } else { "" };
    let value = format!("{}={state}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure_attr}", flow_cookie_name(secure));
    // The state is base64url: always a valid header value.
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("lb_flow=; Max-Age=0"))
}

pub fn clear_flow_cookie(secure: bool) -> HeaderValue {
    set_flow_cookie("", secure, 0)
}

/// Every value of the flow cookie the browser sent (several tabs may have raced).
pub fn flow_cookies(headers: &HeaderMap, secure: bool) -> Vec<String> {
    cookie_values(headers, flow_cookie_name(secure))
}

/// The session of the bridge's own pages. Lax, not Strict: the cookie is set on the callback,
/// the end of a navigation that began at the provider, and browsers withhold Strict cookies
/// along the whole redirect chain, so the redirect to `/account` would arrive without it. Every
/// POST carries a CSRF token besides, and the pages a GET shows change nothing.
const SESSION_COOKIE: &str = "lb_session";
const SESSION_COOKIE_HOST: &str = "__Host-lb_session";

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SESSION_COOKIE_HOST
    } else {
        SESSION_COOKIE
    }
}

pub fn set_session_cookie(id: &str, secure: bool, max_age: i64) -> HeaderValue {
    let secure_attr = if secure { "; Secure" } else { "" };
    let value = format!("{}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure_attr}", session_cookie_name(secure));
    // The id is base64url: always a valid header value.
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("lb_session=; Max-Age=0"))
}

pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    set_session_cookie("", secure, 0)
}

/// Every value of the session cookie the browser sent.
pub fn session_cookies(headers: &HeaderMap, secure: bool) -> Vec<String> {
    cookie_values(headers, session_cookie_name(secure))
}

fn cookie_values(headers: &HeaderMap, name: &str) -> Vec<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_cookie_is_httponly_lax_and_host_prefixed_over_https() {
        let plain = set_flow_cookie("abc", false, 600);
        assert_eq!(plain, "lb_flow=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=600");
        let secure = set_flow_cookie("abc", true, 600);
        assert_eq!(secure, "__Host-lb_flow=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=600; Secure");
    }

    #[test]
    fn reads_only_the_flow_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("session_id=odoo; lb_flow=s1; idp_session=x"));
        assert_eq!(flow_cookies(&headers, false), vec!["s1".to_string()]);
        assert!(flow_cookies(&headers, true).is_empty());
        assert!(session_cookies(&headers, false).is_empty());
    }

    #[test]
    fn session_cookie_is_httponly_and_host_prefixed_over_https() {
        assert_eq!(set_session_cookie("id", false, 3600), "lb_session=id; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600");
        assert_eq!(set_session_cookie("id", true, 3600), "__Host-lb_session=id; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600; Secure");
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("lb_flow=s1; lb_session=abc"));
        assert_eq!(session_cookies(&headers, false), vec!["abc".to_string()]);
    }
}
