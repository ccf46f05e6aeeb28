//! Shared set-up for the bridge's integration tests: a config on a temp SQLite file (or a test
//! PostgreSQL database), the router in-process, and the Odoo simulator on 127.0.0.1.
#![allow(dead_code)]

pub mod postgres;

use login_bridge::{
    bridge::{AppState, Bridge},
    config::Config,
};
use std::{path::Path, sync::Arc};

pub fn config_text(db: &Path, odoo_url: &str) -> String {
    config_with_store(&format!("url = \"sqlite://{}\"", db.display()), odoo_url)
}

/// The test config with `store` as the body of its `[store]` table.
pub fn config_with_store(store: &str, odoo_url: &str) -> String {
    format!(
        r#"
public_url = "http://127.0.0.1:3000"
listen = "127.0.0.1:3000"
[store]
{store}
[[odoo]]
id = "acme"
url = "{odoo_url}"
database = "acme"
api_login = "admin"
api_key_env = "ODOO_KEY"
[[odoo]]
id = "other"
url = "http://127.0.0.1:9"
database = "other"
api_login = "admin"
api_key_env = "ODOO_KEY"
[[provider]]
id = "devidp"
kind = "oidc"
issuer = "http://127.0.0.1:9"
client_id = "login-bridge"
client_secret_env = "IDP_SECRET"
"#
    )
}

pub fn env(name: &str) -> Option<String> {
    match name {
        "ODOO_KEY" => Some("sim-admin-api-key".into()),
        "IDP_SECRET" => Some("secret".into()),
        _ => None,
    }
}

pub async fn bridge(dir: &Path, odoo_url: &str) -> Arc<Bridge> {
    let text = config_text(&dir.join("bridge.db"), odoo_url);
    let config = Config::parse(&text, Path::new("test.toml"), dir, &env).expect("test config parses");
    Bridge::start(config).await.expect("bridge starts")
}

/// A bridge whose `[store]` table is `store`.
pub async fn bridge_with_store(dir: &Path, store: &str, odoo_url: &str) -> Arc<Bridge> {
    let config = Config::parse(&config_with_store(store, odoo_url), Path::new("test.toml"), dir, &env).expect("test config parses");
    Bridge::start(config).await.expect("bridge starts")
}

pub fn app(bridge: Arc<Bridge>) -> axum::Router {
    let leptos_options = leptos::config::LeptosOptions::builder().output_name("login-bridge").site_root("target/site").build();
    login_bridge::http::router(AppState { bridge, leptos_options })
}

/// Starts the Odoo simulator with the given seed file on a free loopback port.
pub async fn odoo_sim(seed_json: &str) -> String {
    let seed: odoo_sim::Seed = serde_json::from_str(seed_json).expect("seed parses");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = odoo_sim::serve(seed, listener).await;
    });
    format!("http://{addr}")
}

pub const SEED: &str = r#"{
  "version": "18.0",
  "database": "acme",
  "dbfilter": "^acme$",
  "signup": "b2b",
  "users": [
    {"id": 2, "login": "admin", "email": "admin@example.com", "name": "Administrator", "share": false, "password": "admin", "api_keys": ["sim-admin-api-key"], "admin": true},
    {"id": 6, "login": "alice@example.com", "email": "alice@example.com", "name": "Alice Example", "share": false, "password": "alice"},
    {"id": 7, "login": "bob", "email": "bob@example.com", "name": "Bob Portal", "share": true, "password": "bob", "groups": [10]},
    {"id": 8, "login": "twin1", "email": "twin@example.com", "name": "Twin One", "share": false},
    {"id": 9, "login": "twin2", "email": "twin@example.com", "name": "Twin Two", "share": false},
    {"id": 10, "login": "gone@example.com", "email": "gone@example.com", "name": "Archived", "share": false, "active": false}
  ],
  "groups": [{"id": 10, "full_name": "User types / Portal"}],
  "providers": [
    {"id": 4, "name": "Login Bridge", "enabled": true, "client_id": "acme", "auth_endpoint": "http://127.0.0.1:3000/odoo/authorize/devidp", "validation_endpoint": "http://127.0.0.1:3000/odoo/tokeninfo", "data_endpoint": false, "scope": "openid", "body": "Sign in with Dev IdP", "css_class": "fa", "sequence": 10},
    {"id": 5, "name": "Other", "enabled": true, "client_id": "x", "auth_endpoint": "https://elsewhere.example/authorize", "validation_endpoint": "https://elsewhere.example/tokeninfo", "data_endpoint": false, "scope": "openid", "body": "Other", "css_class": "fa", "sequence": 10}
  ],
  "config_parameters": {},
  "modules": {"auth_oauth": "installed", "auth_signup": "installed"}
}"#;

/// One request through the router in-process: status, headers and body text.
pub async fn send(app: &axum::Router, uri: &str, headers: &[(&str, &str)]) -> (u16, axum::http::HeaderMap, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut request = axum::http::Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app.clone().oneshot(request.body(axum::body::Body::empty()).expect("request")).await.expect("response");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}
