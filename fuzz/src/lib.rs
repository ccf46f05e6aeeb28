//! Shared pieces of the fuzz targets: one fixed bridge configuration, parsed once.

use login_bridge::config::Config;
use std::{path::Path, sync::OnceLock};

/// The secret the fixed config's `*_env` resolve to; no error message may contain it.
pub const SECRET: &str = "fuzz-secret-value-7Qw3";

/// Two Odoo (one on loopback http, one https) and two providers, as an admin would write them.
pub const CONFIG: &str = r#"
public_url = "https://login.example.com"
listen = "127.0.0.1:3000"
[store]
url = "sqlite://data/fuzz.db"
[[odoo]]
id = "acme"
url = "http://127.0.0.1:8069"
database = "acme"
api_login = "admin"
api_key_env = "KEY"
[[odoo]]
id = "erp"
url = "https://erp.example.com"
database = "erp-prod"
api_login = "admin"
api_key_env = "KEY"
[[provider]]
id = "sso"
kind = "oidc"
issuer = "https://idp.example.com/realms/acme"
client_id = "login-bridge"
client_secret_env = "SECRET"
email_domains = ["example.com"]
[[provider]]
id = "microsoft"
kind = "microsoft"
tenant = "organizations"
client_id = "00000000-0000-0000-0000-000000000000"
client_secret_env = "SECRET"
"#;

pub fn env(_name: &str) -> Option<String> {
    Some(SECRET.to_string())
}

pub fn config() -> &'static Config {
    static CONFIG_ONCE: OnceLock<Config> = OnceLock::new();
    CONFIG_ONCE.get_or_init(|| {
        Config::parse(CONFIG, Path::new("fuzz.toml"), Path::new("."), &env).expect("the fuzz config is valid")
    })
}

/// Splits fuzz input into `N` strings at the first `N-1` newlines (missing parts are empty).
pub fn parts<const N: usize>(text: &str) -> [&str; N] {
    let mut out = [""; N];
    let mut rest = text;
    for (i, slot) in out.iter_mut().enumerate() {
        if i + 1 == N {
            *slot = rest;
        } else if let Some((head, tail)) = rest.split_once('\n') {
            *slot = head;
            rest = tail;
        } else {
            *slot = rest;
            rest = "";
        }
    }
    out
}
