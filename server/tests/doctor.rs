//! `login-bridge doctor`, the real binary, against real parts on 127.0.0.1: the Odoo simulator,
//! the provider stand-ins, the real `serve` (for a healthy setup) and small front servers that
//! play a reverse proxy. Each misconfiguration is seeded, and the report must name it, say how
//! to fix it, and exit with the right status.

mod served;
mod standins;

use serde_json::{json, Value};
use served::{free_port, Served, BIN};
use standins::{
    facebook::FacebookStandin,
    github::GithubStandin,
    microsoft::MicrosoftStandin,
    oidc_core::{Google, Keycloak, OidcStandin},
    Registration, SigningKey,
};
use std::time::Duration;

const API_KEY: &str = "doctor-test-api-key";
const GOOGLE: (&str, &str) = ("1084920377415-doctor.apps.googleusercontent.com", "GOCSPX-doctor-google-secret");
const GITHUB: (&str, &str) = ("Ov23liDoctorGitHub01", "doctor-github-secret-5d1f0c9b8e7a6d5c");
const FACEBOOK: (&str, &str) = ("1234567890123456", "doctor-facebook-secret-9f8e7d6c5b");
const SSO: (&str, &str) = ("login-bridge", "doctor-keycloak-secret");
const MICROSOFT: (&str, &str) = ("6731de76-14a6-49ae-97bc-6eba6914391e", "Qx8Q~doctor.microsoft~secret");

// ---------------------------------------------------------------------------------------------
// The parts

/// A config and its environment in a temp dir.
struct Setup {
    dir: tempfile::TempDir,
    public_url: String,
    odoo_url: String,
    /// `[[provider]]` tables (TOML, with their `[[provider]]` line).
    providers: Vec<String>,
    /// Extra lines of the `[[odoo]]` table.
    odoo_extra: String,
    env: Vec<(String, String)>,
}

impl Setup {
    fn new(public_url: &str, odoo_url: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let env = vec![("ACME_ODOO_API_KEY".to_string(), API_KEY.to_string())];
        Self { dir, public_url: public_url.into(), odoo_url: odoo_url.into(), providers: Vec::new(), odoo_extra: String::new(), env }
    }

    /// Adds a provider whose secret (from `secret_env`) is `secret`.
    fn provider(&mut self, id: &str, body: &str, secret: &str) {
        let var = format!("{}_SECRET", id.to_ascii_uppercase());
        self.providers.push(format!("[[provider]]\nid = \"{id}\"\n{body}\nclient_secret_env = \"{var}\"\n"));
        self.env.push((var, secret.to_string()));
    }

    fn google(&mut self, google: &OidcStandin, secret: &str) {
        self.provider("google", &format!("kind = \"google\"\nclient_id = \"{}\"\nissuer = \"{}\"", GOOGLE.0, google.issuer()), secret);
    }

    fn github(&mut self, github: &GithubStandin, secret: &str) {
        let body = format!("kind = \"github\"\nclient_id = \"{}\"\nbase_url = \"{}\"\napi_url = \"{}\"", GITHUB.0, github.base_url(), github.api_url());
        self.provider("github", &body, secret);
    }

    fn microsoft(&mut self, microsoft: &MicrosoftStandin, secret: &str) {
        let body = format!("kind = \"microsoft\"\nclient_id = \"{}\"\nauthority = \"{}\"\ntenant = \"organizations\"", MICROSOFT.0, microsoft.authority());
        self.provider("microsoft", &body, secret);
    }

    fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("bridge.db")
    }

    fn write(&self) -> std::path::PathBuf {
        let text = format!(
            "public_url = \"{}\"\nlisten = \"{}\"\n[store]\nurl = \"sqlite://{}\"\n\
             [[odoo]]\nid = \"acme\"\nurl = \"{}\"\ndatabase = \"acme\"\napi_login = \"admin\"\napi_key_env = \"ACME_ODOO_API_KEY\"\n{}\n{}",
            self.public_url,
            self.public_url.trim_start_matches("http://"),
            self.db().display(),
            self.odoo_url,
            self.odoo_extra,
            self.providers.join("\n"),
        );
        let path = self.dir.path().join("login-bridge.toml");
        std::fs::write(&path, text).expect("write config");
        path
    }

    /// Runs `login-bridge --config … doctor ARGS`; returns (exit code, stdout, stderr).
    async fn doctor(&self, args: &[&str]) -> (i32, String, String) {
        let config = self.write();
        let mut command = std::process::Command::new(BIN);
        command.env_clear().current_dir(self.dir.path()).arg("--config").arg(&config).arg("doctor").args(args);
        for (k, v) in &self.env {
            command.env(k, v);
        }
        // The parts run on this test's runtime: wait for the process on another thread.
        let output = tokio::task::spawn_blocking(move || command.output()).await.expect("join").expect("run login-bridge doctor");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code().unwrap_or(-1), stdout, stderr)
    }

    /// `doctor --json ARGS`: the exit code and the parsed report.
    async fn doctor_json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = self.doctor(&all).await;
        let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("--json is not JSON ({e}):\n{stdout}\n--- stderr:\n{stderr}"));
        (code, report)
    }
}

