//! `kill -9` of the real `login-bridge serve` process mid-login, then a restart on the same
//! file-backed SQLite store:
//! (a) between the redirect to the provider and the provider's callback;
//! (b) between the 303 to Odoo's `/auth_oauth/signin` (with the access token) and Odoo
//!     validating that token.
//! Both must finish after the restart, and a token must still work only once.

mod standins;

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
const SECRET: &str = "restart-test-client-secret";
const API_KEY: &str = "restart-test-api-key";

fn envs() -> [(&'static str, &'static str); 3] {
    [("ACME_ODOO_API_KEY", API_KEY), ("SSO_CLIENT_SECRET", SECRET), ("LOGIN_BRIDGE_LOG", "debug")]
}

/// `login-bridge serve`, stderr collected; killed (SIGKILL) on drop.
struct Served {
    child: std::process::Child,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Served {
    fn start(dir: &Path, config: &Path) -> Self {
        let mut child = std::process::Command::new(BIN)
            .env_clear()
            .current_dir(dir)
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .envs(envs())
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

    /// `kill -9 PID`; returns the exit status (must be death by SIGKILL) and the log.
    fn kill9(mut self) -> String {
        let pid = self.child.id().to_string();
        let status = std::process::Command::new("kill").args(["-9", &pid]).status().expect("run kill");
        assert!(status.success(), "kill -9 {pid} failed");
        let exit = self.child.wait().expect("wait");
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(exit.signal(), Some(9), "the bridge must have died of SIGKILL: {exit:?}");
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

async fn wait_ready(served: Served, public: &str) -> Served {
    let client = reqwest::Client::builder().no_proxy().build().expect("client");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = client.get(format!("{public}/readyz")).send().await {
            let body: Value = response.json().await.unwrap_or(Value::Null);
            if body["providers"]["sso"]["status"] == "ok" {
                return served;
            }
        }
        if Instant::now() > deadline {
            let log = served.kill9();
            panic!("the bridge did not become ready in 60 s\n--- stderr:\n{log}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

/// A browser keeping cookies; redirects followed by hand.
struct Browser {
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("http client")
}

impl Browser {
    fn new() -> Self {
        Self { http: client(), cookies: BTreeMap::new() }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder, what: &str) -> Page {
        let request = if self.cookies.is_empty() {
            request
        } else {
            let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            request.header(reqwest::header::COOKIE, cookie)
        };
        let response = request.send().await.unwrap_or_else(|e| panic!("{what} failed: {e}"));
        let status = response.status().as_u16();
        for value in response.headers().get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let mut parts = value.split(';');
            let Some((name, val)) = parts.next().and_then(|p| p.trim().split_once('=')) else { continue };
            let expired = parts.any(|a| {
                let a = a.trim().to_ascii_lowercase();
                a == "max-age=0" || a.starts_with("max-age=-")
            });
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

    async fn get(&mut self, url: &Url) -> Page {
        let mut bare = url.clone();
        bare.set_fragment(None);
        let request = self.http.get(bare.as_str());
        self.send(request, &format!("GET {bare}")).await
    }

    /// Follows redirects like a browser (fragment inherited; Odoo's fragment-to-query page run)
    /// until the page is final or the next URL satisfies `stop_before`, which is then returned
    /// unvisited.
    async fn navigate_until(&mut self, start: &str, stop_before: impl Fn(&Url) -> bool) -> (Result<Url, Page>, Vec<String>) {
        let mut url = Url::parse(start).expect("start URL");
        let mut hops = Vec::new();
        for _ in 0..25 {
            if stop_before(&url) {
                return (Ok(url), hops);
            }
            let page = self.get(&url).await;
            hops.push(format!("GET {url} -> {}{}", page.status, page.location.as_deref().map(|l| format!(" Location: {l}")).unwrap_or_default()));
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
                    let target = format!("{}{search}{separator}{fragment}", url.path());
                    url = url.join(&target).expect("fragment page target");
                    url.set_fragment(None);
                }
                _ => return (Err(page), hops),
            }
        }
        panic!("more than 25 redirects:\n{}", hops.join("\n"));
    }

    async fn navigate(&mut self, start: &str) -> (Page, Vec<String>) {
        match self.navigate_until(start, |_| false).await {
            (Err(page), hops) => (page, hops),
            (Ok(_), _) => unreachable!(),
        }
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

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind odoo");
    let acme = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = odoo_sim::serve(seed(), listener).await;
    });

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
    let setup = std::process::Command::new(BIN)
        .env_clear()
        .current_dir(dir)
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .envs(envs())
        .arg("--config")
        .arg(&config)
        .args(["setup", "--odoo", "acme"])
        .output()
        .expect("run setup");
    assert!(setup.status.success(), "setup failed:\n{}\n{}", String::from_utf8_lossy(&setup.stdout), String::from_utf8_lossy(&setup.stderr));

    let start_url = format!("{public}/login/sso?odoo=acme&return_to=/odoo");

    // ---- (a) kill -9 between the redirect to the provider and the callback ------------------
    let served = wait_ready(Served::start(dir, &config), &public).await;
    let mut browser_a = Browser::new();
    let start = browser_a.get(&Url::parse(&start_url).unwrap()).await;
    let to_idp = start.location.clone().unwrap_or_else(|| panic!("expected a redirect to the IdP, got {}: {}", start.status, start.body));
    assert!((300..400).contains(&start.status) && to_idp.starts_with(&sso.issuer()), "start of login: {} {to_idp}", start.status);
    let log_a = served.kill9();
    assert!(log_a.contains("login-bridge listening"), "{log_a}");
    assert!(std::fs::metadata(&db).is_ok(), "the store is a file");

    let served = wait_ready(Served::start(dir, &config), &public).await;
    browser_a.http = client();
    let (page, hops) = browser_a.navigate(&to_idp).await;
    let uid = browser_a.odoo_uid(&acme).await;
    // Flows live in the SQLite store (WAL, committed before the redirect): a restart loses none.
    assert_eq!(uid, Some(ALICE), "the flow begun before kill -9 must finish after the restart\n{}", explain(&page, &hops));
    // Nothing corrupted: a fresh login on the restarted process works.
    let mut fresh = Browser::new();
    let (page, hops) = fresh.navigate(&start_url).await;
    assert_eq!(fresh.odoo_uid(&acme).await, Some(ALICE), "a fresh login after the restart must work\n{}", explain(&page, &hops));

    // ---- (b) kill -9 between the token being issued and Odoo validating it -----------------
    let mut browser_b = Browser::new();
    let (stopped, hops) = browser_b.navigate_until(&start_url, is_signin).await;
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

    let served = wait_ready(Served::start(dir, &config), &public).await;
    browser_b.http = client();
    let (page, hops) = browser_b.navigate(signin.as_str()).await;
    assert_eq!(browser_b.odoo_uid(&acme).await, Some(ALICE), "the token issued before kill -9 must log Alice in after the restart\n{}", explain(&page, &hops));

    // The same token a second time (another browser, no session): refused.
    let mut replay = Browser::new();
    let (page, hops) = replay.navigate(signin.as_str()).await;
    assert_eq!(replay.odoo_uid(&acme).await, None, "a second use of the same token must be refused\n{}", explain(&page, &hops));

    drop(served);
    eprintln!("restart: (a) flow finished after kill -9; (b) token survived kill -9, used once, replay refused (ended {})", page.status);
}
