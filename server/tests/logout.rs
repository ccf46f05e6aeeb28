//! Logout and session lifetime, end to end with the Keycloak-like stand-in and the Odoo
//! simulator: Alice signs in through the bridge with a cookie-keeping browser, then her Odoo
//! session is ended (or kept) by a back-channel logout token, the RP-initiated logout,
//! `max_session_age` or the upstream re-validation; Odoo's `get_session_info` says which.

mod standins;

use login_bridge::{
    odoo_sessions::{expiry, revalidate},
    store::{AuditEntry, AuditKind, AuditOutcome, AuditQuery},
    tokens::unix_now,
};
use serde_json::{json, Map, Value};
use standins::{
    drive::{oidc_alice, Browser, Setup, World, ALICE, KEY_SPARE, ODOO_ID},
    Mode, SigningKey,
};

/// The kid the stand-in's real key is published under (drive.rs).
const OIDC_KID: &str = "Xk3oQ0n2a8VwR1-standin-rs256";

fn alice_sub() -> String {
    oidc_alice().sub
}

/// Alice signed in to Odoo through the bridge with the generic OpenID provider.
async fn signed_in(world: &World) -> Browser {
    let mut browser = Browser::new();
    world.drive_login_in(&mut browser, "oidc").await.expect_logged_in(ALICE);
    browser
}

async fn odoo_uid(world: &World, browser: &mut Browser) -> Option<i64> {
    browser.odoo_session(&world.odoo_url).await.map(|s| s.uid)
}

/// What the provider does: `POST /logout/backchannel/{provider}` with `logout_token`.
async fn backchannel(world: &World, provider: &str, token: &str) -> (u16, Option<String>, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/logout/backchannel/{provider}", world.bridge_url))
        .form(&[("logout_token", token)])
        .send()
        .await
        .expect("back-channel logout answers");
    let status = response.status().as_u16();
    let cache = response.headers().get("cache-control").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = response.text().await.unwrap_or_default();
    (status, cache, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn with_sub(mut claims: Map<String, Value>, sub: &str) -> Map<String, Value> {
    claims.insert("sub".into(), sub.into());
    claims
}

async fn audit_rows(world: &World, kind: AuditKind) -> Vec<AuditEntry> {
    world.bridge.store.audit_entries(&AuditQuery { kind: Some(kind), ..AuditQuery::default() }).await.expect("audit rows")
}

#[tokio::test]
async fn a_valid_backchannel_logout_token_ends_the_live_odoo_session() {
    let world = World::start().await;
    let mut browser = signed_in(&world).await;
    assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE), "the session is alive before the logout");

    let token = world.oidc.sign(&with_sub(world.oidc.logout_claims(), &alice_sub()));
    let (status, cache, body) = backchannel(&world, "oidc", &token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(cache.as_deref(), Some("no-store"));

    assert_eq!(odoo_uid(&world, &mut browser).await, None, "Odoo must have ended Alice's session");
    let rows = audit_rows(&world, AuditKind::Logout).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].outcome, AuditOutcome::Success);
    assert_eq!(rows[0].reason.as_deref(), Some("back-channel logout from oidc"));
    assert_eq!((rows[0].odoo_id.as_deref(), rows[0].odoo_user_id), (Some(ODOO_ID), Some(ALICE)));
    assert_eq!(rows[0].upstream_subject.as_deref(), Some(alice_sub().as_str()));
    // She can sign in again at once.
    signed_in(&world).await;
}

