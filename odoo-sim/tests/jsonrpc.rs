// Owns: tests of the external API over `/jsonrpc` and version_info (transcripts 09-13, 21-45):
// envelopes, ORM semantics, access rules, error objects. Loopback only.

mod common;

use common::{execute_kw, http, start_sim, Harness, API_KEY};
use odoo_sim::Seed;
use serde_json::json;

#[tokio::test]
async fn set_param_returns_previous_value_and_false_deletes() {
    let mut h = Harness::start().await;
    h.check_all(&["09", "10", "12", "13"]).await;
}

#[tokio::test]
async fn common_version_reports_odoo_18() {
    let mut h = Harness::start().await;
    h.check("21").await;
}

#[tokio::test]
async fn authenticate_with_api_key_returns_uid() {
    let mut h = Harness::start().await;
    h.check("22").await;
}

#[tokio::test]
async fn authenticate_with_wrong_key_returns_false_not_an_error() {
    let mut h = Harness::start().await;
    h.check("23").await;
}

#[tokio::test]
async fn search_read_users_by_login_reads_provider_as_id_and_name() {
    let mut h = Harness::start().await;
    h.check("24").await;
}

#[tokio::test]
async fn search_read_users_by_email_finds_unlinked_portal_user() {
    let mut h = Harness::start().await;
    h.check("25").await;
}

#[tokio::test]
async fn provider_search_read_lists_all_by_sequence_then_name() {
    let mut h = Harness::start().await;
    h.check("26").await;
}

#[tokio::test]
async fn provider_create_fills_defaults_then_write_and_read_back() {
    let mut h = Harness::start().await;
    h.check_all(&["27", "28", "29"]).await;
}

#[tokio::test]
async fn write_links_user_to_provider_and_reads_back() {
    let mut h = Harness::start().await;
    h.check_all(&["27", "30", "31"]).await;
}

#[tokio::test]
async fn create_users_internal_gets_default_groups_portal_gets_portal_group() {
    let mut h = Harness::start().await;
    h.check_all(&["27", "32", "33", "34", "35"]).await;
}

#[tokio::test]
async fn module_search_read_reports_auth_oauth_installed() {
    let mut h = Harness::start().await;
    h.check("36").await;
}

#[tokio::test]
async fn execute_kw_non_admin_write_is_access_error() {
    let mut h = Harness::start().await;
    h.check("37").await;
}

#[tokio::test]
async fn execute_kw_non_admin_reads_tokens_masked() {
    let mut h = Harness::start().await;
    h.check("38").await;
}

#[tokio::test]
async fn execute_kw_search_by_token_is_invalid_search_criterion() {
    let mut h = Harness::start().await;
    h.check("39").await;
}

#[tokio::test]
async fn execute_kw_wrong_key_is_access_denied() {
    let mut h = Harness::start().await;
    h.check("40").await;
}

#[tokio::test]
async fn execute_kw_unknown_method_is_attribute_error() {
    let mut h = Harness::start().await;
    h.check("41").await;
}

#[tokio::test]
async fn execute_kw_unknown_model_is_user_error() {
    let mut h = Harness::start().await;
    h.check("42").await;
}

#[tokio::test]
async fn execute_kw_unknown_domain_field_is_value_error() {
    let mut h = Harness::start().await;
    h.check("43").await;
}

#[tokio::test]
async fn jsonrpc_invalid_json_is_http_400() {
    let mut h = Harness::start().await;
    h.check("44").await;
}

#[tokio::test]
async fn webclient_version_info_sets_anonymous_cookie() {
    let mut h = Harness::start().await;
    h.check("45").await;
}

#[tokio::test]
async fn admin_writes_token_and_reads_it_in_clear() {
    let mut h = Harness::start().await;
    h.check_all(&["48", "49"]).await;
}

// ------------------------------------------------------------------ beyond the transcripts

#[tokio::test]
async fn write_enforces_unique_oauth_uid_per_provider() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = execute_kw(sim.addr, 2, API_KEY, "res.users", "write", json!([[7], {"oauth_provider_id": 4, "oauth_uid": "alice-sub"}]), json!({})).await;
    assert_eq!(r["error"]["data"]["name"], "odoo.exceptions.ValidationError");
    assert_eq!(r["error"]["data"]["message"], "The operation cannot be completed: OAuth UID must be unique per provider");
    let same_uid_other_provider = execute_kw(sim.addr, 2, API_KEY, "res.users", "write", json!([[7], {"oauth_provider_id": 1, "oauth_uid": "alice-sub"}]), json!({})).await;
    assert_eq!(same_uid_other_provider["result"], true);
    let dup_login = execute_kw(sim.addr, 2, API_KEY, "res.users", "create", json!([{"name": "X", "login": "admin"}]), json!({})).await;
    assert_eq!(dup_login["error"]["data"]["name"], "odoo.exceptions.ValidationError");
}

