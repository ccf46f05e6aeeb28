//! "Type your work email": the domain of an address and the provider it routes to, plus the
//! page's query escaping. Input: `email \n configured domain`.
//! Invariants: a domain is lower-case ASCII-wise, has a dot, does not start or end with one and
//! holds no `/ ? # @` or space; a domain routes to itself and its subdomains to it;
//! `url_escape` round-trips through percent-decoding and leaves only unreserved characters.
#![no_main]

use app::email_routing::{email_domain, route_for, url_escape};
use libfuzzer_sys::fuzz_target;
use url::form_urlencoded;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let [email, configured] = login_bridge_fuzz::parts::<2>(text);

    if let Some(domain) = email_domain(email) {
        assert_eq!(domain, domain.to_ascii_lowercase());
        assert!(domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'), "{domain:?}");
        assert!(!domain.contains(['/', '?', '#', ' ', '@']), "{domain:?}");
        assert!(email.contains('@'));
        assert_eq!(route_for(&[(domain.clone(), 1u8)], &domain), Some(1));
        assert_eq!(route_for(&[(domain.clone(), 1u8)], &format!("sub.{domain}")), Some(1));
    }

    let routes = [(configured.to_string(), 1u8), ("example.com".to_string(), 2u8)];
    if let Some(domain) = email_domain(email) {
        match route_for(&routes, &domain) {
            Some(1) => assert!(domain == configured || domain.ends_with(&format!(".{configured}")), "{domain:?} -> {configured:?}"),
            Some(2) => assert!(domain == "example.com" || domain.ends_with(".example.com"), "{domain:?}"),
            Some(_) => unreachable!(),
            None => {}
        }
    }

    let escaped = url_escape(email);
    assert!(escaped.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)), "{escaped:?}");
    let decoded: Vec<u8> = percent_decode(&escaped);
    assert_eq!(decoded, email.as_bytes());
    let _ = form_urlencoded::parse(format!("email={escaped}").as_bytes()).count();
});

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
