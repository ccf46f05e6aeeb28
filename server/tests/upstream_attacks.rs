//! Attacks on the upstream side of the bridge (RFC 9700 OAuth security BCP, RFC 9207 issuer
//! identification), each played end to end against the hostile provider (`tests/hostile/`).
//!
//! Covered elsewhere, not repeated here:
//! - `alg: none` ID tokens: `rp_conformance::rp_id_token_sig_none`.
//! - login CSRF (a callback whose `state` is bound to another browser's cookie, or to no
//!   cookie): `flow_binding::callback_without_the_flow_cookie_is_refused_and_keeps_the_flow`;
//!   the replay test below also shows a victim's whole callback URL is refused in another
//!   browser.

mod hostile;
mod standins;

use hostile::{Endpoint, HostileWorld, Kind, Scenario, Setup, PADDING_BYTES};
use sha2::{Digest, Sha256};
use standins::drive::Browser;
use url::Url;

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The bridge callback URL a browser requested (with the provider's `code`, `state`, `iss`).
fn callback_url(world: &HostileWorld, hops: &[String]) -> Url {
    let prefix = format!("GET {}/callback/hostile?", world.bridge_url);
    let hop = hops.iter().find(|h| h.starts_with(&prefix)).unwrap_or_else(|| panic!("no callback hop: {hops:#?}"));
    Url::parse(hop.split(' ').nth(1).expect("GET <url> -> …")).expect("callback URL")
}

fn query_param(url: &Url, key: &str) -> String {
    url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned()).unwrap_or_else(|| panic!("no {key} in {url}"))
}

/// Starts a login in `browser` and stops before the provider: returns the flow's `state`
/// (the browser now holds the flow cookie for it).
async fn start_flow_only(world: &HostileWorld, browser: &mut Browser) -> String {
    let page = browser.get(&Url::parse(&world.login_url()).expect("login URL")).await;
    assert_eq!(page.status, 303, "the start redirects to the provider");
    let location = page.headers.get("location").and_then(|v| v.to_str().ok()).expect("Location");
    let location = Url::parse(location).expect("provider URL");
    location.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).expect("state")
}

// ---------------------------------------------------------------------------------------------
// PKCE (RFC 9700 §2.1.1, RFC 7636)

#[tokio::test]
async fn pkce_s256_is_always_sent_and_plain_never() {
    let world = HostileWorld::start().await;
    world.expect_alice(&world.login().await);
    world.expect_alice(&world.login().await);

    let authorize = world.idp.hits_of(Kind::Authorize);
    let token = world.idp.hits_of(Kind::Token);
    assert_eq!((authorize.len(), token.len()), (2, 2), "{}", world.idp.journal());
    for (auth, tok) in authorize.iter().zip(&token) {
        assert_eq!(auth.param("code_challenge_method"), Some("S256"), "never plain, never omitted: {auth:?}");
        let challenge = auth.param("code_challenge").expect("code_challenge");
        assert_eq!(challenge.len(), 43, "a base64url SHA-256");
        let verifier = tok.param("code_verifier").expect("the token request carries the code_verifier");
        assert!((43..=128).contains(&verifier.len()), "RFC 7636 verifier length: {verifier}");
        assert_ne!(verifier, challenge, "the verifier is not the challenge (that would be plain)");
        assert_eq!(b64url(&Sha256::digest(verifier.as_bytes())), challenge, "S256(verifier) = challenge");
    }
    assert_ne!(authorize[0].param("code_challenge"), authorize[1].param("code_challenge"), "a fresh verifier per login");
    assert!(world.idp.hits().iter().all(|h| h.param("code_challenge_method") != Some("plain")));
}

// ---------------------------------------------------------------------------------------------
// Authorization code replay (RFC 9700 §4.5)

