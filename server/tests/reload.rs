//! `kill -HUP` of the real `login-bridge serve`: the configuration is read again (secrets named
//! by `*_file` included) without dropping a login in progress; a provider's fallback secret
//! carries a client-secret rotation; a broken configuration changes nothing.

mod served;
mod standins;

use served::{explain, free_port, wait_ready, Browser, Served, ALICE, ALICE_EMAIL};
use standins::{
    oidc_core::{Account, Keycloak, OidcStandin},
    Registration, SigningKey,
};
use std::{
    path::Path,
    time::{Duration, Instant},
};
use url::Url;

const CLIENT: &str = "login-bridge";
/// The secret the provider accepts (after the rotation).
const NEW_SECRET: &str = "reload-test-new-client-secret";
const OLD_SECRET: &str = "reload-test-old-client-secret";
const API_KEY: &str = "reload-test-api-key";

fn envs() -> [(&'static str, &'static str); 3] {
    [("ACME_ODOO_API_KEY", API_KEY), ("SSO_NEW_SECRET", NEW_SECRET), ("LOGIN_BRIDGE_LOG", "info")]
}

/// The config with the provider's button text and the provider's secret settings.
fn write_config(path: &Path, common: &str, display_name: &str, secret_settings: &str) {
    std::fs::write(path, format!("{common}display_name = \"{display_name}\"\n{secret_settings}\n")).expect("write config");
}

/// Polls the provider page until its button says `Continue with {name}` (the reload is live).
async fn wait_for_button(public: &str, name: &str) {
    let client = served::client();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let body = match client.get(format!("{public}/?odoo=acme")).send().await {
            Ok(answer) => answer.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if body.contains(&format!("Continue with {name}")) {
            return;
        }
        assert!(Instant::now() < deadline, "the page never showed `{name}` after SIGHUP; last page:\n{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sighup_reloads_secrets_and_names_without_dropping_a_login() {
    let temp = tempfile::tempdir().expect("tempdir");
    let dir = temp.path();
    std::fs::create_dir_all(dir.join("site/pkg")).expect("site dir");
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");

    let sso = OidcStandin::start(
        Box::new(Keycloak { realm: "acme".into() }),
        Registration::new(CLIENT, NEW_SECRET, &format!("{public}/callback/sso")),
        SigningKey::new(4, "reload-sso-key"),
    )
    .await;
    sso.set_account(Account::new("0b7e4c1a-3f2d-4e5b-8a9c-7d6e5f4a3b2c").email(ALICE_EMAIL, true).name("Alice Example"));

    let acme = served::start_odoo(API_KEY).await;

    let secret_file = dir.join("sso-client-secret");
    // The bridge starts with the secret the provider has already rotated away.
    std::fs::write(&secret_file, format!("{OLD_SECRET}\n")).expect("write secret");
    let config = dir.join("login-bridge.toml");
    let common = format!(
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
issuer = "{issuer}"
client_id = "{CLIENT}"
email_domains = ["example.com"]
"#,
        db = dir.join("bridge.db").display(),
        issuer = sso.issuer(),
    );
    let file_secret = format!("client_secret_file = \"{}\"", secret_file.display());
    write_config(&config, &common, "Acme SSO", &file_secret);

    served::run_setup(dir, &config, &envs());

    let served = wait_ready(Served::start(dir, &config, &envs()), &public).await;
    let start_url = format!("{public}/login/sso?odoo=acme&return_to=/odoo");

    // A login leaves for the provider under the first configuration…
    let mut before = Browser::new();
    let start = before.get(&Url::parse(&start_url).expect("url")).await;
    let to_idp = start.location.clone().unwrap_or_else(|| panic!("expected a redirect to the provider, got {}: {}", start.status, start.body));

    // …the admin adds the new secret as the fallback and renames the button, and reloads.
    let with_fallback = format!("{file_secret}\nfallback_client_secret_env = \"SSO_NEW_SECRET\"");
    write_config(&config, &common, "Acme Single Sign-On", &with_fallback);
    served.signal("HUP");
    wait_for_button(&public, "Acme Single Sign-On").await;

    // The login begun before the reload finishes after it, through the fallback secret.
    let (page, hops) = before.navigate_to_end(&to_idp).await;
    assert_eq!(before.odoo_uid(&acme).await, Some(ALICE), "the login begun before SIGHUP must finish\n{}", explain(&page, &hops));

    // The rotation ends: the new secret goes into the file, the fallback goes away.
    std::fs::write(&secret_file, format!("{NEW_SECRET}\n")).expect("write secret");
    write_config(&config, &common, "Acme Login", &file_secret);
    served.signal("HUP");
    wait_for_button(&public, "Acme Login").await;
    let mut after = Browser::new();
    let (page, hops) = after.navigate_to_end(&start_url).await;
    assert_eq!(after.odoo_uid(&acme).await, Some(ALICE), "the secret re-read from its file must work\n{}", explain(&page, &hops));

    // A broken file changes nothing: the running configuration keeps serving logins.
    std::fs::write(&config, "public_url = [broken").expect("write config");
    served.signal("HUP");
    served.wait_for_log("configuration not reloaded", 1).await;
    let mut during = Browser::new();
    let (page, hops) = during.navigate_to_end(&start_url).await;
    assert_eq!(during.odoo_uid(&acme).await, Some(ALICE), "a failed reload must keep the previous configuration\n{}", explain(&page, &hops));
    let answer = served::client().get(format!("{public}/?odoo=acme")).send().await.expect("page").text().await.expect("body");
    assert!(answer.contains("Continue with Acme Login"), "the previous button text stays: {answer}");

    let log = served.stop();
    let fallback_used = log.matches("accepted fallback_client_secret").count();
    assert_eq!(fallback_used, 1, "only the login during the rotation needed the fallback secret:\n{log}");
    assert!(!log.contains(OLD_SECRET) && !log.contains(NEW_SECRET), "no secret in the log:\n{log}");
    assert_eq!(log.matches("configuration reloaded").count(), 2, "{log}");
    assert!(log.contains("configuration not reloaded") && log.contains("is not valid"), "the failed reload says why: {log}");
}
