// Owns: tests of the Odoo 19 flavour's JSON-2 API (`POST /json/2/<model>/<method>`): bearer API
// keys, database selection, named arguments, HTTP-status errors, and 19's version answers. Loopback only.

mod common;

use common::{execute_kw, http, http_with, json2, json_reply, odoo_19_seed, rpc_body, session_info, signin_target, start_sim, FakeIdp, API_KEY};
use odoo_sim::Seed;
use serde_json::{json, Value};

const ALICE_KEY: &str = "alice-api-key";

/// The transcripts' setup as Odoo 19, Alice with an API key of her own.
fn seed_19() -> Seed {
    let mut seed = odoo_19_seed();
    if let Some(alice) = seed.user_mut(6) {
        alice.api_keys = vec![ALICE_KEY.into()];
    }
    seed
}

fn assert_error_body(r: &common::RawMessage, status: u16, name: &str, message: &str) {
    assert_eq!(r.status(), status, "status of {}", r.body);
    let body = r.json();
    assert_eq!(body["name"], name, "{body}");
    assert_eq!(body["message"], message, "{body}");
    assert_eq!(body["context"], json!({}));
    let class = name.rsplit('.').next().unwrap_or(name);
    assert!(body["debug"].as_str().is_some_and(|d| d.starts_with("Traceback") && d.contains(class)), "debug names the class: {body}");
    let keys: Vec<&str> = body.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(keys.len(), 5, "name, message, arguments, context, debug: {body}");
}

