// Owns: tests of XML ids (`ir.model.data`) and of group changes on users (x2many commands,
// `share`, demotion, Odoo 19's `group_ids`/`all_group_ids`). Loopback only.

mod common;

use common::{execute_kw, json2, odoo_19_seed, start_sim, API_KEY};
use odoo_sim::{Seed, SeedGroup};
use serde_json::{json, Value};
use std::net::SocketAddr;

async fn ok(addr: SocketAddr, model: &str, method: &str, args: Value, kwargs: Value) -> Value {
    let r = execute_kw(addr, 2, API_KEY, model, method, args, kwargs).await;
    match r.get("result") {
        Some(v) => v.clone(),
        None => panic!("{model}.{method} failed: {r}"),
    }
}

async fn groups_and_share(addr: SocketAddr, uid: i64) -> (Value, Value) {
    let r = ok(addr, "res.users", "read", json!([[uid], ["groups_id", "share"]]), json!({})).await;
    (r[0]["groups_id"].clone(), r[0]["share"].clone())
}

#[tokio::test]
async fn xml_ids_of_groups_are_searchable_in_ir_model_data() {
    let sim = start_sim(Seed::transcripts()).await;
    let domain = json!([["model", "=", "res.groups"], ["module", "=", "base"], ["name", "in", ["group_portal", "group_user"]]]);
    let rows = ok(sim.addr, "ir.model.data", "search_read", json!([domain]), json!({"fields": ["module", "name", "model", "res_id", "complete_name"]})).await;
    let ids: Vec<Value> = rows.as_array().map(|a| a.iter().map(|r| r["id"].clone()).collect()).unwrap_or_default();
    assert_eq!(
        rows,
        json!([
            {"id": ids[0], "module": "base", "name": "group_portal", "model": "res.groups", "res_id": 10, "complete_name": "base.group_portal"},
            {"id": ids[1], "module": "base", "name": "group_user", "model": "res.groups", "res_id": 1, "complete_name": "base.group_user"}
        ])
    );
}

#[tokio::test]
async fn every_standard_group_has_its_real_xml_id() {
    let sim = start_sim(Seed::transcripts()).await;
    let rows = ok(sim.addr, "ir.model.data", "search_read", json!([[["model", "=", "res.groups"]]]), json!({"fields": ["complete_name", "res_id"], "order": "res_id"})).await;
    let pairs: Vec<(String, i64)> = rows
        .as_array()
        .map(|a| a.iter().map(|r| (r["complete_name"].as_str().unwrap_or("").to_string(), r["res_id"].as_i64().unwrap_or(0))).collect())
        .unwrap_or_default();
    let expected = [
        ("base.group_user", 1),
        ("base.group_erp_manager", 2),
        ("base.group_system", 3),
        ("base.group_no_one", 7),
        ("base.group_allow_export", 8),
        ("base.group_partner_manager", 9),
        ("base.group_portal", 10),
        ("base.group_public", 11),
    ];
    assert_eq!(pairs, expected.map(|(n, id)| (n.to_string(), id)).to_vec());
    let names = ok(sim.addr, "res.groups", "read", json!([[1, 2, 3, 7, 9], ["full_name"]]), json!({})).await;
    let full: Vec<&str> = names.as_array().map(|a| a.iter().filter_map(|g| g["full_name"].as_str()).collect()).unwrap_or_default();
    assert_eq!(full, ["User types / Internal User", "Administration / Access Rights", "Administration / Settings", "Extra Rights / Technical Features", "Extra Rights / Contact Creation"]);
    let admin = ok(sim.addr, "ir.model.data", "search_read", json!([[["complete_name", "=", "base.user_admin"]]]), json!({"fields": ["model", "res_id"]})).await;
    assert_eq!(admin[0]["res_id"], 2);
}

#[tokio::test]
async fn seed_groups_may_carry_xml_ids_and_unlink_drops_them() {
    let mut seed = Seed::transcripts();
    seed.groups.push(SeedGroup { id: 20, full_name: "Login Bridge / Managers".into(), xml_id: Some("login_bridge.group_managers".into()) });
    let sim = start_sim(seed).await;
    let find = || ok(sim.addr, "ir.model.data", "search_read", json!([[["module", "=", "login_bridge"]]]), json!({"fields": ["name", "model", "res_id"]}));
    let rows = find().await;
    assert_eq!(rows[0]["name"], "group_managers");
    assert_eq!(rows[0]["res_id"], 20);
    assert_eq!(ok(sim.addr, "res.groups", "unlink", json!([[20]]), json!({})).await, true);
    assert_eq!(find().await, json!([]));
}

