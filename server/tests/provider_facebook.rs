//! Facebook Login end to end, against the Facebook stand-in (www + graph): the person is the
//! app-scoped id, the email comes from `/me?fields=id,name,email` and may be missing.

mod standins;

use standins::{
    drive::{World, ALICE, ALICE_FACEBOOK_ID},
    facebook::FacebookAccount,
};

#[tokio::test]
async fn facebook_person_sharing_their_email_lands_in_odoo_as_alice() {
    let world = World::start().await;
    let outcome = world.drive_login("facebook").await;
    outcome.expect_logged_in(ALICE);
    assert_eq!(world.odoo_user(ALICE).await.oauth_provider_id, Some(world.records["facebook"]));
    let events = world.facebook.events();
    assert!(events.iter().any(|e| e.starts_with("me fields=") && e.contains("email")), "{events:?}");
}

#[tokio::test]
async fn facebook_person_who_declined_to_share_email_is_refused() {
    let world = World::start().await;
    world.facebook.set_account(FacebookAccount::new(ALICE_FACEBOOK_ID, "Alice Example", None));
    let outcome = world.drive_login("facebook").await;
    let heading = outcome.expect_refused(403);
    assert!(heading.contains("Email"), "{outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}

#[tokio::test]
async fn facebook_login_started_from_odoos_button_lands_in_odoo_as_alice() {
    // Facebook appends `#_=_` to its redirect; the bridge's own fragment must replace it.
    let world = World::start().await;
    let outcome = world.drive_odoo_initiated("facebook").await;
    outcome.expect_logged_in(ALICE);
    assert_eq!(world.odoo_validations().await, 1);
}
