//! "Type your work email": which provider an address belongs to. Shared by the hydrated page
//! (routes at once) and the server's `GET /login?email=` (the no-JavaScript path), so both agree.

/// The domain of an address typed by a person, lower-cased; `None` when it is not an address.
pub fn email_domain(email: &str) -> Option<String> {
    let (local, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let plausible = !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.contains(['/', '?', '#', ' ']);
    plausible.then_some(domain)
}

/// The entry for a domain: the longest configured domain equal to it or a parent of it.
pub fn route_for<T: Copy>(routes: &[(String, T)], domain: &str) -> Option<T> {
    routes
        .iter()
        .filter(|(d, _)| domain == d || domain.strip_suffix(d.as_str()).is_some_and(|rest| rest.ends_with('.')))
        .max_by_key(|(d, _)| d.len())
        .map(|(_, value)| *value)
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn url_escape(value: &str) -> String {
    // A crate for this would add weight to every page's WASM for one call.
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_by_domain_and_subdomain_preferring_the_longest() {
        let routes = vec![("example.com".to_string(), 0), ("eu.example.com".to_string(), 1), ("acme.org".to_string(), 2)];
        assert_eq!(route_for(&routes, "example.com"), Some(0));
        assert_eq!(route_for(&routes, "paris.eu.example.com"), Some(1));
        assert_eq!(route_for(&routes, "acme.org"), Some(2));
        assert_eq!(route_for(&routes, "notexample.com"), None);
        assert_eq!(route_for(&routes, "com"), None);
    }

    #[test]
    fn reads_addresses_the_way_people_type_them() {
        assert_eq!(email_domain(" Ann@Example.COM "), Some("example.com".into()));
        assert_eq!(email_domain("ann"), None);
        assert_eq!(email_domain("@example.com"), None);
        assert_eq!(email_domain("ann@localhost"), None);
        assert_eq!(url_escape("a+b@x.com"), "a%2Bb%40x.com");
    }
}
