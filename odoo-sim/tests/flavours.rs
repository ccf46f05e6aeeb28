// Owns: tests of the public API (seed loading, router/serve on port 0) and of the non-18 Odoo
// flavours (15/16/17 landing pages and subject keys). Loopback only.

mod common;

use common::{http, json_reply, signin_target, start_sim, FakeIdp};
use odoo_sim::Seed;
use serde_json::json;

#[test]
fn seed_from_file_loads_the_committed_transcripts_seed() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/transcripts.json");
    let seed = Seed::from_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(seed.database, "acme");
    assert_eq!(seed.dbfilter.as_deref(), Some("^acme$"));
    let ids: Vec<i64> = seed.users.iter().map(|u| u.id).collect();
    assert_eq!(ids, [2, 6, 7]);
}

#[test]
fn seed_rejects_inconsistent_data() {
    let dup = r#"{"database": "acme", "users": [
        {"id": 2, "login": "a", "name": "A"}, {"id": 3, "login": "a", "name": "B"}]}"#;
    assert!(Seed::from_json_str(dup).is_err());
    let bad_version = r#"{"version": "12.0", "database": "acme", "users": []}"#;
    assert!(Seed::from_json_str(bad_version).is_err());
    let minimal = r#"{"database": "x", "users": [{"id": 2, "login": "admin", "name": "Admin"}]}"#;
    assert!(Seed::from_json_str(minimal).is_ok());
}

#[tokio::test]
async fn router_is_usable_in_process_with_axum_serve() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let app = odoo_sim::router(Seed::transcripts());
    let task = tokio::spawn(async move { axum::serve(listener, app).await });
    let r = http(addr, "GET", "/web/login", None, None).await;
    assert_eq!(r.status(), 200);
    task.abort();
}

async fn flavour(version: &str, replies: Vec<(&str, serde_json::Value)>) -> (common::Sim, FakeIdp) {
    let fake = FakeIdp::start_with(replies.into_iter().map(|(k, v)| (k.to_string(), json_reply(v))).collect()).await;
    let mut seed = common::transcript_seed(&fake);
    seed.version = version.into();
    seed.server_version = None;
    (start_sim(seed).await, fake)
}

#[tokio::test]
async fn odoo_17_lands_on_web_and_has_no_odoo_routes() {
    let (sim, _fake) = flavour("17.0", vec![("t", json!({"sub": "alice-sub"}))]).await;
    let r = http(sim.addr, "GET", &signin_target("t", &json!({"d": "acme", "p": 4})), None, None).await;
    assert_eq!(r.header("location"), Some("/web"));
    let sid = r.set_session_id().unwrap_or_default();
    assert_eq!(http(sim.addr, "GET", "/web", Some(&sid), None).await.status(), 200);
    assert_eq!(http(sim.addr, "GET", "/odoo", Some(&sid), None).await.status(), 404);
    let v = http(sim.addr, "POST", "/jsonrpc", None, Some(&common::rpc_body(json!({"service": "common", "method": "version", "args": []}), 1))).await;
    assert_eq!(v.json()["result"]["server_version_info"], json!([17, 0, 0, "final", 0, ""]));
}

#[tokio::test]
async fn odoo_15_reads_user_id_then_id_as_subject_and_ignores_sub() {
    let (sim, _fake) = flavour(
        "15.0",
        vec![("tsub", json!({"sub": "alice-sub"})), ("tid", json!({"id": "alice-sub"})), ("tuid", json!({"user_id": "alice-sub", "sub": "x"}))],
    )
    .await;
    let go = |t: &'static str| {
        let addr = sim.addr;
        async move { http(addr, "GET", &signin_target(t, &json!({"d": "acme", "p": 4})), None, None).await }
    };
    assert_eq!(go("tsub").await.header("location"), Some("/web/login?oauth_error=2"));
    assert_eq!(go("tid").await.header("location"), Some("/web"));
    assert_eq!(go("tuid").await.header("location"), Some("/web"));
}

#[tokio::test]
async fn odoo_15_ignores_the_authorization_header_parameter() {
    let (sim, fake) = flavour("15.0", vec![("tuid", json!({"user_id": "alice-sub"}))]).await;
    let set = common::execute_kw(sim.addr, 2, common::API_KEY, "ir.config_parameter", "set_param", json!(["auth_oauth.authorization_header", "1"]), json!({})).await;
    assert_eq!(set["result"], false);
    http(sim.addr, "GET", &signin_target("tuid", &json!({"d": "acme", "p": 4})), None, None).await;
    assert_eq!(fake.requests()[0].request_line, "GET /tokeninfo?access_token=tuid HTTP/1.1");
}

#[tokio::test]
async fn odoo_16_uses_the_bearer_header_when_asked() {
    let (sim, fake) = flavour("16.0", vec![("t", json!({"sub": "alice-sub"}))]).await;
    common::execute_kw(sim.addr, 2, common::API_KEY, "ir.config_parameter", "set_param", json!(["auth_oauth.authorization_header", "1"]), json!({})).await;
    let r = http(sim.addr, "GET", &signin_target("t", &json!({"d": "acme", "p": 4})), None, None).await;
    assert_eq!(r.header("location"), Some("/web"));
    assert_eq!(fake.requests()[0].request_line, "GET /tokeninfo HTTP/1.1");
}
