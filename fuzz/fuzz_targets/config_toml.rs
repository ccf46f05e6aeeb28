//! The config file: `Config::parse` on arbitrary TOML, with every `*_env` resolving to a fixed
//! secret. Invariants: no panic; an error never shows the secret (unless the text itself holds
//! it); an accepted config has an Odoo and a provider, URLs that are https or loopback, a
//! public base without a trailing slash, and a signin URL under each Odoo's URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use login_bridge::config::{is_loopback, Config};
use login_bridge_fuzz::{env, SECRET};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // `*_file` reads the named file: /dev/zero or a FIFO would hang the fuzzer, not the bridge
    // (the config is the admin's). Skip them, also when spelled with TOML escapes.
    if text.contains("_file") || text.contains("\\u") || text.contains("\\U") || text.len() > 64 * 1024 {
        return;
    }
    // libFuzzer learns the secret from the comparisons below and writes it into the text
    // (e.g. a claim name); then its appearance proves nothing.
    let secret_in_text = text.contains(SECRET);
    match Config::parse(text, Path::new("fuzz.toml"), Path::new("."), &env) {
        Err(error) => {
            if !secret_in_text {
                let message = error.to_string();
                assert!(!message.contains(SECRET), "the error shows the secret: {message}");
            }
        }
        Ok(config) => {
            assert!(!config.odoo.is_empty() && !config.providers.is_empty());
            let base = config.public_base();
            assert!(!base.ends_with('/'), "{base}");
            for odoo in &config.odoo {
                assert!(odoo.url.scheme() == "https" || is_loopback(&odoo.url), "{}", odoo.url);
                assert!(odoo.signin_url().starts_with(odoo.url.as_str().trim_end_matches('/')), "{}", odoo.signin_url());
                assert!(odoo.signin_url().ends_with("/auth_oauth/signin"));
                let _ = odoo.frame_origins();
            }
            for provider in &config.providers {
                assert!(config.redirect_uri(&provider.id).starts_with(&base));
                assert_eq!(provider.client_secret.expose(), SECRET);
            }
            if !secret_in_text {
                assert!(!format!("{config:?}").contains(SECRET), "Debug of the config shows the secret");
            }
            let _ = config.warnings();
        }
    }
});