#[tokio::test]
async fn json2_search_read_answers_the_bare_result_with_http_200() {
    let sim = start_sim(seed_19()).await;
    let r = json2(sim.addr, "res.users", "search_read", Some(API_KEY), Some("acme"), &json!({
        "domain": [["login", "=", "alice@example.com"]], "fields": ["login", "oauth_uid"], "limit": 5, "offset": 0, "order": "id"
    }))
    .await;
    assert_eq!(r.start, "HTTP/1.1 200 OK");
    assert_eq!(r.header("content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(r.json(), json!([{"id": 6, "login": "alice@example.com", "oauth_uid": "alice-sub"}]));
    assert!(r.header("set-cookie").is_none(), "JSON-2 is stateless");
}

#[tokio::test]
async fn json2_bearer_scheme_is_case_insensitive_and_the_database_header_optional_with_one_database() {
    let sim = start_sim(seed_19()).await;
    let body = json!({"domain": [["id", "=", 2]]}).to_string();
    for (auth, db) in [("bearer sim-admin-api-key", None), ("Bearer sim-admin-api-key", Some("acme")), ("BEARER sim-admin-api-key", None)] {
        let mut headers = vec![("Authorization", auth)];
        if let Some(d) = db {
            headers.push(("X-Odoo-Database", d));
        }
        let r = http_with(sim.addr, "POST", "/json/2/res.users/search", None, &headers, Some(&body)).await;
        assert_eq!((r.status(), r.json()), (200, json!([2])), "{auth} / {db:?}");
    }
}

#[tokio::test]
async fn json2_wrong_or_missing_key_is_401_invalid_apikey() {
    let sim = start_sim(seed_19()).await;
    let body = json!({"domain": []});
    let wrong = json2(sim.addr, "res.users", "search", Some("not-a-key"), Some("acme"), &body).await;
    assert_eq!(wrong.start, "HTTP/1.1 401 UNAUTHORIZED");
    assert_error_body(&wrong, 401, "werkzeug.exceptions.Unauthorized", "Invalid apikey");
    assert_eq!(wrong.json()["arguments"], json!(["Invalid apikey", 401]));
    assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
    let password = json2(sim.addr, "res.users", "search", Some("admin"), None, &body).await;
    assert_error_body(&password, 401, "werkzeug.exceptions.Unauthorized", "Invalid apikey");
    let missing = json2(sim.addr, "res.users", "search", None, None, &body).await;
    assert_error_body(&missing, 401, "werkzeug.exceptions.Unauthorized", "User not authenticated, use the \"Authorization\" header");
}

#[tokio::test]
async fn json2_archived_users_keys_are_invalid() {
    let sim = start_sim(seed_19()).await;
    let r = json2(sim.addr, "res.users", "write", Some(API_KEY), None, &json!({"ids": [6], "vals": {"active": false}})).await;
    assert_eq!(r.json(), json!(true));
    let r = json2(sim.addr, "res.users", "search", Some(ALICE_KEY), None, &json!({"domain": []})).await;
    assert_error_body(&r, 401, "werkzeug.exceptions.Unauthorized", "Invalid apikey");
}

#[tokio::test]
async fn json2_needs_the_database_header_when_the_dbfilter_lets_several_databases_through() {
    let mut seed = seed_19();
    seed.dbfilter = Some("^acme".into());
    seed.other_databases = vec!["acme-staging".into(), "other".into()];
    let sim = start_sim(seed).await;
    let body = json!({"domain": [["id", "=", 2]]});
    let without = json2(sim.addr, "res.users", "search", Some(API_KEY), None, &body).await;
    assert_eq!(without.start, "HTTP/1.1 404 NOT FOUND", "no database: no JSON-2 route");
    assert!(without.body.contains("<title>404 Not Found</title>"));
    let with = json2(sim.addr, "res.users", "search", Some(API_KEY), Some("acme"), &body).await;
    assert_eq!((with.status(), with.json()), (200, json!([2])));
    let staging = json2(sim.addr, "res.users", "search", Some(API_KEY), Some("acme-staging"), &body).await;
    assert_error_body(&staging, 401, "werkzeug.exceptions.Unauthorized", "Invalid apikey");
    let filtered_out = json2(sim.addr, "res.users", "search", Some(API_KEY), Some("other"), &body).await;
    assert_eq!(filtered_out.status(), 404);
    let unknown = json2(sim.addr, "res.users", "search", Some(API_KEY), Some("acme-nope"), &body).await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn json2_create_write_read_search_unlink_take_named_arguments() {
    let sim = start_sim(seed_19()).await;
    let a = sim.addr;
    let call = |model: &'static str, method: &'static str, body: Value| async move {
        let r = json2(a, model, method, Some(API_KEY), Some("acme"), &body).await;
        assert_eq!(r.status(), 200, "{model}.{method}: {}", r.body);
        r.json()
    };
    let created = call("res.users", "create", json!({"vals_list": [{"name": "Carol", "login": "carol@example.com"}], "context": {"no_reset_password": true}})).await;
    assert_eq!(created, json!([8]));
    let single = call("res.users", "create", json!({"vals_list": {"name": "Dan", "login": "dan@example.com"}})).await;
    assert_eq!(single, json!([9]), "create always answers a list of ids");
    assert_eq!(call("res.users", "write", json!({"ids": [8], "vals": {"name": "Carol C.", "email": "carol@example.com"}})).await, json!(true));
    assert_eq!(
        call("res.users", "read", json!({"ids": [8], "fields": ["name", "email"]})).await,
        json!([{"id": 8, "name": "Carol C.", "email": "carol@example.com"}])
    );
    assert_eq!(call("res.users", "search", json!({"domain": [["login", "like", "example.com"]], "limit": 2, "order": "id desc"})).await, json!([9, 8]));
    assert_eq!(call("res.users", "search_count", json!({"domain": [["share", "=", false]]})).await, json!(4));
    assert_eq!(call("res.users", "unlink", json!({"ids": [8, 9]})).await, json!(true));
    let gone = json2(a, "res.users", "read", Some(API_KEY), None, &json!({"ids": [8], "fields": ["name"]})).await;
    assert_error_body(&gone, 404, "odoo.exceptions.MissingError", "Record does not exist or has been deleted.\n(Record: res.users(8,), User: 2)");
}

#[tokio::test]
async fn json2_context_reaches_the_orm() {
    let sim = start_sim(seed_19()).await;
    json2(sim.addr, "res.users", "write", Some(API_KEY), None, &json!({"ids": [7], "vals": {"active": false}})).await;
    let body = |ctx: Value| json!({"domain": [["login", "=", "bob@example.com"]], "context": ctx});
    let hidden = json2(sim.addr, "res.users", "search", Some(API_KEY), None, &body(json!({}))).await;
    assert_eq!(hidden.json(), json!([]));
    let shown = json2(sim.addr, "res.users", "search", Some(API_KEY), None, &body(json!({"active_test": false}))).await;
    assert_eq!(shown.json(), json!([7]));
}

#[tokio::test]
async fn json2_get_param_and_set_param_take_key_and_value() {
    let sim = start_sim(seed_19()).await;
    let key = "auth_oauth.authorization_header";
    let set = json2(sim.addr, "ir.config_parameter", "set_param", Some(API_KEY), None, &json!({"key": key, "value": "1"})).await;
    assert_eq!((set.status(), set.json()), (200, json!(false)), "previous value");
    let get = json2(sim.addr, "ir.config_parameter", "get_param", Some(API_KEY), None, &json!({"key": key})).await;
    assert_eq!(get.json(), json!("1"));
    let unset = json2(sim.addr, "ir.config_parameter", "set_param", Some(API_KEY), None, &json!({"key": key, "value": false})).await;
    assert_eq!(unset.json(), json!("1"));
    let default = json2(sim.addr, "ir.config_parameter", "get_param", Some(API_KEY), None, &json!({"key": key, "default": "0"})).await;
    assert_eq!(default.json(), json!("0"));
}

#[tokio::test]
async fn json2_odoo_exceptions_answer_their_http_status() {
    let sim = start_sim(seed_19()).await;
    let a = sim.addr;
    let forbidden = json2(a, "res.users", "write", Some(ALICE_KEY), None, &json!({"ids": [7], "vals": {"oauth_uid": "x"}})).await;
    assert_eq!(forbidden.start, "HTTP/1.1 403 FORBIDDEN");
    assert_error_body(&forbidden, 403, "odoo.exceptions.AccessError", "You are not allowed to modify 'User' (res.users) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary.");
    assert_eq!(forbidden.json()["arguments"], json!([forbidden.json()["message"]]));
    let settings_only = json2(a, "ir.config_parameter", "get_param", Some(ALICE_KEY), None, &json!({"key": "web.base.url"})).await;
    assert_eq!(settings_only.json()["name"], "odoo.exceptions.AccessError");
    let own_name = json2(a, "res.users", "write", Some(ALICE_KEY), None, &json!({"ids": [6], "vals": {"name": "Alice E."}})).await;
    assert_eq!(own_name.json(), json!(true), "users may rename themselves");
    let duplicate = json2(a, "res.users", "create", Some(API_KEY), None, &json!({"vals_list": [{"name": "X", "login": "admin"}]})).await;
    assert_eq!(duplicate.start, "HTTP/1.1 422 UNPROCESSABLE ENTITY");
    assert_error_body(&duplicate, 422, "odoo.exceptions.ValidationError", "The operation cannot be completed: You can not have two users with the same login!");
    let bad_field = json2(a, "res.users", "search", Some(API_KEY), None, &json!({"domain": [["nope", "=", 1]]})).await;
    assert_error_body(&bad_field, 500, "builtins.ValueError", "Invalid field res.users.nope in leaf ('nope', '=', 1)");
    let token_search = json2(a, "res.users", "search", Some(ALICE_KEY), None, &json!({"domain": [["oauth_access_token", "=", "x"]]})).await;
    assert_error_body(&token_search, 403, "odoo.exceptions.AccessError", "Invalid search criterion");
    let private = json2(a, "res.users", "_check_credentials", Some(API_KEY), None, &json!({})).await;
    assert_error_body(&private, 403, "odoo.exceptions.AccessError", "Private methods (such as 'res.users._check_credentials') cannot be called remotely.");
    let admin = json2(a, "res.users", "unlink", Some(API_KEY), None, &json!({"ids": [2]})).await;
    assert_eq!((admin.status(), admin.json()["name"].clone()), (422, json!("odoo.exceptions.UserError")));
}

#[tokio::test]
async fn json2_unknown_model_or_method_is_404_and_bad_arguments_422() {
    let sim = start_sim(seed_19()).await;
    let a = sim.addr;
    let model = json2(a, "x.nothing", "search", Some(API_KEY), None, &json!({"domain": []})).await;
    assert_error_body(&model, 404, "werkzeug.exceptions.NotFound", "the model 'x.nothing' does not exist");
    assert_eq!(model.json()["arguments"], json!(["the model 'x.nothing' does not exist", 404]));
    let method = json2(a, "res.users", "frobnicate", Some(API_KEY), None, &json!({})).await;
    assert_error_body(&method, 404, "werkzeug.exceptions.NotFound", "The method 'res.users.frobnicate' does not exist");
    let with_ids = json2(a, "res.users", "create", Some(API_KEY), None, &json!({"ids": [2], "vals_list": [{}]})).await;
    assert_error_body(&with_ids, 422, "werkzeug.exceptions.UnprocessableEntity", "cannot call res.users.create with ids");
    let missing = json2(a, "res.users", "write", Some(API_KEY), None, &json!({"ids": [2]})).await;
    assert_error_body(&missing, 422, "werkzeug.exceptions.UnprocessableEntity", "missing a required argument: 'vals'");
    let unexpected = json2(a, "res.users", "search", Some(API_KEY), None, &json!({"domain": [], "fields": ["login"]})).await;
    assert_error_body(&unexpected, 422, "werkzeug.exceptions.UnprocessableEntity", "got an unexpected keyword argument 'fields'");
    let get = http_with(a, "GET", "/json/2/res.users/search", None, &[("Authorization", "bearer sim-admin-api-key")], None).await;
    assert_error_body(&get, 404, "werkzeug.exceptions.NotFound", "Did you mean POST /json/2/<model>/<method>?");
    let root = http_with(a, "POST", "/json/2", None, &[], Some("{}")).await;
    assert_eq!(root.json()["message"], "Did you mean POST /json/2/<model>/<method>?");
}

#[tokio::test]
async fn json2_invalid_json_is_400_after_the_key_check() {
    let sim = start_sim(seed_19()).await;
    let auth = [("Authorization", "bearer sim-admin-api-key")];
    let bad = http_with(sim.addr, "POST", "/json/2/res.users/search", None, &auth, Some("{nope")).await;
    assert_eq!(bad.start, "HTTP/1.1 400 BAD REQUEST");
    assert_eq!(bad.json()["name"], "werkzeug.exceptions.BadRequest");
    assert!(bad.json()["message"].as_str().is_some_and(|m| m.starts_with("could not parse the body as json: ")), "{}", bad.body);
    let list = http_with(sim.addr, "POST", "/json/2/res.users/search", None, &auth, Some("[1]")).await;
    assert_error_body(&list, 400, "werkzeug.exceptions.BadRequest", "could not parse the body, expecting a json object");
    let unauthenticated = http_with(sim.addr, "POST", "/json/2/res.users/search", None, &[], Some("{nope")).await;
    assert_eq!(unauthenticated.status(), 401, "the key is checked before the body is read");
}

#[tokio::test]
async fn json2_write_of_oauth_access_token_kills_the_users_sessions() {
    let fake = FakeIdp::start_with([("tok-19".to_string(), json_reply(json!({"sub": "alice-sub", "id": "alice-sub", "user_id": "alice-sub"})))].into()).await;
    let mut seed = seed_19();
    if let Some(p) = seed.provider_mut(4) {
        p.validation_endpoint = fake.url();
    }
    let sim = start_sim(seed).await;
    let signin = http(sim.addr, "GET", &signin_target("tok-19", &json!({"d": "acme", "p": 4})), None, None).await;
    assert_eq!(signin.header("location"), Some("/odoo"));
    let sid = signin.set_session_id().unwrap_or_default();
    assert_eq!(session_info(sim.addr, &sid).await["result"]["uid"], 6);
    let read = json2(sim.addr, "res.users", "read", Some(API_KEY), None, &json!({"ids": [6], "fields": ["oauth_access_token"]})).await;
    assert_eq!(read.json(), json!([{"id": 6, "oauth_access_token": "tok-19"}]), "admins read tokens in clear");
    let masked = json2(sim.addr, "res.users", "read", Some(ALICE_KEY), None, &json!({"ids": [6], "fields": ["oauth_access_token"]})).await;
    assert_eq!(masked.json(), json!([{"id": 6, "oauth_access_token": "********"}]));
    let write = json2(sim.addr, "res.users", "write", Some(API_KEY), None, &json!({"ids": [6], "vals": {"oauth_access_token": "revoked-1"}})).await;
    assert_eq!(write.json(), json!(true));
    assert_eq!(session_info(sim.addr, &sid).await["error"]["code"], 100, "the old session is expired");
}

#[tokio::test]
async fn json2_refuses_an_api_key_of_another_user_than_the_session() {
    let sim = start_sim(seed_19()).await;
    let login = http(sim.addr, "POST", "/web/session/authenticate", None, Some(&rpc_body(json!({"db": "acme", "login": "alice@example.com", "password": "alice"}), 1))).await;
    let sid = login.set_session_id().unwrap_or_default();
    let auth = [("Authorization", "bearer sim-admin-api-key")];
    let r = http_with(sim.addr, "POST", "/json/2/res.users/search", Some(&sid), &auth, Some(r#"{"domain": []}"#)).await;
    assert_error_body(&r, 403, "odoo.exceptions.AccessDenied", "Session user does not match the used apikey");
}

#[tokio::test]
async fn odoo_19_reports_its_version_and_keeps_the_deprecated_jsonrpc() {
    let sim = start_sim(seed_19()).await;
    let info = http(sim.addr, "POST", "/web/webclient/version_info", None, Some(&rpc_body(json!({}), 1))).await;
    let result = &info.json()["result"];
    assert_eq!(result["server_version"], "19.0-20251001");
    assert_eq!(result["server_version_info"], json!([19, 0, 0, "final", 0, ""]));
    assert_eq!(result["server_serie"], "19.0");
    let version = http(sim.addr, "POST", "/jsonrpc", None, Some(&rpc_body(json!({"service": "common", "method": "version", "args": []}), 1))).await;
    assert_eq!(version.json()["result"]["server_version"], "19.0-20251001");
    let auth = http(sim.addr, "POST", "/jsonrpc", None, Some(&rpc_body(json!({"service": "common", "method": "authenticate", "args": ["acme", "admin", API_KEY, {}]}), 2))).await;
    assert_eq!(auth.json()["result"], 2);
    let r = execute_kw(sim.addr, 2, API_KEY, "res.users", "search_read", json!([[["id", "=", 7]]]), json!({"fields": ["login", "share"]})).await;
    assert_eq!(r["result"], json!([{"id": 7, "login": "bob@example.com", "share": true}]));
}

#[tokio::test]
async fn odoo_18_has_no_json2_api() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = json2(sim.addr, "res.users", "search_read", Some(API_KEY), Some("acme"), &json!({"domain": []})).await;
    assert_eq!(r.start, "HTTP/1.1 404 NOT FOUND");
    assert!(r.body.contains("<title>404 Not Found</title>"), "{}", r.body);
    let bare = http(sim.addr, "GET", "/json/2", None, None).await;
    assert_eq!(bare.status(), 404);
}
