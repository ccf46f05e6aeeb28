//! `/account`: a person signs in through the bridge (the real binary, OpenID Connect stand-ins,
//! the Odoo simulator), sees the identities linked to their Odoo user and their recent logins,
//! unlinks one of two, cannot unlink the last, and "Sign out everywhere" ends their live Odoo
//! session. Forms without the session's CSRF token change nothing; without a session the page
//! sends them to sign in.

mod bridge_pages;
mod served;
mod standins;

use bridge_pages::{account, csrf, path_of, World};
use login_bridge::store::{AuditKind, AuditOutcome, AuditQuery};
use served::{explain, Browser, ALICE, ALICE_EMAIL};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_person_manages_their_identities_and_sessions_on_the_account_page() {
    let world = World::start(&[]).await;
    world.sso.set_account(account("alice-at-sso", ALICE_EMAIL));
    world.work.set_account(account("alice-at-work", ALICE_EMAIL));

    // Without a session: to the provider choice, which offers every provider.
    let mut browser = Browser::new();
    let page = browser.get(&world.url("/account?odoo=acme").parse().unwrap()).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let signin = path_of(page.location.as_deref().unwrap_or_default());
    assert_eq!(signin, "/account/signin?odoo=acme");
    let choice = browser.get(&world.url(&signin).parse().unwrap()).await;
    assert_eq!(choice.status, 200);
    assert!(choice.body.contains("Sign in with Acme SSO") && choice.body.contains("Sign in with Work SSO"), "{}", choice.body);
    assert!(choice.body.contains(r#"href="/account/signin/sso?odoo=acme""#), "{}", choice.body);
    // A POST without a session changes nothing and asks to sign in.
    let page = browser.post_form(&world.url("/account/revoke"), &[("odoo", "acme"), ("csrf", "x")]).await;
    assert_eq!((page.status, page.location.as_deref().map(path_of)), (303, Some(signin.clone())));

    // Alice signs in to Odoo with both providers: two identities linked to her user. (Each
    // OAuth sign-in to Odoo ends her earlier ones, as in real Odoo: this browser's is the live one.)
    let mut other_device = Browser::new();
    assert_eq!(world.odoo_login(&mut other_device, "work").await, Some(ALICE), "login to Odoo with work");
    assert_eq!(world.odoo_login(&mut browser, "sso").await, Some(ALICE), "login to Odoo with sso");
    // Logins as the audit log records them: hers, and someone else's that she must not see.
    world.audit_login("sso", AuditOutcome::Success, ALICE_EMAIL, Some(ALICE), "203.0.113.7").await;
    world.audit_login("work", AuditOutcome::Refused, ALICE_EMAIL, Some(ALICE), "203.0.113.8").await;
    world.audit_login("sso", AuditOutcome::Success, "admin@example.com", Some(2), "198.51.100.9").await;

    // She signs in to her account page with sso.
    let (page, hops) = world.sign_in(&mut browser, "/account/signin/sso?odoo=acme").await;
    assert_eq!(page.status, 200, "{}", explain(&page, &hops));
    assert!(hops.last().is_some_and(|h| h.contains("/account?odoo=acme")), "lands on the account page: {hops:?}");
    assert_eq!(page.headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let body = &page.body;
    assert!(body.contains("Linked identities") && body.contains("Acme SSO") && body.contains("Work SSO"), "{body}");
    assert!(body.contains(ALICE_EMAIL), "{body}");
    assert!(body.contains("203.0.113.7") && body.contains("203.0.113.8"), "her recent logins: {body}");
    assert!(!body.contains("198.51.100.9"), "nobody else's logins: {body}");
    assert_eq!(body.matches(">Unlink</button>").count(), 2, "both identities may be unlinked while there are two");
    let token = csrf(body);

    // CSRF: a missing or wrong token is refused and nothing changes.
    for fields in [vec![("odoo", "acme")], vec![("odoo", "acme"), ("csrf", "forged")]] {
        let page = browser.post_form(&world.url("/account/revoke"), &fields).await;
        assert_eq!(page.status, 403, "revoke with {fields:?}: {}", page.body);
        let mut unlink = fields.clone();
        unlink.extend([("provider", "work"), ("subject", "alice-at-work")]);
        let page = browser.post_form(&world.url("/account/unlink"), &unlink).await;
        assert_eq!(page.status, 403, "unlink with {fields:?}: {}", page.body);
    }
    assert_eq!(browser.odoo_uid(&world.odoo).await, Some(ALICE), "the refused revoke ended no session");
    assert!(world.store.find_link("work", "alice-at-work", "acme").await.unwrap().is_some(), "the refused unlink removed nothing");

    // Unlink the work identity.
    let page = browser.post_form(&world.url("/account/unlink"), &[("csrf", &token), ("odoo", "acme"), ("provider", "work"), ("subject", "alice-at-work")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(world.store.find_link("work", "alice-at-work", "acme").await.unwrap().is_none(), "unlinked");
    let page = browser.get(&world.url(&path_of(page.location.as_deref().unwrap())).parse().unwrap()).await;
    assert!(page.body.contains("The identity was unlinked"), "{}", page.body);
    assert_eq!(page.body.matches(">Unlink</button>").count(), 0, "the last identity offers no unlink");

    // The last one: refused, with a message, and it stays.
    let page = browser.post_form(&world.url("/account/unlink"), &[("csrf", &token), ("odoo", "acme"), ("provider", "sso"), ("subject", "alice-at-sso")]).await;
    assert_eq!(page.status, 303);
    let page = browser.get(&world.url(&path_of(page.location.as_deref().unwrap())).parse().unwrap()).await;
    assert!(page.body.contains("cannot be unlinked"), "{}", page.body);
    assert!(world.store.find_link("sso", "alice-at-sso", "acme").await.unwrap().is_some(), "the last identity stays linked");
    // Someone else's identity cannot be unlinked from her page.
    world.store.save_link(&login_bridge::store::IdentityLink {
        provider_id: "work".into(), upstream_subject: "admin-at-work".into(), odoo_id: "acme".into(), odoo_user_id: 2, bridge_subject: "login-bridge-2".into(), email: None,
    }).await.unwrap();
    let page = browser.post_form(&world.url("/account/unlink"), &[("csrf", &token), ("odoo", "acme"), ("provider", "work"), ("subject", "admin-at-work")]).await;
    assert_eq!(page.status, 303);
    assert!(world.store.find_link("work", "admin-at-work", "acme").await.unwrap().is_some(), "another user's link is untouched");

    // Sign out everywhere: her live Odoo session ends.
    assert_eq!(browser.odoo_uid(&world.odoo).await, Some(ALICE), "alive before");
    let page = browser.post_form(&world.url("/account/revoke"), &[("csrf", &token), ("odoo", "acme")]).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(browser.odoo_uid(&world.odoo).await, None, "her Odoo session ended");
    let page = browser.get(&world.url(&path_of(page.location.as_deref().unwrap())).parse().unwrap()).await;
    assert!(page.body.contains("Every Odoo session of yours has ended"), "{}", page.body);

    // The audit log says what she did, from where.
    let rows = world.store.audit_entries(&AuditQuery { user: Some(ALICE.to_string()), ..AuditQuery::default() }).await.unwrap();
    let unlink = rows.iter().find(|e| e.kind == AuditKind::Unlink && e.outcome == AuditOutcome::Success).expect("an unlink row");
    assert_eq!((unlink.provider_id.as_deref(), unlink.upstream_subject.as_deref(), unlink.ip.as_deref()), (Some("work"), Some("alice-at-work"), Some("127.0.0.1")));
    assert!(rows.iter().any(|e| e.kind == AuditKind::Unlink && e.outcome == AuditOutcome::Refused), "the refused unlink of the last identity is recorded");
    let revoke = rows.iter().find(|e| e.kind == AuditKind::Revoke).expect("a revoke row");
    assert_eq!((revoke.outcome, revoke.odoo_user_id, revoke.ip.as_deref()), (AuditOutcome::Success, Some(ALICE), Some("127.0.0.1")));

    // Sign out of the page: the session is gone, the page asks to sign in again.
    let page = browser.post_form(&world.url("/account/signout"), &[("csrf", &token), ("odoo", "acme")]).await;
    assert_eq!(page.status, 303);
    let page = browser.get(&world.url("/account?odoo=acme").parse().unwrap()).await;
    assert_eq!((page.status, page.location.as_deref().map(path_of)), (303, Some(signin)));
}

/// Someone the provider knows but who has no Odoo user gets a clear page, not someone else's.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_person_without_an_odoo_user_is_told_so() {
    let world = World::start(&[]).await;
    world.sso.set_account(account("stranger", "stranger@elsewhere.example"));
    let mut browser = Browser::new();
    let (page, hops) = world.sign_in(&mut browser, "/account/signin/sso?odoo=acme").await;
    assert_eq!(page.status, 403, "{}", explain(&page, &hops));
    assert!(page.body.contains("No Odoo user at Acme is linked to this sign-in"), "{}", page.body);
    assert!(!page.body.contains("Sign out everywhere"), "{}", page.body);
}
