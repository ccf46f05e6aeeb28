//! The logout and session-lifetime keys: `max_session_age`, `revalidate_every`, `[sessions]`
//! refused where the bridge could not enforce them, and `check-config` printing the URIs an
//! admin registers at the provider.

use login_bridge::config::{Config, ConfigError};
use std::{path::Path, time::Duration};

fn config(odoo_extra: &str, provider_extra: &str, tail: &str) -> String {
    format!(
        r#"
public_url = "http://127.0.0.1:3000"
listen = "127.0.0.1:3000"
[store]
url = "sqlite://data/login-bridge.db"
[[odoo]]
id = "acme"
url = "http://127.0.0.1:8069"
database = "acme"
{odoo_extra}
[[provider]]
id = "sso"
kind = "oidc"
issuer = "http://127.0.0.1:9000"
client_id = "login-bridge"
client_secret_env = "IDP_SECRET"
{provider_extra}
[[provider]]
id = "github"
kind = "github"
client_id = "gh"
client_secret_env = "IDP_SECRET"
{tail}
"#
    )
}

const API: &str = "api_login = \"admin\"\napi_key_env = \"ACME_KEY\"";
const NO_API: &str = "odoo_provider_id = 4";

fn env(name: &str) -> Option<String> {
    match name {
        "ACME_KEY" => Some("key".into()),
        "IDP_SECRET" => Some("secret".into()),
        "RT_KEY" => Some("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=".into()),
        "SHORT_KEY" => Some("c2hvcnQ=".into()),
        _ => None,
    }
}

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("bridge.toml"), Path::new("."), &env)
}

fn refused(text: &str) -> String {
    parse(text).err().unwrap_or_else(|| panic!("must be refused:\n{text}")).to_string()
}

#[test]
fn lifetimes_are_read_per_odoo_and_per_provider() {
    let c = parse(&config(&format!("{API}\nmax_session_age = \"8h\""), "revalidate_every = \"15m\"", "[sessions]\nrefresh_token_key_env = \"RT_KEY\"")).expect("valid");
    assert_eq!(c.sessions.max_session_age.get("acme"), Some(&Duration::from_secs(8 * 3600)));
    assert_eq!(c.sessions.revalidate_every.get("sso"), Some(&Duration::from_secs(900)));
    assert_eq!(c.sessions.refresh_token_key.map(|k| k[31]), Some(31));
    let plain = parse(&config(API, "", "")).expect("valid");
    assert!(plain.sessions.max_session_age.is_empty() && plain.sessions.revalidate_every.is_empty() && plain.sessions.refresh_token_key.is_none());
}

#[test]
fn settings_the_bridge_cannot_enforce_are_refused_with_the_fix() {
    let e = refused(&config(&format!("{NO_API}\nmax_session_age = \"8h\""), "", ""));
    assert!(e.contains("odoo[0].max_session_age") && e.contains("API access"), "{e}");
    let e = refused(&config(API, "", "revalidate_every = \"15m\""));
    assert!(e.contains("provider[1].revalidate_every") && e.contains("github"), "{e}");
    let e = refused(&config(&format!("{API}\nmax_session_age = \"8 hours\""), "", ""));
    assert!(e.contains("max_session_age") && e.contains("not a duration"), "{e}");
    let e = refused(&config(API, "", "[sessions]\nrefresh_token_key_env = \"SHORT_KEY\""));
    assert!(e.contains("sessions.refresh_token_key") && e.contains("32 bytes") && !e.contains("c2hvcnQ"), "{e}");
    let e = refused(&config(API, "", "[sessions]\nrefresh_token_key_env = \"UNSET\""));
    assert!(e.contains("UNSET"), "{e}");
}

#[test]
fn check_config_prints_the_logout_uris_to_register() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bridge.toml");
    std::fs::write(&path, config(&format!("{API}\nmax_session_age = \"8h\""), "revalidate_every = \"15m\"", "")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_login-bridge"))
        .env_clear()
        .env("ACME_KEY", "key")
        .env("IDP_SECRET", "secret")
        .arg("--config")
        .arg(&path)
        .arg("check-config")
        .output()
        .expect("run check-config");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("back-channel logout URI http://127.0.0.1:3000/logout/backchannel/sso"), "{stdout}");
    assert!(stdout.contains("provider github: no back-channel or RP-initiated logout"), "{stdout}");
    assert!(stdout.contains("post-logout redirect URI to register at the providers http://127.0.0.1:3000/logout/done"), "{stdout}");
    assert!(stdout.contains("sign-out link http://127.0.0.1:3000/logout?odoo=acme"), "{stdout}");
    assert!(stdout.contains("28800s (max_session_age)"), "{stdout}");
    assert!(stdout.contains("refresh tokens are stored in the clear"), "{stdout}");
}