async fn logins(addr: std::net::SocketAddr, domain: serde_json::Value, kwargs: serde_json::Value) -> Vec<String> {
    let mut kw = json!({"fields": ["login"]});
    if let (Some(k), Some(extra)) = (kw.as_object_mut(), kwargs.as_object()) {
        k.extend(extra.clone());
    }
    let r = execute_kw(addr, 2, API_KEY, "res.users", "search_read", json!([domain]), kw).await;
    r["result"]
        .as_array()
        .unwrap_or_else(|| panic!("no result: {r}"))
        .iter()
        .map(|u| u["login"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn domains_support_odoo_operators_and_prefix_notation() {
    let sim = start_sim(Seed::transcripts()).await;
    let a = sim.addr;
    assert_eq!(logins(a, json!(["|", ["login", "=", "admin"], ["email", "ilike", "BOB@"]]), json!({})).await, ["admin", "bob@example.com"]);
    assert_eq!(logins(a, json!([["email", "=ilike", "%@EXAMPLE.com"], ["share", "=", false]]), json!({})).await, ["admin", "alice@example.com"]);
    assert_eq!(logins(a, json!([["id", "in", [6, 7]]]), json!({"order": "id desc"})).await, ["bob@example.com", "alice@example.com"]);
    assert_eq!(logins(a, json!([["id", "not in", [6, 7]]]), json!({})).await, ["admin"]);
    assert_eq!(logins(a, json!([["oauth_provider_id", "!=", false]]), json!({})).await, ["alice@example.com"]);
    assert_eq!(logins(a, json!(["!", ["oauth_uid", "=", false]]), json!({})).await, ["alice@example.com"]);
    assert_eq!(logins(a, json!([["groups_id", "in", [10]]]), json!({})).await, ["bob@example.com"]);
    assert_eq!(logins(a, json!([]), json!({"limit": 1, "offset": 1, "order": "login"})).await, ["alice@example.com"]);
}

#[tokio::test]
async fn archived_users_are_hidden_unless_the_domain_asks_for_active() {
    let sim = start_sim(Seed::transcripts()).await;
    execute_kw(sim.addr, 2, API_KEY, "res.users", "write", json!([[7], {"active": false}]), json!({})).await;
    assert_eq!(logins(sim.addr, json!([["login", "=", "bob@example.com"]]), json!({})).await, Vec::<String>::new());
    assert_eq!(logins(sim.addr, json!([["login", "=", "bob@example.com"], ["active", "=", false]]), json!({})).await, ["bob@example.com"]);
    assert_eq!(logins(sim.addr, json!([["login", "=", "bob@example.com"]]), json!({"context": {"active_test": false}})).await, ["bob@example.com"]);
    let auth = http(sim.addr, "POST", "/jsonrpc", None, Some(&common::rpc_body(json!({"service": "common", "method": "authenticate", "args": ["acme", "bob@example.com", "bob", {}]}), 3))).await;
    assert_eq!(auth.json()["result"], false, "archived users cannot log in");
}

#[tokio::test]
async fn read_of_missing_record_is_missing_error() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = execute_kw(sim.addr, 2, API_KEY, "res.users", "read", json!([[99], ["login"]]), json!({})).await;
    assert_eq!(r["error"]["data"]["name"], "odoo.exceptions.MissingError");
    assert_eq!(r["error"]["data"]["message"], "Record does not exist or has been deleted.\n(Record: res.users(99,), User: 2)");
}

#[tokio::test]
async fn non_admin_cannot_touch_providers_or_parameters() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = execute_kw(sim.addr, 6, "alice", "auth.oauth.provider", "search_read", json!([[]]), json!({})).await;
    assert_eq!(r["error"]["data"]["name"], "odoo.exceptions.AccessError");
    let r = execute_kw(sim.addr, 6, "alice", "ir.config_parameter", "get_param", json!(["web.base.url"]), json!({})).await;
    assert_eq!(r["error"]["data"]["name"], "odoo.exceptions.AccessError");
    let own = execute_kw(sim.addr, 6, "alice", "res.users", "write", json!([[6], {"name": "Alice E."}]), json!({})).await;
    assert_eq!(own["result"], true, "users may rename themselves");
}

#[tokio::test]
async fn provider_unlink_unlinks_its_users() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = execute_kw(sim.addr, 2, API_KEY, "auth.oauth.provider", "unlink", json!([[4]]), json!({})).await;
    assert_eq!(r["result"], true);
    let u = execute_kw(sim.addr, 2, API_KEY, "res.users", "read", json!([[6], ["oauth_provider_id", "oauth_uid"]]), json!({})).await;
    assert_eq!(u["result"][0]["oauth_provider_id"], false);
    assert_eq!(u["result"][0]["oauth_uid"], "alice-sub");
}

#[tokio::test]
async fn unknown_route_is_404() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = http(sim.addr, "GET", "/no/such/page", None, None).await;
    assert_eq!(r.start, "HTTP/1.1 404 NOT FOUND");
    assert!(r.body.contains("<title>404 Not Found</title>"));
}

#[tokio::test]
async fn jsonrpc_echoes_string_ids_and_sets_no_cookie() {
    let sim = start_sim(Seed::transcripts()).await;
    let body = r#"{"jsonrpc": "2.0", "method": "call", "params": {"service": "common", "method": "version", "args": []}, "id": "abc"}"#;
    let r = http(sim.addr, "POST", "/jsonrpc", None, Some(body)).await;
    assert_eq!(r.json()["id"], "abc");
    assert!(r.header("set-cookie").is_none());
}
