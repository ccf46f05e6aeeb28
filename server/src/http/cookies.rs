//! The flow cookie that binds a `state` to the browser that started the login.
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
    let name = flow_cookie_name(secure);
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
    }
}