#[tokio::test]
async fn every_invalid_logout_token_is_refused_with_400_and_the_session_stays() {
    let world = World::start().await;
    let mut browser = signed_in(&world).await;
    let good = || with_sub(world.oidc.logout_claims(), &alice_sub());
    let changed = |key: &str, value: Value| {
        let mut claims = good();
        claims.insert(key.into(), value);
        world.oidc.sign(&claims)
    };
    let without = |key: &str| {
        let mut claims = good();
        claims.remove(key);
        world.oidc.sign(&claims)
    };
    let forged = SigningKey::new(KEY_SPARE, OIDC_KID).sign_jwt(&Value::Object(good()));
    let cases: Vec<(&str, &str, String)> = vec![
        ("bad signature (another key, same kid)", "signature", forged),
        ("wrong aud", "aud", changed("aud", json!("someone-else"))),
        ("aud list without us", "aud", changed("aud", json!(["someone-else", "another"]))),
        ("wrong iss", "iss", changed("iss", json!("http://127.0.0.1:9/realms/evil"))),
        ("nonce present (an ID token)", "nonce", changed("nonce", json!("n-0S6_WzA2Mj"))),
        ("missing events", "events", without("events")),
        ("wrong event", "events", changed("events", json!({"http://schemas.openid.net/event/other": {}}))),
        ("missing jti", "jti", without("jti")),
        ("iat an hour old", "iat", changed("iat", json!(unix_now() - 3600))),
        ("expired", "expired", changed("exp", json!(unix_now() - 3600))),
        ("neither sub nor sid", "neither sub nor sid", without("sub")),
        ("unknown sub", "no session or linked account", changed("sub", json!("someone-nobody-knows"))),
        ("not a JWT", "not a signed JWT", "not-a-jwt".to_string()),
        ("unsigned (alg none)", "algorithm", {
            let header = standins::b64url(br#"{"alg":"none","typ":"JWT"}"#);
            let payload = standins::b64url(Value::Object(good()).to_string().as_bytes());
            format!("{header}.{payload}.")
        }),
    ];
    for (what, why, token) in &cases {
        let (status, cache, body) = backchannel(&world, "oidc", token).await;
        assert_eq!(status, 400, "{what}: {body}");
        assert!(body["error_description"].as_str().unwrap_or_default().contains(why), "{what} must be refused for its {why}: {body}");
        assert_eq!(body["error"], "invalid_request", "{what}: {body}");
        assert!(body["error_description"].as_str().is_some_and(|d| !d.is_empty()), "{what}: {body}");
        assert_eq!(cache.as_deref(), Some("no-store"), "{what}");
        assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE), "{what}: the session must stay alive");
    }
    let (status, _, body) = backchannel(&world, "github", &world.oidc.sign(&good())).await;
    assert_eq!(status, 400, "GitHub has no back-channel logout: {body}");
    let (status, _, body) = backchannel(&world, "nope", &world.oidc.sign(&good())).await;
    assert_eq!(status, 400, "unknown provider: {body}");
    let response = reqwest::Client::new().post(format!("{}/logout/backchannel/oidc", world.bridge_url)).form(&[("other", "x")]).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 400, "no logout_token");
    assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE));
    assert!(audit_rows(&world, AuditKind::Logout).await.is_empty(), "nothing was logged out");
}

#[tokio::test]
async fn a_replayed_logout_token_is_refused_and_the_new_session_stays() {
    let world = World::start().await;
    let mut first = signed_in(&world).await;
    let token = world.oidc.sign(&with_sub(world.oidc.logout_claims(), &alice_sub()));
    assert_eq!(backchannel(&world, "oidc", &token).await.0, 200);
    assert_eq!(odoo_uid(&world, &mut first).await, None);

    let mut second = signed_in(&world).await;
    let (status, _, body) = backchannel(&world, "oidc", &token).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error_description"].as_str().unwrap_or_default().contains("jti"), "{body}");
    assert_eq!(odoo_uid(&world, &mut second).await, Some(ALICE), "the replay must not end the new session");
}

#[tokio::test]
async fn a_sid_only_logout_token_ends_the_session_of_that_upstream_session() {
    let world = World::start().await;
    let mut browser = signed_in(&world).await;
    let recorded = world.bridge.store.session(ODOO_ID, ALICE).await.unwrap().expect("the sign-in was recorded");
    let sid = recorded.upstream_sid.expect("the ID token's sid was recorded at sign-in");

    let mut other = world.oidc.logout_claims();
    other.insert("sid".into(), "some-other-session".into());
    assert_eq!(backchannel(&world, "oidc", &world.oidc.sign(&other)).await.0, 400, "an unknown sid matches nobody");
    assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE));

    let mut claims = world.oidc.logout_claims();
    claims.insert("sid".into(), sid.into());
    let (status, _, body) = backchannel(&world, "oidc", &world.oidc.sign(&claims)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(odoo_uid(&world, &mut browser).await, None);
    assert_eq!(world.bridge.store.session(ODOO_ID, ALICE).await.unwrap(), None, "the record of the ended session is gone");
}

