//! The identity policy per `[[odoo]]`, end to end through the Google stand-in and the Odoo
//! simulator: provisioning, default and mapped groups, profile sync, several identities for one
//! user, archived users, link conflicts and the "no external API" mode.

mod standins;

use serde_json::json;
use standins::{
    drive::{github_alice, google_alice, Setup, ALICE},
    oidc_core::Account,
};

fn google_person(email: &str, name: &str) -> Account {
    Account::new(&format!("g-{email}")).email(email, true).name(name).claim("hd", "example.com")
}

#[tokio::test]
async fn provisions_a_portal_user_for_a_verified_person_without_an_account() {
    let mut setup = Setup::new().await;
    setup.odoo_extra = "provision = \"portal\"\n".into();
    let world = setup.launch().await;
    world.google.set_account(google_person("carol@example.com", "Carol Newcomer"));
    let outcome = world.drive_login("google").await;
    let uid = outcome.uid().unwrap_or_else(|| panic!("carol should be logged in\n{outcome}"));
    assert!(uid > 7, "a new user was created\n{outcome}");
    let carol = world.odoo_user(uid).await;
    assert_eq!(carol.login, "carol@example.com");
    assert_eq!(carol.name, "Carol Newcomer");
    assert!(carol.share, "provision = portal makes a portal user");
    assert_eq!(carol.group_ids, vec![10], "portal users get the portal group only");
    assert!(outcome.url.ends_with("/web/login_successful"), "portal users land where Odoo sends them\n{outcome}");
}

#[tokio::test]
async fn provisions_an_internal_user_with_the_default_groups() {
    let mut setup = Setup::new().await;
    setup.odoo_extra = "provision = \"internal\"\ndefault_groups = [\"base.group_allow_export\"]\n".into();
    let world = setup.launch().await;
    world.google.set_account(google_person("dan@example.com", "Dan Newcomer"));
    let outcome = world.drive_login("google").await;
    let uid = outcome.uid().unwrap_or_else(|| panic!("dan should be logged in\n{outcome}"));
    let dan = world.odoo_user(uid).await;
    assert!(!dan.share);
    assert!(dan.group_ids.contains(&1), "internal user group: {:?}", dan.group_ids);
    assert!(dan.group_ids.contains(&8), "default group base.group_allow_export: {:?}", dan.group_ids);
}

#[tokio::test]
async fn provisioning_off_refuses_a_person_without_an_account() {
    let world = Setup::new().await.launch().await;
    world.google.set_account(google_person("erin@example.com", "Erin"));
    let outcome = world.drive_login("google").await;
    let heading = outcome.expect_refused(403);
    assert_eq!(heading, "No Odoo account");
    assert!(outcome.body.contains("erin@example.com"));
}

#[tokio::test]
async fn mapped_provider_groups_are_added_at_login() {
    let mut setup = Setup::new().await;
    setup.odoo_extra = "group_mapping = { \"erp-exporters\" = [\"base.group_allow_export\"], \"other\" = [\"base.group_system\"] }\n".into();
    let world = setup.launch().await;
    world.google.set_account(google_alice().claim("groups", json!(["erp-exporters"])));
    world.drive_login("google").await.expect_logged_in(ALICE);
    let alice = world.odoo_user(ALICE).await;
    assert!(alice.group_ids.contains(&8), "erp-exporters → base.group_allow_export: {:?}", alice.group_ids);
    assert!(!alice.group_ids.contains(&3), "groups the person is not in are not added: {:?}", alice.group_ids);
}

#[tokio::test]
async fn profile_sync_keeps_name_and_verified_email_in_step() {
    let mut setup = Setup::new().await;
    setup.odoo_extra = "sync_profile = true\n".into();
    let world = setup.launch().await;
    world.google.set_account(google_alice().name("Alice Renamed"));
    world.drive_login("google").await.expect_logged_in(ALICE);
    assert_eq!(world.odoo_user(ALICE).await.name, "Alice Renamed");
}

#[tokio::test]
async fn without_profile_sync_odoo_keeps_its_own_name() {
    let world = Setup::new().await.launch().await;
    world.google.set_account(google_alice().name("Alice Renamed"));
    world.drive_login("google").await.expect_logged_in(ALICE);
    assert_eq!(world.odoo_user(ALICE).await.name, "Alice Example");
}

