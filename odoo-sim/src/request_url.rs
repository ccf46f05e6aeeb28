// Owns: what Odoo derives from the raw request line and Host header (url_root, full_path, params).
// Must never look at cookies or the database.

use crate::urlcodec::{parse_query, url_unquote};
use axum::http::{header, HeaderMap, Uri};

/// `request.httprequest.url_root`: `http://<Host header>/` (no proxy_mode, so always http).
pub fn url_root(headers: &HeaderMap, uri: &Uri) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| uri.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| "localhost".to_string());
    format!("http://{host}/")
}

/// The Host header without port handling, as `db_filter` receives it.
pub fn host(headers: &HeaderMap) -> String {
    headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_string()
}

/// Werkzeug `full_path`: the decoded path, `?`, and the raw query (always with the `?`).
pub fn full_path(uri: &Uri) -> String {
    format!("{}?{}", url_unquote(uri.path()), uri.query().unwrap_or(""))
}

/// Decoded query parameters in order.
pub fn query_params(uri: &Uri) -> Vec<(String, String)> {
    uri.query().map(parse_query).unwrap_or_default()
}