#[tokio::test]
async fn rp_initiated_logout_goes_to_the_provider_then_back_then_to_odoos_logout() {
    let world = World::start().await;
    let mut browser = signed_in(&world).await;
    browser.hops.clear();
    let page = browser.navigate(&format!("{}/logout?odoo={ODOO_ID}&provider=oidc", world.bridge_url)).await;
    assert_eq!(page.status, 200, "ends on Odoo's login page: {:?}", browser.hops);
    let hops = browser.hops.join("\n");
    // The position of the request to `url…` (the hop's own URL, not a Location it answered).
    let at = |url: &str| browser.hops.iter().position(|h| h.starts_with(&format!("GET {url}"))).unwrap_or_else(|| panic!("no request to {url}:\n{hops}"));
    let start = at(&format!("{}/logout?odoo=", world.bridge_url));
    let provider = at(&format!("{}/protocol/openid-connect/logout?", world.oidc.issuer()));
    let done = at(&format!("{}/logout/done", world.bridge_url));
    let odoo = at(&format!("{}/web/session/logout", world.odoo_url));
    assert!(start < provider && provider < done && done < odoo, "order bridge → provider → done → Odoo:\n{hops}");
    let end_session = &browser.hops[provider];
    for param in ["client_id=login-bridge", "post_logout_redirect_uri=", "state="] {
        assert!(end_session.contains(param), "{param} missing: {end_session}");
    }
    assert!(world.oidc.events().iter().any(|e| e.starts_with("end_session")), "the provider's session was ended");
    assert_eq!(odoo_uid(&world, &mut browser).await, None, "the Odoo session is over");
}

#[tokio::test]
async fn logout_without_an_end_session_endpoint_goes_straight_to_odoo_and_unknown_ids_get_the_error_page() {
    let world = World::start().await;
    let mut browser = signed_in(&world).await;
    browser.hops.clear();
    browser.navigate(&format!("{}/logout?odoo={ODOO_ID}&provider=github", world.bridge_url)).await;
    assert!(browser.hops[0].contains(&format!("303 Location: {}/web/session/logout", world.odoo_url)), "{:?}", browser.hops);
    assert_eq!(odoo_uid(&world, &mut browser).await, None);

    for (query, status) in [("odoo=nope", 404), (&format!("odoo={ODOO_ID}&provider=nope") as &str, 404)] {
        let page = Browser::new().navigate(&format!("{}/logout?{query}", world.bridge_url)).await;
        assert_eq!(page.status, status, "{query}: {}", page.body);
        assert!(page.body.contains("<h1"), "the translated error page: {}", page.body);
    }
}

#[tokio::test]
async fn max_session_age_ends_a_session_once_it_is_older_and_not_before() {
    let mut setup = Setup::new().await;
    setup.odoo_extra = "max_session_age = \"1h\"\n".into();
    let world = setup.launch().await;
    let mut browser = signed_in(&world).await;
    let now = unix_now();

    assert_eq!(expiry::run_once(&world.bridge, now + 60).await.unwrap(), 0, "a minute old: kept");
    assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE));

    assert_eq!(expiry::run_once(&world.bridge, now + 3601).await.unwrap(), 1);
    assert_eq!(odoo_uid(&world, &mut browser).await, None, "past max_session_age the session is over");
    let rows = audit_rows(&world, AuditKind::SessionExpired).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].odoo_user_id, Some(ALICE));
    assert_eq!(expiry::run_once(&world.bridge, now + 7200).await.unwrap(), 0, "ended once, not every minute");
}

async fn revalidated_world() -> World {
    let mut setup = Setup::new().await;
    let oidc = setup.providers.iter_mut().find(|p| p.id == "oidc").expect("oidc provider");
    oidc.body.push_str("revalidate_every = \"15m\"\n");
    setup.launch().await
}

#[tokio::test]
async fn revalidation_keeps_a_valid_session_and_ends_it_when_the_account_is_disabled() {
    let world = revalidated_world().await;
    let mut browser = signed_in(&world).await;
    assert!(world.oidc.events().iter().any(|e| e.starts_with("token issued") && e.contains("offline_access")), "{:?}", world.oidc.events());
    let stored = world.bridge.store.session(ODOO_ID, ALICE).await.unwrap().expect("recorded");
    assert!(stored.refresh_token.is_some(), "the refresh token is kept while the session lives");
    let now = unix_now();

    let summary = revalidate::run_once(&world.bridge, now).await.unwrap();
    assert_eq!(summary, revalidate::Summary::default(), "not due before 15 minutes");
    let summary = revalidate::run_once(&world.bridge, now + 901).await.unwrap();
    assert_eq!(summary.still_valid, 1, "{summary:?}");
    assert_eq!(world.oidc.count("token refreshed"), 1);
    assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE), "a valid refresh keeps the session");

    world.oidc.disable_account(&alice_sub());
    let summary = revalidate::run_once(&world.bridge, now + 901 + 901).await.unwrap();
    assert_eq!(summary.ended, 1, "{summary:?}");
    assert_eq!(odoo_uid(&world, &mut browser).await, None, "a disabled account's session ends");
    let rows = audit_rows(&world, AuditKind::Revalidation).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].outcome, AuditOutcome::Refused);
    assert!(rows[0].reason.as_deref().unwrap_or_default().contains("invalid_grant"), "{rows:?}");
    assert_eq!(world.bridge.store.session(ODOO_ID, ALICE).await.unwrap(), None, "the refresh token is deleted with the session");
}