#[tokio::test]
async fn several_identities_reach_the_same_odoo_user_under_one_subject() {
    let world = Setup::new().await.launch().await;
    world.drive_login("google").await.expect_logged_in(ALICE);
    let after_google = world.odoo_user(ALICE).await;
    world.github.set_account(github_alice());
    world.drive_login("github").await.expect_logged_in(ALICE);
    let after_github = world.odoo_user(ALICE).await;
    assert_eq!(after_google.oauth_uid, after_github.oauth_uid, "one subject per Odoo user");
    assert_eq!(after_github.oauth_provider_id, Some(world.records["github"]), "the record of the latest login");
    // And Google still works after GitHub moved the record.
    world.drive_login("google").await.expect_logged_in(ALICE);
}

#[tokio::test]
async fn archived_odoo_account_gets_a_page_that_says_so() {
    let mut setup = Setup::new().await;
    setup.extra_users = vec![json!({"id": 20, "login": "gone@example.com", "email": "gone@example.com", "name": "Gone", "share": false, "active": false})];
    let world = setup.launch().await;
    world.google.set_account(google_person("gone@example.com", "Gone"));
    let outcome = world.drive_login("google").await;
    assert_eq!(outcome.expect_refused(403), "Odoo account archived");
}

#[tokio::test]
async fn a_clash_on_oauth_uid_gets_a_conflict_page_and_writes_nothing() {
    let mut setup = Setup::new().await;
    // Someone else already holds the subject the bridge would give Alice, on the Google record.
    setup.extra_users = vec![json!({"id": 21, "login": "squatter@example.com", "email": "squatter@example.com", "name": "Squatter", "share": false, "oauth_provider_id": 4, "oauth_uid": format!("login-bridge-{ALICE}")})];
    let world = setup.launch().await;
    assert_eq!(world.records["google"], 4);
    let outcome = world.drive_login("google").await;
    assert_eq!(outcome.expect_refused(409), "Account link conflict");
    let alice = world.odoo_user(ALICE).await;
    assert_eq!((alice.oauth_provider_id, alice.oauth_uid), (None, None), "no half-written link");
}

#[tokio::test]
async fn without_api_access_the_verified_email_is_the_subject() {
    let mut setup = Setup::new().await;
    setup.api_access = false;
    setup.odoo_extra = "odoo_provider_id = 4\n".into();
    // What the admin filled in by bulk import: oauth_uid = the email, on the bridge's record.
    setup.extra_users = vec![json!({"id": 22, "login": "fay@example.com", "email": "fay@example.com", "name": "Fay Imported", "share": false, "oauth_provider_id": 4, "oauth_uid": "fay@example.com"})];
    let world = setup.launch().await;
    world.google.set_account(google_person("Fay@Example.com", "Fay"));
    world.drive_login("google").await.expect_logged_in(22);
    // An unverified email is still refused: it is the whole identity here.
    world.google.set_account(Account::new("g-fay2").email("fay@example.com", false).name("Fay").claim("hd", "example.com"));
    world.drive_login("google").await.expect_refused(403);
}

#[tokio::test]
async fn without_api_access_the_provider_subject_scheme_names_provider_and_sub() {
    let mut setup = Setup::new().await;
    setup.api_access = false;
    setup.odoo_extra = "odoo_provider_id = 4\nsubject = \"provider_subject\"\n".into();
    setup.extra_users = vec![json!({"id": 23, "login": "gus", "email": false, "name": "Gus", "share": false, "oauth_provider_id": 4, "oauth_uid": "google:g-gus"})];
    let world = setup.launch().await;
    world.google.set_account(Account::new("g-gus").name("Gus").claim("hd", "example.com"));
    world.drive_login("google").await.expect_logged_in(23);
}

async fn preview_text(world: &standins::drive::World, email: &str) -> String {
    let mut out = Vec::new();
    login_bridge::users::preview(&world.bridge, None, email, &[], &mut out).await.expect("preview runs");
    String::from_utf8(out).expect("utf-8")
}

