//! A bridge serving `/account` and `/admin`, for tests/account.rs and tests/admin.rs: the real
//! binary, two OpenID Connect stand-ins (`sso` "Acme SSO" and `work` "Work SSO"), the Odoo
//! simulator, and the store opened from the test too (to read links and write audit rows).
#![allow(dead_code)]

use crate::{
    served::{self, free_port, Browser, Page, Served},
    standins::{
        oidc_core::{Account, Keycloak, OidcStandin},
        Registration, SigningKey,
    },
};
use login_bridge::{
    config::{StoreBackend, StoreCaps, StoreConfig},
    store::{AuditEntry, AuditKind, AuditOutcome, Store},
};
use std::{
    path::PathBuf,
    time::{Duration, Instant},
};
use url::Url;

const CLIENT: &str = "login-bridge";
const SECRET: &str = "bridge-pages-client-secret";
const API_KEY: &str = "bridge-pages-api-key";

pub struct World {
    pub public: String,
    pub odoo: String,
    pub sso: OidcStandin,
    pub work: OidcStandin,
    pub store: Store,
    pub served: Served,
    _dir: tempfile::TempDir,
}

fn envs() -> [(&'static str, &'static str); 3] {
    [("ACME_ODOO_API_KEY", API_KEY), ("IDP_CLIENT_SECRET", SECRET), ("LOGIN_BRIDGE_LOG", "debug")]
}

impl World {
    /// `admin_emails`: the `[admin] emails` list (empty = no dashboard).
    pub async fn start(admin_emails: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("site/pkg")).expect("site dir");
        let port = free_port();
        let public = format!("http://127.0.0.1:{port}");
        let sso = OidcStandin::start(
            Box::new(Keycloak { realm: "acme".into() }),
            Registration::new(CLIENT, SECRET, &format!("{public}/callback/sso")),
            SigningKey::new(5, "pages-sso-key"),
        )
        .await;
        let work = OidcStandin::start(
            Box::new(Keycloak { realm: "work".into() }),
            Registration::new(CLIENT, SECRET, &format!("{public}/callback/work")),
            SigningKey::new(6, "pages-work-key"),
        )
        .await;
        let odoo = served::start_odoo(API_KEY).await;
        let db = dir.path().join("bridge.db");
        let admin = admin_emails.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>().join(", ");
        let config = dir.path().join("login-bridge.toml");
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

[admin]
emails = [{admin}]

[[odoo]]
id = "acme"
url = "{odoo}"
database = "acme"
display_name = "Acme"
api_login = "admin"
api_key_env = "ACME_ODOO_API_KEY"

[[provider]]
id = "sso"
kind = "oidc"
display_name = "Acme SSO"
issuer = "{sso_issuer}"
client_id = "{CLIENT}"
client_secret_env = "IDP_CLIENT_SECRET"

[[provider]]
id = "work"
kind = "oidc"
display_name = "Work SSO"
issuer = "{work_issuer}"
client_id = "{CLIENT}"
client_secret_env = "IDP_CLIENT_SECRET"
"#,
                db = db.display(),
                sso_issuer = sso.issuer(),
                work_issuer = work.issuer(),
            ),
        )
        .expect("write config");
        served::run_setup(dir.path(), &config, &envs());
        let served = wait_ready(Served::start(dir.path(), &config, &envs()), &public).await;
        let store = Store::open(&StoreConfig { backend: StoreBackend::Sqlite { path: PathBuf::from(&db) }, caps: StoreCaps::default() })
            .await
            .expect("the test opens the bridge's store");
        Self { public, odoo, sso, work, store, served, _dir: dir }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.public)
    }

    /// Signs `browser` in to Odoo through `provider` (which links the identity); returns the Odoo uid.
    pub async fn odoo_login(&self, browser: &mut Browser, provider: &str) -> Option<i64> {
        browser.navigate_to_end(&self.url(&format!("/login/{provider}?odoo=acme"))).await;
        browser.odoo_uid(&self.odoo).await
    }

    /// Signs `browser` in to a bridge page through `provider`, from the page's provider link; returns the final page.
    pub async fn sign_in(&self, browser: &mut Browser, start_path: &str) -> (Page, Vec<String>) {
        browser.navigate_to_end(&self.url(start_path)).await
    }

    /// One audit row as the login code writes them.
    pub async fn audit_login(&self, provider: &str, outcome: AuditOutcome, email: &str, user: Option<i64>, ip: &str) {
        self.store
            .record_audit(&AuditEntry {
                odoo_id: Some("acme".into()),
                provider_id: Some(provider.into()),
                email: Some(email.into()),
                odoo_user_id: user,
                ip: Some(ip.into()),
                upstream_subject: Some(format!("sub-of-{email}")),
                ..AuditEntry::now(AuditKind::Login, outcome)
            })
            .await
            .expect("audit row");
    }
}

pub fn account(sub: &str, email: &str) -> Account {
    Account::new(sub).email(email, true).name("Someone")
}

/// The CSRF token of the page's forms.
pub fn csrf(body: &str) -> String {
    let start = body.find(r#"name="csrf" value=""#).unwrap_or_else(|| panic!("the page has no CSRF field:\n{body}")) + r#"name="csrf" value=""#.len();
    body[start..].split('"').next().unwrap_or_default().to_string()
}

pub fn path_of(location: &str) -> String {
    let url = Url::parse("http://x").unwrap().join(location).unwrap();
    format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default())
}

/// Waits until `/readyz` says the store and both providers are up.
async fn wait_ready(served: Served, base: &str) -> Served {
    let client = reqwest::Client::builder().no_proxy().build().expect("client");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await {
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            if body["providers"]["sso"]["status"] == "ok" && body["providers"]["work"]["status"] == "ok" && body["store"] == "ok" {
                return served;
            }
        }
        if Instant::now() > deadline {
            panic!("the bridge at {base} did not become ready in 60 s\n--- stderr:\n{}", served.stop());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
