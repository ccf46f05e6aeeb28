//! Two real `login-bridge serve` processes sharing one PostgreSQL database, as behind a load
//! balancer (same `public_url`, the "balancer" being which port the browser's next request goes
//! to), against a real OpenID provider stand-in and the Odoo simulator:
//! - both start at the same moment on an empty database (the migrations run once);
//! - a login begun on bridge A finishes on bridge B, and Odoo (validating at A) accepts B's token;
//! - a token issued by A is accepted by B exactly once, then by neither;
//! - many concurrent redemptions of one token across both bridges: exactly one succeeds;
//! - a cap holds across both bridges, each refusal with one log line.

mod common;
mod standins;

use common::postgres::TestDb;
use serde_json::{json, Value};
use standins::{
    oidc_core::{Account, Keycloak, OidcStandin},
    Registration, SigningKey,
};
use std::{
    collections::BTreeMap,
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};
use url::Url;

const BIN: &str = env!("CARGO_BIN_EXE_login-bridge");
const ALICE: i64 = 6;
const ALICE_EMAIL: &str = "alice@example.com";
const CLIENT: &str = "login-bridge";
const SECRET: &str = "several-bridges-client-secret";
const API_KEY: &str = "several-bridges-api-key";
const CAP: usize = 3;

/// `login-bridge serve`, stderr collected; killed on drop.
struct Served {
    child: std::process::Child,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Served {
    fn start(dir: &Path, config: &Path, db_password: &str) -> Self {
        let mut child = std::process::Command::new(BIN)
            .env_clear()
            .current_dir(dir)
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .env("ACME_ODOO_API_KEY", API_KEY)
            .env("SSO_CLIENT_SECRET", SECRET)
            .env("LB_DB_PASSWORD", db_password)
            .arg("--config")
            .arg(config)
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {BIN} serve: {e}"));
        let mut pipe = child.stderr.take().expect("stderr");
        let stderr = Some(std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = std::io::Read::read_to_end(&mut pipe, &mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        }));
        Self { child, stderr }
    }

    /// Stops the process and returns its log.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

async fn wait_ready(served: Served, base: &str) -> Served {
    let client = reqwest::Client::builder().no_proxy().build().expect("client");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await {
            let body: Value = response.json().await.unwrap_or(Value::Null);
            if body["providers"]["sso"]["status"] == "ok" && body["store"] == "ok" {
                return served;
            }
        }
        if Instant::now() > deadline {
            panic!("the bridge at {base} did not become ready in 60 s\n--- stderr:\n{}", served.stop());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

/// A browser keeping cookies (for 127.0.0.1, whatever the port, as browsers do); redirects
/// followed by hand so each hop can be sent to the bridge the test chooses.
struct Browser {
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().timeout(Duration::from_secs(60)).build().expect("http client")
}

impl Browser {
    fn new() -> Self {
        Self { http: client(), cookies: BTreeMap::new() }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder, what: &str) -> Page {
        let request = if self.cookies.is_empty() {
            request
        } else {
            request.header(reqwest::header::COOKIE, self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
        };
        let response = request.send().await.unwrap_or_else(|e| panic!("{what} failed: {e}"));
        let status = response.status().as_u16();
        for value in response.headers().get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let mut parts = value.split(';');
            let Some((name, val)) = parts.next().and_then(|p| p.trim().split_once('=')) else { continue };
            let expired = parts.any(|a| a.trim().eq_ignore_ascii_case("max-age=0"));
            if expired || val.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), val.to_string());
            }
        }
        let location = response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        let body = response.text().await.unwrap_or_default();
        Page { status, location, body }
    }

    /// Follows redirects like a browser (fragment inherited; Odoo's fragment-to-query page run),
    /// passing every URL through `route` first (the load balancer), until the page is final or
    /// the next URL satisfies `stop_before`, which is returned unvisited.
    async fn navigate(&mut self, start: &str, route: &dyn Fn(Url) -> Url, stop_before: &dyn Fn(&Url) -> bool) -> (Result<Url, Page>, Vec<String>) {
        let mut url = Url::parse(start).expect("start URL");
        let mut hops = Vec::new();
        for _ in 0..25 {
            url = route(url);
            if stop_before(&url) {
                return (Ok(url), hops);
            }
            let mut bare = url.clone();
            bare.set_fragment(None);
            let request = self.http.get(bare.as_str());
            let page = self.send(request, &format!("GET {bare}")).await;
            hops.push(format!("GET {bare} -> {}{}", page.status, page.location.as_deref().map(|l| format!(" Location: {l}")).unwrap_or_default()));
            match page.location.clone() {
                Some(location) if (300..400).contains(&page.status) => {
                    let mut next = url.join(&location).unwrap_or_else(|e| panic!("bad Location {location:?}: {e}"));
                    if next.fragment().is_none() {
                        next.set_fragment(url.fragment());
                    }
                    url = next;
                }
                _ if page.status == 200 && page.body.contains("l.hash.substring(1)") && url.fragment().is_some_and(|f| !f.is_empty()) => {
                    let fragment = url.fragment().unwrap_or_default().to_string();
                    let search = url.query().filter(|q| !q.is_empty()).map(|q| format!("?{q}")).unwrap_or_default();
                    let separator = if search.is_empty() { "?" } else { "&" };
                    url = url.join(&format!("{}{search}{separator}{fragment}", url.path())).expect("fragment page target");
                    url.set_fragment(None);
                }
                _ => return (Err(page), hops),
            }
        }
        panic!("more than 25 redirects:\n{}", hops.join("\n"));
    }

    async fn odoo_uid(&mut self, odoo_url: &str) -> Option<i64> {
        let url = format!("{odoo_url}/web/session/get_session_info");
        let request = self.http.post(&url).json(&json!({"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}));
        let page = self.send(request, &format!("POST {url}")).await;
        let body: Value = serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("session info is not JSON ({e}): {}", page.body));
        body["result"]["uid"].as_i64()
    }
}

fn explain(page: &Page, hops: &[String]) -> String {
    let excerpt: String = page.body.chars().take(1500).collect();
    format!("ended with {}\n  {}\n--- body:\n{excerpt}", page.status, hops.join("\n  "))
}

fn seed() -> odoo_sim::Seed {
    serde_json::from_value(json!({
        "version": "18.0",
        "database": "acme",
        "dbfilter": "^acme$",
        "signup": "b2b",
        "users": [
            {"id": 2, "login": "admin", "email": "admin@example.com", "name": "Administrator", "share": false, "password": "admin", "api_keys": [API_KEY], "admin": true},
            {"id": ALICE, "login": ALICE_EMAIL, "email": ALICE_EMAIL, "name": "Alice Example", "share": false, "password": "alice"}
        ],
        "groups": [],
        "providers": [],
        "config_parameters": {},
        "modules": {"auth_oauth": "installed", "auth_signup": "installed"}
    }))
    .expect("seed parses")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn is_signin(url: &Url) -> bool {
    url.path().ends_with("/auth_oauth/signin")
}

/// The access token a signin URL carries (in the fragment for Odoo-initiated logins, the query otherwise).
fn access_token(signin: &Url) -> String {
    let pairs = format!("{}&{}", signin.query().unwrap_or(""), signin.fragment().unwrap_or(""));
    url::form_urlencoded::parse(pairs.as_bytes()).find(|(k, _)| k == "access_token").map(|(_, v)| v.into_owned()).expect("the signin URL carries an access_token")
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind odoo");
    let acme = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = odoo_sim::serve(seed(), listener).await;
    });

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
    let (a, b) = (Served::start(dir, &config_a, &db.password()), Served::start(dir, &config_b, &db.password()));
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
