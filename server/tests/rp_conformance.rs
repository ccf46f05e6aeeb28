//! The OpenID Foundation's relying-party conformance cases of the Basic and Config profiles
//! (`rp-…`, named here with `-` → `_`), each played end to end against the hostile provider
//! (`tests/hostile/`): browser → bridge → provider → bridge callback → Odoo, then "who is
//! logged in?" at the Odoo simulator.
//!
//! Every refusal test also checks that nothing was written (no token minted, no link, Alice's
//! Odoo record untouched), that the code was redeemed exactly once (no retry), and ends with a
//! control login against the now honest provider, so the refusal is known to come from the
//! misbehaviour and not from a broken set-up.
//!
//! `rp-id_token-sig-none`: the suite lets a code-flow RP accept an unsigned ID token only if it
//! registered `id_token_signed_response_alg=none`; the bridge never does, so it must refuse.
//! `rp-id_token-kid-absent-multiple-jwks`: the suite accepts rejecting (the RP cannot tell which
//! key) or trying every key; the bridge (through `openidconnect`) rejects, which is what we pin.

mod hostile;
mod standins;

use hostile::{ClientAuth, Endpoint, HostileWorld, Kind, Scenario, Setup, RECORD};

/// The refusal every ID-token defect must produce, plus "nothing written, no retry".
async fn refused_as_unverifiable(world: &HostileWorld, scenario: Scenario) {
    let tokens_before = world.idp.count(Kind::Token);
    world.idp.set(scenario.clone());
    let outcome = world.login().await;
    world.expect_unverified(&outcome);
    assert_eq!(
        world.idp.count(Kind::Token),
        tokens_before + 1,
        "{scenario:?}: the code must be redeemed exactly once\n{}",
        world.idp.journal()
    );
    world.expect_nothing_issued().await;
}

/// The same world logs Alice in once the provider behaves again.
async fn control_login(world: &HostileWorld) {
    world.idp.set(Scenario::Honest);
    let outcome = world.login().await;
    world.expect_alice(&outcome);
    assert_eq!(world.alice_provider_record().await, Some(RECORD));
}


#[tokio::test]
async fn rp_response_type_code() {
    let world = HostileWorld::start().await;
    let outcome = world.login().await;
    world.expect_alice(&outcome);

    let authorize = world.idp.hits_of(Kind::Authorize);
    assert_eq!(authorize.len(), 1, "{}", world.idp.journal());
    assert_eq!(authorize[0].param("response_type"), Some("code"), "authorization code flow");
    assert!(matches!(authorize[0].param("response_mode"), None | Some("query")), "{:?}", authorize[0]);
    assert!(authorize[0].param("scope").unwrap_or_default().split(' ').any(|s| s == "openid"));
    let token = world.idp.hits_of(Kind::Token);
    assert_eq!(token.len(), 1, "one code, one exchange\n{}", world.idp.journal());
    assert_eq!(token[0].param("grant_type"), Some("authorization_code"));
    assert_eq!(token[0].status, 200);
    let code_in_callback = outcome.hops.iter().find(|h| h.contains("/callback/hostile?")).expect("callback hop");
    assert!(code_in_callback.contains(token[0].param("code").expect("code")), "the code redeemed is the one the browser brought back");
    assert_eq!(world.issued_tokens().await, 1);
    assert_eq!(world.alice_provider_record().await, Some(RECORD), "Alice is linked to the provider's Odoo record");
}

#[tokio::test]
async fn rp_id_token_sig_none() {
    let world = HostileWorld::start().await;
    refused_as_unverifiable(&world, Scenario::AlgNone).await;
    control_login(&world).await;
}

#[tokio::test]
async fn rp_id_token_bad_sig_rs256() {
    let world = HostileWorld::start().await;
    refused_as_unverifiable(&world, Scenario::BadSignature).await;
    control_login(&world).await;
}

#[tokio::test]
async fn rp_id_token_kid_absent_single_jwks() {
    let world = HostileWorld::start().await;
    world.idp.set(Scenario::KidAbsentSingleKey);
    assert_eq!(world.idp.published_kids().len(), 1);
    let outcome = world.login().await;
    world.expect_alice(&outcome);
    assert_eq!(world.idp.count(Kind::Token), 1, "{}", world.idp.journal());
    assert_eq!(world.issued_tokens().await, 1);
}

