//! GitLab end to end, against the GitLab stand-in (OpenID discovery at the instance root).

mod standins;

use standins::drive::{gitlab_alice, World, ALICE};

#[tokio::test]
async fn gitlab_person_with_verified_email_lands_in_odoo_as_alice() {
    let world = World::start().await;
    let outcome = world.drive_login("gitlab").await;
    outcome.expect_logged_in(ALICE);
    assert_eq!(world.odoo_user(ALICE).await.oauth_provider_id, Some(world.records["gitlab"]));
}

#[tokio::test]
async fn gitlab_unverified_email_is_refused() {
    let world = World::start().await;
    world.gitlab.set_account(gitlab_alice().email("alice@example.com", false));
    let outcome = world.drive_login("gitlab").await;
    let heading = outcome.expect_refused(403);
    assert!(heading.contains("not verified"), "{outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}
