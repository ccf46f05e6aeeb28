//! The bridge in front of the Odoo simulator with one provider, `hostile`, pointed at a
//! [`HostileIdp`]; a login is walked through by the stand-ins' cookie-keeping [`Browser`] and
//! judged as a person would: logged in to Odoo (the simulator's session) or a refusal page.

use super::idp::{HostileIdp, Kind};
use crate::standins::drive::{heading, Browser, Outcome};
use login_bridge::{
    bridge::{AppState, Bridge},
    config::Config,
};
use serde_json::{json, Value};
use std::{path::Path, path::PathBuf, sync::Arc};

pub const PROVIDER: &str = "hostile";
pub const ODOO_ID: &str = "acme";
pub const ALICE: i64 = 6;
pub const ALICE_EMAIL: &str = "alice@example.com";
/// The Odoo `auth.oauth.provider` record of the bridge's `hostile` provider.
pub const RECORD: i64 = 4;

/// Before the bridge starts: the provider runs, its scenario can be set, the config changed.
pub struct Setup {
    pub idp: HostileIdp,
    /// The issuer the bridge is configured with (default: the provider's).
    pub issuer: String,
    listener: tokio::net::TcpListener,
    public_url: String,
    dir: tempfile::TempDir,
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
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind bridge");
        let public_url = format!("http://{}", listener.local_addr().expect("bridge address"));
        let idp = HostileIdp::start(&format!("{public_url}/callback/{PROVIDER}")).await;
        let issuer = idp.issuer();
        Setup { idp, issuer, listener, public_url, dir: tempfile::tempdir().expect("tempdir") }
    }

    fn seed(&self) -> Value {
        json!({
            "version": "18.0",
            "database": "acme",
            "dbfilter": "^acme$",
            "signup": "b2b",
            "users": [
                {"id": 2, "login": "admin", "email": "admin@example.com", "name": "Administrator", "share": false, "password": "admin", "api_keys": ["sim-admin-api-key"], "admin": true},
                {"id": ALICE, "login": ALICE_EMAIL, "email": ALICE_EMAIL, "name": "Alice Example", "share": false, "password": "alice"}
            ],
            "groups": [],
            "providers": [{
                "id": RECORD, "name": "Hostile OP via Login Bridge", "enabled": true, "client_id": ODOO_ID,
                "auth_endpoint": format!("{}/odoo/authorize/{PROVIDER}", self.public_url),
                "validation_endpoint": format!("{}/odoo/tokeninfo", self.public_url),
                "data_endpoint": false, "scope": "openid profile email",
                "body": "Sign in with Hostile OP", "css_class": "fa fa-fw fa-sign-in", "sequence": 10
            }],
            "config_parameters": {"auth_oauth.authorization_header": "1"},
            "modules": {"auth_oauth": "installed", "auth_signup": "installed"}
        })
    }

    /// Starts the Odoo simulator and the bridge, which discovers the provider once.
    pub async fn launch(self) -> HostileWorld {
        let seed: odoo_sim::Seed = serde_json::from_value(self.seed()).expect("seed parses");
        let odoo_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind odoo");
        let odoo_url = format!("http://{}", odoo_listener.local_addr().expect("odoo address"));
        tokio::spawn(async move {
            let _ = odoo_sim::serve(seed, odoo_listener).await;
        });
        let db = self.dir.path().join("bridge.db");
        let text = format!(
            "public_url = \"{public}\"\nlisten = \"{listen}\"\n\n[store]\nurl = \"sqlite://{db}\"\n\n\
             [[odoo]]\nid = \"{ODOO_ID}\"\nurl = \"{odoo_url}\"\ndatabase = \"acme\"\napi_login = \"admin\"\napi_key_env = \"ODOO_KEY\"\n\n\
             [[provider]]\nid = \"{PROVIDER}\"\nkind = \"oidc\"\ndisplay_name = \"Hostile OP\"\nclient_id = \"{client}\"\n\
             client_secret_env = \"HOSTILE_SECRET\"\nissuer = \"{issuer}\"\n",
            public = self.public_url,
            listen = self.public_url.trim_start_matches("http://"),
            db = db.display(),
            client = self.idp.inner.client_id,
            issuer = self.issuer,
        );
        let secret = self.idp.inner.client_secret.clone();
        let env = move |name: &str| match name {
            "ODOO_KEY" => Some("sim-admin-api-key".to_string()),
            "HOSTILE_SECRET" => Some(secret.clone()),
            _ => None,
        };
        let config = Config::parse(&text, Path::new("hostile.toml"), self.dir.path(), &env)
            .unwrap_or_else(|e| panic!("the config does not parse: {e}\n{text}"));
        let bridge = Bridge::start(config).await.unwrap_or_else(|e| panic!("the bridge does not start: {e}"));
        bridge.upstreams.discover_all().await;
        let leptos_options = leptos::config::LeptosOptions::builder().output_name("login-bridge").site_root("target/site").build();
        let app = login_bridge::http::router(AppState { bridge: bridge.clone(), leptos_options });
        let listener = self.listener;
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        HostileWorld { idp: self.idp, bridge_url: self.public_url, odoo_url, bridge, db, _dir: self.dir }
    }
}

pub struct HostileWorld {
    pub idp: HostileIdp,
    pub bridge_url: String,
    pub odoo_url: String,
    pub bridge: Arc<Bridge>,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

impl HostileWorld {
    /// An honest provider and a bridge that discovered it.
    pub async fn start() -> HostileWorld {
        Setup::new().await.launch().await
    }

    pub fn login_url(&self) -> String {
        format!("{}/login/{PROVIDER}?odoo={ODOO_ID}", self.bridge_url)
    }

