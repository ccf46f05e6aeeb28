//! GitHub end to end, against the GitHub stand-in (github.com + api.github.com): the person is
//! the numeric id, the email is the primary verified one from /user/emails, and membership of
//! `allowed_organizations` comes from /user/orgs.

mod standins;

use standins::{
    drive::{github_alice, World, ALICE, ALICE_GITHUB_ID},
    github::{GithubAccount, GithubEmail, GithubOrg},
    Decision,
};

#[tokio::test]
async fn github_member_of_an_allowed_org_with_a_verified_primary_email_lands_in_odoo_as_alice() {
    let world = World::start().await;
    let outcome = world.drive_login("github").await;
    outcome.expect_logged_in(ALICE);
    assert_eq!(world.odoo_user(ALICE).await.oauth_provider_id, Some(world.records["github"]));
    let events = world.github.events();
    assert!(events.iter().any(|e| e == "api /user/emails"), "{events:?}");
    assert!(events.iter().any(|e| e == "api /user/orgs (all)"), "the bridge must ask for read:org to see private memberships: {events:?}");
}

#[tokio::test]
async fn github_user_whose_primary_email_is_unverified_is_refused_even_with_another_verified_address() {
    let world = World::start().await;
    world.github.set_account(
        GithubAccount::new(ALICE_GITHUB_ID, "alice-example")
            .email(GithubEmail::new("alice@example.com", true, false))
            .email(GithubEmail::new("bob@example.com", false, true))
            .org(GithubOrg::new("acme", 9919)),
    );
    let outcome = world.drive_login("github").await;
    let heading = outcome.expect_refused(403);
    assert!(heading.contains("Email address"), "{outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
    assert_eq!(world.odoo_user(standins::drive::BOB).await.oauth_uid, None, "a secondary address is not the person's email");
}

#[tokio::test]
async fn github_renamed_login_with_a_new_email_still_reaches_the_same_odoo_user() {
    let world = World::start().await;
    world.drive_login("github").await.expect_logged_in(ALICE);
    let linked = world.odoo_user(ALICE).await.oauth_uid;

    // Same numeric id; new login and a primary address no Odoo account has.
    world.github.set_account(
        GithubAccount::new(ALICE_GITHUB_ID, "alice-renamed")
            .email(GithubEmail::new("alice@new-employer.example", true, true))
            .org(GithubOrg::new("acme", 9919)),
    );
    world.drive_login("github").await.expect_logged_in(ALICE);
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, linked, "the Odoo link does not change");

    // Another GitHub user with Alice's old login name is someone else.
    world.github.set_account(
        GithubAccount::new(9_000_001, "alice-example")
            .email(GithubEmail::new("mallory@example.net", true, true))
            .org(GithubOrg::new("acme", 9919)),
    );
    let other = world.drive_login("github").await;
    assert!(other.expect_refused(403).contains("No Odoo account"), "{other}");
}

#[tokio::test]
async fn github_user_outside_the_allowed_organizations_is_refused() {
    let world = World::start().await;
    let mut account = github_alice();
    account.orgs = vec![GithubOrg::new("other-org", 4242), GithubOrg { public_membership: true, ..GithubOrg::new("acme-fans", 4343) }];
    world.github.set_account(account);
    let outcome = world.drive_login("github").await;
    let heading = outcome.expect_refused(403);
    assert!(!heading.contains("No Odoo account") && !heading.contains("not verified"), "refused for the wrong reason: {outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}

#[tokio::test]
async fn github_consent_denied_shows_a_cancelled_page() {
    let world = World::start().await;
    world.github.set_decision(Decision::Deny);
    let outcome = world.drive_login("github").await;
    let heading = outcome.expect_refused(403);
    assert!(heading.contains("cancelled"), "{outcome}");
    assert_eq!(world.github.count("token issued"), 0);
}
