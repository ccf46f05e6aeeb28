// Owns: the URL quoting rules of the Python stack Odoo runs on (Werkzeug 2.2 url_quote/url_encode,
// urllib quote_plus as used by python-requests, Odoo's local redirect). Must never touch state or I/O.

/// Werkzeug 2.2 `_always_safe`: unreserved characters plus RFC 3986 sub-delims except `&` and `=`.
fn werkzeug_always_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~$!'()*+,;".contains(&b)
}

/// `werkzeug.urls.url_quote(s, safe=extra_safe, unsafe=unsafe)`.
pub fn url_quote(s: &str, extra_safe: &[u8], unsafe_: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        let safe = (werkzeug_always_safe(b) || extra_safe.contains(&b)) && !unsafe_.contains(&b);
        if safe {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `werkzeug.urls.url_quote_plus(s)`: space becomes `+`, `+` itself is escaped.
pub fn url_quote_plus(s: &str) -> String {
    url_quote(s, b" ", b"+").replace(' ', "+")
}

/// `werkzeug.urls.url_encode(pairs)`, the encoding of Odoo's provider links and redirect queries.
pub fn url_encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", url_quote_plus(k), url_quote_plus(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `urllib.parse.quote_plus` (safe = letters, digits, `_.-~`), used by python-requests for params.
pub fn python_quote_plus(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~".contains(&b) {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decoding that keeps malformed escapes verbatim (Werkzeug/urllib behaviour).
pub fn url_unquote(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `url_unquote_plus`: `+` means space.
pub fn url_unquote_plus(s: &str) -> String {
    url_unquote(&s.replace('+', " "))
}

/// The parts of `werkzeug.urls.url_parse`.
#[derive(Debug, Default, PartialEq)]
pub struct UrlParts {
    pub scheme: String,
    pub netloc: String,
    pub path: String,
    pub query: String,
    pub fragment: String,
}

/// `werkzeug.urls.url_parse` (the lenient parser Odoo 18 relies on for redirects).
pub fn url_parse(url: &str) -> UrlParts {
    let mut parts = UrlParts::default();
    let mut rest = url.to_string();
    if let Some(i) = rest.find(':') {
        let candidate = &rest[..i];
        let valid_scheme = i > 0
            && candidate.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
        let after = &rest[i + 1..];
        let is_port = !after.is_empty() && after.bytes().all(|b| b.is_ascii_digit());
        if valid_scheme && !is_port {
            parts.scheme = candidate.to_ascii_lowercase();
            rest = after.to_string();
        }
    }
    if rest.starts_with("//") {
        let delim = ["/", "?", "#"]
            .iter()
            .filter_map(|c| rest[2..].find(c).map(|p| p + 2))
            .min()
            .unwrap_or(rest.len());
        parts.netloc = rest[2..delim].to_string();
        rest = rest[delim..].to_string();
    }
    if let Some((before, frag)) = rest.split_once('#') {
        parts.fragment = frag.to_string();
        rest = before.to_string();
    }
    if let Some((before, query)) = rest.split_once('?') {
        parts.query = query.to_string();
        rest = before.to_string();
    }
    parts.path = rest;
    parts
}

/// Odoo's `request.redirect(location, local=True)`: drop scheme and host, keep path, query and
/// fragment, force a single leading `/`; then Werkzeug's `iri_to_uri` for non-ASCII text.
pub fn local_redirect(location: &str) -> String {
    let parts = url_parse(location);
    let mut url = parts.path.clone();
    if !parts.query.is_empty() {
        url.push('?');
        url.push_str(&parts.query);
    }
    if !parts.fragment.is_empty() {
        url.push('#');
        url.push_str(&parts.fragment);
    }
    let trimmed = url.trim_start_matches(['/', '\\']);
    iri_to_uri(&format!("/{trimmed}"))
}

/// Werkzeug `iri_to_uri(safe_conversion=True)`: ASCII text without whitespace stays as is,
/// everything else gets its non-URL bytes percent-encoded.
pub fn iri_to_uri(s: &str) -> String {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_whitespace() || b < 0x20) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b > 0x20 && b < 0x7f {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// python-requests `prepare_url` with `params`: the encoded params are appended to an existing
/// query with `&`, or become the query; the fragment stays last.
pub fn append_query(endpoint: &str, params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        return endpoint.to_string();
    }
    let encoded = params
        .iter()
        .map(|(k, v)| format!("{}={}", python_quote_plus(k), python_quote_plus(v)))
        .collect::<Vec<_>>()
        .join("&");
    let (base, fragment) = match endpoint.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (endpoint, None),
    };
    let mut url = match base.split_once('?') {
        Some((_, q)) if !q.is_empty() => format!("{base}&{encoded}"),
        Some((b, _)) => format!("{b}?{encoded}"),
        None => format!("{base}?{encoded}"),
    };
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// Parses `a=1&b=2` into ordered, decoded pairs (Werkzeug `url_decode`).
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (url_unquote_plus(k), url_unquote_plus(v)),
            None => (url_unquote_plus(pair), String::new()),
        })
        .collect()
}

/// First value of a key, as `request.params` (a MultiDict turned dict) sees it.
pub fn first<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Escaping used by QWeb/markupsafe for text and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaping of Werkzeug's own pages (`markupsafe.escape` as well).
pub fn werkzeug_escape(s: &str) -> String {
    html_escape(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_quote_plus_keeps_subdelims_like_werkzeug_2_2() {
        assert_eq!(url_quote_plus("http://127.0.0.1:8069/web"), "http%3A%2F%2F127.0.0.1%3A8069%2Fweb");
        assert_eq!(url_quote_plus("a b,c+d"), "a+b,c%2Bd");
    }

    #[test]
    fn local_redirect_keeps_path_and_query_only() {
        assert_eq!(local_redirect("https://evil.example.com/landing?x=1"), "/landing?x=1");
        assert_eq!(local_redirect("http://127.0.0.1:8069/web"), "/web");
        assert_eq!(local_redirect("/odoo/discuss"), "/odoo/discuss");
        assert_eq!(local_redirect("//evil.example.com/x"), "/x");
        assert_eq!(local_redirect("odoo"), "/odoo");
    }

    #[test]
    fn append_query_merges_like_python_requests() {
        assert_eq!(append_query("http://h/t", &[("access_token", "a b")]), "http://h/t?access_token=a+b");
        assert_eq!(append_query("http://h/t?x=1", &[("access_token", "t")]), "http://h/t?x=1&access_token=t");
        assert_eq!(append_query("http://h/t?", &[("access_token", "t")]), "http://h/t?access_token=t");
    }

    #[test]
    fn unquote_keeps_bad_escapes() {
        assert_eq!(url_unquote("%2Fodoo%zz%4"), "/odoo%zz%4");
        assert_eq!(url_unquote_plus("http%253A+x"), "http%3A x");
    }
}
