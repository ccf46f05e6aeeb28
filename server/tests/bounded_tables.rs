//! Caps on the short-lived tables, through the real router, on SQLite and on PostgreSQL: a flood
//! of Odoo-initiated requests against `max_pending_requests = 5` gets 503 with `Retry-After` and
//! the translated "busy" page, the table never holds more than 5 rows, requests already pending
//! are unaffected, and new ones get in again as soon as rows expire.

mod common;

use common::postgres::TestDb;
use login_bridge::{
    bridge::Bridge,
    flow::LoginTarget,
    store::Bounded,
};
use std::{
    path::Path,
    sync::{
        atomic::{AtomicBool, AtomicI64, Ordering},
        Arc,
    },
    time::Duration,
};

const CAP: i64 = 5;

fn authorize_uri() -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "token")
        .append_pair("client_id", "acme")
        .append_pair("redirect_uri", "http://127.0.0.1:8069/auth_oauth/signin")
        .append_pair("scope", "openid")
        .append_pair("state", r#"{"d": "acme", "p": 4}"#)
        .finish();
    format!("/odoo/authorize?{query}")
}

async fn flood_and_recover(bridge: Arc<Bridge>) {
    let app = common::app(bridge.clone());
    let store = &bridge.store;

    // One real pending request, then four that expire in two seconds: the table is full.
    let (status, headers, _) = common::send(&app, &authorize_uri(), &[]).await;
    assert_eq!(status, 303);
    let pending = headers.get("location").and_then(|v| v.to_str().ok()).and_then(|l| l.strip_prefix("/?pending=")).expect("pending id").to_string();
    let target = LoginTarget::OdooInitiated { odoo_id: "acme".into(), odoo_state: "{}".into(), provider_record: Some(4) };
    for i in 0..4 {
        store.put_odoo_request(&format!("short-{i}"), &target, 2).await.expect("under the cap");
    }

    // The flood, with a watcher counting rows while it runs.
    let flooding = Arc::new(AtomicBool::new(true));
    let highest = Arc::new(AtomicI64::new(0));
    let watcher = {
        let (store, flooding, highest) = (store.clone(), flooding.clone(), highest.clone());
        tokio::spawn(async move {
            while flooding.load(Ordering::Relaxed) {
                highest.fetch_max(store.row_count(Bounded::OdooRequests).await.expect("rows"), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
    };
    let mut requests = tokio::task::JoinSet::new();
    for i in 0..40 {
        let app = app.clone();
        let language = if i % 2 == 0 { "fr" } else { "en" };
        requests.spawn(async move { (language, common::send(&app, &authorize_uri(), &[("Accept-Language", language)]).await) });
    }
    let answers = requests.join_all().await;
    flooding.store(false, Ordering::Relaxed);
    watcher.await.expect("watcher");
    for (language, (status, headers, body)) in &answers {
        assert_eq!(*status, 503, "a full table refuses with 503");
        let retry: u64 = headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).expect("Retry-After in seconds");
        assert!((1..=2).contains(&retry), "Retry-After is when the oldest row expires: {retry}");
        assert!(!headers.contains_key("location"));
        let title = if *language == "fr" { "Le service de connexion est saturé" } else { "The sign-in service is busy" };
        assert!(body.contains(title), "{language} page:\n{body}");
    }
    assert!(highest.load(Ordering::Relaxed) <= CAP, "the table held {} rows during the flood", highest.load(Ordering::Relaxed));
    assert_eq!(store.row_count(Bounded::OdooRequests).await.expect("rows"), CAP);
    assert!(store.odoo_request(&pending).await.expect("read").is_some(), "a request pending before the flood is unaffected");

    // The short rows expire: new requests get in at once (no purge has run), up to the cap.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(common::send(&app, &authorize_uri(), &[]).await.0);
    }
    assert_eq!(statuses, vec![303, 303, 303, 303, 503, 503], "four expired places are reused, then the cap holds");
    assert_eq!(store.row_count(Bounded::OdooRequests).await.expect("rows"), CAP);
    let (_, headers, _) = common::send(&app, &authorize_uri(), &[]).await;
    let retry: u64 = headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).expect("Retry-After");
    assert!((800..=900).contains(&retry), "now the oldest row is the real one (15 minutes): {retry}");
}

/// The cap, and no request limit per address: the whole flood comes from one client.
fn store_keys() -> String {
    format!("max_pending_requests = {CAP}\n[limits]\nper_ip_per_minute = 0")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_is_refused_and_recovers_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("bridge.db");
    let store = format!("url = \"sqlite://{}\"\n{}", db.display(), store_keys());
    flood_and_recover(common::bridge_with_store(dir.path(), &store, "http://127.0.0.1:8069").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_is_refused_and_recovers_on_postgres() {
    let db = TestDb::create().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = format!("url = \"{}\"\n{}", db.url, store_keys());
    let bridge = common::bridge_with_store(dir.path(), &store, "http://127.0.0.1:8069").await;
    flood_and_recover(bridge.clone()).await;
    drop(bridge);
    drop(db);
}

#[test]
fn caps_default_and_are_configurable() {
    let parse = |store: &str| {
        let text = common::config_with_store(store, "http://127.0.0.1:8069");
        login_bridge::config::Config::parse(&text, Path::new("t.toml"), Path::new("."), &common::env)
    };
    let config = parse("url = \"sqlite://x.db\"").expect("valid");
    assert_eq!(config.store.caps, login_bridge::config::StoreCaps::default());
    assert!(config.warnings().is_empty(), "{:?}", config.warnings());
    let config = parse("url = \"sqlite://x.db\"\nmax_pending_requests = 7\nmax_pending_flows = 8\nmax_live_tokens = 0").expect("valid");
    assert_eq!((config.store.caps.pending_requests, config.store.caps.pending_flows, config.store.caps.live_tokens), (7, 8, 0));
    assert!(config.warnings().iter().any(|w| w.contains("max_live_tokens = 0")), "{:?}", config.warnings());
    let error = parse("url = \"sqlite://x.db\"\nmax_pending_flows = -1").map(|_| ()).expect_err("negative caps are refused");
    assert!(error.to_string().contains("expected u32 (line 6"), "{error}");
}