#[tokio::test]
async fn revalidation_keeps_the_session_when_the_provider_cannot_be_reached() {
    let world = revalidated_world().await;
    let mut browser = signed_in(&world).await;
    world.oidc.set_mode(Mode::Failing);
    let now = unix_now();
    let summary = revalidate::run_once(&world.bridge, now + 901).await.unwrap();
    assert_eq!(summary.deferred, 1, "{summary:?}");
    assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE), "an outage never ends a session");
    assert!(audit_rows(&world, AuditKind::Revalidation).await.is_empty());

    // Back up: the next run re-validates (the token was not used up by the failed attempt).
    world.oidc.set_mode(Mode::Up);
    let summary = revalidate::run_once(&world.bridge, now + 901 + revalidate::RETRY_AFTER_SECS - 1).await.unwrap();
    assert_eq!(summary, revalidate::Summary::default(), "the next attempt waits a minute");
    let summary = revalidate::run_once(&world.bridge, now + 901 + revalidate::RETRY_AFTER_SECS).await.unwrap();
    assert_eq!(summary.still_valid, 1, "{summary:?}");
    assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE));
}

#[tokio::test]
async fn forged_logout_tokens_are_refused_and_cost_at_most_one_key_fetch_a_minute() {
    let world = World::start().await;
    let mut browser = signed_in(&world).await;
    let jwks_before = world.oidc.count("jwks");
    // Forged tokens with unknown kids: refused, and together they make the bridge fetch the
    // provider's keys at most once (anyone can POST to the endpoint).
    for i in 0..5 {
        let forged = SigningKey::new(KEY_SPARE, &format!("forged-{i}")).sign_jwt(&Value::Object(with_sub(world.oidc.logout_claims(), &alice_sub())));
        let (status, _, body) = backchannel(&world, "oidc", &forged).await;
        assert_eq!(status, 400, "{body}");
    }
    assert!(world.oidc.count("jwks") <= jwks_before + 1, "forgeries made the bridge fetch keys {} times", world.oidc.count("jwks") - jwks_before);
    assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE));
}

#[tokio::test]
async fn a_logout_token_from_a_provider_that_rotated_its_keys_ends_the_session() {
    let world = World::start().await;
    let mut browser = signed_in(&world).await;
    world.oidc.rotate_keys(SigningKey::new(KEY_SPARE, "rotated-2026"));
    let token = world.oidc.sign(&with_sub(world.oidc.logout_claims(), &alice_sub()));
    let (status, _, body) = backchannel(&world, "oidc", &token).await;
    assert_eq!(status, 200, "the bridge fetches the new keys once and accepts: {body}");
    assert_eq!(odoo_uid(&world, &mut browser).await, None);
}

#[tokio::test]
async fn a_sealed_refresh_token_is_stored_unreadable_and_still_revalidates() {
    let key_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(key_file.path(), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n").unwrap();
    let mut setup = Setup::new().await;
    let oidc = setup.providers.iter_mut().find(|p| p.id == "oidc").expect("oidc provider");
    oidc.body.push_str("revalidate_every = \"15m\"\n");
    // A top-level table after the last [[provider]].
    let last = setup.providers.last_mut().expect("providers");
    last.body.push_str(&format!("\n[sessions]\nrefresh_token_key_file = \"{}\"\n", key_file.path().display()));
    let world = setup.launch().await;
    let mut browser = signed_in(&world).await;

    let stored = world.bridge.store.session(ODOO_ID, ALICE).await.unwrap().and_then(|s| s.refresh_token).expect("a refresh token is kept");
    assert!(stored.starts_with("gcm1:"), "sealed: {stored}");
    assert!(!stored.contains("eyJhbGciOiJIUzUxMiJ9."), "the provider's token must not be readable in the store: {stored}");

    let summary = revalidate::run_once(&world.bridge, unix_now() + 901).await.unwrap();
    assert_eq!(summary.still_valid, 1, "the sealed token opens and is used: {summary:?}");
    let rotated = world.bridge.store.session(ODOO_ID, ALICE).await.unwrap().and_then(|s| s.refresh_token).expect("kept");
    assert!(rotated.starts_with("gcm1:") && rotated != stored, "the rotated token is stored sealed");
    assert_eq!(odoo_uid(&world, &mut browser).await, Some(ALICE));
}
