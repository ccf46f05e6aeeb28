//! `kill -9` of the real `login-bridge serve` process mid-login, then a restart on the same
//! file-backed SQLite store:
//! (a) between the redirect to the provider and the provider's callback;
//! (b) between the 303 to Odoo's `/auth_oauth/signin` (with the access token) and Odoo
//!     validating that token.
//! Both must finish after the restart, and a token must still work only once.

mod served;
mod standins;

use served::{explain, free_port, is_signin, wait_ready, Browser, Served, ALICE, ALICE_EMAIL};
use standins::{
    oidc_core::{Account, Keycloak, OidcStandin},
    Registration, SigningKey,
};
use url::Url;

const CLIENT: &str = "login-bridge";
const SECRET: &str = "restart-test-client-secret";
const API_KEY: &str = "restart-test-api-key";

fn envs() -> [(&'static str, &'static str); 3] {
    [("ACME_ODOO_API_KEY", API_KEY), ("SSO_CLIENT_SECRET", SECRET), ("LOGIN_BRIDGE_LOG", "debug")]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_kill_9_mid_login_loses_nothing_and_replays_nothing() {
    let temp = tempfile::tempdir().expect("tempdir");
    let dir = temp.path();
    std::fs::create_dir_all(dir.join("site/pkg")).expect("site dir");
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");

    let sso = OidcStandin::start(
        Box::new(Keycloak { realm: "acme".into() }),
        Registration::new(CLIENT, SECRET, &format!("{public}/callback/sso")),
        SigningKey::new(3, "restart-sso-key"),
    )
    .await;
    sso.set_account(Account::new("5f0c8a2e-7d41-4b9a-9e3f-1a2b3c4d5e6f").email(ALICE_EMAIL, true).name("Alice Example"));

    let acme = served::start_odoo(API_KEY).await;

    let db = dir.join("bridge.db");
    let config = dir.join("login-bridge.toml");
    std::fs::write(
        &config,
        format!(
            r#"public_url = "{public}"
listen = "127.0.0.1:{port}"

[store]
url = "sqlite://{db}"

[limits]
per_ip_per_minute = 6000
burst = 1000

[[odoo]]
id = "acme"
url = "{acme}"
database = "acme"
display_name = "Acme"
api_login = "admin"
api_key_env = "ACME_ODOO_API_KEY"

[[provider]]
id = "sso"
kind = "oidc"
display_name = "Acme SSO"
issuer = "{issuer}"
client_id = "{CLIENT}"
client_secret_env = "SSO_CLIENT_SECRET"
email_domains = ["example.com"]
"#,
            db = db.display(),
            issuer = sso.issuer(),
        ),
    )
    .expect("write config");
    assert!(db.is_absolute());

    // Odoo learns about the bridge (the provider record Odoo's signin needs).
    served::run_setup(dir, &config, &envs());

    let start_url = format!("{public}/login/sso?odoo=acme&return_to=/odoo");

    // ---- (a) kill -9 between the redirect to the provider and the callback ------------------
    let served = wait_ready(Served::start(dir, &config, &envs()), &public).await;
    let mut browser_a = Browser::new();
    let start = browser_a.get(&Url::parse(&start_url).unwrap()).await;
    let to_idp = start.location.clone().unwrap_or_else(|| panic!("expected a redirect to the IdP, got {}: {}", start.status, start.body));
    assert!((300..400).contains(&start.status) && to_idp.starts_with(&sso.issuer()), "start of login: {} {to_idp}", start.status);
    let log_a = served.kill9();
    assert!(log_a.contains("login-bridge listening"), "{log_a}");
    assert!(std::fs::metadata(&db).is_ok(), "the store is a file");

    let served = wait_ready(Served::start(dir, &config, &envs()), &public).await;
    let (page, hops) = browser_a.navigate_to_end(&to_idp).await;
    let uid = browser_a.odoo_uid(&acme).await;
    // Flows live in the SQLite store (WAL, committed before the redirect): a restart loses none.
    assert_eq!(uid, Some(ALICE), "the flow begun before kill -9 must finish after the restart\n{}", explain(&page, &hops));
    // Nothing corrupted: a fresh login on the restarted process works.
    let mut fresh = Browser::new();
    let (page, hops) = fresh.navigate_to_end(&start_url).await;
    assert_eq!(fresh.odoo_uid(&acme).await, Some(ALICE), "a fresh login after the restart must work\n{}", explain(&page, &hops));

    // ---- (b) kill -9 between the token being issued and Odoo validating it -----------------
    let mut browser_b = Browser::new();
    let (stopped, hops) = browser_b.navigate(&start_url, &|url| url, &is_signin).await;
    let signin = match stopped {
        Ok(url) => url,
        Err(page) => panic!("the login never redirected to Odoo's signin\n{}", explain(&page, &hops)),
    };
    let token_pairs = format!("{}&{}", signin.query().unwrap_or(""), signin.fragment().unwrap_or(""));
    assert!(
        url::form_urlencoded::parse(token_pairs.as_bytes()).any(|(k, v)| k == "access_token" && !v.is_empty()),
        "the signin redirect carries an access_token: {signin}"
    );
    assert_eq!(browser_b.odoo_uid(&acme).await, None, "not logged in before Odoo saw the token");
    let log_b = served.kill9();
    assert!(log_b.contains("login-bridge listening"), "{log_b}");

    let served = wait_ready(Served::start(dir, &config, &envs()), &public).await;
    let (page, hops) = browser_b.navigate_to_end(signin.as_str()).await;
    assert_eq!(browser_b.odoo_uid(&acme).await, Some(ALICE), "the token issued before kill -9 must log Alice in after the restart\n{}", explain(&page, &hops));

    // The same token a second time (another browser, no session): refused.
    let mut replay = Browser::new();
    let (page, hops) = replay.navigate_to_end(signin.as_str()).await;
    assert_eq!(replay.odoo_uid(&acme).await, None, "a second use of the same token must be refused\n{}", explain(&page, &hops));

    drop(served);
    eprintln!("restart: (a) flow finished after kill -9; (b) token survived kill -9, used once, replay refused (ended {})", page.status);
}