#[tokio::test]
async fn ir_model_data_is_read_only_and_for_internal_users() {
    let sim = start_sim(Seed::transcripts()).await;
    let portal = execute_kw(sim.addr, 7, "bob", "ir.model.data", "search_read", json!([[]]), json!({})).await;
    assert_eq!(portal["error"]["data"]["name"], "odoo.exceptions.AccessError");
    let internal = execute_kw(sim.addr, 6, "alice", "ir.model.data", "search_count", json!([[["module", "=", "base"]]]), json!({})).await;
    assert_eq!(internal["result"], 9, "eight groups and the admin user");
    let write = execute_kw(sim.addr, 2, API_KEY, "ir.model.data", "write", json!([[1], {"res_id": 3}]), json!({})).await;
    assert_eq!(write["error"]["data"]["name"], "odoo.exceptions.UserError");
}

#[tokio::test]
async fn groups_commands_add_remove_replace_and_share_follows() {
    let sim = start_sim(Seed::transcripts()).await;
    let a = sim.addr;
    let created = ok(a, "res.users", "create", json!([{"name": "Pat", "login": "pat@example.com", "groups_id": [[6, 0, [10]]]}]), json!({"context": {"no_reset_password": true}})).await;
    let pat = created.as_i64().unwrap_or_else(|| panic!("create answers the id: {created}"));
    assert_eq!(groups_and_share(a, pat).await, (json!([10]), json!(true)));
    // promote: remove Portal, add Internal User
    ok(a, "res.users", "write", json!([[pat], {"groups_id": [[3, 10], [4, 1]]}]), json!({})).await;
    assert_eq!(groups_and_share(a, pat).await, (json!([1]), json!(false)));
    // add: Contact Creation, then Settings brings Access Rights (groups read by name)
    ok(a, "res.users", "write", json!([[pat], {"groups_id": [[4, 9], [4, 3]]}]), json!({})).await;
    assert_eq!(groups_and_share(a, pat).await, (json!([2, 9, 1, 3]), json!(false)));
    // replace
    ok(a, "res.users", "write", json!([[pat], {"groups_id": [[6, 0, [1, 8]]]}]), json!({})).await;
    assert_eq!(groups_and_share(a, pat).await, (json!([8, 1]), json!(false)));
    // two user types at once is refused
    let both = execute_kw(a, 2, API_KEY, "res.users", "write", json!([[pat], {"groups_id": [[4, 10]]}]), json!({})).await;
    assert_eq!(both["error"]["data"]["message"], "The user cannot have more than one user types.");
    // demote Alice: a user leaving Internal User keeps only the groups of the commands
    ok(a, "res.users", "write", json!([[6], {"groups_id": [[3, 1], [4, 10]]}]), json!({})).await;
    assert_eq!(groups_and_share(a, 6).await, (json!([10]), json!(true)));
    // public user
    ok(a, "res.users", "write", json!([[7], {"groups_id": [[6, 0, [11]]]}]), json!({})).await;
    assert_eq!(groups_and_share(a, 7).await, (json!([11]), json!(true)));
    let portal_users = ok(a, "res.users", "search", json!([[["groups_id", "in", [10]]]]), json!({})).await;
    assert_eq!(portal_users, json!([6]));
}

#[tokio::test]
async fn name_and_email_writes_read_back() {
    let sim = start_sim(Seed::transcripts()).await;
    ok(sim.addr, "res.users", "write", json!([[7], {"name": "Robert Example", "email": "robert@example.com"}]), json!({})).await;
    let r = ok(sim.addr, "res.users", "read", json!([[7], ["name", "email", "display_name"]]), json!({})).await;
    assert_eq!(r, json!([{"id": 7, "name": "Robert Example", "email": "robert@example.com", "display_name": "Robert Example"}]));
}

#[tokio::test]
async fn odoo_19_names_the_groups_field_group_ids_and_keeps_implied_groups_apart() {
    let sim = start_sim(odoo_19_seed()).await;
    let a = sim.addr;
    let call = |method: &'static str, body: Value| async move {
        let r = json2(a, "res.users", method, Some(API_KEY), None, &body).await;
        (r.status(), r.json())
    };
    let created = call("create", json!({"vals_list": [{"name": "Sam", "login": "sam@example.com", "group_ids": [[6, 0, [3]]]}]})).await;
    assert_eq!(created, (200, json!([8])));
    let read = call("read", json!({"ids": [8], "fields": ["group_ids", "all_group_ids", "share"]})).await;
    assert_eq!(read.1, json!([{"id": 8, "group_ids": [3], "all_group_ids": [2, 1, 3], "share": false}]));
    let old_name = call("write", json!({"ids": [8], "vals": {"groups_id": [[4, 9]]}})).await;
    assert_eq!(old_name.0, 500);
    assert_eq!(old_name.1["message"], "Invalid field 'groups_id' on model 'res.users'");
    let demote = call("write", json!({"ids": [8], "vals": {"group_ids": [[3, 3], [4, 10]]}})).await;
    assert_eq!(demote, (200, json!(true)));
    let read = call("read", json!({"ids": [8], "fields": ["group_ids", "all_group_ids", "share"]})).await;
    assert_eq!(read.1, json!([{"id": 8, "group_ids": [10], "all_group_ids": [10], "share": true}]));
    let portal = call("search", json!({"domain": [["group_ids", "in", [10]]]})).await;
    assert_eq!(portal.1, json!([7, 8]));
}
