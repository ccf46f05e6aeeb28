//! `/odoo/tokeninfo` as Odoo calls it: single use, expiry, audience, both ways of sending a token.

mod common;

use axum::{body::Body, http::Request};
use http_body_util::BodyExt;
use login_bridge::{store::IssuedToken, tokens::unix_now};
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str, bearer: Option<&str>) -> (u16, axum::http::HeaderMap, serde_json::Value) {
    let mut request = Request::get(uri);
    if let Some(token) = bearer {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    let response = app.clone().oneshot(request.body(Body::empty()).expect("request")).await.expect("response");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    (status, headers, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

fn issued(odoo: &str, ttl: i64) -> IssuedToken {
    IssuedToken {
        odoo_id: odoo.into(),
        subject: "login-bridge-6".into(),
        email: Some("alice@example.com".into()),
        name: Some("Alice Example".into()),
        expires_at: unix_now() + ttl,
    }
}

#[tokio::test]
async fn token_is_single_use_and_answers_sub_id_user_id_equal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:9").await;
    bridge.store.put_token("tok-1", &issued("acme", 120)).await.expect("stored");
    let app = common::app(bridge);

    let (status, headers, body) = get(&app, "/odoo/tokeninfo?access_token=tok-1", None).await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("cache-control").map(|v| v.to_str().unwrap_or("")), Some("no-store"));
    assert_eq!(body["sub"], "login-bridge-6");
    assert_eq!(body["id"], body["sub"]);
    assert_eq!(body["user_id"], body["sub"]);
    assert_eq!(body["email"], "alice@example.com");
    assert_eq!(body["name"], "Alice Example");
    assert_eq!(body["aud"], "acme");

    let (status, headers, body) = get(&app, "/odoo/tokeninfo?access_token=tok-1", None).await;
    assert_eq!(status, 401, "a token must not be accepted twice");
    assert_eq!(headers.get("www-authenticate").map(|v| v.to_str().unwrap_or("")), Some("Bearer error=\"invalid_token\""));
    assert_eq!(body["error"], "invalid_token");
}

#[tokio::test]
async fn token_is_accepted_from_the_authorization_header() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:9").await;
    bridge.store.put_token("tok-2", &issued("acme", 120)).await.expect("stored");
    let app = common::app(bridge);
    let (status, _, body) = get(&app, "/odoo/tokeninfo", Some("tok-2")).await;
    assert_eq!(status, 200);
    assert_eq!(body["sub"], "login-bridge-6");
}

#[tokio::test]
async fn expired_and_unknown_tokens_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:9").await;
    bridge.store.put_token("tok-old", &issued("acme", -1)).await.expect("stored");
    let app = common::app(bridge);
    let (status, headers, _) = get(&app, "/odoo/tokeninfo?access_token=tok-old", None).await;
    assert_eq!(status, 401);
    assert!(headers.contains_key("www-authenticate"));
    let (status, _, _) = get(&app, "/odoo/tokeninfo?access_token=never-issued", None).await;
    assert_eq!(status, 401);
    let (status, _, _) = get(&app, "/odoo/tokeninfo", None).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn token_presented_for_another_odoo_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:9").await;
    bridge.store.put_token("tok-3", &issued("acme", 120)).await.expect("stored");
    let app = common::app(bridge);
    let (status, _, _) = get(&app, "/odoo/tokeninfo?odoo=other&access_token=tok-3", None).await;
    assert_eq!(status, 401, "audience other != acme");
}

#[tokio::test]
async fn token_sent_both_ways_is_a_bad_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:9").await;
    let app = common::app(bridge);
    let (status, _, body) = get(&app, "/odoo/tokeninfo?access_token=a", Some("a")).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:9").await;
    bridge.store.put_token("plain-token-value-xyz", &issued("acme", 120)).await.expect("stored");
    drop(bridge);
    let mut raw = Vec::new();
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let path = entry.expect("entry").path();
        raw.extend(std::fs::read(&path).unwrap_or_default());
    }
    let needle = b"plain-token-value-xyz";
    assert!(!raw.windows(needle.len()).any(|w| w == needle), "the token must not be stored in clear");
}
