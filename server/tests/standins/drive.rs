//! The end-to-end driver: the Odoo simulator, every provider stand-in and the bridge on real
//! 127.0.0.1 ports, and a cookie-keeping "browser" that follows each redirect by hand
//! (bridge → provider → bridge callback → Odoo signin → Odoo web client) and then asks Odoo who
//! is logged in.
//!
//! ```ignore
//! let world = drive::World::start().await;           // everyone approves as Alice
//! world.google.set_account(Account::new("1").email("alice@example.com", false));
//! let outcome = world.drive_login("google").await;
//! outcome.expect_refused(403);
//! ```
//! To change something before the bridge starts: `let mut setup = Setup::new().await; …;
//! let world = setup.launch().await;`.

use super::{
    facebook::{FacebookAccount, FacebookStandin},
    github::{GithubAccount, GithubEmail, GithubOrg, GithubStandin},
    microsoft::{EntraAccount, MicrosoftStandin, TENANT_A, TENANT_B},
    oidc_core::{Account, Gitlab, Google, Keycloak, OidcStandin},
    Registration, SigningKey,
};
use login_bridge::{
    bridge::{AppState, Bridge},
    config::Config,
    odoo::client::OdooUser,
};
use serde_json::{json, Value};
use std::{collections::BTreeMap, fmt, path::Path, sync::Arc};
use url::Url;

pub const ALICE: i64 = 6;
pub const BOB: i64 = 7;
pub const ALICE_EMAIL: &str = "alice@example.com";
pub const ODOO_ID: &str = "acme";

/// Key slots (see `super::rsa_key`): one per OpenID stand-in, spares for rotation tests.
pub const KEY_GOOGLE: usize = 0;
pub const KEY_MICROSOFT: usize = 1;
pub const KEY_GITLAB: usize = 2;
pub const KEY_OIDC: usize = 3;
pub const KEY_SPARE: usize = 4;

/// The app registrations at each provider: (client id, secret env name, secret).
pub const GOOGLE_APP: (&str, &str, &str) =
    ("1084920377415-7kq2m3v9bqf1lrs5mh1hd0uu1a6b3t9k.apps.googleusercontent.com", "GOOGLE_SECRET", "GOCSPX-standin-4f9a1c2e7b");
pub const MICROSOFT_APP: (&str, &str, &str) = ("6731de76-14a6-49ae-97bc-6eba6914391e", "MICROSOFT_SECRET", "Qx8Q~standin.microsoft~secret");
pub const GITHUB_APP: (&str, &str, &str) = ("Ov23liStandin0GitHub1", "GITHUB_SECRET", "5d1f0c9b8e7a6d5c4b3a29180f7e6d5c4b3a2918");
pub const FACEBOOK_APP: (&str, &str, &str) = ("1234567890123456", "FACEBOOK_SECRET", "9f8e7d6c5b4a39281706f5e4d3c2b1a0");
pub const GITLAB_APP: (&str, &str, &str) = ("3e1b5c0d9a8f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4", "GITLAB_SECRET", "gloas-standin-gitlab-secret");
pub const OIDC_APP: (&str, &str, &str) = ("login-bridge", "OIDC_SECRET", "keycloak-standin-secret");

