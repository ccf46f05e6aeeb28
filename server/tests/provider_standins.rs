//! The provider stand-ins themselves: they must refuse what the real providers refuse (and, to
//! prove the bridge gets it right, insist on PKCE S256, state and nonce), or the provider tests
//! would pass against a careless bridge.

mod standins;

use sha2::{Digest, Sha256};
use standins::{
    b64url,
    drive::{facebook_alice, github_alice, google_alice, KEY_GOOGLE},
    facebook::FacebookStandin,
    github::GithubStandin,
    oidc_core::{Google, OidcStandin},
    Params, Registration, SigningKey,
};

const REDIRECT: &str = "http://127.0.0.1:9/callback/x";

fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).user_agent("standin-selftest").build().expect("client")
}

fn pkce() -> (String, String) {
    let verifier = standins::random_token("", 64);
    let challenge = b64url(&Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The query of the Location a 302 points to.
async fn redirect_params(response: reqwest::Response) -> Params {
    assert_eq!(response.status().as_u16(), 302, "expected a redirect back to the client");
    let location = response.headers()["location"].to_str().expect("location").to_string();
    assert!(location.starts_with(REDIRECT), "{location}");
    let url = url::Url::parse(&location).expect("url");
    Params::parse(url.query().unwrap_or(""))
}

#[tokio::test]
async fn oidc_standin_insists_on_pkce_state_nonce_and_single_use_codes() {
    let idp = OidcStandin::start(Box::new(Google), Registration::new("client", "secret", REDIRECT), SigningKey::new(KEY_GOOGLE, "k1")).await;
    idp.set_account(google_alice());
    let http = http();
    let (verifier, challenge) = pkce();
    let authorize = |extra: &[(&str, &str)]| {
        let mut url = url::Url::parse(&format!("{}/o/oauth2/v2/auth", idp.url())).expect("url");
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", "client")
            .append_pair("scope", "openid email")
            .extend_pairs(extra.iter().copied());
        url.to_string()
    };
    let full = [("redirect_uri", REDIRECT), ("state", "s1"), ("nonce", "n1"), ("code_challenge", challenge.as_str()), ("code_challenge_method", "S256")];

    // A redirect URI that was not registered is never redirected to.
    let response = http.get(authorize(&[("redirect_uri", "http://127.0.0.1:9/other")])).send().await.expect("authorize");
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.headers().get("location").is_none());

    for missing in ["code_challenge", "nonce", "state"] {
        let params: Vec<_> = full.iter().copied().filter(|(k, _)| *k != missing).collect();
        let answer = redirect_params(http.get(authorize(&params)).send().await.expect("authorize")).await;
        assert_eq!(answer.get("error"), Some("invalid_request"), "without {missing}");
    }
    let mut plain = full.to_vec();
    plain[4] = ("code_challenge_method", "plain");
    assert_eq!(redirect_params(http.get(authorize(&plain)).send().await.expect("a")).await.get("error"), Some("invalid_request"));

    let answer = redirect_params(http.get(authorize(&full)).send().await.expect("authorize")).await;
    assert_eq!(answer.get("state"), Some("s1"));
    assert_eq!(answer.get("iss"), Some(idp.issuer().as_str()));
    let code = answer.get("code").expect("code").to_string();
    let token = |code: &str, verifier: &str| {
        http.post(format!("{}/token", idp.url()))
            .basic_auth("client", Some("secret"))
            .form(&[("grant_type", "authorization_code"), ("code", code), ("redirect_uri", REDIRECT), ("code_verifier", verifier)])
            .send()
    };
    let wrong = token(&code, &"x".repeat(43)).await.expect("token");
    assert_eq!(wrong.status().as_u16(), 400);
    assert_eq!(wrong.json::<serde_json::Value>().await.expect("json")["error"], "invalid_grant");
    let burnt = token(&code, &verifier).await.expect("token");
    assert_eq!(burnt.status().as_u16(), 400, "a code is single use, even after a failed attempt");

    let answer = redirect_params(http.get(authorize(&full)).send().await.expect("authorize")).await;
    let ok = token(answer.get("code").expect("code"), &verifier).await.expect("token");
    assert_eq!(ok.status().as_u16(), 200);
    let body: serde_json::Value = ok.json().await.expect("json");
    let id_token = body["id_token"].as_str().expect("id_token");
    let claims = standins::b64url_decode_json(id_token.split('.').nth(1).expect("payload"));
    assert_eq!(claims["nonce"], "n1");
    assert_eq!(claims["aud"], "client");
    assert_eq!(claims["hd"], "example.com");
    let header = standins::b64url_decode_json(id_token.split('.').next().expect("header"));
    assert_eq!((header["alg"].as_str(), header["kid"].as_str()), (Some("RS256"), Some("k1")));
}

#[tokio::test]
async fn github_standin_answers_token_errors_with_200_and_checks_the_verifier() {
    let github = GithubStandin::start(Registration::new("gh-client", "gh-secret", REDIRECT)).await;
    github.set_account(github_alice());
    let http = http();
    let (verifier, challenge) = pkce();
    let url = format!(
        "{}/login/oauth/authorize?client_id=gh-client&redirect_uri={}&scope=read:user%20user:email&state=s&code_challenge={challenge}&code_challenge_method=S256",
        github.base_url(),
        url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
    );
    let code = redirect_params(http.get(&url).send().await.expect("authorize")).await.get("code").expect("code").to_string();
    let response = http
        .post(format!("{}/login/oauth/access_token", github.base_url()))
        .header("Accept", "application/json")
        .form(&[("client_id", "gh-client"), ("client_secret", "gh-secret"), ("code", code.as_str()), ("code_verifier", &"y".repeat(43))])
        .send()
        .await
        .expect("token");
    assert_eq!(response.status().as_u16(), 200, "GitHub reports token errors with 200");
    assert_eq!(response.json::<serde_json::Value>().await.expect("json")["error"], "bad_verification_code");

    let code = redirect_params(http.get(&url).send().await.expect("authorize")).await.get("code").expect("code").to_string();
    let token: serde_json::Value = http
        .post(format!("{}/login/oauth/access_token", github.base_url()))
        .header("Accept", "application/json")
        .form(&[("client_id", "gh-client"), ("client_secret", "gh-secret"), ("code", code.as_str()), ("code_verifier", verifier.as_str())])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let access = token["access_token"].as_str().expect("access token");
    assert_eq!(token["scope"], "read:user,user:email");
    // Without read:org the private membership of acme is not listed.
    let orgs: serde_json::Value = http.get(format!("{}/user/orgs", github.api_url())).bearer_auth(access).send().await.expect("orgs").json().await.expect("json");
    assert_eq!(orgs, serde_json::json!([]));
    let no_agent = reqwest::Client::new().get(format!("{}/user", github.api_url())).bearer_auth(access).send().await.expect("user");
    assert_eq!(no_agent.status().as_u16(), 403, "the API refuses requests without User-Agent");
}

#[tokio::test]
async fn facebook_standin_wants_the_secret_in_the_request_and_omits_declined_email() {
    let facebook = FacebookStandin::start(Registration::new("fb-app", "fb-secret", REDIRECT)).await;
    facebook.set_account(facebook_alice());
    let http = http();
    let (verifier, challenge) = pkce();
    let dialog = |scope: &str| {
        format!(
            "{}/v21.0/dialog/oauth?client_id=fb-app&redirect_uri={}&scope={scope}&state=s&response_type=code&code_challenge={challenge}&code_challenge_method=S256",
            facebook.base_url(),
            url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
        )
    };
    let response = http.get(dialog("public_profile,email")).send().await.expect("dialog");
    assert!(response.headers()["location"].to_str().expect("location").ends_with("#_=_"));
    let code = redirect_params(response).await.get("code").expect("code").to_string();
    let basic = http
        .post(format!("{}/v21.0/oauth/access_token", facebook.graph_url()))
        .basic_auth("fb-app", Some("fb-secret"))
        .form(&[("code", code.as_str()), ("redirect_uri", REDIRECT), ("code_verifier", verifier.as_str())])
        .send()
        .await
        .expect("token");
    assert_eq!(basic.status().as_u16(), 400);
    assert_eq!(basic.json::<serde_json::Value>().await.expect("json")["error"]["type"], "OAuthException");

    // Asked without the email permission: /me has no email.
    let code = redirect_params(http.get(dialog("public_profile")).send().await.expect("dialog")).await.get("code").expect("code").to_string();
    let token: serde_json::Value = http
        .post(format!("{}/v21.0/oauth/access_token", facebook.graph_url()))
        .form(&[("client_id", "fb-app"), ("client_secret", "fb-secret"), ("code", code.as_str()), ("redirect_uri", REDIRECT), ("code_verifier", verifier.as_str())])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let me: serde_json::Value = http
        .get(format!("{}/v21.0/me?fields=id,name,email", facebook.graph_url()))
        .bearer_auth(token["access_token"].as_str().expect("access token"))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me, serde_json::json!({"id": "10228345678901234", "name": "Alice Example"}));
}
