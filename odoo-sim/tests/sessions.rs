// Owns: tests of session life and death (session info, token-bound sessions, stale-cookie
// logout, portal pages) against transcripts 06-08, 46-66. Loopback only.

mod common;

use common::{execute_kw, http, session_info, start_sim, Harness, API_KEY};
use odoo_sim::Seed;
use serde_json::json;

#[tokio::test]
async fn session_info_of_oauth_session_names_alice_and_resends_cookie() {
    let mut h = Harness::start().await;
    h.check("05").await;
    let ex = h.check("06").await;
    let info = ex.response.json();
    assert_eq!(info["result"]["uid"], 6);
    assert_eq!(info["result"]["username"], "alice@example.com");
    assert_eq!(ex.response.set_session_id(), Some(h.sid("<SESSION_ID_5>")));
}

#[tokio::test]
async fn web_page_after_signin_is_the_web_client_with_deny_framing() {
    let mut h = Harness::start().await;
    h.check("05").await;
    let ex = h.check("07").await;
    assert_eq!(ex.response.header("x-frame-options"), Some("DENY"));
    assert!(ex.response.body.contains("<h1 class=\"o_sim_user\">Logged in as Alice Example (alice@example.com)</h1>"));
}

#[tokio::test]
async fn session_info_without_cookie_is_session_expired_with_null_id() {
    let mut h = Harness::start().await;
    let ex = h.check("08").await;
    let body = ex.response.json();
    assert_eq!(body["id"], serde_json::Value::Null);
    assert_eq!(body["error"]["code"], 100);
    assert_eq!(ex.response.header("x-content-type-options"), None);
}

#[tokio::test]
async fn admin_token_write_expires_sessions_over_jsonrpc() {
    let mut h = Harness::start().await;
    h.check_all(&["46", "47", "48", "49", "50"]).await;
}

#[tokio::test]
async fn jsonrpc_expiry_does_not_destroy_the_session_so_restoring_the_token_revives_it() {
    let mut h = Harness::start().await;
    h.check_all(&["46", "47", "48", "49", "50", "51", "52"]).await;
}

#[tokio::test]
async fn stale_cookie_page_load_logs_out_for_good() {
    let mut h = Harness::start().await;
    h.check_all(&["46", "47", "48", "49", "50", "51", "52", "53"]).await;
    let ex = h.check("54").await;
    assert_eq!(ex.response.header("location"), Some("/web/login?redirect=%2Fodoo%3F"));
    assert!(ex.response.headers_named("set-cookie")[0].starts_with("cids=; "));
    h.check_all(&["55", "56"]).await;
}

#[tokio::test]
async fn same_token_signin_keeps_other_sessions() {
    let mut h = Harness::start().await;
    h.check_all(&["57", "58", "59"]).await;
}

#[tokio::test]
async fn new_token_signin_kills_other_sessions() {
    let mut h = Harness::start().await;
    h.check_all(&["27", "30", "60", "61", "62", "63"]).await;
}

#[tokio::test]
async fn portal_user_session_info_is_not_internal() {
    let mut h = Harness::start().await;
    h.check_all(&["27", "30", "60"]).await;
    let ex = h.check("61").await;
    assert_eq!(ex.response.json()["result"]["is_internal_user"], false);
}

#[tokio::test]
async fn portal_user_on_odoo_goes_to_login_successful_which_names_them() {
    let mut h = Harness::start().await;
    h.check_all(&["27", "30", "64", "65"]).await;
    let ex = h.check("66").await;
    assert!(ex.response.body.contains("You are logged in."));
    assert!(ex.response.body.contains("Logged in as Bob Example (bob@example.com)"));
}

// ------------------------------------------------------------------ beyond the transcripts

async fn alice_session(addr: std::net::SocketAddr) -> String {
    let body = common::rpc_body(json!({"db": "acme", "login": "alice@example.com", "password": "alice"}), 1);
    let r = http(addr, "POST", "/web/session/authenticate", None, Some(&body)).await;
    assert_eq!(r.json()["result"]["uid"], 6);
    r.set_session_id().unwrap_or_else(|| panic!("no session cookie"))
}

#[tokio::test]
async fn internal_user_pages_name_the_user_and_show_the_path() {
    let sim = start_sim(Seed::transcripts()).await;
    let sid = alice_session(sim.addr).await;
    let r = http(sim.addr, "GET", "/odoo/discuss", Some(&sid), None).await;
    assert_eq!(r.status(), 200);
    assert!(r.body.contains("Logged in as Alice Example (alice@example.com)"));
    assert!(r.body.contains("<code>/odoo/discuss</code>"));
}

#[tokio::test]
async fn anonymous_page_load_redirects_to_login_with_quoted_path() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = http(sim.addr, "GET", "/odoo/discuss?x=1", None, None).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.header("location"), Some("/web/login?redirect=%2Fodoo%2Fdiscuss%3Fx%3D1"));
    assert!(r.set_session_id().is_some());
    assert!(!r.headers_named("set-cookie").iter().any(|c| c.starts_with("cids=")));
}

#[tokio::test]
async fn logout_kills_the_session_and_redirects_home() {
    let sim = start_sim(Seed::transcripts()).await;
    let sid = alice_session(sim.addr).await;
    let r = http(sim.addr, "GET", "/web/session/logout", Some(&sid), None).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.header("location"), Some("/odoo"));
    assert_ne!(r.set_session_id(), Some(sid.clone()));
    assert_eq!(session_info(sim.addr, &sid).await["error"]["code"], 100);
}

#[tokio::test]
async fn password_change_and_archiving_kill_sessions() {
    let sim = start_sim(Seed::transcripts()).await;
    let sid = alice_session(sim.addr).await;
    let w = execute_kw(sim.addr, 2, API_KEY, "res.users", "write", json!([[6], {"password": "alice2"}]), json!({})).await;
    assert_eq!(w["result"], true);
    assert_eq!(session_info(sim.addr, &sid).await["error"]["code"], 100);
    let body = common::rpc_body(json!({"db": "acme", "login": "alice@example.com", "password": "alice2"}), 1);
    let sid2 = http(sim.addr, "POST", "/web/session/authenticate", None, Some(&body)).await.set_session_id().unwrap_or_default();
    assert_eq!(session_info(sim.addr, &sid2).await["result"]["uid"], 6);
    execute_kw(sim.addr, 2, API_KEY, "res.users", "write", json!([[6], {"active": false}]), json!({})).await;
    assert_eq!(session_info(sim.addr, &sid2).await["error"]["code"], 100);
}

#[tokio::test]
async fn root_sends_visitors_to_the_web_client_and_names_portal_users() {
    let sim = start_sim(Seed::transcripts()).await;
    let anon = http(sim.addr, "GET", "/", None, None).await;
    assert_eq!(anon.header("location"), Some("/odoo"));
    let body = common::rpc_body(json!({"db": "acme", "login": "bob@example.com", "password": "bob"}), 1);
    let bob = http(sim.addr, "POST", "/web/session/authenticate", None, Some(&body)).await.set_session_id().unwrap_or_default();
    let page = http(sim.addr, "GET", "/", Some(&bob), None).await;
    assert_eq!(page.status(), 200);
    assert!(page.body.contains("Logged in as Bob Example (bob@example.com)"));
}