fn env(name: &str) -> Option<String> {
    let secrets = [GOOGLE_APP, MICROSOFT_APP, GITHUB_APP, FACEBOOK_APP, GITLAB_APP, OIDC_APP];
    match name {
        "ODOO_KEY" => Some("sim-admin-api-key".into()),
        _ => secrets.iter().find(|(_, env, _)| *env == name).map(|(_, _, secret)| secret.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Default people: everyone is Alice, verified, allowed

pub fn google_alice() -> Account {
    Account::new("110169484474386276334")
        .email(ALICE_EMAIL, true)
        .name("Alice Example")
        .claim("hd", "example.com")
        .claim("given_name", "Alice")
        .claim("family_name", "Example")
        .claim("picture", "https://lh3.googleusercontent.com/a/ACg8ocJstandin=s96-c")
}

pub const ALICE_OID: &str = "00000000-0000-0000-66f3-3332eca7ea81";

pub fn microsoft_alice() -> EntraAccount {
    EntraAccount::new(ALICE_OID, TENANT_A, ALICE_EMAIL)
}

pub const ALICE_GITHUB_ID: u64 = 583231;

pub fn github_alice() -> GithubAccount {
    GithubAccount::new(ALICE_GITHUB_ID, "alice-example")
        .name("Alice Example")
        .email(GithubEmail::new(ALICE_EMAIL, true, true))
        .email(GithubEmail::new("583231+alice-example@users.noreply.github.com", false, true))
        .org(GithubOrg::new("acme", 9919))
}

pub const ALICE_FACEBOOK_ID: &str = "10228345678901234";

pub fn facebook_alice() -> FacebookAccount {
    FacebookAccount::new(ALICE_FACEBOOK_ID, "Alice Example", Some(ALICE_EMAIL))
}

pub fn gitlab_alice() -> Account {
    Account::new("4812345")
        .email(ALICE_EMAIL, true)
        .name("Alice Example")
        .claim("sub_legacy", "9c1e4f8a2b7d3e6f0a5c8b1d4e7f2a9c6b3d0e5f8a1c4b7d2e9f6a3c0b5d8e1f")
        .claim("nickname", "alice.example")
        .claim("preferred_username", "alice.example")
        .claim("profile", "https://gitlab.com/alice.example")
        .claim("picture", "https://secure.gravatar.com/avatar/standin?s=80&d=identicon")
        .claim("groups_direct", json!(["acme/engineering"]))
}

/// The directory behind the generic OpenID provider names its claims its own way; the bridge
/// config maps them (`claims = { email = "mail", … }`).
pub fn oidc_alice() -> Account {
    Account::new("f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9")
        .claim("mail", ALICE_EMAIL)
        .claim("mail_verified", true)
        .claim("displayName", "Alice Example")
        .claim("roles", json!(["odoo-users"]))
        .claim("preferred_username", "alice")
}

pub const OIDC_CLAIMS_MAPPING: &str = r#"{ email = "mail", email_verified = "mail_verified", name = "displayName", groups = "roles" }"#;

// ---------------------------------------------------------------------------------------------
// Setting up

pub struct Standins {
    pub google: OidcStandin,
    pub microsoft: MicrosoftStandin,
    pub github: GithubStandin,
    pub facebook: FacebookStandin,
    pub gitlab: OidcStandin,
    pub oidc: OidcStandin,
}

/// One `[[provider]]` of the bridge config (everything after `id`), and its Odoo record.
#[derive(Clone, Debug)]
pub struct ProviderEntry {
    pub id: String,
    pub body: String,
}

/// Everything started except the Odoo simulator and the bridge, which the config needs last.
pub struct Setup {
    pub standins: Standins,
    pub public_url: String,
    pub providers: Vec<ProviderEntry>,
    /// Extra lines for the `[[odoo]]` table.
    pub odoo_extra: String,
    /// The simulator's Odoo version flavour ("15.0" … "19.0").
    pub odoo_version: String,
    /// More `res.users` rows for the simulator's seed.
    pub extra_users: Vec<Value>,
    /// False: no api_login/API key in the config ("no external API" mode).
    pub api_access: bool,
    listener: tokio::net::TcpListener,
    dir: tempfile::TempDir,
}

impl std::ops::Deref for Setup {
    type Target = Standins;
    fn deref(&self) -> &Standins {
        &self.standins
    }
}

fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_test_writer()
        .try_init();
}

impl Setup {
    pub async fn new() -> Setup {
        init_tracing();
        // Bind first: the public URL (and so every redirect URI) needs the real port.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind bridge");
        let public_url = format!("http://{}", listener.local_addr().expect("bridge address"));
        let registration = |app: (&str, &str, &str), id: &str| Registration::new(app.0, app.2, &format!("{public_url}/callback/{id}"));

        let google = OidcStandin::start(Box::new(Google), registration(GOOGLE_APP, "google"), SigningKey::new(KEY_GOOGLE, "c8ab71530972bba20b49f78a09c9852c43ff9118")).await;
        let microsoft = MicrosoftStandin::start(registration(MICROSOFT_APP, "microsoft"), KEY_MICROSOFT).await;
        let github = GithubStandin::start(registration(GITHUB_APP, "github")).await;
        let facebook = FacebookStandin::start(registration(FACEBOOK_APP, "facebook")).await;
        let gitlab = OidcStandin::start(Box::new(Gitlab), registration(GITLAB_APP, "gitlab"), SigningKey::new(KEY_GITLAB, "kewiQq9jiC84CvSsJYOB-N6A8WFLSV20Mb-y7IlWDSQ")).await;
        let oidc = OidcStandin::start(
            Box::new(Keycloak { realm: "acme".into() }),
            registration(OIDC_APP, "oidc"),
            SigningKey::new(KEY_OIDC, "Xk3oQ0n2a8VwR1-standin-rs256"),
        )
        .await;

        google.set_account(google_alice());
        microsoft.set_account(microsoft_alice());
        github.set_account(github_alice());
        facebook.set_account(facebook_alice());
        gitlab.set_account(gitlab_alice());
        oidc.set_account(oidc_alice());

        let q = |s: &str| format!("\"{s}\"");
        let providers = vec![
            ProviderEntry {
                id: "google".into(),
                body: format!(
                    "kind = \"google\"\nclient_id = {}\nclient_secret_env = {}\nissuer = {}\nhosted_domains = [\"example.com\"]\n",
                    q(GOOGLE_APP.0),
                    q(GOOGLE_APP.1),
                    q(&google.issuer())
                ),
            },
            ProviderEntry {
                id: "microsoft".into(),
                body: format!(
                    "kind = \"microsoft\"\nclient_id = {}\nclient_secret_env = {}\nauthority = {}\ntenant = \"organizations\"\nallowed_tenants = [{}, {}]\n",
                    q(MICROSOFT_APP.0),
                    q(MICROSOFT_APP.1),
                    q(&microsoft.authority()),
                    q(TENANT_A),
                    q(TENANT_B)
                ),
            },
            ProviderEntry {
                id: "github".into(),
                body: format!(
                    "kind = \"github\"\nclient_id = {}\nclient_secret_env = {}\nbase_url = {}\napi_url = {}\nallowed_organizations = [\"acme\"]\n",
                    q(GITHUB_APP.0),
                    q(GITHUB_APP.1),
                    q(&github.base_url()),
                    q(&github.api_url())
                ),
            },
            ProviderEntry {
                id: "facebook".into(),
                body: format!(
                    "kind = \"facebook\"\nclient_id = {}\nclient_secret_env = {}\nbase_url = {}\ngraph_url = {}\n",
                    q(FACEBOOK_APP.0),
                    q(FACEBOOK_APP.1),
                    q(&facebook.base_url()),
                    q(&facebook.graph_url())
                ),
            },
            ProviderEntry {
                id: "gitlab".into(),
                body: format!(
                    "kind = \"gitlab\"\nclient_id = {}\nclient_secret_env = {}\nissuer = {}\n",
                    q(GITLAB_APP.0),
                    q(GITLAB_APP.1),
                    q(&gitlab.issuer())
                ),
            },
            ProviderEntry {
                id: "oidc".into(),
                body: format!(
                    "kind = \"oidc\"\ndisplay_name = \"Acme SSO\"\nclient_id = {}\nclient_secret_env = {}\nissuer = {}\nclaims = {OIDC_CLAIMS_MAPPING}\n",
                    q(OIDC_APP.0),
                    q(OIDC_APP.1),
                    q(&oidc.issuer())
                ),
            },
        ];
        let dir = tempfile::tempdir().expect("tempdir");
        Setup {
            standins: Standins { google, microsoft, github, facebook, gitlab, oidc },
            public_url,
            providers,
            odoo_extra: String::new(),
            odoo_version: "18.0".into(),
            extra_users: Vec::new(),
            api_access: true,
            listener,
            dir,
        }
    }

    /// Adds a `[[provider]]` (and its Odoo record); `body` is the TOML after `id`.
    pub fn add_provider(&mut self, id: &str, body: &str) {
        self.providers.push(ProviderEntry { id: id.into(), body: body.into() });
    }

    pub fn redirect_uri(&self, provider_id: &str) -> String {
        format!("{}/callback/{provider_id}", self.public_url)
    }

    fn seed(&self) -> Value {
        let providers: Vec<Value> = self
            .providers
            .iter()
            .enumerate()
            .map(|(i, p)| {
                json!({
                    "id": 4 + i as i64, "name": format!("{} via Login Bridge", p.id), "enabled": true, "client_id": ODOO_ID,
                    "auth_endpoint": format!("{}/odoo/authorize/{}", self.public_url, p.id),
                    "validation_endpoint": format!("{}/odoo/tokeninfo", self.public_url),
                    "data_endpoint": false, "scope": "openid profile email",
                    "body": format!("Sign in with {}", p.id), "css_class": "fa fa-fw fa-sign-in text-primary", "sequence": 10 + i as i64
                })
            })
            .collect();
        let mut users = vec![
            json!({"id": 2, "login": "admin", "email": "admin@example.com", "name": "Administrator", "share": false, "password": "admin", "api_keys": ["sim-admin-api-key"], "admin": true}),
            json!({"id": ALICE, "login": ALICE_EMAIL, "email": ALICE_EMAIL, "name": "Alice Example", "share": false, "password": "alice"}),
            json!({"id": BOB, "login": "bob@example.com", "email": "bob@example.com", "name": "Bob Portal", "share": true, "password": "bob", "groups": [10]}),
        ];
        users.extend(self.extra_users.iter().cloned());
        json!({
            "version": self.odoo_version,
            "database": "acme",
            "dbfilter": "^acme$",
            "signup": "b2b",
            "users": users,
            "groups": [{"id": 10, "full_name": "User types / Portal"}],
            "providers": providers,
            "config_parameters": {"auth_oauth.authorization_header": "1"},
            "modules": {"auth_oauth": "installed", "auth_signup": "installed"}
        })
    }

    pub fn config_text(&self, odoo_url: &str) -> String {
        let db = self.dir.path().join("bridge.db");
        let mut text = format!(
            "public_url = \"{public}\"\nlisten = \"{listen}\"\n\n[store]\nurl = \"sqlite://{db}\"\n\n[[odoo]]\nid = \"{ODOO_ID}\"\nurl = \"{odoo_url}\"\ndatabase = \"acme\"\n{api}{extra}\n",
            public = self.public_url,
            listen = self.public_url.trim_start_matches("http://"),
            db = db.display(),
            extra = self.odoo_extra,
            api = if self.api_access { "api_login = \"admin\"\napi_key_env = \"ODOO_KEY\"\n" } else { "" },
        );
        for p in &self.providers {
            text.push_str(&format!("\n[[provider]]\nid = \"{}\"\n{}", p.id, p.body));
        }
        text
    }

    /// Starts the Odoo simulator and the bridge (discovering every provider once).
    pub async fn launch(self) -> World {
        let seed: odoo_sim::Seed = serde_json::from_value(self.seed()).expect("seed parses");
        let odoo_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind odoo");
        let odoo_url = format!("http://{}", odoo_listener.local_addr().expect("odoo address"));
        tokio::spawn(async move {
            let _ = odoo_sim::serve(seed, odoo_listener).await;
        });

        let text = self.config_text(&odoo_url);
        let config = match Config::parse(&text, Path::new("providers-e2e.toml"), self.dir.path(), &env) {
            Ok(c) => c,
            Err(e) => panic!("the end-to-end config does not parse: {e}\n--- config ---\n{text}"),
        };
        let bridge = match Bridge::start(config).await {
            Ok(b) => b,
            Err(e) => panic!("the bridge does not start: {e}"),
        };
        bridge.upstreams.discover_all().await;
        let leptos_options = leptos::config::LeptosOptions::builder().output_name("login-bridge").site_root("target/site").build();
        let app = login_bridge::http::router(AppState { bridge: bridge.clone(), leptos_options });
        let listener = self.listener;
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let records = self.providers.iter().enumerate().map(|(i, p)| (p.id.clone(), 4 + i as i64)).collect();
        World {
            standins: self.standins,
            bridge_url: self.public_url,
            odoo_url,
            bridge,
            records,
            config_text: text,
            _dir: self.dir,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The running world

pub struct World {
    pub standins: Standins,
    pub bridge_url: String,
    pub odoo_url: String,
    pub bridge: Arc<Bridge>,
    /// Odoo `auth.oauth.provider` record id per bridge provider id.
    pub records: BTreeMap<String, i64>,
    pub config_text: String,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for World {
    type Target = Standins;
    fn deref(&self) -> &Standins {
        &self.standins
    }
}

impl World {
    pub async fn start() -> World {
        Setup::new().await.launch().await
    }

    /// A bridge-initiated login in a fresh browser: `GET /login/{provider}?odoo=acme`, then every
    /// redirect by hand, then "who is logged in?" at Odoo.
    pub async fn drive_login(&self, provider_id: &str) -> Outcome {
        let mut browser = Browser::new();
        self.drive_login_in(&mut browser, provider_id).await
    }

    pub async fn drive_login_in(&self, browser: &mut Browser, provider_id: &str) -> Outcome {
        let start = format!("{}/login/{provider_id}?odoo={ODOO_ID}", self.bridge_url);
        let page = browser.navigate(&start).await;
        let session = browser.odoo_session(&self.odoo_url).await;
        Outcome::new(page, std::mem::take(&mut browser.hops), session)
    }

    /// An Odoo-initiated login: Odoo's login page, its button for `provider_id`, then the same
    /// chain, with the token coming back in the fragment of `/auth_oauth/signin`.
    pub async fn drive_odoo_initiated(&self, provider_id: &str) -> Outcome {
        let mut browser = Browser::new();
        let login_page = browser.navigate(&format!("{}/web/login", self.odoo_url)).await;
        let prefix = format!("{}/odoo/authorize/{provider_id}?", self.bridge_url);
        let href = login_page
            .body
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(html_unescape)
            .find(|h| h.starts_with(&prefix))
            .unwrap_or_else(|| panic!("Odoo's login page has no button for {provider_id}:\n{}", login_page.body));
        let page = browser.navigate(&href).await;
        let session = browser.odoo_session(&self.odoo_url).await;
        Outcome::new(page, std::mem::take(&mut browser.hops), session)
    }

    /// `GET /readyz` → (status, JSON).
    pub async fn readyz(&self) -> (u16, Value) {
        let response = reqwest::get(format!("{}/readyz", self.bridge_url)).await.expect("readyz answers");
        let status = response.status().as_u16();
        let body = response.text().await.expect("readyz body");
        (status, serde_json::from_str(&body).unwrap_or_else(|e| panic!("/readyz is not JSON ({e}): {body}")))
    }

    /// The Odoo user as Odoo stores it (oauth_provider_id / oauth_uid show the link).
    pub async fn odoo_user(&self, uid: i64) -> OdooUser {
        let client = self.bridge.odoo(ODOO_ID).expect("odoo client");
        client.user(uid).await.expect("read user").expect("user exists")
    }

    /// How many token validations Odoo made against the bridge.
    pub async fn odoo_validations(&self) -> usize {
        let log: Value = reqwest::get(format!("{}/__sim/validation_log", self.odoo_url))
            .await
            .expect("validation log")
            .json()
            .await
            .expect("validation log JSON");
        log.as_array().map(Vec::len).unwrap_or(0)
    }

    /// Runs discovery again now (what the bridge's background retry does).
    pub async fn rediscover(&self) {
        self.bridge.upstreams.discover_all().await;
    }
}

// ---------------------------------------------------------------------------------------------
// A small browser: cookies shared across 127.0.0.1 ports (as browsers do), no automatic redirects

pub struct Page {
    pub url: Url,
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

pub struct Browser {
    http: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
    pub hops: Vec<String>,
}

impl Default for Browser {
    fn default() -> Self {
        Self::new()
    }
}

const MAX_HOPS: usize = 25;

impl Browser {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) login-bridge-e2e")
            .build()
            .expect("http client");
        Self { http, cookies: BTreeMap::new(), hops: Vec::new() }
    }

    fn cookie_header(&self) -> Option<String> {
        (!self.cookies.is_empty()).then(|| self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
    }

    fn keep_cookies(&mut self, headers: &reqwest::header::HeaderMap) {
        for value in headers.get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
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
    }

    /// One GET (no fragment is ever sent).
    pub async fn get(&mut self, url: &Url) -> Page {
        let mut request_url = url.clone();
        request_url.set_fragment(None);
        let mut request = self.http.get(request_url.as_str());
        if let Some(cookie) = self.cookie_header() {
            request = request.header(reqwest::header::COOKIE, cookie);
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                self.hops.push(format!("GET {request_url} -> connection failed: {e}"));
                return Page { url: url.clone(), status: 0, headers: Default::default(), body: format!("connection failed: {e}") };
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        self.keep_cookies(&headers);
        let body = response.text().await.unwrap_or_default();
        let location = headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(|l| format!(" Location: {l}")).unwrap_or_default();
        self.hops.push(format!("GET {request_url} -> {status}{location}"));
        Page { url: url.clone(), status, headers, body }
    }

    /// Follows redirects like a browser: relative Locations resolved, the fragment inherited
    /// when the new Location has none, and Odoo's fragment-to-query page "run".
    pub async fn navigate(&mut self, start: &str) -> Page {
        let mut url = Url::parse(start).expect("start URL");
        for _ in 0..MAX_HOPS {
            let page = self.get(&url).await;
            let location = page.headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
            match location {
                Some(location) if (300..400).contains(&page.status) => {
                    let mut next = url.join(&location).unwrap_or_else(|e| panic!("bad Location {location:?}: {e}"));
                    if next.fragment().is_none() {
                        next.set_fragment(url.fragment());
                    }
                    url = next;
                }
                _ if page.status == 200 && page.body.contains("l.hash.substring(1)") && url.fragment().is_some_and(|f| !f.is_empty()) => {
                    // Odoo's /auth_oauth/signin page: `window.location = pathname + search + (&|?) + hash`.
                    let fragment = url.fragment().unwrap_or_default().to_string();
                    let search = url.query().filter(|q| !q.is_empty()).map(|q| format!("?{q}")).unwrap_or_default();
                    let separator = if search.is_empty() { "?" } else { "&" };
                    let target = format!("{}{search}{separator}{fragment}", url.path());
                    self.hops.push(format!("(script) -> {target}"));
                    url = url.join(&target).expect("fragment page target");
                    url.set_fragment(None);
                }
                _ => return page,
            }
        }
        panic!("more than {MAX_HOPS} redirects:\n{}", self.hops.join("\n"));
    }

    /// Who Odoo says this browser is: `POST /web/session/get_session_info`.
    pub async fn odoo_session(&mut self, odoo_url: &str) -> Option<OdooSession> {
        let mut request = self
            .http
            .post(format!("{odoo_url}/web/session/get_session_info"))
            .json(&json!({"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}));
        if let Some(cookie) = self.cookie_header() {
            request = request.header(reqwest::header::COOKIE, cookie);
        }
        let body: Value = request.send().await.expect("get_session_info").json().await.expect("session info JSON");
        if let Some(error) = body.get("error") {
            assert_eq!(error["code"], 100, "Odoo answered an unexpected error: {body}");
            return None;
        }
        let result = &body["result"];
        Some(OdooSession {
            uid: result["uid"].as_i64().unwrap_or_else(|| panic!("session info without uid: {body}")),
            username: result["username"].as_str().unwrap_or_default().to_string(),
            name: result["name"].as_str().unwrap_or_default().to_string(),
        })
    }
}

fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#34;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The text of the first `<h1>`.
pub fn heading(html: &str) -> Option<String> {
    let start = html.find("<h1")?;
    let after = &html[start..];
    let open_end = after.find('>')? + 1;
    let close = after.find("</h1>")?;
    let inner = &after[open_end..close];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(html_unescape(text.trim()))
}

// ---------------------------------------------------------------------------------------------
// What happened

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OdooSession {
    pub uid: i64,
    pub username: String,
    pub name: String,
}

pub struct Outcome {
    pub status: u16,
    pub url: String,
    pub heading: Option<String>,
    pub body: String,
    pub hops: Vec<String>,
    pub session: Option<OdooSession>,
}

impl Outcome {
    fn new(page: Page, hops: Vec<String>, session: Option<OdooSession>) -> Self {
        Self { status: page.status, url: page.url.to_string(), heading: heading(&page.body), body: page.body, hops, session }
    }

    pub fn uid(&self) -> Option<i64> {
        self.session.as_ref().map(|s| s.uid)
    }

    /// Whether the browser ever reached Odoo's `/auth_oauth/signin` (a token was handed over).
    pub fn reached_odoo_signin(&self) -> bool {
        self.hops.iter().any(|h| h.contains("/auth_oauth/signin"))
    }

    /// Odoo has a session for `uid`, opened through the bridge's token.
    #[track_caller]
    pub fn expect_logged_in(&self, uid: i64) {
        assert_eq!(self.uid(), Some(uid), "expected Odoo to be logged in as user {uid}\n{self}");
        assert!(self.reached_odoo_signin(), "the session must come from /auth_oauth/signin\n{self}");
        assert_eq!(self.status, 200, "the login should end on an Odoo page\n{self}");
    }

    /// The bridge refused with `status` and a page with a heading; Odoo has no session and never
    /// got a token. Returns the heading.
    #[track_caller]
    pub fn expect_refused(&self, status: u16) -> String {
        self.expect_refused_with_one_of(&[status])
    }

    /// Like [`Outcome::expect_refused`] when more than one status is right (403 or 502 for a
    /// forged token, depending on how the bridge classifies it).
    #[track_caller]
    pub fn expect_refused_with_one_of(&self, statuses: &[u16]) -> String {
        assert!(statuses.contains(&self.status), "expected the bridge to refuse with one of {statuses:?}\n{self}");
        assert_eq!(self.session, None, "Odoo must have no session after a refusal\n{self}");
        assert!(!self.reached_odoo_signin(), "no token may reach Odoo after a refusal\n{self}");
        let heading = self.heading.clone().unwrap_or_else(|| panic!("the refusal page has no <h1>\n{self}"));
        assert!(!heading.is_empty(), "empty <h1>\n{self}");
        heading
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "--- outcome: {} at {} (heading {:?}), Odoo session {:?}", self.status, self.url, self.heading, self.session)?;
        for hop in &self.hops {
            writeln!(f, "    {hop}")?;
        }
        let excerpt: String = self.body.chars().take(1500).collect();
        write!(f, "--- body:\n{excerpt}")
    }
}

impl fmt::Debug for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