/// The check (scope, name) of a JSON report.
fn find<'a>(report: &'a Value, scope: &str, check: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["scope"] == scope && c["check"] == check))
        .unwrap_or_else(|| panic!("no check {scope} / {check} in:\n{}", serde_json::to_string_pretty(report).unwrap_or_default()))
}

fn text(check: &Value, field: &str) -> String {
    check[field].as_str().unwrap_or_default().to_string()
}

/// The `errors` and `warnings` counts match the checks listed.
fn assert_counts(report: &Value) {
    let count = |status: &str| report["checks"].as_array().map(|c| c.iter().filter(|c| c["status"] == status).count()).unwrap_or(0);
    assert_eq!(report["errors"].as_u64(), Some(count("error") as u64), "errors count");
    assert_eq!(report["warnings"].as_u64(), Some(count("warning") as u64), "warnings count");
}

/// The simulator's Odoo 18 with the records `setup` would make for `providers` at `public_url`;
/// `change` edits the seed before it starts.
async fn odoo(public_url: &str, providers: &[(&str, &str)], change: impl FnOnce(&mut Value)) -> String {
    let records: Vec<Value> = providers
        .iter()
        .enumerate()
        .map(|(i, (id, display))| {
            json!({
                "id": 40 + i as i64, "name": format!("Login Bridge: {display}"), "enabled": true, "client_id": "acme",
                "auth_endpoint": format!("{public_url}/odoo/authorize/{id}"),
                "validation_endpoint": format!("{public_url}/odoo/tokeninfo"),
                "data_endpoint": false, "scope": "openid profile email",
                "body": format!("Sign in with {display}"), "css_class": "fa fa-fw fa-key", "sequence": 1 + i as i64
            })
        })
        .collect();
    let mut seed = json!({
        "version": "18.0",
        "database": "acme",
        "dbfilter": "^acme$",
        "signup": "b2b",
        "users": [
            {"id": 2, "login": "admin", "email": "admin@example.com", "name": "Administrator", "password": "admin", "api_keys": [API_KEY], "admin": true},
            {"id": 6, "login": "alice@example.com", "email": "alice@example.com", "name": "Alice Example", "password": "alice"}
        ],
        "providers": records,
        "config_parameters": {"auth_oauth.authorization_header": "1"},
        "modules": {"auth_oauth": "installed", "auth_signup": "installed"}
    });
    change(&mut seed);
    let seed: odoo_sim::Seed = serde_json::from_value(seed).expect("seed parses");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = odoo_sim::serve(seed, listener).await;
    });
    format!("http://{addr}")
}

fn registration(app: (&str, &str), public_url: &str, id: &str) -> Registration {
    Registration::new(app.0, app.1, &format!("{public_url}/callback/{id}"))
}

async fn google(public_url: &str, secret: &str) -> OidcStandin {
    OidcStandin::start(Box::new(Google), registration((GOOGLE.0, secret), public_url, "google"), SigningKey::new(0, "doctor-google")).await
}

/// A server on its own port: `/healthz` as the bridge answers it, everything else 404.
async fn fake_bridge() -> String {
    let app = axum::Router::new().route("/healthz", axum::routing::get(|| async { axum::Json(json!({"status": "ok"})) }));
    serve(app).await
}

