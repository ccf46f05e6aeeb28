//! The JSON-RPC client and account linking, against the Odoo simulator.

mod common;

use login_bridge::{
    odoo::{
        link::{bridge_subject, link_person, provider_record_for, LinkError},
        OdooError,
    },
    policy::PolicyRefusal,
    upstream::UpstreamIdentity,
};

fn person(email: &str, verified: bool) -> UpstreamIdentity {
    UpstreamIdentity {
        provider_id: "devidp".into(),
        subject: format!("sub-{email}"),
        email: Some(email.into()),
        email_verified: verified,
        name: None,
        groups: Vec::new(),
    }
}

#[tokio::test]
async fn client_reads_version_and_users() {
    let odoo = common::odoo_sim(common::SEED).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), &odoo).await;
    let client = bridge.odoo("acme").expect("client");
    let version = client.version().await.expect("version");
    assert_eq!(version["server_serie"], "18.0");
    let users = client.users_where("login", "alice@example.com").await.expect("search");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].id, 6);
    assert_eq!(users[0].oauth_provider_id, None);
}

#[tokio::test]
async fn client_reports_a_wrong_api_key_as_such() {
    let odoo = common::odoo_sim(&common::SEED.replace("sim-admin-api-key", "rotated-key")).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), &odoo).await;
    let error = bridge.odoo("acme").expect("client").users_where("login", "x").await.expect_err("refused");
    assert!(matches!(error, OdooError::ApiKeyRejected { .. }), "{error:?}");
}

#[tokio::test]
async fn unreachable_odoo_is_reported_as_unreachable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:9").await;
    let error = bridge.odoo("acme").expect("client").version().await.expect_err("down");
    assert!(matches!(error, OdooError::Unreachable { .. }), "{error:?}");
}

#[tokio::test]
async fn links_existing_user_by_verified_email() {
    let odoo = common::odoo_sim(common::SEED).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), &odoo).await;
    let client = bridge.odoo("acme").expect("client");
    let linked = link_person(client, &bridge.store, &person("Alice@Example.com", true), 4).await.expect("linked");
    assert_eq!(linked.user.id, 6);
    assert_eq!(linked.subject, bridge_subject(6));
    let user = client.user(6).await.expect("read").expect("exists");
    assert_eq!(user.oauth_provider_id, Some(4));
    assert_eq!(user.oauth_uid.as_deref(), Some(linked.subject.as_str()));
    // The identity is remembered: the next login finds the same user through the link.
    let again = link_person(client, &bridge.store, &person("Alice@Example.com", true), 4).await.expect("linked again");
    assert_eq!((again.user.id, again.subject), (6, linked.subject));
    assert_eq!(again.user.oauth_provider_id, Some(4), "the second login sees the link already written");
}

#[tokio::test]
async fn links_by_email_field_when_login_differs() {
    let odoo = common::odoo_sim(common::SEED).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), &odoo).await;
    let linked = link_person(bridge.odoo("acme").expect("client"), &bridge.store, &person("bob@example.com", true), 4).await.expect("linked");
    assert_eq!(linked.user.id, 7);
}

#[tokio::test]
async fn refuses_unverified_email_and_writes_nothing() {
    let odoo = common::odoo_sim(common::SEED).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), &odoo).await;
    let client = bridge.odoo("acme").expect("client");
    let error = link_person(client, &bridge.store, &person("alice@example.com", false), 4).await.expect_err("refused");
    assert!(matches!(error, LinkError::Policy(PolicyRefusal::EmailNotVerified(_))), "{error:?}");
    assert_eq!(client.user(6).await.expect("read").expect("exists").oauth_uid, None);
}

#[tokio::test]
async fn no_account_ambiguous_and_archived_users_are_refused() {
    let odoo = common::odoo_sim(common::SEED).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), &odoo).await;
    let client = bridge.odoo("acme").expect("client");
    let error = link_person(client, &bridge.store, &person("carol@example.com", true), 4).await.expect_err("none");
    assert!(matches!(error, LinkError::NoAccount { .. }), "{error:?}");
    let error = link_person(client, &bridge.store, &person("twin@example.com", true), 4).await.expect_err("two");
    assert!(matches!(error, LinkError::Ambiguous { .. }), "{error:?}");
    let error = link_person(client, &bridge.store, &person("gone@example.com", true), 4).await.expect_err("archived");
    assert!(matches!(error, LinkError::Archived { .. }), "{error:?}");
}

#[tokio::test]
async fn finds_the_provider_record_pointing_at_the_bridge() {
    let odoo = common::odoo_sim(common::SEED).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let bridge = common::bridge(dir.path(), &odoo).await;
    let client = bridge.odoo("acme").expect("client");
    assert_eq!(provider_record_for(client, "http://127.0.0.1:3000", "devidp").await.expect("found"), 4);
    let error = provider_record_for(client, "http://127.0.0.1:3999", "devidp").await.expect_err("none points there");
    assert!(matches!(error, LinkError::NoProviderRecord));
}
