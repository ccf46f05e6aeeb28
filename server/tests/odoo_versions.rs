//! Odoo 15 to 19 and several Odoo from one bridge, end to end through the Google stand-in and
//! the simulator's version flavours: ≤17 land on /web, 18+ on /odoo, 19 is reached through JSON-2.

mod standins;

use serde_json::json;
use standins::drive::{Browser, Setup, ALICE};

async fn login_on(version: &str) -> (standins::drive::Outcome, standins::drive::World) {
    let mut setup = Setup::new().await;
    setup.odoo_version = version.into();
    let world = setup.launch().await;
    (world.drive_login("google").await, world)
}

#[tokio::test]
async fn odoo_15_reads_user_id_and_lands_on_web() {
    let (outcome, _) = login_on("15.0").await;
    outcome.expect_logged_in(ALICE);
    assert!(outcome.url.ends_with("/web"), "{outcome}");
}

#[tokio::test]
async fn odoo_16_lands_on_web() {
    let (outcome, _) = login_on("16.0").await;
    outcome.expect_logged_in(ALICE);
    assert!(outcome.url.ends_with("/web"), "{outcome}");
}

#[tokio::test]
async fn odoo_17_lands_on_web() {
    let (outcome, _) = login_on("17.0").await;
    outcome.expect_logged_in(ALICE);
    assert!(outcome.url.ends_with("/web"), "{outcome}");
}

#[tokio::test]
async fn odoo_18_lands_on_odoo_through_json_rpc() {
    let (outcome, world) = login_on("18.0").await;
    outcome.expect_logged_in(ALICE);
    assert!(outcome.url.ends_with("/odoo"), "{outcome}");
    let client = world.bridge.odoo("acme").expect("client");
    assert_eq!(client.api_flavor().await.expect("flavor"), (login_bridge::odoo::client::ApiFlavor::JsonRpc, 18));
}

#[tokio::test]
async fn odoo_19_is_linked_through_the_json2_api() {
    let (outcome, world) = login_on("19.0").await;
    outcome.expect_logged_in(ALICE);
    assert!(outcome.url.ends_with("/odoo"), "{outcome}");
    let client = world.bridge.odoo("acme").expect("client");
    assert_eq!(client.api_flavor().await.expect("flavor"), (login_bridge::odoo::client::ApiFlavor::Json2, 19));
    assert!(world.odoo_user(ALICE).await.oauth_uid.is_some(), "the link was written over JSON-2");
}

/// A second Odoo database ("beta") next to the harness's "acme", served by the same bridge.
#[tokio::test]
async fn one_bridge_serves_two_odoo_databases_each_with_its_own_policy() {
    let mut setup = Setup::new().await;
    let bridge = setup.public_url.clone();
    let beta_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind beta");
    let beta_url = format!("http://{}", beta_listener.local_addr().expect("beta address"));
    let beta_seed = json!({
        "version": "17.0",
        "database": "beta",
        "dbfilter": "^beta$",
        "signup": "b2b",
        "users": [
            {"id": 2, "login": "admin", "email": "admin@beta.example", "name": "Beta Admin", "share": false, "password": "admin", "api_keys": ["sim-admin-api-key"], "admin": true},
            {"id": 40, "login": "alice@example.com", "email": "alice@example.com", "name": "Alice at Beta", "share": false, "password": "alice"}
        ],
        "providers": [{"id": 9, "name": "Login Bridge", "enabled": true, "client_id": "beta",
            "auth_endpoint": format!("{bridge}/odoo/authorize/google"), "validation_endpoint": format!("{bridge}/odoo/tokeninfo?odoo=beta"),
            "data_endpoint": false, "scope": "openid profile email", "body": "Sign in with Google", "css_class": "fa", "sequence": 10}],
        "config_parameters": {"auth_oauth.authorization_header": "1"},
        "modules": {"auth_oauth": "installed", "auth_signup": "installed"}
    });
    let seed: odoo_sim::Seed = serde_json::from_value(beta_seed).expect("beta seed");
    tokio::spawn(async move {
        let _ = odoo_sim::serve(seed, beta_listener).await;
    });
    // Beta only admits example.com addresses and lands ≤17-style on /web.
    setup.odoo_extra = format!(
        "\n[[odoo]]\nid = \"beta\"\nurl = \"{beta_url}\"\ndatabase = \"beta\"\napi_login = \"admin\"\napi_key_env = \"ODOO_KEY\"\nallowed_email_domains = [\"example.com\"]\n"
    );
    let world = setup.launch().await;

    let mut at_beta = Browser::new();
    let page = at_beta.navigate(&format!("{bridge}/login/google?odoo=beta")).await;
    assert!(page.url.as_str().starts_with(&beta_url), "landed at {}", page.url);
    let session = at_beta.odoo_session(&beta_url).await.expect("logged in at beta");
    assert_eq!((session.uid, session.username.as_str()), (40, "alice@example.com"));
    assert!(at_beta.odoo_session(&world.odoo_url).await.is_none(), "no session at acme from a beta login");

    world.drive_login("google").await.expect_logged_in(ALICE);
}

#[tokio::test]
async fn a_token_minted_for_one_odoo_is_refused_by_the_other() {
    let world = Setup::new().await.launch().await;
    let token = "token-for-acme";
    world
        .bridge
        .store
        .put_token(
            token,
            &login_bridge::store::IssuedToken {
                odoo_id: "acme".into(),
                subject: "login-bridge-6".into(),
                email: None,
                name: None,
                expires_at: login_bridge::tokens::unix_now() + 60,
            },
        )
        .await
        .expect("stored");
    let response = reqwest::Client::new()
        .get(format!("{}/odoo/tokeninfo?odoo=beta", world.bridge_url))
        .bearer_auth(token)
        .send()
        .await
        .expect("tokeninfo");
    assert_eq!(response.status().as_u16(), 401);
}

#[tokio::test]
async fn odoo_19_provisions_users_and_maps_groups_through_json2() {
    let mut setup = Setup::new().await;
    setup.odoo_version = "19.0".into();
    setup.odoo_extra = "provision = \"internal\"\ngroup_mapping = { \"exporters\" = [\"base.group_allow_export\"] }\n".into();
    let world = setup.launch().await;
    let account = standins::oidc_core::Account::new("g-hal")
        .email("hal@example.com", true)
        .name("Hal Newcomer")
        .claim("hd", "example.com")
        .claim("groups", json!(["exporters"]));
    world.google.set_account(account);
    let outcome = world.drive_login("google").await;
    let uid = outcome.uid().unwrap_or_else(|| panic!("hal should be logged in\n{outcome}"));
    let hal = world.odoo_user(uid).await;
    assert!(hal.group_ids.contains(&1) && hal.group_ids.contains(&8), "internal + mapped export group: {:?}", hal.group_ids);
}
