// Owns: tests of a database whose plan has no external API (Odoo Online without "Custom"): RPC and
// JSON-2 refused, sign-in and sessions unaffected. Loopback only.

mod common;

use common::{execute_kw, http, json2, json_reply, odoo_19_seed, rpc_body, session_info, signin_target, start_sim, FakeIdp, API_KEY};
use odoo_sim::Seed;
use serde_json::json;

const PLAN: &str = "not available on this Odoo plan";

fn without_api(mut seed: Seed) -> Seed {
    seed.external_api = false;
    seed
}

#[tokio::test]
async fn without_external_api_jsonrpc_authenticate_and_execute_kw_are_access_denied() {
    let sim = start_sim(without_api(Seed::transcripts())).await;
    let auth = http(sim.addr, "POST", "/jsonrpc", None, Some(&rpc_body(json!({"service": "common", "method": "authenticate", "args": ["acme", "admin", API_KEY, {}]}), 1))).await;
    let error = &auth.json()["error"];
    assert_eq!(error["code"], 200);
    assert_eq!(error["data"]["name"], "odoo.exceptions.AccessDenied");
    assert!(error["data"]["message"].as_str().is_some_and(|m| m.contains(PLAN)), "{error}");
    let r = execute_kw(sim.addr, 2, API_KEY, "res.users", "search_read", json!([[]]), json!({})).await;
    assert_eq!(r["error"]["data"]["name"], "odoo.exceptions.AccessDenied");
    assert!(r["error"]["data"]["message"].as_str().is_some_and(|m| m.contains(PLAN)));
    let version = http(sim.addr, "POST", "/jsonrpc", None, Some(&rpc_body(json!({"service": "common", "method": "version", "args": []}), 2))).await;
    assert_eq!(version.json()["result"]["server_serie"], "18.0", "the version stays readable");
}

#[tokio::test]
async fn without_external_api_json2_is_403() {
    let sim = start_sim(without_api(odoo_19_seed())).await;
    let r = json2(sim.addr, "res.users", "search", Some(API_KEY), Some("acme"), &json!({"domain": []})).await;
    assert_eq!(r.start, "HTTP/1.1 403 FORBIDDEN");
    let body = r.json();
    assert_eq!(body["name"], "odoo.exceptions.AccessDenied");
    assert!(body["message"].as_str().is_some_and(|m| m.contains(PLAN)), "{body}");
    let jsonrpc = execute_kw(sim.addr, 2, API_KEY, "res.users", "search", json!([[]]), json!({})).await;
    assert_eq!(jsonrpc["error"]["data"]["name"], "odoo.exceptions.AccessDenied");
}

#[tokio::test]
async fn without_external_api_signin_and_sessions_keep_working() {
    let fake = FakeIdp::start_with([("tok-plan".to_string(), json_reply(json!({"sub": "alice-sub", "id": "alice-sub", "user_id": "alice-sub"})))].into()).await;
    let mut seed = without_api(Seed::transcripts());
    if let Some(p) = seed.provider_mut(4) {
        p.validation_endpoint = fake.url();
    }
    let sim = start_sim(seed).await;
    let signin = http(sim.addr, "GET", &signin_target("tok-plan", &json!({"d": "acme", "p": 4})), None, None).await;
    assert_eq!(signin.status(), 303);
    assert_eq!(signin.header("location"), Some("/odoo"));
    let sid = signin.set_session_id().unwrap_or_default();
    assert_eq!(session_info(sim.addr, &sid).await["result"]["uid"], 6);
    let page = http(sim.addr, "GET", "/odoo", Some(&sid), None).await;
    assert_eq!(page.status(), 200);
    let login = http(sim.addr, "POST", "/web/session/authenticate", None, Some(&rpc_body(json!({"db": "acme", "login": "admin", "password": "admin"}), 1))).await;
    assert_eq!(login.json()["result"]["uid"], 2);
}