#[tokio::test]
async fn a_code_replayed_after_the_victims_login_logs_nobody_in() {
    let world = HostileWorld::start().await;
    let victim = world.login().await;
    world.expect_alice(&victim);
    let victim_callback = callback_url(&world, &victim.hops);
    let code = query_param(&victim_callback, "code");

    // 1. The victim's whole callback URL (leaked through a log or a Referer) in another browser:
    //    the state is not bound to that browser, nothing is redeemed.
    let mut attacker = Browser::new();
    let page = attacker.navigate(victim_callback.as_str()).await;
    let outcome = world.outcome(&mut attacker, page).await;
    world.expect_refusal(&outcome, 400, "Your sign-in expired", "started in another browser");
    assert_eq!(world.idp.count(Kind::Token), 1, "a foreign callback must not redeem anything\n{}", world.idp.journal());

    // 2. The attacker injects the stolen code into a flow of their own.
    let mut attacker = Browser::new();
    let state = start_flow_only(&world, &mut attacker).await;
    let injected = Url::parse_with_params(
        &format!("{}/callback/hostile", world.bridge_url),
        &[("code", code.as_str()), ("state", state.as_str()), ("iss", world.idp.issuer().as_str())],
    )
    .expect("callback URL");
    let page = attacker.navigate(injected.as_str()).await;
    let outcome = world.outcome(&mut attacker, page).await;
    world.expect_unverified(&outcome);

    let token = world.idp.hits_of(Kind::Token);
    assert_eq!(token.len(), 2, "the bridge tried the replayed code once and did not retry\n{}", world.idp.journal());
    assert_eq!(token[1].param("code"), Some(code.as_str()));
    assert!(token[1].refusal.as_deref().unwrap_or_default().contains("invalid_grant"), "the provider refused the reuse: {:?}", token[1]);
    assert_eq!(world.issued_tokens().await, 1, "only the victim's login minted a token");
    assert_eq!(world.odoo_validations().await, 1);
}

#[tokio::test]
async fn a_code_replayed_at_a_careless_provider_is_stopped_by_the_nonce() {
    let world = HostileWorld::start().await;
    // This provider neither enforces single use nor checks PKCE: it would redeem the victim's
    // code again and hand out the victim's ID token, bound to the victim's nonce.
    world.idp.set(Scenario::SloppyCodes);
    let victim = world.login().await;
    world.expect_alice(&victim);
    let code = query_param(&callback_url(&world, &victim.hops), "code");

    let mut attacker = Browser::new();
    let state = start_flow_only(&world, &mut attacker).await;
    let injected = Url::parse_with_params(
        &format!("{}/callback/hostile", world.bridge_url),
        &[("code", code.as_str()), ("state", state.as_str()), ("iss", world.idp.issuer().as_str())],
    )
    .expect("callback URL");
    let page = attacker.navigate(injected.as_str()).await;
    let outcome = world.outcome(&mut attacker, page).await;
    world.expect_unverified(&outcome);

    let token = world.idp.hits_of(Kind::Token);
    assert_eq!(token.len(), 2, "{}", world.idp.journal());
    assert_eq!(token[1].status, 200, "the careless provider did issue tokens for the replayed code");
    assert_eq!(world.issued_tokens().await, 1, "only the victim's login minted a token");
    assert_eq!(world.odoo_validations().await, 1);
}

// ---------------------------------------------------------------------------------------------
// Mix-up (RFC 9207, RFC 9700 §4.4)

#[tokio::test]
async fn mix_up_iss_naming_another_issuer_is_refused_before_the_code_is_redeemed() {
    let world = HostileWorld::start().await;
    world.idp.set(Scenario::MixUpIss("https://accounts.google.com".into()));
    let outcome = world.login().await;
    world.expect_unverified(&outcome);
    assert_eq!(world.idp.count(Kind::Token), 0, "the code must not be sent anywhere\n{}", world.idp.journal());
    world.expect_nothing_issued().await;

    world.idp.set(Scenario::Honest);
    world.expect_alice(&world.login().await);
}

#[tokio::test]
async fn missing_iss_is_refused_when_the_provider_advertises_it() {
    let world = HostileWorld::start().await;
    world.idp.set(Scenario::OmitIss);
    let outcome = world.login().await;
    world.expect_unverified(&outcome);
    assert_eq!(world.idp.count(Kind::Token), 0, "the code must not be redeemed\n{}", world.idp.journal());
    world.expect_nothing_issued().await;

    world.idp.set(Scenario::Honest);
    world.expect_alice(&world.login().await);
}

