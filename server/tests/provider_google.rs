//! Google sign-in end to end, against the Google stand-in: the `hd` claim (not the email's
//! suffix) decides the hosted domain, and the email links only when `email_verified` is true.

mod standins;

use standins::drive::{google_alice, World, ALICE};

#[tokio::test]
async fn google_verified_person_of_the_hosted_domain_lands_in_odoo_as_alice() {
    let world = World::start().await;
    let outcome = world.drive_login("google").await;
    outcome.expect_logged_in(ALICE);
    let alice = world.odoo_user(ALICE).await;
    assert_eq!(alice.oauth_provider_id, Some(world.records["google"]), "Alice is linked to the Google record");
    assert!(alice.oauth_uid.is_some());
    assert_eq!(world.google.count("token issued"), 1, "one code exchange: {:?}", world.google.events());
}

#[tokio::test]
async fn google_login_started_from_odoos_button_lands_in_odoo_as_alice() {
    let world = World::start().await;
    let outcome = world.drive_odoo_initiated("google").await;
    outcome.expect_logged_in(ALICE);
    assert_eq!(world.odoo_validations().await, 1, "Odoo validated the bridge's token once");
}

#[tokio::test]
async fn google_unverified_email_is_refused_and_nothing_is_linked() {
    let world = World::start().await;
    let mut account = google_alice();
    account.email_verified = Some(false);
    world.google.set_account(account);
    let outcome = world.drive_login("google").await;
    let heading = outcome.expect_refused(403);
    assert!(heading.contains("not verified"), "{outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None, "a refusal writes nothing to Odoo");
    assert_eq!(world.odoo_validations().await, 0);
}

#[tokio::test]
async fn google_account_of_another_hosted_domain_is_refused_despite_a_matching_email() {
    let world = World::start().await;
    // A Workspace account of other.example whose (verified) address is alice@example.com.
    world.google.set_account(google_alice().claim("hd", "other.example"));
    let outcome = world.drive_login("google").await;
    let heading = outcome.expect_refused(403);
    assert!(!heading.contains("not verified") && !heading.contains("No Odoo account"), "refused for the wrong reason: {outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}

#[tokio::test]
async fn google_consumer_account_without_hd_is_refused_when_hosted_domains_are_set() {
    let world = World::start().await;
    // A personal Google account created with a non-Gmail address: no `hd` at all.
    let mut account = google_alice();
    account.extra.remove("hd");
    world.google.set_account(account);
    let outcome = world.drive_login("google").await;
    let heading = outcome.expect_refused(403);
    assert!(!heading.contains("not verified") && !heading.contains("No Odoo account"), "refused for the wrong reason: {outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}

#[tokio::test]
async fn google_email_without_email_verified_claim_is_not_trusted() {
    let world = World::start().await;
    let mut account = google_alice();
    account.email_verified = None;
    world.google.set_account(account);
    let outcome = world.drive_login("google").await;
    outcome.expect_refused(403);
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}
