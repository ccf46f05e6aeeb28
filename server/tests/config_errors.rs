//! A wrong config is refused at start with a message that names the key and the fix.

use login_bridge::config::{Config, ConfigError, StoreConfig};
use std::path::{Path, PathBuf};

const GOOD: &str = r#"
public_url = "http://127.0.0.1:3000"
listen = "127.0.0.1:3000"
[store]
url = "sqlite://data/login-bridge.db"
[[odoo]]
id = "acme"
url = "http://127.0.0.1:8069"
database = "acme"
api_login = "admin"
api_key_env = "ACME_KEY"
[[provider]]
id = "devidp"
kind = "oidc"
display_name = "Dev IdP"
issuer = "http://127.0.0.1:9000"
client_id = "login-bridge"
client_secret_env = "IDP_SECRET"
"#;

fn env(name: &str) -> Option<String> {
    match name {
        "ACME_KEY" => Some("key".into()),
        "IDP_SECRET" => Some("secret".into()),
        _ => None,
    }
}

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("bridge.toml"), Path::new("."), &env)
}

fn error(text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("config should have been refused:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn good_config_loads_with_secrets_from_env() {
    let config = parse(GOOD).expect("valid");
    assert_eq!(config.public_base(), "http://127.0.0.1:3000");
    assert_eq!(config.redirect_uri("devidp"), "http://127.0.0.1:3000/callback/devidp");
    assert_eq!(config.odoo[0].signin_url(), "http://127.0.0.1:8069/auth_oauth/signin");
    assert_eq!(config.providers[0].client_secret.expose(), "secret");
    assert_eq!(config.store, StoreConfig::Sqlite { path: PathBuf::from("data/login-bridge.db") });
    assert!(!config.secure_cookies());
}

#[test]
fn absolute_sqlite_path_keeps_its_slash() {
    let config = parse(&GOOD.replace("sqlite://data/login-bridge.db", "sqlite:///var/lib/lb/bridge.db")).expect("valid");
    assert_eq!(config.store, StoreConfig::Sqlite { path: PathBuf::from("/var/lib/lb/bridge.db") });
}

#[test]
fn unknown_key_is_named() {
    let e = error(&GOOD.replace("listen =", "colour = \"red\"\nlisten ="));
    assert!(e.contains("unknown field `colour`"), "{e}");
}

#[test]
fn missing_secret_names_the_variable_and_the_fix() {
    let e = error(&GOOD.replace("IDP_SECRET", "NOT_SET_ANYWHERE"));
    assert!(e.contains("provider[0].client_secret_env"), "{e}");
    assert!(e.contains("NOT_SET_ANYWHERE"), "{e}");
    assert!(e.contains("export NOT_SET_ANYWHERE"), "{e}");
}

#[test]
fn inline_secret_is_refused_with_the_fix() {
    let e = error(&GOOD.replace("client_secret_env = \"IDP_SECRET\"", "client_secret = \"hunter2\""));
    assert!(e.contains("provider[0].client_secret"), "{e}");
    assert!(e.contains("client_secret_env"), "{e}");
    assert!(!e.contains("hunter2"), "the secret must not be echoed: {e}");
}

#[test]
fn secret_file_is_read_and_both_sources_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("secret");
    std::fs::write(&file, "from-file\n").expect("write");
    let text = GOOD.replace("client_secret_env = \"IDP_SECRET\"", &format!("client_secret_file = \"{}\"", file.display()));
    assert_eq!(parse(&text).expect("valid").providers[0].client_secret.expose(), "from-file");
    let both = GOOD.replace("client_secret_env = \"IDP_SECRET\"", &format!("client_secret_env = \"IDP_SECRET\"\nclient_secret_file = \"{}\"", file.display()));
    assert!(error(&both).contains("keep only one"));
}

#[test]
fn bad_url_is_named() {
    let e = error(&GOOD.replace("url = \"http://127.0.0.1:8069\"", "url = \"not a url\""));
    assert!(e.contains("odoo[0].url"), "{e}");
    let e = error(&GOOD.replace("public_url = \"http://127.0.0.1:3000\"", "public_url = \"http://127.0.0.1:3000/bridge?x=1\""));
    assert!(e.contains("public_url"), "{e}");
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    let e = error(&GOOD.replace("issuer = \"http://127.0.0.1:9000\"", "issuer = \"http://idp.example.com\""));
    assert!(e.contains("provider[0].issuer") && e.contains("https"), "{e}");
    let e = error(&GOOD.replace("url = \"http://127.0.0.1:8069\"", "url = \"http://odoo.example.com\""));
    assert!(e.contains("odoo[0].url"), "{e}");
    assert!(parse(&GOOD.replace("http://127.0.0.1:9000", "http://localhost:9000")).is_ok());
    assert!(parse(&GOOD.replace("http://127.0.0.1:9000", "https://idp.example.com")).is_ok());
}

#[test]
fn duplicate_ids_are_refused() {
    let twice = format!("{GOOD}\n[[provider]]\nid = \"devidp\"\nkind = \"oidc\"\nissuer = \"http://127.0.0.1:9001\"\nclient_id = \"x\"\nclient_secret_env = \"IDP_SECRET\"\n");
    let e = error(&twice);
    assert!(e.contains("provider[1].id") && e.contains("duplicate"), "{e}");
}

#[test]
fn bad_listen_and_store_are_named() {
    assert!(error(&GOOD.replace("listen = \"127.0.0.1:3000\"", "listen = \"port 80\"")).contains("listen"));
    assert!(error(&GOOD.replace("sqlite://data/login-bridge.db", "mysql://x")).contains("store.url"));
}

#[test]
fn ids_must_be_url_safe() {
    let e = error(&GOOD.replace("id = \"devidp\"", "id = \"Dev IdP\""));
    assert!(e.contains("provider[0].id"), "{e}");
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let config = parse(GOOD).expect("valid");
    let debug = format!("{config:?}");
    assert!(!debug.contains("secret\""), "{debug}");
    assert!(debug.contains("<redacted>"));
}
