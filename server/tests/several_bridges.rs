//! Two real `login-bridge serve` processes sharing one PostgreSQL database, as behind a load
//! balancer (same `public_url`, the "balancer" being which port the browser's next request goes
//! to), against a real OpenID provider stand-in and the Odoo simulator:
//! - both start at the same moment on an empty database (the migrations run once);
//! - a login begun on bridge A finishes on bridge B, and Odoo (validating at A) accepts B's token;
//! - a token issued by A is accepted by B exactly once, then by neither;
//! - many concurrent redemptions of one token across both bridges: exactly one succeeds;
//! - a cap holds across both bridges, each refusal with one log line.

mod common;
mod served;
mod standins;

use common::postgres::TestDb;
use serde_json::Value;
use served::{access_token, client, explain, free_port, is_signin, wait_ready, Browser, Served, ALICE, ALICE_EMAIL, BIN};
use standins::{
    oidc_core::{Account, Keycloak, OidcStandin},
    Registration, SigningKey,
};
use url::Url;

const CLIENT: &str = "login-bridge";
const SECRET: &str = "several-bridges-client-secret";
const API_KEY: &str = "several-bridges-api-key";
const CAP: usize = 3;

fn envs(db_password: &str) -> [(&'static str, &str); 3] {
    [("ACME_ODOO_API_KEY", API_KEY), ("SSO_CLIENT_SECRET", SECRET), ("LB_DB_PASSWORD", db_password)]
}

/// Sends the upstream callback (the provider's redirect to `public_url`) to the bridge on `port`.
fn callback_to(port: u16) -> impl Fn(Url) -> Url {
    move |mut url: Url| {
        if url.path().starts_with("/callback/") {
            let _ = url.set_port(Some(port));
        }
        url
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_bridges_share_flows_tokens_and_caps_through_postgres() {
    let db = TestDb::create().await;
    let temp = tempfile::tempdir().expect("tempdir");
    let dir = temp.path();
    std::fs::create_dir_all(dir.join("site/pkg")).expect("site dir");
    let (port_a, port_b) = (free_port(), free_port());
    let (bridge_a, bridge_b) = (format!("http://127.0.0.1:{port_a}"), format!("http://127.0.0.1:{port_b}"));
    // Both bridges are known to the world as A's address (the "load balancer").
    let public = bridge_a.clone();

    let sso = OidcStandin::start(
        Box::new(Keycloak { realm: "acme".into() }),
        Registration::new(CLIENT, SECRET, &format!("{public}/callback/sso")),
        SigningKey::new(4, "several-bridges-key"),
    )
    .await;
    sso.set_account(Account::new("9d1f2c3b-4a5e-4f60-8a7b-0c1d2e3f4a5b").email(ALICE_EMAIL, true).name("Alice Example"));
    let acme = served::start_odoo(API_KEY).await;

    // The password reaches the bridges through password_env, never in the file.
    let mut store_url = Url::parse(&db.url).expect("url");
    store_url.set_password(None).expect("no password");
    let config = |port: u16| {
        format!(
            r#"public_url = "{public}"
listen = "127.0.0.1:{port}"

[store]
url = "{store_url}"
password_env = "LB_DB_PASSWORD"
max_pending_requests = {CAP}

[limits]
per_ip_per_minute = 0
tokeninfo_per_minute = 0

[[odoo]]
id = "acme"
url = "{acme}"
database = "acme"
api_login = "admin"
api_key_env = "ACME_ODOO_API_KEY"

[[provider]]
id = "sso"
kind = "oidc"
display_name = "Acme SSO"
issuer = "{issuer}"
client_id = "{CLIENT}"
client_secret_env = "SSO_CLIENT_SECRET"
"#,
            issuer = sso.issuer(),
        )
    };
    let (config_a, config_b) = (dir.join("a.toml"), dir.join("b.toml"));
    std::fs::write(&config_a, config(port_a)).expect("write config");
    std::fs::write(&config_b, config(port_b)).expect("write config");
    let setup = std::process::Command::new(BIN)
        .env_clear()
        .current_dir(dir)
        .env("ACME_ODOO_API_KEY", API_KEY)
        .env("SSO_CLIENT_SECRET", SECRET)
        .env("LB_DB_PASSWORD", db.password())
        .arg("--config")
        .arg(&config_a)
        .args(["setup", "--odoo", "acme"])
        .output()
        .expect("run setup");
    assert!(setup.status.success(), "setup failed:\n{}\n{}", String::from_utf8_lossy(&setup.stdout), String::from_utf8_lossy(&setup.stderr));

    // Both start at the same moment on the empty database.
    let (a, b) = (Served::start(dir, &config_a, &envs(&db.password())), Served::start(dir, &config_b, &envs(&db.password())));
    let (a, b) = tokio::join!(wait_ready(a, &bridge_a), wait_ready(b, &bridge_b));

    // ---- A login begun on A finishes on B; Odoo validates B's token at A ------------------------
    let mut browser = Browser::new();
    let start = format!("{bridge_a}/login/sso?odoo=acme&return_to=/odoo");
    let (end, hops) = browser.navigate(&start, &callback_to(port_b), &|_| false).await;
    let page = end.expect_err("a final page");
    assert!(hops.iter().any(|h| h.starts_with(&format!("GET {bridge_b}/callback/sso"))), "the callback went to B:\n{}", hops.join("\n"));
    assert_eq!(browser.odoo_uid(&acme).await, Some(ALICE), "a login begun on A must finish on B\n{}", explain(&page, &hops));

    // ---- A token issued by A is accepted by B once, then by neither --------------------------
    let mut browser = Browser::new();
    let start = format!("{bridge_b}/login/sso?odoo=acme&return_to=/odoo");
    let (end, hops) = browser.navigate(&start, &callback_to(port_a), &is_signin).await;
    let signin = end.unwrap_or_else(|page| panic!("no redirect to Odoo's signin\n{}", explain(&page, &hops)));
    let token = access_token(&signin);
    let http = client();
    let redeem = |base: &str| http.get(format!("{base}/odoo/tokeninfo")).bearer_auth(&token).send();
    let first = redeem(&bridge_b).await.expect("tokeninfo on B");
    assert_eq!(first.status().as_u16(), 200, "B accepts A's token");
    let info: Value = first.json().await.expect("json");
    assert_eq!(info["email"], ALICE_EMAIL);
    assert_eq!(info["aud"], "acme");
    assert_eq!(redeem(&bridge_a).await.expect("tokeninfo on A").status().as_u16(), 401, "then A refuses it");
    assert_eq!(redeem(&bridge_b).await.expect("tokeninfo on B").status().as_u16(), 401, "and B refuses it too");

    // ---- Races: 32 concurrent redemptions of one token, alternating bridges -------------------
    let mut winners = Vec::new();
    for round in 0..6 {
        let (issuer, other) = if round % 2 == 0 { (port_a, port_b) } else { (port_b, port_a) };
        let mut browser = Browser::new();
        let start = format!("http://127.0.0.1:{issuer}/login/sso?odoo=acme");
        let (end, hops) = browser.navigate(&start, &callback_to(issuer), &is_signin).await;
        let token = access_token(&end.unwrap_or_else(|page| panic!("round {round}: no signin redirect\n{}", explain(&page, &hops))));
        let mut calls = tokio::task::JoinSet::new();
        for i in 0..32 {
            let port = if i % 2 == 0 { issuer } else { other };
            let (http, token) = (http.clone(), token.clone());
            calls.spawn(async move {
                let response = http.get(format!("http://127.0.0.1:{port}/odoo/tokeninfo?access_token={token}")).send().await.expect("tokeninfo");
                (port, response.status().as_u16())
            });
        }
        let answers = calls.join_all().await;
        let ok: Vec<u16> = answers.iter().filter(|(_, s)| *s == 200).map(|(p, _)| *p).collect();
        assert_eq!(ok.len(), 1, "round {round}: exactly one of 32 concurrent redemptions succeeds: {answers:?}");
        assert!(answers.iter().all(|(_, s)| *s == 200 || *s == 401), "{answers:?}");
        winners.push(if ok[0] == port_a { "A" } else { "B" });
    }

    // ---- A cap holds across both bridges ------------------------------------------------------
    let mut pg = db.connect().await;
    let count_requests = "SELECT COUNT(*) FROM odoo_requests";
    let before: i64 = sqlx::query_scalar(count_requests).fetch_one(&mut pg).await.expect("count");
    let authorize = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "token")
        .append_pair("client_id", "acme")
        .append_pair("redirect_uri", &format!("{acme}/auth_oauth/signin"))
        .append_pair("scope", "openid")
        .append_pair("state", r#"{"d": "acme", "p": 1}"#)
        .finish();
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..20 {
        let base = if i % 2 == 0 { bridge_a.clone() } else { bridge_b.clone() };
        let (http, authorize) = (http.clone(), authorize.clone());
        calls.spawn(async move {
            let response = http.get(format!("{base}/odoo/authorize?{authorize}")).send().await.expect("authorize");
            (response.status().as_u16(), response.headers().contains_key("retry-after"))
        });
    }
    let answers = calls.join_all().await;
    let accepted = answers.iter().filter(|(s, _)| *s == 303).count();
    let refused = answers.iter().filter(|(s, retry)| *s == 503 && *retry).count();
    assert_eq!((before, accepted, refused), (0, CAP, 20 - CAP), "{answers:?}");
    let after: i64 = sqlx::query_scalar(count_requests).fetch_one(&mut pg).await.expect("count");
    assert_eq!(after, CAP as i64, "the table holds the cap, not the cap per bridge");

    let (log_a, log_b) = (a.stop(), b.stop());
    let issued = |log: &str| log.lines().filter(|l| l.contains("login succeeded; token issued")).count();
    assert_eq!(issued(&log_a) + issued(&log_b), 8, "8 logins, each issued on the bridge that got its callback");
    assert!(issued(&log_a) >= 1 && issued(&log_b) >= 1, "both bridges issued tokens");
    let refusals = |log: &str| log.lines().filter(|l| l.contains("max_pending_requests")).count();
    assert_eq!(refusals(&log_a) + refusals(&log_b), 20 - CAP, "one log line per refusal\n--- A:\n{log_a}\n--- B:\n{log_b}");
    for log in [&log_a, &log_b] {
        assert!(log.contains("store open") && log.contains("PostgreSQL"), "{log}");
        assert!(!log.contains(&db.password()), "the database password must never be logged:\n{log}");
    }
    eprintln!("several bridges: flow A→B, token A→B once, 6 races of 32 redemptions won by {winners:?}, cap {CAP} held across both");
    drop(pg);
}
