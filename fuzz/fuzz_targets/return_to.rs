//! `return_to` of a bridge-initiated login (`/login/{provider}?odoo=…&return_to=…`).
//! Invariants: an accepted value is returned unchanged, is a path (starts with `/`, not `//`,
//! no backslash, control or whitespace character, at most 2048 bytes), stays on the Odoo host
//! when a browser resolves it, and survives Odoo's `unquote_plus` of the state's `r`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use login_bridge::odoo::request::{bridge_signin_url, check_return_to};
use url::{form_urlencoded, Url};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(path) = check_return_to(text) else { return };
    assert_eq!(path, text);
    assert!(path.starts_with('/') && !path.starts_with("//"), "{path:?}");
    assert!(!path.contains('\\') && !path.chars().any(|c| c.is_control() || c.is_whitespace()), "{path:?}");
    assert!(path.len() <= 2048);

    for base in ["http://127.0.0.1:8069/web/login", "https://erp.example.com/odoo"] {
        let base = Url::parse(base).expect("base");
        if let Ok(resolved) = base.join(&path) {
            assert_eq!(resolved.host_str(), base.host_str(), "{path:?} leaves the Odoo host: {resolved}");
            assert_eq!(resolved.port_or_known_default(), base.port_or_known_default(), "{path:?} changes the port: {resolved}");
            assert_eq!(resolved.scheme(), base.scheme(), "{path:?} changes the scheme: {resolved}");
        }
    }

    let odoo = &login_bridge_fuzz::config().odoo[1];
    let url = Url::parse(&bridge_signin_url(odoo, "T", 7, Some(&path))).expect("the signin URL parses");
    assert_eq!(url.as_str().split('?').next(), Some(odoo.signin_url().as_str()));
    let state = url.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).expect("state");
    let state: serde_json::Value = serde_json::from_str(&state).expect("state is JSON");
    let r = state["r"].as_str().expect("r");
    let unquoted: String = form_urlencoded::parse(format!("r={r}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default();
    assert_eq!(unquoted, path, "Odoo's unquote_plus gives the path back");
});
