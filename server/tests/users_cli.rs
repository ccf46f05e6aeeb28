//! `login-bridge users …` end to end: the commands parsed as the CLI parses them, run against the
//! bridge of a live world (provider stand-ins, the bridge on a real port, the Odoo simulator), and
//! judged by what Odoo says about the browser's session afterwards.

mod common;
mod standins;

use clap::Parser;
use login_bridge::{
    bridge::Bridge,
    cli::{Cli, Command},
    config::Config,
    users::{execute, UsersError},
};
use serde_json::Value;
use standins::{
    drive::{
        microsoft_alice, Browser, World, ALICE, ALICE_EMAIL, ALICE_OID, BOB, FACEBOOK_APP, GITHUB_APP, GITLAB_APP, GOOGLE_APP,
        MICROSOFT_APP, OIDC_APP,
    },
    microsoft::{EntraAccount, TENANT_A},
};
use std::path::Path;

/// Runs `login-bridge users <args>` against `bridge` in-process; Ok(stdout) or the error.
async fn users(bridge: &Bridge, args: &[&str]) -> Result<String, UsersError> {
    let argv = ["login-bridge", "users"].into_iter().chain(args.iter().copied());
    let cli = Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("`users {}` does not parse: {e}", args.join(" ")));
    let Command::Users { command } = cli.command else { panic!("not a users command") };
    let mut out = Vec::new();
    execute(bridge, &command, &mut out).await?;
    Ok(String::from_utf8(out).expect("output is UTF-8"))
}

/// Like [`users`] for a command that must succeed.
async fn users_ok(bridge: &Bridge, args: &[&str]) -> String {
    users(bridge, args).await.unwrap_or_else(|e| panic!("`users {}` failed: {e}", args.join(" ")))
}

/// Like [`users`] for a command that must fail; returns the message the admin reads.
async fn users_err(bridge: &Bridge, args: &[&str]) -> String {
    match users(bridge, args).await {
        Ok(out) => panic!("`users {}` should have failed, printed:\n{out}", args.join(" ")),
        Err(e) => e.to_string(),
    }
}

/// Alice at Microsoft without `xms_edov`: her email is not vouched for, so it links nothing.
fn microsoft_alice_subject() -> String {
    format!("{}:{}", TENANT_A.to_lowercase(), ALICE_OID)
}

#[tokio::test]
async fn revoke_ends_a_live_odoo_session() {
    let world = World::start().await;
    let mut browser = Browser::new();
    world.drive_login_in(&mut browser, "google").await.expect_logged_in(ALICE);
    let session = browser.odoo_session(&world.odoo_url).await.expect("Odoo has a session for the browser");
    assert_eq!((session.uid, session.username.as_str()), (ALICE, ALICE_EMAIL));

    let out = users_ok(&world.bridge, &["revoke", "--user", ALICE_EMAIL]).await;
    assert!(out.contains("ended every open Odoo session of alice@example.com (user id 6)"), "{out}");
    assert!(out.lines().count() <= 2, "one or two lines: {out}");

    // `odoo_session` asserts that Odoo answers error code 100 (session expired) for the same cookie.
    assert_eq!(browser.odoo_session(&world.odoo_url).await, None, "the old session cookie is dead");

    world.drive_login_in(&mut browser, "google").await.expect_logged_in(ALICE);
    assert_eq!(browser.odoo_session(&world.odoo_url).await.map(|s| s.uid), Some(ALICE), "a new login works at once");
}