#[tokio::test]
async fn rp_id_token_kid_absent_multiple_jwks() {
    let setup = Setup::new().await;
    // Published from the start: the bridge's cached JWKS already holds both keys.
    setup.idp.set(Scenario::KidAbsentMultipleKeys);
    let world = setup.launch().await;
    assert_eq!(world.idp.published_kids().len(), 2, "the JWKS must hold two keys");
    refused_as_unverifiable(&world, Scenario::KidAbsentMultipleKeys).await;
    control_login(&world).await;
}

#[tokio::test]
async fn rp_id_token_iat() {
    let world = HostileWorld::start().await;
    // The suite's case: no iat at all.
    refused_as_unverifiable(&world, Scenario::MissingIat).await;
    // Issued two days ago but with a valid exp: only an iat check catches it.
    refused_as_unverifiable(&world, Scenario::IatOffset(-2 * 86_400)).await;
    // Issued two days from now.
    refused_as_unverifiable(&world, Scenario::IatOffset(2 * 86_400)).await;
    control_login(&world).await;
}

#[tokio::test]
async fn rp_id_token_aud() {
    let world = HostileWorld::start().await;
    refused_as_unverifiable(&world, Scenario::WrongAudience).await;
    // This client plus an untrusted one, and no azp to say which party it was issued to.
    refused_as_unverifiable(&world, Scenario::ExtraAudienceWithoutAzp).await;
    control_login(&world).await;
}

#[tokio::test]
async fn rp_id_token_issuer_mismatch() {
    let world = HostileWorld::start().await;
    refused_as_unverifiable(&world, Scenario::WrongIdTokenIssuer).await;
    control_login(&world).await;
}

#[tokio::test]
async fn rp_id_token_sub() {
    let world = HostileWorld::start().await;
    refused_as_unverifiable(&world, Scenario::MissingSub).await;
    control_login(&world).await;
}

#[tokio::test]
async fn rp_nonce_invalid() {
    let world = HostileWorld::start().await;
    refused_as_unverifiable(&world, Scenario::WrongNonce).await;
    refused_as_unverifiable(&world, Scenario::MissingNonce).await;
    for hit in world.idp.hits_of(Kind::Authorize) {
        let nonce = hit.param("nonce").unwrap_or_default();
        assert!(nonce.len() >= 43, "the bridge must send a fresh nonce of 256 bits: {hit:?}");
    }
    control_login(&world).await;
}

#[tokio::test]
async fn rp_userinfo_bad_sub_claim() {
    let world = HostileWorld::start().await;
    // The ID token has no email, so the bridge must ask userinfo, which answers for someone else.
    refused_as_unverifiable(&world, Scenario::UserinfoOtherSub).await;
    let userinfo = world.idp.hits_of(Kind::UserInfo);
    assert_eq!(userinfo.len(), 1, "the bridge asked userinfo once\n{}", world.idp.journal());
    assert_eq!(userinfo[0].status, 200);
    control_login(&world).await;
}

#[tokio::test]
async fn rp_scope_userinfo_claims() {
    let world = HostileWorld::start().await;
    world.idp.set(Scenario::ClaimsOnlyInUserinfo);
    let outcome = world.login().await;
    world.expect_alice(&outcome);

    let scope = world.idp.hits_of(Kind::Authorize)[0].param("scope").unwrap_or_default().to_string();
    let scopes: Vec<&str> = scope.split(' ').collect();
    for wanted in ["openid", "email", "profile"] {
        assert!(scopes.contains(&wanted), "scope {scope:?} must request {wanted}");
    }
    let userinfo = world.idp.hits_of(Kind::UserInfo);
    assert_eq!(userinfo.len(), 1, "the email came from userinfo\n{}", world.idp.journal());
    assert_eq!(userinfo[0].status, 200, "called with the access token of this login");
    assert_eq!(world.issued_tokens().await, 1);
    assert_eq!(world.alice_provider_record().await, Some(RECORD));
}

