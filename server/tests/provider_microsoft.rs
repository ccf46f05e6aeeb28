//! Microsoft Entra ID end to end, multi-tenant (`tenant = "organizations"`), against the Entra
//! stand-in: the issuer is checked per token tenant, only `allowed_tenants` get in, the email is
//! trusted only with `xms_edov`, and a person is their `oid` + `tid`.

mod standins;

use serde_json::{Map, Value};
use standins::{
    drive::{microsoft_alice, Setup, World, ALICE, ALICE_EMAIL, ALICE_OID},
    microsoft::{EntraAccount, CONSUMERS_TENANT, TENANT_A, TENANT_B, TENANT_C},
};

#[tokio::test]
async fn microsoft_work_account_of_an_allowed_tenant_lands_in_odoo_as_alice() {
    let world = World::start().await;
    let outcome = world.drive_login("microsoft").await;
    outcome.expect_logged_in(ALICE);
    assert_eq!(world.odoo_user(ALICE).await.oauth_provider_id, Some(world.records["microsoft"]));
    let events = world.microsoft.events();
    assert!(events.iter().any(|e| e == "discovery organizations"), "discovery under the configured tenant: {events:?}");
}

#[tokio::test]
async fn microsoft_account_of_a_tenant_not_in_allowed_tenants_is_refused() {
    let world = World::start().await;
    world.microsoft.set_account(EntraAccount::new("5b8f0a3c-2d1e-4f6a-9b7c-8d0e1f2a3b4c", TENANT_C, ALICE_EMAIL));
    let outcome = world.drive_login("microsoft").await;
    let heading = outcome.expect_refused(403);
    assert!(!heading.contains("No Odoo account") && !heading.contains("not verified"), "refused for the wrong reason: {outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None, "nothing linked");
}

#[tokio::test]
async fn microsoft_email_without_xms_edov_is_not_trusted_for_linking() {
    let world = World::start().await;
    world.microsoft.set_account(microsoft_alice().xms_edov(None));
    let outcome = world.drive_login("microsoft").await;
    let heading = outcome.expect_refused(403);
    assert!(heading.contains("not verified"), "{outcome}");
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);

    world.microsoft.set_account(microsoft_alice().xms_edov(Some(false)));
    world.drive_login("microsoft").await.expect_refused(403);
}

#[tokio::test]
async fn microsoft_person_is_oid_plus_tid_so_a_changed_email_reaches_the_same_user() {
    let world = World::start().await;
    world.drive_login("microsoft").await.expect_logged_in(ALICE);

    // Same person (oid, tid), new address that no Odoo account has: found through the link.
    world.microsoft.set_account(EntraAccount::new(ALICE_OID, TENANT_A, "alice.renamed@example.com"));
    let again = world.drive_login("microsoft").await;
    again.expect_logged_in(ALICE);

    // Same oid in another (allowed) tenant is another person: no link, and no account for the address.
    world.microsoft.set_account(EntraAccount::new(ALICE_OID, TENANT_B, "alice.renamed@example.com"));
    let other = world.drive_login("microsoft").await;
    let heading = other.expect_refused(403);
    assert!(heading.contains("No Odoo account"), "{other}");
}

#[tokio::test]
async fn microsoft_token_whose_iss_names_another_tenant_than_its_tid_is_refused() {
    let world = World::start().await;
    let mut forged = Map::new();
    forged.insert("iss".into(), Value::String(format!("{}/{TENANT_B}/v2.0", world.microsoft.authority())));
    world.microsoft.tamper_id_token(forged);
    let outcome = world.drive_login("microsoft").await;
    outcome.expect_refused_with_one_of(&[403, 502]);
    assert_eq!(world.odoo_user(ALICE).await.oauth_uid, None);
}

#[tokio::test]
async fn microsoft_personal_account_email_is_trusted_without_xms_edov() {
    let mut setup = Setup::new().await;
    let redirect = setup.redirect_uri("msa");
    setup.microsoft.state.registration.add_redirect_uri(&redirect);
    let body = format!(
        "kind = \"microsoft\"\nclient_id = \"{}\"\nclient_secret_env = \"{}\"\nauthority = \"{}\"\ntenant = \"consumers\"\n",
        standins::drive::MICROSOFT_APP.0,
        standins::drive::MICROSOFT_APP.1,
        setup.microsoft.authority()
    );
    setup.add_provider("msa", &body);
    let world = setup.launch().await;
    world.microsoft.set_account(EntraAccount::new("00000000-0000-0000-a1b2-c3d4e5f60718", CONSUMERS_TENANT, ALICE_EMAIL).xms_edov(None));
    let outcome = world.drive_login("msa").await;
    outcome.expect_logged_in(ALICE);
    assert_eq!(world.odoo_user(ALICE).await.oauth_provider_id, Some(world.records["msa"]));
}