#[tokio::test]
async fn blocked_user_is_refused_with_a_clear_page_and_unblock_restores_access() {
    let world = World::start().await;
    let mut browser = Browser::new();
    world.drive_login_in(&mut browser, "google").await.expect_logged_in(ALICE);

    let out = users_ok(&world.bridge, &["block", "--user", "Alice@Example.com", "--reason", "left the company"]).await;
    assert!(out.contains("blocked alice@example.com (user id 6) in Odoo `acme`"), "{out}");
    assert!(out.contains("ended all their open Odoo sessions"), "{out}");
    assert_eq!(browser.odoo_session(&world.odoo_url).await, None, "blocking ended the open session");

    let refused = world.drive_login_in(&mut browser, "google").await;
    let heading = refused.expect_refused(403);
    assert_eq!(heading, "Access blocked", "{refused}");
    assert!(
        refused.body.contains("administrator has blocked sign-in through this service for this account") && refused.body.contains("Contact them"),
        "{refused}"
    );
    assert!(!refused.body.contains("left the company"), "the reason is for admins only");
    // Another provider reaches the same Odoo user: refused too.
    world.drive_login("microsoft").await.expect_refused(403);

    let again = users_ok(&world.bridge, &["block", "--user", ALICE_EMAIL]).await;
    assert!(again.contains("was already blocked"), "{again}");

    let out = users_ok(&world.bridge, &["unblock", "--user", ALICE_EMAIL]).await;
    assert!(out.contains("unblocked alice@example.com (user id 6)"), "{out}");
    world.drive_login_in(&mut browser, "google").await.expect_logged_in(ALICE);

    let message = users_err(&world.bridge, &["unblock", "--user", ALICE_EMAIL]).await;
    assert!(message.contains("is not blocked") && message.contains("Fix:"), "{message}");
}

#[tokio::test]
async fn explicit_link_lets_an_unverified_identity_in() {
    let world = World::start().await;
    world.microsoft.set_account(microsoft_alice().xms_edov(None));
    let refused = world.drive_login("microsoft").await;
    assert!(refused.expect_refused(403).contains("not verified"), "{refused}");

    let subject = microsoft_alice_subject();
    let out = users_ok(&world.bridge, &["link", "--provider", "microsoft", "--subject", &subject, "--user", ALICE_EMAIL]).await;
    assert!(out.contains(&format!("linked microsoft subject `{subject}` to alice@example.com (user id 6) in Odoo `acme`")), "{out}");
    assert_eq!(out.lines().count(), 2, "{out}");
    let alice = world.odoo_user(ALICE).await;
    assert_eq!(
        (alice.oauth_provider_id, alice.oauth_uid.as_deref()),
        (Some(world.records["microsoft"]), Some("login-bridge-6")),
        "the link is written in Odoo too"
    );

    world.drive_login("microsoft").await.expect_logged_in(ALICE);
    // The identity's email still finds nothing by itself: another Entra person is refused.
    world.microsoft.set_account(EntraAccount::new("11111111-2222-3333-4444-555555555555", TENANT_A, ALICE_EMAIL).xms_edov(None));
    world.drive_login("microsoft").await.expect_refused(403);

    let message = users_err(&world.bridge, &["link", "--provider", "entra", "--subject", &subject, "--user", ALICE_EMAIL]).await;
    assert!(message.contains("no [[provider]] with id `entra`") && message.contains("microsoft"), "{message}");
}

#[tokio::test]
async fn unlink_removes_the_link() {
    let world = World::start().await;
    world.microsoft.set_account(microsoft_alice().xms_edov(None));
    let subject = microsoft_alice_subject();
    users_ok(&world.bridge, &["link", "--provider", "microsoft", "--subject", &subject, "--user", ALICE_EMAIL]).await;
    world.drive_login("microsoft").await.expect_logged_in(ALICE);

    let out = users_ok(&world.bridge, &["unlink", "--provider", "microsoft", "--subject", &subject]).await;
    assert!(out.contains(&format!("removed the link from microsoft subject `{subject}` to user id 6")), "{out}");
    let refused = world.drive_login("microsoft").await;
    assert!(refused.expect_refused(403).contains("not verified"), "without the link the unverified email counts again: {refused}");

    let message = users_err(&world.bridge, &["unlink", "--provider", "microsoft", "--subject", &subject]).await;
    assert!(message.contains("no link from microsoft") && message.contains("users list"), "{message}");

    // --user removes every link of the user: here the one a Google login made.
    world.drive_login("google").await.expect_logged_in(ALICE);
    let out = users_ok(&world.bridge, &["unlink", "--user", ALICE_EMAIL]).await;
    assert!(out.contains("removed 1 link(s) of alice@example.com (user id 6)") && out.contains("google `"), "{out}");
    assert!(world.bridge.store.links(None).await.expect("links").is_empty());
}