#[tokio::test]
async fn preview_tells_what_a_login_would_do_and_writes_nothing() {
    let mut setup = Setup::new().await;
    setup.odoo_extra = "provision = \"portal\"\nallowed_email_domains = [\"example.com\"]\n".into();
    let world = setup.launch().await;

    let alice = preview_text(&world, "alice@example.com").await;
    assert!(alice.contains("signs in as Odoo user #6 alice@example.com"), "{alice}");
    let carol = preview_text(&world, "carol@example.com").await;
    assert!(carol.contains("would be created") && carol.contains("base.group_portal"), "{carol}");
    let outsider = preview_text(&world, "mallory@evil.test").await;
    assert!(outsider.contains("refused") && outsider.contains("not in a domain allowed"), "{outsider}");

    let client = world.bridge.odoo("acme").expect("client");
    assert!(client.users_where("login", "carol@example.com").await.expect("search").is_empty(), "preview created nobody");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None, "preview linked nobody");
}

/// A wrong API key: the person gets a clear page and no session; nothing is written.
#[tokio::test]
async fn a_refused_api_key_gives_a_clear_page_and_no_session() {
    let mut setup = Setup::new().await;
    setup.api_access = false;
    // Another secret the harness knows, used as the API key: Odoo refuses it.
    setup.odoo_extra = format!("api_login = \"admin\"\napi_key_env = \"{}\"\n", standins::drive::GOOGLE_APP.1);
    let world = setup.launch().await;
    let outcome = world.drive_login("google").await;
    assert_eq!(outcome.expect_refused(502), "Sign-in is not set up correctly");
}

/// An API user who may read but not write users: the link cannot be written, nothing half-done.
#[tokio::test]
async fn an_api_user_without_rights_gives_a_clear_page_and_writes_nothing() {
    let mut setup = Setup::new().await;
    setup.api_access = false;
    setup.extra_users = vec![json!({"id": 30, "login": "viewer@example.com", "email": "viewer@example.com", "name": "Viewer", "share": false, "api_keys": [standins::drive::GOOGLE_APP.2]})];
    setup.odoo_extra = format!("api_login = \"viewer@example.com\"\napi_key_env = \"{}\"\n", standins::drive::GOOGLE_APP.1);
    let world = setup.launch().await;
    let outcome = world.drive_login("google").await;
    assert_eq!(outcome.expect_refused(502), "Sign-in is not set up correctly");
    let admin_view = odoo_sim_user(&world, ALICE).await;
    assert_eq!(admin_view, json!(false), "no link written: {admin_view}");
}

/// Reads a user's oauth_uid with the simulator's admin key (the bridge's own key is the culprit here).
async fn odoo_sim_user(world: &standins::drive::World, uid: i64) -> serde_json::Value {
    let body = json!({"jsonrpc": "2.0", "method": "call", "params": {"service": "object", "method": "execute_kw",
        "args": ["acme", 2, "sim-admin-api-key", "res.users", "read", [[uid]], {"fields": ["oauth_uid"]}]}, "id": 1});
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/jsonrpc", world.odoo_url))
        .json(&body)
        .send()
        .await
        .expect("jsonrpc")
        .json()
        .await
        .expect("json");
    answer["result"][0]["oauth_uid"].clone()
}

/// An Odoo that does not answer: the person is told, and can try again later.
#[tokio::test]
async fn an_unreachable_odoo_gives_a_clear_page() {
    let mut setup = Setup::new().await;
    setup.odoo_extra = "\n[[odoo]]\nid = \"down\"\nurl = \"http://127.0.0.1:9\"\ndatabase = \"down\"\napi_login = \"admin\"\napi_key_env = \"ODOO_KEY\"\n".into();
    let world = setup.launch().await;
    let mut browser = standins::drive::Browser::new();
    let page = browser.navigate(&format!("{}/login/google?odoo=down", world.bridge_url)).await;
    assert_eq!(page.status, 502, "{}", page.body);
    assert_eq!(standins::drive::heading(&page.body).as_deref(), Some("Odoo is not answering"));
    assert!(page.body.contains("Reference:"), "a reference the admin can grep");
}