    /// A bridge-initiated login in a fresh browser, every redirect followed, then "who is
    /// logged in?" at Odoo.
    pub async fn login(&self) -> Outcome {
        let mut browser = Browser::new();
        self.login_in(&mut browser).await
    }

    pub async fn login_in(&self, browser: &mut Browser) -> Outcome {
        let page = browser.navigate(&self.login_url()).await;
        self.outcome(browser, page).await
    }

    /// Turns the last page of a browser into an [`Outcome`] (asking Odoo who is logged in).
    pub async fn outcome(&self, browser: &mut Browser, page: crate::standins::drive::Page) -> Outcome {
        let session = browser.odoo_session(&self.odoo_url).await;
        Outcome {
            status: page.status,
            url: page.url.to_string(),
            heading: heading(&page.body),
            body: page.body,
            hops: std::mem::take(&mut browser.hops),
            session,
        }
    }

    /// Tokens the bridge minted for Odoo (stored hashed in `issued_tokens`).
    pub async fn issued_tokens(&self) -> i64 {
        let url = format!("sqlite://{}?mode=ro", self.db.display());
        let pool = sqlx::SqlitePool::connect(&url).await.expect("open the bridge's store");
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issued_tokens").fetch_one(&pool).await.expect("count tokens");
        pool.close().await;
        count
    }

    /// The `auth.oauth.provider` record Alice's Odoo user is linked to (`oauth_provider_id`).
    pub async fn alice_provider_record(&self) -> Option<i64> {
        let client = self.bridge.odoo(ODOO_ID).expect("odoo client");
        client.user(ALICE).await.expect("read Alice").expect("Alice exists").oauth_provider_id
    }

    /// How many times Odoo validated a bridge token.
    pub async fn odoo_validations(&self) -> usize {
        let log: Value = reqwest::get(format!("{}/__sim/validation_log", self.odoo_url))
            .await
            .expect("validation log")
            .json()
            .await
            .expect("validation log JSON");
        log.as_array().map(Vec::len).unwrap_or(0)
    }

    /// What `/readyz` says about the provider: "ok", "down"…, with the reason.
    pub async fn provider_status(&self) -> (String, String) {
        let body: Value = reqwest::get(format!("{}/readyz", self.bridge_url)).await.expect("readyz").json().await.expect("readyz JSON");
        let p = &body["providers"][PROVIDER];
        (p["status"].as_str().unwrap_or_default().to_string(), p["reason"].as_str().unwrap_or_default().to_string())
    }

    /// The bridge is still up and serving.
    pub async fn expect_bridge_alive(&self) {
        let response = reqwest::get(format!("{}/healthz", self.bridge_url)).await.expect("the bridge answers /healthz");
        assert_eq!(response.status().as_u16(), 200);
    }

    /// After a refusal: no session, no token reached Odoo (checked by `expect_refused`), and
    /// nothing was written: no token minted, no identity link, Alice's Odoo record untouched.
    #[track_caller]
    pub fn expect_nothing_issued(&self) -> impl std::future::Future<Output = ()> + '_ {
        let caller = std::panic::Location::caller();
        async move {
            assert_eq!(self.issued_tokens().await, 0, "a token was minted although the login was refused (at {caller})");
            let links = self.bridge.store.links(None).await.expect("links");
            assert!(links.is_empty(), "an identity link was saved although the login was refused: {links:?} (at {caller})");
            let client = self.bridge.odoo(ODOO_ID).expect("odoo client");
            let alice = client.user(ALICE).await.expect("read Alice").expect("Alice exists");
            assert_eq!(alice.oauth_uid, None, "Alice was linked in Odoo although the login was refused (at {caller})");
            assert_eq!(alice.oauth_provider_id, None, "(at {caller})");
            assert_eq!(self.odoo_validations().await, 0, "Odoo validated a token (at {caller})");
        }
    }

    /// A successful login: Odoo has Alice's session, opened through the bridge's token; the
    /// link is written and exactly one token was minted per successful login so far.
    #[track_caller]
    pub fn expect_alice(&self, outcome: &Outcome) {
        assert_eq!(outcome.uid(), Some(ALICE), "expected Odoo to be logged in as Alice\n{outcome}\n--- provider saw:\n{}", self.idp.journal());
        outcome.expect_logged_in(ALICE);
    }

    /// The refusal page for an answer of the provider that did not verify: 502, "Sign-in failed",
    /// "could not be verified"; no session, nothing handed to Odoo.
    #[track_caller]
    pub fn expect_unverified(&self, outcome: &Outcome) {
        self.expect_refusal(outcome, 502, "Sign-in failed", "could not be verified");
    }

    /// The page when the provider is not usable (discovery refused): 503, the provider is shown
    /// as unavailable and the browser was never sent to it.
    #[track_caller]
    pub fn expect_unavailable(&self, outcome: &Outcome) {
        self.expect_refusal(outcome, 503, "Sign-in provider unavailable", "cannot be reached right now");
        assert_eq!(self.idp.count(Kind::Authorize), 0, "the browser must not be sent to a provider that failed discovery\n{}", self.idp.journal());
        assert_eq!(self.idp.count(Kind::Token), 0, "{}", self.idp.journal());
    }

    #[track_caller]
    pub fn expect_refusal(&self, outcome: &Outcome, status: u16, title: &str, detail: &str) {
        let context = || format!("{outcome}\n--- provider saw:\n{}", self.idp.journal());
        assert_eq!(outcome.status, status, "wrong status\n{}", context());
        let heading = outcome.expect_refused(status);
        assert_eq!(heading, title, "wrong page\n{}", context());
        assert!(outcome.body.contains(detail), "the page should say {detail:?}\n{}", context());
        assert!(outcome.body.contains("Reference:"), "the page should carry a correlation id\n{}", context());
    }
}
