//! Security headers on every response; pages rendered by Leptos bring their own nonce'd CSP.
//! HSTS when the bridge is served over https (`public_url`), never over http.
//! It must never loosen a header a handler already set.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

/// For everything that is not a Leptos page: no script may run at all.
const STRICT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Browsers keep to https for a year, subdomains included, once they have seen it over https.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// What the middleware needs from the config.
#[derive(Clone, Copy, Debug)]
pub struct HeaderPolicy {
    /// `public_url` is https: send `Strict-Transport-Security`.
    pub https: bool,
}

pub async fn security_headers(State(policy): State<HeaderPolicy>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // X-Frame-Options cannot name origins: a page whose CSP allows some frame ancestors
    // (`/embed`) relies on that alone; every other page is also DENY for old browsers.
    let framable = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|csp| csp.contains("frame-ancestors") && !csp.contains("frame-ancestors 'none'"));
    let defaults = [
        (header::CONTENT_SECURITY_POLICY, STRICT_CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    if !framable && !headers.contains_key(header::X_FRAME_OPTIONS) {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if policy.https && !headers.contains_key(header::STRICT_TRANSPORT_SECURITY) {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}
