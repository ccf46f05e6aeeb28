//! A generic OpenID provider (shaped like Keycloak) end to end: custom claim names through the
//! `claims` mapping, a provider that is down or unreachable at start, key rotation, forged
//! tokens and a cancelled consent.

mod standins;

use serde_json::{json, Map, Value};
use standins::{
    drive::{oidc_alice, Setup, World, ALICE, BOB, KEY_SPARE},
    Decision, Mode, SigningKey,
};

#[tokio::test]
async fn oidc_claims_mapping_reads_mail_and_mail_verified_and_lands_as_alice() {
    let world = World::start().await;
    let outcome = world.drive_login("oidc").await;
    outcome.expect_logged_in(ALICE);
    assert_eq!(world.odoo_user(ALICE).await.oauth_provider_id, Some(world.records["oidc"]));
}

#[tokio::test]
async fn oidc_mapped_verified_claim_false_is_refused() {
    let world = World::start().await;
    world.oidc.set_account(oidc_alice().claim("mail_verified", false));
    let outcome = world.drive_login("oidc").await;
    assert!(outcome.expect_refused(403).contains("not verified"), "{outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}

#[tokio::test]
async fn oidc_standard_email_claim_is_ignored_when_mapped_to_another_claim() {
    let world = World::start().await;
    // `email`/`email_verified` say Alice, the mapped `mail`/`mail_verified` say Bob: Bob it is.
    world.oidc.set_account(oidc_alice().email("alice@example.com", true).claim("mail", "bob@example.com"));
    let outcome = world.drive_login("oidc").await;
    outcome.expect_logged_in(BOB);
}

#[tokio::test]
async fn oidc_provider_down_at_start_is_reported_and_login_answers_503_until_it_recovers() {
    let setup = Setup::new().await;
    setup.oidc.set_mode(Mode::Failing);
    let world = setup.launch().await; // the bridge starts anyway

    let (status, ready) = world.readyz().await;
    assert_eq!(status, 200, "{ready}");
    assert_eq!(ready["providers"]["oidc"]["status"], "down", "{ready}");
    assert_eq!(ready["providers"]["google"]["status"], "ok", "{ready}");

    let outcome = world.drive_login("oidc").await;
    let heading = outcome.expect_refused(503);
    assert!(heading.contains("unavailable"), "{outcome}");
    assert_eq!(world.oidc.count("authorize"), 0, "the browser was never sent to a provider that is down");

    // Other providers keep working.
    world.drive_login("google").await.expect_logged_in(ALICE);

    world.oidc.set_mode(Mode::Up);
    world.rediscover().await;
    assert_eq!(world.readyz().await.1["providers"]["oidc"]["status"], "ok");
    world.drive_login("oidc").await.expect_logged_in(ALICE);
}

#[tokio::test]
async fn oidc_provider_refusing_connections_at_start_is_down_then_recovers() {
    let setup = Setup::new().await;
    setup.oidc.server.stop();
    let world = setup.launch().await;
    assert_eq!(world.readyz().await.1["providers"]["oidc"]["status"], "down");
    world.drive_login("oidc").await.expect_refused(503);

    world.oidc.server.restart().await;
    world.rediscover().await;
    world.drive_login("oidc").await.expect_logged_in(ALICE);
}

#[tokio::test]
async fn oidc_rotated_signing_key_is_picked_up_without_restart() {
    let world = World::start().await;
    world.drive_login("oidc").await.expect_logged_in(ALICE);
    world.oidc.rotate_keys(SigningKey::new(KEY_SPARE, "rotated-2025"));
    world.drive_login("oidc").await.expect_logged_in(ALICE);
}

#[tokio::test]
async fn oidc_id_token_issued_to_another_client_is_refused() {
    let world = World::start().await;
    let mut forged = Map::new();
    forged.insert("aud".into(), Value::String("someone-else".into()));
    forged.insert("azp".into(), Value::String("someone-else".into()));
    world.oidc.tamper_id_token(forged);
    let outcome = world.drive_login("oidc").await;
    outcome.expect_refused_with_one_of(&[403, 502]);
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}

#[tokio::test]
async fn oidc_id_token_with_another_nonce_is_refused() {
    let world = World::start().await;
    let mut forged = Map::new();
    forged.insert("nonce".into(), json!("replayed-nonce"));
    world.oidc.tamper_id_token(forged);
    world.drive_login("oidc").await.expect_refused_with_one_of(&[403, 502]);
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}

#[tokio::test]
async fn oidc_consent_denied_shows_a_cancelled_page() {
    let world = World::start().await;
    world.oidc.set_decision(Decision::Deny);
    let outcome = world.drive_login("oidc").await;
    assert!(outcome.expect_refused(403).contains("cancelled"), "{outcome}");
    assert_eq!(world.oidc.count("token issued"), 0);
}