/// A reverse proxy that forces https: every http request is sent to the https:// twin.
async fn https_redirector() -> String {
    let app = axum::Router::new().fallback(|headers: axum::http::HeaderMap, uri: axum::http::Uri| async move {
        let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or_default().to_string();
        (axum::http::StatusCode::MOVED_PERMANENTLY, [(axum::http::header::LOCATION, format!("https://{host}{uri}"))])
    });
    serve(app).await
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

// ---------------------------------------------------------------------------------------------
// A healthy setup

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_healthy_setup_is_all_ok_and_exits_0() {
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");
    let google = google(&public, GOOGLE.1).await;
    let github = GithubStandin::start(registration(GITHUB, &public, "github")).await;
    let sso = OidcStandin::start(Box::new(Keycloak { realm: "acme".into() }), registration(SSO, &public, "sso"), SigningKey::new(3, "doctor-sso")).await;
    let microsoft = MicrosoftStandin::start(registration(MICROSOFT, &public, "microsoft"), 1).await;
    let odoo_url = odoo(&public, &[("google", "Google"), ("github", "GitHub"), ("sso", "Acme SSO"), ("microsoft", "Microsoft")], |_| {}).await;
    let mut setup = Setup::new(&public, &odoo_url);
    setup.google(&google, GOOGLE.1);
    setup.github(&github, GITHUB.1);
    setup.microsoft(&microsoft, MICROSOFT.1);
    setup.provider("sso", &format!("kind = \"oidc\"\ndisplay_name = \"Acme SSO\"\nclient_id = \"{}\"\nissuer = \"{}\"", SSO.0, sso.issuer()), SSO.1);

    // The real bridge serves public_url (and creates and migrates the store).
    let config = setup.write();
    std::fs::create_dir_all(setup.dir.path().join("site/pkg")).expect("site dir");
    let envs: Vec<(&str, &str)> = setup.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let bridge = Served::start(setup.dir.path(), &config, &envs);
    let client = served::client();
    let mut up = false;
    for _ in 0..300 {
        if client.get(format!("{public}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the bridge did not come up:\n{}", bridge.stop());

    let (code, stdout, stderr) = setup.doctor(&[]).await;
    if std::env::var_os("DOCTOR_SHOW").is_some() {
        println!("{stdout}");
    }
    assert_eq!(code, 0, "a healthy setup exits 0:\n{stdout}\n--- stderr:\n{stderr}");
    for line in stdout.lines() {
        assert!(!line.trim_start().starts_with("error") && !line.trim_start().starts_with("warning"), "not ok: {line}\n{stdout}");
    }
    for expected in [
        "public_url\n",
        &format!("ok      reachable: {public}/healthz answers {{\"status\":\"ok\"}}"),
        &format!("google: {public}/callback/google"),
        "provider:google\n",
        "ok      client_credentials: credentials accepted",
        "provider:github\n",
        "provider:sso\n",
        "provider:microsoft\n",
        &format!("ok      issuer: the discovery document names issuer {}/{{tenantid}}/v2.0", microsoft.authority()),
        "ok      issuer: the discovery document names issuer",
        "ok      jwks:",
        "ok      clock:",
        "odoo:acme\n",
        "ok      api_key: the API key of `admin` is accepted on database `acme`",
        "ok      user_rights:",
        "ok      auth_oauth:",
        "ok      provider_record:google: record #40",
        "ok      data_endpoint:",
        "ok      authorization_header:",
        "ok      odoo_com_provider:",
        "ok      signup:",
        "ok      users_without_email:",
        "store\n",
        "ok      writable:",
        "ok      migrations: all",
        "0 error(s), 0 warning(s)",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }

    let (code, report) = setup.doctor_json(&[]).await;
    assert_eq!(code, 0);
    assert_counts(&report);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
    let statuses: Vec<&str> = report["checks"].as_array().expect("checks").iter().filter_map(|c| c["status"].as_str()).collect();
    assert!(statuses.iter().all(|s| *s == "ok"), "every check ok: {statuses:?}");
    assert!(!stdout.contains(GOOGLE.1) && !stdout.contains(GITHUB.1) && !stdout.contains(API_KEY), "no secret in the report");
    drop(bridge);
}

// ---------------------------------------------------------------------------------------------
// Providers

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_wrong_client_secret_is_an_error_naming_client_id_and_secret_keys() {
    let public = fake_bridge().await;
    // The registrations hold the right secrets; the config gives wrong ones.
    let google = google(&public, GOOGLE.1).await;
    let github = GithubStandin::start(registration(GITHUB, &public, "github")).await;
    let facebook = FacebookStandin::start(registration(FACEBOOK, &public, "facebook")).await;
    let microsoft = MicrosoftStandin::start(registration(MICROSOFT, &public, "microsoft"), 1).await;
    let odoo_url = odoo(&public, &[], |_| {}).await;
    let mut setup = Setup::new(&public, &odoo_url);
    setup.google(&google, "GOCSPX-an-old-rotated-secret");
    setup.github(&github, "an-old-github-secret-0000");
    let body = format!("kind = \"facebook\"\nclient_id = \"{}\"\nbase_url = \"{}\"\ngraph_url = \"{}\"", FACEBOOK.0, facebook.base_url(), facebook.graph_url());
    setup.provider("facebook", &body, "an-old-facebook-secret-000");
    setup.microsoft(&microsoft, "Qx8Q~an.expired~secret");

    let (code, report) = setup.doctor_json(&[]).await;
    assert_eq!(code, 1, "a wrong secret is an error");
    assert_counts(&report);
    let cases = [
        ("google", "invalid_client"),
        ("github", "incorrect_client_credentials"),
        ("facebook", "Error validating client secret."),
        ("microsoft", "invalid_client: AADSTS7000215"),
    ];
    for (id, said) in cases {
        let check = find(&report, &format!("provider:{id}"), "client_credentials");
        assert_eq!(check["status"], "error", "{id}: {check}");
        let message = text(check, "message");
        assert!(message.contains("wrong client_id or client secret") && message.contains(said), "{id}: {message}");
        let fix = text(check, "fix");
        assert!(fix.contains("`client_id`") && fix.contains("`client_secret_env` / `client_secret_file`") && fix.contains(&format!("[[provider]] id = \"{id}\"")), "{id}: {fix}");
    }
    // Facebook on an http public_url: the config's own warning is part of the report.
    let warning = find(&report, "config", "warning");
    assert!(text(warning, "message").contains("provider `facebook`: Facebook only accepts https redirect URIs"), "{warning}");
    // The right one, for contrast: only the made-up code is refused.
    let (code, stdout, _) = {
        let mut fixed = Setup::new(&public, &odoo_url);
        fixed.google(&google, GOOGLE.1);
        fixed.doctor(&["--provider", "google"]).await
    };
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("ok      client_credentials: credentials accepted") && stdout.contains("invalid_grant"), "{stdout}");
    let (_, stdout, _) = setup.doctor(&[]).await;
    for secret in ["GOCSPX-an-old-rotated-secret", "an-old-github-secret-0000", "an-old-facebook-secret-000", "Qx8Q~an.expired~secret", API_KEY] {
        assert!(!stdout.contains(secret), "the report must not print a secret:\n{stdout}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_issuer_that_differs_from_discovery_is_an_error() {
    let public = fake_bridge().await;
    let google = google(&public, GOOGLE.1).await;
    let odoo_url = odoo(&public, &[], |_| {}).await;
    let mut setup = Setup::new(&public, &odoo_url);
    // Same server, other name: the document there names http://127.0.0.1:port as its issuer.
    let configured = google.issuer().replace("127.0.0.1", "localhost");
    setup.provider("google", &format!("kind = \"oidc\"\nclient_id = \"{}\"\nissuer = \"{configured}\"", GOOGLE.0), GOOGLE.1);
    let (code, report) = setup.doctor_json(&["--provider", "google"]).await;
    assert_eq!(code, 1);
    let issuer = find(&report, "provider:google", "issuer");
    assert_eq!(issuer["status"], "error", "{issuer}");
    assert!(text(issuer, "message").contains(&format!("names issuer {}, but the config expects {configured}", google.issuer())), "{issuer}");
    assert!(text(issuer, "fix").contains(&format!("set `issuer = \"{}\"` in [[provider]] id = \"google\"", google.issuer())), "{issuer}");

    // No discovery document at all: the checks that need it are skipped, not failed twice.
    let mut gone = Setup::new(&public, &odoo_url);
    gone.provider("google", &format!("kind = \"oidc\"\nclient_id = \"x\"\nissuer = \"{}/nothing-here\"", google.issuer()), GOOGLE.1);
    let (code, report) = gone.doctor_json(&["--provider", "google"]).await;
    assert_eq!(code, 1);
    let discovery = find(&report, "provider:google", "discovery");
    assert_eq!(discovery["status"], "error", "{discovery}");
    assert!(text(discovery, "message").contains("answered HTTP 404"), "{discovery}");
    assert!(text(discovery, "fix").contains("check `issuer`"), "{discovery}");
    assert_eq!(find(&report, "provider:google", "client_credentials")["status"], "skipped");
}

/// A host that accepts connections and never answers: every call must give up on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_silent_host_times_out_instead_of_hanging() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let silent = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let odoo_url = odoo(&silent, &[], |_| {}).await;
    let mut setup = Setup::new(&silent, &odoo_url);
    setup.provider("google", &format!("kind = \"google\"\nclient_id = \"x\"\nissuer = \"{silent}\""), "google-secret-value");
    let started = std::time::Instant::now();
    let (code, report) = setup.doctor_json(&[]).await;
    assert!(started.elapsed() < Duration::from_secs(30), "doctor took {:?}", started.elapsed());
    assert_eq!(code, 1);
    let discovery = find(&report, "provider:google", "discovery");
    assert_eq!(discovery["status"], "error");
    assert!(text(discovery, "message").contains("timed out"), "{discovery}");
    let reachable = find(&report, "public_url", "reachable");
    assert_eq!(reachable["status"], "warning", "{reachable}");
    assert!(text(reachable, "message").contains("timed out"), "{reachable}");
}

// ---------------------------------------------------------------------------------------------
// public_url

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_proxy_forcing_https_on_an_http_public_url_is_an_error_naming_the_redirect_uris() {
    let public = https_redirector().await;
    let google = google(&public, GOOGLE.1).await;
    let odoo_url = odoo(&public, &[("google", "Google")], |_| {}).await;
    let mut setup = Setup::new(&public, &odoo_url);
    setup.google(&google, GOOGLE.1);
    let (code, report) = setup.doctor_json(&[]).await;
    assert_eq!(code, 1);
    assert_counts(&report);
    let reachable = find(&report, "public_url", "reachable");
    assert_eq!(reachable["status"], "error", "{reachable}");
    let https = public.replacen("http://", "https://", 1);
    let message = text(reachable, "message");
    assert!(message.contains(&format!("redirected (HTTP 301) to {https}/healthz")), "{message}");
    assert!(message.contains("the reverse proxy forces https while public_url says http"), "{message}");
    assert!(message.contains(&format!("google: {public}/callback/google")), "{message}");
    let fix = text(reachable, "fix");
    assert!(fix.contains(&format!("set `public_url = \"{https}\"`")), "{fix}");
    assert!(fix.contains(&format!("google: {https}/callback/google")), "{fix}");
    // The same in the human report, grouped under public_url with the fix indented.
    let (_, stdout, _) = setup.doctor(&[]).await;
    assert!(stdout.contains("public_url\n  ok      scheme:"), "{stdout}");
    assert!(stdout.contains(&format!("  error   reachable: {public}/healthz is redirected")), "{stdout}");
    assert!(stdout.contains(&format!("            fix: set `public_url = \"{https}\"`")), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bridge_that_is_not_running_is_only_a_warning() {
    let public = format!("http://127.0.0.1:{}", free_port());
    let odoo_url = odoo(&public, &[], |_| {}).await;
    let mut setup = Setup::new(&public, &odoo_url);
    setup.provider("google", &format!("kind = \"google\"\nclient_id = \"x\"\nissuer = \"http://127.0.0.1:{}\"", free_port()), "s3cr3t-value");
    let (_, report) = setup.doctor_json(&[]).await;
    let reachable = find(&report, "public_url", "reachable");
    assert_eq!(reachable["status"], "warning", "{reachable}");
    assert!(text(reachable, "message").contains("is the bridge running / is the proxy in front of it forwarding?"), "{reachable}");
    assert!(text(reachable, "fix").contains("start `login-bridge serve`"), "{reachable}");
    // The SQLite file does not exist yet, and doctor does not create it.
    assert_eq!(find(&report, "store", "opens")["status"], "ok");
    assert!(!setup.db().exists(), "doctor must not create the store");
}

// ---------------------------------------------------------------------------------------------
// Odoo

/// Runs `doctor --odoo acme --json` against a seed edited by `change`.
async fn odoo_report(change: impl FnOnce(&mut Value)) -> (i32, Value, Setup) {
    let public = "http://127.0.0.1:3000";
    let odoo_url = odoo(public, &[("google", "Google")], change).await;
    let mut setup = Setup::new(public, &odoo_url);
    setup.provider("google", "kind = \"google\"\nclient_id = \"x\"", "google-secret-value");
    let (code, report) = setup.doctor_json(&["--odoo", "acme"]).await;
    assert_counts(&report);
    assert!(report["checks"].as_array().expect("checks").iter().all(|c| c["scope"] == "odoo:acme"), "--odoo checks only that Odoo: {report}");
    (code, report, setup)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn auth_oauth_not_installed_is_an_error() {
    let (code, report, _) = odoo_report(|seed| seed["modules"]["auth_oauth"] = json!("uninstalled")).await;
    assert_eq!(code, 1);
    let check = find(&report, "odoo:acme", "auth_oauth");
    assert_eq!(check["status"], "error");
    assert!(text(check, "message").contains("the OAuth2 Authentication module (auth_oauth) is not installed"), "{check}");
    assert!(text(check, "fix").contains("Apps → search \"OAuth2 Authentication\" → Activate"), "{check}");
    assert_eq!(find(&report, "odoo:acme", "provider_records")["status"], "skipped");
    assert_eq!(find(&report, "odoo:acme", "signup")["status"], "ok", "sign-up does not depend on auth_oauth");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_data_endpoint_on_a_bridge_record_is_an_error() {
    let (code, report, _) = odoo_report(|seed| seed["providers"][0]["data_endpoint"] = json!("https://evil.example/userinfo")).await;
    assert_eq!(code, 1);
    let check = find(&report, "odoo:acme", "data_endpoint");
    assert_eq!(check["status"], "error");
    let message = text(check, "message");
    assert!(message.contains("#40 \"Login Bridge: Google\" → https://evil.example/userinfo") && message.contains("merges its answer"), "{message}");
    assert!(text(check, "fix").contains("clear Data Endpoint of \"Login Bridge: Google\" in Settings → Users & Companies → OAuth Providers"), "{check}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn open_signup_is_flagged_with_the_setting_to_change() {
    let (code, report, _) = odoo_report(|seed| seed["signup"] = json!("b2c")).await;
    assert_eq!(code, 0, "a warning alone exits 0: {report}");
    let check = find(&report, "odoo:acme", "signup");
    assert_eq!(check["status"], "warning");
    assert!(text(check, "message").contains("auth_signup.invitation_scope = b2c"), "{check}");
    assert!(text(check, "message").contains("could get a portal account"), "{check}");
    assert!(text(check, "fix").contains("Customer Account: On invitation"), "{check}");
    assert_eq!(report["warnings"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn internal_users_without_email_are_counted_when_linking_by_email() {
    let (code, report, mut setup) = odoo_report(|seed| {
        let users = seed["users"].as_array_mut().expect("users");
        for (id, login) in [(20, "jdoe"), (21, "warehouse"), (22, "mpatel")] {
            users.push(json!({"id": id, "login": login, "email": false, "name": login}));
        }
        // Not counted: a portal user, an email as login, an archived user.
        users.push(json!({"id": 23, "login": "portal-guy", "email": false, "name": "Portal", "share": true}));
        users.push(json!({"id": 24, "login": "kim@example.com", "email": false, "name": "Kim"}));
        users.push(json!({"id": 25, "login": "gone", "email": false, "name": "Gone", "active": false}));
    })
    .await;
    assert_eq!(code, 0);
    let check = find(&report, "odoo:acme", "users_without_email");
    assert_eq!(check["status"], "warning");
    let message = text(check, "message");
    assert!(message.starts_with("3 active internal user(s) have no email"), "{message}");
    assert!(message.contains("`jdoe`, `mpatel`, `warehouse`"), "{message}");
    assert!(!message.contains("portal-guy") && !message.contains("kim@") && !message.contains("gone"), "{message}");
    assert!(text(check, "fix").contains("login-bridge users link"), "{check}");

    // Without linking by email the count does not matter.
    setup.odoo_extra = "link_by_email = false".into();
    let (_, report) = setup.doctor_json(&["--odoo", "acme"]).await;
    assert_eq!(find(&report, "odoo:acme", "users_without_email")["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn odoo_19_is_checked_over_json_2() {
    let (code, report, _) = odoo_report(|seed| seed["version"] = json!("19.0")).await;
    assert_eq!(code, 0, "{report}");
    assert!(text(find(&report, "odoo:acme", "reachable"), "message").contains("Odoo 19 answers") , "{report}");
    assert!(text(find(&report, "odoo:acme", "reachable"), "message").contains("JSON-2"), "{report}");
    assert_eq!(find(&report, "odoo:acme", "user_rights")["status"], "ok", "all_group_ids holds the implied groups: {report}");
    assert_eq!(find(&report, "odoo:acme", "provider_record:google")["status"], "ok", "{report}");
    assert_eq!(report["warnings"], 0, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_stock_odoo_com_provider_enabled_is_a_warning() {
    let (code, report, _) = odoo_report(|seed| {
        seed["providers"].as_array_mut().expect("providers").push(json!({
            "id": 1, "name": "Odoo.com Accounts", "enabled": true, "client_id": "odoo-client",
            "auth_endpoint": "https://accounts.odoo.com/oauth2/auth", "validation_endpoint": "https://accounts.odoo.com/oauth2/tokeninfo",
            "scope": "userinfo", "body": "Log in with Odoo.com", "css_class": "fa fa-fw fa-sign-in text-primary", "sequence": 10
        }));
    })
    .await;
    assert_eq!(code, 0);
    let check = find(&report, "odoo:acme", "odoo_com_provider");
    assert_eq!(check["status"], "warning");
    assert!(text(check, "message").contains("#1 \"Odoo.com Accounts\""), "{check}");
    assert!(text(check, "fix").contains("disable it: Settings → Users & Companies → OAuth Providers → Odoo.com Accounts → untick Allowed"), "{check}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn authorization_header_unset_is_a_warning() {
    let (code, report, _) = odoo_report(|seed| seed["config_parameters"] = json!({})).await;
    assert_eq!(code, 0);
    let check = find(&report, "odoo:acme", "authorization_header");
    assert_eq!(check["status"], "warning");
    assert!(text(check, "message").contains("tokens appear in access logs"), "{check}");
    assert!(text(check, "fix").contains("run `login-bridge setup`"), "{check}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_record_that_differs_from_the_config_is_an_error() {
    let (code, report, _) = odoo_report(|seed| {
        seed["providers"][0]["client_id"] = json!("wrong");
        seed["providers"][0]["enabled"] = json!(false);
    })
    .await;
    assert_eq!(code, 1);
    let record = find(&report, "odoo:acme", "provider_record:google");
    assert_eq!(record["status"], "error");
    let message = text(record, "message");
    assert!(message.contains("Allowed is unticked") && message.contains("client_id is \"wrong\" instead of \"acme\""), "{message}");
    assert!(text(record, "fix").contains("run `login-bridge setup`"), "{record}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_missing_record_names_the_other_public_url_it_was_made_for() {
    let (code, report, _) = odoo_report(|seed| {
        seed["providers"][0]["auth_endpoint"] = json!("https://127.0.0.1:3000/odoo/authorize/google");
    })
    .await;
    assert_eq!(code, 1);
    let record = find(&report, "odoo:acme", "provider_record:google");
    assert_eq!(record["status"], "error");
    let message = text(record, "message");
    assert!(message.contains("no auth.oauth.provider record has auth_endpoint http://127.0.0.1:3000/odoo/authorize/google"), "{message}");
    assert!(message.contains("record #40 \"Login Bridge: Google\" points at https://127.0.0.1:3000/odoo/authorize/google instead"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_technical_user_without_access_rights_is_an_error() {
    let (code, report, _) = odoo_report(|seed| seed["users"][0]["admin"] = json!(false)).await;
    assert_eq!(code, 1);
    let rights = find(&report, "odoo:acme", "user_rights");
    assert_eq!(rights["status"], "error", "{rights}");
    assert!(text(rights, "message").contains("not in Administration: Access Rights (base.group_erp_manager)"), "{rights}");
    assert!(text(rights, "fix").contains("Settings → Users → admin → Access Rights"), "{rights}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_wrong_api_key_and_no_api_access_are_reported_with_what_was_skipped() {
    let public = "http://127.0.0.1:3000";
    let odoo_url = odoo(public, &[], |_| {}).await;
    let mut setup = Setup::new(public, &odoo_url);
    setup.provider("google", "kind = \"google\"\nclient_id = \"x\"", "google-secret-value");
    setup.env[0].1 = "not-the-key".into();
    let (code, report) = setup.doctor_json(&["--odoo", "acme"]).await;
    assert_eq!(code, 1);
    let key = find(&report, "odoo:acme", "api_key");
    assert_eq!(key["status"], "error");
    assert!(text(key, "message").contains("refused the API key of `admin` on database `acme`"), "{key}");
    assert!(text(key, "fix").contains("New API Key"), "{key}");
    assert!(!serde_json::to_string(&report).unwrap_or_default().contains("not-the-key"), "no key in the report");

    // No api_login: a warning, and each API check says it was skipped and why.
    let mut no_api = Setup::new(public, &odoo_url);
    no_api.provider("google", "kind = \"google\"\nclient_id = \"x\"", "google-secret-value");
    no_api.odoo_extra = "odoo_provider_id = 40".into();
    let config = no_api.write();
    let text_config = std::fs::read_to_string(&config).expect("config").replace("api_login = \"admin\"\napi_key_env = \"ACME_ODOO_API_KEY\"\n", "");
    std::fs::write(&config, &text_config).expect("rewrite");
    let envs = no_api.env.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(BIN).env_clear().envs(envs).arg("--config").arg(&config).args(["doctor", "--odoo", "acme"]).output()
    })
    .await
    .expect("join")
    .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("warning api_access: no API access (no api_login)"), "{stdout}");
    assert!(stdout.contains("skipped provider_records: needs the external API (no api_login)"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// Filters and the store

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn filters_limit_the_run_and_unknown_ids_are_clear_errors() {
    let public = fake_bridge().await;
    let google = google(&public, GOOGLE.1).await;
    let odoo_url = odoo(&public, &[("google", "Google")], |_| {}).await;
    let mut setup = Setup::new(&public, &odoo_url);
    setup.google(&google, GOOGLE.1);
    setup.provider("broken", &format!("kind = \"oidc\"\nclient_id = \"x\"\nissuer = \"http://127.0.0.1:{}\"", free_port()), "broken-secret");

    let (code, report) = setup.doctor_json(&["--provider", "google"]).await;
    assert_eq!(code, 0, "the broken provider is not checked: {report}");
    let scopes: Vec<&str> = report["checks"].as_array().expect("checks").iter().filter_map(|c| c["scope"].as_str()).collect();
    assert!(!scopes.is_empty() && scopes.iter().all(|s| *s == "provider:google"), "{scopes:?}");

    let (code, stdout, _) = setup.doctor(&[]).await;
    assert_eq!(code, 1, "without a filter the broken provider counts:\n{stdout}");
    assert!(stdout.contains("provider:broken\n  error   discovery:"), "{stdout}");

    let (code, stdout, _) = setup.doctor(&["--provider", "nope"]).await;
    assert_eq!(code, 1);
    assert!(stdout.contains("error   provider: there is no [[provider]] with id `nope` in the config"), "{stdout}");
    assert!(stdout.contains("fix: use --provider with one of: google, broken"), "{stdout}");
    let (code, report) = setup.doctor_json(&["--odoo", "nope"]).await;
    assert_eq!(code, 1);
    assert_eq!(report["errors"], 1);
    assert_eq!(text(find(&report, "options", "odoo"), "fix"), "use --odoo with one of: acme");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_store_from_an_older_or_a_newer_binary_is_reported() {
    use sqlx::Connection;
    let public = fake_bridge().await;
    let odoo_url = odoo(&public, &[], |_| {}).await;
    let mut setup = Setup::new(&public, &odoo_url);
    setup.provider("google", "kind = \"google\"\nclient_id = \"x\"", "google-secret-value");
    let path = setup.write();
    let toml = std::fs::read_to_string(&path).expect("config");
    let env = |name: &str| setup.env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let config = login_bridge::config::Config::parse(&toml, &path, setup.dir.path(), &env).expect("config parses");
    drop(login_bridge::store::Store::open(&config.store).await.expect("store opens"));

    let (_, report) = setup.doctor_json(&[]).await;
    assert_eq!(find(&report, "store", "migrations")["status"], "ok");
    assert_eq!(find(&report, "store", "writable")["status"], "ok");

    let url = format!("sqlite://{}", setup.db().display());
    let mut db = sqlx::SqliteConnection::connect(&url).await.expect("connect");
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'from the future', TRUE, x'00', 0)")
        .execute(&mut db)
        .await
        .expect("insert");
    let (code, report) = setup.doctor_json(&[]).await;
    assert_eq!(code, 1);
    let check = find(&report, "store", "migrations");
    assert_eq!(check["status"], "error", "{check}");
    assert!(text(check, "message").contains("9999") && text(check, "message").contains("a newer login-bridge"), "{check}");

    sqlx::query("DELETE FROM _sqlx_migrations WHERE version IN (9999, 4)").execute(&mut db).await.expect("delete");
    let (_, report) = setup.doctor_json(&[]).await;
    let check = find(&report, "store", "migrations");
    assert_eq!(check["status"], "warning", "{check}");
    assert!(text(check, "message").contains("0004 are not applied yet"), "{check}");
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM identity_links").fetch_one(&mut db).await.expect("count");
    assert_eq!(links, 0, "the probe write leaves nothing behind");
}

#[test]
fn help_explains_the_command() {
    let output = std::process::Command::new(BIN).args(["doctor", "--help"]).output().expect("run");
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in ["--odoo <ID>", "--provider <ID>", "--json", "Exit status: 0 without errors", "made-up code"] {
        assert!(help.contains(expected), "missing {expected:?} in:\n{help}");
    }
}