// ---------------------------------------------------------------------------------------------
// ID tokens

#[tokio::test]
async fn algorithm_confusion_hs256_keyed_with_the_public_key_is_refused() {
    let setup = Setup::new().await;
    // The provider even advertises HS256 in discovery, as an attacker controlling it would.
    setup.idp.set(Scenario::Hs256WithPublicKey);
    let world = setup.launch().await;
    let outcome = world.login().await;
    world.expect_unverified(&outcome);
    assert_eq!(world.idp.count(Kind::Token), 1, "{}", world.idp.journal());
    world.expect_nothing_issued().await;
}

#[tokio::test]
async fn hs256_keyed_with_the_client_secret_is_refused_even_when_discovery_lists_it() {
    // Symmetric signatures are forgeable by anyone who learns the client secret (an admin, a
    // leaked config): the bridge accepts asymmetric algorithms only.
    let setup = Setup::new().await;
    setup.idp.set(Scenario::Hs256WithClientSecret);
    let world = setup.launch().await;
    let outcome = world.login().await;
    world.expect_unverified(&outcome);
    assert_eq!(world.idp.count(Kind::Token), 1, "{}", world.idp.journal());
    world.expect_nothing_issued().await;
}

#[tokio::test]
async fn expired_id_token_is_refused() {
    let world = HostileWorld::start().await;
    world.idp.set(Scenario::ExpiredIdToken);
    let outcome = world.login().await;
    world.expect_unverified(&outcome);
    assert_eq!(world.idp.count(Kind::Token), 1, "{}", world.idp.journal());
    world.expect_nothing_issued().await;

    world.idp.set(Scenario::Honest);
    world.expect_alice(&world.login().await);
}

// ---------------------------------------------------------------------------------------------
// Oversized answers: each is a valid document behind 64 MiB of padding, streamed without a
// length. A bridge that reads it all would accept it; the bridge must stop at its cap, refuse,
// and stay up.

/// The front stopped long before the end of the padding (the reader hung up).
fn expect_read_stopped_early(world: &HostileWorld) {
    let written = world.idp.front.padding_written();
    eprintln!("padding bytes written before the bridge hung up: {written} of {PADDING_BYTES}");
    assert!(
        written < PADDING_BYTES / 2,
        "the bridge read {written} of {PADDING_BYTES} padding bytes: it must stop at its cap\n{:#?}",
        world.idp.front.log()
    );
    assert!(!world.idp.front.log().is_empty(), "the oversized answer was served");
}

/// Discovery failed on the oversized answer: the provider is down with the reason, a login
/// gets the unavailable page, nothing is issued, and an honest answer brings it back.
async fn expect_provider_down_until_honest(world: &HostileWorld) {
    let (status, reason) = world.provider_status().await;
    assert_eq!(status, "down");
    assert!(reason.contains("more than"), "/readyz tells the admin the answer was too big: {reason}");
    let outcome = world.login().await;
    world.expect_unavailable(&outcome);
    expect_read_stopped_early(world);
    world.expect_bridge_alive().await;
    world.expect_nothing_issued().await;

    world.idp.set(Scenario::Honest);
    world.bridge.upstreams.discover_all().await;
    world.expect_alice(&world.login().await);
}

#[tokio::test]
async fn oversized_discovery_document_is_refused() {
    let mut setup = Setup::new().await;
    // Discovery is fetched through the front, so the bridge's issuer is the front's URL.
    setup.idp.use_front_as_issuer();
    setup.issuer = setup.idp.front_url();
    setup.idp.set(Scenario::Oversized(Endpoint::Discovery));
    let world = setup.launch().await;

    expect_provider_down_until_honest(&world).await;
}

#[tokio::test]
async fn oversized_jwks_is_refused() {
    let setup = Setup::new().await;
    setup.idp.set(Scenario::Oversized(Endpoint::Jwks));
    let world = setup.launch().await;

    expect_provider_down_until_honest(&world).await;
}