#[tokio::test]
async fn rp_token_endpoint_client_secret_basic() {
    let setup = Setup::new().await;
    // Discovery advertises client_secret_basic only; the token endpoint refuses anything else.
    setup.idp.set(Scenario::RequireClientSecretBasic);
    let world = setup.launch().await;
    let outcome = world.login().await;
    world.expect_alice(&outcome);

    let token = world.idp.hits_of(Kind::Token);
    assert_eq!(token.len(), 1, "{}", world.idp.journal());
    assert_eq!(token[0].client_auth, Some(ClientAuth::Basic), "{:?}", token[0]);
    assert_eq!(token[0].param("client_secret"), None, "the secret must not also travel in the body");
}

#[tokio::test]
async fn rp_discovery_openid_configuration() {
    let world = HostileWorld::start().await;
    // Every endpoint lives under a random prefix only the discovery document names.
    let discovery = world.idp.hits_of(Kind::Discovery);
    assert!(!discovery.is_empty(), "the bridge fetched {}", world.idp.path_of(Endpoint::Discovery));
    assert_eq!(discovery[0].path, "/.well-known/openid-configuration");
    assert_eq!(world.provider_status().await.0, "ok");

    let outcome = world.login().await;
    world.expect_alice(&outcome);
    let authorize = world.idp.hits_of(Kind::Authorize);
    assert_eq!(authorize[0].path, world.idp.path_of(Endpoint::Authorize));
    let token = world.idp.hits_of(Kind::Token);
    assert_eq!(token[0].path, world.idp.path_of(Endpoint::Token));
    assert_eq!(world.idp.count(Kind::Unknown), 0, "no request to a path discovery did not name\n{}", world.idp.journal());
}

#[tokio::test]
async fn rp_discovery_jwks_uri_keys() {
    let world = HostileWorld::start().await;
    let jwks = world.idp.hits_of(Kind::Jwks);
    assert!(!jwks.is_empty(), "the keys were fetched from jwks_uri\n{}", world.idp.journal());
    assert_eq!(jwks[0].path, world.idp.path_of(Endpoint::Jwks));
    assert_eq!(world.idp.published_kids(), vec![world.idp.signing_kid()]);

    let outcome = world.login().await;
    world.expect_alice(&outcome);
    assert_eq!(world.idp.count(Kind::Unknown), 0, "{}", world.idp.journal());
}

#[tokio::test]
async fn rp_discovery_issuer_not_matching_config() {
    let setup = Setup::new().await;
    setup.idp.set(Scenario::DiscoveryIssuerMismatch);
    let world = setup.launch().await;

    let (status, reason) = world.provider_status().await;
    assert_eq!(status, "down", "an admin sees the provider refused at /readyz");
    assert!(reason.to_lowercase().contains("issuer"), "the reason names the issuer: {reason}");
    let outcome = world.login().await;
    world.expect_unavailable(&outcome);
    world.expect_nothing_issued().await;

    // Once the provider names itself correctly, the next discovery makes it usable.
    world.idp.set(Scenario::Honest);
    world.bridge.upstreams.discover_all().await;
    assert_eq!(world.provider_status().await.0, "ok");
    world.expect_alice(&world.login().await);
}

#[tokio::test]
async fn rp_key_rotation_op_sign_key() {
    let world = HostileWorld::start().await;
    world.expect_alice(&world.login().await);
    let jwks_fetches = world.idp.count(Kind::Jwks);
    let old_kid = world.idp.signing_kid();

    let new_kid = world.idp.rotate_key();
    assert_ne!(new_kid, old_kid);
    assert_eq!(world.idp.published_kids(), vec![new_kid.clone()], "the old key is no longer published");

    let outcome = world.login().await;
    world.expect_alice(&outcome);
    assert!(world.idp.count(Kind::Jwks) > jwks_fetches, "the bridge fetched the JWKS again after the rotation\n{}", world.idp.journal());
    assert_eq!(world.issued_tokens().await, 2);
    assert_eq!(world.idp.count(Kind::Token), 2, "one redemption per login\n{}", world.idp.journal());
}
