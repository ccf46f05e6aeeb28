//! The authorize checks and the state/cookie binding, through the real router.

mod common;

use login_bridge::flow::{LoginTarget, PendingFlow};

async fn send(app: &axum::Router, uri: &str, cookie: Option<&str>) -> (u16, axum::http::HeaderMap, String) {
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("Cookie", c)).into_iter().collect();
    common::send(app, uri, &headers).await
}

fn bridge_initiated_flow() -> PendingFlow {
    PendingFlow {
        provider_id: "devidp".into(),
        pkce_verifier: "v".into(),
        nonce: Some("n".into()),
        target: LoginTarget::BridgeInitiated { odoo_id: "acme".into(), return_to: None },
        lang: None,
        started_at_ms: None,
        correlation_id: None,
    }
}

fn authorize_uri(redirect_uri: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "token")
        .append_pair("client_id", "acme")
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", "openid")
        .append_pair("state", r#"{"d": "acme", "p": 4}"#)
        .finish();
    format!("/odoo/authorize?{query}")
}

#[tokio::test]
async fn authorize_refuses_a_foreign_redirect_uri_with_a_page_and_no_redirect() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::app(common::bridge(dir.path(), "http://127.0.0.1:8069").await);
    for bad in ["http://127.0.0.1:8069/auth_oauth/signin/x", "https://evil.example/auth_oauth/signin", "http://127.0.0.1:8069/auth_oauth/signin?next=x"] {
        let (status, headers, body) = send(&app, &authorize_uri(bad), None).await;
        assert_eq!(status, 400, "{bad}");
        assert!(!headers.contains_key("location"), "{bad} must not redirect");
        assert!(body.contains("This sign-in request is not valid"));
        assert!(!body.contains("evil.example"), "the page must not echo the attacker's URL");
    }
}

#[tokio::test]
async fn authorize_without_provider_keeps_the_request_and_shows_the_picker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::app(common::bridge(dir.path(), "http://127.0.0.1:8069").await);
    let (status, headers, _) = send(&app, &authorize_uri("http://127.0.0.1:8069/auth_oauth/signin"), None).await;
    assert_eq!(status, 303);
    let location = headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(location.starts_with("/?pending="), "{location}");
    assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
}

#[tokio::test]
async fn callback_without_the_flow_cookie_is_refused_and_keeps_the_flow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:8069").await;
    let flow = bridge_initiated_flow();
    bridge.store.put_flow("state-abc", &flow, 600).await.expect("flow stored");
    let app = common::app(bridge.clone());

    let (status, _, body) = send(&app, "/callback/devidp?state=state-abc&code=c", None).await;
    assert_eq!(status, 400);
    assert!(body.contains("Your sign-in expired"));
    let (status, _, _) = send(&app, "/callback/devidp?state=state-abc&code=c", Some("lb_flow=another-state")).await;
    assert_eq!(status, 400);
    // Refusals must not burn the flow: the right browser can still finish it.
    assert_eq!(bridge.store.take_flow("state-abc").await.expect("store"), Some(flow));
}

#[tokio::test]
async fn a_flow_finishes_at_most_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:8069").await;
    let flow = bridge_initiated_flow();
    bridge.store.put_flow("state-once", &flow, 600).await.expect("stored");
    assert!(bridge.store.take_flow("state-once").await.expect("store").is_some());
    assert!(bridge.store.take_flow("state-once").await.expect("store").is_none());
    bridge.store.put_flow("state-old", &flow, -1).await.expect("stored");
    assert!(bridge.store.take_flow("state-old").await.expect("store").is_none(), "expired flows never finish");
}

#[tokio::test]
async fn login_start_refuses_a_return_to_outside_odoo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::app(common::bridge(dir.path(), "http://127.0.0.1:8069").await);
    for bad in ["https://evil.example/", "//evil.example/x", "/\\evil.example"] {
        let uri = format!("/login/devidp?odoo=acme&return_to={}", url::form_urlencoded::byte_serialize(bad.as_bytes()).collect::<String>());
        let (status, headers, _) = send(&app, &uri, None).await;
        assert_eq!(status, 400, "{bad}");
        assert!(!headers.contains_key("location"));
    }
}

#[tokio::test]
async fn health_answers_ok_and_pages_carry_security_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::app(common::bridge(dir.path(), "http://127.0.0.1:8069").await);
    let (status, headers, body) = send(&app, "/healthz", None).await;
    assert_eq!(status, 200);
    assert_eq!(body, r#"{"status":"ok"}"#);
    assert_eq!(headers.get("referrer-policy").and_then(|v| v.to_str().ok()), Some("no-referrer"));
    assert!(headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn expired_rows_are_purged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:8069").await;
    let flow = bridge_initiated_flow();
    bridge.store.put_flow("old", &flow, -1).await.expect("stored");
    bridge.store.put_flow("live", &flow, 600).await.expect("stored");
    bridge.store.put_odoo_request("old-request", &flow.target, -1).await.expect("stored");
    assert_eq!(bridge.store.purge_expired().await.expect("purge"), 2);
    assert!(bridge.store.take_flow("live").await.expect("store").is_some(), "live flows survive the purge");
}