#[tokio::test]
async fn oversized_token_response_is_refused() {
    let setup = Setup::new().await;
    setup.idp.set(Scenario::Oversized(Endpoint::Token));
    let world = setup.launch().await;

    let outcome = world.login().await;
    world.expect_unverified(&outcome);
    assert_eq!(world.idp.count(Kind::Token), 1, "{}", world.idp.journal());
    expect_read_stopped_early(&world);
    world.expect_bridge_alive().await;
    world.expect_nothing_issued().await;
}

#[tokio::test]
async fn oversized_userinfo_response_is_refused() {
    let setup = Setup::new().await;
    setup.idp.set(Scenario::Oversized(Endpoint::UserInfo));
    let world = setup.launch().await;

    let outcome = world.login().await;
    world.expect_unverified(&outcome);
    assert_eq!(world.idp.count(Kind::UserInfo), 1, "{}", world.idp.journal());
    expect_read_stopped_early(&world);
    world.expect_bridge_alive().await;
    world.expect_nothing_issued().await;
}

// ---------------------------------------------------------------------------------------------
// Upstream redirects (SSRF through a hostile provider): never followed

fn expect_redirect_not_followed(world: &HostileWorld, endpoint: Kind) {
    let redirected: Vec<_> = world.idp.hits_of(endpoint).into_iter().filter(|h| h.status == 302).collect();
    assert!(!redirected.is_empty(), "the provider answered {endpoint:?} with a redirect\n{}", world.idp.journal());
    assert_eq!(world.idp.count(Kind::RedirectTarget), 0, "the bridge followed the redirect\n{}", world.idp.journal());
}

#[tokio::test]
async fn redirect_from_discovery_is_not_followed() {
    let setup = Setup::new().await;
    setup.idp.set(Scenario::Redirect(Endpoint::Discovery));
    let world = setup.launch().await;
    assert_eq!(world.provider_status().await.0, "down");
    world.expect_unavailable(&world.login().await);
    expect_redirect_not_followed(&world, Kind::Discovery);
    world.expect_nothing_issued().await;
}

#[tokio::test]
async fn redirect_from_jwks_is_not_followed() {
    let setup = Setup::new().await;
    setup.idp.set(Scenario::Redirect(Endpoint::Jwks));
    let world = setup.launch().await;
    assert_eq!(world.provider_status().await.0, "down");
    world.expect_unavailable(&world.login().await);
    expect_redirect_not_followed(&world, Kind::Jwks);
    world.expect_nothing_issued().await;
}

#[tokio::test]
async fn redirect_from_token_endpoint_is_not_followed() {
    let world = HostileWorld::start().await;
    world.idp.set(Scenario::Redirect(Endpoint::Token));
    world.expect_unverified(&world.login().await);
    expect_redirect_not_followed(&world, Kind::Token);
    assert_eq!(world.idp.count(Kind::Token), 1, "no retry\n{}", world.idp.journal());
    world.expect_nothing_issued().await;
}

#[tokio::test]
async fn redirect_from_userinfo_is_not_followed() {
    let world = HostileWorld::start().await;
    world.idp.set(Scenario::Redirect(Endpoint::UserInfo));
    world.expect_unverified(&world.login().await);
    expect_redirect_not_followed(&world, Kind::UserInfo);
    world.expect_nothing_issued().await;
}

// ---------------------------------------------------------------------------------------------
// Distributed claims (OIDC Core §5.6.2): the bridge never fetches a URL the provider names

#[tokio::test]
async fn distributed_claim_sources_are_never_fetched() {
    let world = HostileWorld::start().await;
    world.idp.set(Scenario::DistributedClaims);
    let outcome = world.login().await;
    // The only email is behind `_claim_sources`: without it the person has none.
    world.expect_refusal(&outcome, 403, "Email address needed", "did not share an email address");
    assert_eq!(world.idp.count(Kind::UserInfo), 1, "{}", world.idp.journal());
    assert_eq!(world.idp.count(Kind::ClaimSource), 0, "the bridge fetched a _claim_sources endpoint\n{}", world.idp.journal());
    world.expect_nothing_issued().await;
    assert_eq!(world.alice_provider_record().await, None);
}