#[tokio::test]
async fn list_shows_links_and_blocks() {
    let world = World::start().await;
    let empty = users_ok(&world.bridge, &["list"]).await;
    assert!(empty.contains("No identity links.") && empty.contains("No blocked users."), "{empty}");

    world.drive_login("google").await.expect_logged_in(ALICE);
    let subject = microsoft_alice_subject();
    users_ok(&world.bridge, &["link", "--provider", "microsoft", "--subject", &subject, "--user", ALICE_EMAIL]).await;
    users_ok(&world.bridge, &["block", "--user", "bob@example.com", "--reason", "contract ended"]).await;

    let table = users_ok(&world.bridge, &["list"]).await;
    assert!(table.contains("Identity links (2):") && table.contains("Blocked users (1):"), "{table}");
    let google_row = table.lines().find(|l| l.contains(" google ")).unwrap_or_else(|| panic!("no google row:\n{table}"));
    for expected in ["acme", "6", "110169484474386276334", ALICE_EMAIL, "login-bridge-6", "UTC"] {
        assert!(google_row.contains(expected), "google row lacks {expected}: {google_row}");
    }
    assert!(!google_row.ends_with("never"), "a login sets the last login: {google_row}");
    let microsoft_row = table.lines().find(|l| l.contains(&subject)).unwrap_or_else(|| panic!("no microsoft row:\n{table}"));
    assert!(microsoft_row.ends_with("never"), "an explicit link nobody used yet: {microsoft_row}");
    let bob_row = table.lines().find(|l| l.contains("bob@example.com")).unwrap_or_else(|| panic!("no bob row:\n{table}"));
    assert!(bob_row.contains(&BOB.to_string()) && bob_row.contains("contract ended"), "{bob_row}");

    let json: Value = serde_json::from_str(&users_ok(&world.bridge, &["list", "--odoo", "acme", "--json"]).await).expect("list --json is JSON");
    let links = json["links"].as_array().expect("links");
    assert_eq!(links.len(), 2, "{json}");
    let google = links.iter().find(|l| l["provider"] == "google").expect("google link");
    assert_eq!((google["odoo_user_id"].as_i64(), google["email"].as_str()), (Some(ALICE), Some(ALICE_EMAIL)));
    assert!(google["last_login_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{google}");
    let microsoft = links.iter().find(|l| l["provider"] == "microsoft").expect("microsoft link");
    assert_eq!((microsoft["subject"].as_str(), &microsoft["last_login_at"]), (Some(subject.as_str()), &Value::Null));
    assert_eq!(json["blocked"][0]["login"], "bob@example.com");
    assert_eq!(json["blocked"][0]["reason"], "contract ended");

    let message = users_err(&world.bridge, &["list", "--odoo", "nope"]).await;
    assert!(message.contains("no [[odoo]] with id `nope`") && message.contains("acme"), "{message}");
}

#[tokio::test]
async fn unknown_user_is_a_clear_error() {
    let world = World::start().await;
    for args in [
        vec!["block", "--user", "nobody@example.com"],
        vec!["revoke", "--user", "nobody@example.com"],
        vec!["link", "--provider", "google", "--subject", "123", "--user", "nobody@example.com"],
        vec!["unlink", "--user", "nobody@example.com"],
    ] {
        let message = users_err(&world.bridge, &args).await;
        assert!(
            message.contains("no active Odoo user in `acme` has the login or email `nobody@example.com`") && message.contains("Fix:"),
            "{args:?}: {message}"
        );
    }
    assert!(world.bridge.store.blocked_users(None).await.expect("blocks").is_empty(), "nothing was written");
    assert!(world.bridge.store.links(None).await.expect("links").is_empty(), "nothing was written");

    // The binary: the message on stderr, exit code 1.
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("login-bridge.toml");
    std::fs::write(&config, &world.config_text).expect("write config");
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_login-bridge"));
    command.args(["--config", config.to_str().expect("utf-8 path"), "users", "block", "--user", "nobody@example.com"]);
    command.env("ODOO_KEY", "sim-admin-api-key").env_remove("LOGIN_BRIDGE_CONFIG");
    for (_, env, secret) in [GOOGLE_APP, MICROSOFT_APP, GITHUB_APP, FACEBOOK_APP, GITLAB_APP, OIDC_APP] {
        command.env(env, secret);
    }
    let output = command.output().await.expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains("login-bridge: no active Odoo user in `acme` has the login or email `nobody@example.com`"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing done, nothing printed: {}", String::from_utf8_lossy(&output.stdout));
}

#[tokio::test]
async fn several_matching_users_are_refused_and_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let odoo = common::odoo_sim(common::SEED).await;
    let bridge = common::bridge(dir.path(), &odoo).await;
    let message = users_err(&bridge, &["block", "--odoo", "acme", "--user", "twin@example.com"]).await;
    assert!(message.contains("matches several Odoo users") && message.contains("twin1 (user id 8)") && message.contains("twin2 (user id 9)"), "{message}");
    assert!(bridge.store.blocked_users(None).await.expect("blocks").is_empty());
    // The login, unique, picks one.
    let out = users_ok(&bridge, &["block", "--odoo", "acme", "--user", "twin1"]).await;
    assert!(out.contains("blocked twin1 (user id 8)"), "{out}");
}

#[tokio::test]
async fn odoo_problems_are_clear_errors_naming_the_fix() {
    let dir = tempfile::tempdir().expect("tempdir");
    let odoo = common::odoo_sim(common::SEED).await;
    let bridge = common::bridge(dir.path(), &odoo).await;

    let message = users_err(&bridge, &["revoke", "--user", ALICE_EMAIL]).await;
    assert!(message.contains("several Odoo are configured") && message.contains("--odoo") && message.contains("acme, other"), "{message}");

    // `other` points at a closed port.
    let message = users_err(&bridge, &["revoke", "--odoo", "other", "--user", ALICE_EMAIL]).await;
    assert!(message.contains("cannot be reached") && message.contains("Fix: check the url of [[odoo]] `other`"), "{message}");

    // A wrong API key.
    let text = common::config_text(&dir.path().join("wrong-key.db"), &odoo);
    let config = Config::parse(&text, Path::new("test.toml"), dir.path(), &|name| match name {
        "ODOO_KEY" => Some("not-the-key".into()),
        other => common::env(other),
    })
    .expect("config parses");
    let wrong_key = Bridge::start(config).await.expect("bridge starts");
    let message = users_err(&wrong_key, &["revoke", "--odoo", "acme", "--user", ALICE_EMAIL]).await;
    assert!(message.contains("refused the API key") && message.contains("Fix: check api_login and the API key"), "{message}");
    assert!(!message.contains("not-the-key"), "never print the key: {message}");

    // No API access: revoke and block cannot work and say so; list still works.
    let text = format!(
        "public_url = \"http://127.0.0.1:3000\"\nlisten = \"127.0.0.1:3000\"\n[store]\nurl = \"sqlite://{}\"\n\
         [[odoo]]\nid = \"acme\"\nurl = \"{odoo}\"\ndatabase = \"acme\"\nodoo_provider_id = 4\n\
         [[provider]]\nid = \"devidp\"\nkind = \"oidc\"\nissuer = \"http://127.0.0.1:9\"\nclient_id = \"login-bridge\"\nclient_secret_env = \"IDP_SECRET\"\n",
        dir.path().join("no-api.db").display()
    );
    let config = Config::parse(&text, Path::new("no-api.toml"), dir.path(), &common::env).expect("no-API config parses");
    let no_api = Bridge::start(config).await.expect("bridge starts");
    let message = users_err(&no_api, &["revoke", "--user", "6"]).await;
    assert!(message.contains("needs API access to Odoo `acme`") && message.contains("Fix: set api_login"), "{message}");
    let message = users_err(&no_api, &["block", "--user", "6"]).await;
    assert!(message.contains("blocking a user needs API access"), "{message}");
    let message = users_err(&no_api, &["link", "--provider", "devidp", "--subject", "s1", "--user", ALICE_EMAIL]).await;
    assert!(message.contains("give the numeric user id"), "{message}");
    let out = users_ok(&no_api, &["link", "--provider", "devidp", "--subject", "s1", "--user", "6"]).await;
    assert!(out.contains("linked devidp subject `s1` to user id 6") && out.contains("nothing was written to Odoo"), "{out}");
    assert!(users_ok(&no_api, &["list"]).await.contains("Identity links (1):"));
}
